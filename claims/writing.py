"""The one way a claim, its parties, figures and history are written, whether by a command or by an import.

`ClaimWriter` resolves actors (an unknown one is refused with close matches, unless actors may be created),
builds the rows of a new claim (claim with its identity key, date and per-role columns; attributions; figures;
status history) and applies changes to a recorded claim, each kept in `revisions` with who, when and why.
`claims add`, `claims stance`, `claims edit` and every import call it, so that they cannot disagree.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from json.encoder import encode_basestring
from typing import Any

from sqlite_utils import Database

from . import registry
from .errors import InvalidValue
from .evidence import bodies, check_span
from .records import ClaimRecord
from .values import Figure, fold, identity_key
from .vocabulary import STANCE_ROLES

INITIAL_STATUS_REASON = "Status when the claim was recorded."
UNKNOWN_ACTOR_HINT = "add it with 'claims actor add' or pass --create-actors"
# The columns of the rows written, in the order of their tuples (claims: these, then role columns, then STAMPED).
CLAIM_ROW = (
    "id",
    "group_id",
    "text",
    "text_key",
    "translation",
    "language",
    "is_quote",
    "source_id",
    "said_on",
    "dated",
    "status",
    "notes",
    "span_start",
    "span_end",
)
STAMPED = ("created_at", "updated_at", "status_changed_at", "created_by")
ATTRIBUTION_ROW = ("claim_id", "actor_id", "role", "source_id", "stated_on", "created_at", "recorded_by")
FIGURE_ROW = ("claim_id", *(f.name for f in fields(Figure)))
CHANGE_ROW = (
    "claim_id",
    "from_status",
    "to_status",
    "reason",
    "evidence_url",
    "changed_on",
    "recorded_at",
    "recorded_by",
)
WRITTEN_TABLES = ["claims", "attributions", "figures", "status_changes"]
EDITABLE_FIELDS = ("text", "translation", "language", "is_quote", "said_on", "notes", "source_id")


@dataclass
class Stance:
    """An actor's role on a claim, resolved: what an `attributions` row holds."""

    actor_id: int
    role: str
    source_id: int | None = None
    date: str | None = None


@dataclass
class Outcome:
    """What applying a record to a recorded claim did: changed it, removed something, or kept what the record lacks."""

    changed: bool = False
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def supersedes(role: str, other: str) -> bool:
    """Whether an actor's new `role` on a claim replaces its recorded `other` one (one stance per actor and claim)."""
    return role in STANCE_ROLES and other in STANCE_ROLES and role != other


def role_columns(db: Database) -> dict[str, str]:
    """Map each role to the `claims` column that lists its actors, e.g. asserts -> asserted_by."""
    return {row[0]: row[1] for row in db.execute("select name, claims_column from roles order by rank")}


def json_list(texts: list[str]) -> str:
    """`json.dumps(texts, ensure_ascii=False)`, several times faster."""
    return "[" + ", ".join(map(encode_basestring, texts)) + "]" if texts else "[]"


def claim_id_by_key(db: Database, source_id: int, text_key: str) -> int | None:
    """Id of the claim of this source whose text has this identity key (see `values.identity_key`), or None."""
    row = db.execute(
        "select id from claims where source_id = ? and text_key = ? order by id limit 1", [source_id, text_key]
    ).fetchone()
    return row[0] if row else None


class ClaimWriter:
    """Writes the claims of one command or import: one user, one timestamp, actors resolved once each."""

    def __init__(self, db: Database, *, user: str, timestamp: str, create_actors: bool = False):
        self.db = db
        self.user = user
        self.timestamp = timestamp
        self.create_actors = create_actors
        self.columns = role_columns(db)
        self.role_order = list(self.columns)
        self.actors: dict[str, tuple[int, str]] = {}  # folded name: (id, name)
        self.names: dict[int, str] = {}  # id: name of the actors resolved
        self.created_actors: list[str] = []
        self.texts: dict[int, str] | None = None  # the stored text of each source that has one, read when first needed
        self.inserts = {  # one prepared statement per table, for rows as tuples
            table: "insert into [{}] ({}) values ({})".format(
                table, ", ".join(columns), ", ".join("?" for _ in columns)
            )
            for table, columns in [
                ("claims", (*CLAIM_ROW, *self.columns.values(), *STAMPED)),
                ("attributions", ATTRIBUTION_ROW),
                ("figures", FIGURE_ROW),
                ("status_changes", CHANGE_ROW),
            ]
        }

    # Actors

    def actor(self, name: str) -> tuple[int, str]:
        """(id, name) of the actor called `name` or any alias; an unknown one is created only if allowed."""
        key = fold(name)
        if key not in self.actors:
            actor_id = registry.find_actor_id(self.db, name)
            if actor_id is None:
                if not self.create_actors:
                    registry.get_actor(self.db, name, hint=UNKNOWN_ACTOR_HINT)  # raises NotFound with close matches
                actor_id = registry.add_actor(self.db, name, kind="other")
                self.created_actors.append(name)
            self.actors[key] = (actor_id, self.db["actors"].get(actor_id)["name"])
            self.names[actor_id] = self.actors[key][1]
        return self.actors[key]

    def forget_actors(self) -> None:
        """Drop the actors resolved so far (after a rolled-back savepoint that may have created some)."""
        self.actors.clear()
        self.names.clear()

    # Spans

    def body(self, source_id: int) -> str | None:
        """The stored text of a source, or None (every source's read at once: most keep none)."""
        if self.texts is None:
            self.texts = bodies(self.db)
        return self.texts.get(source_id)

    def text_stored(self, source_id: int, body: str) -> None:
        """Note a text stored since the texts were read, for the spans of the claims written after."""
        if self.texts is not None:
            self.texts[source_id] = body

    def span(self, source_id: int, text: str, given: tuple[int, int] | None = None) -> tuple[int | None, int | None]:
        """(start, end) of the claim text in its source's stored text, or (None, None); a `given` span is checked."""
        return check_span(self.body(source_id), text, given) or (None, None)

    # New claims

    def new_claim_rows(self, claim_id: int, record: ClaimRecord, source: dict, stances: list[Stance]) -> dict:
        """The rows of every table that record a new claim, as tuples in the order of the *_ROW columns."""
        stances = self.ordered(stances)
        status = record.changes[-1].status if record.changes else record.status
        names: dict[str, list[str]] = {column: [] for column in self.columns.values()}
        for stance in stances:
            names[self.columns[stance.role]].append(self.actor_name(stance.actor_id))
        dated = record.said_on or source["published"]
        span = self.span(source["id"], record.text, record.span)
        claim = (
            claim_id,
            claim_id,
            record.text,
            identity_key(record.text),
            record.translation,
            record.language or source["language"],
            int(record.quote),
            source["id"],
            record.said_on,
            dated,
            status,
            record.notes,
            *span,
            *map(json_list, names.values()),
            self.timestamp,
            self.timestamp,
            self.timestamp,
            self.user,
        )
        return {
            "claims": [claim],
            "attributions": [self.attribution_row(claim_id, stance) for stance in stances],
            "figures": [(claim_id, *vars(figure).values()) for figure in record.figures],
            "status_changes": list(self.history_rows(claim_id, record, source["published"])),
        }

    def insert(self, table: str, rows: Iterable[tuple]) -> None:
        """Insert rows (tuples in the order of the table's *_ROW columns)."""
        self.db.conn.executemany(self.inserts[table], rows)

    def ordered(self, stances: list[Stance]) -> list[Stance]:
        """Stances in role order, so that attribution ids follow the order of the per-role columns."""
        if len(stances) < 2:
            return stances
        return sorted(stances, key=lambda stance: self.role_order.index(stance.role))

    def actor_name(self, actor_id: int) -> str:
        if actor_id not in self.names:
            self.names[actor_id] = self.db["actors"].get(actor_id)["name"]
        return self.names[actor_id]

    def attribution_row(self, claim_id: int, stance: Stance) -> tuple:
        return (claim_id, stance.actor_id, stance.role, stance.source_id, stance.date, self.timestamp, self.user)

    def history_rows(
        self, claim_id: int, record: ClaimRecord, published: str | None, start: int = 0
    ) -> Iterator[tuple]:
        """`status_changes` rows from the `start`th entry of the record's history (initial status first) on."""
        entries = history(record, published)
        for index in range(start, len(entries)):
            to_status, reason, evidence, date = entries[index]
            from_status = entries[index - 1][0] if index else None
            yield (claim_id, from_status, to_status, reason, evidence, date, self.timestamp, self.user)

    # Changes to a recorded claim

    def revise(self, claim_id: int, field_name: str, old: Any, new: Any, reason: str) -> dict:
        """Keep one change of a recorded claim in `revisions`; return the revision."""
        revision = {
            "claim_id": claim_id,
            "field": field_name,
            "old_value": json.dumps(old, ensure_ascii=False),
            "new_value": json.dumps(new, ensure_ascii=False),
            "reason": reason,
            "recorded_by": self.user,
            "recorded_at": self.timestamp,
        }
        self.db["revisions"].insert(revision)
        return revision

    def change_fields(self, claim_id: int, changes: dict[str, Any], reason: str) -> list[dict]:
        """Set some of a claim's own fields (EDITABLE_FIELDS), each change kept as a revision."""
        current = self.db["claims"].get(claim_id)
        changes = {name: value for name, value in changes.items() if current[name] != value}
        if not changes:
            return []
        if "text" in changes or "source_id" in changes:
            source_id, text = changes.get("source_id", current["source_id"]), changes.get("text", current["text"])
            other = claim_id_by_key(self.db, source_id, identity_key(text))
            if other is not None and other != claim_id:
                raise InvalidValue(f"claim {other} already has this text in source {source_id}")
        revisions = [self.revise(claim_id, name, current[name], value, reason) for name, value in changes.items()]
        row = dict(changes)
        if "text" in changes:
            row["text_key"] = identity_key(changes["text"])
        if "text" in changes or "source_id" in changes:
            row["span_start"], row["span_end"] = self.span(source_id, text)
        self.db["claims"].update(claim_id, row | {"updated_at": self.timestamp})
        return revisions

    def stances_of(self, claim_id: int) -> list[dict]:
        """The claim's attributions: id, actor_id, role, source_id, stated_on."""
        return list(
            self.db.query(
                "select id, actor_id, role, source_id, stated_on from attributions where claim_id = ? order by id",
                [claim_id],
            )
        )

    def add_stance(self, claim_id: int, stance: Stance, reason: str, *, supersede: bool = True) -> list[dict]:
        """Add an actor's role on a claim; a new stance (confirms, denies...) supersedes the actor's earlier one.

        Returns the attributions it superseded (kept in revisions). With `supersede` false, an earlier
        different stance is left alone and InvalidValue says so.
        """
        recorded = self.stances_of(claim_id)
        if any(row["actor_id"] == stance.actor_id and row["role"] == stance.role for row in recorded):
            raise InvalidValue(
                f"claim {claim_id} already records that {self.actor_name(stance.actor_id)!r} {stance.role}"
            )
        replaced = [
            row for row in recorded if row["actor_id"] == stance.actor_id and supersedes(stance.role, row["role"])
        ]
        if replaced and not supersede:
            raise InvalidValue(
                f"claim {claim_id} records that {self.actor_name(stance.actor_id)!r} {replaced[0]['role']}"
            )
        before = self.party_lists(claim_id)
        for row in replaced:
            self.db["attributions"].delete(row["id"])
        self.insert("attributions", [self.attribution_row(claim_id, stance)])
        self.record_party_change(claim_id, before, reason)
        return replaced

    def party_lists(self, claim_id: int) -> dict[str, list]:
        """Each role column's parties, as exports write them: a name, or {actor, date, source} for a stance taken elsewhere."""
        lists: dict[str, list] = {column: [] for column in self.columns.values()}
        for row in self.db.query(
            "select attributions.role, attributions.source_id, attributions.stated_on, actors.name from attributions "
            "join actors on actors.id = attributions.actor_id where claim_id = ? order by attributions.id",
            [claim_id],
        ):
            party: Any = row["name"]
            if row["stated_on"] or row["source_id"]:
                party = {"actor": row["name"], "date": row["stated_on"], "source": row["source_id"]}
                party = {key: value for key, value in party.items() if value is not None}
            lists[self.columns[row["role"]]].append(party)
        return lists

    def record_party_change(self, claim_id: int, before: dict[str, list], reason: str) -> None:
        """Keep in revisions each role column that lost or changed a party, and rewrite the claim's per-role columns.

        A party only added needs no revision: its attribution says who recorded it, and when.
        """
        after = self.party_lists(claim_id)
        for column, old in before.items():
            if after[column][: len(old)] != old:
                self.revise(claim_id, column, old, after[column], reason)
        self.sync_party_columns(claim_id, after)

    def sync_party_columns(self, claim_id: int, lists: dict[str, list] | None = None) -> None:
        """Rewrite the claim's per-role JSON arrays of actor names from its attributions."""
        lists = lists or self.party_lists(claim_id)
        names = {
            column: json_list([p["actor"] if isinstance(p, dict) else p for p in parties])
            for column, parties in lists.items()
        }
        self.db["claims"].update(claim_id, names | {"updated_at": self.timestamp})

    def figures_of(self, claim_id: int) -> list[Figure]:
        return [
            Figure.from_row(row)
            for row in self.db["figures"].rows_where(
                "claim_id = ?", [claim_id], select="measure, qualifier, low, high, unit", order_by="id"
            )
        ]

    def set_figures(self, claim_id: int, figures: list[Figure], reason: str) -> dict | None:
        """Replace a claim's figures, kept as a revision of `figures`; None if they are the same."""
        old = self.figures_of(claim_id)
        if old == list(figures):
            return None
        self.db["figures"].delete_where("claim_id = ?", [claim_id])
        self.insert("figures", [(claim_id, *vars(figure).values()) for figure in figures])
        self.db["claims"].update(claim_id, {"updated_at": self.timestamp})
        return self.revise(claim_id, "figures", [f.spec() for f in old], [f.spec() for f in figures], reason)

    def apply(self, claim_id: int, record: ClaimRecord, stances: list[Stance], *, prune: bool, reason: str) -> Outcome:
        """Bring a recorded claim in line with a record of it: what the record states is added or changed; what it
        does not mention (a field left out, a party or figure recorded since) is kept unless `prune`."""
        outcome = Outcome()
        row = self.db["claims"].get(claim_id)
        wanted = {
            "text": record.text,
            "translation": record.translation,
            "language": record.language,
            "is_quote": int(record.quote),
            "said_on": record.said_on,
            "notes": record.notes,
        }
        changes = {}
        for name, value in wanted.items():
            if name == "language" and value is None:
                continue  # a record without a language has its source's
            if value in (None, 0) and row[name] not in (None, 0):
                if prune:
                    changes[name] = None if name != "is_quote" else 0
                    outcome.removed.append(f"claim {claim_id}: {_field_name(name)} {row[name]!r}")
                else:
                    outcome.kept.append(f"claim {claim_id}: {_field_name(name)} {row[name]!r}")
            elif value not in (None, 0) and row[name] != value:
                changes[name] = value
        outcome.changed |= bool(self.change_fields(claim_id, changes, reason))
        if record.span is not None and (row["span_start"], row["span_end"]) != record.span:
            start, end = self.span(row["source_id"], record.text, record.span)
            self.db["claims"].update(claim_id, {"span_start": start, "span_end": end})
        outcome.changed |= self._apply_stances(claim_id, stances, prune, reason, outcome)
        outcome.changed |= self._apply_figures(claim_id, record.figures, prune, reason, outcome)
        return outcome

    def _apply_stances(self, claim_id: int, stances: list[Stance], prune: bool, reason: str, outcome: Outcome) -> bool:
        recorded = self.stances_of(claim_id)
        before = self.party_lists(claim_id)
        by_party = {(row["actor_id"], row["role"]): row for row in recorded}
        wanted = {(stance.actor_id, stance.role) for stance in stances}
        changed = False
        for stance in self.ordered(stances):
            row = by_party.get((stance.actor_id, stance.role))
            name = self.actor_name(stance.actor_id)
            if row is not None:
                restated = (stance.source_id or row["source_id"], stance.date or row["stated_on"])
                if restated != (row["source_id"], row["stated_on"]):
                    self.db["attributions"].update(row["id"], {"source_id": restated[0], "stated_on": restated[1]})
                    changed = True
                continue
            rivals = [
                r
                for r in recorded
                if r["actor_id"] == stance.actor_id
                and supersedes(stance.role, r["role"])
                and (r["actor_id"], r["role"]) not in wanted
            ]
            if rivals and not prune:
                outcome.kept.append(
                    f"claim {claim_id}: {name} {rivals[0]['role']} (the file says {stance.role}; --prune applies the file)"
                )
                wanted.add((rivals[0]["actor_id"], rivals[0]["role"]))  # reported once
                continue
            for rival in rivals:
                self.db["attributions"].delete(rival["id"])
                by_party.pop((rival["actor_id"], rival["role"]), None)
                outcome.removed.append(f"claim {claim_id}: {name} {rival['role']} (superseded by {stance.role})")
            self.insert("attributions", [self.attribution_row(claim_id, stance)])
            changed = True
        for (actor_id, role), row in by_party.items():
            if (actor_id, role) in wanted:
                continue
            line = f"claim {claim_id}: {self.columns[role]} {self.actor_name(actor_id)}"
            if prune:
                self.db["attributions"].delete(row["id"])
                outcome.removed.append(line)
                changed = True
            else:
                outcome.kept.append(line)
        if changed:
            self.record_party_change(claim_id, before, reason)
        return changed

    def _apply_figures(self, claim_id: int, figures: list[Figure], prune: bool, reason: str, outcome: Outcome) -> bool:
        recorded = self.figures_of(claim_id)
        missing = [figure for figure in recorded if figure not in figures]
        if missing and not prune:
            outcome.kept += [f"claim {claim_id}: figure {figure.spec()}" for figure in missing]
            figures = recorded + [figure for figure in figures if figure not in recorded]
        else:
            outcome.removed += [f"claim {claim_id}: figure {figure.spec()}" for figure in missing]
        return self.set_figures(claim_id, figures, reason) is not None


def _field_name(column: str) -> str:
    return {"is_quote": "quote"}.get(column, column)


def history(record: ClaimRecord, published: str | None) -> list[tuple]:
    """(status, reason, evidence, date) of the record's initial status and every later change."""
    initial = (record.status, record.reason or INITIAL_STATUS_REASON, None, record.said_on or published)
    return [initial] + [(c.status, c.reason, c.evidence, c.date) for c in record.changes]


def set_reports_status(
    db: Database,
    claim_ids: list[int],
    status: str,
    *,
    reason: str,
    user: str,
    timestamp: str,
    evidence: str | None = None,
    on: str | None = None,
) -> list[dict]:
    """Give these reports `status` (inside the caller's transaction), each change kept in its history."""
    on = on or datetime.date.today().isoformat()
    changes = []
    placeholders = ", ".join("?" for _ in claim_ids)
    for report_id, old in db.execute(
        f"select id, status from claims where id in ({placeholders}) order by id", claim_ids
    ).fetchall():
        if old == status:
            continue
        db["status_changes"].insert(
            {
                "claim_id": report_id,
                "from_status": old,
                "to_status": status,
                "reason": reason,
                "evidence_url": evidence,
                "changed_on": on,
                "recorded_at": timestamp,
                "recorded_by": user,
            }
        )
        db["claims"].update(report_id, {"status": status, "status_changed_at": timestamp, "updated_at": timestamp})
        changes.append({"claim_id": report_id, "from": old, "to": status})
    return changes
