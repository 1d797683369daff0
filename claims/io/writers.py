"""Writing claims files: YAML claims-as-code, JSON Lines and CSV, streamed from the database in id order."""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sqlite_utils import Database

from .. import model
from ..records import (
    SOURCE_FIELDS,
)
from ..values import without_empty
from ..vocabulary import PARTY_COLUMNS, ROLE_NAMES, ROLE_OF_COLUMN
from ..writing import INITIAL_STATUS_REASON
from .readers import ACTOR_FIELDS_ORDER, CSV_COLUMNS, LIST_SEPARATOR

# Exporting


def iter_claims(db: Database, where: str = "", args: list | None = None) -> Iterator[dict]:
    """Every claim as a record, streamed in id order (one pass over each table)."""
    sources = {row["id"]: row for row in db["sources"].rows}
    actor_names = {row["id"]: row["name"] for row in db["actors"].rows}
    columns = PARTY_COLUMNS
    claim_filter = f" where {where}" if where else ""
    related = {
        "attributions": _grouped(
            db,
            f"select * from attributions where claim_id in (select id from claims{claim_filter}) order by claim_id, id",
            args,
        ),
        "figures": _grouped(
            db,
            f"select * from figures where claim_id in (select id from claims{claim_filter}) order by claim_id, id",
            args,
        ),
        "status_changes": _grouped(
            db,
            f"select * from status_changes where claim_id in (select id from claims{claim_filter}) order by claim_id, id",
            args,
        ),
        "links": _grouped(
            db,
            "select current_links.claim_id, current_links.relation, other.source_id, other.text, current_links.reason "
            "from current_links join claims as other on other.id = current_links.other_id "
            f"where current_links.claim_id in (select id from claims{claim_filter}) "
            "order by current_links.claim_id, other.id",
            args,
        ),
    }
    for claim in db.query(f"select * from claims{claim_filter} order by id", args or []):
        parts = {name: group.rows_for(claim["id"]) for name, group in related.items()}
        yield _claim_record(claim, parts, sources, actor_names, columns)


class _grouped:
    """Rows of a query ordered by claim_id, handed out claim by claim as the claims stream by."""

    def __init__(self, db: Database, sql: str, args: list | None):
        self.cursor = db.execute(sql, args or [])
        self.names = [d[0] for d in self.cursor.description]
        self._advance()

    def _advance(self) -> None:
        row = self.cursor.fetchone()
        self.next_row = dict(zip(self.names, row, strict=False)) if row else None

    def rows_for(self, claim_id: int) -> list[dict]:
        rows = []
        while self.next_row is not None and self.next_row["claim_id"] == claim_id:
            rows.append(self.next_row)
            self._advance()
        return rows


def _source_record(source: dict) -> dict:
    return without_empty({name: source[name] for name in SOURCE_FIELDS})


def _claim_record(claim: dict, parts: dict, sources: dict, actor_names: dict, columns: dict) -> dict:
    from ..values import Figure

    record: dict[str, Any] = {"text": claim["text"]}
    for name in ("translation", "language", "said_on"):
        if claim[name] is not None:
            record[name] = claim[name]
    if claim["is_quote"]:
        record["quote"] = True
    for row in sorted(parts["attributions"], key=lambda row: ROLE_NAMES.index(row["role"])):
        name = actor_names[row["actor_id"]]
        party: Any = name
        if row["stated_on"] or row["source_id"]:
            party = {"actor": name}
            if row["stated_on"]:
                party["date"] = row["stated_on"]
            if row["source_id"]:
                party["source"] = _source_record(sources[row["source_id"]])
        record.setdefault(columns[row["role"]], []).append(party)
    figures = [Figure.from_row(row).spec() for row in parts["figures"]]
    if figures:
        record["figures"] = figures
    history = parts["status_changes"]
    if history:
        record["status"] = history[0]["to_status"]
        if history[0]["reason"] != INITIAL_STATUS_REASON:
            record["reason"] = history[0]["reason"]
        changes = [
            without_empty(
                {
                    "status": row["to_status"],
                    "reason": row["reason"],
                    "evidence": row["evidence_url"],
                    "date": row["changed_on"],
                }
            )
            for row in history[1:]
        ]
        if changes:
            record["changes"] = changes
    if claim["notes"] is not None:
        record["notes"] = claim["notes"]
    if parts["links"]:
        record["links"] = [
            {
                "relation": row["relation"],
                "source": _source_record(sources[row["source_id"]]),
                "text": row["text"],
                "reason": row["reason"],
            }
            for row in parts["links"]
        ]
    if claim["span_start"] is not None and claim["span_end"] is not None:
        record["span"] = [claim["span_start"], claim["span_end"]]
    record["source"] = _source_record(sources[claim["source_id"]])
    return record


class LiteralText(str):
    """Text written as a YAML literal block (`|`), line for line as stored: a source's body."""


def _text_fields(row: dict | None, *, with_html: bool) -> dict:
    """A source's stored text as files carry it: body, body_sha256, stored_at (and html_zlib, base64, in JSON Lines)."""
    if row is None:
        return {}
    fields = {"body": row["body"], "body_sha256": row["body_sha256"], "stored_at": row["stored_at"]}
    if with_html and row["html_zlib"] is not None:
        import base64

        fields["html_zlib"] = base64.b64encode(row["html_zlib"]).decode("ascii")
    return fields


def source_declarations(db: Database) -> Iterator[dict]:
    """Every source that keeps a text, as a JSON Lines `{"source": {...}}` line declares it, its page included."""
    texts = "select source_id, body, body_sha256, html_zlib, stored_at from source_texts order by source_id"
    for text in db.query(texts):
        source = db["sources"].get(text["source_id"])
        yield {"source": _source_record(source) | _text_fields(text, with_html=True)}


def actor_records(db: Database) -> list[dict]:
    """Every actor as an import declares it: name, kind, country, aliases."""
    return [without_empty({key: actor[key] for key in ACTOR_FIELDS_ORDER}) for actor in model.list_actors(db)]


def write_jsonl(
    records: Iterator[dict], out: IO[str], actors: Iterable[dict] = (), sources: Iterable[dict] = ()
) -> int:
    """One JSON object per line, after an `{"actor": {...}}` line per actor and a `{"source": {...}}` line per
    source declared (those keeping a text: see `source_declarations`); returns how many claims."""
    for actor in actors:
        out.write(json.dumps({"actor": actor}, ensure_ascii=False) + "\n")
    for source in sources:
        out.write(json.dumps(source, ensure_ascii=False) + "\n")
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterator[dict], out: IO[str]) -> int:
    """One row per claim in CSV_COLUMNS; parties keep names only, history keeps the initial status, links are JSON."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for record in records:
        count += 1
        row = {
            name: record.get(name)
            for name in ("text", "translation", "language", "said_on", "status", "reason", "notes")
        }
        row["quote"] = "true" if record.get("quote") else ""
        row.update({f"source_{name}": record["source"].get(name) for name in SOURCE_FIELDS})
        for column in ROLE_OF_COLUMN:
            names = [p["actor"] if isinstance(p, dict) else p for p in record.get(column, [])]
            row[column] = LIST_SEPARATOR.join(names)
        row["figures"] = LIST_SEPARATOR.join(record.get("figures", []))
        row["links"] = json.dumps(record["links"], ensure_ascii=False) if record.get("links") else ""
        writer.writerow(row)
    return count


def yaml_document(db: Database) -> dict:
    """The whole database as a claims-as-code document: sources (with keys), actors, claims.

    Sources come in the order an import meets them (a claim's source, then those of its parties), so that
    importing the document into an empty database records them in the same order, and exports the same.
    """
    rows = {row["id"]: row for row in db["sources"].rows_where(order_by="id")}
    by_identity = {tuple(sorted(_source_record(row).items())): row["id"] for row in rows.values()}
    claims = list(iter_claims(db))
    met: dict[int, None] = {}
    for record in claims:
        met.setdefault(by_identity[tuple(sorted(record["source"].items()))])
        for party in (party for column in ROLE_OF_COLUMN for party in record.get(column, [])):
            if isinstance(party, dict) and "source" in party:
                met.setdefault(by_identity[tuple(sorted(party["source"].items()))])
    ordered = [rows[source_id] for source_id in [*met, *(i for i in rows if i not in met)]]
    keys = _source_keys(ordered)
    query = "select source_id, body, body_sha256, stored_at from source_texts"
    texts = {row["source_id"]: row for row in db.query(query)}
    sources = []
    for row in ordered:
        text = _text_fields(texts.get(row["id"]), with_html=False)
        if text:
            text["body"] = LiteralText(text["body"])
        sources.append({"key": keys[row["id"]], **_source_record(row), **text})
    for record in claims:
        record["source"] = keys[by_identity[tuple(sorted(record["source"].items()))]]
        for link in record.get("links", []):
            link["source"] = keys[by_identity[tuple(sorted(link["source"].items()))]]
    return {"sources": sources, "actors": actor_records(db), "claims": claims}


def write_yaml(db: Database, out: IO[str]) -> int:
    """The claims-as-code YAML file; returns how many claims."""
    document = yaml_document(db)
    out.write("# claims-as-code: sources, actors and claims. Edit, review, then `claims import` this file.\n")
    dump_yaml(document, out)
    return len(document["claims"])


def dump_yaml(document: dict, out: IO[str]) -> None:
    """Write a claims-as-code document in the export's YAML dialect."""
    import yaml

    yaml.dump(document, out, Dumper=_dumper(), allow_unicode=True, sort_keys=False, width=110)


@functools.cache
def _dumper():
    """PyYAML's safe dumper, writing a LiteralText as a literal block where YAML allows it (else quoted)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(
        LiteralText, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style="|")
    )
    return Dumper


def _source_keys(rows: list[dict]) -> dict[int, str]:
    """A stable, readable key per source (in the order given): outlet and date, or the title's first words."""
    import re

    from ..values import fold

    keys, used = {}, set()
    for row in rows:
        words = fold(" ".join(filter(None, [row["outlet"], row["published"]])) or row["title"]).split()[:6]
        base = "-".join(words) or "source"
        base = re.sub(r"[^a-z0-9-]", "", base)[:60] or "source"
        key, n = base, 2
        while key in used:
            key, n = f"{base}-{n}", n + 1
        used.add(key)
        keys[row["id"]] = key
    return keys


def write_claimreviews(
    db: Database, out: IO[str], *, reviewer: dict, mapping: dict | None = None, base_url: str | None = None
) -> int:
    """ClaimReview JSON-LD of every reviewed claim (`claimreview.is_reviewed`), a JSON list written one review at a
    time, as `json.dumps(reviews, indent=2)` would; return how many."""
    from .claimreview import DEFAULT_MAPPING, is_reviewed, review_of

    count = 0
    for row in db.execute("select id from claims where id = group_id order by id").fetchall():
        claim = model.get_claim(db, row[0])
        if not is_reviewed(claim):
            continue
        review = review_of(claim, reviewer=reviewer, mapping=mapping or DEFAULT_MAPPING, base_url=base_url)
        indented = json.dumps(review, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("[\n  " if not count else ",\n  ") + indented)
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count
