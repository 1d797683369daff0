"""Draft candidate claims from a news article: rule-based, French and English, no model.

`extract_claims(text)` returns a bundle in the YAML shape of claims/example/seed-article.yml
for a person to review, edit and load with `claims import`. A sentence is a candidate claim
when it carries an attribution cue (read with quoted words masked):

  asserts    fr: selon X, d'après X, X a affirmé/déclaré/rapporté/annoncé/indiqué/estimé/assuré/
                 précisé/ajouté (que), X affirme/estime/... que, ", a déclaré X", ", a-t-il dit",
                 X s'est engagé à, citant X, «quote», a déclaré X
             en: according to X, X said/says/claimed/reported/told/announced/pledged (that),
                 ", X said", ", said X", citing X, "quote," X said
  relays     the source's outlet when the claim is someone else's; who reports a speaker's words
             ("«...», a déclaré le dirigeant, selon KCNA": Kim asserts, KCNA relays; "citing")
  stances    not confirmed: ce que X n'a pas confirmé, sans que X ne confirme, which X has not
             confirmed, not confirmed by X, X did not respond; denied: X a démenti/dément/nie,
             X denied; disputed: ce que conteste X, X conteste, a figure X disputes
  notes      n'a pas pu être vérifié de source indépendante, could not be independently verified

A cue-less sentence that states a number or a date is proposed as the outlet's own claim. A
sentence that only points back ("Moscow denied the report.", "Reuters could not verify it.")
is attached to the previous claim of another party. Actors are matched through folded aliases
(`known_actors`), or through "le dirigeant", "the ministry", a surname or "il" when exactly one
earlier actor fits, and "un média officiel" when exactly one state agency is named.
"""

from __future__ import annotations

import datetime
import re

from .errors import InvalidValue
from .values import fold, parse_date, parse_figure

MAX_SENTENCE = 1500  # a longer run without sentence punctuation is not a claim
LOOKBACK = 3  # how many earlier claims a back-pointing sentence may attach to


def _words(text: str) -> set[str]:
    return set(text.split())


FR_STOP = _words("le la les des un une et est que qui dans pour pas sur au aux du avec ce cette il elle ont été "
                 "selon son ses leur ne se par")
EN_STOP = _words("the an and is are was were that which who in for with not has have been said of to by it its "
                 "from at as this be")
ARTICLES = _words("le la les l un une des the a an")
PRONOUNS = _words("il elle lui he she him")
VAGUE = _words("un une des a an some certains certaines plusieurs several on one deux two sources source")
STOPWORDS = FR_STOP | EN_STOP | ARTICLES | _words("de d du of s en et and or ou dont")
MONTHS = {m: i for i, names in enumerate([
    "janvier january jan janv", "fevrier february feb fevr", "mars march mar", "avril april apr avr", "mai may",
    "juin june jun", "juillet july jul juil", "aout august aug", "septembre september sept sep",
    "octobre october oct", "novembre november nov", "decembre december dec"], 1) for m in names.split()}
WEEKDAYS = {w: i % 7 for i, w in enumerate("lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday "
                                           "wednesday thursday friday saturday sunday".split())}
OUTLETS = {fold(o): o for o in ["ATS", "Keystone-ATS", "AFP", "Reuters", "AP", "Associated Press", "dpa", "ANSA",
                                "EFE", "Belga", "Bloomberg", "UPI", "Xinhua", "Yonhap", "Kyodo", "TASS", "Anadolu"]}
STATE_AGENCIES = _words("kcna tass xinhua irna sana mena spa wam belta ukrinform cctv rt vna qna kuna")
CAPITALS = _words(
    "seoul pyongyang moscou moscow kiev kyiv washington pekin beijing paris londres london berlin tokyo teheran "
    "tehran jerusalem ankara bruxelles brussels damas damascus beyrouth beirut bagdad baghdad caire cairo riyad "
    "riyadh rome madrid ottawa delhi islamabad kaboul kabul taipei hanoi minsk varsovie warsaw berne bern caracas "
    "havane havana pretoria nairobi tripoli tunis alger algiers rabat doha canberra brasilia bogota stockholm oslo "
    "helsinki vienne vienna prague budapest bucarest bucharest sofia athenes athens lisbonne lisbon dublin kremlin")
MEDIA_CUE = r"\b(?:agence|agency|news|presse|press|medias?|journal|newspaper|television|tv|radio|chaine)\b"
STATE_CUE = r"\b(?:officiel\w*|official|state|d etat|gouvernementa\w*|publique?)\b"
ORG_CUE = (r"\b(?:onu|united nations|nations unies|otan|nato|ong|ngo|croix rouge|red cross|oms|unicef|hcr|unhcr|"
           r"mission|fondation|foundation|association|institut|institute|union|commission|meteo|observat\w+)\b")
KIND_CUES = [  # first match wins; media becomes state-media with a STATE_CUE
    ("intelligence", r"services? secrets?|renseignement|intelligence|espionnage|\b(?:nis|cia|fsb|mossad)\b"),
    ("media", MEDIA_CUE),
    ("government", r"\b(?:ministere|ministry|ministre|minister|gouvernement|government|presidence|presidency|"
                   r"kremlin|white house|maison blanche|autorites|authorities|officials|responsables|mairie)"),
    ("military", r"\b(?:armee|army|military|militaires?|forces?|air force|navy|marine|etat major|general staff|"
                 r"troupes|troops)\b"),
    ("organisation", ORG_CUE),
]
UNITS = {"soldats": "soldiers", "militaires": "soldiers", "troupes": "troops", "civils": "civilians",
         "personnes": "people", "enfants": "children", "femmes": "women", "obus": "shells", "roquettes": "rockets",
         "dirigeants": "leaders", "deplacements": "trips", "visites": "visits", "prisonniers": "prisoners",
         "otages": "hostages", "refugies": "refugees", "habitants": "residents", "maisons": "homes",
         "logements": "homes", "batiments": "buildings", "ecoles": "schools", "chars": "tanks", "avions": "aircraft",
         "victimes": "victims", "manifestants": "protesters", "combattants": "fighters", "frappes": "strikes",
         "attaques": "attacks", "pays": "countries", "membres": "members", "familles": "families"}
TIME_UNITS = _words("ans an annees annee years year mois months month jours jour days day heures heure hours hour "
                    "minutes semaines semaine weeks week siecles siecle centuries decennies decades")
_E = r"(?:e|s|es)?"  # French participle endings, on folded text
MEASURES = [("c_killed", rf"tue{_E}|morts?|killed|dead|died|deaths?|decede{_E}|peri{_E}"),
            ("c_wounded", rf"blesse{_E}|wounded|injured|hurt"), ("c_missing", rf"disparu{_E}|missing"),
            ("c_arrested", rf"arrete{_E}|interpelle{_E}|arrested|detained"),
            ("c_displaced", rf"deplace(?:e|s|es)|displaced|evacue{_E}|evacuated"),
            ("a_sent", rf"envoye{_E}|deploye{_E}|sent|deployed|dispatched|depeche{_E}"),
            ("a_launched", rf"lance{_E}|tire{_E}|launched|fired"), ("a_shot_down", rf"abattu{_E}|shot down|downed"),
            ("a_intercepted", rf"intercepte{_E}|intercepted"), ("a_destroyed", rf"detruit{_E}|destroyed"),
            ("a_damaged", rf"endommage{_E}|damaged"), ("a_expected", rf"attendu{_E}|expected")]
MEASURE = re.compile("|".join(rf"\b(?P<{k}>{p})\b" for k, p in MEASURES))
WORD_AMOUNTS = {
    "des dizaines de milliers": (">=", 10000), "des centaines de milliers": (">=", 100000),
    "tens of thousands": (">=", 10000), "hundreds of thousands": (">=", 100000), "une dizaine": ("~", 10),
    "une douzaine": ("~", 12), "une vingtaine": ("~", 20), "une trentaine": ("~", 30), "une quarantaine": ("~", 40),
    "une cinquantaine": ("~", 50), "une centaine": ("~", 100), "a dozen": ("~", 12), "des dizaines": (">=", 10),
    "des centaines": (">=", 100), "des milliers": (">=", 1000), "des millions": (">=", 1000000),
    "dozens": (">=", 12), "hundreds": (">=", 100), "thousands": (">=", 1000)}
SMALL = {w: i % 9 + 2 for i, w in enumerate("deux trois quatre cinq six sept huit neuf dix "
                                            "two three four five six seven eight nine ten".split())}
QUALIFIER = re.compile(
    r"\b(?:(?P<q1>plus de|plus d'|more than|over|upwards of|in excess of|au-delà de|dépasser|exceed\w*)|"
    r"(?P<q2>au moins|pas moins de|at least|no fewer than|no less than)|"
    r"(?P<q3>jusqu'à|jusqu’à|up to|as many as|at most|au plus)|(?P<q4>moins de|moins d'|less than|fewer than|under)|"
    r"(?P<q5>environ|quelque|près de|presque|autour de|approximativement|about|around|roughly|approximately|"
    r"nearly|almost|some|an estimated|estimated))\s*[\"“«]?\s*$", re.I)
PREFIX = {"q1": ">", "q2": ">=", "q3": "<=", "q4": "<", "q5": "~"}
SCALES = {"million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9, "billion": 10**9,
          "billions": 10**9, "mille": 1000, "thousand": 1000}
YEAR_BEFORE = _words("en in depuis since de d of fin debut mid early late until by from to avant apres before after "
                     "entre between et and l")
NUMBER = re.compile(r"(?<![\w.,'’:/-])(?:\d{1,3}(?:[ '’.,\u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)?)(?![\w'’]|[.,:]\d)"
                    r"|\b(?:" + "|".join(sorted(WORD_AMOUNTS, key=len, reverse=True) + list(SMALL)) + r")\b", re.I)
UNIT_NOUN = re.compile(r"[\s\"”»]*(?:(?:de|d['’]|of|autres|other|more|additional|nouveaux|new|[A-ZÀ-Þ][\w-]*)\s+)*"
                       r"(?:d['’])?([a-zà-ÿ-]{2,})")

_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
_XP = r"(?:\b(?:M|Mr|Mrs|Ms|Dr|Mme|Gen|Col|Sen|Gov|St)\.\s|\.(?=\w)|[^,;.!?«»“”\"])"  # a character of an actor phrase
_X = rf"(?P<x>{_XP}{{2,140}}?)"
_FR_PP = (r"affirmé|déclaré|rapporté|annoncé|indiqué|estimé|assuré|précisé|ajouté|souligné|expliqué|confirmé|dit|"
          r"fait savoir|averti|prévenu|promis|revendiqué|reconnu|accusé|raconté|signalé|écrit")
_FR_PRES = (r"affirment|affirme|déclarent|déclare|rapportent|rapporte|annoncent|annonce|estiment|estime|assurent|"
            r"assure|indiquent|indique|précisent|précise|soulignent|souligne|ajoutent|ajoute|disent|dit|promettent|"
            r"promet|accusent|accuse")
_FR_AUX = (r"(?:a|ont|avait|avaient|aurait|auraient)(?:\s+(?:également|aussi|encore|déjà|par ailleurs|en outre|"
           r"pour sa part|toutefois|cependant))?\s+")
_EN = (r"said|says|claimed|reported|told|announced|stated|added|estimated|alleged|wrote|posted|pledged|promised|"
       r"vowed|confirmed|warned|insisted|noted|acknowledged|accused|asserted|maintained|explained")
_SPEECH = (rf"(?<!\bnot\s)(?<!\bpas\s)(?<!n't\s)(?<!never\s)(?<!jamais\s)(?:{_FR_AUX}(?:{_FR_PP})|"
           rf"(?:{_FR_PRES})(?=\s+qu|\s*:)|s'est\s+engagée?|se\s+sont\s+engagée?s|s'engage|"
           rf"(?:(?:has|have|had|also|later|previously|earlier)\s+){{0,2}}(?:{_EN}))\b")
_STANCE = (r"(?P<nc>n'(?:a|ont) pas (?:encore |pu |immédiatement )?(?:confirmé|réagi|répondu|commenté)|"
           r"ne confirment? pas|(?:has|have|had) not (?:yet )?confirmed|did not (?:immediately )?"
           r"(?:confirm|respond|reply|comment)|declined to comment|could not confirm)"
           r"|(?P<de>a démenti|ont démenti|démentent|dément|a nié|ont nié|nient|nie|(?:has |have )?denied|denies|deny)"
           r"|(?P<di>a contesté|ont contesté|contestent|conteste|(?:has |have )?disputed|disputes?|"
           r"(?:has |have )?rejected|rejects|a rejeté|rejette)")
ROLE_OF = {"nc": "not_confirmed_by", "de": "denied_by", "di": "disputed_by"}
SELON = re.compile(rf"(?:\b[Ss]elon|\b[Dd]['’]après|\b[Aa]ccording to)\s+(?P<x>{_XP}{{2,140}})")
CITING = re.compile(rf",?\s*\b(?:citant|citing|quoting)\s+(?P<x>{_XP}{{2,120}}),?")
INVERTED = re.compile(rf",\s*(?:{_FR_AUX}(?:{_FR_PP})|(?:{_FR_PRES})|said|says|added|wrote)"
                      rf"(?:\s+à\s+(?:l['’]|la\s+|le\s+)?{_NAME})?\s+(?!que\b|qu['’]|that\b)"
                      rf"(?P<x>{_XP}{{2,120}}(?:,\s*{_NAME}(?:\s+{_NAME})+)?)")
INVERTED_PRONOUN = re.compile(rf",\s*(?:(?:a|ont)-t-(?P<x>il|elle|ils|elles)\s+(?:{_FR_PP})|"
                              rf"(?:{_FR_PRES})-(?:t-)?(?P<y>il|elle|ils|elles))\b")
END = re.compile(rf",\s*{_X}\s+{_SPEECH}")
SUBJECT = re.compile(rf"^(?:[^,]{{0,40}},\s*)?{_X},?\s+{_SPEECH}")
REL_STANCE = re.compile(
    rf"(?:\bce qu(?:e\s|'|’)|\bwhich\s|\bune? (?:chiffre|bilan|version|information|affirmation)\s|"
    rf"\ba (?:figure|claim|number|toll|report|version|account)\s(?:that\s)?)\s*(?:{_X}\s+(?:{_STANCE})\b|"
    rf"(?P<inv>conteste|contestent|dément|démentent|nie|nient)\s+(?P<y>{_XP}{{2,80}}))")
PASSIVE_STANCE = re.compile(rf"(?:(?P<nc>non confirmée?s?|not confirmed)|(?P<de>démentie?s?|denied)|"
                            rf"(?P<di>contestée?s?|disputed|rejected))\s+(?:par|by)\s+(?P<x>{_XP}{{2,80}})")
SANS_QUE = re.compile(rf"\bsans que\s+{_X}\s+(?:ne\s+)?(?:l['’]|les\s+)?(?:ait|aient|puisse|puissent)?\s*"
                      rf"(?:pu\s+)?confirm")
SUBJECT_STANCE = re.compile(rf"^(?:[^,]{{0,40}},\s*)?{_X}\s+(?:{_STANCE})\b")
VERIFY = re.compile(r"pas pu être (?:vérifiée?s?|confirmée?s?) (?:de (?:source|manière|façon) indépendante|"
                    r"indépendamment)|(?:could|can) not (?:be )?independently (?:verif|confirm)|not (?:been )?"
                    r"independently (?:verified|confirmed)|could not immediately (?:verify|confirm)|"
                    r"impossible de vérifier", re.I)
QUOTE = re.compile(r"«[^«»]{1,1500}»|“[^“”]{1,1500}”|\"[^\"]{1,1500}\"")
DATELINE = re.compile(r"^(?:[^()\n]{0,60}|[^()\n]{0,40}\([^()\n]{0,30}\)[^()\n]{0,40})"
                      r"\((?P<o>Reuters|AFP|AP|ATS|Keystone-ATS|dpa|ANSA|EFE)\)\s*[-–—]+\s*")
FUTURE = re.compile(r"\b(?:will|shall|next|prochaine?|doit|doivent|devrait|devraient|va|vont|d'ici|sera|seront|"
                    r"aura|auront|(?!caméra|opéra)[a-zà-ÿ]{2,}(?:era|ira|eront|iront))\b")
TAIL = re.compile(r"\s+(?:dans|lors|devant|pendant|durant|après|avant|sur|via|in|on|at|during|after|before|while|to|"
                  r"à|joint|reached|cité|quoted|hier|yesterday|today|aujourd'hui|overnight|tonight|cette semaine|"
                  r"this week|la semaine|last week|" + "|".join(WEEKDAYS) + r")\b.*$", re.I)
REPORT_PREFIX = re.compile(
    r"^(?:(?:un|une|le|la|les|des|the|a|an)\s+)?(?:(?:nouveau|nouvel|new|latest|dernier)\s+)?(?:bilan|rapport|"
    r"communiqué|décompte|chiffres?|estimations?|déclaration|statement|report|figures?|estimates?|data|toll|tally)"
    r"\b[^,;]*?\b(?:par|de|du|des|by|from|of)\s+(?:d['’])?", re.I)


def detect_language(text: str) -> str:
    """"fr" or "en", by counting common French and English words in the first 20,000 characters."""
    words = fold(text[:20000]).split()
    return "fr" if sum(w in FR_STOP for w in words) > sum(w in EN_STOP for w in words) else "en"


def _clean(text: str) -> str:
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
            return datetime.date(int(year), int(MONTHS.get(month, month)), int(day)).isoformat()
        except ValueError:
            continue
    return None


def _split_article(text: str) -> tuple[dict, str]:
    """Header fields (title, outlet, published) and the body of a wire story."""
    all_lines = text.splitlines()
    lines = [(i, line.strip()) for i, line in enumerate(all_lines) if line.strip()]
    meta, start = {"title": None, "outlet": None, "published": None}, 0
    for n, (i, line) in enumerate(lines[1:5], 1):
        outlet = OUTLETS.get(fold(re.sub(r"^(?:by|par)\s+[^,(]*[,(]\s*|\)$", "", line, flags=re.I)))
        if len(line) <= 80 and outlet and not meta["outlet"]:
            meta["outlet"], start = outlet, i + 1
        elif len(line) <= 80 and not meta["published"] and (date := _date_in(line)):
            meta["published"], start = date, i + 1
    if lines and (start or (len(lines[0][1]) <= 200 and not re.search(r"[.!?»”\"]$", lines[0][1]))):
        meta["title"], start = " ".join(lines[0][1].split())[:200], max(start, lines[0][0] + 1)
    body = "\n".join(all_lines[start:]).strip()
    if match := DATELINE.match(body):
        meta["outlet"] = meta["outlet"] or OUTLETS.get(fold(match["o"]), match["o"])
        meta["published"] = meta["published"] or _date_in(match.group())
        body = body[match.end():]
    return meta, body


def article_metadata(text: str) -> dict:
    """Title, outlet, published (ISO date) and language of an article, from a wire-copy header when present."""
    meta, body = _split_article(_clean(text))
    return meta | {"language": detect_language(body)}


def split_sentences(text: str) -> list[str]:
    """Sentences, paragraph by paragraph; abbreviations ("M.", "U.S."), numbers and open quotes end none."""
    sentences = []
    for paragraph in re.split(r"\n\s*\n", text):
        para, start = " ".join(paragraph.split()), 0
        for m in re.finditer(r"[.!?…]+[»”\"’)]*\s+(?=[«“\"(]?[A-ZÀ-ÖØ-Þ0-9])", para):
            before = para[start:m.start() + 1]
            last = before.rsplit(None, 1)[-1] if before.strip() else ""
            depth = before.count("«") - before.count("»") + before.count("“") - before.count("”") + before.count('"') % 2
            short = fold(last) in _words("m mm mme dr mr mrs ms st prof gen col lt gov sen rep jr sr vs no p ex cf")
            if (short or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", last) or depth > 0) and len(before) < MAX_SENTENCE:
                continue
            sentences.append(para[start:m.end()].strip())
            start = m.end()
        if para[start:].strip():
            sentences.append(para[start:].strip())
    return sentences


def _kind(phrase: str) -> str:
    """A guess at an actor's kind from the words naming it."""
    key = fold(phrase)
    for kind, pattern in KIND_CUES:
        if re.search(pattern, key):
            return "state-media" if kind == "media" and re.search(STATE_CUE, key) else kind
    if key in STATE_AGENCIES or key in CAPITALS:
        return "state-media" if key in STATE_AGENCIES else "government"
    return "person" if _person_like(phrase) else "other"


def _person_like(name: str) -> bool:
    words = name.split()
    return (2 <= len(words) <= 4 and all(re.fullmatch(r"[A-ZÀ-ÖØ-Þ][a-zà-ÿ'’-]+", w) for w in words)
            and fold(words[0]) not in STOPWORDS | set(WEEKDAYS) | set(MONTHS) | _words("selon according ce au"))


class _Context:
    """What the article has named so far: actors, persons, descriptors, dates and claims."""

    def __init__(self, known: dict[str, str], outlet: str | None, published: str | None, body: str):
        self.known = {**known, **{fold(v): v for v in known.values()}}
        self.new: dict[str, dict] = {}
        self.published, self.claims, self.seen, self.last_by = published, [], set(), {}
        self.descriptors: dict[str, set[str]] = {}
        self.persons, self.state_agencies, self.prev_persons = set(), set(), set()
        self.prev_date, self.by_reference = None, None
        kind = "state-media" if fold(outlet or "") in STATE_AGENCIES else "media"
        self.outlet = self.use(outlet, kind) if outlet else None
        for m in re.finditer(rf"((?:[a-zà-ÿ'’-]+\s+){{0,4}})((?:{_NAME}\s*){{1,4}})", body[:200000]):
            run, desc = m[2].strip(), fold(m[1])
            name = self.known.get(fold(run), run)
            state = fold(run) in STATE_AGENCIES or bool(re.search(MEDIA_CUE, desc) and re.search(STATE_CUE, desc))
            person = _person_like(name) and not re.search(ORG_CUE, desc)
            if fold(run) in self.known or state or person:
                self._describe(m[1], name, person, state)

    def _describe(self, descriptor: str, name: str, person: bool = False, state: bool = False) -> None:
        self.persons |= {name} if person else set()
        self.state_agencies |= {name} if state else set()
        for word in reversed(fold(descriptor).split()):
            if word in STOPWORDS:
                break
            self.descriptors.setdefault(word, set()).add(name)

    def use(self, name: str, kind: str) -> str:
        """The canonical name of a known actor, or a new actor proposed for the bundle."""
        key = fold(name)
        if key in self.known:
            return self.known[key]
        return self.new.setdefault(key, {"name": name, "kind": kind})["name"]

    def resolve(self, phrase: str, notes: list[str]) -> list[str]:
        """Actor names a phrase designates; a vague or ambiguous phrase becomes a note."""
        text = re.sub(r"^(?:et|and|but|mais|while|alors que)\s+", "", phrase.strip(" ,;:«»“”\"'"), flags=re.I)
        text = TAIL.sub("", REPORT_PREFIX.sub("", text)).strip(" ,;:")
        core = re.sub(r"^(?:les?|la|l['’]|the|an?)\s*(?=\w)", "", text, flags=re.I)
        words, key = fold(text).split(), fold(core)
        if not words or len(words) > 12:
            return []
        if fold(text) in PRONOUNS:
            return self._refer(text, self.prev_persons, notes)
        for candidate in (fold(text), key):
            if candidate in self.known or candidate in self.new:
                return [self.use(core, _kind(core))]
        for n in range(1, len(words)):  # a known name after a descriptor: "l'agence officielle KCNA"
            if " ".join(words[n:]) in self.known and words[n - 1] not in _words("de du des d of s"):
                return [self.known[" ".join(words[n:])]]
        tail = re.search(rf"(?:^|\s)((?:{_NAME}\s*)+)$", text)  # descriptor + name: "regional governor Elena Marsh"
        head = text[:tail.start(1)].strip() if tail else ""
        if head and not re.search(r"(?:\b(?:de|du|des|of)|['’]s?)$", head, re.I) and fold(head) not in ARTICLES:
            name = tail[1].strip()
            kind = _kind(head) if any(re.search(p, fold(head)) for _, p in KIND_CUES) else _kind(name)
            self._describe(head, name, person=kind == "person")
            return [self.use(name, kind)]
        if re.search(MEDIA_CUE, key) and re.search(STATE_CUE, key) and not re.search(_NAME, core[1:]):
            return self._refer(text, self.state_agencies, notes)  # "un média officiel"
        if words[0] in _words("le la l the") and len(key.split()) <= 2 and not re.search(_NAME, core):
            matches = set().union(*(self.descriptors.get(w, set()) for w in key.split()))
            matches |= {n for n in self.seen if set(key.split()) & set(fold(n).split())}
            if matches:  # "le dirigeant", "the ministry"
                return self._refer(text, matches, notes)
        if re.fullmatch(_NAME, text) and (same := {p for p in self.persons if key in (fold(p).split()[::-1][0::1][:1] + fold(p).split()[:1])}):
            return self._refer(text, same, notes)  # a surname or first name: "Kim", "Marsh"
        if m := re.match(r"^(.+?)\s+(de|du|des|of)\s+(.+?)\s+(?:et|and)\s+(?:de|du|des|d['’]|of)\s*(.+)$", core):
            return self.resolve(f"{m[1]} {m[2]} {m[3]}", notes) + self.resolve(f"{m[1]} de {m[4]}", notes)
        if m := re.match(rf"^((?:{_NAME}\s+)+)(?:and|et)\s+({_NAME})\s+([a-zà-ÿ][\w\s-]*)$", core):
            return self.resolve(f"{m[1].strip()} {m[3]}", notes) + self.resolve(f"{m[2]} {m[3]}", notes)
        parts = re.split(r",\s*|\s+(?:et|and)\s+", core)
        if len(parts) > 1 and all(re.match(_NAME, p) for p in parts):
            return [n for p in parts for n in self.resolve(p, notes)]
        if words[0] in VAGUE or key in VAGUE:
            notes.append(f"Attributed to '{text}' (no actor matched).")
            return []
        return [self.use(core[0].upper() + core[1:], _kind(text))]

    def _refer(self, text: str, candidates: set[str], notes: list[str]) -> list[str]:
        if len(candidates) != 1:
            notes.append(f"Attributed to '{text}' (no single actor matched).")
            return []
        name = next(iter(candidates))
        self.by_reference = "pronoun" if fold(text) in PRONOUNS else "other"
        notes.append(f"'{text}' read as {name}.")
        return [self.use(name, _kind(name))]
