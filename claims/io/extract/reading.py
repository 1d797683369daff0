"""From a sentence to candidate claims: its clauses, parties, figures and date; the stances and caveats that point
back at the claims before."""

from __future__ import annotations

import datetime
import re

from ...errors import InvalidValue
from ...values import MONTH_NUMBERS, fold, parse_date
from .actors import Context
from .cues import QUOTE, STRAIGHT, VERIFY, mask_quotes, read_cues
from .figures import figures_in
from .words import DOCUMENTS, WEEKDAYS

LOOKBACK = 3  # how many earlier claims a back-pointing sentence may attach to
OWNER_LOOKBACK = 20  # how far back "the charity's figures" may find the charity's claims
FUTURE = re.compile(
    r"\b(?:will|would|shall|next|prochaine?|doit|doivent|devrait|devraient|va|vont|d'ici|sera|"
    r"seront|serait|seraient|aura|auront|aurait|auraient|(?!caméra|opéra)[a-zà-ÿ]{2,}"
    r"(?:era|ira|eront|iront|erait|irait|eraient|iraient))\b"
)
_SINGULAR = re.compile(
    r"^(?:that|this|the|le|la|l'|ce|cet|cette)\s*(?:figure|claim|report|number|toll|account|"
    r"allegation|accusation|statement|estimate|assertion|version|chiffre|bilan|information|"
    r"affirmation|accusation|déclaration|estimation|allégation)\b|^(?:que|qu'|that)\b",
    re.I,
)
_PLURAL = re.compile(r"^(?:either|both|all|these|those|ces|les|leurs|their|ses|its\s+[\w-]+s|the\s+[\w-]+s)\b", re.I)
_OWNER = re.compile(
    r"^(?P<o>(?:the\s+)?[\w -]{2,60}?)(?:'s|s')\s+\w|"
    r"^(?:le|la|les|ce|ces|l'|the)\s*(?:chiffres?|bilans?|affirmations?|informations?|accusations?|"
    r"estimations?|propos|déclarations?|allégations?|"
    r"figures?|claims?|numbers?|allegations?|reports?)\s+(?:(?:de\s+(?:l'|la\s+|le\s+)?|du\s+|des\s+|"
    r"d'|of\s+)|(?:[\wÀ-ÿ]+\s+)?(?:par|by)\s+)(?P<p>.+)",
    re.I,
)  # "avancés par les syndicats"
_PLUPERFECT = re.compile(
    r"\b(?:avait|avaient|had)\s+(?:déjà\s+|already\s+|été\s+|been\s+)?[\wÀ-ÿ]+(?:é|ée|és|ées|"
    r"i|is|u|us|ed|en|t)\b",
    re.I,
)


def _checkable(sentence: str, figures: list[str]) -> bool:
    """Whether a sentence states a number or a date, i.e. something an outlet's claim can be checked on."""
    words = {fold(w) for w in re.findall(r"[\w'’]+", sentence)}
    return bool(
        figures
        or words & (set(WEEKDAYS) | {m for m in MONTH_NUMBERS if len(m) > 4})
        or re.search(r"\b(?:19|20)\d\d\b|\b(?:hier|yesterday|last week|semaine dernière)\b", sentence, re.I)
    )


def read_sentence(sentence: str, ctx: Context, language: str) -> list[dict]:
    """The candidate claims of one sentence: none, one per claimant ("selon A, ..., tandis que B ..."), or two when
    "ainsi que"/"as well as" joins two objects."""
    parts = _clauses(sentence)
    if len(parts) > 1:
        claims = []
        for part in parts:
            claims += _read_clause(part, ctx, language, like=claims[0]["figures"][:1] if claims else [])
        note = "Split from one sentence with two claimants."
        return [c | {"notes": c["notes"] + [note]} for c in claims]
    return _read_clause(sentence, ctx, language)


def _clauses(sentence: str) -> list[str]:
    """A sentence cut where a second claimant starts ("X said A, while Y said B"; "selon A, ..., tandis que B en a
    compté ..."; "A a recensé N, contre M selon B"): each part with its own attribution, else the whole sentence."""
    att = mask_quotes(sentence)
    for m in re.finditer(
        r",\s*(?:while|whereas|but|tandis qu(?:e\s+|')|alors qu(?:e\s+|')|mais|contre|against)\s*", att
    ):
        first, second = read_cues(att[: m.start()]), read_cues(", " + att[m.end() :])
        if any(first[k] for k in ("speakers", "sources", "cited")) and any(
            second[k] for k in ("speakers", "sources", "cited")
        ):
            return [sentence[: m.start()].strip(), sentence[m.end() :].strip()]
    return [sentence]


def _read_clause(sentence: str, ctx: Context, language: str, like: list[str] = ()) -> list[dict]:
    """The candidate claims of one sentence or clause (see `read_sentence`); `like`: the figure an amount without a
    measure of its own is counted in (the other claimant's: "25 000 personnes, tandis que B en a compté 110 000")."""
    notes: list[str] = []
    text, is_quote, found = _lead_quote(sentence)
    ctx.by_reference = None
    masked = mask_quotes(sentence)
    verified = VERIFY.search(masked)
    has_cue = bool(found["cited"] or found["speakers"] or found["sources"])
    if found["back"] and has_cue:  # "Un chiffre que conteste X, ..., qui affirme que ...": both
        found["also_back"] = found["also_back"] or found["back"]
    elif found["back"]:
        role, phrase, rest = found["back"]
        caveat = [f"{phrase.strip()}: could not be independently verified."] if found["caveat"] else []
        saying = re.search(
            r",\s*(?:saying|adding|insisting|arguing|affirmant|assurant|estimant|précisant|"
            r"expliquant|ajoutant|soulignant)\b",
            rest,
            re.I,
        )  # "X denied A, saying B": B is X's claim
        if _attach(ctx, role, phrase, rest, ([] if saying else notes) + caveat) and not saying:
            return []
        if not saying and (role == "not_confirmed_by" or not re.match(r"(?:\S+\s+){0,2}(?:que|qu'|that)\b", rest)):
            return []
        found["speakers"].append(phrase)  # and "X denied that ..." with no claim before: X's own counter-claim
        has_cue = True
    if (previous := ctx.prev_quote) and not has_cue and QUOTE.fullmatch(sentence.strip()):
        found["speakers"], is_quote, has_cue = [], True, True  # «A», a déclaré X. «B»: B is X's too
        notes.append("The quote goes on after its attribution.")
    asserted, relays, roles = _parties(found, ctx, notes)
    if previous and is_quote and not asserted:
        asserted, relays = list(previous["asserted_by"]), list(previous["relayed_by"])
    figures = figures_in(_without_parties(text, found), language, notes, like=like, known_measures=ctx.measures)
    if not has_cue and not found["stances"]:
        if verified and not figures:
            _attach(ctx, None, None, "", notes, verified=True)  # a note on the claims before, if any
            return []
        if not (ctx.outlet and _checkable(sentence, figures) and len(sentence.split()) >= 5) or _PLUPERFECT.search(
            masked
        ):  # background ("La région avait déjà perdu ...") is not the news
            return []
        notes.append("No attribution in the text: the outlet's own statement.")
    if found["also_back"]:
        _attach(ctx, *found["also_back"], [])
    asserted = asserted or ([ctx.outlet] if ctx.outlet and not has_cue else [])
    prior = ctx.last_by.get(tuple(asserted))
    if ctx.by_reference == "pronoun" and prior and not relays:
        relays = list(prior["relayed_by"])  # "Il s'est engagé à...": still the same report
    if verified:
        notes.append(f"{ctx.outlet or 'The source'}: could not be independently verified.")
    previous_date, said_on = ctx.prev_date, _dates(sentence, found["near"], ctx, notes)
    if not said_on and ctx.by_reference:  # "«...», a déclaré le dirigeant": said when the sentence before says
        said_on = (prior or {}).get("said_on") or previous_date
    relays = [r for r in dict.fromkeys(relays + ([ctx.outlet] if ctx.outlet else [])) if r not in asserted]
    claim = {
        "text": text,
        "said_on": said_on,
        "quote": is_quote,
        "asserted_by": asserted,
        "relayed_by": relays,
        **roles,
        "figures": figures,
        "notes": notes,
    }
    return _split_objects(claim, found["cue_end"], language, ctx.measures) if not is_quote else [claim]


def _without_parties(text: str, found: dict) -> str:
    """`text` with the phrases naming its parties blanked, so that "two people familiar with the matter said" or
    "trois sources ont indiqué" give no figure."""
    straight = text.translate(STRAIGHT)
    for phrase in found["speakers"] + found["sources"] + found["cited"]:
        at = straight.find(phrase.strip()) if phrase.strip() else -1
        if at >= 0:
            text = text[:at] + " " * len(phrase.strip()) + text[at + len(phrase.strip()) :]
    return text


def _lead_quote(sentence: str) -> tuple[str, bool, dict]:
    """A sentence led by a quote its end attributes («...», a déclaré X; "...," X said) is that quote; else the whole
    sentence. A quote without a comma before its attribution is part of a claim («plus d'un million» selon X)."""
    lead = QUOTE.match(sentence)
    if (
        lead
        and len(fold(lead.group()).split()) >= 2
        and (lead.group()[-2:-1] == "," or re.match(r"\s*,", sentence[lead.end() :]))
    ):
        rest = read_cues(mask_quotes(", " + sentence[lead.end() :].strip(" ,")))
        if rest["speakers"] or rest["sources"]:
            return lead.group().rstrip(), True, rest
    return sentence, False, read_cues(mask_quotes(sentence))


def _parties(found: dict, ctx: Context, notes: list[str]) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """Who asserts, who relays (besides the outlet) and the stances, as actor names."""

    def resolve(phrases, anonymous=False):
        return list(dict.fromkeys(n for p in phrases for n in ctx.resolve(p, notes, anonymous)))

    for description, name in found["descriptions"]:
        ctx.describe_as(description, next(iter(ctx.resolve(name, [])), name))
    notes += [f"Citing {p.strip()}." for p in found["cited"] if re.search(DOCUMENTS, p, re.I)]
    found["cited"] = [p for p in found["cited"] if not re.search(DOCUMENTS, p, re.I)]
    anonymous = found.get("anonymous", False)
    if (
        found["sources"]
        and found["speakers"]
        and all(
            re.fullmatch(r"(?:the|le|la|les|l')\s*[a-zà-ÿ-]+(?:\s+[a-zà-ÿ-]+)?", p.strip()) for p in found["speakers"]
        )
    ):
        found["speakers"] = []  # "Selon la Croix-Rouge, ..., a précisé l'organisation": the same party
    cited, speakers = resolve(found["cited"]), resolve(found["speakers"], anonymous)
    sources = resolve(found["sources"], anonymous)
    asserted, relays = (cited, speakers + sources) if cited else (speakers, sources) if speakers else (sources, [])
    roles, by_reference = {"not_confirmed_by": [], "denied_by": [], "disputed_by": []}, ctx.by_reference
    for role, phrase in found["stances"]:
        roles[role] += [n for n in resolve([phrase]) if n not in roles[role]]
    ctx.by_reference = by_reference  # "a charge the minister denied" says nothing of who asserts
    return asserted, relays, roles


def _split_objects(claim: dict, cut: int | None, language: str, measures: list[str] | None) -> list[dict]:
    """ "X a affirmé que Y avait envoyé A, ainsi que B" is two claims: "X a affirmé que Y avait envoyé A." and
    "X a affirmé que Y avait envoyé [...] B"."""
    text = claim["text"]
    split = re.search(r",\s*(?:ainsi que|as well as)\s+", text) if cut else None
    if not split or split.start() < cut:
        return [claim]
    verb = re.match(
        r"\s*(?:que|qu['’]|that)?\s*\S+(?:\s+\S+){0,3}?\s+(?:a|ont|avait|avaient|aurait|auraient|est|"
        r"sont|était|has|have|had|was|were)\s+[\wÀ-ÿ]+",
        text[cut : split.start()],
    )
    parts = [text[: split.start()] + ".", text[:cut] + (verb.group() if verb else "") + " [...] " + text[split.end() :]]
    note = f"Split from one sentence at '{split.group().strip(', ')}'."
    return [
        claim
        | {
            "text": part,
            "figures": figures_in(part, language, [], known_measures=measures),
            "notes": claim["notes"] + [note],
        }
        for part in parts
    ]


def _attach(
    ctx: Context, role: str | None, phrase: str | None, rest: str, notes: list[str], verified: bool = False
) -> bool:
    """A stance that points back ("Kalvex declined to comment", "X denied the report", "Meridian Press could not
    confirm either figure"): give its party `role` on the claims it refers to (see `_targets`); a caveat without a
    party (`verified`) becomes their note. Whether any claim took it."""
    names = ctx.resolve(phrase, notes) if phrase else []
    if phrase and not names:
        return False
    targets = _targets(ctx, names, rest, several=role == "not_confirmed_by" or verified)
    for claim in targets:
        if names:
            claim[role] += [n for n in names if n not in claim[role]]
        else:
            claim["notes"].append(f"{ctx.outlet or 'The source'}: could not be independently verified.")
        claim["notes"] += notes
    return bool(targets)


def _targets(ctx: Context, names: list[str], rest: str, several: bool) -> list[dict]:
    """The claims a back-pointing stance of `names` refers to: the latest recent claim of another party, or of the
    party its object names ("the charity's figures", "les chiffres de l'ONG"), with the claims of the same party just
    before it when the object is plural or, for "has not confirmed"/"declined to comment", not singular."""
    window = ctx.claims[-OWNER_LOOKBACK:]  # a stance refers to what the article has just said
    others = [i for i, c in enumerate(window) if not set(names) & set(c["asserted_by"]) and c["asserted_by"] != names]
    owner = _OWNER.match(rest)
    owners = ctx.resolve(owner["o"] or owner["p"], []) if owner else []
    owned = [i for i in others if set(owners) & set(window[i]["asserted_by"])]
    others = owned or [i for i in others if i >= len(window) - LOOKBACK]
    if not others:
        return []
    at = others[-1]
    if re.match(r"(?:either|both|neither|les deux|l'une? ou l'autre|aucun des deux)\b", rest, re.I):
        return [window[i] for i in others[-2:]]  # "either figure": the last two, whoever gave them
    if not (_PLURAL.match(rest) or (several and not _SINGULAR.match(rest))):
        return [window[at]]
    run = [window[at]]
    while at > 0 and window[at - 1]["asserted_by"] == run[0]["asserted_by"] and len(run) < LOOKBACK:
        at -= 1
        run.insert(0, window[at])
    return run


def _day(word: str, published: str | None, future: bool) -> tuple[str | None, str]:
    """The date a weekday names relative to publication (the last one, or the next if `future`), and a note."""
    if not published:
        return None, f"'{word}': publication date unknown."
    pub, target = datetime.date.fromisoformat(published), WEEKDAYS[fold(word)]
    if future:
        day = pub + datetime.timedelta(days=(target - pub.weekday()) % 7 or 7)
        return None, f"'{word}' = {day.isoformat()}, after publication: said_on left empty."
    day = (pub - datetime.timedelta(days=(pub.weekday() - target) % 7)).isoformat()
    return day, f"'{word}' = {day}."


def _dates(sentence: str, near: list[str], ctx: Context, notes: list[str]) -> str | None:
    """said_on from a day named next to the attribution ("a rapporté ... samedi"); other days become notes."""
    near_words = re.findall(r"[\wÀ-ÿ']+", " ".join(near))
    word = next((w for w in near_words if fold(w) in WEEKDAYS), None)
    said_on = None
    if word:
        said_on, note = _day(word, ctx.published, future=False)
        notes.append(note)
    elif ctx.published and {"hier", "yesterday"} & {fold(w) for w in near_words}:
        said_on = (datetime.date.fromisoformat(ctx.published) - datetime.timedelta(days=1)).isoformat()
    ctx.prev_date = said_on
    for other in dict.fromkeys(w for w in re.findall(r"[\wÀ-ÿ]+", sentence) if fold(w) in WEEKDAYS and w != word):
        day, note = _day(other, ctx.published, future=bool(FUTURE.search(sentence)))
        notes.append(note)
        ctx.prev_date = ctx.prev_date or day
    if m := re.search(r"\b(?:la semaine dernière|last week)\b", sentence, re.I):
        notes.append(f"'{m.group()}': the week before {ctx.published or 'publication'}.")
    try:
        return parse_date(said_on, "date said") if said_on else None
    except InvalidValue:
        return None
