"""The `claims` commands of a claims repository: `repo init`, `merge-file` (git's merge driver), and the folder
layout of `export`. No SQL here either."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import ClaimsError
from .base import ClaimsGroup, database, fail

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
) -> None:
    """Merge two versions of a claims file into OURS: git's merge driver for claims repositories.

    Claims are matched by their text in their source, actors by name, sources by key. Status changes appended
    on both sides are all kept, in date order; parties, figures, links and claims added on either side are kept;
    a field changed on one side takes that change. The same field changed two ways is a conflict: OURS is left
    with git's conflict markers around it, and the command exits 1. A file that is not a claims file is merged
    line by line (git merge-file). `claims repo init` registers the driver; by hand, see the README.

    Example: claims merge-file base.yml ours.yml theirs.yml     (git runs: claims merge-file %O %A %B)
    """
    from ..io.repo_merge import merge_paths

    outcome = merge_paths(base, ours, theirs)
    for line in outcome.conflicts:
        typer.echo(f"conflict in {ours}: {line}", err=True)
    if outcome.fallback:
        typer.echo(f"{ours}: {outcome.fallback}; merged line by line", err=True)
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
