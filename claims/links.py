"""Links between reports of claims: the same claim reported again, a newer version of it, a contradiction.

Links are history, like status changes: `claim_links` is append-only, each row a link or its removal with who,
when and why, and the current links are the latest row of each pair (view `current_links`). A pair of reports has
at most one current link. Reports linked as `same`, directly or through others, are one claim: they share a
`group_id` (the id of its first report), one status (a change on one report is the claim's) and count once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from . import registry
from .db import current_user, now, write_transaction
from .errors import AlreadyExists, InvalidValue, NotFound
from .values import optional_text, parse_relation, require_text
from .writing import set_reports_status

SAME = "same"
# How a link reads from each end: (from the claim that holds it, from the other claim).
PHRASES = {
    "same": ("same as", "same as"),
    "updates": ("updates", "updated by"),
    "contradicts": ("contradicts", "contradicted by"),
}
# When a report appeared: its source's publication date, else when the claim was said.
APPEARED = "coalesce(sources.published, claims.dated)"
LINK_ROW = ("claim_id", "other_id", "relation", "action", "reason", "recorded_by", "recorded_at")


@dataclass(frozen=True)
class Link:
    """A current link: `claim_id` RELATION `other_id` (e.g. 12 updates 4)."""

    claim_id: int
    other_id: int
    relation: str
    reason: str


def current_link(db: Database, claim_id: int, other_id: int) -> Link | None:
    """The current link between two reports, in whichever direction it was made, or None."""
    row = db.execute(
        "select claim_id, other_id, relation, reason from current_links "
        "where (claim_id = ? and other_id = ?) or (claim_id = ? and other_id = ?)",
        [claim_id, other_id, other_id, claim_id],
    ).fetchone()
    return Link(*row) if row else None


def links_of(db: Database, claim_id: int) -> list[Link]:
    """Every current link that starts or ends at this report, oldest first."""
    return [
        Link(*row)
        for row in db.execute(
            "select claim_id, other_id, relation, reason from current_links where claim_id = ? "
            "union all select claim_id, other_id, relation, reason from current_links where other_id = ? order by 1, 2",
            [claim_id, claim_id],
        )
    ]


def group_of(db: Database, claim_id: int) -> list[int]:
    """Ids of the reports of this report's claim (itself included), in id order."""
    row = db.execute("select group_id from claims where id = ?", [claim_id]).fetchone()
    if row is None:
        raise NotFound(f"no claim with id {claim_id}")
    return [r[0] for r in db.execute("select id from claims where group_id = ? order by id", [row[0]])]


def _component(db: Database, start: int) -> set[int]:
    """Every report joined to `start` by current `same` links."""
    seen, todo = {start}, [start]
    while todo:
        claim_id = todo.pop()
        for (other,) in db.execute(
            "select other_id from current_links where claim_id = ? and relation = 'same' "
            "union select claim_id from current_links where other_id = ? and relation = 'same'",
            [claim_id, claim_id],
        ):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def regroup(db: Database, claim_ids: Iterable[int]) -> None:
    """Set `group_id` of these reports and of every report `same`-linked to them to the first report of each claim."""
    done: set[int] = set()
    for claim_id in claim_ids:
        if claim_id in done:
            continue
        members = _component(db, claim_id)
        done |= members
        lead = min(members)
        db.conn.executemany(
            "update claims set group_id = ? where id = ? and group_id is not ?", [(lead, m, lead) for m in members]
        )


def _append_link(db: Database, row: tuple) -> None:
    db.execute(f"insert into claim_links ({', '.join(LINK_ROW)}) values ({', '.join('?' for _ in LINK_ROW)})", row)


def _latest_rated(db: Database, members: list[int]) -> tuple[str, str | None]:
    """The status of a group and when it was last changed by a status change (None if never changed)."""
    placeholders = ", ".join("?" for _ in members)
    row = db.execute(
        f"select to_status, recorded_at from status_changes where claim_id in ({placeholders}) and from_status is not null "
        "order by recorded_at desc, id desc limit 1",
        members,
    ).fetchone()
    if row:
        return row[0], row[1]
    return db.execute("select status from claims where id = ?", [min(members)]).fetchone()[0], None


def link(
    db: Database,
    claim_id: int,
    other_id: int,
    relation: str,
    *,
    reason: str,
    status: str | None = None,
    recorded_by: str | None = None,
) -> dict:
    """Record that report `claim_id` RELATION report `other_id` (12 updates 4: 12 is the newer version).

    A current link between the two in either direction is replaced (and the replacement recorded). Linking two
    reports as `same` makes them one claim: if their statuses differ, the claim takes `status` if given, else the
    status most recently changed (else the first report's), and each report whose status changes records why.
    Returns the link, what it replaced and the status changes it made.
    """
    relation = parse_relation(relation)
    reason = require_text(reason, "reason")
    if claim_id == other_id:
        raise InvalidValue(f"claim {claim_id} cannot be linked to itself")
    user, timestamp = current_user(recorded_by), now()
    if optional_text(status):
        status = registry.check_status(db, status)
    with write_transaction(db):
        for cid in (claim_id, other_id):
            registry.get_claim_row(db, cid)
        existing = current_link(db, claim_id, other_id)
        if existing and existing.relation == relation and (relation == SAME or existing.claim_id == claim_id):
            raise AlreadyExists(f"claim {claim_id} is already linked to claim {other_id} as {relation}")
        if existing:
            _append_link(
                db,
                (
                    existing.claim_id,
                    existing.other_id,
                    existing.relation,
                    "unlink",
                    f"Replaced by '{claim_id} {relation} {other_id}': {reason}",
                    user,
                    timestamp,
                ),
            )
        _append_link(db, (claim_id, other_id, relation, "link", reason, user, timestamp))
        changes = _unify_status(db, claim_id, other_id, status, reason, user, timestamp) if relation == SAME else []
        if relation == SAME or (existing and existing.relation == SAME):
            regroup(db, [claim_id, other_id])
    replaced = (
        {"claim_id": existing.claim_id, "other_id": existing.other_id, "relation": existing.relation}
        if existing
        else None
    )
    return {
        "claim_id": claim_id,
        "other_id": other_id,
        "relation": relation,
        "replaced": replaced,
        "status_changes": changes,
    }


def _unify_status(db, claim_id, other_id, status, reason, user, timestamp) -> list[dict]:
    """Give the reports of two claims about to be one the claim's status; return the changes made."""
    groups = [group_of(db, claim_id), group_of(db, other_id)]
    if groups[0] == groups[1]:
        return []
    rated = [_latest_rated(db, members) for members in groups]
    if status is None:
        changed = [(when, group_status) for group_status, when in rated if when]
        status = max(changed)[1] if changed else rated[0 if groups[0][0] < groups[1][0] else 1][0]
    why = f"Linked as the same claim as claim {other_id} (status {status}): {reason}"
    return set_reports_status(db, groups[0] + groups[1], status, reason=why, user=user, timestamp=timestamp)


def unlink(db: Database, claim_id: int, other_id: int, *, reason: str, recorded_by: str | None = None) -> dict:
    """Remove the current link between two reports; the removal is recorded, the link stays in the history."""
    reason = require_text(reason, "reason")
    user, timestamp = current_user(recorded_by), now()
    with write_transaction(db):
        for cid in (claim_id, other_id):
            registry.get_claim_row(db, cid)
        existing = current_link(db, claim_id, other_id)
        if existing is None:
            raise NotFound(f"claims {claim_id} and {other_id} are not linked")
        _append_link(db, (existing.claim_id, existing.other_id, existing.relation, "unlink", reason, user, timestamp))
        if existing.relation == SAME:
            regroup(db, [claim_id, other_id])
    return {"claim_id": existing.claim_id, "other_id": existing.other_id, "relation": existing.relation}


def describe(link: Link, seen_from: int) -> dict:
    """A link as `claims show` lists it: the other report, the relation, which way it points, and why."""
    outgoing = link.claim_id == seen_from
    return {
        "claim_id": link.other_id if outgoing else link.claim_id,
        "relation": link.relation,
        "direction": "outgoing" if outgoing else "incoming",
        "phrase": PHRASES[link.relation][0 if outgoing else 1],
        "reason": link.reason,
    }


def claim_links(db: Database, claim_id: int, reports: list[int]) -> list[dict]:
    """The links of a claim: those of each of its reports (`describe`d from that report's end, with `report_id`),
    but for the `same` links between its other reports (listed as reports). This report's own links come first."""
    members = set(reports) | {claim_id}
    found, seen = [], set()
    for report_id in [claim_id, *(r for r in reports if r != claim_id)]:
        for link in links_of(db, report_id):
            key = (link.claim_id, link.other_id)
            joins_others = {link.claim_id, link.other_id} <= members and claim_id not in key
            if key in seen or (link.relation == SAME and joins_others):
                continue
            seen.add(key)
            found.append(describe(link, report_id) | {"report_id": report_id})
    return found


def reports_of(db: Database, claim_id: int) -> list[dict]:
    """The reports of this report's claim, first appearance first: claim id, source, outlet, url, publication date,
    `date` (when it appeared: published, else said), when it was said, language and wording."""
    row = db.execute("select group_id from claims where id = ?", [claim_id]).fetchone()
    return list(
        db.query(
            "select claims.id as claim_id, claims.source_id, sources.title as source, sources.outlet, sources.url, "
            f"sources.published, {APPEARED} as date, claims.said_on, claims.language, claims.text, claims.translation "
            "from claims join sources on sources.id = claims.source_id where claims.group_id = ? "
            f"order by {APPEARED} is null, {APPEARED}, claims.id",
            [row[0]],
        )
    )
