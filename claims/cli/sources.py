"""The `claims source` and `claims actor` commands: record, list and mend sources and actors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import model
from ..db import DEFAULT_DB
from ..errors import ClaimsError
from .base import (
    ArchiveOption,
    ByUserOption,
    ClaimsGroup,
    DateOption,
    DbOption,
    Format,
    FormatOption,
    ReasonOption,
    database,
    fail,
    print_rows,
)
from .completion import complete_actor, complete_source

commands = typer.Typer()


source_app = typer.Typer(
    help="Record and list sources (the articles claims appear in).", no_args_is_help=True, cls=ClaimsGroup
)


actor_app = typer.Typer(
    help="Record and list actors (who asserts, relays, confirms or denies).", no_args_is_help=True, cls=ClaimsGroup
)
commands.add_typer(source_app, name="source")
commands.add_typer(actor_app, name="actor")


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
            "--file",
            help="Saved page (.html) or text file of the article: its text is kept as evidence.",
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
    from ..registry import keep_source

    text = read_article_or_fail(file).source_text() if file is not None else None
    with database(db_path) as db:
        outcome = keep_source(db, source, text=text, archive_url=archive_url, reason=reason, recorded_by=by_user)
    said = {
        "stored": "text kept",
        "replaced": "text replaced (the old one is in source_changes)",
        "unchanged": "text already kept",
    }
    parts = [said[outcome["text"]]] if outcome["text"] else []
    if outcome["archive_url"] is not None:
        parts.append("archived copy recorded" if outcome["archive_url"] else "archived copy already recorded")
    typer.echo(f"Source {outcome['source_id']}: {', '.join(parts)}", err=True)


def read_article_or_fail(path: Path):
    """The article in a saved page or text file (`pages.read_article`), its notes on stderr; a one-line error if not."""
    from ..io.pages import read_article

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
        typer.Option(help="government, state-media, intelligence, military, media, person, organisation or other."),
    ],
    country: Annotated[str | None, typer.Option(help="Two-letter ISO country code, e.g. KR.")] = None,
    alias: Annotated[
        list[str] | None, typer.Option(metavar="ALIAS", help="Another spelling or name (repeatable).")
    ] = None,
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
    print_rows(
        db_path, model.list_actors, format, ["id", "name", "kind", "country", "aliases", "claims"], title="Actors"
    )


@actor_app.command("alias")
def actor_alias(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The actor (any of its names).", shell_complete=complete_actor)
    ],
    aliases: Annotated[list[str], typer.Argument(metavar="ALIAS...", help="Other spellings or names.")],
    reason: Annotated[str | None, typer.Option(help="Why (kept in the actor log).")] = None,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Give an actor more names: any of them then finds it, in commands and imports.

    Example: claims actor alias "Ministry of Interior" "Interior Ministry" "ministère de l'Intérieur"
    """
    from ..actors import add_aliases

    with database(db_path) as db:
        actor = add_aliases(db, name, aliases, reason=reason, recorded_by=by_user)
    typer.echo(f"{actor['name']}: {len(aliases)} alias{'es' if len(aliases) != 1 else ''} added", err=True)


@actor_app.command("rename")
def actor_rename(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The actor (any of its names).", shell_complete=complete_actor)
    ],
    new_name: Annotated[str, typer.Argument(metavar="NEW_NAME", help="Its name from now on.")],
    reason: ReasonOption,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Change the name an actor is shown by; the old name stays an alias.

    Example: claims actor rename "Ministry of Interor" "Ministry of Interior" --reason "Typo"
    """
    from ..actors import rename_actor

    with database(db_path) as db:
        names = rename_actor(db, name, new_name, reason=reason, recorded_by=by_user)
    typer.echo(f"Actor {names['old']!r} renamed {names['new']!r} (the old name stays an alias)", err=True)


@actor_app.command("merge")
def actor_merge(
    name: Annotated[
        str, typer.Argument(metavar="A", help="The actor to merge (e.g. a misspelling).", shell_complete=complete_actor)
    ],
    into: Annotated[str, typer.Argument(metavar="B", help="The actor it is one with.", shell_complete=complete_actor)],
    reason: ReasonOption,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Make actor A one with actor B: every attribution of A moves to B, A's names become B's aliases.

    Example: claims actor merge "Ministry of Interor" "Ministry of Interior" --reason "Typo in an import"
    """
    from ..actors import merge_actors

    with database(db_path) as db:
        merged = merge_actors(db, name, into, reason=reason, recorded_by=by_user)
    typer.echo(
        f"Actor {merged['from']!r} merged into {merged['into']!r}: {merged['moved']} attributions moved on "
        f"{merged['claims']} claims"
        + (f", {merged['dropped']} already held by {merged['into']!r}" if merged["dropped"] else ""),
        err=True,
    )


@actor_app.command("delete")
def actor_delete(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The actor (any of its names).", shell_complete=complete_actor)
    ],
    reason: ReasonOption,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Remove an actor no claim names (one with attributions is refused: merge it instead).

    Example: claims actor delete "Ministry of Interor" --reason "Created by mistake"
    """
    from ..actors import delete_actor

    with database(db_path) as db:
        actor = delete_actor(db, name, reason=reason, recorded_by=by_user)
    typer.echo(f"Actor {actor['name']!r} deleted (kept in the actor log)", err=True)
