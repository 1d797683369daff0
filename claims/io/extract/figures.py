"""Figures in running text: amounts in digits or words, their qualifier and range, their unit and a measure name,
the database's when it has one for the same count."""

from __future__ import annotations

import re

from text_to_num import text2num
from text_to_num.lang import LANG

from ...errors import InvalidValue
from ...values import (
    MONTH_NUMBERS,
    NUMBER_PATTERN_DOT_GROUPS,
    fold,
    parse_figure,
    parse_range,
    plain_number,
    read_amount,
)
from .words import FINITE, STOPWORDS, word_set

UNITS = {
    "soldats": "soldiers",
    "militaires": "soldiers",
    "troupes": "troops",
    "civils": "civilians",
    "personnes": "people",
    "enfants": "children",
    "femmes": "women",
    "obus": "shells",
    "roquettes": "rockets",
    "dirigeants": "leaders",
    "deplacements": "trips",
    "visites": "visits",
    "prisonniers": "prisoners",
    "otages": "hostages",
    "refugies": "refugees",
    "habitants": "residents",
    "maisons": "homes",
    "logements": "homes",
    "batiments": "buildings",
    "ecoles": "schools",
    "chars": "tanks",
    "avions": "aircraft",
    "victimes": "victims",
    "manifestants": "protesters",
    "combattants": "fighters",
    "frappes": "strikes",
    "attaques": "attacks",
    "pays": "countries",
    "membres": "members",
    "familles": "families",
}
TIME_UNITS = word_set(
    "ans an annees annee years year mois months month jours jour days day heures heure hours hour "
    "minutes semaines semaine weeks week siecles siecle centuries decennies decades"
)
_PARTICIPLE_ENDING = r"(?:e|s|es)?"  # French participle endings, on folded text
MEASURES = [
    (
        "c_killed",
        rf"tue{_PARTICIPLE_ENDING}|mort{_PARTICIPLE_ENDING}|killed|killing|dead|died|deaths?|decede{_PARTICIPLE_ENDING}|deces|peri{_PARTICIPLE_ENDING}",
    ),
    ("c_wounded", rf"blesse{_PARTICIPLE_ENDING}|wounded|wounding|injured|injuring|hurt"),
    ("c_missing", rf"disparu{_PARTICIPLE_ENDING}|missing"),
    (
        "c_protesters",
        rf"manifeste{_PARTICIPLE_ENDING}|defile{_PARTICIPLE_ENDING}|marched|demonstrated|protested|crowd|foule|cortege",
    ),
    ("c_arrested", rf"arrete{_PARTICIPLE_ENDING}|interpelle{_PARTICIPLE_ENDING}|arrested|detained"),
    ("c_displaced", r"deplace(?:e|s|es)|displaced|fled|fui|homeless|sans abri"),
    ("c_evacuated", rf"evacue{_PARTICIPLE_ENDING}|evacuated|evacuations?"),
    (
        "a_sent",
        rf"envoye{_PARTICIPLE_ENDING}|deploye{_PARTICIPLE_ENDING}|sent|deployed|dispatched|depeche{_PARTICIPLE_ENDING}",
    ),
    ("a_launched", rf"lance{_PARTICIPLE_ENDING}|tire{_PARTICIPLE_ENDING}|launched|fired"),
    ("a_shot_down", rf"abattu{_PARTICIPLE_ENDING}|shot down|downed"),
    ("a_intercepted", rf"intercepte{_PARTICIPLE_ENDING}|intercepted"),
    ("a_destroyed", rf"detruit{_PARTICIPLE_ENDING}|destroyed"),
    ("a_damaged", rf"endommage{_PARTICIPLE_ENDING}|damaged"),
    ("a_expected", rf"attendu{_PARTICIPLE_ENDING}|expected"),
]
MEASURE = re.compile("|".join(rf"\b(?P<{k}>{p})\b" for k, p in MEASURES))
# Measure names that mean the same count, across French and English, the extractor's own name first. A drafted
# measure takes the name the database already uses for its group (`known_measures`), else the group's first.
MEASURE_GROUPS = [
    group.split()
    for group in (
        "killed dead deaths death_toll toll bodies fatalities died morts tues deces victims victimes corps cadavres",
        "wounded injured hurt injuries blesses",
        "missing disappeared unaccounted disparus",
        "displaced homeless sans_abri deplaces",
        "evacuated evacuees evacuations evacues",
        "refugees refugies",
        "protesters demonstrators marchers crowd manifestants",
        "arrested detained arrests detentions interpelles arretes interpellations detenus",
        "troops_sent troops_deployed soldiers_sent troops_massed",
        "cases infections infected cas",
        "hospitalised hospitalized hospitalisations",
        "jobs_cut job_cuts layoffs redundancies suppressions_de_postes licenciements",
    )
]
MEASURE_GROUP = {name: group for group in MEASURE_GROUPS for name in group}
# Amounts in words that are not cardinals: "une vingtaine" (about 20), "des centaines" (at least 100), "a dozen",
# "tens of thousands". The value is text2num's for the word's base ("vingtaine" -> vingt, "milliers" -> mille,
# "hundreds" -> hundred); "dozen" is the one base text2num does not read.
COLLECTIVE = {
    "fr": r"(?:(?:une?|la|le|des|quelques|plusieurs|de\s+nombreu(?:x|ses)|les)\s+)?(?:[a-zà-ÿ]+aines?|milliers?)"
    r"(?:\s+(?:de|d['’])\s*(?:[a-zà-ÿ]+aines?|milliers?|millions|milliards))?(?![\w-])",
    "en": r"(?:(?:an?|a\s+few|several|some|many|the)\s+)?(?:dozens?|tens|hundreds?|thousands?|millions?|billions?)"
    r"(?:\s+of\s+(?:thousands|millions|billions))?(?![\w-])",
}
DOZEN = 12
QUALIFIER = re.compile(
    r"\b(?:(?P<more_than>plus de|plus d'|more than|over|upwards of|in excess of|au-delà de|dépasser|dépasse|dépassent|"
    r"exceed\w*|top(?:ped|s)?)|"
    r"(?P<at_least>au moins|pas moins de|at least|no fewer than|no less than|au bas mot|at the very least|a minimum of)|"
    r"(?P<up_to>jusqu'à|up to|as many as|at most|au plus|(?:pourrai(?:en)?t|pourront|devrai(?:en)?t|could|may|might|"
    r"would|will)\s+(?:atteindre|reach|hit|s'élever à|rise to|climb to))|"
    r"(?P<less_than>moins de|moins d'|less than|fewer than|under)|"
    r"(?P<about>environ|quelque|près de|près d'|presque|autour de|approximativement|about|around|roughly|"
    r"approximately|nearly|almost|some|an estimated|estimated|estimée?s? à|évaluée?s? à|estimated at|"
    r"an estimated(?:\s+[\w-]+){1,3}\s+of|estimé(?:e|s|es)?(?:\s+[\w-]+){0,2}\s+à))\s*[\"“«”»]?\s*$",
    re.I,
)
# The figure syntax (`values.parse_figure`) of each qualifier the words before a number name.
PREFIX = {"more_than": ">", "at_least": ">=", "up_to": "<=", "less_than": "<", "about": "~"}
YEAR_BEFORE = word_set(
    "en in depuis since de d of fin debut mid early late until by from to avant apres before after "
    "entre between et and l"
)
DIGITS = rf"(?<![\w.,'’:/-])(?:{NUMBER_PATTERN_DOT_GROUPS})(?![\w'’]|[.,:]\d|-\w)"  # values.py reads what it finds


def _cardinal_pattern(language: str) -> str:
    """A cardinal written in words, from text2num's words for `language`: "six cents", "vingt et un",
    "two hundred and fifty"; "et"/"and" only where it belongs to the number."""
    lang = LANG[language]
    parts = {p for w in lang.NUMBERS for p in w.split("-")} - {lang.AND}
    multipliers = set(lang.MULTIPLIERS) | set(lang.HUNDRED)
    first = parts - set(lang.MULTIPLIERS) - {"cents"} | {"mille"} & parts  # "cent", "mille"; never "thousands"
    word, first_word = ("|".join(sorted(words, key=len, reverse=True)) for words in (parts, first))
    joined_by_and = "|".join(sorted(lang.AND_NUMS & parts))  # "vingt et un"
    after_multiplier = "".join(f"(?<={m})" if not i else f"|(?<={m})" for i, m in enumerate(sorted(multipliers)))
    join = (
        rf"(?:\s+|-){lang.AND}(?:\s+|-)(?=(?:{joined_by_and})\b)"
        if joined_by_and
        else rf"(?:{after_multiplier})\s+{lang.AND}\s+"
    )  # "two hundred and fifty"
    more = rf"(?:\s+|-|{join})(?:{word})\b"
    alone = "|".join(sorted(lang.NEVER_IF_ALONE & parts))  # "un", "one": not a figure on their own
    return rf"\b(?!(?:{alone})\b(?!{more}))(?:{first_word})\b(?:{more})*"


NUMBERS = {
    language: re.compile(
        rf"{DIGITS}|\b{COLLECTIVE.get(language, '(?:' + '|'.join(COLLECTIVE.values()) + ')')}"
        + (f"|{_cardinal_pattern(language)}" if language in LANG else ""),
        re.I,
    )
    for language in ("fr", "en", None)
}
WORD_RANGE = {
    language: re.compile(rf"\s+(?:et|and|à|to)\s+(?P<n>{_cardinal_pattern(language)})", re.I)
    for language in ("fr", "en")
}  # "entre deux et trois"
UNIT_NOUN = re.compile(
    r"[\s\"”»]*(?:(?:de|d['’]|of|autres|other|more|additional|nouveaux|nouvelles|new|suspected|"
    r"confirmed|reported|registered|recorded|possible|probable|suspecté?e?s|confirmé?e?s|"
    r"présumé?e?s|probables|possibles)\s+)*"
    r"(?P<cap>[A-ZÀ-Þ][\w-]*\s+)?(?:d['’])?(?P<w>[a-zà-ÿ-]{2,})"
)
CURRENCIES = {"$": "dollars", "€": "euros", "£": "pounds"}


def known_measure(measure: str, known: list[str] | None) -> tuple[str, str | None]:
    """The measure name a drafted figure takes, and a note when it is not one the database has (`known`, most used
    first; None when there is no database): the same name; else the known name of its group in MEASURE_GROUPS
    (bodies, morts, dead -> killed); else the one known name that starts with it (jobs -> jobs_cut); else its
    group's first name, proposed as new. A database without figures (`known` empty) proposes nothing: no note."""
    group = MEASURE_GROUP.get(measure, [measure])
    if not known:
        return group[0], None
    if measure in known:
        return measure, None
    if same := [k for k in known if k in group]:
        return same[0], None
    if len(longer := [k for k in known if k.startswith(measure + "_")]) == 1:
        return longer[0], f"Measure '{measure}' read as '{longer[0]}', the database's name."
    return group[0], f"New measure name proposed: '{group[0]}'."


def figures_in(
    text: str,
    language: str = "fr",
    notes: list[str] | None = None,
    like: list[str] = (),
    known_measures: list[str] | None = None,
) -> list[str]:
    """Figure SPECs for the amounts a text states: qualifier, unit and a measure guessed from nearby words, named as
    `known_measure` says; an amount with neither unit nor measure takes those of the figure in `like` (a parallel
    clause's: "..., while Y said 20,000 had left")."""
    specs, unit, skip_to, notes = [], None, 0, [] if notes is None else notes
    parallel = parse_figure(like[0]) if like else None
    for m in NUMBERS.get(language, NUMBERS[None]).finditer(text):
        found = None if m.start() < skip_to else _value_at(text, m, language)
        if not found:
            continue
        value, before, after, skip_to, note = found
        if value is None:  # digits values.py refuses ("25 00"): none of them is a figure, not even "00"
            continue
        shown, unit, measure = _unit_and_measure(before, after, unit)
        if parallel and not shown and (not measure or measure == re.sub(r"\W+", "_", fold(shown or ""))):
            shown, measure = parallel.unit, parallel.measure
        if not measure:
            continue
        measure, named = known_measure(measure[:64], known_measures)
        try:
            specs.append(parse_figure(f"{measure}={value}" + (f" {shown[:40]}" if shown else "")).spec())
        except InvalidValue:  # e.g. a range that goes down
            continue
        notes += [n for n in (note, named) if n and n not in notes]
    return list(dict.fromkeys(specs))


def _value_at(text: str, m: re.Match, language: str) -> tuple | None:
    """The SPEC value of the amount at `m` (qualifier, scale, range), the text around it, where it ends and a note;
    None for years, dates, times and "the two"; a value of None up to where a number that does not read ends."""
    token, before, after = m.group(), text[max(0, m.start() - 60) : m.start()], text[m.end() : m.end() + 120]
    prev_word = fold((re.findall(r"[\w'’]+", before) or [""])[-1])
    next_word = fold((re.findall(r"[\w'’]+", after) or [""])[0])
    year = re.fullmatch(r"(?:19|20)\d\d", token) and (
        prev_word in YEAR_BEFORE or next_word in STOPWORDS or not next_word
    )
    determined = prev_word in word_set("the les ces these those both their leurs ses its his")  # "the two countries"
    collective = _collective(token, language) if token[0].isalpha() else None
    qualifier = QUALIFIER.search(before)
    word_at_end = token[0].isalpha() and not collective and not re.match(r"\s*[\"”»]?\s*[a-zà-ÿ]", after)
    if (
        year
        or (determined and not collective)
        or MONTH_NUMBERS.keys() & {prev_word, next_word}
        or re.match(r"\s*(?:h\d|:)", after)
        or (word_at_end and not qualifier)
        or _places(after)
    ):  # "injuring at least six"
        return None
    dot_groups, prefix, note = language != "en", None, None
    try:
        if collective:
            (prefix, low), end = collective, m.end()
        elif token[0].isalpha():
            low, end = _cardinal(token, language), m.end()
        else:
            low, end = read_amount(text, m.start(), dot_groups=dot_groups)  # with its scale: "1,2 million"
    except InvalidValue:  # what values.py will not read: "10.000" in English, "25 00", "deux deux"
        rest = m.end() + len(re.match(r"[\d\s.,'’_]*", text[m.end() : m.end() + 60]).group())
        return None, before, after, rest, None
    if token[0].isalpha() and not collective and (high := _word_range(text, m, before, language)):
        return f"{plain_number(low)}-{plain_number(high[0])}", before, text[high[1] : high[1] + 120], high[1], None
    after = after[end - m.end() :]
    rng = re.match(rf"\s*(?:(?P<dash>[-–])|et|and|à|to)\s*(?P<n>{DIGITS})", after)
    if rng and token[0].isdigit() and (rng["dash"] or re.search(r"\b(?:entre|between|de|from)\s+$", before, re.I)):
        start = end + rng.start("n")
        try:
            high_end = read_amount(text, start, dot_groups=dot_groups)[1]
            low, high = parse_range(text[m.start() : end], text[start:high_end], dot_groups=dot_groups)
        except InvalidValue:  # a range that goes down
            return None
        return f"{plain_number(low)}-{plain_number(high)}", before, after[high_end - end :], high_end, None
    if qualifier:  # "plus d'une centaine": more than 100
        prefix = PREFIX[qualifier.lastgroup]
    elif prefix:
        note = f"'{token}' read as {'about' if prefix == '~' else 'at least'} {low}."
    return f"{prefix or ''}{plain_number(low)}", before, after, end, note


_COLLECTIVE_LEADS = word_set(
    "un une la le des quelques plusieurs de nombreux nombreuses les a an few several some many the"
)
_SEVERAL = word_set("few several some many quelques plusieurs nombreux nombreuses des")
_ONE = word_set("un une la le a an")
_MULTIPLIERS = word_set("hundred thousand million billion")


def _collective(words: str, language: str) -> tuple[str, int] | None:
    """The qualifier and value of an amount in words that is not a cardinal: "une vingtaine" (~20), "des centaines"
    (>=100), "a dozen" (~12), "thousands" (>=1000), "tens of thousands" (>=10000), "a hundred" (100); None when the
    words are no amount ("une semaine")."""
    if language not in COLLECTIVE or not re.fullmatch(COLLECTIVE[language], words, re.I):
        return None  # a cardinal: "six cents", "one hundred"
    parts = fold(words).split()
    lead = parts[0] if parts[0] in _COLLECTIVE_LEADS else None
    heads = [w for w in parts if w not in _COLLECTIVE_LEADS | {"d", "of"}]
    values = [_base_value(w, language) for w in heads]
    if not values or None in values or (parts == ["the", *heads] and len(heads) == 1):
        return None
    value, first = 1, heads[0]
    for v in values:
        value *= v
    several = bool(set(parts) & _SEVERAL)
    singular = lead in _ONE and len(heads) == 1 and not first.endswith("s") and not several
    if first == "tens" and len(heads) == 1:
        return None  # "tens" alone is no amount
    if singular and first in _MULTIPLIERS:
        return "", value  # "a hundred": a cardinal
    return ("~" if singular else ">="), value


def _base_value(word: str, language: str) -> int | None:
    """The number a collective word is built on, read by text2num: vingtaine -> vingt, dizaines -> dix, milliers ->
    mille, hundreds -> hundred, tens -> ten."""
    if word in ("dozen", "dozens"):
        return DOZEN
    stem = re.sub(r"(?:aines?|iers?)$", "", word) if language != "en" else re.sub(r"s$", "", word)
    for candidate in dict.fromkeys([stem, stem + "e", re.sub(r"z$", "x", stem), stem + "t"]):
        try:
            return text2num(candidate, "fr" if language != "en" else "en")
        except ValueError:
            continue
    return None


def _word_range(text: str, m: re.Match, before: str, language: str) -> tuple[int, int] | None:
    """The high end of a range in words ("entre deux et trois", "between two and three") and where it ends."""
    if not re.search(r"\b(?:entre|between|de|from)\s+$", before, re.I):
        return None
    rng = WORD_RANGE[language].match(text, m.end()) if language in WORD_RANGE else None
    try:
        return (_cardinal(rng["n"], language), rng.end()) if rng else None
    except InvalidValue:
        return None


def _places(after: str) -> bool:
    """Whether the amount is a distance that places something ("15 km north of the city", "à 30 km de Lyon")."""
    return bool(
        re.match(
            r"\s*(?:km|kilom[eè]tres?|kilometers?|kilometres?|miles?|m|mètres?|metres?)\s+(?:au\s+)?"
            r"(?:north|south|east|west|nord|sud|est|ouest|from|away|de|du|d'|of|off|outside|inland)\b",
            after,
            re.I,
        )
    )


def _cardinal(words: str, language: str) -> int:
    """The number a cardinal in words names, read by text2num; raise InvalidValue for "un" alone or a non-number."""
    words = " ".join(words.lower().split())
    if words in LANG[language].NEVER_IF_ALONE:
        raise InvalidValue(f"{words!r} alone is not read as a number")
    try:
        return text2num(re.sub(r"\s+and\s+", " ", words) if language == "en" else words, language)
    except ValueError:
        raise InvalidValue(f"{words!r} is not a number") from None


_NOT_PLURAL = word_set("was has is does this its his hers yes thus plus less unless across")
# words right after an amount that are not its unit: "killed at least 11 since January", "30 depuis lundi"
_NOT_UNIT = word_set(
    "since during after before until across per over under between among last next this these "
    "those each every then now ago depuis pendant apres avant durant parmi selon contre"
)


def _unit_and_measure(before: str, after: str, unit: str | None) -> tuple[str | None, str | None, str | None]:
    """The unit shown with an amount, the unit later amounts inherit, and the measure ("killed", "troops_sent")."""
    part_of = re.match(rf"\s*(?:of|sur)\s+(?:the\s+|les\s+)?{DIGITS}", after)  # "45 of 60 drones"
    noun = UNIT_NOUN.match(after[part_of.end() :] if part_of else after)
    word = "%" if re.match(r"\s*(?:%|pour ?cent|per ?cent)", after) else fold(noun["w"]) if noun else ""
    if word in TIME_UNITS:
        return None, unit, None
    casualty = MEASURE.fullmatch(word)
    casualty = casualty.lastgroup[2:] if casualty and casualty.lastgroup.startswith("c_") else None
    verb = (
        word.endswith(("ait", "aient", "ed", "era", "ira", "ront"))
        or word in ("fui", "sont", "ont")
        or bool(FINITE.fullmatch(word))
    )  # "nearly 20,000 had left": no unit
    regular = word and not casualty and word not in STOPWORDS | _NOT_UNIT and not verb
    shown_word = noun["w"] if noun and word != "%" else word  # as written: "grévistes", not "grevistes"
    followed = noun and regular and not word.endswith("s")  # "ballot boxes", not "soldiers were"
    compound = re.match(r"\s+([a-z-]{2,}s)\b", after[noun.end() :]) if followed else None
    if compound and compound[1] not in _NOT_PLURAL:
        shown_word += compound.group()  # "ballot boxes", "polling stations"
    own = UNITS.get(word, shown_word) if regular else noun["cap"].strip() if noun and noun["cap"] else None
    own = CURRENCIES.get(before.rstrip()[-1:]) or own
    aside = re.search(r"\b(?:including|dont|among them|parmi lesquels|notamment)\s+(?:\S+\s+){0,2}$", before, re.I)
    shown, inherited = own or unit, unit if aside or own == "%" else own or unit
    after_verbs = "" if part_of else re.split(r"[,;.]|\s(?:et|and|mais|but)\s", after[noun.end() if noun else 0 :])[0]
    before_verbs = re.split(r"[;.:]|\b(?:que|qu'|that)\b", before)[-1]
    counted = re.search(
        r"\b(?:number|nombre|count|total|tally)\s+(?:of|de|d['’])\s*([a-zà-ÿ]{3,})\s+(?:at|à)\s*$", before
    )  # "put the number of cases at 980": cases
    named = re.search(r"\b([a-zà-ÿ]{4,})\s+(?:de|d['’]|of)\s*$", before)  # "une magnitude de 6,8": magnitude
    measure = (
        casualty
        or (fold(counted[1]) if counted else None)
        or _measure(fold(after_verbs), shown, first=True)
        or _measure(fold(before_verbs), shown, first=False)
        or {"%": "percent"}.get(shown)
        or re.sub(r"\W+", "_", fold(shown or "")).strip("_")
        or (fold(named[1]) if named and fold(named[1]) not in STOPWORDS and not QUALIFIER.search(before) else None)
    )
    return shown, inherited, measure


def _measure(window: str, unit: str | None, first: bool) -> str | None:
    """The measure the first (or last) verb in `window` names: killed, wounded..., or UNIT_sent, UNIT_launched..."""
    hits = [h.lastgroup for h in MEASURE.finditer(window)]
    if not hits:
        return None
    kind, _, key = hits[0 if first else -1].partition("_")
    subject = "troops" if unit in ("soldiers", "troops") else re.sub(r"\W+", "_", fold(unit or "")).strip("_")
    return key if kind == "c" or not subject else f"{subject}_{key}"
