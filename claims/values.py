"""Parsing and validation of user-supplied values: dates, URLs, codes, figures, names.

Every function here is pure: it takes text, returns a clean value or raises
`InvalidValue` with a one-line message that names the bad input.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import InvalidValue

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_MEASURE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# A number: plain digits, or digits grouped by thousands with , ' ’ or _
# ("10,000", "10'000"), optionally with a decimal part after a dot.
_NUMBER = r"(?:\d{1,3}(?:[,'’_]\d{3})+|\d+)(?:\.\d+)?"
_FIGURE_VALUE = re.compile(
    rf"^(?:(?P<prefix>~|>=|<=|>|<)\s*(?P<single>{_NUMBER})"
    rf"|(?P<low>{_NUMBER})\s*[-–]\s*(?P<high>{_NUMBER})"
    rf"|(?P<exact>{_NUMBER}))"
    r"(?:\s+(?P<unit>\S.*))?$"
)
_PREFIX_QUALIFIERS = {
    "~": "about",
    ">": "more_than",
    ">=": "at_least",
    "<": "less_than",
    "<=": "up_to",
}
_QUALIFIER_WORDS = {
    "about": "about",
    "more_than": "more than",
    "at_least": "at least",
    "less_than": "less than",
    "up_to": "up to",
    "exact": "",
}
MAX_UNIT_LENGTH = 40
MAX_TEXT_LENGTH = 20_000  # a claim, translation, note or reason; names and titles are shorter
MAX_NAME_LENGTH = 500


def require_text(value: str | None, what: str, limit: int = MAX_TEXT_LENGTH) -> str:
    """Return `value` stripped; raise if it is missing, blank or longer than `limit` characters."""
    text = (value or "").strip()
    if not text:
        raise InvalidValue(f"{what} is empty")
    if len(text) > limit:
        raise InvalidValue(f"{what} is {len(text):,} characters long; the limit is {limit:,}")
    return text


def optional_text(value: str | None, what: str = "text", limit: int = MAX_TEXT_LENGTH) -> str | None:
    """Return `value` stripped, or None when it is missing or blank; raise if it is too long."""
    text = (value or "").strip()
    return require_text(text, what, limit) if text else None


@functools.lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Matching key for a name: case-, accent- and punctuation-insensitive.

    >>> fold("  Séoul ") == fold("seoul") == fold("SEOUL")
    True
    >>> fold("Kim Jong-un") == fold("Kim Jong Un")
    True
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.split(r"[\W_]+", stripped.casefold())
    return " ".join(w for w in words if w)


# Quotation marks removed and apostrophes made one, for identity: « x », "x" and “x” are the same text.
_IDENTITY_MARKS = str.maketrans({**dict.fromkeys("\"«»“”„‟‹›", ""), **dict.fromkeys("’‘‛`´", "'")})
_FINAL_PUNCTUATION = " .!?;:,…"


def identity_key(text: str) -> str:
    """A claim's text as its identity within a source: case, spacing, quotation marks and final punctuation ignored.

    >>> identity_key("« Nous  reconstruirons tout. »") == identity_key('"nous reconstruirons tout"')
    True
    """
    normal = unicodedata.normalize("NFKC", text).casefold().translate(_IDENTITY_MARKS)
    return " ".join(normal.split()).rstrip(_FINAL_PUNCTUATION)


def parse_date(value: str, what: str = "date", *, today: datetime.date | None = None) -> str:
    """Validate an ISO date (YYYY-MM-DD, or YYYY-MM / YYYY when only that is known).

    Dates after today are refused: a claim cannot be said or published in the future.
    """
    text = (value or "").strip()
    first_day = _first_day(text, what, value)
    today = today or datetime.date.today()
    if first_day > today:
        raise InvalidValue(f"invalid {what} {value!r}: it is in the future (today is {today.isoformat()})")
    return text


@functools.lru_cache(maxsize=65536)
def _first_day(text: str, what: str, value: str) -> datetime.date:
    match = _DATE.match(text)
    if not match:
        raise InvalidValue(
            f"invalid {what} {value!r}: use YYYY-MM-DD (or YYYY-MM, or YYYY when that is all that is known)"
        )
    year, month, day = match.groups()
    try:
        return datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as e:
        raise InvalidValue(f"invalid {what} {value!r}: {e}") from None


@functools.lru_cache(maxsize=65536)
def parse_url(value: str, what: str = "URL") -> str:
    """Validate an absolute http(s) URL; anything else (javascript:, relative...) is refused."""
    text = (value or "").strip()
    if not text:
        raise InvalidValue(f"{what} is empty")
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidValue(f"invalid {what} {value!r}: it must start with http:// or https://")
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in text):
        raise InvalidValue(f"invalid {what} {value!r}: it contains spaces or control characters")
    return text


@functools.lru_cache(maxsize=65536)
def parse_language(value: str) -> str:
    """Validate a language tag such as `fr`, `en` or `pt-BR`; return it with a lowercase language."""
    text = (value or "").strip()
    if not _LANGUAGE.match(text):
        raise InvalidValue(f"invalid language {value!r}: use an ISO 639 code such as fr or en")
    primary, _, rest = text.partition("-")
    return primary.lower() + ("-" + rest if rest else "")


def parse_country(value: str) -> str:
    """Validate a two-letter ISO 3166 country code; return it uppercase."""
    text = (value or "").strip()
    if not _COUNTRY.match(text):
        raise InvalidValue(f"invalid country {value!r}: use a two-letter ISO 3166 code such as KR")
    return text.upper()


_THOUSANDS_SEPARATORS = str.maketrans("", "", ",'’_")


def _number(text: str) -> int | float:
    if text.isascii() and text.isdigit():
        return int(text)
    number = float(text.translate(_THOUSANDS_SEPARATORS))
    return int(number) if number.is_integer() else number


@dataclass(frozen=True)
class Figure:
    """A number a claim contains: `low`/`high` bound it, `qualifier` says how."""

    measure: str
    qualifier: str
    low: int | float | None
    high: int | float | None
    unit: str | None = None

    def describe(self) -> str:
        """Human-readable form, e.g. 'more than 10,000 soldiers'."""
        if self.qualifier == "range":
            amount = f"{self.low:,}–{self.high:,}"
        else:
            words = _QUALIFIER_WORDS.get(self.qualifier, self.qualifier)
            value = self.low if self.low is not None else self.high
            amount = f"{words} {value:,}".strip()
        return f"{amount} {self.unit}" if self.unit else amount

    @classmethod
    def from_row(cls, row: dict) -> "Figure":
        """The figure a `figures` row (or any mapping with its columns) describes."""
        return cls(row["measure"], row["qualifier"], row["low"], row["high"], row["unit"])

    def row(self, claim_id: int) -> dict:
        """This figure as a row of the `figures` table."""
        return {"claim_id": claim_id, "measure": self.measure, "qualifier": self.qualifier,
                "low": self.low, "high": self.high, "unit": self.unit}  # fmt: skip

    def spec(self) -> str:
        """The SPEC that parses back to this figure, e.g. 'troops_sent=>10000 soldiers'."""
        if self.qualifier == "range":
            value = f"{self.low}-{self.high}"
        else:
            prefix = {v: k for k, v in _PREFIX_QUALIFIERS.items()}.get(self.qualifier, "")
            value = f"{prefix}{self.low if self.low is not None else self.high}"
        return f"{self.measure}={value}" + (f" {self.unit}" if self.unit else "")


@functools.lru_cache(maxsize=65536)
def parse_figure(spec: str) -> Figure:
    """Parse a figure SPEC: `MEASURE=VALUE [UNIT]`.

    VALUE is `600` (exact), `~600` (about), `>10000` (more than), `>=1000` (at least),
    `<500` (less than), `<=500` (up to) or `1500-12000` (range). Thousands separators
    `,` `'` `_` are accepted: `troops_sent=>10'000 soldiers`.
    """
    measure, sep, value = (spec or "").partition("=")
    measure = measure.strip()
    value = value.strip()
    if not sep or not measure or not value:
        raise InvalidValue(f"invalid figure {spec!r}: use MEASURE=VALUE, e.g. killed=~600 or troops_sent=>10000")
    if not _MEASURE.match(measure):
        raise InvalidValue(
            f"invalid figure {spec!r}: the measure must be lowercase snake_case, e.g. troops_sent"
        )
    match = _FIGURE_VALUE.match(value)
    if not match:
        raise InvalidValue(
            f"invalid figure {spec!r}: the value must be N, ~N, >N, >=N, <N, <=N or N-M, optionally followed by a unit"
        )
    unit = optional_text(match["unit"])
    if unit and len(unit) > MAX_UNIT_LENGTH:
        raise InvalidValue(f"invalid figure {spec!r}: the unit is longer than {MAX_UNIT_LENGTH} characters")
    if match["low"] is not None:
        low, high = _number(match["low"]), _number(match["high"])
        if low > high:
            raise InvalidValue(f"invalid figure {spec!r}: the range's low end is above its high end")
        return Figure(measure, "range", low, high, unit)
    if match["exact"] is not None:
        number = _number(match["exact"])
        return Figure(measure, "exact", number, number, unit)
    qualifier = _PREFIX_QUALIFIERS[match["prefix"]]
    number = _number(match["single"])
    low, high = {
        "about": (number, number),
        "more_than": (number, None),
        "at_least": (number, None),
        "less_than": (None, number),
        "up_to": (None, number),
    }[qualifier]
    return Figure(measure, qualifier, low, high, unit)
