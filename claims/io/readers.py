"""Reading claims files: YAML claims-as-code (a file or a folder), JSON Lines, CSV and ClaimReview, as `Item`s.

Each item says where it was read (file:line) for the problems found in it. JSON Lines and CSV are
streamed: memory does not grow with the file. Nothing here writes to the database.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import InvalidValue
from ..records import (
    CLAIM_FIELDS,
    SOURCE_FIELDS,
    SOURCE_TEXT_FIELDS,
)
from ..vocabulary import ROLE_OF_COLUMN

FORMATS = ("yaml", "jsonl", "csv", "claimreview")
SUFFIXES = {
    ".yml": "yaml",
    ".yaml": "yaml",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".json": "claimreview",
    ".html": "claimreview",
    ".htm": "claimreview",
}
MAX_LINE_BYTES = 1_000_000
LIST_SEPARATOR = "; "
CSV_COLUMNS = [
    "text",
    "translation",
    "language",
    "quote",
    "said_on",
    "status",
    "reason",
    "notes",
    *(f"source_{name}" for name in SOURCE_FIELDS if name != "archive_url"),
    *ROLE_OF_COLUMN,
    "figures",
    "links",
    "source_archive_url",  # last: it came last
]
BUNDLE_SECTIONS = {"sources", "actors", "claims"}
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
    with open_binary(path) as f:
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
    with open_binary(path) as f:
        text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(text)
        try:
            header = reader.fieldnames or []
            unknown = [c for c in header if c not in CSV_COLUMNS]
            if unknown:
                yield Item(
                    f"{path.name}:1",
                    problem=f"unknown columns {', '.join(unknown)} (expected {', '.join(CSV_COLUMNS)})",
                )
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
    with open_binary(path) as f:
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
        elif column in ROLE_OF_COLUMN or column == "figures":
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
        files = yaml_paths(path) if path.is_dir() else [path]
        if not files:
            raise InvalidValue(f"no .yml or .yaml file in {path}")
    documents = [(file, *load_yaml(file)) for file in files]
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


def yaml_paths(folder: Path) -> list[Path]:
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
                if isinstance(link, dict) and link.get("source") is not None
                else link
                for n, link in enumerate(claim["links"], 1)
            ]
    except LookupError as e:
        return claim, str(e)
    return claim, None


def load_yaml(file: Path) -> tuple[dict, dict[str, tuple[int, list[int]]]]:
    """A bundle's sections, and the line of each section and of each of its entries.

    A mistake is refused in one line, `file:line: what is wrong`, in the words of someone editing
    the file by hand: bad indentation, a quote or bracket left open, a tab, a key given twice, an
    unknown section.
    """
    import yaml

    text = _read_text(file)
    if marker := conflict_marker(text):
        raise InvalidValue(
            f"{file.name}:{marker[0]}: unresolved git conflict marker {marker[1]!r}: resolve the "
            "conflict (keep one side, or both), remove the markers, then import again"
        )
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
    lines = [*text.splitlines(), ""]
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
    from .claimreview import DEFAULT_MAPPING
    from .claimreview_reader import read_reviews

    records, skipped = read_reviews(_read_text(path), mapping=mapping or DEFAULT_MAPPING, origin=path.name)
    for where, record in records:
        yield Item(f"{path.name} {where}", record)
    for line in skipped:
        yield Item(path.name, note=line)


STREAMED = {"jsonl": read_jsonl, "csv": read_csv}  # formats read record by record: memory stays flat


def open_binary(path: Path) -> IO[bytes]:
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


CONFLICT_MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ", "||||||| ")


def conflict_marker(text: str) -> tuple[int, str] | None:
    """The line number and text of the first git conflict marker at the start of a line, or None."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(CONFLICT_MARKERS) or line.rstrip() in ("=======", "<<<<<<<", ">>>>>>>"):
            return number, line.rstrip()
    return None
