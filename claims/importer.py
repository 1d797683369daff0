"""Writing validated claim records: idempotent, in one transaction, fast in bulk.

A claim's identity is its text within its source; a source's is its URL, else its
title, outlet and publication date; an actor's is its name or any alias, ignoring
case and accents. Importing the same records twice adds nothing. Importing an
edited record updates what changed: fields, parties and figures are brought in line,
and status changes that are new at the end of its history are appended to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlite_utils import Database

from . import model
from .db import write_transaction
from .errors import ClaimsError
from .records import ClaimRecord, Party
from .values import Figure, fold

BATCH_SIZE = 2000


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
    """Writes `ClaimRecord`s into `db`; call inside `write_transaction(db)` and `flush()` at the end."""

    def __init__(self, db: Database, summary: ImportSummary | None = None):
        self.db = db
        self.summary = summary or ImportSummary()
        self.columns = model.role_columns(db)
        self.sources: dict[tuple, dict] = {}
        self.actors: dict[str, tuple[int, str]] = {}
        self.pending: dict[str, list[dict]] = {"claims": [], "attributions": [], "figures": [], "status_changes": []}
        self.pending_keys: dict[tuple[int, str], int] = {}
        self.next_claim_id = (db.execute("select max(id) from claims").fetchone()[0] or 0) + 1
        self.first_new_id = self.next_claim_id
        self.fts_insert_trigger = None
        self.timestamp = model.now()
        self.user = model.current_user()

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
        existing = self.pending_keys.get((source_id, record.text)) or model.claim_id_in_source(self.db, source_id, record.text)
        if existing is None:
            self._add(record, source)
            self.summary.added += 1
            if len(self.pending["claims"]) >= BATCH_SIZE:
                self.flush()
        else:
            self.flush()
            with write_transaction(self.db):  # a savepoint: a conflicting record is undone alone
                changed = self._update(existing, record, source_id, where)
            if changed:
                self.summary.updated += 1
            else:
                self.summary.unchanged += 1

    def defer_indexing(self) -> None:
        """Stop indexing each new claim as it is inserted; `finish()` indexes them all at once."""
        row = self.db.execute("select sql from sqlite_master where type = 'trigger' and name = 'claims_ai'").fetchone()
        if row:
            self.fts_insert_trigger = row[0]
            self.db.execute("drop trigger claims_ai")

    def finish(self) -> None:
        """Flush, then index the claims added since `defer_indexing()` and restore the trigger."""
        self.flush()
        if self.fts_insert_trigger:
            self.db.execute(
                "insert into claims_fts (rowid, text, translation) select rowid, text, translation from claims where id >= ?",
                [self.first_new_id],
            )
            self.db.execute(self.fts_insert_trigger)
            self.fts_insert_trigger = None

    def flush(self) -> None:
        """Insert the batched rows, one prepared statement per table."""
        for table, rows in self.pending.items():
            if rows:
                columns = list(rows[0])
                sql = "insert into [{}] ({}) values ({})".format(
                    table, ", ".join(f"[{c}]" for c in columns), ", ".join("?" for _ in columns)
                )
                self.db.conn.executemany(sql, ([row[c] for c in columns] for row in rows))
                rows.clear()
        self.pending_keys.clear()

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

    def _party_row(self, claim_id: int, party: Party) -> dict:
        return {
            "claim_id": claim_id,
            "actor_id": self._actor(party.actor)[0],
            "role": party.role,
            "source_id": self._source(party.source)["id"] if party.source else None,
            "stated_on": party.date,
            "created_at": self.timestamp,
            "recorded_by": self.user,
        }

    def _party_columns(self, parties: Iterable[Party]) -> dict[str, str]:
        names: dict[str, list[str]] = {column: [] for column in self.columns.values()}
        for party in parties:
            names[self.columns[party.role]].append(self._actor(party.actor)[1])
        return {column: json.dumps(value, ensure_ascii=False) if value else "[]" for column, value in names.items()}

    def _add(self, record: ClaimRecord, source: dict) -> None:
        source_id = source["id"]
        claim_id = self.next_claim_id
        self.next_claim_id += 1
        self.pending_keys[(source_id, record.text)] = claim_id
        status = record.changes[-1].status if record.changes else record.status
        self.pending["claims"].append(
            {
                "id": claim_id,
                "text": record.text,
                "translation": record.translation,
                "language": record.language or source["language"],
                "is_quote": int(record.quote),
                "source_id": source_id,
                "said_on": record.said_on,
                "status": status,
                "notes": record.notes,
                **self._party_columns(record.parties),
                "created_at": self.timestamp,
                "updated_at": self.timestamp,
                "status_changed_at": self.timestamp,
                "created_by": self.user,
            }
        )
        self.pending["attributions"].extend(self._party_row(claim_id, party) for party in _ordered(record.parties, self.columns))
        self.pending["figures"].extend(figure.row(claim_id) for figure in record.figures)
        self.pending["status_changes"].extend(self._history_rows(claim_id, record, source["published"], start=0))

    def _history_rows(self, claim_id: int, record: ClaimRecord, published: str | None, start: int) -> Iterator[dict]:
        entries = _history(record, published)
        for index in range(start, len(entries)):
            to_status, reason, evidence, date = entries[index]
            yield {
                "claim_id": claim_id,
                "from_status": entries[index - 1][0] if index else None,
                "to_status": to_status,
                "reason": reason,
                "evidence_url": evidence,
                "changed_on": date,
                "recorded_at": self.timestamp,
                "recorded_by": self.user,
            }

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
        key = lambda r: (r["actor_id"], r["role"], r["source_id"], r["stated_on"])  # noqa: E731
        recorded = list(self.db["attributions"].rows_where("claim_id = ?", [claim_id], order_by="id"))
        if sorted(map(key, recorded), key=repr) == sorted(map(key, wanted), key=repr):
            return False
        self.db["attributions"].delete_where("claim_id = ?", [claim_id])
        self.db["attributions"].insert_all(wanted)
        self.db["claims"].update(claim_id, self._party_columns(record.parties) | {"updated_at": self.timestamp})
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
        self.db["figures"].insert_all(f.row(claim_id) for f in figures)
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
        self.db["status_changes"].insert_all(self._history_rows(claim_id, record, source["published"], start=len(recorded)))
        self.db["claims"].update(
            claim_id, {"status": wanted[-1][0], "status_changed_at": self.timestamp, "updated_at": self.timestamp}
        )
        return True


def _ordered(parties: list[Party], columns: dict[str, str]) -> list[Party]:
    """Parties in role order, so that attribution ids follow the order of the per-role columns."""
    order = list(columns)
    return sorted(parties, key=lambda party: order.index(party.role))


def _history(record: ClaimRecord, published: str | None) -> list[tuple]:
    """(status, reason, evidence, date) of the initial status and every later change."""
    initial = (record.status, record.reason or model.INITIAL_STATUS_REASON, None, record.said_on or published)
    return [initial] + [(c.status, c.reason, c.evidence, c.date) for c in record.changes]
