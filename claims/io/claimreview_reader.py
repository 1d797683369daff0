"""ClaimReview (schema.org JSON-LD) import: reviews found in JSON or HTML pages, read as claim records.

Pure functions, no database, no printing; see `claims.io.claimreview` for the ratings and statuses.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ..errors import InvalidValue
from ..records import source_identity
from ..values import (
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    MONTH_NUMBERS,
    fold,
    identity_key,
    parse_date,
    parse_language,
    parse_url,
)
from ..vocabulary import PARTY_COLUMNS
from .claimreview import DEFAULT_MAPPING, RATING_FIELDS, RATING_SHARES

# Import: finding the ClaimReviews


class _LdJsonScripts(HTMLParser):
    """Collects the text of every <script type="application/ld+json"> block of a page."""

    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        kind = "".join((dict(attrs).get("type") or "").split()).lower()
        self.inside = tag == "script" and kind.startswith("application/ld+json")
        self.blocks += [""] if self.inside else []

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "script"

    def handle_data(self, data):
        if self.inside:
            self.blocks[-1] += data


def _documents(data: str, origin: str, warnings: list[str]) -> list[tuple[str, object]]:
    """The JSON values of the input: the whole of it if it is JSON, else each ld+json block of the page."""
    text = data.lstrip("\ufeff \t\r\n")
    if text[:1] in ("{", "["):
        try:
            return [(origin, json.loads(text, strict=False))]
        except (json.JSONDecodeError, RecursionError) as e:
            raise InvalidValue(f"{origin}: invalid JSON: {_json_error(e)}") from None
    parser = _LdJsonScripts()
    parser.feed(data)
    parser.close()
    if not parser.blocks:
        raise InvalidValue(f"{origin}: neither JSON nor an HTML page with application/ld+json scripts")
    documents = []
    for number, block in enumerate(parser.blocks, 1):
        block = re.sub(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$", "", block.strip())
        try:
            documents.append((f"{origin} block {number}", json.loads(block, strict=False)))
        except (json.JSONDecodeError, RecursionError) as e:
            warnings.append(f"{origin} block {number}: invalid JSON: {_json_error(e)}")
    return documents


def _json_error(e: Exception) -> str:
    return f"{e.msg} at line {e.lineno}" if isinstance(e, json.JSONDecodeError) else "nested too deeply"


def _walk(root) -> list[dict]:
    """Every object in a JSON value, in document order (iterative: hostile nesting cannot overflow)."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def _types(node: dict) -> set[str]:
    raw = node.get("@type")
    return {re.split(r"[:/#]", t.strip())[-1] for t in (raw if isinstance(raw, list) else [raw]) if isinstance(t, str)}


# Import: reading messy values


class _Reader:
    """Reads the values of one ClaimReview, resolving {"@id"} references and reporting what it drops."""

    def __init__(self, where: str, warnings: list[str], ids: dict):
        self.where, self.warnings, self.ids = where, warnings, ids

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.where}: {message}")

    def node(self, value) -> dict:
        value = next((v for v in value if isinstance(v, dict)), {}) if isinstance(value, list) else value
        if isinstance(value, dict) and set(value) == {"@id"}:
            return self.ids.get(value["@id"], value)
        return value if isinstance(value, dict) else {}

    def text(self, value) -> str | None:
        if isinstance(value, list):
            value = next((t for t in map(self.text, value) if t), None)
        if isinstance(value, dict):
            value = self.node(value)
            value = value.get("@value", value.get("name"))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        return (html.unescape(value).strip() or None) if isinstance(value, str) else None

    def name(self, value) -> str | None:
        text = self.text(value)
        return " ".join(text.split()) if text else None

    def names(self, value) -> list[str]:
        names = [n for n in map(self.name, value if isinstance(value, list) else [value]) if n]
        for name in names:
            if len(name) > MAX_NAME_LENGTH:
                self.warn(f"name of {len(name):,} characters dropped")
        return list(dict.fromkeys(n for n in names if len(n) <= MAX_NAME_LENGTH))

    def url(self, value, what: str) -> str | None:
        text = self.text(value.get("@id") if isinstance(value, dict) and "@id" in value else value)
        try:
            return parse_url(text, what) if text else None
        except InvalidValue as e:
            self.warn(f"{e}: left empty")

    def date(self, value, what: str) -> str | None:
        text = self.text(value)
        try:
            return parse_date(_iso_date(text), what) if text else None
        except ValueError as e:  # from _iso_date: "ambiguous" or "unparseable"
            self.warn(f"{e} {what} {text!r}: left empty")
        except InvalidValue as e:  # a date in the future, or no such day
            self.warn(f"{e}: left empty")

    def language(self, value) -> str | None:
        node = self.node(value)
        text = self.text(node.get("alternateName") or node.get("name") if node else value)
        try:
            return parse_language(text) if text else None
        except InvalidValue:
            self.warn(f"unrecognised inLanguage {text!r}: left empty")


def _iso_date(text: str) -> str:
    """YYYY[-MM[-DD]] from ISO 8601, 'May 1, 2024', '1er mai 2024', '2. Mai 2024' or an unambiguous dd/mm/yyyy."""
    if match := re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d.*)?", text):
        return "-".join(f"{int(part):02d}" for part in match.groups() if part)
    if match := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text):
        a, b, year = map(int, match.groups())
        readings = {_valid_date(year, b, a), _valid_date(year, a, b)} - {None}
        if len(readings) != 1:
            raise ValueError("ambiguous" if readings else "unparseable")
        return readings.pop()
    words = [re.sub(r"^(\d+)(?:er|st|nd|rd|th)$", r"\1", w) for w in fold(text).split()]
    months = [MONTH_NUMBERS.get(w) for w in words]
    if len(words) == 3 and re.fullmatch(r"\d{4}", words[2]):
        for month, day in ((months[0], words[1]), (months[1], words[0])):
            if month and day.isascii() and day.isdigit() and (date := _valid_date(int(words[2]), month, int(day))):
                return date
    if len(words) == 2 and months[0] and re.fullmatch(r"\d{4}", words[1]):
        return f"{words[1]}-{months[0]:02d}"
    raise ValueError("unparseable")


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _number(value) -> float | None:
    try:
        return float(str(value).strip()) if value is not None and not isinstance(value, bool) else None
    except ValueError:
        return None


# Import: one ClaimReview, one canonical record


def parse_claimreviews(
    data: str, *, mapping: dict = DEFAULT_MAPPING, origin: str = "<input>"
) -> tuple[list[dict], list[str]]:
    """(canonical claim records, warnings) from ClaimReview JSON-LD or an HTML page; a warning per thing dropped.

    A review gives one record per appearance of the claim (each in its own source), linked as the same claim;
    reviews of the same claim (the same claimReviewed text, or an appearance in common) are linked as well.
    """
    reviews, warnings = read_reviews(data, mapping=mapping, origin=origin)
    return [record for _, record in reviews], warnings


def read_reviews(
    data: str, *, mapping: dict = DEFAULT_MAPPING, origin: str = "<input>"
) -> tuple[list[tuple[str, dict]], list[str]]:
    """What `parse_claimreviews` reads, each record with where it comes from ("review 2", "review 2 appearance 3")."""
    warnings: list[str] = []
    reviews, found = [], 0
    for where, document in _documents(data, origin, warnings):
        nodes = _walk(document)
        ids = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
        found_here = [n for n in nodes if "ClaimReview" in _types(n)]
        for number, review in enumerate(found_here, 1):
            read = _Reader(f"{where} item {number}", warnings, ids)
            reviews += [read_review] if (read_review := _records(review, read, mapping)) else []
        found += len(found_here)
    if not found:
        raise InvalidValue(f"{origin}: no ClaimReview found" + (f" ({'; '.join(warnings)})" if warnings else ""))
    return _linked(reviews), warnings


@dataclass
class _Review:
    """The records of one ClaimReview, the text it reviews and its date."""

    records: list[dict]
    reviewed: str
    reviewed_on: str | None


def _records(review: dict, read: _Reader, mapping: dict) -> _Review | None:
    """The records of one ClaimReview: one per appearance of the claim (else one, in the review as its source)."""
    item = read.node(review.get("itemReviewed"))
    text = read.text(review.get("claimReviewed")) or read.text(item.get("name"))
    if not text:
        read.warn("skipped: no claimReviewed text")
        return None
    reviewer = ", ".join(read.names(review.get("author")) or read.names(review.get("publisher")))
    url = read.url(review.get("url"), "review url")
    reviewed_on = read.date(review.get("datePublished"), "datePublished")
    language = read.language(review.get("inLanguage") or item.get("inLanguage"))
    said_on = read.date(item.get("datePublished"), "itemReviewed datePublished")
    status, reason, notes = _judge(read.node(review.get("reviewRating")), reviewer, reviewed_on, mapping, read)
    review_source = {
        "title": read.name(review.get("headline"))
        or read.name(review.get("name"))
        or f"ClaimReview by {reviewer or 'an unnamed fact-checker'}",
        "url": url,
        "outlet": ", ".join(read.names(review.get("publisher"))) or reviewer or None,
        "published": reviewed_on,
        "language": language,
    }
    notes = "; ".join(([f"ClaimReview: {url}"] if url else []) + notes) or None
    shared = {
        "translation": None,
        "quote": False,
        "notes": notes,
        "status": status,
        "reason": reason,
        "changes": [],
        **{column: [] for column in PARTY_COLUMNS.values()},
        "asserted_by": read.names(item.get("author") or item.get("creator")),
        "figures": [],
        "links": [],
    }
    records = []
    for appearance in _appearances(item, read):
        link = read.url(appearance.get("url") or appearance.get("@id"), "appearance url")
        title = read.name(appearance.get("headline")) or read.name(appearance.get("name")) or link
        if not title:
            continue
        seen_on = read.date(appearance.get("datePublished"), "appearance datePublished")
        seen_in = read.language(appearance.get("inLanguage"))
        source = {
            "title": title,
            "url": link,
            "outlet": ", ".join(read.names(appearance.get("publisher"))) or None,
            "published": seen_on,
            "language": seen_in,
        }
        wording = read.text(appearance.get("text"))
        if wording and len(wording) > MAX_TEXT_LENGTH:
            read.warn(f"appearance text of {len(wording):,} characters: the claimReviewed text is used")
            wording = None
        records.append(
            {
                "text": wording or text,
                "language": seen_in or language,
                "said_on": said_on or seen_on,
                **shared,
                "source": source,
            }
        )
    records = records or [{"text": text, "language": language, "said_on": said_on, **shared, "source": review_source}]
    return _Review(records, identity_key(text), reviewed_on)


def _appearances(item: dict, read: _Reader) -> list[dict]:
    """The appearances of a reviewed claim, the first appearance first, each once."""
    found: list[dict] = []
    for key in ("firstAppearance", "appearance"):
        value = item.get(key)
        for entry in value if isinstance(value, list) else [value]:
            if isinstance(entry, str) and entry.strip():
                entry = {"url": entry}
            elif isinstance(entry, dict):
                entry = read.node(entry)
            if not isinstance(entry, dict) or not entry:
                continue
            url = entry.get("url")
            if not any(other == entry or (url and other.get("url") == url) for other in found):
                found.append(entry)
    return found


def _linked(reviews: list[_Review]) -> list[tuple[str, dict]]:
    """The records of the reviews, each with where it comes from; those of one claim linked as the same claim.

    Two reviews are of one claim if they review the same text or share an appearance. The records of a claim are
    linked to its first; a record of a claim and source already read is that record: the later review's rating
    becomes a status change of it.
    """
    groups = list(range(len(reviews)))  # union-find over the reviews: groups[n] leads to the first of n's claim

    def lead(n: int) -> int:
        while groups[n] != n:
            groups[n] = n = groups[groups[n]]
        return n

    first_by_key: dict[tuple, int] = {}
    for number, review in enumerate(reviews):
        urls = {("url", record["source"]["url"]) for record in review.records if record["source"]["url"]}
        for key in {("text", review.reviewed)} | urls:
            first, mine = lead(first_by_key.setdefault(key, number)), lead(number)
            groups[max(first, mine)] = min(first, mine)
    found: list[tuple[str, dict]] = []
    by_identity: dict[tuple, dict] = {}
    anchors: dict[int, tuple[int, dict]] = {}  # the first record of each claim, and the review it comes from
    for number, review in enumerate(reviews):
        group = lead(number)
        for index, record in enumerate(review.records, 1):
            identity = (source_identity(record["source"]), identity_key(record["text"]))
            if identity in by_identity:
                _merge(by_identity[identity], record, review.reviewed_on)
                anchors.setdefault(group, (number, by_identity[identity]))
                continue
            by_identity[identity] = record
            several = len(review.records) > 1
            found.append((f"review {number + 1}" + (f" appearance {index}" if several else ""), record))
            if group not in anchors:
                anchors[group] = (number, record)
                continue
            first_review, anchor = anchors[group]
            if first_review == number:
                why = "another appearance of the claim reviewed"
            elif reviews[first_review].reviewed == review.reviewed:
                why = "the same claim reviewed again (the same claimReviewed text)"
            else:
                why = "the same claim reviewed again (an appearance in common)"
            why = f"ClaimReview: {why}"
            record["links"] = [{"relation": "same", "source": anchor["source"], "text": anchor["text"], "reason": why}]
    return found


def _merge(record: dict, later: dict, reviewed_on: str | None) -> None:
    """Fold into `record` a later review of the same claim in the same source: its rating as a status change."""
    current = record["changes"][-1]["status"] if record["changes"] else record["status"]
    if later["status"] != current:
        record["changes"].append({"status": later["status"], "reason": later["reason"], "date": reviewed_on})
    record["asserted_by"] += [name for name in later["asserted_by"] if name not in record["asserted_by"]]
    record["notes"] = "; ".join(dict.fromkeys(part for part in (record["notes"], later["notes"]) if part)) or None


def _judge(rating: dict, reviewer: str, reviewed_on: str | None, mapping: dict, read: _Reader):
    """Status, reason and notes from a reviewRating: its text first, then its number, else unconfirmed."""
    label = read.name(rating.get("alternateName"))
    raw = {k: read.text(rating.get(k)) for k in RATING_FIELDS[1:] if read.text(rating.get(k))}
    notes = ["original rating: " + ", ".join(f"{k} {v}" for k, v in raw.items())] if raw else []
    status = next((s for pattern, s in mapping["import"] if pattern.search(fold(label))), None) if label else None
    value, best, worst = (_number(rating.get(k)) for k in RATING_FIELDS[1:])
    best, worst = 5 if best is None else best, 1 if worst is None else worst
    if status is None and value is not None and value != -1 and worst <= value <= best and worst < best:
        share = (value - worst) / (best - worst)
        status = next(s for limit, s in RATING_SHARES if share < limit)
        notes.append(f"status {status} from ratingValue {value:g} on a {worst:g}-{best:g} scale")
    if status is None:
        status = "unconfirmed"
        notes.append(f"rating {label!r} not recognised" if label else "no usable rating")
        notes[-1] += ": status unconfirmed"
        read.warn(notes[-1])
    rated = (
        repr(label) if label else f"{raw['ratingValue']} of {worst:g}-{best:g}" if "ratingValue" in raw else "missing"
    )
    by = f"by {reviewer or 'an unnamed fact-checker'} ({reviewed_on or 'undated'})"
    return status, f"ClaimReview rating {rated} {by}", notes
