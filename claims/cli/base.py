"""The `claims` app and what its commands share: options, the database of one command, errors, output."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from typer.core import TyperGroup

from .. import __version__
from ..db import ENV_VAR, open_db
from ..errors import ClaimsError
from ..records import InvalidRecords, surrogate_at
from .completion import complete_actor, complete_source


class ClaimsGroup(TyperGroup):
    """Typer group whose usage errors print as one line instead of a box."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        args = sys.argv[1:] if args is None else list(args)
        if problem := not_utf8(self, args):
            typer.echo(f"Error: {problem}", err=True)
            sys.exit(1)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except typer.TyperException as e:
            context = getattr(e, "ctx", None)
            hint = f" (see '{context.command_path} --help')" if context else ""
            typer.echo(f"Error: {e.format_message()}{hint}", err=True)
            sys.exit(e.exit_code)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def parse_args(self, ctx, args):
        """`claims` or `claims source` alone prints the help, as with --help, rather than a usage error."""
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            if help_text := ctx.get_help():  # Rich prints it itself and returns nothing
                typer.echo(help_text)
            ctx.exit(0)
        return super().parse_args(ctx, args)


def not_utf8(group: TyperGroup, args: list[str]) -> str | None:
    """Which value of the command line (argument, option or environment variable) is not UTF-8, and where; or None.

    Bytes that are not UTF-8 reach Python as lone surrogates, which nothing can store or print.
    Only when some value holds one is the command line parsed a second time, leniently, to name it.
    """
    if all(surrogate_at(value) is None for value in [*args, *os.environ.values()]):
        return None
    for context in _lenient_contexts(group, args):
        for param in context.command.params:
            value = context.params.get(param.name)
            for text in value if isinstance(value, (list, tuple)) else [value]:
                at = surrogate_at(str(text)) if isinstance(text, (str, Path)) else None
                if at is None:
                    continue
                if context.get_parameter_source(param.name).name == "ENVIRONMENT":
                    name = f"${param.envvar}"
                else:
                    name = max(param.opts, key=len) if param.param_type_name == "option" else param.human_readable_name
                code = ord(str(text)[at])
                what = f"byte 0x{code - 0xDC00:X}" if 0xDC80 <= code <= 0xDCFF else f"a lone surrogate (U+{code:04X})"
                return f"{name} is not valid UTF-8: {what} at character {at + 1}"
    return None


def _lenient_contexts(group: TyperGroup, args: list[str]) -> list:
    """The contexts of the group and of each subcommand named in `args`, parsed without failing or prompting."""
    contexts = []
    try:
        contexts.append(group.make_context("claims", list(args), resilient_parsing=True))
        rest = [*contexts[-1]._protected_args, *contexts[-1].args]
        while rest and hasattr(contexts[-1].command, "resolve_command"):
            name, command, rest = contexts[-1].command.resolve_command(contexts[-1], rest)
            if command is None:
                break
            contexts.append(command.make_context(name, rest, parent=contexts[-1], resilient_parsing=True))
            rest = [*contexts[-1]._protected_args, *contexts[-1].args]
    except (typer.TyperException, typer.Exit):
        pass  # a malformed command line: the real parse says how
    return contexts


app = typer.Typer(
    cls=ClaimsGroup,
    name="claims",
    epilog="Start with: claims demo   (loads the bundled example and serves it)",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


DbOption = Annotated[
    Path,
    typer.Option("--db", envvar=ENV_VAR, help=f"Database file (or set ${ENV_VAR}).", dir_okay=True),
]


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


SourceRef = Annotated[
    str, typer.Option("--source", help="Source id or URL (see 'claims source list').", shell_complete=complete_source)
]


DateOption = Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (or YYYY-MM, YYYY).")]


ByUserOption = Annotated[
    str | None, typer.Option("--by-user", envvar="CLAIMS_USER", help="Who records this (default: your login name).")
]


ActorList = list[str]


ArchiveOption = Annotated[str | None, typer.Option(help="Archived copy (archive.org, perma.cc), http or https.")]


def party_option(flag: str, help: str):
    """A repeatable option naming actors in one role."""
    return typer.Option(flag, metavar="ACTOR", help=f"{help} (repeatable).", shell_complete=complete_actor)


def fail(message: str) -> NoReturn:
    """Print a one-line error to stderr and exit 1."""
    typer.echo(f"Error: {' '.join(message.split())}", err=True)
    raise typer.Exit(1)


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Known errors as one line on stderr and exit 1 (an import's problems listed each on its own line first)."""
    try:
        yield
    except InvalidRecords as e:
        for problem in e.problems:
            typer.echo(f"  {problem}", err=True)
        fail(str(e))
    except ClaimsError as e:
        fail(str(e))


@contextmanager
def database(path: Path, *, create: bool = False) -> Iterator:
    """Open the database for one command; turn known errors into a one-line message."""
    db = None
    with one_line_errors():
        try:
            db = open_db(path, create=create)
            yield db
        except sqlite3.Error as e:
            if "readonly" in str(e):
                fail(f"{path} is read-only: nothing was written")
            fail(f"database error in {path}: {e}")
        finally:
            if db is not None:
                db.close()


def version_callback(context: typer.Context, value: bool) -> None:
    if value and not context.resilient_parsing:
        typer.echo(f"claims {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Record attributed, unconfirmed claims from news reports and publish them with Datasette.

    Example:

      claims init

      claims source add --title "Kim comforts families" --outlet ATS --published 2025-08-30 --language fr

      claims add "Selon Séoul, environ 600 soldats..." --source 1 --by Seoul --not-confirmed-by Pyongyang --figure killed=~600 --create-actors

      claims serve
    """


ReasonOption = Annotated[str, typer.Option(help="Why (required; kept in the actor log).")]


def print_rows(db_path: Path, fetch, format: Format, columns: list[str], *, title: str) -> None:
    """Read rows with `fetch(db)` and print them as a Rich table (of `columns`), JSON or CSV."""
    with database(db_path) as db:
        rows = fetch(db)
    emit(rows, format, columns, title=title)


def emit(rows: list[dict], format: Format, columns: list[str], *, title: str) -> None:
    """Print rows as a Rich table, a JSON list of objects or CSV."""
    if format is Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif format is Format.csv:
        if not rows:
            return
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
    else:
        from .render import print_table

        print_table(rows, columns, title=title)


@contextmanager
def progress_bar(label: str):
    """A progress callback drawing a Rich spinner on a terminal, and nothing when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda count, total: bar.update(task, completed=count, total=total)
