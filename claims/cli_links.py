"""The `claims` commands about reports of the same claim: link, unlink and match. No SQL here either."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from .cli import DEFAULT_DB, ByUserOption, DbOption, app, database
from .completion import complete_status


class Relation(str, Enum):
    same = "same"
    updates = "updates"
    contradicts = "contradicts"


ClaimArgument = Annotated[int, typer.Argument(metavar="ID", help="Claim id.")]
OtherArgument = Annotated[int, typer.Argument(metavar="OTHER", help="The other claim's id.")]


@app.command()
def link(
    claim_id: ClaimArgument,
    other_id: OtherArgument,
    relation: Annotated[
        Relation, typer.Option("--as", help="same: one claim reported again; updates: ID is a newer version of OTHER; "
                               "contradicts: ID cannot be true with OTHER.")
    ],
    reason: Annotated[str, typer.Option(help="Why (required; kept in the link history).")],
    status: Annotated[
        str | None,
        typer.Option(help="With --as same: the claim's status if the two reports' statuses differ.", shell_complete=complete_status),
    ] = None,
    by_user: ByUserOption = None,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Link two reports: the same claim, a newer version of it, or a contradiction. Recorded, never overwritten.

    Reports linked as the same are one claim: one status, counted once. If their statuses differ, the claim takes --status, else the status changed most recently (else the first report's).

    Example: claims link 14 4 --as same --reason "Meridian repeats Seoul's estimate"      claims link 15 4 --as updates --reason "NIS revised the toll to 2,000"
    """
    from .links import PHRASES, link as link_claims

    with database(db_path) as db:
        result = link_claims(db, claim_id, other_id, relation.value, reason=reason, status=status, recorded_by=by_user)
    message = f"Claim {claim_id} {PHRASES[result['relation']][0]} claim {other_id}"
    if result["replaced"]:
        replaced = result["replaced"]
        message += f" (replaces '{replaced['claim_id']} {PHRASES[replaced['relation']][0]} {replaced['other_id']}')"
    typer.echo(message, err=True)
    for change in result["status_changes"]:
        typer.echo(f"Claim {change['claim_id']}: {change['from']} -> {change['to']} (the claim's status)", err=True)


@app.command()
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
    from .links import PHRASES, unlink as unlink_claims

    with database(db_path) as db:
        removed = unlink_claims(db, claim_id, other_id, reason=reason, recorded_by=by_user)
    typer.echo(
        f"Unlinked: claim {removed['claim_id']} {PHRASES[removed['relation']][0]} claim {removed['other_id']} (kept in the history)",
        err=True,
    )
