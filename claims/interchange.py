"""Claims in and out: YAML claims-as-code, JSON Lines, CSV and ClaimReview.

An import checks every record (collecting every problem, each naming file, line or
record, and field) and writes them in one transaction, rolled back if any is wrong
(unless `skip_invalid`). JSON Lines and CSV are streamed both ways: memory does not
grow with the file; a large one is read and checked by a second process while the
first writes.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from . import model
from .bulk import fewer_collections, in_background
from .db import write_transaction
from .errors import ClaimsError, InvalidValue
from .importer import HistoryConflict, Importer, ImportSummary, RecordRefused, import_transaction
from .migrations import ROLES
from .records import (
    CLAIM_FIELDS,
    ROLE_BY_COLUMN,
    SOURCE_FIELDS,
    SOURCE_TEXT_FIELDS,
    ClaimRecord,
    InvalidRecords,
    Problem,
    clean_record,
    clean_source_declaration,
    surrogate_at,
    valid_unicode,
)
from .writing import INITIAL_STATUS_REASON

FORMATS = ("yaml", "jsonl", "csv", "claimreview")
SUFFIXES = {".yml": "yaml", ".yaml": "yaml", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
            ".json": "claimreview", ".html": "claimreview", ".htm": "claimreview"}  # fmt: skip
MAX_LINE_BYTES = 1_000_000
BACKGROUND_BYTES = 2_000_000  # a larger JSON Lines or CSV file is read and checked by a second process
LIST_SEPARATOR = "; "
CSV_COLUMNS = [
    "text", "translation", "language", "quote", "said_on", "status", "reason", "notes",
    *(f"source_{name}" for name in SOURCE_FIELDS if name != "archive_url"), *ROLE_BY_COLUMN, "figures", "links",
    "source_archive_url",  # last: it came last
]  # fmt: skip
BUNDLE_SECTIONS = {"sources", "actors", "claims"}
ROLE_ORDER = [role for role, _, _ in ROLES]
ACTOR_FIELDS_ORDER = ("name", "kind", "country", "aliases")
ACTOR_FIELDS = set(ACTOR_FIELDS_ORDER)
SECTION_FIELDS = {"claim": CLAIM_FIELDS, "source": ("key", *SOURCE_FIELDS, *SOURCE_TEXT_FIELDS), "actor": ACTOR_FIELDS}


@dataclass
class Item:
    """One record read from an input, or the problem that stopped it being read."""

    where: str
    record: Any = None
    problem: str | None = None
    raw: str | None = None
    note: str | None = None  # something skipped on purpose, reported but not an error
    actor: dict | None = None  # an actor declared by the input (a JSON Lines `{"actor": {...}}` line)
    source: dict | None = None  # a source declared on its own: a `{"source": {..., "body"}}` line, a YAML source no
    # claim names


# Reading


def detect_format(path: Path) -> str:
    """The format of `path` from its suffix (a folder holds YAML files)."""
    if path.is_dir():
        return "yaml"
    try:
        return SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise InvalidValue(f"cannot tell the format of {path.name}: pass --format {'|'.join(FORMATS)}") from None


def read_jsonl(path: Path) -> Iterator[Item]:
    """One record per line; blank lines are skipped, each broken line is reported."""
    with _open_binary(path) as f:
        for number, raw in enumerate(_bounded_lines(f), 1):
            where = f"{path.name}:{number}"
            if raw is None:
                yield Item(where, problem=f"line is longer than {MAX_LINE_BYTES:,} bytes")
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield Item(where, problem=f"not valid UTF-8 (byte {e.start + 1} of the line)")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                hint = " (the line is cut short: is the file truncated?)" if not raw.endswith(b"\n") else ""
                yield Item(where, problem=f"invalid JSON ({e.msg}, character {e.pos + 1}){hint}", raw=line)
                continue
            yield Item(where, record, raw=line)


def _bounded_lines(f: IO[bytes]) -> Iterator[bytes | None]:
    """Lines of a binary file; None for a line over MAX_LINE_BYTES, which is skipped without being held."""
    while line := f.readline(MAX_LINE_BYTES + 1):
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := f.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def read_csv(path: Path) -> Iterator[Item]:
    """One record per row; lists (actors, figures) are separated by '; '."""
    with _open_binary(path) as f:
        text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(text)
        try:
            header = reader.fieldnames or []
            unknown = [c for c in header if c not in CSV_COLUMNS]
            if unknown:
                yield Item(f"{path.name}:1", problem=f"unknown columns {', '.join(unknown)} (expected {', '.join(CSV_COLUMNS)})")
                return
            for row in reader:
                where = f"{path.name}:{reader.line_num}"
                if None in row:
                    yield Item(where, problem="more cells than columns")
                    continue
                try:
                    yield Item(where, _record_from_csv(row))
                except json.JSONDecodeError as e:
                    problem = f"links: invalid JSON ({e.msg}, character {e.pos + 1}): write a JSON list"
                    yield Item(where, problem=problem)
        except UnicodeDecodeError as e:  # raised for a whole chunk of the file, ahead of the rows read
            yield Item(f"{path.name}:{_invalid_utf8_line(path)}", problem=f"not valid UTF-8 ({e.reason})")
        except csv.Error as e:
            yield Item(f"{path.name}:{reader.line_num}", problem=f"malformed CSV: {e}")


def _invalid_utf8_line(path: Path) -> int:
    """The line of the first byte of `path` that is not UTF-8, read chunk by chunk."""
    import codecs

    decoder, line = codecs.getincrementaldecoder("utf-8-sig")(), 1
    with _open_binary(path) as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as e:
                return line + chunk[: max(e.start, 0)].count(b"\n")
            line += chunk.count(b"\n")
    return line


def _record_from_csv(row: dict) -> dict:
    record: dict[str, Any] = {"source": {}}
    for column, value in row.items():
        value = value.strip() if isinstance(value, str) else value
        if column.startswith("source_"):
            record["source"][column.removeprefix("source_")] = value or None
        elif column in ROLE_BY_COLUMN or column == "figures":
            record[column] = [part.strip() for part in value.split(";") if part.strip()] if value else []
        elif column == "links":
            record[column] = json.loads(value) if value else None  # a JSON list: each link is a mapping
        else:
            record[column] = value or None
    return record


def read_yaml(
    path: Path, files: list[Path] | None = None, known_sources: dict | None = None, keys: dict | None = None
) -> tuple[list[dict], list[Item]]:
    """Actors and claim records of a YAML bundle, or of every *.yml/*.yaml file in a folder and its subfolders.

    `files` reads only those (of a folder); `known_sources` are sources by key that files not read declare;
    `keys`, if given, receives each source key read: {key: (where it is declared, the source)}.
    """
    if files is None:
        files = _yaml_files(path) if path.is_dir() else [path]
        if not files:
            raise InvalidValue(f"no .yml or .yaml file in {path}")
    documents = [(file, *_load_yaml(file)) for file in files]
    sources, actors, items, declared = dict(known_sources or {}), [], [], {}
    for file, document, lines in documents:
        for where, (key, source) in _section(document, "sources", file, items, lines, with_where=True):
            sources[str(key)] = source
            declared[str(key)] = where
    if keys is not None:
        keys.update({key: (where, sources[key]) for key, where in declared.items()})
    for file, document, lines in documents:
        for where, actor in _section(document, "actors", file, items, lines, with_where=True):
            actors.append({"where": where, **actor})
        for where, claim in _section(document, "claims", file, items, lines, with_where=True):
            claim, unknown = _with_sources(claim, sources, used=declared)
            if unknown:
                items.append(Item(where, problem=unknown))
                continue
            items.append(Item(where, claim))
    # A source no claim names is recorded too, after the claims (an export lists such sources last).
    items += [Item(where, source=sources[key]) for key, where in declared.items()]
    return actors, items


def _yaml_files(folder: Path) -> list[Path]:
    """The *.yml/*.yaml files of a folder and its subfolders (a claims repository's sources/), but hidden ones."""
    files = (p for p in folder.rglob("*") if p.suffix.lower() in (".yml", ".yaml") and p.is_file())
    return sorted(p for p in files if not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _with_sources(claim: dict, sources: dict, used: dict | None = None) -> tuple[dict, str | None]:
    """The claim with the source keys of it and of its links replaced by their sources; or why not (a key unknown).

    The keys it names are taken out of `used`.
    """

    def source(value, field_name: str):
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value) in sources:
            if used is not None:
                used.pop(str(value), None)
            return sources[str(value)]
        if value is not None and not isinstance(value, dict):
            raise LookupError(f"{field_name}: unknown source key {value!r} (not in any sources section)")
        return value

    try:
        if claim.get("source") is not None:
            claim = {**claim, "source": source(claim["source"], "source")}
        if isinstance(claim.get("links"), list):
            claim["links"] = [
                {**link, "source": source(link["source"], f"links[{n}].source")}
                if isinstance(link, dict) and link.get("source") is not None else link
                for n, link in enumerate(claim["links"], 1)
            ]  # fmt: skip
    except LookupError as e:
        return claim, str(e)
    return claim, None


def _load_yaml(file: Path) -> tuple[dict, dict[str, tuple[int, list[int]]]]:
    """A bundle's sections, and the line of each section and of each of its entries.

    A mistake is refused in one line, `file:line: what is wrong`, in the words of someone editing
    the file by hand: bad indentation, a quote or bracket left open, a tab, a key given twice, an
    unknown section.
    """
    import yaml

    from .repo import conflict_marker

    text = _read_text(file)
    if marker := conflict_marker(text):
        raise InvalidValue(f"{file.name}:{marker[0]}: unresolved git conflict marker {marker[1]!r}: resolve the "
                           "conflict (keep one side, or both), remove the markers, then import again")  # fmt: skip
    loader = None
    try:
        try:
            loader = _bundle_loader()(text)
            root = loader.get_single_node()
        except yaml.YAMLError:  # libyaml words a mistake its own way: the pure-Python parser says it as below
            loader.dispose()
            loader = _bundle_loader(fast=False)(text)
            root = loader.get_single_node()
        if root is None:
            return {}, {}
        duplicate = _duplicate_key(root)
        if duplicate:
            raise InvalidValue(f"{file.name}:{duplicate}")
        lines = _section_lines(root, file)
        return loader.construct_document(root), lines
    except yaml.YAMLError as e:
        line, problem = _yaml_problem(e, text)
        raise InvalidValue(f"{file.name}:{line}: {problem}") from None
    finally:
        if loader is not None:
            loader.dispose()


@functools.cache
def _bundle_loader(fast: bool = True):
    """PyYAML's safe loader, but a date stays the text it is written as (`2025-02-30` is then refused in words).

    `fast` takes libyaml's (about 10 times faster) when PyYAML has it.
    """
    import yaml

    class BundleLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader) if fast else yaml.SafeLoader):
        pass

    BundleLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
    return BundleLoader


def _section_lines(root, file: Path) -> dict[str, tuple[int, list[int]]]:
    """The line of each section of a document and of each of its entries; raise at a section that is not one."""
    import difflib

    import yaml

    sections = ", ".join(sorted(BUNDLE_SECTIONS))
    if not isinstance(root, yaml.MappingNode):
        raise InvalidValue(f"{file.name}:{root.start_mark.line + 1}: a claims YAML file is a mapping of {sections}")
    lines = {}
    for key, value in root.value:
        name, line = key.value if isinstance(key, yaml.ScalarNode) else None, key.start_mark.line + 1
        if name not in BUNDLE_SECTIONS:
            owner = next((owner for owner, fields in SECTION_FIELDS.items() if name in fields), None)
            close = difflib.get_close_matches(str(name), BUNDLE_SECTIONS, n=1)
            if owner:
                article = "an" if owner == "actor" else "a"
                hint = f"; {name!r} is a field of {article} {owner}: indent it under its {owner}"
            else:
                hint = f"; did you mean {close[0]}?" if close else ""
            raise InvalidValue(f"{file.name}:{line}: unknown section {name!r} (expected {sections}{hint})")
        entries = value.value if isinstance(value, yaml.SequenceNode) else []
        lines[name] = line, [entry.start_mark.line + 1 for entry in entries]
    return lines


def _duplicate_key(root) -> str | None:
    """`line: what` of the first key given twice in one mapping, or None. YAML itself silently keeps the last."""
    import yaml

    found, seen = [], set()
    stack = [(root, None)]
    while stack:
        node, parent = stack.pop()
        if id(node) in seen:  # an alias: the same node again
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, node) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            first_lines: dict[str, int] = {}
            for key, value in node.value:
                stack.append((value, node))
                if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                    continue
                if key.value not in first_lines:
                    first_lines[key.value] = key.start_mark.line + 1
                    continue
                if parent is None:
                    hint = f": put all its entries under one '{key.value}:'"
                elif isinstance(parent, yaml.SequenceNode):
                    hint = ": if it starts another entry, begin that with '- '"
                else:
                    hint = ""
                twice = f"{key.value!r} is given twice (first on line {first_lines[key.value]}){hint}"
                found.append((key.start_mark.line + 1, twice))
    return "{}: {}".format(*min(found)) if found else None


QUOTE_ENDS_EARLY = {
    "'": "the value's closing quote comes early: inside '...' write ' as '' (or quote with \"...\")",
    '"': 'the value\'s closing quote comes early: inside "..." write " as \\" (or quote with \'...\')',
}


def _yaml_problem(error, text: str) -> tuple[int, str]:
    """The line of a YAML mistake and what it is, said as to someone editing the file by hand."""
    import re

    import yaml

    if isinstance(error, yaml.reader.ReaderError):
        line = text[: error.position].count("\n") + 1
        return line, f"character U+{error.character:04X} is not allowed in YAML: remove it"
    problem, context = getattr(error, "problem", None) or "", getattr(error, "context", None) or ""
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return 1, f"invalid YAML ({problem or error})"
    start = getattr(error, "context_mark", None) or mark
    lines = text.splitlines() + [""]
    line, here, opening = mark.line + 1, lines[mark.line], lines[start.line][start.column : start.column + 1]
    if "'\\t'" in problem:
        return line, "a tab character: use spaces instead (YAML does not accept tabs for indentation)"
    if "cannot start any token" in problem or context.startswith(("while scanning an alias", "while scanning an anch")):
        return start.line + 1, f"a value cannot start with {opening!r}: put the value in quotes"
    if "undefined alias" in problem or "could not determine a constructor for the tag" in problem:
        return line, f"a value cannot start with {here[mark.column : mark.column + 1]!r}: put the value in quotes"
    if "quoted scalar" in context and "end of stream" in problem:
        return start.line + 1, "the quote opened on this line is never closed"
    if "unknown escape character" in problem:
        return line, "a backslash inside \"...\" starts an escape such as \\n: write \\\\ for one, or quote with '...'"
    if context.startswith(("while parsing a flow sequence", "while parsing a flow mapping")):
        closing = "]" if opening == "[" else "}"
        return start.line + 1, f"the {opening!r} at column {start.column + 1} is not closed with {closing!r}"
    if "could not find expected ':'" in problem:
        word = (lines[start.line][start.column :].split() or [""])[0]
        if re.match(r"[^\s:]+:[^\s:]", word):
            return start.line + 1, f"put a space after the ':' of {word.split(':')[0]!r}"
        return start.line + 1, f"{word!r} is not followed by ':': write each field as 'name: value'"
    if "mapping values are not allowed here" in problem:
        previous = _previous_line(lines, mark.line)
        if previous is not None and re.match(r"\s*-[^\s-]", lines[previous]):
            return previous + 1, "put a space after the '-' that starts an entry"
        if ": " in here[: mark.column] or here[: mark.column].lstrip().startswith("- "):
            return line, "a value holds ': ' (a colon and a space): put the whole value in quotes"
        return line, f"bad indentation: {here[: mark.column].strip()!r}{_indentation(lines, mark.line)}"
    if "expected <block end>" in problem or "did not find expected" in problem:
        quoted = _last_quoted_value(text, mark.index)
        if quoted is not None and quoted.start_mark.line != quoted.end_mark.line:
            runs_on = f"its value runs on to line {quoted.end_mark.line + 1}"
            return quoted.start_mark.line + 1, f"the quote opened on this line is not closed ({runs_on})"
        if quoted is not None and quoted.end_mark.line == mark.line and "<scalar>" in problem:
            return line, QUOTE_ENDS_EARLY[quoted.style]
        key = here[mark.column :].split(":")[0].strip()
        return line, f"bad indentation: {key!r}{_indentation(lines, mark.line, mark.column)}"
    return line, "this line does not fit the ones above it: check its indentation, and that fields read 'name: value'"


def _section(document: dict, name: str, file: Path, items: list[Item], lines: dict, with_where: bool = False):
    entries = document.get(name) or []
    section_line, entry_lines = lines.get(name, (1, []))
    if not isinstance(entries, list):
        items.append(Item(f"{file.name}:{section_line}", problem=f"{name} must be a list: begin each entry with '- '"))
        return
    for index, entry in enumerate(entries, 1):
        where = f"{file.name}:{entry_lines[index - 1]}"
        if not isinstance(entry, dict):
            items.append(Item(where, problem=_not_an_entry(name, entry)))
            continue
        if name == "sources":
            pair = (entry.pop("key", index), entry)
            yield (where, pair) if with_where else pair
        else:
            yield (where, entry) if with_where else entry


def _not_an_entry(section: str, entry: Any) -> str:
    """Why an item of a section is not an entry (a mapping of fields)."""
    if entry is None:
        return f"empty entry in {section}: remove the lone '-', or give the entry its fields"
    if isinstance(entry, list):
        return f"an entry of {section} is a list, not fields: remove the extra '-'"
    return f"an entry of {section} is the text {entry!r}, not fields: write each field as 'name: value'"


def _previous_line(lines: list[str], index: int) -> int | None:
    """Index of the nearest line above `index` that holds more than a comment."""
    for number in range(min(index, len(lines)) - 1, -1, -1):
        if lines[number].strip() and not lines[number].lstrip().startswith("#"):
            return number
    return None


def _indentation(lines: list[str], index: int, column: int | None = None) -> str:
    """` is indented by N spaces, 'key' on line M by K: ...`, comparing a misaligned line with the one above."""
    previous = _previous_line(lines, index)
    if previous is None:
        return ""
    above = lines[previous]
    indent = len(above) - len(above.lstrip(" "))
    if above.lstrip().startswith("- "):  # the fields of an entry line up with its first, after the '- '
        indent = len(above) - len(above.lstrip(" ")[1:].lstrip(" "))
    key = above[indent:].split(":")[0].strip()
    own = len(lines[index]) - len(lines[index].lstrip(" ")) if column is None else column
    entry = lines[index].lstrip().startswith("-")
    rule = "the '-' of a list's entries line up" if entry else "an entry's fields line up"
    return f" is indented by {own} spaces, {key!r} on line {previous + 1} by {indent}: {rule}"


def _last_quoted_value(text: str, index: int):
    """The scanner's last quoted value that starts before character `index`, or None."""
    import yaml

    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                last = token
    except yaml.YAMLError:
        pass
    return last


def read_claimreview(path: Path, mapping=None) -> Iterator[Item]:
    """ClaimReview JSON-LD (object, list, @graph) or an HTML page holding it."""
    from .claimreview import DEFAULT_MAPPING, read_reviews

    records, skipped = read_reviews(_read_text(path), mapping=mapping or DEFAULT_MAPPING, origin=path.name)
    for where, record in records:
        yield Item(f"{path.name} {where}", record)
    for line in skipped:
        yield Item(path.name, note=line)


STREAMED = {"jsonl": read_jsonl, "csv": read_csv}  # formats read record by record: memory stays flat


def _open_binary(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as e:
        raise InvalidValue(f"cannot read {path}: {e.strerror}") from None


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise InvalidValue(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise InvalidValue(f"{path.name}:{line}: not valid UTF-8") from None


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
            checked = (_unpacked(*values) for values in in_background(_check_streamed, path, format, idle=importer.work_ahead))
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
        isinstance(record, dict) and record.keys() == {"source"}
        and isinstance(record["source"], dict) and "body" in record["source"]
    )  # fmt: skip


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
    with _open_binary(path) as f:
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
            problems.append(Problem(where, "kind", f"unknown actor kind {actor.get('kind')!r}: expected one of {', '.join(sorted(kinds))}"))
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


# Exporting


def iter_claims(db: Database, where: str = "", args: list | None = None) -> Iterator[dict]:
    """Every claim as a record, streamed in id order (one pass over each table)."""
    sources = {row["id"]: row for row in db["sources"].rows}
    actor_names = {row["id"]: row["name"] for row in db["actors"].rows}
    columns = {role: column for role, column, _ in ROLES}
    claim_filter = f" where {where}" if where else ""
    related = {
        "attributions": _grouped(db, f"select * from attributions where claim_id in (select id from claims{claim_filter}) order by claim_id, id", args),
        "figures": _grouped(db, f"select * from figures where claim_id in (select id from claims{claim_filter}) order by claim_id, id", args),
        "status_changes": _grouped(db, f"select * from status_changes where claim_id in (select id from claims{claim_filter}) order by claim_id, id", args),
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
        yield _record(claim, parts, sources, actor_names, columns)


class _grouped:
    """Rows of a query ordered by claim_id, handed out claim by claim as the claims stream by."""

    def __init__(self, db: Database, sql: str, args: list | None):
        self.cursor = db.execute(sql, args or [])
        self.names = [d[0] for d in self.cursor.description]
        self._advance()

    def _advance(self) -> None:
        row = self.cursor.fetchone()
        self.next_row = dict(zip(self.names, row)) if row else None

    def rows_for(self, claim_id: int) -> list[dict]:
        rows = []
        while self.next_row is not None and self.next_row["claim_id"] == claim_id:
            rows.append(self.next_row)
            self._advance()
        return rows


def _without_empty(mapping: dict) -> dict:
    """The mapping without its None and empty values, as exports leave them out."""
    return {key: value for key, value in mapping.items() if value not in (None, "", [], {})}


def _source_record(source: dict) -> dict:
    return _without_empty({name: source[name] for name in SOURCE_FIELDS})


def _record(claim: dict, parts: dict, sources: dict, actor_names: dict, columns: dict) -> dict:
    from .values import Figure

    record: dict[str, Any] = {"text": claim["text"]}
    for name in ("translation", "language", "said_on"):
        if claim[name] is not None:
            record[name] = claim[name]
    if claim["is_quote"]:
        record["quote"] = True
    for row in sorted(parts["attributions"], key=lambda row: ROLE_ORDER.index(row["role"])):
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
            _without_empty(
                {"status": row["to_status"], "reason": row["reason"], "evidence": row["evidence_url"], "date": row["changed_on"]}
            )
            for row in history[1:]
        ]
        if changes:
            record["changes"] = changes
    if claim["notes"] is not None:
        record["notes"] = claim["notes"]
    if parts["links"]:
        record["links"] = [
            {"relation": row["relation"], "source": _source_record(sources[row["source_id"]]), "text": row["text"],
             "reason": row["reason"]}
            for row in parts["links"]
        ]  # fmt: skip
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
    return [_without_empty({key: actor[key] for key in ACTOR_FIELDS_ORDER}) for actor in model.list_actors(db)]


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
    for count, record in enumerate(records, 1):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return count


def write_csv(records: Iterator[dict], out: IO[str]) -> int:
    """One row per claim in CSV_COLUMNS; parties keep names only, history keeps the initial status, links are JSON."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for count, record in enumerate(records, 1):
        row = {name: record.get(name) for name in ("text", "translation", "language", "said_on", "status", "reason", "notes")}
        row["quote"] = "true" if record.get("quote") else ""
        row.update({f"source_{name}": record["source"].get(name) for name in SOURCE_FIELDS})
        for column in ROLE_BY_COLUMN:
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
        for party in (party for column in ROLE_BY_COLUMN for party in record.get(column, [])):
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

    from .values import fold

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
