"""Writing validated claim records: idempotent, in one transaction, fast in bulk.

A claim's identity is its text within its source; a source's is its URL, else its
title, outlet and publication date; an actor's is its name or any alias, ignoring
case and accents. Importing the same records twice adds nothing. Importing an
edited record updates what changed: fields, parties and figures are brought in line,
and status changes that are new at the end of its history are appended to it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, fields
from json.encoder import encode_basestring

from sqlite_utils import Database

from . import counts, model
from .db import bulk_writes, unchecked_references, write_transaction
from .errors import ClaimsError
from .migrations import FTS_COLUMNS, QUALIFIERS, ROLES, STATUSES
from .records import ClaimRecord, Party
from .values import Figure, fold

BATCH_SIZE = 2000
AHEAD_STEP = 1000  # claims indexed at a time while waiting for records (see Importer.work_ahead)
INDEX_BUILDING_CACHE_KB = 16 * 1024
SORT_THREADS = min(4, os.cpu_count() or 1) - 1  # SQLite's helper threads for sorting, besides its own
WRITTEN_TABLES = ["claims", "attributions", "figures", "status_changes"]
# The columns of the rows the importer writes, in the order of its tuples (claims: these, then role columns, then STAMPED).
CLAIM_COLUMNS = ("id", "text", "translation", "language", "is_quote", "source_id", "said_on", "dated", "status", "notes")
STAMPED = ("created_at", "updated_at", "status_changed_at", "created_by")
ATTRIBUTION_COLUMNS = ("claim_id", "actor_id", "role", "source_id", "stated_on", "created_at", "recorded_by")
FIGURE_COLUMNS = ("claim_id", *(f.name for f in fields(Figure)))
CHANGE_COLUMNS = ("claim_id", "from_status", "to_status", "reason", "evidence_url", "changed_on", "recorded_at", "recorded_by")
IDENTITY_INDEX = "idx_claims_source_id_text"  # (source_id, text): how a claim already recorded is found


def index_claims(db: Database, since: dict[str, int], limit: int = -1) -> int:
    """Add the claims from id `since["claims"]` on that it lacks to the full-text index (at most `limit`); return how many.

    Claims get ids in order, so those it lacks are those after the last it holds.
    """
    last = db.execute("select max(id) from claims_fts_docsize").fetchone()[0] or 0
    columns = ", ".join(FTS_COLUMNS)
    return db.execute(
        f"insert into claims_fts (rowid, {columns}) select id, {columns} from claims where id >= ? order by id limit ?",
        [max(since["claims"], last + 1), limit],
    ).rowcount


# Triggers that index or count each row as it is inserted, and what does the same for many rows at once.
# A bulk import drops the triggers, then calls `catch_up(db, since)` for the rows of each table whose id
# is at least `since[table]`, and creates the triggers again.
DEFERRED_TRIGGERS: list[tuple[list[str], Callable[[Database, dict[str, int]], None]]] = [
    (["claims_ai"], index_claims),
    (counts.INSERT_TRIGGERS, counts.add_counts),
]


@contextmanager
def import_transaction(db: Database, expected: int) -> Iterator[Database]:
    """The one transaction of an import of about `expected` claims, set up for its size.

    A large import (more claims than are recorded) skips the row-by-row foreign key checks, as
    the importer resolves every reference itself, once the lookup tables are known to hold every
    status, role and qualifier that records are checked against.
    """
    large = _is_large(expected, counts.next_ids(db, ["claims"])["claims"] - 1)
    with unchecked_references(db) if large and _vocabularies_complete(db) else nullcontext(db):
        with write_transaction(db), bulk_writes(db):
            yield db


def _is_large(expected: int, recorded: int) -> bool:
    """Whether an import of `expected` claims into a database of `recorded` ones takes the bulk shortcuts."""
    return expected > recorded


def _vocabularies_complete(db: Database) -> bool:
    """True if the lookup tables hold every status, role and qualifier that records are checked against."""
    wanted = {"statuses": STATUSES, "roles": ROLES, "qualifiers": QUALIFIERS}
    return all(
        {entry[0] for entry in entries} <= {row[0] for row in db.execute(f"select name from {table}")}
        for table, entries in wanted.items()
    )


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    sources: int = 0
    actors: int = 0
    actors_updated: int = 0
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def describe(self) -> str:
        text = f"{self.added} claims added, {self.updated} updated, {self.unchanged} unchanged"
        text += f"; {self.sources} new sources, {self.actors} new actors"
        text += f" ({self.actors_updated} updated)" if self.actors_updated else ""
        return text + (f"; {self.rejected} rejected" if self.rejected else "")


class HistoryConflict(ClaimsError):
    """A re-imported claim's status history contradicts the recorded (append-only) history."""


class Importer:
    """Writes `ClaimRecord`s into `db`; call inside `write_transaction(db)` and `finish()` at the end."""

    def __init__(self, db: Database, summary: ImportSummary | None = None):
        self.db = db
        self.summary = summary or ImportSummary()
        self.columns = model.role_columns(db)
        self.sources: dict[tuple, dict] = {}
        self.actors: dict[str, tuple[int, str]] = {}
        self.pending: dict[str, list[tuple]] = {table: [] for table in WRITTEN_TABLES}
        self.inserts = {  # one prepared statement per table, for rows as tuples
            table: "insert into [{}] ({}) values ({})".format(table, ", ".join(columns), ", ".join("?" for _ in columns))
            for table, columns in [
                ("claims", (*CLAIM_COLUMNS, *self.columns.values(), *STAMPED)),
                ("attributions", ATTRIBUTION_COLUMNS),
                ("figures", FIGURE_COLUMNS),
                ("status_changes", CHANGE_COLUMNS),
            ]
        }
        self.pending_keys: dict[tuple[int, str], int] = {}
        next_ids = counts.next_ids(db, ["claims", "sources"])
        self.next_claim_id, self.first_new_source = next_ids["claims"], next_ids["sources"]
        self.added = _KeyFilter()  # (source id, text) of the claims added: a new source has no others
        self.dropped_indexes: dict[str, str] = {}  # name: SQL that creates again an index defer_indexing() dropped
        self.dropped_triggers: list[str] = []
        self.catch_ups: list[Callable[[Database, dict[str, int]], None]] = []
        self.since: dict[str, int] = {}
        self.behind = False  # rows were inserted since the last catch-up
        self.timestamp = model.now()
        self.user = model.current_user()
        self.stamps = (self.timestamp, self.timestamp, self.timestamp, self.user)  # STAMPED

    def add_actor(self, name: str, kind: str, country: str | None, aliases: list[str]) -> None:
        """Record an actor from a bundle's actors section, or bring the known one in line with it."""
        actor_id = model.find_actor_id(self.db, name)
        if actor_id is None:
            model.add_actor(self.db, name, kind=kind, country=country, aliases=aliases)
            self.summary.actors += 1
        elif model.update_actor(self.db, actor_id, kind=kind, country=country, aliases=aliases):
            self.summary.actors_updated += 1

    def write(self, record: ClaimRecord, where: str) -> None:
        """Add the claim, or bring the recorded one in line with it."""
        source = self._source(record.source)
        source_id = source["id"]
        key = (source_id, record.text)
        maybe_added = self.added.add(key)
        existing = self.pending_keys.get(key) or self._recorded(key, maybe_added)
        if existing is None:
            self._add(record, source)
            self.summary.added += 1
            if len(self.pending["claims"]) >= BATCH_SIZE:
                self.flush()
        else:
            self._catch_up()  # the triggers that change counts and index on update expect the row counted and indexed
            with write_transaction(self.db):  # a savepoint: a conflicting record is undone alone
                changed = self._update(existing, record, source_id, where)
            if changed:
                self.summary.updated += 1
                self.behind = True
            else:
                self.summary.unchanged += 1

    def defer_indexing(self, expected: int = 0) -> None:
        """Stop indexing and counting each new row as it is inserted: `finish()` does it for all of them at once.

        When more claims are `expected` than are recorded, the indexes that rows are not looked up by
        are dropped too, and `finish()` builds them again: quicker than keeping them in step row by row.
        """
        for triggers, catch_up in DEFERRED_TRIGGERS:
            if [name for name in triggers if self._drop("trigger", name)]:
                self.catch_ups.append(catch_up)
        if _is_large(expected, self.next_claim_id - 1):
            for name in _rebuildable_indexes(self.db):
                self._drop("index", name)
            # Claims are found by this index, but inserting into it in file order costs more than all the
            # others: it comes back as soon as a claim must be looked up (see _recorded), else at the end.
            self.added = _KeyFilter(expected)
            self._drop("index", IDENTITY_INDEX)
        self.since = counts.next_ids(self.db, WRITTEN_TABLES)

    def finish(self) -> None:
        """Flush, index and count the rows added since `defer_indexing()`, and restore what it dropped."""
        self.flush()
        if self.dropped_indexes:
            # Building an index sorts in as much memory as the page cache may take, on top of the cache: shrink it.
            self.db.execute(f"PRAGMA cache_size = -{INDEX_BUILDING_CACHE_KB}")
        # Sorting goes faster with helper threads, and the process reading records has finished (2.6 -> 2.1 s an index at 1M).
        threads = self.db.execute("PRAGMA threads").fetchone()[0]
        self.db.execute(f"PRAGMA threads = {SORT_THREADS}")
        try:
            for sql in self.dropped_indexes.values():  # first: counting the new rows can then go by them
                self.db.execute(sql)
            self._catch_up()
        finally:
            self.db.execute(f"PRAGMA threads = {threads}")
        for sql in self.dropped_triggers:
            self.db.execute(sql)
        self.dropped_indexes.clear()
        self.dropped_triggers.clear()
        self.catch_ups.clear()

    def flush(self) -> None:
        """Insert the batched rows, one prepared statement per table."""
        for table, rows in self.pending.items():
            if rows:
                self._insert(table, rows)
                rows.clear()
                self.behind = True
        self.pending_keys.clear()

    def _insert(self, table: str, rows: Iterable[tuple]) -> None:
        self.db.conn.executemany(self.inserts[table], rows)

    def work_ahead(self) -> bool:
        """Some of what finish() would do, while there is nothing else to do; False when there is none.

        It indexes the claims already inserted in full text, a few thousand at a time: the import of
        a large file calls it while the process reading the file has no records ready.
        """
        return index_claims in self.catch_ups and index_claims(self.db, self.since, AHEAD_STEP) > 0

    def _catch_up(self) -> None:
        """Flush, then index and count the rows inserted since the last catch-up."""
        self.flush()
        if self.behind and self.catch_ups:
            for catch_up in self.catch_ups:
                catch_up(self.db, self.since)
            self.since = counts.next_ids(self.db, WRITTEN_TABLES)
        self.behind = False

    def _drop(self, kind: str, name: str) -> bool:
        """Drop the trigger or index `name`, remembering how to create it again; False if there is none."""
        row = self.db.execute("select sql from sqlite_master where type = ? and name = ?", [kind, name]).fetchone()
        if row:
            self.db.execute(f"drop {kind} [{name}]")
            if kind == "index":
                self.dropped_indexes[name] = row[0]
            else:
                self.dropped_triggers.append(row[0])
        return bool(row)

    def _restore(self, index: str) -> None:
        """Create again the index `index` if defer_indexing() dropped it."""
        if index in self.dropped_indexes:
            self.db.execute(self.dropped_indexes.pop(index))

    def _recorded(self, key: tuple[int, str], maybe_added: bool) -> int | None:
        """Id of the claim with this (source id, text), looked up unless the source is new and no such claim was added."""
        if key[0] >= self.first_new_source and not maybe_added:
            return None
        self._restore(IDENTITY_INDEX)
        return model.claim_id_in_source(self.db, *key)

    def _source(self, source: dict) -> dict:
        """The recorded source (id, published, language) these fields identify, recorded now if new."""
        key = (source["url"],) if source["url"] else (source["title"], source["outlet"], source["published"])
        if key not in self.sources:
            source_id = model.find_matching_source(self.db, **source)
            if source_id is None:
                source_id = model.add_source(self.db, **source)
                self.summary.sources += 1
            self.sources[key] = self.db["sources"].get(source_id)
        return self.sources[key]

    def _actor(self, name: str) -> tuple[int, str]:
        key = fold(name)
        if key not in self.actors:
            actor_id = model.find_actor_id(self.db, name)
            if actor_id is None:
                actor_id = model.add_actor(self.db, name, kind="other")
                self.summary.actors += 1
            self.actors[key] = (actor_id, self.db["actors"].get(actor_id)["name"])
        return self.actors[key]

    def _party_row(self, claim_id: int, party: Party) -> tuple:
        """An `attributions` row (ATTRIBUTION_COLUMNS)."""
        source_id = self._source(party.source)["id"] if party.source else None
        return (claim_id, self._actor(party.actor)[0], party.role, source_id, party.date, self.timestamp, self.user)

    def _party_columns(self, parties: Iterable[Party]) -> list[str]:
        """The JSON lists of actor names in each role column of `claims`, in `self.columns` order."""
        names: dict[str, list[str]] = {column: [] for column in self.columns.values()}
        for party in parties:
            names[self.columns[party.role]].append(self._actor(party.actor)[1])
        return [_json_list(value) for value in names.values()]

    def _add(self, record: ClaimRecord, source: dict) -> None:
        source_id = source["id"]
        claim_id = self.next_claim_id
        self.next_claim_id += 1
        self.pending_keys[(source_id, record.text)] = claim_id
        status = record.changes[-1].status if record.changes else record.status
        language = record.language or source["language"]
        self.pending["claims"].append(
            (claim_id, record.text, record.translation, language, int(record.quote), source_id, record.said_on,
             record.said_on or source["published"], status, record.notes, *self._party_columns(record.parties), *self.stamps)
        )  # fmt: skip
        self.pending["attributions"].extend(self._party_row(claim_id, party) for party in _ordered(record.parties, self.columns))
        self.pending["figures"].extend(_figure_rows(claim_id, record.figures))
        self.pending["status_changes"].extend(self._history_rows(claim_id, record, source["published"], start=0))

    def _history_rows(self, claim_id: int, record: ClaimRecord, published: str | None, start: int) -> Iterator[tuple]:
        """`status_changes` rows (CHANGE_COLUMNS) from the `start`th entry of the record's history on."""
        entries = _history(record, published)
        for index in range(start, len(entries)):
            to_status, reason, evidence, date = entries[index]
            from_status = entries[index - 1][0] if index else None
            yield (claim_id, from_status, to_status, reason, evidence, date, self.timestamp, self.user)

    def _update(self, claim_id: int, record: ClaimRecord, source_id: int, where: str) -> bool:
        row = self.db["claims"].get(claim_id)
        changed = False
        fields = {
            "translation": record.translation,
            "language": record.language or row["language"],
            "is_quote": int(record.quote),
            "said_on": record.said_on,
            "notes": record.notes,
        }
        different = {k: v for k, v in fields.items() if row[k] != v}
        if different:
            self.db["claims"].update(claim_id, different | {"updated_at": self.timestamp})
            changed = True
        changed |= self._sync_parties(claim_id, record)
        changed |= self._sync_figures(claim_id, record.figures)
        changed |= self._extend_history(claim_id, record, where)
        return changed

    def _sync_parties(self, claim_id: int, record: ClaimRecord) -> bool:
        wanted = [self._party_row(claim_id, party) for party in _ordered(record.parties, self.columns)]
        recorded = self.db.execute(
            "select actor_id, role, source_id, stated_on from attributions where claim_id = ?", [claim_id]
        ).fetchall()
        if sorted(recorded, key=repr) == sorted((row[1:5] for row in wanted), key=repr):
            return False
        self.db["attributions"].delete_where("claim_id = ?", [claim_id])
        self._insert("attributions", wanted)
        party_columns = dict(zip(self.columns.values(), self._party_columns(record.parties)))
        self.db["claims"].update(claim_id, party_columns | {"updated_at": self.timestamp})
        return True

    def _sync_figures(self, claim_id: int, figures: list[Figure]) -> bool:
        recorded = [
            Figure.from_row(row)
            for row in self.db["figures"].rows_where(
                "claim_id = ?", [claim_id], select="measure, qualifier, low, high, unit", order_by="id"
            )
        ]
        if recorded == figures:
            return False
        self.db["figures"].delete_where("claim_id = ?", [claim_id])
        self._insert("figures", _figure_rows(claim_id, figures))
        return True

    def _extend_history(self, claim_id: int, record: ClaimRecord, where: str) -> bool:
        recorded = [
            (row["to_status"], row["reason"])
            for row in self.db["status_changes"].rows_where("claim_id = ?", [claim_id], order_by="id")
        ]
        wanted = [(status, reason) for status, reason, _, _ in _history(record, None)]
        common = min(len(recorded), len(wanted))
        if [s for s, _ in recorded[:common]] != [s for s, _ in wanted[:common]] or recorded[1:common] != wanted[1:common]:
            raise HistoryConflict(
                f"the status history differs from the one recorded for claim {claim_id}, "
                "which cannot be rewritten: add new status changes at the end instead"
            )
        if len(wanted) <= len(recorded):
            return False
        source = self.db["sources"].get(self.db["claims"].get(claim_id)["source_id"])
        self._insert("status_changes", self._history_rows(claim_id, record, source["published"], start=len(recorded)))
        self.db["claims"].update(
            claim_id, {"status": wanted[-1][0], "status_changed_at": self.timestamp, "updated_at": self.timestamp}
        )
        return True


class _KeyFilter:
    """Keys added, approximately (a Bloom filter): it may say "maybe" of a key never added, never "no" of one that was.

    Sized for `expected` keys (96 bits and 6 hashes a key), it says "maybe" wrongly about once in
    20 million keys, so that an import of new claims never needs the index. It takes at most 16 MB:
    beyond 1.4 million keys it errs more often, and the index merely comes back sooner.
    """

    HASHES = 6
    MAX_BITS = 1 << 27

    def __init__(self, expected: int = 0):
        bits = min(self.MAX_BITS, max(1 << 24, 1 << (expected * 96 - 1).bit_length()))
        self.mask = bits - 1
        self.bits = bytearray(bits // 8)

    def add(self, key: tuple) -> bool:
        """Add `key`; True if it may have been added before (its bits were all set already)."""
        value, bits, mask = hash(key), self.bits, self.mask
        position, step = value & 0xFFFFFFFF, (value >> 32) | 1  # double hashing: the i-th bit is position + i * step
        seen = True
        for _ in range(self.HASHES):
            bit = position & mask
            byte, flag = bit >> 3, 1 << (bit & 7)
            if not bits[byte] & flag:
                seen = False
                bits[byte] |= flag
            position += step
        return seen


def _rebuildable_indexes(db: Database) -> list[str]:
    """Indexes of the written tables that the import does not look rows up by: not unique, not by claim."""
    return [
        index.name
        for table in WRITTEN_TABLES
        for index in db[table].indexes
        if not index.unique and index.columns[0] != "claim_id"
    ]


def _ordered(parties: list[Party], columns: dict[str, str]) -> list[Party]:
    """Parties in role order, so that attribution ids follow the order of the per-role columns."""
    if len(parties) < 2:
        return parties
    order = list(columns)
    return sorted(parties, key=lambda party: order.index(party.role))


def _figure_rows(claim_id: int, figures: list[Figure]) -> Iterator[tuple]:
    """`figures` rows (FIGURE_COLUMNS)."""
    return ((claim_id, *vars(figure).values()) for figure in figures)


def _json_list(texts: list[str]) -> str:
    """`json.dumps(texts, ensure_ascii=False)`, several times faster."""
    return "[" + ", ".join(map(encode_basestring, texts)) + "]" if texts else "[]"


def _history(record: ClaimRecord, published: str | None) -> list[tuple]:
    """(status, reason, evidence, date) of the initial status and every later change."""
    initial = (record.status, record.reason or model.INITIAL_STATUS_REASON, None, record.said_on or published)
    return [initial] + [(c.status, c.reason, c.evidence, c.date) for c in record.changes]
