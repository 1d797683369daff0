"""Claim records: the format-neutral shape that every import and export goes through.

A record is a plain dict, the same in YAML, JSON Lines and (flattened) CSV:

    text, translation, language, quote, said_on, notes,
    status, reason                  initial status and why (default: unconfirmed)
    changes: [{status, reason, evidence, date}]        later status changes, in order
    asserted_by, relayed_by, confirmed_by, denied_by, not_confirmed_by, disputed_by:
        [name, or {actor, date, source}]               parties per role
    figures: [SPEC]                                     e.g. "killed=~600 soldiers"
    source: {title, url, outlet, published, language, archive_url}
        and, to keep the source's full text as evidence, body, body_sha256 (checked), stored_at and, in JSON Lines
        only, html_zlib (base64 of the zlib-compressed page)
    span: [start, end]                                  where the text is in its source's stored text (checked)
    links: [{relation, claim: ID} or {relation, source, text}, with an optional reason]
        same, updates or contradicts, read from this claim: `{relation: updates, ...}` means this claim updates
        the other; the other is a claim of the database by id, or the claim of that source with that text
        (matched by identity key, in the file or the database)

`clean_record` checks one record completely without touching the database and
returns every problem it finds, each naming its field.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from .errors import ClaimsError, InvalidValue
from .evidence import SourceText, parse_body, parse_html_zlib, parse_sha256, parse_span, parse_stored_at, sha256
from .values import (
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    Figure,
    fold,
    optional_text,
    parse_date,
    parse_figure,
    parse_language,
    parse_relation,
    parse_url,
    require_text,
)
from .vocabulary import DEFAULT_STATUS, ROLE_OF_COLUMN, STATUS_NAMES

SOURCE_FIELDS = ("title", "url", "outlet", "published", "language", "archive_url")
SOURCE_TEXT_FIELDS = ("body", "body_sha256", "stored_at", "html_zlib")  # a source's stored text, where files carry it
CHANGE_FIELDS = ("status", "reason", "evidence", "date")
PARTY_FIELDS = ("actor", "date", "source")
LINK_FIELDS = ("relation", "claim", "source", "text", "reason")
CLAIM_FIELDS = (
    "text",
    "translation",
    "language",
    "quote",
    "said_on",
    "notes",
    "status",
    "reason",
    "changes",
    *ROLE_OF_COLUMN,
    "figures",
    "links",
    "span",
    "source",
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def source_identity(source: dict) -> tuple:
    """What identifies a source: its URL, else its title, outlet and publication date."""
    if source.get("url"):
        return (source["url"],)
    return source.get("title"), source.get("outlet"), source.get("published")


def source_fields(source: dict) -> dict:
    """A cleaned source's own fields (SOURCE_FIELDS), without the text it may carry."""
    return {name: source.get(name) for name in SOURCE_FIELDS}


def surrogate_at(text: str) -> int | None:
    """Index of the first surrogate code point in `text` (never a character: UTF-8 and SQLite refuse it), or None."""
    if text.isascii():
        return None
    found = _SURROGATE.search(text)
    return found.start() if found else None


def valid_unicode(text: str | None) -> str | None:
    """`text` as given; raise InvalidValue if it holds a lone surrogate (as a JSON or YAML escape \\ud800 can)."""
    at = surrogate_at(text) if text else None
    if at is not None:
        raise InvalidValue(f"not valid Unicode: character {at + 1} is a lone surrogate (U+{ord(text[at]):04X})")
    return text


@dataclass
class Party:
    actor: str
    role: str
    date: str | None = None
    source: dict | None = None


@dataclass
class Change:
    status: str
    reason: str
    evidence: str | None = None
    date: str | None = None


@dataclass
class LinkRecord:
    """A link a record holds: this claim RELATION the other, given by `claim_id`, or by `source` and `text`."""

    relation: str
    claim_id: int | None = None
    source: dict | None = None
    text: str | None = None
    reason: str | None = None


@dataclass
class ClaimRecord:
    """A validated claim, ready to be written."""

    text: str
    source: dict
    translation: str | None = None
    language: str | None = None
    quote: bool = False
    said_on: str | None = None
    notes: str | None = None
    status: str = DEFAULT_STATUS
    reason: str | None = None
    span: tuple[int, int] | None = None
    changes: list[Change] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)

    def values(self) -> tuple:
        """The record as plain values (tuples, lists, dicts, text and numbers), quick to send to another process."""
        *fields, changes, parties, figures, links = vars(self).values()
        lists = (changes, parties, figures, links)
        return (*fields, *([tuple(vars(item).values()) for item in items] for items in lists))

    @classmethod
    def from_values(cls, values: tuple) -> ClaimRecord:
        """The record `values()` describes."""
        *fields, changes, parties, figures, links = values
        return cls(
            *fields,
            [Change(*c) for c in changes],
            [Party(*p) for p in parties],
            [Figure(*f) for f in figures],
            [LinkRecord(*link) for link in links],
        )


@dataclass
class Problem:
    """One invalid value: where (file:line or file record N), which field, what is wrong."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}" if self.field else f"{self.where}: {self.message}"


class InvalidRecords(ClaimsError):
    """Some records are invalid; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem], origin: str):
        self.problems = problems
        count = len({p.where for p in problems})
        super().__init__(
            f"{count} invalid record{'s' if count != 1 else ''} in {origin}; nothing was imported"
            " (fix them, or pass --skip-invalid)"
        )


class _Checker:
    """Collects problems for one record instead of stopping at the first."""

    def __init__(self, where: str):
        self.where = where
        self.problems: list[Problem] = []

    def problem(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.where, field_name, message))

    def value(self, field_name: str, value: Any, parse) -> Any:
        """`parse` the value as text (None stays None); on failure record a problem and return None."""
        try:
            return parse(valid_unicode(value if value is None or type(value) is str else _as_text(value)))
        except InvalidValue as e:
            self.problem(field_name, str(e))
            return None

    def unknown_fields(self, mapping: dict, allowed: AbstractSet[str], prefix: str = "") -> None:
        if mapping.keys() <= allowed:
            return
        for name in sorted(set(mapping) - set(allowed), key=str):
            self.problem(f"{prefix}{name}", "unknown field")

    def fields(self, mapping: dict, kind: str, prefix: str) -> dict:
        """Each field of a source or status change (`kind`) parsed from `mapping`; unknown fields are problems too.

        The same source comes with many claims: a valid mapping of text is parsed once.
        """
        if all(type(value) is str or value is None for value in mapping.values()):
            try:
                return dict(_valid_fields(tuple(mapping.items()), kind))
            except InvalidValue:
                pass  # parsed again below, to report each problem under its field's name
        return self._parse_fields(mapping, PARSERS[kind], prefix)

    def _parse_fields(self, mapping: dict, parsers: dict, prefix: str = "") -> dict:
        self.unknown_fields(mapping, parsers.keys(), prefix)
        return {name: self.value(f"{prefix}{name}", mapping.get(name), parse) for name, parse in parsers.items()}


@functools.lru_cache(maxsize=4096)
def _valid_fields(items: tuple, kind: str) -> dict:
    """The parsed fields of a mapping of text, remembered if valid; raise if not (so that it is not remembered)."""
    check = _Checker("")
    values = check._parse_fields(dict(items), PARSERS[kind])
    if check.problems:
        raise InvalidValue(str(check.problems[0]))
    return values


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise InvalidValue(f"expected text, got a {'mapping' if isinstance(value, dict) else 'list'}")
    return str(value)


def _maybe(parse, *args):
    """A parser that reads a blank value as None and parses anything else with `parse(value, *args)`."""
    return lambda value: parse(value, *args) if optional_text(value) else None


def _given(parse):
    """A parser of long values (a source's text): None stays None, anything else is `parse`d, blank included."""
    return lambda value: parse(value) if value is not None else None


def _required(what: str, limit: int = MAX_TEXT_LENGTH):
    return lambda value: require_text(value, what, limit)


def _optional(what: str, limit: int = MAX_TEXT_LENGTH):
    return lambda value: optional_text(value, what, limit)


def _status(value: str | None) -> str:
    name = (value or "").strip() or DEFAULT_STATUS
    if name not in STATUS_NAMES:
        raise InvalidValue(f"unknown status {value!r}: expected one of {', '.join(STATUS_NAMES)}")
    return name


def _quote(value: Any) -> bool:
    text = (value or "").strip().lower() if isinstance(value, str) else value
    if text in (None, "", 0, "0", False, "false", "no"):
        return False
    if text in (1, "1", True, "true", "yes"):
        return True
    raise InvalidValue(f"quote must be true or false, not {value!r}")


def _figure(value: str | None) -> Figure:
    return parse_figure(value or "")


# How each field is parsed from its text, in the order its problems are reported.
CLAIM_PARSERS = {
    "status": _status,
    "text": _required("claim text"),
    "translation": _optional("translation"),
    "language": _maybe(parse_language),
    "quote": _quote,
    "said_on": _maybe(parse_date, "date said"),
    "notes": _optional("notes"),
    "reason": _optional("reason"),
}
PARSERS = {
    "source": {
        "title": _required("source title", MAX_NAME_LENGTH * 2),
        "url": _maybe(parse_url, "source URL"),
        "outlet": _optional("outlet", MAX_NAME_LENGTH),
        "published": _maybe(parse_date, "publication date"),
        "language": _maybe(parse_language),
        "archive_url": _maybe(parse_url, "archive URL"),
        "body": _given(parse_body),
        "body_sha256": _maybe(parse_sha256),
        "stored_at": _maybe(parse_stored_at),
        "html_zlib": _given(parse_html_zlib),
    },
    "change": {
        "status": _status,
        "reason": _required("reason"),
        "evidence": _maybe(parse_url, "evidence URL"),
        "date": _maybe(parse_date, "date of the change"),
    },
}


def _parsed_when_absent(parsers: dict) -> dict:
    """What each field that may be left out is parsed to when it is (most records leave most out)."""
    absent = {}
    for name, parse in parsers.items():
        try:
            absent[name] = parse(None)
        except InvalidValue:  # a required field
            pass
    return absent


_ABSENT = _parsed_when_absent(CLAIM_PARSERS)
_ACTOR_NAME = _required("actor name", MAX_NAME_LENGTH)
_PARTY_DATE = _maybe(parse_date, "date")
_CLAIM_KEYS = frozenset(CLAIM_FIELDS)
_PARTY_KEYS = frozenset(PARTY_FIELDS)


def clean_source(source: Any, check: _Checker, prefix: str = "source") -> dict | None:
    """Validate a source mapping; problems are recorded under `prefix.field`.

    Its stored text, if it carries one, comes back as a `SourceText` under "text" (None otherwise), its SHA-256
    checked against the body.
    """
    if not isinstance(source, dict):
        check.problem(prefix, "a source (title, url, outlet, published, language) is required")
        return None
    fields = check.fields(source, "source", f"{prefix}.")
    body, digest, stored_at, html = (fields.pop(name, None) for name in SOURCE_TEXT_FIELDS)
    fields["text"] = None
    if body is None:
        for name, value in (("body_sha256", digest), ("stored_at", stored_at), ("html_zlib", html)):
            if value is not None:
                check.problem(f"{prefix}.{name}", "given without the body it belongs to")
    elif digest is not None and digest != _sha256_of(body):
        changed = "is not the SHA-256 of the body: the text was changed since it was stored"
        check.problem(f"{prefix}.body_sha256", changed)
    else:
        fields["text"] = SourceText(body, stored_at=stored_at, html_zlib=html)
    return fields


@functools.lru_cache(maxsize=64)
def _sha256_of(body: str) -> str:
    return sha256(body)  # a source's body comes with each of its claims: hashed once


def clean_source_declaration(source: Any, where: str) -> tuple[dict | None, list[Problem]]:
    """Validate a source a file declares on its own (with its text, say); return it cleaned, or every problem."""
    check = _Checker(where)
    cleaned = clean_source(source, check, "source")
    return (None, check.problems) if check.problems else (cleaned, [])


def _clean_party(item: Any, where: str, role: str, check: _Checker) -> Party | None:
    date = source = None
    if isinstance(item, dict):
        check.unknown_fields(item, _PARTY_KEYS, f"{where}.")
        name = item.get("actor")
        date = check.value(f"{where}.date", item.get("date"), _PARTY_DATE)
        if item.get("source") is not None:
            source = clean_source(item["source"], check, f"{where}.source")
    else:
        name = item
    name = check.value(where, name, _ACTOR_NAME)
    if name is not None and not fold(name):
        check.problem(where, f"actor name {name!r} has no letters or digits")
        return None
    return Party(name, role, date, source) if name else None


def _clean_parties(record: dict, check: _Checker) -> list[Party]:
    parties, seen = [], set()
    for column, role in ROLE_OF_COLUMN.items():
        value = record.get(column)
        if value is None:
            continue
        if not isinstance(value, list):
            check.problem(column, "must be a list of actor names")
            continue
        for index, item in enumerate(value, 1):
            party = _clean_party(item, f"{column}[{index}]", role, check)
            if party and (fold(party.actor), role) not in seen:
                seen.add((fold(party.actor), role))
                parties.append(party)
    return parties


def _clean_changes(value: Any, check: _Checker, initial: str | None) -> list[Change]:
    if value is None:
        return []
    if not isinstance(value, list):
        check.problem("changes", "must be a list of {status, reason, evidence, date}")
        return []
    changes, previous = [], initial
    for index, item in enumerate(value, 1):
        where = f"changes[{index}]"
        if not isinstance(item, dict):
            check.problem(where, "must be a mapping of status, reason, evidence, date")
            continue
        change = check.fields(item, "change", f"{where}.")
        status = change["status"]
        if status is not None and status == previous:
            check.problem(f"{where}.status", f"the claim is already {status}")
        previous = status or previous
        if status and change["reason"]:
            changes.append(Change(**change))
    return changes


def _clean_figures(value: Any, check: _Checker) -> list[Figure]:
    if value is None:
        return []
    if not isinstance(value, list):
        check.problem("figures", "must be a list of SPECs such as killed=~600")
        return []
    figures = [check.value(f"figures[{i}]", spec, _figure) for i, spec in enumerate(value, 1)]
    return [f for f in figures if f is not None]


def _clean_span(value: Any, check: _Checker) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        return parse_span(value)
    except InvalidValue as e:
        check.problem("span", str(e))
        return None


def _claim_id(value: Any) -> int:
    """A claim id: a whole number above zero (as a number or as digits)."""
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise InvalidValue(f"a claim id is a whole number, not {value!r}")
    return int(text)


def _relation(value: str | None) -> str:
    if not optional_text(value):
        raise InvalidValue("the relation is missing: same, updates or contradicts")
    return parse_relation(value)


_LINK_KEYS = frozenset(LINK_FIELDS)
_LINK_TEXT = _required("text of the other claim")
_LINK_REASON = _optional("reason")


def _clean_links(value: Any, check: _Checker) -> list[LinkRecord]:
    """The links of a record: relation, the other claim (by id, or by source and text) and an optional reason."""
    if value is None:
        return []
    if not isinstance(value, list):
        check.problem("links", "must be a list of {relation, claim} or {relation, source, text}")
        return []
    links = []
    for index, item in enumerate(value, 1):
        where = f"links[{index}]"
        if not isinstance(item, dict):
            check.problem(where, "must be a mapping of relation and claim, or of relation, source and text")
            continue
        before = len(check.problems)
        check.unknown_fields(item, _LINK_KEYS, f"{where}.")
        relation = check.value(f"{where}.relation", item.get("relation"), _relation)
        reason = check.value(f"{where}.reason", item.get("reason"), _LINK_REASON)
        claim_id = source = text = None
        by_id, by_text = item.get("claim") is not None, item.get("source") is not None or item.get("text") is not None
        if by_id and by_text:
            check.problem(where, "give the other claim either as claim: ID or as source and text, not both")
        elif by_id:
            claim_id = check.value(f"{where}.claim", item["claim"], _claim_id)
        elif by_text:
            source = clean_source(item.get("source"), check, f"{where}.source")
            text = check.value(f"{where}.text", item.get("text"), _LINK_TEXT)
        else:
            check.problem(where, "the other claim is missing: give it as claim: ID, or as source and text")
        if len(check.problems) == before:
            links.append(LinkRecord(relation, claim_id, source, text, reason))
    return links


def clean_record(record: Any, where: str) -> tuple[ClaimRecord | None, list[Problem]]:
    """Validate one record; return it cleaned, or None and every problem found."""
    if not isinstance(record, dict):
        return None, [Problem(where, "", "a claim record must be a mapping")]
    check = _Checker(where)
    check.unknown_fields(record, _CLAIM_KEYS)

    def parsed(name: str) -> Any:
        value = record.get(name)
        if value is None and name in _ABSENT:
            return _ABSENT[name]
        return check.value(name, value, CLAIM_PARSERS[name])

    status = parsed("status")
    claim = ClaimRecord(
        text=parsed("text"),
        source=clean_source(record.get("source"), check),
        translation=parsed("translation"),
        language=parsed("language"),
        quote=bool(parsed("quote")),
        said_on=parsed("said_on"),
        notes=parsed("notes"),
        status=status or DEFAULT_STATUS,
        reason=parsed("reason"),
        changes=_clean_changes(record.get("changes"), check, status),
        parties=_clean_parties(record, check),
        figures=_clean_figures(record.get("figures"), check),
        links=_clean_links(record.get("links"), check),
        span=_clean_span(record.get("span"), check),
    )
    if check.problems:
        return None, check.problems
    return claim, []
