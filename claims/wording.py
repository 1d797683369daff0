"""The words of a claim, as matching compares them: stems in French and English, names and numbers, denials."""

from __future__ import annotations

import math
import re
from functools import lru_cache

from .values import fold

STOPWORDS = frozenset(
    [
        "a",
        "à",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cet",
        "cette",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "elles",
        "en",
        "et",
        "eux",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "ma",
        "mais",
        "me",
        "même",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "où",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "été",
        "être",
        "avoir",
        "avait",
        "ont",
        "a",
        "sont",
        "est",
        "était",
        "sera",
        "selon",
        "ainsi",
        "aussi",
        "alors",
        "après",
        "avant",
        "comme",
        "dont",
        "plus",
        "moins",
        "très",
        "tout",
        "tous",
        "toute",
        "toutes",
        "lors",
        "depuis",
        "entre",
        "vers",
        "chez",
        "contre",
        "sans",
        "sous",
        "ceci",
        "cela",
        "ça",
        "the",
        "of",
        "and",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "there",
        "they",
        "he",
        "she",
        "his",
        "her",
        "them",
        "an",
        "or",
        "not",
        "no",
        "but",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "said",
        "says",
        "say",
        "would",
        "will",
        "could",
        "can",
        "may",
        "might",
        "also",
        "than",
        "then",
        "into",
        "over",
        "about",
        "after",
        "before",
        "since",
        "under",
        "more",
        "most",
        "some",
        "such",
        "only",
        "other",
    ]
)
# Words of a denial or rejection (folded stems: a report that holds one and another that does not may contradict).
DENIAL_STEMS = (
    "deni",
    "deny",
    "dement",
    "rejet",
    "reject",
    "refut",
    "dismiss",
    "fabricat",
    "faux",
    "fausse",
    "fals",
    "untrue",
    "nie ",
    "contest",
    "baseless",
    "infonde",
    "mensong",
    "lie ",
)
_NUMBER = re.compile(r"(?<![\d])\d{1,3}(?:[ \u00a0\u202f'’.,]\d{3})+(?![\d])")
_WORD = re.compile(r"[a-z0-9]+")
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]+")


@lru_cache(maxsize=4)
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer({"fr": "french", "en": "english", "porter": "porter"}.get(language, "english"))


def join_numbers(text: str) -> str:
    """`10'000`, `10 000`, `10,000` and `10.000` as `10000`, so that reports write a number alike."""
    return _NUMBER.sub(lambda m: re.sub(r"\D", "", m.group()), text)


def words(text: str) -> list[str]:
    """The folded words of a text (numbers joined), stopwords left out."""
    return [w for w in _WORD.findall(fold(join_numbers(text))) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def stems(text: str, language: str | None) -> list[tuple[str, str]]:
    """(stem, word) of a text's words, stemmed in its language (French or English)."""
    language = "fr" if language == "fr" else "en"
    return [(stem_of(word, language), word) for word in words(text)]


@lru_cache(maxsize=50_000)
def stem_of(word: str, language: str) -> str:
    """A word's stem in fr, en or porter (the full-text index's stemmer); remembered, stemming is slow."""
    return _stemmer(language).stemWord(word)


def anchors(*texts: str | None) -> frozenset[str]:
    """Names and numbers of the texts, folded: what reports in two languages share without a translation."""
    found: set[str] = set()
    for text in filter(None, texts):
        joined = join_numbers(text)
        found.update(w for w in _WORD.findall(fold(joined)) if w.isdigit() and len(w) > 1)
        for match in _CAPITALISED.findall(joined):
            word = fold(match).replace("'", " ").split()
            if word and len(word[-1]) > 2 and word[-1] not in STOPWORDS:
                found.add(word[-1][:6])
    return frozenset(found)


def has_denial(*texts: str | None) -> bool:
    """Whether any of the texts holds a word of denial or rejection."""
    folded = " ".join(fold(t) + " " for t in texts if t)
    return any(cue in folded for cue in DENIAL_STEMS)


def translation_language(report_language: str | None) -> str:
    """The language a report's translation is in."""
    return "fr" if report_language == "en" else "en"  # translations are into English, of an English text into French


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two sets of weighted terms."""
    shared = sum(min(a[t], b[t]) ** 2 for t in a.keys() & b.keys())
    if not shared:
        return 0.0
    return shared / math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
