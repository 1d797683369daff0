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
from dataclasses import dataclass, field

from sqlite_utils import Database

from .. import counts, evidence, model
from ..db import bulk_writes, unchecked_references, write_transaction
from ..errors import AlreadyExists, ClaimsError, InvalidValue, NotFound
from ..records import ClaimRecord, Problem, source_fields, source_identity
from ..schema import FTS_COLUMNS
from ..values import identity_key
from ..vocabulary import LOOKUP_TABLES
from ..writing import WRITTEN_TABLES, ClaimWriter, Stance, claim_id_by_key, history
from .link_import import LinkImporter

BATCH_SIZE = 2000
AHEAD_STEP = 1000  # claims indexed at a time while waiting for records (see Importer.work_ahead)
INDEX_BUILDING_CACHE_KB = 16 * 1024
SORT_THREADS = min(4, os.cpu_count() or 1) - 1  # SQLite's helper threads for sorting, besides its own
IDENTITY_INDEX = "idx_claims_source_id_text_key"  # (source_id, text_key): how a claim already recorded is found


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
    references = unchecked_references(db) if large and _vocabularies_complete(db) else nullcontext(db)
    with references, write_transaction(db), bulk_writes(db):
        yield db


def _is_large(expected: int, recorded: int) -> bool:
    """Whether an import of `expected` claims into a database of `recorded` ones takes the bulk shortcuts."""
    return expected > recorded


def _vocabularies_complete(db: Database) -> bool:
    """True if the lookup tables hold every status, role and qualifier that records are checked against."""
    wanted = {table: LOOKUP_TABLES[table] for table in ("statuses", "roles", "qualifiers")}
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
    removed: list = field(default_factory=list)  # what the import removed (--prune), each kept in revisions
    kept: list = field(default_factory=list)  # what is recorded but not in the input, kept (--prune removes it)
    created_actors: list = field(default_factory=list)  # actors created because an input named them
    links_added: int = 0
    links_replaced: int = 0  # links written in place of another current link between the same claims
    links_removed: list = field(default_factory=list)  # links the import removed (--prune), each removal recorded
    texts: int = 0  # source texts stored
    by_file: dict | None = None  # if a dict, {file: (claim ids, source ids)}: what each file's records are
    claim_at: dict = field(default_factory=dict)  # with by_file: {where: claim id} of each record written

    def note_held(self, where: str, claim_id: int | None, source_ids) -> None:
        """Note in `by_file` that the file of the record at `where` holds this claim and these sources."""
        claims, sources = self.by_file.setdefault(where.rpartition(":")[0], (set(), set()))
        if claim_id is not None:
            claims.add(claim_id)
        sources.update(source_ids)

    def describe(self) -> str:
        text = f"{self.added} claims added, {self.updated} updated, {self.unchanged} unchanged"
        text += f"; {self.sources} new sources, {self.actors} new actors"
        text += f" ({self.actors_updated} updated)" if self.actors_updated else ""
        text += f"; {self.texts} source texts stored" if self.texts else ""
        if self.links_added or self.links_replaced:
            text += f"; {self.links_added} links added"
            text += f", {self.links_replaced} replaced" if self.links_replaced else ""
        removed = len(self.removed) + len(self.links_removed)
        text += f"; {removed} removed" if removed else ""
        text += f"; {len(self.kept)} kept that the input does not mention" if self.kept else ""
        return text + (f"; {self.rejected} rejected" if self.rejected else "")


class HistoryConflict(ClaimsError):
    """A re-imported claim's status history contradicts the recorded (append-only) history."""


class RecordRefused(ClaimsError):
    """One record cannot be written as it is (e.g. it names an unknown actor); `field` says where."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(message)


class Importer:
    """Writes `ClaimRecord`s into `db`; call inside `write_transaction(db)` and `finish()` at the end."""

    def __init__(
        self, db: Database, summary: ImportSummary | None = None, *, prune: bool = False, create_actors: bool = False
    ):
        self.db = db
        self.summary = summary or ImportSummary()
        self.prune = prune
        self.writer = ClaimWriter(db, user=model.current_user(), timestamp=model.now(), create_actors=create_actors)
        self.sources: dict[tuple, dict] = {}
        self.kept_sources: set[tuple] = set()  # sources whose text and archived copy the input gave are in line
        self.pending: dict[str, list[tuple]] = {table: [] for table in WRITTEN_TABLES}
        self.pending_keys: dict[tuple[int, str], int] = {}
        next_ids = counts.next_ids(db, ["claims", "sources"])
        self.next_claim_id, self.first_new_source = next_ids["claims"], next_ids["sources"]
        self.added = _KeyFilter()  # (source id, text key) of the claims added: a new source has no others
        self.dropped_indexes: dict[str, str] = {}  # name: SQL that creates again an index defer_indexing() dropped
        self.dropped_triggers: list[str] = []
        self.catch_ups: list[Callable[[Database, dict[str, int]], None]] = []
        self.since: dict[str, int] = {}
        self.behind = False  # rows were inserted since the last catch-up
        self.links = LinkImporter(db, self.summary, prune=prune, user=self.writer.user)

    def add_actor(self, name: str, kind: str, country: str | None, aliases: list[str]) -> None:
        """Record an actor from a bundle's actors section, or bring the known one in line with it."""
        actor_id = model.find_actor_id(self.db, name)
        if actor_id is None:
            model.add_actor(self.db, name, kind=kind, country=country, aliases=aliases)
            self.summary.actors += 1
        elif model.update_actor(self.db, actor_id, kind=kind, country=country, aliases=aliases):
            self.summary.actors_updated += 1

    def write(self, record: ClaimRecord, where: str) -> int:
        """Add the claim, or bring the recorded one in line with it (a claim is its text's identity key in its source).

        Returns the claim's id. Its links are written by `write_links()`, once every claim is.
        """
        source = self._source(record.source)
        source_id = source["id"]
        if record.span is not None:
            try:
                self.writer.span(source_id, record.text, record.span)
            except InvalidValue as e:
                raise RecordRefused("span", str(e)) from None
        key = (source_id, identity_key(record.text))
        maybe_added = self.added.add(key)
        existing = self.pending_keys.get(key) or self._recorded(key, maybe_added)
        if existing is None:
            stances = self._stances(record)  # before anything is written: it may refuse the record
            claim_id = self._add(record, source, key, stances)
            self.summary.added += 1
            if len(self.pending["claims"]) >= BATCH_SIZE:
                self.flush()
        else:
            claim_id = existing
            self._catch_up()  # the triggers that change counts and index on update expect the row counted and indexed
            try:
                with write_transaction(self.db):  # a savepoint: a conflicting record is undone alone
                    changed = self._update(existing, record, where)
            except ClaimsError:
                self.writer.forget_actors()  # the savepoint may have undone actors it created
                raise
            if changed:
                self.summary.updated += 1
                self.behind = True
            else:
                self.summary.unchanged += 1
        self.links.written(claim_id, record, where)
        if self.summary.by_file is not None:
            parties = [self._source(party.source)["id"] for party in record.parties if party.source]
            self._written_by(where, claim_id, [source_id, *parties])
        return claim_id

    def _written_by(self, where: str, claim_id: int | None, source_ids: list[int]) -> None:
        """Note which claim and sources the record at `where` is, when the summary keeps that (`by_file`)."""
        if self.summary.by_file is not None:
            self.summary.note_held(where, claim_id, source_ids)
            if claim_id is not None:
                self.summary.claim_at[where] = claim_id

    def unwritten(self, record: ClaimRecord, where: str) -> None:
        """Note a valid record that is not written, the import being refused: its links are still checked."""
        self.links.unwritten_record(record, where)

    def check_links(self) -> list[Problem]:
        """The problems of the links of the records (of an import being refused), without writing anything."""
        if not self.links.pending:
            return []
        self.flush()
        self._restore(IDENTITY_INDEX)
        return self.links.check()

    def write_links(self) -> list[Problem]:
        """Write the links of the records, after `finish()`; return the problems of those that cannot be."""
        return self.links.write()

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
        self.summary.created_actors = list(self.writer.created_actors)
        self.summary.actors += len(self.writer.created_actors)
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
        self.writer.insert(table, rows)

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
        """Id of the claim with this (source id, text key), looked up unless the source is new and no such claim was added."""
        if key[0] >= self.first_new_source and not maybe_added:
            return None
        self._restore(IDENTITY_INDEX)
        return claim_id_by_key(self.db, *key)

    def _source(self, source: dict) -> dict:
        """The recorded source (id, published, language) these fields identify, recorded now if new.

        The text and archived copy the input gives it are kept; a different one than it has is refused.
        """
        key = source_identity(source)
        if key not in self.sources:
            fields = source_fields(source)
            source_id = model.find_matching_source(self.db, **fields)
            if source_id is None:
                source_id = model.add_source(self.db, **fields)
                self.summary.sources += 1
            self.sources[key] = self.db["sources"].get(source_id)
        row = self.sources[key]
        if key not in self.kept_sources and (source.get("text") is not None or source.get("archive_url")):
            self._keep(row, source)
            self.kept_sources.add(key)
        return row

    def declare_source(self, source: dict, where: str = "") -> None:
        """Record a source the input declares on its own (with its text, say), or keep its text on the recorded one."""
        self._written_by(where, None, [self._source(source)["id"]])

    def _keep(self, row: dict, source: dict) -> None:
        """Give a recorded source the archived copy and text the input gives it; RecordRefused if it has others."""
        user, timestamp = self.writer.user, self.writer.timestamp
        if source.get("text") is not None:
            self.flush()  # the claims of the source get their spans in the text, those not inserted yet too
            self._restore(IDENTITY_INDEX)
        try:
            with write_transaction(self.db):  # a savepoint: a refused text leaves the archived copy as it was
                if source.get("archive_url") and row["archive_url"] != source["archive_url"]:
                    if row["archive_url"] is not None:
                        raise RecordRefused(
                            "source.archive_url",
                            f"source {row['id']} has the archived copy {row['archive_url']}, not "
                            f"{source['archive_url']}: 'claims source keep {row['id']} --archive-url URL --reason ...' "
                            "replaces it",
                        )
                    evidence.set_archive_url(
                        self.db, row["id"], source["archive_url"], reason=None, user=user, timestamp=timestamp
                    )
                if source.get("text") is not None:
                    outcome = evidence.write_text(
                        self.db, row["id"], source["text"], reason=None, user=user, timestamp=timestamp
                    )
                    if outcome != "unchanged":
                        self.writer.text_stored(row["id"], source["text"].body)
                        self.summary.texts += 1
        except AlreadyExists as e:
            raise RecordRefused("source.body", str(e)) from None
        row["archive_url"] = row["archive_url"] or source.get("archive_url")

    def _stances(self, record: ClaimRecord) -> list[Stance]:
        """The record's parties with their actors and sources resolved; an unknown actor refuses the record."""
        stances = []
        for party in record.parties:
            try:
                actor_id = self.writer.actor(party.actor)[0]
            except NotFound as e:
                raise RecordRefused(self.writer.columns[party.role], str(e)) from None
            source_id = self._source(party.source)["id"] if party.source else None
            stances.append(Stance(actor_id, party.role, source_id, party.date))
        return stances

    def _add(self, record: ClaimRecord, source: dict, key: tuple[int, str], stances: list[Stance]) -> int:
        claim_id = self.next_claim_id
        self.next_claim_id += 1
        self.pending_keys[key] = claim_id
        for table, rows in self.writer.new_claim_rows(claim_id, record, source, stances).items():
            self.pending[table].extend(rows)
        return claim_id

    def _update(self, claim_id: int, record: ClaimRecord, where: str) -> bool:
        stances = self._stances(record)
        outcome = self.writer.apply(claim_id, record, stances, prune=self.prune, reason=f"Imported from {where}")
        self.summary.removed += outcome.removed
        self.summary.kept += outcome.kept
        return self._extend_history(claim_id, record) | outcome.changed

    def _extend_history(self, claim_id: int, record: ClaimRecord) -> bool:
        recorded = [
            (row["to_status"], row["reason"])
            for row in self.db["status_changes"].rows_where("claim_id = ?", [claim_id], order_by="id")
        ]
        wanted = [(status, reason) for status, reason, _, _ in history(record, None)]
        common = min(len(recorded), len(wanted))
        if [s for s, _ in recorded[:common]] != [s for s, _ in wanted[:common]] or recorded[1:common] != wanted[
            1:common
        ]:
            if _holds_in_order(wanted[1:], recorded[1:]):  # changes recorded elsewhere, dated before ours
                raise HistoryConflict(
                    f"the file holds status changes of claim {claim_id} dated before the last one this database "
                    "recorded (another desk's, merged): they cannot be put before it in an append-only history; "
                    "build a fresh database from the files instead (claims build DIR -o FILE)"
                )
            raise HistoryConflict(
                f"the status history differs from the one recorded for claim {claim_id}, "
                "which cannot be rewritten: add new status changes at the end instead"
            )
        if len(wanted) <= len(recorded):
            return False
        source = self.db["sources"].get(self.db["claims"].get(claim_id)["source_id"])
        rows = self.writer.history_rows(claim_id, record, source["published"], start=len(recorded))
        self.writer.insert("status_changes", rows)
        stamp = self.writer.timestamp
        self.db["claims"].update(claim_id, {"status": wanted[-1][0], "status_changed_at": stamp, "updated_at": stamp})
        return True


def _holds_in_order(longer: list, shorter: list) -> bool:
    """Whether every item of `shorter` is in `longer`, in the same order (with others between)."""
    remaining = iter(longer)
    return len(longer) > len(shorter) and all(item in remaining for item in shorter)


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
