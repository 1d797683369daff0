"""Importing a file or a folder: every record read and checked, then written in one transaction.

An import collects every problem (each naming file, line or record, and field) and writes nothing
if any is wrong (unless `skip_invalid`); a large JSON Lines or CSV file is read and checked by a
second process while the first writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from .. import model
from ..db import write_transaction
from ..errors import ClaimsError, InvalidValue
from ..records import (
    ClaimRecord,
    InvalidRecords,
    Problem,
    clean_record,
    clean_source_declaration,
    surrogate_at,
    valid_unicode,
)
from .bulk import fewer_collections, in_background
from .importer import HistoryConflict, Importer, ImportSummary, RecordRefused, import_transaction
from .readers import (
    ACTOR_FIELDS,
    FORMATS,
    STREAMED,
    Item,
    detect_format,
    open_binary,
    read_claimreview,
    read_yaml,
)

BACKGROUND_BYTES = 2_000_000  # a larger JSON Lines or CSV file is read and checked by a second process


# Importing


def import_path(
    db: Database,
    path: Path,
    *,
    format: str | None = None,
    skip_invalid: bool = False,
    rejects: IO[str] | None = None,
    mapping=None,
    progress: Callable[[int, int | None], None] | None = None,
    prune: bool = False,
    create_actors: bool = False,
    read: Callable[[], tuple[list[dict], Iterator[Item], int | None]] | None = None,
    summary: ImportSummary | None = None,
) -> ImportSummary:
    """Import `path` in one transaction; return what happened.

    Every record is checked. If any is invalid, nothing is written (the transaction
    is rolled back) and `InvalidRecords` lists every problem; with `skip_invalid`
    the valid records are kept and the invalid ones written to `rejects`.

    An actor the input names must be recorded or declared by the input (a YAML `actors:` section, an
    `{"actor": ...}` line of JSON Lines), unless `create_actors`. What a recorded claim holds and the input
    does not mention (a party, a figure, a field, a link it holds) is kept and listed in the summary, unless
    `prune`. Links are written once every claim is, so that a link may name a claim further on in the input.
    ClaimReview imports create the actors their reviews name: published reviews name them first.
    `read` replaces reading `path` (it returns actors, items and how many); `summary` is the one to fill.
    """
    format = format or detect_format(path)
    actors, items, total = read() if read else _reader(path, format, mapping)
    summary = summary if summary is not None else ImportSummary()
    problems = _check_actors(db, actors)
    with import_transaction(db, total or 0), fewer_collections():
        importer = Importer(db, summary, prune=prune, create_actors=create_actors or format == "claimreview")
        importer.defer_indexing(expected=total or 0)
        if not problems:
            for actor in actors:
                problems += _declare_actor(db, importer, actor)
        if format in STREAMED and path.stat().st_size > BACKGROUND_BYTES:
            checked = (
                _unpacked(*values) for values in in_background(_check_streamed, path, format, idle=importer.work_ahead)
            )
        else:
            checked = _checked(items)
        for count, (item, record, errors) in enumerate(checked, 1):
            if item.note is not None:
                summary.notes.append(item.note)
                continue
            if item.actor is not None:
                problems += _check_actors(db, [item.actor]) or _declare_actor(db, importer, item.actor)
                continue
            if item.source is not None:
                if skip_invalid or not problems:
                    problems += _declare_source(importer, item.source, item.where)
                continue
            if record is not None and (skip_invalid or not problems):
                errors = _write(db, importer, record, item.where)
            elif record is not None:
                importer.unwritten(record, item.where)  # its links are still checked, so that every problem is listed
            if errors:
                problems.extend(errors)
                summary.rejected += 1
                if rejects is not None:
                    _write_reject(rejects, item, errors)
            if progress and count % 1000 == 0:
                progress(count, total)
        if problems and not skip_invalid:
            problems += importer.check_links()
            raise InvalidRecords(problems, path.name)  # rolls back everything, dropped indexes and triggers included
        importer.finish()
        problems += importer.write_links()  # once every claim is written: a link may name a claim further on
        if problems and not skip_invalid:
            raise InvalidRecords(problems, path.name)
    summary.problems = problems
    return summary


def _checked(items: Iterable[Item]) -> Iterator[tuple[Item, ClaimRecord | None, list[Problem]]]:
    """Each item with its record cleaned, or with the problems that keep it out (none for a note)."""
    for item in items:
        if isinstance(item.record, dict) and item.record.keys() == {"actor"}:
            declared = item.record["actor"]
            if not isinstance(declared, dict):
                yield item, None, [Problem(item.where, "actor", "must be a mapping of name, kind, country, aliases")]
                continue
            item.actor, item.record = {"where": item.where, **declared}, None
            yield item, None, []
        elif item.source is not None or _declares_source(item.record):
            declared = item.source if item.source is not None else item.record["source"]
            item.source, problems = clean_source_declaration(declared, item.where)
            item.record = None
            yield item, None, problems
        elif item.note is not None:
            yield item, None, []
        elif item.problem is not None:
            yield item, None, [Problem(item.where, "", item.problem)]
        else:
            yield (item, *clean_record(item.record, item.where))


def _declares_source(record: Any) -> bool:
    """Whether a record is a JSON Lines `{"source": {..., "body": ...}}` line: a source and the text it keeps."""
    return (
        isinstance(record, dict)
        and record.keys() == {"source"}
        and isinstance(record["source"], dict)
        and "body" in record["source"]
    )


def _check_streamed(path: Path, format: str) -> Iterator[tuple]:
    """`_checked` items of a JSON Lines or CSV file as plain values: what the second process sends while the first writes."""
    for item, record, errors in _checked(STREAMED[format](path)):
        if record and item.raw is not None:
            item.record = None  # a valid line: its text is enough, should it be rejected later (see _write_reject)
        yield tuple(vars(item).values()), record.values() if record else None, [tuple(vars(p).values()) for p in errors]


def _unpacked(item: tuple, record: tuple | None, errors: list[tuple]) -> tuple[Item, ClaimRecord | None, list[Problem]]:
    """A `_checked` item from the plain values `_check_streamed` sent."""
    return Item(*item), ClaimRecord.from_values(record) if record else None, [Problem(*p) for p in errors]


def _reader(path: Path, format: str, mapping) -> tuple[list[dict], Iterator[Item], int | None]:
    """Actors to record first, the items to import, and how many there are (lines, for streamed files)."""
    if format == "yaml":
        actors, items = read_yaml(path)
        return actors, iter(items), len(items)
    if format in STREAMED:
        return [], STREAMED[format](path), _count_lines(path)
    if format == "claimreview":
        items = list(read_claimreview(path, mapping))
        return [], iter(items), len(items)
    raise InvalidValue(f"unknown format {format!r}: expected one of {', '.join(FORMATS)}")


def _count_lines(path: Path) -> int:
    with open_binary(path) as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def _write(db: Database, importer: Importer, record, where: str) -> list[Problem]:
    """Write one record; a record that contradicts recorded history is left alone and reported."""
    try:
        importer.write(record, where)
    except HistoryConflict as e:
        return [Problem(where, "changes", str(e))]
    except RecordRefused as e:
        return [Problem(where, e.field, str(e))]
    return []


def _declare_actor(db: Database, importer: Importer, actor: dict) -> list[Problem]:
    """Record an actor the input declares, or bring the recorded one in line with it; the problem if it cannot be."""
    try:
        with write_transaction(db):
            importer.add_actor(actor["name"], actor["kind"], actor.get("country"), actor.get("aliases") or [])
    except ClaimsError as e:
        return [Problem(actor["where"], "", str(e))]
    return []


def _declare_source(importer: Importer, source: dict, where: str) -> list[Problem]:
    """Record a source the input declares, with its text; the problem if it cannot be (another text is recorded)."""
    try:
        importer.declare_source(source, where)
    except RecordRefused as e:
        return [Problem(where, e.field, str(e))]
    return []


def _check_actors(db: Database, actors: list[dict]) -> list[Problem]:
    problems = []
    kinds = {row["name"] for row in model.vocabulary(db, "actor_kinds")}
    for actor in actors:
        where = actor["where"]
        for unknown in sorted(set(actor) - ACTOR_FIELDS - {"where"}, key=str):
            problems.append(Problem(where, unknown, "unknown field"))
        if not isinstance(actor.get("name"), str) or not actor["name"].strip():
            problems.append(Problem(where, "name", "actor name is empty"))
        if actor.get("kind") not in kinds:
            problems.append(
                Problem(
                    where,
                    "kind",
                    f"unknown actor kind {actor.get('kind')!r}: expected one of {', '.join(sorted(kinds))}",
                )
            )
        if not isinstance(actor.get("aliases") or [], list):
            problems.append(Problem(where, "aliases", "must be a list"))
        texts = [("name", actor.get("name")), ("country", actor.get("country"))]
        if isinstance(actor.get("aliases"), list):
            texts += [(f"aliases[{index}]", alias) for index, alias in enumerate(actor["aliases"], 1)]
        for name, text in texts:
            try:
                valid_unicode(text if isinstance(text, str) else None)
            except InvalidValue as e:
                problems.append(Problem(where, name, str(e)))
    return problems


def _write_reject(out: IO[str], item: Item, problems: list[Problem]) -> None:
    """One JSON line per rejected record: where, why, and the record (or the raw line if unreadable)."""
    record = item.record
    if record is None and item.problem is None and item.raw is not None:  # a valid line sent without its record
        record = json.loads(item.raw)
    rejected = {"where": item.where, "problems": [str(p) for p in problems], "record": record}
    if record is None:
        rejected["line"] = item.raw
    line = json.dumps(rejected, ensure_ascii=False)
    if surrogate_at(line) is not None:  # a lone surrogate can only be written as the \u escape it was read from
        line = json.dumps(rejected)
    out.write(line + "\n")
