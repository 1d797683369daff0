"""The domain, as the CLI, the web plugin and the data-in/out code call it: claims, their parties and history.

Pure functions over a sqlite-utils `Database`. Every write is one transaction:
it lands whole or not at all. Every value is validated before anything is written.
Sources, actors and the vocabulary's checks live in `claims.registry`; they are named here too,
so that a caller finds the whole domain in one place.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from . import counts
from .db import current_user, now, write_transaction
from .errors import AlreadyExists, InvalidValue
from .evidence import text_summary
from .links import claim_links, group_of, reports_of
from .records import ClaimRecord
from .registry import (
    actor_keys,
    actor_kinds,
    add_actor,
    add_source,
    check_kind,
    check_role,
    check_status,
    find_actor_id,
    find_matching_source,
    get_actor,
    get_claim_row,
    get_source,
    given_ref,
    keep_source,
    list_actors,
    list_sources,
    measure_names,
    update_actor,
    vocabulary,
)
from .values import Figure, identity_key, optional_text, parse_date, parse_language, parse_url, require_text
from .vocabulary import DEFAULT_STATUS
from .writing import WRITTEN_TABLES, ClaimWriter, Stance, claim_id_by_key, role_columns, set_reports_status

__all__ = [
    "STANCE_REASON",
    "actor_keys",
    "actor_kinds",
    "add_actor",
    "add_claim",
    "add_source",
    "add_stance",
    "candidate_links",
    "check_kind",
    "check_role",
    "check_status",
    "claim_ids_from",
    "current_user",
    "find_actor_id",
    "find_matching_source",
    "get_actor",
    "get_claim",
    "get_claim_row",
    "get_source",
    "keep_source",
    "list_actors",
    "list_claims",
    "list_sources",
    "measure_names",
    "next_claim_id",
    "now",
    "role_columns",
    "set_reports_status",
    "set_status",
    "update_actor",
    "vocabulary",
]

STANCE_REASON = "Stance recorded with 'claims stance'."


# Vocabulary: the lookup tables created by the migrations are the authority.


# Sources


# Actors


# Claims


def add_claim(
    db: Database,
    text: str,
    *,
    source: str | int,
    parties: Sequence[tuple[str, str]] = (),
    status: str | None = None,
    reason: str | None = None,
    is_quote: bool = False,
    said_on: str | None = None,
    language: str | None = None,
    translation: str | None = None,
    notes: str | None = None,
    figures: Sequence[Figure] = (),
    create_actors: bool = False,
    recorded_by: str | None = None,
) -> int:
    """Record a claim with its parties `(actor, role)`, figures and initial status; return its id.

    A claim whose text is the same as a recorded one of the same source, but for case, spacing, quotation
    marks or final punctuation, is refused as a duplicate of it.
    """
    record = ClaimRecord(
        text=require_text(text, "claim text"),
        source={},
        translation=optional_text(translation, "translation"),
        language=parse_language(language) if optional_text(language) else None,
        quote=bool(is_quote),
        said_on=parse_date(said_on, "date said") if optional_text(said_on) else None,
        notes=optional_text(notes, "notes"),
        status=check_status(db, status or DEFAULT_STATUS),
        reason=optional_text(reason, "reason"),
        figures=list(figures),
    )
    source_row = get_source(db, source)
    roles = [check_role(db, role) for _, role in parties]
    writer = ClaimWriter(db, user=current_user(recorded_by), timestamp=now(), create_actors=create_actors)
    with write_transaction(db):
        existing = claim_id_by_key(db, source_row["id"], identity_key(record.text))
        if existing is not None:
            raise AlreadyExists(_duplicate_message(db, existing, source_row["id"], record.text))
        stances = [Stance(writer.actor(actor)[0], role) for (actor, _), role in zip(parties, roles, strict=False)]
        claim_id = counts.next_ids(db, ["claims"])["claims"]
        rows = writer.new_claim_rows(
            claim_id, record, source_row, list({(s.actor_id, s.role): s for s in stances}.values())
        )
        for table in WRITTEN_TABLES:
            writer.insert(table, rows[table])
    return claim_id


def _duplicate_message(db: Database, claim_id: int, source_id: int, text: str) -> str:
    recorded = db.execute("select text from claims where id = ?", [claim_id]).fetchone()[0]
    how = "" if recorded == text else " (the same text but for case, spacing, quotation marks or final punctuation)"
    return f"this claim is already recorded from source {source_id} as claim {claim_id}{how}"


def set_status(
    db: Database,
    claim_id: int,
    status: str,
    *,
    reason: str,
    evidence: str | None = None,
    on: str | None = None,
    recorded_by: str | None = None,
) -> dict:
    """Change a claim's status, recording why in its history; return the change.

    A report linked as the same claim as others is one claim with them: the status of every report changes.
    """
    status = check_status(db, status)
    reason = require_text(reason, "reason")
    evidence = parse_url(evidence, "evidence URL") if optional_text(evidence) else None
    on = parse_date(on, "date of the change") if optional_text(on) else datetime.date.today().isoformat()
    timestamp, user = now(), current_user(recorded_by)
    with write_transaction(db):
        claim = get_claim_row(db, claim_id)
        if claim["status"] == status:
            raise InvalidValue(f"claim {claim_id} is already {status}")
        changes = set_reports_status(
            db, group_of(db, claim_id), status, reason=reason, user=user, timestamp=timestamp, evidence=evidence, on=on
        )
    return {
        "claim_id": claim_id,
        "from": claim["status"],
        "to": status,
        "reason": reason,
        "evidence": evidence,
        "on": on,
        "by": user,
        "reports": [change["claim_id"] for change in changes],
    }


def add_stance(
    db: Database,
    claim_id: int,
    actor: str,
    role: str,
    *,
    source: str | int | None = None,
    on: str | None = None,
    reason: str | None = None,
    create_actor: bool = False,
    recorded_by: str | None = None,
) -> dict:
    """Record a party's position on an existing claim (e.g. Pyongyang later confirms).

    A new stance (confirms, denies, not-confirmed, disputes) by an actor supersedes the actor's earlier one:
    the claim's columns show the new one, the revision keeps the old. Returns the stance and what it superseded.
    """
    role = check_role(db, role)
    on = parse_date(on, "date of the stance") if optional_text(on) else None
    reason = optional_text(reason, "reason") or STANCE_REASON
    source_id = get_source(db, source)["id"] if given_ref(source) else None
    get_claim_row(db, claim_id)
    writer = ClaimWriter(db, user=current_user(recorded_by), timestamp=now(), create_actors=create_actor)
    with write_transaction(db):
        actor_id, name = writer.actor(actor)
        try:
            superseded = writer.add_stance(claim_id, Stance(actor_id, role, source_id, on), reason)
        except InvalidValue as e:
            raise AlreadyExists(str(e)) from None
    return {"claim_id": claim_id, "actor": name, "role": role, "superseded": [row["role"] for row in superseded]}


def _decode_parties(row: dict, columns: Iterable[str]) -> dict:
    """The claim row with its per-role actor columns as lists and is_quote as a bool."""
    for column in columns:
        row[column] = json.loads(row[column])
    row["is_quote"] = bool(row["is_quote"])
    return row


def list_claims(
    db: Database,
    *,
    status: str | None = None,
    by: str | None = None,
    source: str | int | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Claims matching every given filter (status, asserting actor, source, full-text search), at most `limit`."""
    where, args = [], []
    if optional_text(status):
        where.append("claims.status = ?")
        args.append(check_status(db, status))
    if optional_text(by):
        where.append("claims.id in (select claim_id from attributions where actor_id = ? and role = 'asserts')")
        args.append(get_actor(db, by)["id"])
    if given_ref(source):
        where.append("claims.source_id = ?")
        args.append(get_source(db, source)["id"])
    if optional_text(search):
        query = db.quote_fts(search.strip())
        if not query:
            raise InvalidValue(f"search {search!r} has no words to look for")
        where.append("claims.rowid in (select rowid from claims_fts where claims_fts match ?)")
        args.append(query)
    sql = (
        "select claims.*, sources.title as source from claims join sources on sources.id = claims.source_id"
        + (" where " + " and ".join(where) if where else "")
        + " order by claims.id"
        + (" limit ?" if limit else "")
    )
    if limit:
        args.append(limit)
    columns = list(role_columns(db).values())
    return [_decode_parties(row, columns) for row in db.query(sql, args)]


def get_claim(db: Database, claim_id: int) -> dict:
    """Everything about one claim: source, attributions, figures and status history."""
    claim = _decode_parties(get_claim_row(db, claim_id), role_columns(db).values())
    claim["status_meaning"] = db["statuses"].get(claim["status"])["meaning"]
    claim["source"] = db["sources"].get(claim.pop("source_id"))
    claim["source"]["text"] = text_summary(db, claim["source"]["id"])
    claim["attributions"] = list(
        db.query(
            "select actors.name as actor, attributions.role, actors.kind, "
            "attributions.source_id, attributions.stated_on from attributions "
            "join actors on actors.id = attributions.actor_id where claim_id = ? order by attributions.id",
            [claim_id],
        )
    )
    claim["figures"] = [
        {**row, "text": Figure.from_row(row).describe()}
        for row in db["figures"].rows_where(
            "claim_id = ?", [claim_id], select="measure, qualifier, low, high, unit", order_by="id"
        )
    ]
    claim["history"] = list(
        db.query(
            'select from_status as "from", to_status as "to", reason, evidence_url as evidence, '
            "changed_on as on_date, recorded_at, recorded_by from status_changes where claim_id = ? order by id",
            [claim_id],
        )
    )
    for change in claim["history"]:
        change["on"] = change.pop("on_date")
    claim["revisions"] = [
        row | {"old_value": json.loads(row["old_value"]), "new_value": json.loads(row["new_value"])}
        for row in db["revisions"].rows_where(
            "claim_id = ?",
            [claim_id],
            select="field, old_value, new_value, reason, recorded_by, recorded_at",
            order_by="id",
        )
    ]
    claim["reports"] = reports_of(db, claim_id)
    claim["links"] = claim_links(db, claim_id, [report["claim_id"] for report in claim["reports"]])
    return claim


# Matching


def candidate_links(
    db: Database,
    *,
    claim_id: int | None = None,
    source: str | int | None = None,
    min_score: float,
    limit: int | None = None,
) -> list[tuple]:
    """Candidate links (matching.Candidate) of one claim, of a source's claims, or of every claim against those
    recorded before it; best first, each with the two claims' texts."""
    from .matching import candidate_pairs

    if claim_id is not None:
        get_claim_row(db, claim_id)
        ids, earlier_only = [claim_id], False
    elif given_ref(source):
        source_id = get_source(db, source)["id"]
        ids, earlier_only = (
            (row[0] for row in db.execute("select id from claims where source_id = ? order by id", [source_id])),
            False,
        )
    else:
        ids, earlier_only = (row[0] for row in db.execute("select id from claims order by id")), True
    pairs = candidate_pairs(db, ids, min_score=min_score, limit=limit, earlier_only=earlier_only)
    ids = list({i for pair in pairs for i in (pair.claim_id, pair.other_id)})
    texts = dict(db.execute(f"select id, text from claims where id in ({', '.join('?' for _ in ids)})", ids).fetchall())
    return [(pair, (texts.get(pair.claim_id), texts.get(pair.other_id))) for pair in pairs]


def next_claim_id(db: Database) -> int:
    """The id the next claim recorded will get."""
    return counts.next_ids(db, ["claims"])["claims"]


def claim_ids_from(db: Database, first_id: int) -> list[int]:
    """Ids of the claims recorded since `first_id` (see `counts.next_ids`), e.g. by an import."""
    return [row[0] for row in db.execute("select id from claims where id >= ? order by id", [first_id])]
