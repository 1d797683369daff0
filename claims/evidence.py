"""Sources kept as evidence: a source's stored text, and where each claim's text is in it.

A source may keep its full text (`source_texts.body`, with its SHA-256 and when it was stored) and the page it
was read from (the original HTML, zlib-compressed). Storing a text is logged in `source_changes` (who, when, why);
a different text for a source that has one replaces it only with a reason, the text it replaces kept in the log,
and the database refuses an update that was not logged (`SOURCE_TEXT_TRIGGERS`).

A claim whose text is a verbatim span of its source's text records the span (`claims.span_start`, `span_end`,
character offsets into the body): runs of whitespace match any whitespace, a final `.`, `!` or `?` the body lacks
is not required, and a text with `[...]` elisions spans from its first part to its last, the parts in order.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from .errors import AlreadyExists, InvalidValue, NotFound

MAX_BODY_LENGTH = 5_000_000  # characters of a stored text: a long report, not a book
ELISION = re.compile(r"\s*\[\s*(?:\.\.\.|…)\s*\]\s*")
FINAL_PUNCTUATION = ".!?…"
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
STORED_AT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass
class SourceText:
    """A source's full text as read from a file, and the page it came from (its bytes as saved), if any."""

    body: str
    html: bytes | None = None
    stored_at: str | None = None  # when it was first stored, as a file being imported says; else now
    html_zlib: bytes | None = None  # the page already compressed, as a JSON Lines file carries it

    def compressed_html(self) -> bytes | None:
        """The page zlib-compressed, as it is stored."""
        if self.html_zlib is not None:
            return self.html_zlib
        return zlib.compress(self.html, 9) if self.html is not None else None


# Spans


def _part_pattern(part: str) -> str:
    return r"\s+".join(re.escape(word) for word in part.split())


def _patterns(text: str) -> list[re.Pattern] | None:
    """One pattern per part of the claim text (split at `[...]`); the last part's final punctuation optional."""
    parts = [part for part in ELISION.split(text or "") if part.strip()]
    if not parts:
        return None
    last = parts[-1].rstrip()
    stripped = last.rstrip(FINAL_PUNCTUATION)
    patterns = [_part_pattern(part) for part in parts[:-1]]
    if stripped.strip():
        patterns.append(
            _part_pattern(stripped) + (f"(?:{re.escape(last[len(stripped) :])})?" if stripped != last else "")
        )
    else:
        patterns.append(_part_pattern(last))
    return [re.compile(pattern) for pattern in patterns]


def find_span(body: str | None, text: str) -> tuple[int, int] | None:
    """(start, end) of the first place `text` appears verbatim in `body` (see the module's rules), or None."""
    patterns = _patterns(text) if body else None
    if not patterns:
        return None
    first = patterns[0].search(body)
    if first is None:
        return None
    end = first.end()
    for pattern in patterns[1:]:  # the earliest match of each part leaves the most room for the next
        found = pattern.search(body, end)
        if found is None:
            return None
        end = found.end()
    return first.start(), end


def span_matches(body: str | None, text: str, start: int, end: int) -> bool:
    """Whether `body[start:end]` is exactly where `text` appears (its first part at start, its last at end)."""
    patterns = _patterns(text) if body else None
    if not patterns or not 0 <= start < end <= len(body):
        return False
    piece = body[start:end]
    found = patterns[0].match(piece)
    if found is None:
        return False
    if len(patterns) == 1:
        return found.end() == len(piece)
    position = found.end()
    for pattern in patterns[1:-1]:
        found = pattern.search(piece, position)
        if found is None:
            return False
        position = found.end()
    last = re.compile(f"(?:{patterns[-1].pattern})\\Z")
    return last.search(piece, position) is not None


def check_span(body: str | None, text: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """The span a claim is written with: `span` as given if it is where `text` is, else refused; found if not given."""
    if span is None:
        return find_span(body, text)
    if body is None:
        raise InvalidValue("the claim's source has no stored text for the span to refer to")
    if not span_matches(body, text, *span):
        raise InvalidValue(f"characters {span[0]}-{span[1]} of the source's stored text are not the claim's text")
    return span


def parse_span(value) -> tuple[int, int]:
    """A span as files write it, `[start, end]`: two whole numbers, 0 <= start < end."""
    if (
        not isinstance(value, (list, tuple))
        or len(value) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in value)
        or not 0 <= value[0] < value[1]
    ):
        raise InvalidValue(f"a span is [start, end], two whole numbers with 0 <= start < end, not {value!r}")
    return value[0], value[1]


# Texts


def sha256(body: str) -> str:
    """The hex SHA-256 of a text, as UTF-8."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def parse_body(value) -> str:
    """A source's text as given (not stripped: offsets count from its first character); blank is refused."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue("a source's stored text is empty")
    if len(value) > MAX_BODY_LENGTH:
        raise InvalidValue(
            f"a source's stored text is {len(value):,} characters long; the limit is {MAX_BODY_LENGTH:,}"
        )
    return value


def parse_stored_at(value: str) -> str:
    """When a text was stored: a UTC timestamp such as 2025-08-30T16:50:09Z, not in the future."""
    text = (value or "").strip()
    try:
        moment = datetime.datetime.strptime(text, STORED_AT_FORMAT).replace(tzinfo=datetime.UTC)
    except ValueError:
        raise InvalidValue(f"invalid time {value!r}: write it as 2025-08-30T16:50:09Z (UTC)") from None
    if moment > datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5):
        raise InvalidValue(f"time {value!r} is in the future")
    return text


def parse_sha256(value: str) -> str:
    """A hex SHA-256 (64 hex digits, lowercase)."""
    text = (value or "").strip().lower()
    if not SHA256.fullmatch(text):
        raise InvalidValue(f"invalid SHA-256 {value!r}: 64 hexadecimal digits")
    return text


def parse_html_zlib(value: str) -> bytes:
    """The stored page as JSON Lines carries it: base64 of the zlib-compressed HTML (checked to decompress)."""
    try:
        data = base64.b64decode((value or "").encode("ascii"), validate=True)
        zlib.decompress(data)
    except (binascii.Error, UnicodeEncodeError, ValueError, zlib.error):
        raise InvalidValue("html_zlib is not base64 of zlib-compressed HTML") from None
    return data


def html_of(compressed: bytes | None) -> bytes | None:
    """The page as saved, from its stored (compressed) form."""
    return zlib.decompress(compressed) if compressed is not None else None


def stored_text(db: Database, source_id: int) -> dict | None:
    """The source's stored text: body, body_sha256, html_zlib, stored_at; None when it keeps none."""
    rows = list(db["source_texts"].rows_where("source_id = ?", [source_id]))
    return rows[0] if rows else None


def text_summary(db: Database, source_id: int) -> dict | None:
    """What `claims show` says of a source's stored text: its length, SHA-256, when stored, whether with its page."""
    row = db.execute(
        "select length(body), body_sha256, stored_at, html_zlib is not null from source_texts where source_id = ?",
        [source_id],
    ).fetchone()
    if row is None:
        return None
    return {"characters": row[0], "sha256": row[1], "stored_at": row[2], "with_page": bool(row[3])}


def bodies(db: Database, source_ids: Iterable[int] | None = None) -> dict[int, str]:
    """The stored body of each source that has one (of `source_ids`, else of every source)."""
    if source_ids is None:
        return dict(db.execute("select source_id, body from source_texts").fetchall())
    ids = list(source_ids)
    if not ids:
        return {}
    placeholders = ", ".join("?" for _ in ids)
    return dict(db.execute(f"select source_id, body from source_texts where source_id in ({placeholders})", ids))


def write_text(db: Database, source_id: int, text: SourceText, *, reason: str | None, user: str, timestamp: str) -> str:
    """Store a source's text inside the caller's transaction; 'stored', 'unchanged' or 'replaced'.

    A different text for a source that has one is refused unless `reason` says why it replaces it; the text it
    replaces is kept in `source_changes`. Claims of the source get their spans from the text stored.
    """
    body = parse_body(text.body)
    digest = sha256(body)
    html = text.compressed_html()
    current = stored_text(db, source_id)
    if current is not None:
        same_page = html is None or html_of(html) == html_of(current["html_zlib"])
        if current["body_sha256"] == digest and current["body"] == body and same_page:
            return "unchanged"
        if not reason:
            raise AlreadyExists(
                f"source {source_id} already keeps a different text (SHA-256 {current['body_sha256'][:12]}..., stored "
                f"{current['stored_at']}): give a reason to replace it ('claims source keep {source_id} --file FILE "
                "--reason ...'); the text it replaces is kept in source_changes"
            )
    stored_at = (text.stored_at or timestamp) if current is None else timestamp  # a replacement is stored now
    old = None
    if current is not None:
        old = {"body": current["body"], "body_sha256": current["body_sha256"], "stored_at": current["stored_at"]}
    new = {"body_sha256": digest, "characters": len(body), "stored_at": stored_at, "with_page": html is not None}
    change_id = (
        db["source_changes"]
        .insert(
            {
                "source_id": source_id,
                "field": "text",
                "old_value": json.dumps(old, ensure_ascii=False) if old else None,
                "new_value": json.dumps(new),
                "old_html_zlib": current["html_zlib"] if current else None,
                "reason": reason or "Text stored.",
                "recorded_by": user,
                "recorded_at": timestamp,
            }
        )
        .last_pk
    )
    row = {"body": body, "body_sha256": digest, "html_zlib": html, "stored_at": stored_at, "change_id": change_id}
    if current is None:
        db["source_texts"].insert({"source_id": source_id, **row})
    else:
        db["source_texts"].update(source_id, row)
    respan_source(db, source_id, body)
    return "stored" if current is None else "replaced"


def set_archive_url(db: Database, source_id: int, url: str, *, reason: str | None, user: str, timestamp: str) -> bool:
    """Give a source its archived copy's URL (validated by the caller), logged; False if it already has it.

    Another URL in place of one recorded needs a reason.
    """
    current = db.execute("select archive_url from sources where id = ?", [source_id]).fetchone()
    if current is None:
        raise NotFound(f"no source {source_id}")
    if current[0] == url:
        return False
    if current[0] is not None and not reason:
        raise AlreadyExists(
            f"source {source_id} already has the archived copy {current[0]}: give a reason to replace it "
            f"('claims source keep {source_id} --archive-url URL --reason ...')"
        )
    db["source_changes"].insert(
        {
            "source_id": source_id,
            "field": "archive_url",
            "old_value": json.dumps(current[0]),
            "new_value": json.dumps(url),
            "reason": reason or "Archived copy recorded.",
            "recorded_by": user,
            "recorded_at": timestamp,
        }
    )
    db["sources"].update(source_id, {"archive_url": url})
    return True


def respan_source(db: Database, source_id: int, body: str | None) -> None:
    """Give every claim of the source the span of its text in `body` (none where it is not found)."""
    rows = db.execute("select id, text, span_start, span_end from claims where source_id = ?", [source_id]).fetchall()
    updates = []
    for claim_id, text, start, end in rows:
        span = find_span(body, text) or (None, None)
        if span != (start, end):
            updates.append((*span, claim_id))
    db.conn.executemany("update claims set span_start = ?, span_end = ? where id = ?", updates)


# Checking


def stale_spans(db: Database) -> Iterator[tuple[int, int, int | None, int | None, str]]:
    """(claim id, source id, start, end, what is wrong) of each claim whose span is not where its text is in its
    source's stored text: a span that no longer matches, a span without a stored text, or none where the text is."""
    rows = db.execute(
        "select claims.id, claims.source_id, claims.text, claims.span_start, claims.span_end, source_texts.body "
        "from claims left join source_texts on source_texts.source_id = claims.source_id "
        "where claims.span_start is not null or claims.span_end is not null or source_texts.body is not null "
        "order by claims.id"
    )
    for claim_id, source_id, text, start, end, body in rows:
        if start is None and end is None:
            if find_span(body, text) is not None:
                yield claim_id, source_id, start, end, "missing"
        elif body is None:
            yield claim_id, source_id, start, end, "no text"
        elif start is None or end is None or not span_matches(body, text, start, end):
            yield claim_id, source_id, start, end, "stale"


def altered_texts(db: Database) -> list[tuple[int, str, str]]:
    """(source id, recorded SHA-256, SHA-256 of the body now) of each stored text changed since it was stored."""
    return [
        (source_id, recorded, sha256(body))
        for source_id, body, recorded in db.execute(
            "select source_id, body, body_sha256 from source_texts order by source_id"
        )
        if sha256(body) != recorded
    ]


# Reading a text around a span


def paragraph_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Where the paragraph (or paragraphs) holding body[start:end] begin and end; paragraphs part at blank lines."""
    before = [m.end() for m in PARAGRAPH_BREAK.finditer(body, 0, start)]
    after = PARAGRAPH_BREAK.search(body, end)
    return (before[-1] if before else 0), (after.start() if after else len(body.rstrip()))


def paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of a text, in order."""
    found, position = [], 0
    for m in PARAGRAPH_BREAK.finditer(body):
        if body[position : m.start()].strip():
            found.append((position, m.start()))
        position = m.end()
    if body[position:].strip():
        found.append((position, len(body.rstrip())))
    return found


def part_spans(body: str, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where each part of a claim's text (split at `[...]`) is within its span `start`-`end` of `body`."""
    patterns = _patterns(text)
    if not patterns:
        return [(start, end)]
    parts, position = [], start
    for index, pattern in enumerate(patterns):
        if index == len(patterns) - 1:
            pattern = re.compile(f"(?:{pattern.pattern})\\Z")  # the last part ends the span
        found = pattern.search(body, position, end)
        if found is None:
            return [(start, end)]
        parts.append((found.start(), found.end()))
        position = found.end()
    return parts


def pieces(body: str, start: int, end: int, spans: list[tuple[int, int, int]]) -> list[tuple[str, int | None]]:
    """body[start:end] cut into (text, claim id or None): the parts inside a claim's span carry its id.

    `spans` are (start, end, claim id). Where spans overlap, the shortest is marked and the others are not.
    """
    chosen: list[tuple[int, int, int]] = []
    for span in sorted(spans, key=lambda span: (span[1] - span[0], span[0])):
        if all(span[1] <= other[0] or span[0] >= other[1] for other in chosen):
            chosen.append(span)
    cut, position = [], start
    for span_start, span_end, claim_id in sorted(chosen):
        span_start, span_end = max(span_start, position), min(span_end, end)
        if span_start >= span_end:
            continue
        if span_start > position:
            cut.append((body[position:span_start], None))
        cut.append((body[span_start:span_end], claim_id))
        position = span_end
    if position < end:
        cut.append((body[position:end], None))
    return cut
