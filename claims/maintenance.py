"""Checking, repairing and backing up a claims database."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from . import counts
from .db import now, write_transaction
from .errors import ClaimsError
from .evidence import altered_texts, find_span, stale_spans
from .schema import (
    CLAIM_DATE,
    FTS_COLUMNS,
    FTS_TOKENIZE,
    FTS_TRIGGERS,
    expected_triggers,
    index_only_changed_text,
)
from .values import identity_key
from .writing import role_columns

REPAIRED_HISTORY_REASON = "History started by 'claims check --repair': the claim had none."


def check(db: Database) -> list[str]:
    """Every problem found: SQLite integrity, foreign keys, full-text index, derived columns, statuses, counts,
    source texts changed since they were stored and claim spans that no longer match them."""
    problems = [f"integrity: {row[0]}" for row in db.execute("pragma integrity_check") if row[0] != "ok"]
    problems += [
        f"foreign key: {table} row {rowid} points to a missing {parent} row"
        for table, rowid, parent, _ in db.execute("pragma foreign_key_check")
    ]
    problems += [f"trigger {name} is missing" for name in _missing_triggers(db)]
    if not _fts_in_sync(db):
        problems.append("full-text index: out of sync with the claims table")
    problems += [
        f"claim {claim_id}: {column} says {recorded} but its attributions say {expected}"
        for claim_id, column, recorded, expected in _party_mismatches(db)
    ]
    problems += [
        f"claim {claim_id}: status is {status!r} but its history ends with {last!r}"
        for claim_id, status, last in _status_mismatches(db)
    ]
    problems += [f"claim {claim_id}: no status history" for claim_id, _ in _without_history(db)]
    problems += [
        f"claim {claim_id}: dated says {recorded!r} but its date said and its source's say {expected!r}"
        for claim_id, recorded, expected in _misdated(db)
    ]
    problems += [f"{table}: counts differ from the recorded claims" for table in counts.stale(db)]
    problems += [f"claim {claim_id}: text_key is not the identity key of its text" for claim_id in _miskeyed(db)]
    problems += [
        f"claims {', '.join(map(str, ids))} of source {source_id} have the same text but for case, spacing, quotation "
        "marks or final punctuation: keep one ('claims delete ID --purge --reason ...')"
        for source_id, ids in _same_text(db)
    ]
    problems += [
        f"source {source_id}: its stored text no longer matches its SHA-256 (recorded {recorded[:12]}..., now "
        f"{now_digest[:12]}...): it was changed outside claims, which --repair does not undo"
        for source_id, recorded, now_digest in altered_texts(db)
    ]
    problems += [_span_problem(*row) for row in stale_spans(db)]
    return problems


def _span_problem(claim_id: int, source_id: int, start, end, what: str) -> str:
    if what == "missing":
        return f"claim {claim_id}: its text is in source {source_id}'s stored text but it records no span"
    if what == "no text":
        return f"claim {claim_id}: records a span ({start}-{end}) but source {source_id} keeps no text"
    return f"claim {claim_id}: its span ({start}-{end}) no longer matches source {source_id}'s stored text"


def repair(db: Database) -> list[str]:
    """Rebuild what is derived (full-text index, actor columns, current status, counts, claim spans); return what was
    fixed. A source text changed since it was stored is not: its SHA-256 is the evidence of the change."""
    fixed = []
    with write_transaction(db):
        missing = _missing_triggers(db)
        for name, sql in expected_triggers().items():
            if name in missing:
                db.execute(sql)
                fixed.append(f"trigger {name} recreated")
        if set(FTS_TRIGGERS) & set(missing):
            for name in FTS_TRIGGERS:
                db.execute(f"drop trigger if exists [{name}]")
            db["claims"].disable_fts()
            db["claims"].enable_fts(FTS_COLUMNS, tokenize=FTS_TOKENIZE, create_triggers=True)
            index_only_changed_text(db)
            fixed.append("full-text index and its triggers recreated")
        if not _fts_in_sync(db):
            db.execute("insert into claims_fts(claims_fts) values ('rebuild')")
            fixed.append("full-text index rebuilt")
        for claim_id in _miskeyed(db):
            text = db.execute("select text from claims where id = ?", [claim_id]).fetchone()[0]
            db["claims"].update(claim_id, {"text_key": identity_key(text)})
            fixed.append(f"claim {claim_id}: text_key set from its text")
        for claim_id, column, _, expected in _party_mismatches(db):
            db["claims"].update(claim_id, {column: json.dumps(expected, ensure_ascii=False)})
            fixed.append(f"claim {claim_id}: {column} set to {expected}")
        for claim_id, status, last in _status_mismatches(db):
            db["claims"].update(claim_id, {"status": last})
            fixed.append(f"claim {claim_id}: status set from {status!r} to {last!r}, the end of its history")
        for claim_id, status in list(_without_history(db)):
            db["status_changes"].insert(
                {"claim_id": claim_id, "to_status": status, "reason": REPAIRED_HISTORY_REASON, "recorded_at": now()}
            )
            fixed.append(f"claim {claim_id}: history started with its current status {status!r}")
        for claim_id, recorded, expected in list(_misdated(db)):
            db["claims"].update(claim_id, {"dated": expected})
            fixed.append(f"claim {claim_id}: dated set from {recorded!r} to {expected!r}")
        for claim_id, source_id, start, end, _ in list(stale_spans(db)):
            body = db.execute("select body from source_texts where source_id = ?", [source_id]).fetchone()
            text = db.execute("select text from claims where id = ?", [claim_id]).fetchone()[0]
            span = find_span(body[0] if body else None, text)
            start_end = span or (None, None)
            db.execute("update claims set span_start = ?, span_end = ? where id = ?", [*start_end, claim_id])
            if span:
                where = f"where its text is in source {source_id}'s"
                fixed.append(f"claim {claim_id}: span set to {span[0]}-{span[1]}, {where}")
            else:
                why = f"its text is not in source {source_id}'s stored text"
                fixed.append(f"claim {claim_id}: span {start}-{end} cleared: {why}")
        stale = counts.stale(db)
        if stale:
            counts.recount(db)
            fixed += [f"{table}: counted again" for table in stale]
    return fixed


def backup(db: Database, target: str | Path) -> int:
    """Copy the database to `target` with SQLite's online backup (consistent while others write); return its claims."""
    target = Path(target)
    if target.exists():
        raise ClaimsError(f"{target} already exists: choose a new file for the backup")
    partial = target.with_name(target.name + ".partial")
    try:
        copy = sqlite3.connect(partial)
        try:
            db.conn.backup(copy)
            count = copy.execute("select count(*) from claims").fetchone()[0]
        finally:
            copy.close()
        partial.replace(target)
    except (OSError, sqlite3.Error) as e:
        partial.unlink(missing_ok=True)
        raise ClaimsError(f"cannot write the backup {target}: {e}") from None
    return count


def _missing_triggers(db: Database) -> list[str]:
    expected = FTS_TRIGGERS + list(expected_triggers())
    present = {trigger.name for trigger in db.triggers}
    return [name for name in expected if name not in present]


def _fts_in_sync(db: Database) -> bool:
    try:
        db.execute("insert into claims_fts(claims_fts, rank) values ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def _miskeyed(db: Database) -> list[int]:
    """Ids of the claims whose `text_key` is not `identity_key(text)` (keys follow today's rule; repair re-keys)."""
    return [
        claim_id
        for claim_id, text, key in db.execute("select id, text, text_key from claims")
        if identity_key(text) != key
    ]


def _same_text(db: Database) -> list[tuple[int, list[int]]]:
    """(source id, claim ids) of every source holding several claims with one identity key."""
    rows = db.execute(
        "select source_id, group_concat(id) from claims where text_key is not null "
        "group by source_id, text_key having count(*) > 1"
    ).fetchall()
    return [(source_id, sorted(int(i) for i in ids.split(","))) for source_id, ids in rows]


def _party_mismatches(db: Database):
    """(claim id, column, recorded names, names from attributions) for every derived column out of line."""
    columns = role_columns(db)
    expected: dict[int, dict[str, list[str]]] = {}
    for row in db.query(
        "select attributions.claim_id, attributions.role, actors.name from attributions "
        "join actors on actors.id = attributions.actor_id order by attributions.claim_id, attributions.id"
    ):
        expected.setdefault(row["claim_id"], {}).setdefault(columns[row["role"]], []).append(row["name"])
    select = ", ".join(["id", *columns.values()])
    for claim in db.query(f"select {select} from claims order by id"):
        for column in columns.values():
            try:
                recorded = json.loads(claim[column])
            except (TypeError, ValueError):
                recorded = claim[column]
            wanted = expected.get(claim["id"], {}).get(column, [])
            if recorded != wanted:
                yield claim["id"], column, recorded, wanted


def _misdated(db: Database):
    """(claim id, recorded dated, expected) for every claim whose `dated` is not its date said, else its source's."""
    yield from db.execute(
        f"select id, dated, {CLAIM_DATE.format(claim='claims')} as expected from claims "
        "where dated is not expected order by id"
    )


def _without_history(db: Database):
    yield from db.execute(
        "select id, status from claims where not exists (select 1 from status_changes where claim_id = claims.id) order by id"
    )


def _status_mismatches(db: Database):
    yield from db.execute(
        "select claims.id, claims.status, last.to_status from claims join status_changes last "
        "on last.id = (select max(id) from status_changes where claim_id = claims.id) "
        "where last.to_status != claims.status order by claims.id"
    )


# Row counts for immutable serving (the `datasette inspect` data a published copy is served with)

INSPECT_SUFFIX = ".inspect.json"  # site/claims.db -> site/claims.inspect.json: row counts for immutable serving


def table_counts(db_path: str | Path) -> dict[str, dict]:
    """{table: {"count": rows}} for every table, in the shape of `datasette inspect`."""
    import sqlite3

    conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?immutable=1", uri=True)
    try:
        tables = [row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")]
        # A full-text table counts its rows through its _docsize shadow table (one row each): the same count,
        # without reading every indexed row (1.2 s at a million claims).
        counted = {table: f"{table}_docsize" if f"{table}_docsize" in tables else table for table in tables}
        count = "select count(*) from [{}]"
        return {table: {"count": conn.execute(count.format(counted[table])).fetchone()[0]} for table in tables}
    finally:
        conn.close()


def counts_path(output: Path) -> Path:
    """Where the row counts of a built database are written: site/claims.db -> site/claims.inspect.json."""
    return output.with_name(output.stem + INSPECT_SUFFIX)


def write_counts(database: Path, target: Path, served_as: Path | None = None) -> dict[str, dict]:
    """Write `datasette inspect` data of `database` to `target` atomically: row counts, size, no content hash;
    return the row counts ({table: {"count": rows}}).

    `served_as` is the file it will be served as (default: `database`), which names it.
    """
    served_as = served_as or database
    tables = table_counts(database)
    data = {served_as.stem: {"hash": None, "size": database.stat().st_size, "file": served_as.name, "tables": tables}}
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, target)
    return tables
