"""Draft candidate claims from a news article: rule-based, French and English, no model.

`extract_claims(text)` returns a bundle in the YAML shape of claims/example/seed-article.yml
for a person to review, edit and load with `claims import`. The rules are linguistic, one module
each:

  article    the header's title, byline, outlet and date; the dateline's outlet and date
             ("PORT LAVAL, Nov 24 (Meridian Press) -", "LYON, 19 novembre 2026 (AFP) -") go to
             the source and out of the first claim (a date without a year gives none); sentences
  cues       who speaks, read with quoted words masked and apostrophes made straight:
             fr: selon X, d'après X, X a affirmé/déclaré/annoncé/indiqué/estimé/précisé/avancé/
                 compté/recensé/relevé/évoqué/dénoncé/fait état de..., X affirme que / avance un
                 chiffre / évoque des..., ", a déclaré à l'AFP X", ", a-t-il dit", citant X
             en: according to X, X said/told/estimated/credited/put the toll at..., ", said X",
                 ", X said", citing X; "«A», a déclaré X" and '"A," said X' give the quote to X
             past appositions and relatives ("X, a lawyer ..., said", "X, qui ..., affirme",
             "according to X, which said") to the actor; stances on this claim (ce que X n'a pas
             confirmé, which X has not confirmed, a figure X disputes/said was far higher, sans
             que X ne confirme) and a stance that points back (X denied the report, X could not
             independently confirm either figure, X n'a pas pu confirmer ce chiffre)
  reading    one claim per claimant ("selon A, ..., tandis que B en a compté N", "A said N, while
             B said M", "A a recensé N, contre M selon B"); a stance sentence is no claim: its
             party takes not_confirmed_by, denied_by or disputed_by on the claims it refers to
             (the last of another party, that party's when it is named: "the charity's
             figures", the same report's run when plural: "either figure", "ces résultats");
             a caveat that names nobody ("could not be independently verified") is a note; a
             quote after its attribution ("«A», a déclaré X. «B»") is X's; said_on from a
             weekday next to the attribution; background in the pluperfect is not the news
  actors     known actors by alias, by a description their name holds or that holds their name
             ("the health ministry" in an article on Brisca: Brisca health ministry), "the
             company" as the organisation named last (`actor_kinds`), surnames, pronouns,
             "one of the sources"; unnamed sources named after their description ("Sources
             sécuritaires", "Senior police official"); new actors with a guessed kind
  figures    amounts in digits (values.read_amount), cardinals in words and collective words
             built on them (text2num: six cents, une vingtaine, des centaines, a dozen,
             thousands, tens of thousands), qualifiers (plus de, au moins, près de, estimé à, au
             bas mot, could reach, pourraient atteindre), ranges (entre deux et trois); not
             years, dates, times, ages, durations, the number of people who speak, or a
             distance that places something; a measure from nearby words, named as the database
             names the same count (`known_measures`; synonym groups: killed/bodies/morts...)

A cue-less sentence that states a number or a date is proposed as the outlet's own claim.
"""

from __future__ import annotations

import re

from ...values import fold
from .actors import Context, person_like
from .article import (
    MAX_SENTENCE,
    article_metadata,
    clean,
    detect_language,
    split_article,
    split_sentences,
)
from .cues import ROLE_OF
from .figures import figures_in, known_measure
from .reading import LOOKBACK, read_sentence
from .words import NAME

__all__ = [
    "article_metadata",
    "detect_language",
    "extract_claims",
    "figures_in",
    "known_measure",
    "split_sentences",
    "write_draft",
]


def extract_claims(
    text: str,
    *,
    language: str | None = None,
    known_actors: dict[str, str] | None = None,
    source: dict | None = None,
    actor_kinds: dict[str, str] | None = None,
    known_measures: list[str] | None = None,
) -> dict:
    """A draft bundle (source, new actors, candidate claims) of the claims in a news article.

    `known_actors` maps folded aliases (`values.fold`) to canonical actor names; actors not in it
    are proposed in the bundle's `actors`; `actor_kinds` gives the kinds of known actors (name ->
    kind), so that "the company" can mean the organisation named last. `known_measures` are the
    measure names the database has, most used first: a figure's measure takes one of them when it
    means the same (`known_measure`), and its notes say when a new name is proposed. `source`
    overrides fields read from the article's header: title, outlet, published, language, url, key.
    """
    meta, body = split_article(clean(text))
    language = language or detect_language(body)
    src = {k: v for k, v in {**meta, **(source or {})}.items() if v}
    outlet, published = src.get("outlet"), src.get("published")
    key = src.get("key") or f"{re.sub(r'[^a-z0-9]+', '-', fold(outlet or 'article'))}-{published or 'undated'}"
    entry = {
        "key": key,
        "title": src.get("title") or "Untitled article",
        "outlet": outlet,
        "published": published,
        "language": src.get("language") or language,
        "url": src.get("url"),
    }
    alias = meta.get("outlet_alias") if outlet == meta["outlet"] else None
    if alias and fold(outlet) not in (known_actors or {}) and fold(alias) in (known_actors or {}):
        outlet = known_actors[fold(alias)]  # "(CNS)" in the dateline names a known outlet
    ctx = Context(known_actors or {}, outlet, published, body, actor_kinds)
    ctx.measures = None if known_measures is None else list(known_measures)
    if alias and ctx.outlet and fold(ctx.outlet) in ctx.new and fold(alias) != fold(ctx.outlet):
        ctx.new[fold(ctx.outlet)]["aliases"] = [alias]
    done = set()
    for sentence in split_sentences(body):
        if sentence in done or len(sentence) > MAX_SENTENCE or len(sentence.split()) < 3:
            continue
        done.add(sentence)
        ctx.mention(sentence)
        drafted = read_sentence(sentence, ctx, language)
        for claim in drafted:
            if all(claim["text"] != c["text"] for c in ctx.claims[-LOOKBACK:]):
                ctx.claims.append(claim)
                ctx.seen |= set(claim["asserted_by"] + claim["relayed_by"])
                ctx.last_by[tuple(claim["asserted_by"])] = claim
        ctx.prev_quote = drafted[-1] if drafted and drafted[-1]["quote"] and drafted[-1]["asserted_by"] else None
        runs = {fold(r) for r in re.findall(rf"{NAME}(?:\s+{NAME})+", sentence)}
        latest = ctx.claims[-1:] if ctx.claims and ctx.claims[-1]["text"].strip('«»“”"') in sentence else []
        ctx.prev_persons = {p for p in ctx.persons if fold(p) in runs}
        ctx.prev_persons |= {n for c in latest for n in c["asserted_by"] if person_like(n)}
        ctx.prev_parties = {n for c in drafted for n in c["asserted_by"]}
    used = {n for c in ctx.claims for role in ("asserted_by", "relayed_by", *ROLE_OF.values()) for n in c[role]}
    return {
        "sources": [{k: v for k, v in entry.items() if v}],
        "actors": [a for a in ctx.new.values() if a["name"] in used],
        "claims": [_finish(c, key) for c in ctx.claims],
    }


def _finish(claim: dict, key: str) -> dict:
    """A claim in the bundle's shape: optional fields only when set, lists copied, notes as one text."""
    out = {"source": key, "text": claim["text"]} | ({"said_on": claim["said_on"]} if claim["said_on"] else {})
    out |= {"quote": True} if claim["quote"] else {}
    out |= {role: list(claim[role]) for role in ("asserted_by", "relayed_by", "not_confirmed_by")}
    out |= {role: list(claim[role]) for role in ("denied_by", "disputed_by") if claim[role]}
    notes = " ".join(["Draft, extracted automatically.", *dict.fromkeys(n for n in claim["notes"] if n)])
    return out | {"figures": list(claim["figures"]), "status": "unconfirmed", "notes": notes}


def write_draft(bundle: dict) -> str:
    """YAML text of a draft bundle, under a comment telling the reader to review it before importing it."""
    import yaml

    header = (
        f"# DRAFT: {len(bundle.get('claims') or [])} candidate claims extracted automatically by `claims extract`.\n"
        "# Review every claim against the article before importing it: fix the text, who asserts, relays,\n"
        "# denies or has not confirmed it, the figures (MEASURE=VALUE [UNIT]) and the dates; delete what is\n"
        "# not a checkable claim; give new actors the right kind, a country and aliases. Then load it with\n"
        "#     claims import THIS_FILE.yml\n\n"
    )
    return header + yaml.safe_dump(bundle, allow_unicode=True, sort_keys=False, width=2**20)
