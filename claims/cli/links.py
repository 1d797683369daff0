"""The `claims` commands about reports of the same claim: link, unlink and match. No SQL here either."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from .. import model
from ..db import DEFAULT_DB
from .base import ByUserOption, DbOption, Format, FormatOption, database, emit
from .completion import complete_source, complete_status

commands = typer.Typer()


class Relation(StrEnum):
    same = "same"
    updates = "updates"
    contradicts = "contradicts"


ClaimArgument = Annotated[int, typer.Argument(metavar="ID", help="Claim id.")]
OtherArgument = Annotated[int, typer.Argument(metavar="OTHER", help="The other claim's id.")]


@commands.command()
def link(
    claim_id: ClaimArgument,
    other_id: OtherArgument,
    relation: Annotated[
        Relation,
        typer.Option(
            "--as",
            help="same: one claim reported again; updates: ID is a newer version of OTHER; "
            "contradicts: ID cannot be true with OTHER.",
        ),
    ],
    reason: Annotated[str, typer.Option(help="Why (required; kept in the link history).")],
    status: Annotated[
        str | None,
        typer.Option(
            help="With --as same: the claim's status if the two reports' statuses differ.",
            shell_complete=complete_status,
        ),
    ] = None,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Link two reports: the same claim, a newer version of it, or a contradiction. Recorded, never overwritten.

    Reports linked as the same are one claim: one status, counted once. If their statuses differ, the claim takes --status, else the status changed most recently (else the first report's).

    Example: claims link 14 4 --as same --reason "Meridian repeats Seoul's estimate"      claims link 15 4 --as updates --reason "NIS revised the toll to 2,000"
    """
    from ..links import PHRASES
    from ..links import link as link_claims

    with database(db_path) as db:
        result = link_claims(db, claim_id, other_id, relation.value, reason=reason, status=status, recorded_by=by_user)
    message = f"Claim {claim_id} {PHRASES[result['relation']][0]} claim {other_id}"
    if result["replaced"]:
        replaced = result["replaced"]
        message += f" (replaces '{replaced['claim_id']} {PHRASES[replaced['relation']][0]} {replaced['other_id']}')"
    typer.echo(message, err=True)
    for change in result["status_changes"]:
        typer.echo(f"Claim {change['claim_id']}: {change['from']} -> {change['to']} (the claim's status)", err=True)


@commands.command()
def unlink(
    claim_id: ClaimArgument,
    other_id: OtherArgument,
    reason: Annotated[str, typer.Option(help="Why (required; the link and its removal stay in the history).")],
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Remove the link between two reports; the removal is recorded and the link kept in the history.

    Example: claims unlink 14 4 --reason "Different estimate: Meridian cites the NIS, not the government"
    """
    from ..links import PHRASES
    from ..links import unlink as unlink_claims

    with database(db_path) as db:
        removed = unlink_claims(db, claim_id, other_id, reason=reason, recorded_by=by_user)
    typer.echo(
        f"Unlinked: claim {removed['claim_id']} {PHRASES[removed['relation']][0]} claim {removed['other_id']} (kept in the history)",
        err=True,
    )


SUGGESTIONS_SHOWN = 20  # new claims whose suggestions `add`, `import` print
MATCHED_ON_IMPORT = 500  # an import of more new claims than this is matched with `claims match --source`


@commands.command("match")
def match(
    claim_id: Annotated[int | None, typer.Option("--claim", help="Only the candidates of this claim.")] = None,
    source: Annotated[
        str | None,
        typer.Option(help="Only the candidates of this source's claims (id or URL).", shell_complete=complete_source),
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option(min=0, max=1, help="Leave out candidates scoring less (default: the suggestion score)."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many pairs, best first.")] = 50,
    format: FormatOption = Format.table,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """List candidate links between reports, best first: which claims repeat, revise or contradict which.

    Scores are 0-1 (higher: more likely). Candidates come from the indexes (words, measures, asserters); pairs
    already linked, or already one claim, are left out. Without --claim or --source, every claim is matched
    against the claims recorded before it. Accept a suggestion with 'claims link'.

    Example: claims match --source 2        claims match --claim 14 --format json        claims match --min-score 0.5 --limit 20
    """
    from ..matching import DEFAULT_MIN_SCORE
    from .base import fail

    if claim_id is not None and source is not None:
        fail("give --claim or --source, not both")
    threshold = DEFAULT_MIN_SCORE if min_score is None else min_score
    with database(db_path) as db:
        pairs = model.candidate_links(db, claim_id=claim_id, source=source, min_score=threshold, limit=limit)
    rows = [{**pair.as_dict(), "text": texts[0], "other_text": texts[1]} for pair, texts in pairs]
    if format is Format.table:
        for row in rows:
            row["reasons"] = "; ".join(row["reasons"])
            row["score"] = f"{row['score']:.2f}"
        if rows:
            typer.echo("Accept one with: claims link CLAIM_ID OTHER_ID --as RELATION --reason '...'", err=True)
    emit(rows, format, ["claim_id", "relation", "other_id", "score", "reasons"], title="Candidate links")


def print_suggestions(suggestions: dict[int, list]) -> None:
    """Tell the user, for each new claim, the recorded claims it most likely repeats, updates or contradicts."""
    from ..matching import suggestion_text

    shown = 0
    for claim_id, candidates in suggestions.items():
        if not candidates:
            continue
        shown += 1
        if shown > SUGGESTIONS_SHOWN:
            typer.echo("  ... more in 'claims match --claim ID' for the other new claims", err=True)
            return
        for candidate in candidates:
            typer.echo(f"  claim {claim_id}: possibly {suggestion_text(candidate, claim_id)}", err=True)
    if shown:
        typer.echo("  link one with: claims link ID OTHER --as same|updates|contradicts --reason '...'", err=True)
