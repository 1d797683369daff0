"""The `claims` command line: parse arguments, call the model, print. No SQL here."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, NoReturn

import typer
from typer._click.exceptions import NoArgsIsHelpError
from typer.core import TyperGroup

from . import __version__, model
from .completion import complete_actor, complete_source, complete_status
from .db import DEFAULT_DB, ENV_VAR, open_db
from .errors import ClaimsError
from .migrations import ROLE_OPTIONS, STATUSES
from .records import InvalidRecords, surrogate_at
from .values import parse_figure


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
        except NoArgsIsHelpError as e:  # `claims` or `claims source` alone: the help, as with --help
            if e.format_message():
                typer.echo(e.format_message())
            sys.exit(0)
        except typer.TyperException as e:
            context = getattr(e, "ctx", None)
            hint = f" (see '{context.command_path} --help')" if context else ""
            typer.echo(f"Error: {e.format_message()}{hint}", err=True)
            sys.exit(e.exit_code)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


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
source_app = typer.Typer(help="Record and list sources (the articles claims appear in).", no_args_is_help=True)
actor_app = typer.Typer(help="Record and list actors (who asserts, relays, confirms or denies).", no_args_is_help=True)
app.add_typer(source_app, name="source")
app.add_typer(actor_app, name="actor")


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ShowFormat(str, Enum):
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
def database(path: Path, *, create: bool = False) -> Iterator:
    """Open the database for one command; turn known errors into a one-line message."""
    db = None
    try:
        db = open_db(path, create=create)
        yield db
    except InvalidRecords as e:
        for problem in e.problems:
            typer.echo(f"  {problem}", err=True)
        fail(str(e))
    except ClaimsError as e:
        fail(str(e))
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


@app.command()
def init(db_path: DbOption = DEFAULT_DB) -> None:
    """Create the database, or upgrade it to the current schema. Safe to run again.

    Example: claims init --db db/claims.db
    """
    with database(db_path, create=True) as db:
        count = db["claims"].count
    typer.echo(f"Database ready: {db_path} ({count} claims)", err=True)


@source_app.command("add")
def source_add(
    title: Annotated[str | None, typer.Option(help="Headline or title of the source (default: the file's).")] = None,
    url: Annotated[
        str | None, typer.Option(help="Link to it (http or https); unique (default: the page's canonical URL).")
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Publisher, e.g. ATS, Reuters (default: the file's).")] = None,
    published: DateOption = None,
    language: Annotated[str | None, typer.Option(help="Language code, e.g. fr, en (default: the file's).")] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="Saved page (.html) or text file of the article: its text is kept as evidence.",
            dir_okay=False,
        ),
    ] = None,
    archive_url: ArchiveOption = None,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Record a source and print its id; with --file, read it from a saved page or text file and keep its text.

    The page's title, site name, publication date, language and canonical URL are the source's unless given.

    Example: claims source add --title "Kim comforts families" --outlet ATS --published 2025-08-30 --language fr
             claims source add --file saved/page.html --archive-url https://perma.cc/AB12-CD34
    """
    given = {"title": title, "url": url, "outlet": outlet, "published": published, "language": language}
    text = None
    if file is not None:
        article = read_article_or_fail(file)
        given = {name: value if value is not None else article.source_fields()[name] for name, value in given.items()}
        text = article.source_text()
    if given["title"] is None:
        hint = f" ({file} has none)" if file else ", or --file to read it from a page"
        fail(f"a source needs a title: give --title{hint}")
    with database(db_path) as db:
        source_id = model.add_source(db, **given, archive_url=archive_url, text=text, recorded_by=by_user)
    typer.echo(source_id)


@source_app.command("keep")
def source_keep(
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="Source id or URL.", shell_complete=complete_source)],
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="Saved page (.html) or text file of the article, to keep as its text.", dir_okay=False
        ),
    ] = None,
    archive_url: ArchiveOption = None,
    reason: Annotated[
        str | None, typer.Option(help="Why a different text or archived copy replaces the one kept.")
    ] = None,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Keep a recorded source's full text (from a saved page or text file) and/or its archived copy, as evidence.

    Claims of the source get the span of their text in it. A different text or archived copy than the one kept
    replaces it only with --reason; the one it replaces stays in the source_changes log.

    Example: claims source keep 3 --file saved/page.html --archive-url https://perma.cc/AB12-CD34
             claims source keep 3 --file corrected.html --reason "The outlet corrected the toll"
    """
    from .evidence import keep_source

    text = read_article_or_fail(file).source_text() if file is not None else None
    with database(db_path) as db:
        outcome = keep_source(db, source, text=text, archive_url=archive_url, reason=reason, recorded_by=by_user)
    said = {"stored": "text kept", "replaced": "text replaced (the old one is in source_changes)",
            "unchanged": "text already kept"}  # fmt: skip
    parts = [said[outcome["text"]]] if outcome["text"] else []
    if outcome["archive_url"] is not None:
        parts.append("archived copy recorded" if outcome["archive_url"] else "archived copy already recorded")
    typer.echo(f"Source {outcome['source_id']}: {', '.join(parts)}", err=True)


def read_article_or_fail(path: Path):
    """The article in a saved page or text file (`pages.read_article`), its notes on stderr; a one-line error if not."""
    from .pages import read_article

    try:
        article = read_article(path)
    except ClaimsError as e:
        fail(str(e))
    for note in article.notes:
        typer.echo(f"  note: {note}", err=True)
    return article


@source_app.command("list")
def source_list(format: FormatOption = Format.table, db_path: DbOption = DEFAULT_DB) -> None:
    """List sources with how many claims each holds.

    Example: claims source list --format json
    """
    columns = ["id", "title", "outlet", "published", "language", "url", "claims", "text_characters"]
    print_rows(db_path, model.list_sources, format, columns, title="Sources")


@actor_app.command("add")
def actor_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Name used in the UI, e.g. Seoul.")],
    kind: Annotated[
        str,
        typer.Option(
            help="government, state-media, intelligence, military, media, person, organisation or other."
        ),
    ],
    country: Annotated[str | None, typer.Option(help="Two-letter ISO country code, e.g. KR.")] = None,
    alias: Annotated[list[str] | None, typer.Option(metavar="ALIAS", help="Another spelling or name (repeatable).")] = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Record an actor and print its id. Names match ignoring case and accents.

    Example: claims actor add Seoul --kind government --country KR --alias Séoul --alias "South Korea"
    """
    with database(db_path) as db:
        actor_id = model.add_actor(db, name, kind=kind, country=country, aliases=alias or [])
    typer.echo(actor_id)


@actor_app.command("list")
def actor_list(format: FormatOption = Format.table, db_path: DbOption = DEFAULT_DB) -> None:
    """List actors with their aliases and how many claims they are party to.

    Example: claims actor list --format csv
    """
    print_rows(db_path, model.list_actors, format, ["id", "name", "kind", "country", "aliases", "claims"], title="Actors")


ReasonOption = Annotated[str, typer.Option(help="Why (required; kept in the actor log).")]


@actor_app.command("alias")
def actor_alias(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The actor (any of its names).", shell_complete=complete_actor)],
    aliases: Annotated[list[str], typer.Argument(metavar="ALIAS...", help="Other spellings or names.")],
    reason: Annotated[str | None, typer.Option(help="Why (kept in the actor log).")] = None,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Give an actor more names: any of them then finds it, in commands and imports.

    Example: claims actor alias "Ministry of Interior" "Interior Ministry" "ministère de l'Intérieur"
    """
    from .actors import add_aliases

    with database(db_path) as db:
        actor = add_aliases(db, name, aliases, reason=reason, recorded_by=by_user)
    typer.echo(f"{actor['name']}: {len(aliases)} alias{'es' if len(aliases) != 1 else ''} added", err=True)


@actor_app.command("rename")
def actor_rename(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The actor (any of its names).", shell_complete=complete_actor)],
    new_name: Annotated[str, typer.Argument(metavar="NEW_NAME", help="Its name from now on.")],
    reason: ReasonOption,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Change the name an actor is shown by; the old name stays an alias.

    Example: claims actor rename "Ministry of Interor" "Ministry of Interior" --reason "Typo"
    """
    from .actors import rename_actor

    with database(db_path) as db:
        names = rename_actor(db, name, new_name, reason=reason, recorded_by=by_user)
    typer.echo(f"Actor {names['old']!r} renamed {names['new']!r} (the old name stays an alias)", err=True)


@actor_app.command("merge")
def actor_merge(
    name: Annotated[str, typer.Argument(metavar="A", help="The actor to merge (e.g. a misspelling).", shell_complete=complete_actor)],
    into: Annotated[str, typer.Argument(metavar="B", help="The actor it is one with.", shell_complete=complete_actor)],
    reason: ReasonOption,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Make actor A one with actor B: every attribution of A moves to B, A's names become B's aliases.

    Example: claims actor merge "Ministry of Interor" "Ministry of Interior" --reason "Typo in an import"
    """
    from .actors import merge_actors

    with database(db_path) as db:
        merged = merge_actors(db, name, into, reason=reason, recorded_by=by_user)
    typer.echo(
        f"Actor {merged['from']!r} merged into {merged['into']!r}: {merged['moved']} attributions moved on "
        f"{merged['claims']} claims" + (f", {merged['dropped']} already held by {merged['into']!r}" if merged["dropped"] else ""),
        err=True,
    )


@actor_app.command("delete")
def actor_delete(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The actor (any of its names).", shell_complete=complete_actor)],
    reason: ReasonOption,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Remove an actor no claim names (one with attributions is refused: merge it instead).

    Example: claims actor delete "Ministry of Interor" --reason "Created by mistake"
    """
    from .actors import delete_actor

    with database(db_path) as db:
        actor = delete_actor(db, name, reason=reason, recorded_by=by_user)
    typer.echo(f"Actor {actor['name']!r} deleted (kept in the actor log)", err=True)


@app.command()
def add(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The claim as it appears in the source (original language).")],
    source: SourceRef,
    by: Annotated[ActorList | None, party_option("--by", "Actor who asserts the claim")] = None,
    via: Annotated[ActorList | None, party_option("--via", "Actor who relays or reports it")] = None,
    confirmed_by: Annotated[ActorList | None, party_option("--confirmed-by", "Actor who confirms it")] = None,
    denied_by: Annotated[ActorList | None, party_option("--denied-by", "Actor who denies it")] = None,
    not_confirmed_by: Annotated[ActorList | None, party_option("--not-confirmed-by", "Actor who has not confirmed it")] = None,
    disputed_by: Annotated[ActorList | None, party_option("--disputed-by", "Actor who disputes it")] = None,
    status: Annotated[
        str, typer.Option(help="Initial status (see 'claims statuses').", shell_complete=complete_status)
    ] = model.DEFAULT_STATUS,
    reason: Annotated[str | None, typer.Option(help="Why it has this initial status.")] = None,
    quote: Annotated[bool, typer.Option("--quote", help="The text is a direct quote.")] = False,
    said_on: DateOption = None,
    lang: Annotated[str | None, typer.Option(help="Language of the text (default: the source's).")] = None,
    translation: Annotated[str | None, typer.Option(help="Translation of the text.")] = None,
    notes: Annotated[str | None, typer.Option(help="Context for colleagues.")] = None,
    figure: Annotated[
        list[str] | None,
        typer.Option(metavar="SPEC", help="A number in the claim, MEASURE=VALUE [UNIT]: killed=~600, troops_sent=>10000 (repeatable)."),
    ] = None,
    create_actors: Annotated[bool, typer.Option(help="Record unknown actors (kind 'other') instead of failing.")] = False,
    match: Annotated[
        bool, typer.Option(help="Tell which recorded claims it most likely repeats, updates or contradicts.")
    ] = True,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Record a claim with who asserts, relays, confirms or denies it; print its id, and the recorded claims it most likely repeats, updates or contradicts.

    Figures: ~N about, >N more than, >=N at least, <N less than, <=N up to, N-M range.

    Example: claims add "Selon Séoul, environ 600 soldats nord-coréens ont été tués" --source 1 --by Seoul --via ATS --not-confirmed-by Pyongyang --figure "killed=~600 soldiers" --said-on 2025-08-30
    """
    given = {"by": by, "via": via, "confirmed_by": confirmed_by, "denied_by": denied_by,
             "not_confirmed_by": not_confirmed_by, "disputed_by": disputed_by}
    parties = [(actor, ROLE_OPTIONS[option]) for option, actors in given.items() for actor in actors or []]
    with database(db_path) as db:
        claim_id = model.add_claim(
            db,
            text,
            source=source,
            parties=parties,
            status=status,
            reason=reason,
            is_quote=quote,
            said_on=said_on,
            language=lang,
            translation=translation,
            notes=notes,
            figures=[parse_figure(spec) for spec in figure or []],
            create_actors=create_actors,
            recorded_by=by_user,
        )
        typer.echo(claim_id)
        if match:
            from .cli_links import print_suggestions
            from .matching import suggestions_for

            print_suggestions(suggestions_for(db, [claim_id]))


@app.command()
def status(
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.")],
    new_status: Annotated[
        str, typer.Argument(metavar="STATUS", help="New status (see 'claims statuses').", shell_complete=complete_status)
    ],
    reason: Annotated[str, typer.Option(help="Why the status changes (required).")],
    evidence: Annotated[str | None, typer.Option(help="URL of the evidence.")] = None,
    on: DateOption = None,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Change a claim's status; the change and its reason go into the claim's history.

    Example: claims status 4 confirmed --reason "Pyongyang acknowledged the losses" --evidence https://example.org/kcna --on 2025-09-02
    """
    with database(db_path) as db:
        change = model.set_status(db, claim_id, new_status, reason=reason, evidence=evidence, on=on, recorded_by=by_user)
    typer.echo(f"Claim {claim_id}: {change['from']} -> {change['to']}", err=True)


@app.command()
def stance(
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.")],
    actor: Annotated[str, typer.Argument(help="Actor name or alias.", shell_complete=complete_actor)],
    role: Annotated[
        str,
        typer.Argument(
            help="asserts, relays, confirms, denies, not-confirmed or disputes (or the option's name: confirmed-by...)."
        ),
    ],
    source: Annotated[
        str | None, typer.Option(help="Source id or URL where this stance appears.", shell_complete=complete_source)
    ] = None,
    on: DateOption = None,
    reason: Annotated[str | None, typer.Option(help="Why this stance is recorded (kept with what it supersedes).")] = None,
    create_actors: Annotated[bool, typer.Option(help="Record the actor (kind 'other') if unknown.")] = False,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Add a party's position to an existing claim, e.g. Pyongyang later confirms.

    A new stance (confirms, denies, not-confirmed, disputes) supersedes the actor's earlier one; the
    earlier one is kept in the claim's revisions.

    Example: claims stance 4 Pyongyang confirms --source https://example.org/kcna --on 2025-09-02 --reason "KCNA statement"
    """
    with database(db_path) as db:
        stance = model.add_stance(
            db, claim_id, actor, role, source=source, on=on, reason=reason, create_actor=create_actors, recorded_by=by_user
        )
    message = f"Claim {claim_id}: {stance['actor']} {stance['role']}"
    if stance["superseded"]:
        message += f" (supersedes {', '.join(stance['superseded'])}, kept in the claim's revisions)"
    typer.echo(message, err=True)


@app.command()
def edit(
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.")],
    reason: Annotated[str, typer.Option(help="Why the claim is edited (required; kept with the revision).")],
    text: Annotated[str | None, typer.Option(help="Corrected text.")] = None,
    translation: Annotated[str | None, typer.Option(help="New translation ('' clears it).")] = None,
    source: Annotated[
        str | None, typer.Option(help="Move to another source (id or URL).", shell_complete=complete_source)
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Language of the text ('' clears it).")] = None,
    said_on: DateOption = None,
    notes: Annotated[str | None, typer.Option(help="New notes ('' clears them).")] = None,
    quote: Annotated[bool | None, typer.Option("--quote/--no-quote", help="Whether the text is a direct quote.")] = None,
    figure: Annotated[
        list[str] | None, typer.Option(metavar="SPEC", help="Replace the figures with these (repeatable).")
    ] = None,
    clear_figures: Annotated[bool, typer.Option(help="Remove every figure.")] = False,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Correct a claim's text, translation, source, language, date, notes or figures; the old values are kept.

    Example: claims edit 4 --translation "According to Seoul, about 600..." --reason "Translation fixed"
    """
    from .revisions import UNCHANGED, edit_claim

    given = {"text": text, "translation": translation, "source": source, "language": lang, "said_on": said_on, "notes": notes}
    fields = {name: value for name, value in given.items() if value is not None}
    if figure and clear_figures:
        fail("--figure and --clear-figures cannot be used together")
    figures = [] if clear_figures else [parse_figure(spec) for spec in figure] if figure else UNCHANGED
    with database(db_path) as db:
        revisions = edit_claim(
            db, claim_id, reason=reason, is_quote=quote, figures=figures, recorded_by=by_user, **fields
        )
    typer.echo(f"Claim {claim_id}: {', '.join(r['field'] for r in revisions)} revised", err=True)


@app.command()
def delete(
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.")],
    reason: Annotated[str, typer.Option(help="Why (required; recorded in the history or the purge log).")],
    purge: Annotated[
        bool, typer.Option(help="Remove the claim's rows for good, after logging a full snapshot of it.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation before purging.")] = False,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Retract a claim (status 'retracted': its asserter withdrew it); nothing is removed unless --purge is given.

    A claim recorded twice by mistake is not retracted: purge the copy (a snapshot is kept in the purge log).

    Example: claims delete 7 --reason "Seoul withdrew the estimate"        claims delete 7 --purge --reason "Duplicate of claim 3"
    """
    from .revisions import purge_claim, retract_claim

    with database(db_path) as db:
        if not purge:
            retract_claim(db, claim_id, reason=reason, recorded_by=by_user)
            typer.echo(f"Claim {claim_id} retracted (its rows are kept; --purge removes them)", err=True)
            return
        model.get_claim(db, claim_id)
        if not yes and not typer.confirm(f"Remove claim {claim_id} and its whole history for good?", err=True):
            fail("not purged")
        purge_claim(db, claim_id, reason=reason, recorded_by=by_user)
    typer.echo(f"Claim {claim_id} purged; a snapshot is kept in the purges table", err=True)


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option(help="Only claims with this status.", shell_complete=complete_status)] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Only claims asserted by this actor.", shell_complete=complete_actor)
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Only claims from this source (id or URL).", shell_complete=complete_source)
    ] = None,
    search: Annotated[str | None, typer.Option(help="Full-text search, ignoring case and accents.")] = None,
    limit: Annotated[
        int | None, typer.Option(min=0, help="At most this many claims (default: 100 in a table, all in JSON or CSV; 0: all).")
    ] = None,
    format: FormatOption = Format.table,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """List claims, filtered by status, asserting actor, source or words.

    Example: claims list --by Seoul --status unconfirmed --search soldats --format json
    """
    if limit is None and format is Format.table:
        limit = TABLE_LIMIT

    def matching_claims(db):
        rows = model.list_claims(db, status=status, by=by, source=source, search=search, limit=limit + 1 if limit else None)
        if limit and len(rows) > limit:
            typer.echo(f"Showing the first {limit} claims; --limit 0 shows all of them.", err=True)
        return rows[:limit] if limit else rows

    print_rows(db_path, matching_claims, format, ["id", "status", "text", "asserted_by", "said_on"], title="Claims")


@app.command()
def show(
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.")],
    format: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.text,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Show one claim: text, parties, figures, source and status history.

    Example: claims show 4 --format json
    """
    with database(db_path) as db:
        claim = model.get_claim(db, claim_id)
    if format is ShowFormat.json:
        typer.echo(json.dumps(claim, ensure_ascii=False, indent=2))
    else:
        from .render import print_claim

        print_claim(claim)


@app.command()
def statuses(
    format: FormatOption = Format.table,
    db_path: Annotated[
        Path, typer.Option("--db", help="Not needed: every claims database has these statuses.")
    ] = DEFAULT_DB,
) -> None:
    """List the allowed statuses and what each means; needs no database.

    Example: claims statuses
    """
    rows = [{"name": name, "meaning": meaning, "rank": rank} for rank, (name, meaning) in enumerate(STATUSES)]
    emit(rows, format, ["name", "meaning"], title="Statuses")


TABLE_LIMIT = 100

HostOption = Annotated[str, typer.Option(help="Interface to bind; other than localhost needs --public.")]
PortOption = Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)]
PublicOption = Annotated[bool, typer.Option(help="Allow binding to an address other machines can reach.")]
RobotsOption = Annotated[bool, typer.Option(help="Let search engines index the pages (robots.txt allows them).")]


@app.command()
def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8001,
    public: PublicOption = False,
    allow_robots: RobotsOption = False,
    immutable: Annotated[
        bool,
        typer.Option(help="For a published copy nothing writes to: no locking, table counts taken once at start."),
    ] = False,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Browse the database in Datasette, read-only, on http://127.0.0.1:8001 by default.

    Example: claims serve --port 8002
    """
    _serve(db_path, host, port, public, allow_robots, immutable)


@app.command()
def demo(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8001,
    public: PublicOption = False,
    allow_robots: RobotsOption = False,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Create the database, load the bundled example (once) and serve it. What 'make demo' runs.

    Example: claims demo --port 8002
    """
    from .bundle import load_example

    with database(db_path, create=True) as db:
        summary = load_example(db)
        total = db["claims"].count
    typer.echo(f"Example loaded into {db_path}: {summary.describe()} ({total} claims in all)", err=True)
    _serve(db_path, host, port, public, allow_robots)


def _serve(db_path: Path, host: str, port: int, public: bool, allow_robots: bool = False, immutable: bool = False) -> None:
    from .server import check_host, check_port, serve

    with database(db_path):
        check_host(host, public)
        check_port(host, port)
    display_host = f"[{host}]" if ":" in host else host
    url = f"http://{display_host}:{port}/"
    typer.echo(f"Serving {db_path} read-only at {url}  (Ctrl+C to stop)")
    typer.echo(f"Claims: {url}claims/claims   Dashboard: {url}-/dashboards/claims-overview")
    serve(db_path, host=host, port=port, allow_robots=allow_robots, immutable=immutable)


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


# The commands that move data in and out, and keep it sound, live in their own module.
from . import cli_data, cli_links, cli_repo  # noqa: E402,F401
