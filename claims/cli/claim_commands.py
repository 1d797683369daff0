"""Commands on claims: init, add, status, stance, edit, delete, list, show, statuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .. import model
from ..db import DEFAULT_DB
from ..values import parse_figure
from ..vocabulary import ROLE_OPTIONS, STATUSES
from .base import (
    ActorList,
    ByUserOption,
    DateOption,
    DbOption,
    Format,
    FormatOption,
    ShowFormat,
    SourceRef,
    database,
    emit,
    fail,
    party_option,
    print_rows,
)
from .completion import complete_actor, complete_source, complete_status

commands = typer.Typer()


@commands.command()
def init(db_path: DbOption = DEFAULT_DB) -> None:
    """Create the database, or upgrade it to the current schema. Safe to run again.

    Example: claims init --db db/claims.db
    """
    with database(db_path, create=True) as db:
        count = db["claims"].count
    typer.echo(f"Database ready: {db_path} ({count} claims)", err=True)


@commands.command()
def add(
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="The claim as it appears in the source (original language).")
    ],
    source: SourceRef,
    by: Annotated[ActorList | None, party_option("--by", "Actor who asserts the claim")] = None,
    via: Annotated[ActorList | None, party_option("--via", "Actor who relays or reports it")] = None,
    confirmed_by: Annotated[ActorList | None, party_option("--confirmed-by", "Actor who confirms it")] = None,
    denied_by: Annotated[ActorList | None, party_option("--denied-by", "Actor who denies it")] = None,
    not_confirmed_by: Annotated[
        ActorList | None, party_option("--not-confirmed-by", "Actor who has not confirmed it")
    ] = None,
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
        typer.Option(
            metavar="SPEC",
            help="A number in the claim, MEASURE=VALUE [UNIT]: killed=~600, troops_sent=>10000 (repeatable).",
        ),
    ] = None,
    create_actors: Annotated[
        bool, typer.Option(help="Record unknown actors (kind 'other') instead of failing.")
    ] = False,
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
    given = {
        "by": by,
        "via": via,
        "confirmed_by": confirmed_by,
        "denied_by": denied_by,
        "not_confirmed_by": not_confirmed_by,
        "disputed_by": disputed_by,
    }
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
            from ..matching import suggestions_for
            from .links import print_suggestions

            print_suggestions(suggestions_for(db, [claim_id]))


@commands.command()
def status(
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.")],
    new_status: Annotated[
        str,
        typer.Argument(metavar="STATUS", help="New status (see 'claims statuses').", shell_complete=complete_status),
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
        change = model.set_status(
            db, claim_id, new_status, reason=reason, evidence=evidence, on=on, recorded_by=by_user
        )
    typer.echo(f"Claim {claim_id}: {change['from']} -> {change['to']}", err=True)


@commands.command()
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
    reason: Annotated[
        str | None, typer.Option(help="Why this stance is recorded (kept with what it supersedes).")
    ] = None,
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
            db,
            claim_id,
            actor,
            role,
            source=source,
            on=on,
            reason=reason,
            create_actor=create_actors,
            recorded_by=by_user,
        )
    message = f"Claim {claim_id}: {stance['actor']} {stance['role']}"
    if stance["superseded"]:
        message += f" (supersedes {', '.join(stance['superseded'])}, kept in the claim's revisions)"
    typer.echo(message, err=True)


@commands.command()
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
    quote: Annotated[
        bool | None, typer.Option("--quote/--no-quote", help="Whether the text is a direct quote.")
    ] = None,
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
    from ..revisions import UNCHANGED, edit_claim

    given = {
        "text": text,
        "translation": translation,
        "source": source,
        "language": lang,
        "said_on": said_on,
        "notes": notes,
    }
    fields = {name: value for name, value in given.items() if value is not None}
    if figure and clear_figures:
        fail("--figure and --clear-figures cannot be used together")
    figures = [] if clear_figures else [parse_figure(spec) for spec in figure] if figure else UNCHANGED
    with database(db_path) as db:
        revisions = edit_claim(
            db, claim_id, reason=reason, is_quote=quote, figures=figures, recorded_by=by_user, **fields
        )
    typer.echo(f"Claim {claim_id}: {', '.join(r['field'] for r in revisions)} revised", err=True)


@commands.command()
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
    from ..revisions import purge_claim, retract_claim

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


@commands.command("list")
def list_(
    status: Annotated[
        str | None, typer.Option(help="Only claims with this status.", shell_complete=complete_status)
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Only claims asserted by this actor.", shell_complete=complete_actor)
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Only claims from this source (id or URL).", shell_complete=complete_source)
    ] = None,
    search: Annotated[str | None, typer.Option(help="Full-text search, ignoring case and accents.")] = None,
    limit: Annotated[
        int | None,
        typer.Option(min=0, help="At most this many claims (default: 100 in a table, all in JSON or CSV; 0: all)."),
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
        rows = model.list_claims(
            db, status=status, by=by, source=source, search=search, limit=limit + 1 if limit else None
        )
        if limit and len(rows) > limit:
            typer.echo(f"Showing the first {limit} claims; --limit 0 shows all of them.", err=True)
        return rows[:limit] if limit else rows

    print_rows(db_path, matching_claims, format, ["id", "status", "text", "asserted_by", "said_on"], title="Claims")


@commands.command()
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


@commands.command()
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
