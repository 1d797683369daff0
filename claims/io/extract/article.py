"""An article's header (title, byline, outlet, date), its dateline, its language and its sentences."""

from __future__ import annotations

import datetime
import re

from ...values import MONTH_NUMBERS, fold
from .words import EN_STOP, FR_STOP, OUTLETS, word_set

MAX_SENTENCE = 1500  # a longer run without sentence punctuation is not a claim
# "PORT LAVAL, Nov 24 (Meridian Press) -", "Brenne (Valdor), 12 mars 2025 (AFP) -", "VESSANE (ATV) -"
DATELINE = re.compile(
    r"^(?:[^()\n]{0,60}|[^()\n]{0,40}\([^()\n]{0,30}\)[^()\n]{0,40})"
    r"\((?P<o>[A-ZÀ-Þ][^()\n.!?;:]{0,40})\)\s*[-–—]+\s*"
)
BYLINE = re.compile(r"^(?:by|par|de notre (?:envoyée?|correspondante?))\s", re.I)


def detect_language(text: str) -> str:
    """ "fr" or "en", by counting common French and English words in the first 20,000 characters."""
    words = fold(text[:20000]).split()
    return "fr" if sum(w in FR_STOP for w in words) > sum(w in EN_STOP for w in words) else "en"


def clean(text: str) -> str:
    """Drop scripts, HTML tags, terminal escapes and control characters; keep newlines."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", re.sub(r"<[^<>\n]{0,200}>", " ", text))
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028\u2029]", "", text.replace("\t", " "))


def _date_in(line: str) -> str | None:
    """The first date in a line: 30.8.2025, 2025-08-30, 30 août 2025, August 30, 2025."""
    folded = fold(line)
    found = [(m[1], m[2], m[3]) for m in re.finditer(r"\b(\d{4})-(\d{2})-(\d{2})\b", line)]
    found += [(m[3], m[2], m[1]) for m in re.finditer(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b", line)]
    found += [(m[3], m[2], m[1]) for m in re.finditer(r"\b(\d{1,2})(?:er)? ([a-z]+) (\d{4})\b", folded)]
    found += [(m[3], m[1], m[2]) for m in re.finditer(r"\b([a-z]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})\b", folded)]
    for year, month, day in found:
        try:
            return datetime.date(int(year), int(MONTH_NUMBERS.get(month, month)), int(day)).isoformat()
        except ValueError:
            continue
    return None


def _outlet_like(line: str) -> bool:
    """Whether a header line could be an outlet's name: a few capitalised words ("Meridian Press", "ATV")."""
    words = line.split()
    return (
        1 <= len(words) <= 4
        and not re.search(r"[\d.,;:!?«»“”\"]", line)
        and not BYLINE.match(line)
        and all(re.fullmatch(r"[A-ZÀ-Þ][\w'’&-]*", w) or fold(w) in word_set("de du des of the la le l") for w in words)
    )


def _abbreviates(short: str, name: str) -> bool:
    """Whether `short` is `name` or its initials: CNS for Coastline News Service, AFP for Agence France-Presse."""
    initials = "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w[0].isupper())
    return fold(short) == fold(name) or (len(short) >= 2 and short.upper() == initials.upper() == short)


def split_article(text: str) -> tuple[dict, str]:
    """Header fields (title, outlet, published, outlet_alias) and the body of a wire story, without its dateline."""
    all_lines = text.splitlines()
    lines = [(i, line.strip()) for i, line in enumerate(all_lines) if line.strip()]
    meta, start, named = {"title": None, "outlet": None, "published": None}, 0, None
    for i, line in lines[1:5]:  # the byline, outlet and date lines under the title
        if len(line) > 80:
            break
        outlet = OUTLETS.get(fold(re.sub(r"^(?:by|par)\s+[^,(]*[,(]\s*|\)$", "", line, flags=re.I)))
        if outlet and not meta["outlet"]:
            meta["outlet"], start = outlet, i + 1
        elif not meta["published"] and (date := _date_in(line)):
            meta["published"], start = date, i + 1
        elif BYLINE.match(line) and not re.search(r"[.!?]$", line):
            start = i + 1
        elif _outlet_like(line) and not named and not meta["outlet"]:
            named, start = line, i + 1
    if lines and (start or (len(lines[0][1]) <= 200 and not re.search(r"[.!?»”\"]$", lines[0][1]))):
        meta["title"], start = " ".join(lines[0][1].split())[:200], max(start, lines[0][0] + 1)
    body = "\n".join(all_lines[start:]).strip()
    if match := DATELINE.match(body):
        shown = match["o"].strip()
        if not meta["outlet"]:
            meta["outlet"] = named if named and _abbreviates(shown, named) else OUTLETS.get(fold(shown), shown)
        if fold(shown) != fold(meta["outlet"]):
            meta["outlet_alias"] = shown
        # the dateline's date when it has a year: "Nov 24" alone gives none (a year is not guessed)
        meta["published"] = meta["published"] or _date_in(match.group())
        body = body[match.end() :]
    elif named and not meta["outlet"]:
        meta["outlet"] = named
    return meta, body


def article_metadata(text: str) -> dict:
    """Title, outlet, published (ISO date) and language of an article, from a wire-copy header when present."""
    meta, body = split_article(clean(text))
    return meta | {"language": detect_language(body)}


def split_sentences(text: str) -> list[str]:
    """Sentences, paragraph by paragraph; abbreviations ("M.", "U.S."), numbers and open quotes end none."""
    sentences = []
    for paragraph in re.split(r"\n\s*\n", text):
        para, start = " ".join(paragraph.split()), 0
        for m in re.finditer(r"[.!?…]+[»”\"’)]*\s+(?=[«“\"(]?\s?[A-ZÀ-ÖØ-Þ0-9])", para):
            before = para[start : m.end()].rstrip()
            last = before.rstrip('»”"’)').rsplit(None, 1)[-1] if before.strip() else ""
            depth = (
                before.count("«") - before.count("»") + before.count("“") - before.count("”") + before.count('"') % 2
            )  # quotes still open
            short = fold(last) in word_set("m mm mme dr mr mrs ms st prof gen col lt gov sen rep jr sr vs no p ex cf")
            if (short or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", last) or depth > 0) and len(before) < MAX_SENTENCE:
                continue
            sentences.append(para[start : m.end()].strip())
            start = m.end()
        if para[start:].strip():
            sentences.append(para[start:].strip())
    return sentences
