"""Who a phrase names: known actors by their aliases or description, persons by surname or pronoun, new actors
proposed with a kind."""

from __future__ import annotations

import re

from ...values import MONTH_NUMBERS, fold
from .words import (
    ARTICLES,
    CAPITALS,
    COMPANY,
    DETERMINERS,
    FINITE,
    GENERIC,
    NAME,
    PRONOUNS,
    STATE_AGENCIES,
    STOPWORDS,
    TITLES,
    VAGUE,
    WEEKDAYS,
    word_set,
)

LEADING_DETERMINERS = re.compile(rf"^(?:(?:{'|'.join(DETERMINERS)})\s+|[ld]['’])+", re.I)
MEDIA_CUE = (
    r"\b(?:agence|agency|news|presse|press|medias?|journal|newspaper|television|tv|radio|chaine|"
    r"broadcaster|diffuseur)\b"
)
STATE_CUE = r"\b(?:officiel\w*|official|state|d etat|gouvernementa\w*|publique?)\b"
ORG_CUE = (
    r"\b(?:onu|united nations|nations unies|otan|nato|ong|ngo|croix rouge|red cross|oms|unicef|hcr|unhcr|"
    r"mission|fondation|foundation|association|institut|institute|union|commission|meteo|observat\w+|"
    r"group|charity|society|coalition|collective|collectif|syndicat|federation|confederation)\b"
)
KIND_CUES = [  # first match wins; media becomes state-media with a STATE_CUE
    ("intelligence", r"services? secrets?|renseignement|intelligence|espionnage|\b(?:nis|cia|fsb|mossad)\b"),
    ("media", MEDIA_CUE),
    (
        "government",
        r"\b(?:ministere|ministry|ministre|minister|gouvernement|government|presidence|presidency|"
        r"kremlin|white house|maison blanche|autorites|authorities|officials|responsables|mairie)",
    ),
    (
        "military",
        r"\b(?:armee|army|military|militaires?|forces?|air force|navy|marine|etat major|general staff|"
        r"troupes|troops)\b",
    ),
    ("organisation", ORG_CUE),
]
TAIL = re.compile(
    r"\s+(?:dans|lors|devant|pendant|durant|après|avant|sur|via|in|on|at|during|after|before|while|to|"
    r"à|joint|reached|cité|quoted|hier|yesterday|today|aujourd'hui|overnight|tonight|cette semaine|"
    r"this week|la semaine|last week|" + "|".join(WEEKDAYS) + r")\b.*$",
    re.I,
)
LEADING_DAY = re.compile(r"^(?:" + "|".join(WEEKDAYS) + r"|hier|yesterday|today|aujourd'hui)\s+", re.I)
REPORT_PREFIX = re.compile(
    r"^(?:(?:un|une|le|la|les|des|the|a|an)\s+)?(?:(?:nouveau|nouvel|new|latest|dernier)\s+)?(?:bilan|rapport|"
    r"communiqué|décompte|chiffres?|estimations?|déclaration|statement|report|figures?|estimates?|data|toll|tally|"
    r"résultats?|results?|comptage|count)"
    r"\b[^,;]*?\b(?:par|de|du|des|by|from|of)\s+(?:d['’])?",
    re.I,
)


def guess_kind(phrase: str) -> str:
    """A guess at an actor's kind from the words naming it."""
    key = fold(phrase)
    for kind, pattern in KIND_CUES:
        if re.search(pattern, key):
            return "state-media" if kind == "media" and re.search(STATE_CUE, key) else kind
    if key in STATE_AGENCIES or key in CAPITALS:
        return "state-media" if key in STATE_AGENCIES else "government"
    return "person" if person_like(phrase) else "other"


def person_like(name: str) -> bool:
    words = name.split()
    return (
        2 <= len(words) <= 4
        and all(re.fullmatch(r"[A-ZÀ-ÖØ-Þ][a-zà-ÿ-]+", w) for w in words)
        and fold(words[0]) not in STOPWORDS | set(WEEKDAYS) | set(MONTH_NUMBERS) | word_set("selon according ce au")
        and not any(re.search(pattern, fold(name)) for _, pattern in KIND_CUES)
    )


def stem(word: str) -> str:
    """A folded word's first five letters: enough for "ministère"/"ministry", "anonymat"/"anonyme"."""
    return word[:5]


class Context:
    """What the article has named so far: actors, persons, descriptors, dates and claims."""

    def __init__(
        self,
        known: dict[str, str],
        outlet: str | None,
        published: str | None,
        body: str,
        kinds: dict[str, str] | None = None,
    ):
        self.known = {**known, **{fold(v): v for v in known.values()}}
        self.kinds, self.mentions = kinds or {}, []
        self.new: dict[str, dict] = {}
        self.published, self.claims, self.seen, self.last_by = published, [], set(), {}
        self.descriptors: dict[str, set[str]] = {}
        self.persons, self.state_agencies, self.prev_persons, self.prev_parties = set(), set(), set(), set()
        self.name_parts: dict[str, set[str]] = {}  # first or last name -> persons
        self.prev_date, self.by_reference, self.prev_quote = None, None, None
        kind = "state-media" if fold(outlet or "") in STATE_AGENCIES else "media"
        self.outlet = self.use(outlet, kind) if outlet else None
        self.body_stems = {stem(w) for w in fold(body[:200000]).split()}
        for m in re.finditer(rf"((?:[a-zà-ÿ'’-]+\s+){{0,4}})((?:{NAME}\s+){{0,3}}{NAME})", body[:200000]):
            run, desc = m[2].strip(), m[1]
            words = run.split()
            cut = max((i + 1 for i, w in enumerate(words[:-1]) if fold(w) in TITLES), default=0)
            if cut and fold(run) not in self.known:  # "Economy Minister Aurel Stance": the title describes
                run, desc = " ".join(words[cut:]), desc + " ".join(words[:cut])
            desc = fold(desc)
            name = self.known.get(fold(run), run)
            state = fold(run) in STATE_AGENCIES or bool(re.search(MEDIA_CUE, desc) and re.search(STATE_CUE, desc))
            person = person_like(name) and not re.search(ORG_CUE, desc)
            if fold(run) in self.known or state or person:
                self._describe(m[1], name, person, state)

    def _describe(self, descriptor: str, name: str, person: bool = False, state: bool = False) -> None:
        if person and fold(name):
            self.persons.add(name)
            for part in {fold(name).split()[0], fold(name).split()[-1]}:
                self.name_parts.setdefault(part, set()).add(name)
        self.state_agencies |= {name} if state else set()
        for word in reversed(fold(descriptor).split()):
            if word in STOPWORDS or FINITE.fullmatch(word) or re.fullmatch(r"[a-z]{3,}ed|said|told|says|dit", word):
                break  # "the commission credited opposition candidate X": a candidate, not a commission
            self.descriptors.setdefault(word, set()).add(name)

    def kind_of(self, name: str) -> str | None:
        """The kind of a known actor (as the database has it) or of a proposed one."""
        return self.kinds.get(name) or self.new.get(fold(name), {}).get("kind")

    def mention(self, sentence: str) -> None:
        """Note the known actors a sentence names, in order: "the company" may mean the one named last."""
        for run in re.findall(rf"{NAME}(?:\s+{NAME})*", sentence):
            words = fold(run).split()
            for n in range(len(words)):
                if " ".join(words[n:]) in self.known:
                    self.mentions.append(self.known[" ".join(words[n:])])
                    break

    def describe_as(self, description: str, name: str) -> None:
        """Remember that `description` ("le procureur chargé de l'enquête") was said of `name` (Bastien Roux)."""
        head = re.split(r"\b(?:de|du|des|d'|of|for|pour|at|à|au|aux|chez|in|within|chargée?)\b", description)[0]
        self._describe(head, name, person=person_like(name))  # "a spokesman for the government": a spokesman

    def use(self, name: str, kind: str) -> str:
        """The canonical name of a known actor, or a new actor proposed for the bundle."""
        key = fold(name)
        if key in self.known:
            return self.known[key]
        return self.new.setdefault(key, {"name": name, "kind": kind})["name"]

    def resolve(self, phrase: str, notes: list[str], anonymous: bool = False) -> list[str]:
        """Actor names a phrase designates; a vague or ambiguous phrase becomes a note. `anonymous`: the sentence
        says the speaker is not named ("sous couvert d'anonymat"), which a known actor's name may say too."""
        text = re.sub(r"^(?:et|and|but|mais|while|alors que)\s+", "", phrase.strip(" ,;:«»“”\"'"), flags=re.I)
        text = re.sub(
            r"^(?i:analysts?|experts?|economists?|researchers?|scientists?|strategists?|analystes?|"
            r"économistes?|chercheurs?|spécialistes?)\s+(?:at|of|from|with|chez|de|du|d')\s*(?=[A-ZÀ-Þ])",
            "",
            text,
        )  # "Analysts at Brenvik Capital": the firm
        if unnamed := ANONYMITY.search(text):  # "un officier sous couvert d'anonymat": an officer
            text = text[: unnamed.start()].strip()
            notes.append("Speaks on condition of anonymity.")
        text = re.sub(
            r"\s+(?:led|headed|chaired|run|founded|dirigée?|présidée?|conduite?|menée?)\s+(?:by|par)\b.*$", "", text
        )  # "A mission led by former judge X": the mission
        text = TAIL.sub("", REPORT_PREFIX.sub("", re.sub(LEADING_DAY, "", text))).strip(" ,;:")
        acronym = re.search(r"\s*\((?P<a>[A-ZÀ-Þ][\w&.-]{1,11})\)$", text)  # "Front pour la libération (FLO)"
        if acronym:
            text = text[: acronym.start()]
            if fold(acronym["a"]) in self.known and fold(text) not in self.known:
                return [self.known[fold(acronym["a"])]]
        core = re.sub(r"^(?:(?:les?|la|the|an?)\s+|l['’])", "", text, flags=re.I)  # without its article
        if not fold(core) or len(fold(text).split()) > 12:
            return []
        found = self._named(text, core, notes)
        if found is None:
            found = self._split(core, notes)
        if found is None:
            found = self._known_by_words(text, notes, anonymous)
        if found is None and (
            part := re.match(
                r"(?:one|some|two|several|many|l'une?|une?|certaine?s|plusieurs|"
                r"deux)\s+(?:of|d'|des|de)\s+(?:(?:the|these|those|ces|les|ses|his|"
                r"her|its|their)\s+)?(?P<x>.+)$",
                text,
                re.I,
            )
        ):
            found = self._one_of(text, part["x"], notes)  # "One of the sources": the sources named before
        if found is not None:
            return found
        bare = LEADING_DETERMINERS.sub("", text)  # "des sources sécuritaires": Sources sécuritaires
        content = [w for w in fold(bare).split() if w not in STOPWORDS]
        if (
            not content
            or set(content) <= GENERIC
            or fold(core) in VAGUE
            or (fold(text).split()[0] in VAGUE - DETERMINERS)
        ):
            notes.append(f"Attributed to '{text}' (no actor matched).")
            return []
        name = self.use(bare[0].upper() + bare[1:], guess_kind(text))
        if acronym and fold(name) in self.new:
            self.new[fold(name)].setdefault("aliases", [acronym["a"]])
        return [name]

    def _one_of(self, text: str, group: str, notes: list[str]) -> list[str] | None:
        """The party a phrase like "one of the sources" belongs to: the latest asserter named by those words, or,
        for words that name nobody ("sources", "officials"), the latest unnamed group ("People familiar with ...")."""
        stems = {stem(w) for w in fold(group).split() if w not in STOPWORDS}
        generic = set(fold(group).split()) <= GENERIC
        for claim in reversed(self.claims):
            for name in claim["asserted_by"]:
                words = set(fold(name).split())
                if stems & {stem(w) for w in words} or (generic and words & GENERIC):
                    notes.append(f"'{text}' read as {name}.")
                    return [name]
        return None

    def _known_by_words(self, text: str, notes: list[str], anonymous: bool) -> list[str] | None:
        """The one known actor a description fits by its words (stemmed, so that "ministère"/"ministry" and
        "anonymat"/"anonyme" agree): one whose name the description holds ("des habitants de villages de la vallée
        du Brassel": Habitants de la vallée du Brassel), or whose name holds the description and whose other words
        the article uses ("the health ministry" in an article on Brisca: Brisca health ministry)."""
        stems = {stem(w) for w in fold(text).split() if w not in STOPWORDS | DETERMINERS}
        stems |= {"anony"} if anonymous else set()
        if not stems or stems <= {stem(w) for w in GENERIC}:
            return None
        holds, held = set(), set()
        for key, name in self.known.items():
            words = {stem(w) for w in key.split() if w not in STOPWORDS | DETERMINERS}
            if len(words) >= 2 and words <= stems:
                holds.add(name)
            elif words > stems and words - stems <= self.body_stems:
                held.add(name)
        for found in (holds, held):
            if len(found) > 1:  # prefer those the article has already named as a party
                found &= self.seen or found
            if len(found) == 1:
                name = next(iter(found))
                notes.append(f"'{text}' read as {name}.")
                return [name]
        return None

    def _named(self, text: str, core: str, notes: list[str]) -> list[str] | None:
        """An actor the phrase names or points back to; None when it does neither."""
        words, key = fold(text).split(), fold(core)
        if fold(text) in PRONOUNS:  # "il", "elle", "it" may also be the body the sentence before named
            things = {n for n in self.prev_parties if not person_like(n)} if fold(text) in ("il", "elle", "it") else ()
            return self._refer(text, self.prev_persons or things, notes)
        if fold(text) in self.known or key in self.known or key in self.new:
            return [self.use(core, guess_kind(core))]
        for n in range(1, len(words)):  # a known name after a descriptor: "l'agence officielle KCNA"
            if " ".join(words[n:]) in self.known and words[n - 1] not in word_set("de du des d of s"):
                return [self.known[" ".join(words[n:])]]
        tail = re.search(rf"(?:^|\s)((?:{NAME}\s+)*{NAME})\s*$", text)  # descriptor + name: "governor Elena Marsh"
        run = tail[1].split() if tail else []
        cut = max((i + 1 for i, w in enumerate(run[:-1]) if fold(w) in TITLES), default=0)  # "Health Minister X"
        head = (text[: tail.start(1)] + " ".join(run[:cut])).strip() if tail else ""
        if (
            head
            and fold(head) not in ARTICLES
            and not re.search(r"(?:\b(?:de|du|des|of)(?:\s+(?:la|le|les|l['’]|the))?|['’]s?)$", head, re.I)
        ):
            name, head_kind = " ".join(run[cut:]), next((k for k, p in KIND_CUES if re.search(p, fold(head))), None)
            person = bool(cut) or (person_like(name) and head_kind in (None, "government", "military"))
            kind = "person" if person else guess_kind(head) if head_kind else guess_kind(name)
            self._describe(head, name, person=kind == "person")
            return [self.use(name, kind)]
        if re.search(MEDIA_CUE, key) and re.search(STATE_CUE, key) and not re.search(NAME, core[1:]):
            return self._refer(text, self.state_agencies, notes)  # "un média officiel"
        if words[0] in word_set("le la l the") and len(key.split()) <= 2 and not re.search(NAME, core):
            matches = set().union(*(self.descriptors.get(w, set()) for w in key.split()))
            matches |= {n for n in self.seen if set(key.split()) <= set(fold(n).split())}  # "the ministry"
            if len(matches) > 1:
                matches = matches & self.seen or matches
            if matches:  # "le dirigeant", "the ministry"
                return self._refer(text, matches, notes)
            if set(key.split()) & COMPANY and (
                firms := [n for n in reversed(self.mentions) if self.kind_of(n) == "organisation"]
            ):
                return self._refer(text, {firms[0]}, notes)  # "the company", "la direction": the firm named last
        if re.fullmatch(NAME, text) and key in self.name_parts:  # a surname or first name: "Kim", "Marsh"
            return self._refer(text, self.name_parts[key], notes)
        return None

    def _split(self, core: str, notes: list[str]) -> list[str] | None:
        """Several actors: "services secrets de A et de B", "South Korean and Western intelligence", "A, B et C"."""
        if m := re.match(r"^(.+?)\s+(de|du|des|of)\s+(.+?)\s+(?:et|and)\s+(?:de|du|des|d['’]|of)\s*(.+)$", core):
            return self.resolve(f"{m[1]} {m[2]} {m[3]}", notes) + self.resolve(f"{m[1]} de {m[4]}", notes)
        if m := re.match(rf"^((?:{NAME}\s+)+)(?:and|et)\s+({NAME})\s+([a-zà-ÿ][\w\s-]*)$", core):
            return self.resolve(f"{m[1].strip()} {m[3]}", notes) + self.resolve(f"{m[2]} {m[3]}", notes)
        parts = re.split(r",\s*|\s+(?:et|and)\s+", core)
        if len(parts) > 1 and all(re.match(NAME, p) for p in parts):
            return [n for p in parts for n in self.resolve(p, notes)]
        return None

    def _refer(self, text: str, candidates: set[str], notes: list[str]) -> list[str]:
        if len(candidates) != 1:
            notes.append(f"Attributed to '{text}' (no single actor matched).")
            return []
        name = next(iter(candidates))
        self.by_reference = "pronoun" if fold(text) in PRONOUNS else "other"
        notes.append(f"'{text}' read as {name}.")
        return [self.use(name, guess_kind(name))]


ANONYMITY = re.compile(
    r"\s*,?\s*(?:sous couvert d'anonymat|sous le couvert de l'anonymat|(?:speaking )?on condition "
    r"of anonymity|who (?:asked|declined) not to be named|qui a requis l'anonymat)\b.*$",
    re.I,
)
