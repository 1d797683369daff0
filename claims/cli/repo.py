"""The `claims` commands of a claims repository: `repo init`, `merge-file` (git's merge driver), the folder layout
of `export`; `build` (a database from the repository) and `publish`.
No SQL here either."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import ClaimsError
from .base import ClaimsGroup, database, fail, one_line_errors

commands = typer.Typer()

repo_app = typer.Typer(
    help="Set up a claims repository: claims as YAML files in git.", no_args_is_help=True, cls=ClaimsGroup
)
commands.add_typer(repo_app, name="repo")


def export_folder(db_path: Path, output: Path | None, format: str) -> None:
    """`claims export --layout folder`: write the database as a claims repository in --output."""
    from ..io.repo import export_folder as write_folder

    if format != "yaml":
        fail(f"--layout folder writes YAML files, not {format}: use --format yaml")
    if output is None:
        fail("--layout folder needs the folder to write: -o FOLDER")
    with database(db_path) as db:
        outcome = write_folder(db, output)
    for path in outcome.removed:
        typer.echo(f"  removed {path}: its source is no longer recorded", err=True)
    typer.echo(
        f"Exported {outcome.claims} claims to {output}: {len(outcome.written)} files written, "
        f"{outcome.unchanged} unchanged, {len(outcome.removed)} removed",
        err=True,
    )


@commands.command("merge-file")
def merge_file(
    base: Annotated[Path, typer.Argument(metavar="BASE", help="The common ancestor's version (git's %O).")],
    ours: Annotated[Path, typer.Argument(metavar="OURS", help="Our version, replaced by the merge (git's %A).")],
    theirs: Annotated[Path, typer.Argument(metavar="THEIRS", help="Their version (git's %B).")],
    path: Annotated[
        str | None, typer.Argument(metavar="[PATH]", help="The file's path in the repository, for messages (git's %P).")
    ] = None,
) -> None:
    """Merge two versions of a claims file into OURS: git's merge driver for claims repositories.

    Claims are matched by their text in their source, actors by name, sources by key. Status changes appended
    on both sides are all kept, in date order; parties, figures, links and claims added on either side are kept;
    a field changed on one side takes that change. The same field changed two ways is a conflict: OURS is left
    with git's conflict markers around it, and the command exits 1. A file that is not a claims file is merged
    line by line (git merge-file). `claims repo init` registers the driver; by hand, see the README.

    Example: claims merge-file base.yml ours.yml theirs.yml     (git runs: claims merge-file %O %A %B %P)
    """
    from ..io.repo_merge import merge_paths

    outcome = merge_paths(base, ours, theirs)
    shown = path or str(ours)  # git's temporary file for OURS has a name no one would recognise
    for line in outcome.conflicts:
        typer.echo(f"conflict in {shown}: {line}", err=True)
    if outcome.fallback:
        typer.echo(f"{shown}: {outcome.fallback.replace(ours.name, shown)}; merged line by line", err=True)
    if not outcome.clean:
        raise typer.Exit(code=1)


@repo_app.command("init")
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="[DIR]", help="The repository's folder (default: this one).")
    ] = Path("."),
) -> None:
    """Make DIR a claims repository: git init if needed, the claims merge driver, .gitattributes, .gitignore.

    Running it again changes nothing. Then `claims export --layout folder -o DIR` and commit.

    Example: claims repo init newsroom-claims && claims export --layout folder -o newsroom-claims
    """
    from ..io.repo import init_repository

    try:
        done = init_repository(folder, _claims_executable())
    except (ClaimsError, OSError) as e:
        fail(str(e))
    for line in done:
        typer.echo(line, err=True)
    typer.echo(f"{folder}: claims repository ready" + ("" if done else " (nothing to do)"), err=True)


def _claims_executable() -> list[str]:
    """How git can run this very `claims`: its script's absolute path, else this Python with `-m claims`."""
    script = Path(sys.argv[0])
    if script.name == "claims" and script.is_file():
        return [str(script.resolve())]
    return [sys.executable, "-m", "claims"]


class Target(StrEnum):
    cloudrun = "cloudrun"
    fly = "fly"
    package = "package"


@contextmanager
def _messages() -> Iterator[None]:
    """Known errors of a command that opens no --db as one line, and so are those of the files it reads or writes."""
    try:
        with one_line_errors():
            yield
    except (OSError, sqlite3.Error) as e:
        fail(f"{getattr(e, 'filename', None) or 'build'}: {getattr(e, 'strerror', None) or e}")


@commands.command()
def build(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The claims repository: a folder of YAML files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The database to build.")] = Path("site/claims.db"),
    all_files: Annotated[
        bool, typer.Option("--all-files", help="Build afresh from every file, even when an earlier build is there.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Also run 'claims check' after an incremental build (a fresh one always does)."),
    ] = False,
) -> None:
    """Build a database from a claims repository, for publishing; again, only the files changed are read.

    A fresh build (no earlier output, --all-files, a file removed, or a source or actor in no file now) imports
    every file into a new database, runs 'claims check', VACUUMs it and only then replaces the output: a failed
    build leaves the earlier one as it was. An incremental build imports the changed files into the output in one
    transaction, removing what they no longer hold (as --prune) and purging the claims no file holds (each purge
    logged), without VACUUM or a full check (--check runs it).
    Both write the row counts for 'datasette serve -i' next to the output (site/claims.inspect.json).

    Example: claims build claims/ -o site/claims.db        claims build claims/ -o site/claims.db --all-files
    """
    from ..io.repo_build import build as build_database
    from ..maintenance import counts_path
    from .base import progress_bar

    with _messages(), progress_bar("Building") as progress:
        result = build_database(folder, output, all_files=all_files, check=check, progress=progress)
    how = f"afresh ({result.reason})" if result.full else "incrementally"
    checked = "checked" if result.checked else "not checked (claims check, or --check)"
    typer.echo(f"Built {output} {how} in {result.seconds:.1f} s: {result.folder.describe()}", err=True)
    typer.echo(f"  {result.claims} claims, {checked}; row counts in {counts_path(output)}", err=True)


@commands.command()
def publish(
    target: Annotated[
        Target, typer.Argument(help="cloudrun (Google Cloud Run), fly (Fly.io) or package (a Docker image).")
    ],
    db_path: Annotated[Path, typer.Option("--db", help="The built database to publish.")] = Path("site/claims.db"),
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="New folder to write the deployment to (default: publish/ next to --db)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write the folder and print the command; run nothing.")
    ] = False,
    service: Annotated[str, typer.Option(help="Cloud Run service, Fly app or image tag.")] = "claims",
    allow_robots: Annotated[
        bool, typer.Option(help="Let search engines index the pages (robots.txt allows them).")
    ] = False,
    allow_download: Annotated[bool, typer.Option(help="Let visitors download the whole database file.")] = False,
) -> None:
    """Prepare a built database for 'datasette publish' (Cloud Run, Fly) or 'datasette package', and run it.

    Writes a folder that deploys as it is: claims.db (served immutable), its row counts, metadata.yml, the claims
    plugin's source, requirements.txt and a Dockerfile with the limits of 'claims serve'; then runs the datasette
    command in it, or with --dry-run prints it, and the platform's own command on the Dockerfile.

    Example: claims publish cloudrun --db site/claims.db --dry-run        claims publish fly --service my-claims
    """
    from ..web.publish import missing_tool, stage

    folder = output or db_path.parent / "publish"
    with _messages():
        staged = stage(
            db_path, folder, target.value, service=service, allow_robots=allow_robots, allow_download=allow_download
        )
    typer.echo(f"Wrote {folder}: {', '.join(staged.files)}", err=True)
    command = f"cd {_quoted(folder)} && {' '.join(map(_quoted, staged.command))}"
    missing = missing_tool(target.value)
    if dry_run:
        typer.echo(command)
        typer.echo(f"# or, with the Dockerfile: {staged.deploy}")
        if missing:
            typer.echo(f"# note: {missing}")
        return
    if missing:
        fail(f"{missing}; or deploy the folder with: {staged.deploy}")
    typer.echo(f"Running: {command}", err=True)
    completed = subprocess.run([_datasette(), *staged.command[1:]], cwd=folder, check=False)
    if completed.returncode:
        fail(f"{staged.command[0]} {staged.command[1]} exited with {completed.returncode}; the folder {folder} is kept")


def _datasette() -> str:
    """The datasette next to this Python (its virtual environment's, even when not activated), else on the PATH."""
    import sys

    sibling = Path(sys.executable).with_name("datasette")
    return str(sibling) if sibling.is_file() else "datasette"


def _quoted(value) -> str:
    import shlex

    return shlex.quote(str(value))
