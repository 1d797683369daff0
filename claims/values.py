"""Parsing and validation of user-supplied values: dates, URLs, codes, figures, names.

Every function here is pure: it takes text, returns a clean value or raises
`InvalidValue` with a one-line message that names the bad input.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from .errors import InvalidValue
from .vocabulary import RELATION_NAMES

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_MEASURE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
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
_IDENTITY_MARKS = str.maketrans({**dict.fromkeys('"«»“”„‟‹›', ""), **dict.fromkeys("’‘‛`´", "'")})
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


# Numbers. One reader for every way a figure comes in (the CLI's --figure, YAML, JSON Lines, CSV, claims extract):
# `_read_amount` reads a number and its scale word at a position; `parse_figure` reads the qualifier, the range and
# the unit around it. A value reads as one number, or it is refused: "25 000" is never 25 with a unit "000".
THOUSANDS_SEPARATORS = ",'’_ \u00a0\u202f"  # comma, apostrophes, underscore, space, no-break and narrow no-break
_SEP = "[" + THOUSANDS_SEPARATORS + "]"
# The shape of a number in running text, for a finder such as claims.extract (..._DOT_GROUPS also finds 10.000):
# liberal on purpose, so that the reader, not the finder, decides what "1,5" or "25 00" is.
NUMBER_PATTERN = rf"\d{{1,3}}(?:{_SEP}\d{{3}})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
NUMBER_PATTERN_DOT_GROUPS = NUMBER_PATTERN.replace(_SEP, "[." + THOUSANDS_SEPARATORS + "]")
_FRACTION = r"(?:(?P<mark>[.,])(?P<decimals>\d+))?"
_NUMBER = re.compile(rf"(?P<whole>[1-9]\d{{0,2}}(?P<sep>{_SEP})\d{{3}}(?!\d)(?:(?P=sep)\d{{3}}(?!\d))*|\d+){_FRACTION}")
_DOT_GROUPED = re.compile(rf"(?P<whole>[1-9]\d{{0,2}}(?:(?P<sep>\.)\d{{3}}(?!\d))+){_FRACTION}")
_LOOSE_GROUP = re.compile(rf"(?:{_SEP}|[.,])\d")  # digits right after a number: a group that is not 3 digits long
SCALES = {
    "k": 1000,
    "thousand": 1000,
    "mille": 1000,
    "million": 10**6,
    "millions": 10**6,
    "milliard": 10**9,
    "milliards": 10**9,
    "billion": 10**9,
    "billions": 10**9,
}
SCALE_PATTERN = r"thousand|mille|millions?|milliards?|billions?"  # the words; "k" is written against the digits
_SCALE = re.compile(rf"(?P<k>[kK])(?!\w)|\s+(?P<word>{SCALE_PATTERN})(?!\w)", re.I)
_SCALE_OF = re.compile(r"\s+(?:de|of)(?=\s)|\s+d['’](?=\w)", re.I)  # "3 millions de personnes": unit "personnes"
_METRE = re.compile(r"[mM](?!\w)")
MAX_FIGURE = 10**15  # below it every whole number is exact as a float too; above it a typo is likelier than a count
_QUALIFIER_PREFIXES = {
    ">=": "at_least",
    "<=": "up_to",
    "~": "about",
    ">": "more_than",
    "<": "less_than",
    "about": "about",
    "environ": "about",
    "more than": "more_than",
    "plus de": "more_than",
    "at least": "at_least",
    "au moins": "at_least",
    "less than": "less_than",
    "moins de": "less_than",
    "up to": "up_to",
    "jusqu'à": "up_to",
}
_PREFIX = re.compile(
    r"(?P<prefix>>=|<=|~|>|<|(?:"
    + "|".join(k.replace(" ", r"\s+").replace("'", "['’]") for k in _QUALIFIER_PREFIXES if k[0].isalpha())
    + r")(?=\s))\s*",
    re.I,
)
_RANGE_LEADS = {"between": "and", "entre": "et", "from": "to", "de": "à"}  # the word that joins a range's ends
_RANGE_LEAD = re.compile(r"(?P<lead>between|entre|from|de)\s+(?=\d)", re.I)
_CONNECTORS = {
    lead: re.compile(rf"\s*[-–]\s*(?=\d)|\s+(?:{word})\s+(?=\d)", re.I)
    for lead, word in {**_RANGE_LEADS, None: "to|à"}.items()
}


class _NotAValue(Exception):
    """The text has none of the shapes of a figure's value."""


def _decimal(text: str, start: int, dot_groups: bool) -> tuple[Decimal, int, str]:
    """The number at `start` of `text`, where it ends, and its decimal mark ('' when none); raise if malformed."""
    number = _NUMBER.match(text, start)
    if not number:
        raise _NotAValue
    if dot_groups and (dotted := _DOT_GROUPED.match(text, start)) and dotted.end("whole") > number.end("whole"):
        number = dotted
    whole, separator, mark, decimals = number.group("whole", "sep", "mark", "decimals")
    digits, end = whole.replace(separator, "") if separator else whole, number.end()
    if mark:
        shown = number.group()
        if mark == separator:
            raise InvalidValue(f"{shown!r} uses {mark!r} both between thousands and before the decimals")
        if mark == "," and len(decimals) == 3:
            raise InvalidValue(
                f"{shown!r} is not a number: a comma before exactly three digits separates thousands, "
                "and the digits before it are not groups of three"
            )
        if mark == "." and len(decimals) == 3 and not separator and re.fullmatch(r"[1-9]\d{0,2}", digits):
            raise InvalidValue(
                f"{shown!r} is ambiguous (a dot also separates thousands in many languages): "
                f"write {digits}{decimals} for the whole number, or {shown}0 for the decimal"
            )
        digits = f"{digits}.{decimals}"
    if _LOOSE_GROUP.match(text, end):
        shown = text[start:end] + re.match(rf"(?:{_SEP}|[.,])\d*", text[end:]).group()
        raise InvalidValue(
            f"{shown!r} is not a number: digits after a thousands separator come in groups of three "
            "with the same separator throughout (25 000, 1,500), and a unit cannot start with a digit"
        )
    return Decimal(digits), end, mark or ""


def _read_amount(text: str, start: int, *, dot_groups: bool = False) -> tuple[Decimal, int, int]:
    """The number at `start` ("25 000", "2,5"), where it ends with its scale word ("1,2 million", "25k"), and that
    scale (1 when none)."""
    number, end, mark = _decimal(text, start, dot_groups)
    scale = _SCALE.match(text, end)
    if not scale:
        if _METRE.match(text, end):
            raise InvalidValue(
                f"{text[start : end + 1]!r}: m is not read as million (it could be metres): "
                f"write {text[start:end]} million, or {text[start:end]} m"
            )
        return number, end, 1
    word = (scale["word"] or "k").lower()
    if mark == "," and word.startswith("billion"):
        raise InvalidValue(
            f"{text[start : scale.end()]!r} is ambiguous (a French billion is a million millions): "
            f"write {text[start:end].replace(',', '.')} billion, or {text[start:end]} milliard"
        )
    return number * SCALES[word], scale.end(), SCALES[word]


def _exact(number: Decimal, shown: str) -> int | float:
    """`number` as an int when it is whole, else a float; raise if it is too large or too precise to keep."""
    if number > MAX_FIGURE:
        raise InvalidValue(f"{shown!r} is larger than {MAX_FIGURE:,}")
    if number == number.to_integral_value():
        return int(number)
    value = float(number)
    if Decimal(repr(value)) != number:
        raise InvalidValue(f"{shown!r} has more digits than a figure keeps exactly")
    return value


def read_amount(text: str, start: int = 0, *, dot_groups: bool = False) -> tuple[int | float, int]:
    """The amount at `start` of `text` (`25 000`, `2,5`, `1,2 million`, `25k`) and where it ends; raise if malformed.

    With `dot_groups` a dot may also separate thousands (`10.000`), as in a French, German or Italian
    article (claims extract); a figure SPEC has no such reading: there `10.000` is refused as ambiguous.
    """
    try:
        number, end, _ = _read_amount(text, start, dot_groups=dot_groups)
    except _NotAValue:
        raise InvalidValue(f"no number at {text[start : start + 20]!r}") from None
    return _exact(number, text[start:end]), end


def parse_range(low: str, high: str, *, dot_groups: bool = False) -> tuple[int | float, int | float]:
    """The ends of a range (`1 500` to `12 000`): a scale word on the high end only (`1` to `2 million`) applies to
    both ends; a range that goes down is refused."""
    shown = f"{low} to {high}"
    try:
        low_number, low_end, low_scale = _read_amount(low, 0, dot_groups=dot_groups)
        high_number, high_end, high_scale = _read_amount(high, 0, dot_groups=dot_groups)
        if low_end != len(low) or high_end != len(high):
            raise _NotAValue
    except _NotAValue:
        raise InvalidValue(f"invalid range {shown!r}: write two numbers, e.g. 1500-12000") from None
    return _range(low_number, low_scale, high_number, high_scale, shown)


def _range(low: Decimal, low_scale: int, high: Decimal, high_scale: int, shown: str) -> tuple:
    shared = low_scale == 1 and high_scale != 1
    low_value, high_value = _exact(low * high_scale if shared else low, shown), _exact(high, shown)
    if low_value > high_value:
        hint = " (a scale word after the high end only applies to both ends)" if shared else ""
        raise InvalidValue(f"the range's low end is above its high end{hint}")
    return low_value, high_value


def plain_number(number: int | float) -> str:
    """The digits a SPEC writes for a number: 25000, 2.5; never a separator, an exponent or an ambiguous 1.500."""
    if isinstance(number, int):
        return str(number)
    text = format(Decimal(repr(number)), "f")
    return text + "0" if re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", text) else text  # 2.125 would read as ambiguous


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
    def from_row(cls, row: dict) -> Figure:
        """The figure a `figures` row (or any mapping with its columns) describes."""
        return cls(row["measure"], row["qualifier"], row["low"], row["high"], row["unit"])

    def row(self, claim_id: int) -> dict:
        """This figure as a row of the `figures` table."""
        return {
            "claim_id": claim_id,
            "measure": self.measure,
            "qualifier": self.qualifier,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
        }

    def spec(self) -> str:
        """The SPEC that parses back to this figure, e.g. 'troops_sent=>10000 soldiers'."""
        if self.qualifier == "range":
            value = f"{plain_number(self.low)}-{plain_number(self.high)}"
        else:
            prefix = _SPEC_PREFIXES.get(self.qualifier, "")
            value = prefix + plain_number(self.low if self.low is not None else self.high)
        return f"{self.measure}={value}" + (f" {self.unit}" if self.unit else "")


_BOUNDED = {
    "exact": (True, True),
    "about": (True, True),
    "more_than": (True, False),
    "at_least": (True, False),
    "less_than": (False, True),
    "up_to": (False, True),
}  # whether a qualifier sets low, high
_SPEC_PREFIXES = {"about": "~", "more_than": ">", "at_least": ">=", "less_than": "<", "up_to": "<="}
_VALUE_SHAPES = "the value must be N, ~N, >N, >=N, <N, <=N or N-M, optionally followed by a unit"


@functools.lru_cache(maxsize=65536)
def parse_figure(spec: str) -> Figure:
    """Parse a figure SPEC: `MEASURE=VALUE [UNIT]`, e.g. `troops_sent=>10'000 soldiers`, `protesters=25 000`.

    VALUE is `600` (exact); `~600`, `about 600` or `environ 600` (about); `>10000`, `more than` or
    `plus de` (more than); `>=1000`, `at least` or `au moins` (at least); `<500`, `less than` or
    `moins de` (less than); `<=500`, `up to` or `jusqu'à` (up to); or a range: `1500-12000`,
    `2 000 à 3 000`, `2,000 to 3,000`, `between 1,500 and 12,000`, `entre 1 500 et 12 000`,
    `de 2 000 à 3 000`, `from 20 to 30`.

    A number is plain digits or groups of three after a thousands separator, `,` `'` `’` `_`, a space,
    a no-break space or a narrow no-break space (`25 000`, `10'000`); any other grouping is refused
    (`25 00` is neither 2500 nor 25 with a unit "00": a unit cannot start with a digit). The decimal mark
    is a dot (`2.5`), or a comma when exactly three digits do not follow it (`2,5` is 2.5, `1,500` is
    1500); a dot before exactly three digits after 1 to 3 digits (`10.000`) is refused as ambiguous.
    A scale word multiplies the number exactly: `k`/`K` against the digits (`25k`), `thousand`, `mille`,
    `million(s)`, `milliard(s)`, `billion(s)` (10^9) after a space (`1,2 million` is 1200000); `m` is
    not million (it could be metres), and a decimal comma before `billion` is refused (a French billion
    is 10^12). A scale on the high end of a range only applies to both ends (`1-2 million`). Values are
    ints when whole, else floats, and at most 10^15.
    """
    measure, sep, value = (spec or "").partition("=")
    measure = measure.strip()
    value = value.strip()
    if not sep or not measure or not value:
        raise InvalidValue(f"invalid figure {spec!r}: use MEASURE=VALUE, e.g. killed=~600 or troops_sent=>10000")
    if not _MEASURE.match(measure):
        raise InvalidValue(f"invalid figure {spec!r}: the measure must be lowercase snake_case, e.g. troops_sent")
    try:
        qualifier, low, high, end, scaled = _read_value(value)
    except _NotAValue:
        raise InvalidValue(f"invalid figure {spec!r}: {_VALUE_SHAPES}") from None
    except InvalidValue as e:
        raise InvalidValue(f"invalid figure {spec!r}: {e}") from None
    of = _SCALE_OF.match(value, end) if scaled else None
    unit = optional_text(value[of.end() if of else end :])
    if unit and unit[0].isdigit():
        raise InvalidValue(f"invalid figure {spec!r}: a unit cannot start with a digit ({unit!r})")
    if unit and len(unit) > MAX_UNIT_LENGTH:
        raise InvalidValue(f"invalid figure {spec!r}: the unit is longer than {MAX_UNIT_LENGTH} characters")
    return Figure(measure, qualifier, low, high, unit)


def _read_value(value: str) -> tuple[str, int | float | None, int | float | None, int, bool]:
    """The qualifier, low and high ends of a figure's value, where it ends, and whether a scale word ends it."""
    prefix = _PREFIX.match(value)
    lead = None if prefix else _RANGE_LEAD.match(value)
    start = prefix.end() if prefix else lead.end() if lead else 0
    if not value[start : start + 1].isdigit():
        raise _NotAValue
    low, end, low_scale = _read_amount(value, start)
    scaled = low_scale != 1
    connector = None if prefix else _CONNECTORS[lead and lead["lead"].lower()].match(value, end)
    if connector:
        high, end, high_scale = _read_amount(value, connector.end())
        scaled = high_scale != 1
        low, high = _range(low, low_scale, high, high_scale, value[start:end])
        qualifier = "range"
    elif lead:
        raise _NotAValue  # "between 600"
    else:
        words = prefix and prefix["prefix"]
        qualifier = (
            "exact"
            if not words
            else _QUALIFIER_PREFIXES.get(words)
            or _QUALIFIER_PREFIXES[" ".join(words.lower().replace("’", "'").split())]
        )
        number = _exact(low, value[start:end])
        has_low, has_high = _BOUNDED[qualifier]
        low, high = number if has_low else None, number if has_high else None
    if end < len(value) and not value[end].isspace():
        raise _NotAValue  # "600soldiers", "~1500-2000"
    return qualifier, low, high, end, scaled


def parse_relation(relation: str | None) -> str:
    """The relation named (same, updates, contradicts), or InvalidValue with the closest one suggested."""
    name = (relation or "").strip().lower().replace("_", "-")
    aliases = {"same-as": "same", "update": "updates", "updated-by": "updates", "contradict": "contradicts"}
    name = aliases.get(name, name)
    if name in RELATION_NAMES:
        return name
    close = difflib.get_close_matches(name, RELATION_NAMES, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise InvalidValue(f"unknown relation {relation!r}{hint}: expected one of {', '.join(RELATION_NAMES)}")


# Month names as dates write them in French, English and German, folded (`fold`): their number.
MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [
            "january jan janvier janv januar janner",
            "february feb fevrier fevr februar",
            "march mar mars marz",
            "april apr avril avr",
            "may mai",
            "june jun juin juni",
            "july jul juillet juil juli",
            "august aug aout",
            "september sep sept septembre",
            "october oct octobre oktober okt",
            "november nov novembre",
            "december dec decembre dezember dez",
        ],
        1,
    )
    for name in names.split()
}


def without_empty(mapping: dict) -> dict:
    """The mapping without its None and empty values, as exports leave them out."""
    return {key: value for key, value in mapping.items() if value not in (None, "", [], {})}
