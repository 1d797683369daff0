"""What a sentence says about who speaks: attribution cues (selon X, X said, «...», a déclaré X), the stances it
takes (ce que X n'a pas confirmé, a figure X disputes) and the stance it points back with (X denied the report)."""

from __future__ import annotations

import re

from ...values import fold
from .words import DETERMINERS, FINITE, NAME, WEEKDAYS, word_set

# a character of an actor phrase: anything but punctuation and quotes, save the dot of "M." or "U.S."
XP = r"(?:\b(?:M|Mr|Mrs|Ms|Dr|Mme|Gen|Col|Sen|Gov|St)\.\s|\.(?=\w)|[^,;.!?«»“”\"])"
X = rf"(?P<x>{XP}{{2,140}}?)"
# Cues are read on a copy of the sentence with its quoted words masked and its apostrophes made straight (’ -> ').
_FR_PP = (
    r"affirmé|déclaré|rapporté|annoncé|indiqué|estimé|assuré|précisé|ajouté|souligné|expliqué|"
    r"confirmé|dit|fait savoir|averti|prévenu|promis|revendiqué|reconnu|accusé|raconté|signalé|écrit|"
    r"avancé|compté|recensé|relevé|évoqué|dénoncé|lancé|confié|détaillé|déploré|martelé|insisté|rappelé|"
    r"observé|constaté|admis|jugé|répété|fait état|dressé|chiffré|évalué|publié|témoigné|poursuivi|conclu|"
    r"résumé|regretté|nuancé|répondu|protesté|alerté|dénombré|réagi"
)
_FR_PRES = (
    r"affirment|affirme|déclarent|déclare|rapportent|rapporte|annoncent|annonce|estiment|estime|assurent|"
    r"assure|indiquent|indique|précisent|précise|soulignent|souligne|ajoutent|ajoute|disent|dit|promettent|"
    r"promet|accusent|accuse|avancent|avance|dénoncent|dénonce|jugent|juge|expliquent|explique"
)
_FR_NOUN_OBJECT = r"évoquent|évoque|font état|fait état|recensent|recense|revendiquent|revendique"  # + an object
_FR_ADVERB = (
    r"(?:\s+(?:pour sa part|pour leur part|de son côté|de leur côté|quant à (?:lui|elle|eux)|également|"
    r"aussi|toutefois|cependant|néanmoins|encore|notamment))?"
)
_FR_AUX = (
    r"(?:a|ont|avait|avaient|aurait|auraient)(?:\s+(?:également|aussi|encore|déjà|par ailleurs|en outre|"
    r"pour sa part|de son côté|de leur côté|quant à (?:lui|elle|eux)|toutefois|cependant|enfin|ensuite|"
    r"lui-même|elle-même|notamment))?\s+"
)
_EN = (
    r"said|says|claimed|reported|told|announced|stated|added|estimated|alleged|wrote|posted|pledged|promised|"
    r"vowed|confirmed|warned|insisted|noted|acknowledged|accused|asserted|maintained|explained|credited|"
    r"recorded|counted|tallied|reckoned|predicted|projected|forecast|calculated|argued|admitted|"
    r"put\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:toll|crowd|number|figure|count|turnout|losses|"
    r"cost|damage|total|size|death toll)(?:\s+of\s+[\w-]+){0,2}\s+at"
)  # "put the number of cases at 980"
_INFINITIVE = r"(?:avoir|être|n'avoir|n'être|s'être|ne pas|[a-zà-ÿ]+(?:er|ir|re))\b"
_SPEECH = (
    rf"(?<!\bnot\s)(?<!\bpas\s)(?<!n't\s)(?<!never\s)(?<!jamais\s)"
    rf"(?:(?:(?:en|y|lui|leur)\s+)?{_FR_AUX}(?:{_FR_PP})|"
    rf"(?:{_FR_PRES}){_FR_ADVERB}(?=\s+qu|\s*:|\s+{_INFINITIVE})|"
    rf"(?:{_FR_NOUN_OBJECT}){_FR_ADVERB}(?=\s+[a-zà-ÿ\d])|"
    rf"(?:avancent|avance){_FR_ADVERB}(?=\s+(?:de|d'|des|du|un|une|le|la|les|quelques|plusieurs|près|"
    rf"environ|au|plus|moins|entre|\d)\b)|"  # "La direction avance un taux de 28 %", not "le projet avance"
    rf"s'est\s+engagée?|se\s+sont\s+engagée?s|s'engage|accusent(?=\s[^,.;]{{2,80}}?\s(?:de|d')\s*\w)|"
    rf"accuse(?=\s[^,.;]{{2,80}}?\s(?:de|d')\s*\w)|"
    rf"(?:(?:has|have|had|also|later|previously|earlier|separately)\s+){{0,2}}(?:{_EN}))\b"
)
# Stances. nc: has not confirmed; de: denied; di: disputed. "X could not confirm" names who has not; a caveat
# without anyone ("could not be independently verified") is VERIFY, a note.
_FR_NOT = r"n'(?:a|ont|avait|avaient|est|sont|était|étaient)\s+pas\s+(?:encore\s+|immédiatement\s+)?"
STANCE = (
    rf"(?P<nc>{_FR_NOT}(?:(?:pu|été en mesure de|en mesure de|souhaité|voulu)\s+)?"
    r"(?:confirmer|vérifier|commenter|réagir|répondre|confirmée?s?|vérifiée?s?|réagi|répondu|commenté)|"
    r"ne\s+(?:le\s+|la\s+|les\s+)?confirment?\s+pas|ne\s+peu(?:t|vent)\s+pas\s+(?:le\s+|la\s+)?confirmer|"
    r"(?:a|ont)\s+refusé\s+de\s+(?:commenter|confirmer|réagir)|s'(?:est|sont)\s+refusée?s?\s+à\s+tout\s+"
    r"commentaire|(?:has|have|had)\s+not\s+(?:yet\s+)?(?:been\s+able\s+to\s+(?:confirm|verify)|confirmed|"
    r"verified|commented|responded)|(?:did|does|do)\s+not\s+(?:immediately\s+)?(?:confirm|respond|reply|"
    r"comment)|(?:declined|refused)\s+to\s+(?:comment|confirm)|(?:could|can)\s*not\s+(?:independently\s+|"
    r"immediately\s+)?(?:confirm|verify)|(?:could|can)n't\s+(?:independently\s+)?(?:confirm|verify)|"
    r"(?:was|were|is|are)\s+(?:not\s+able|unable)\s+to\s+(?:independently\s+|immediately\s+)?"
    r"(?:confirm|verify))"
    r"|(?P<de>a démenti|ont démenti|démentent|dément|a nié|ont nié|nient|nie|(?:has |have )?denied|"
    r"denies|deny)"
    r"|(?P<di>a contesté|ont contesté|contestent|conteste|(?:has |have )?disputed|disputes?|"
    r"(?:has |have )?rejected|rejects|a rejeté|ont rejeté|rejette|rejettent|a récusé|récuse)"
)
ROLE_OF = {"nc": "not_confirmed_by", "de": "denied_by", "di": "disputed_by"}
STANCE_IN = re.compile(rf"\b(?:{STANCE})\b")
CONJUNCTIONS = word_set("et and mais but puis then ou or")
# the start of an actor phrase after an inverted verb: a capital, a determiner or a title ("said Marta Ilescu",
# "a indiqué la préfecture"), not the start of a clause ("said about 400 troops had ...", "affirme avoir tué")
_ACTOR_START = (
    r"(?=[A-ZÀ-Þ]|(?:le|la|les|l'|un|une|des|du|son|sa|ses|leur|leurs|ce|cette|the|a|an|his|her|its|"
    r"their|one|two|three|deux|trois|plusieurs|several|senior|local|state|officials?)\b)"
)
SELON = re.compile(rf"(?:\b[Ss]elon|\b[Dd]'après|\b[Aa]ccording to)\s+(?P<x>{XP}{{2,140}})")
CITING = re.compile(rf",?\s*\b(?:[Cc]itant|[Cc]iting|[Qq]uoting)\s+(?P<x>{XP}{{2,120}}),?")
_DAYS = "|".join(WEEKDAYS)
# what may come between an inverted verb and its actor: "a déclaré à l'APL", "a annoncé mercredi soir", "said on Monday"
_PLACE = (
    rf"(?:\s+(?:(?:on\s+)?(?:{_DAYS}|hier|aujourd'hui|yesterday|today)(?:\s+(?:soir|matin|midi|night|morning|"
    rf"evening))?|(?:à|au|aux|devant|sur|to|at|in)\s+(?:l'|la\s+|le\s+|les\s+)?[\wÀ-ÿ'-]+)){{0,2}}"
)
_FR_PRES_INVERTED = (
    r"affirment|affirme|déclarent|déclare|estiment|estime|assurent|assure|indiquent|indique|"
    r"précisent|précise|soulignent|souligne|ajoutent|ajoute|disent|dit|expliquent|explique|"
    r"racontent|raconte|dénoncent|dénonce|avancent|avance|jugent|juge"
)  # "«...», estime X"
INVERTED = re.compile(
    rf",[\"”»]?\s*(?:{_FR_AUX}(?:{_FR_PP})|(?:{_FR_PRES_INVERTED})|said|says|added|wrote|told\s+\w+|"
    rf"explained|insisted|warned){_PLACE}\s+(?!que\b|qu'|that\b){_ACTOR_START}"
    rf"(?P<x>{XP}{{2,120}}(?:,\s*{NAME}(?:\s+{NAME})+)?)(?=\s*(?:[,.;:!?)]|$))"
)
INVERTED_PRONOUN = re.compile(
    rf",\s*(?:(?:a|ont)-t-(?P<x>il|elle|ils|elles)\s+(?:{_FR_PP})|"
    rf"(?:{_FR_PRES})-(?:t-)?(?P<y>il|elle|ils|elles))\b"
)
END = re.compile(rf",\s*{X}(?:,\s*(?P<name>{NAME}(?:\s+{NAME})+)\s*,)?\s+{_SPEECH}")
SUBJECT = re.compile(rf"^(?:(?P<pre>[^,]{{0,80}}),\s*)?{X},?\s+{_SPEECH}")
SUBJECT_FIRST = re.compile(rf"^{X}\s+{_SPEECH}")  # "The mayor said ..., but added": not "... Friday, but added"
_CLAIM_NOUN = (
    r"(?:une?\s+(?:chiffre|bilan|version|information|affirmation|accusation|estimation|analyse|thèse|"
    r"allégation)\s+(?:que\s+|qu')?|\ban?\s+(?:figure|claim|number|toll|report|version|account|allegation|"
    r"accusation|assertion|view|estimate|assessment|charge|count|analysis)\s(?:that\s)?)"
)
REL_STANCE = re.compile(
    rf"(?:\bce qu(?:e\s|')|\bwhich\s|\b{_CLAIM_NOUN})"
    rf"\s*(?:{X}\s+(?:{STANCE})\b|"
    rf"(?P<inv>conteste|contestent|dément|démentent|nie|nient|récuse|récusent)\s+(?P<y>{XP}{{2,80}}))",
    re.I,
)
# "a figure opposition activists said was far higher", "un chiffre que l'opposition juge largement sous-estimé"
FAR_FROM = re.compile(
    rf"\b(?:an?|the|un|une|le|la)\s+(?:figure|number|toll|estimate|count|chiffre|bilan|estimation)\s+"
    rf"(?:that\s+|que\s+|qu')?{X}\s+(?:said|says|say|claimed|claims|called|believes?|juge|jugent|estime|estiment|"
    rf"dit|disent|a jugé|ont jugé|a qualifié|ont qualifié)\s+(?:was\s+|is\s+|were\s+|to be\s+|de\s+)?"
    rf"(?:far\s+|much\s+|significantly\s+|largement\s+|très\s+|bien\s+)?(?:higher|lower|inflated|exaggerated|"
    rf"understated|wrong|false|too\s+(?:high|low)|sous-estimée?|surestimée?|exagérée?|gonflée?|fantaisiste|faux|"
    rf"fausse|inférieure?|supérieure?)"
)
PASSIVE_STANCE = re.compile(
    rf"(?:(?P<nc>non confirmée?s?|not confirmed)|(?P<de>démentie?s?|denied)|"
    rf"(?P<di>contestée?s?|disputed|rejected))\s+(?:par|by)\s+(?P<x>{XP}{{2,80}})"
)
SANS_QUE = re.compile(
    rf"\bsans que\s+{X}\s+(?:ne\s+)?(?:l'|les\s+)?(?:ait|aient|puisse|puissent)?\s*"
    rf"(?:pu\s+)?confirm"
)
SUBJECT_STANCE = re.compile(rf"^(?:(?P<pre>[^,]{{0,80}}),\s*)?{X},?\s+(?:{STANCE})\b")
RELATIVE = re.compile(r"^(?:which|who|whose|qui|que|dont|lequel|laquelle)\b", re.I)  # "X, which ..., said"
VERIFY = re.compile(
    r"pas pu être (?:vérifiée?s?|confirmée?s?)|(?:could|can)\s*not be (?:independently |"
    r"immediately )?(?:verified|confirmed)|not (?:been )?independently (?:verified|confirmed)|"
    r"impossible de (?:les? |la )?vérifier|not possible to (?:independently )?(?:verify|confirm)|"
    r"(?:n'|ne )(?:ont|a|sont|est) pas été (?:vérifiée?s?|confirmée?s?) (?:de (?:source|manière|"
    r"façon) indépendante|indépendamment)",
    re.I,
)
QUOTE = re.compile(r"«[^«»]{1,1500}»|“[^“”]{1,1500}”|\"[^\"]{1,1500}\"")
STRAIGHT = str.maketrans({"’": "'", "‘": "'"})
_NAMED = re.compile(rf"^(?:(?:the|le|la|les|l')\s*)?{NAME}(?:\s+(?:{NAME}|de|du|des|d'|of|the|la|l'|pour|for))*\s*$")
_APPOSED_NAME = re.compile(rf"\s*,\s*(?P<n>(?:(?:le|la|l')\s*)?(?:[a-zé]+\s+)?{NAME}(?:\s+{NAME})+)\s*,")
# what "X has not commented on / did not respond to ..." must be about to be a stance on the claim before
_ABOUT_CLAIM = (
    r"(?:figures?|claims?|reports?|allegations?|accusations?|tolls?|accounts?|statements?|requests?|"
    r"questions?|estimates?|numbers?|results|it|them|this|that|chiffres?|bilans?|informations?|"
    r"affirmations?|propos|déclarations?|sollicitations?|demandes?|allégations?|estimations?|résultats|"
    r"cela|ça)\b"
)
ANONYMOUS = re.compile(
    r"anonymat|anonymity|anonymous|anonyme|not to be named|declined to be named|"
    r"(?:sans|without) (?:être|being) (?:nommée?|named|identifiée?|identified)|requis l'anonymat",
    re.I,
)


def mask_quotes(sentence: str) -> str:
    """Quoted words replaced by Q (same length) and apostrophes made straight, so that words inside quotes are not
    read as cues and one pattern reads "n'a" and "n’a"."""
    masked = QUOTE.sub(lambda q: q.group()[0] + "Q" * (len(q.group()) - 2) + q.group()[-1], sentence)
    return masked.translate(STRAIGHT)


def _antecedent(att: str, start: int) -> str:
    """What a relative pronoun at `start` stands for: the actor phrase before its comma ("according to the customs
    service, which said"; "l'USTA, premier syndicat du site, qui affirme"), past a description set off by commas
    ("premier syndicat du site") and a clause ("The seizure was the largest ..., according to X, which said")."""
    segments = [s.strip() for s in att[:start].split(",") if s.strip()][-3:]
    for n, segment in enumerate(reversed(segments)):
        if m := SELON.search(segment):
            return m["x"]
        if m := REL_STANCE.search(segment):
            return m["x"] or m["y"]
        apposition = segment[:1].islower() and fold(segment).split()[0] not in DETERMINERS
        if (not apposition and not FINITE.search(segment)) or n == len(segments) - 1:
            return segment
    return ""


def _speaker_of(m: re.Match, att: str, found: dict) -> str:
    """The actor phrase of a subject or end cue: past a relative ("X, which ..., said") and an apposition
    ("Marten Hale, a lawyer ..., said"; "Ostravia's foreign minister, Lenora Quist, said"), whose description is
    remembered in `found`."""
    x, pre = m["x"], (m.groupdict().get("pre") or "").strip()
    if m.groupdict().get("name"):
        found["descriptions"].append((x, m["name"]))
        return m["name"]
    if RELATIVE.match(x.strip()) or STANCE_IN.match(x.strip()):  # ", which said"; ", denied X and said"
        return pre or _antecedent(att, m.start("x"))
    if pre and not pre.startswith(("Selon", "selon", "According", "according", "D'après", "d'après")):
        first = fold(x).split()[0] if fold(x) else ""
        clause = x[:1].islower() and first not in DETERMINERS  # "speaking on condition of anonymity"
        description = first in DETERMINERS and not _NAMED.match(x.strip())
        if clause or (description and _NAMED.match(pre)):
            found["descriptions"] += [(x, pre)] if description else []
            return pre
        if _NAMED.match(x.strip()) and not _NAMED.match(pre) and fold(pre).split()[:1] != ["dans"]:
            found["descriptions"].append((pre, x))
    return x


def read_cues(att: str) -> dict:
    """Actor phrases per cue type in a masked sentence, stances on this claim and on earlier ones ("back"), and the
    words near the attribution (for its date)."""
    found = {
        "cited": [m["x"] for m in CITING.finditer(att)],
        "sources": [],
        "speakers": [],
        "stances": [],
        "near": [],
        "back": None,
        "also_back": None,
        "cue_end": None,
        "descriptions": [],
        "caveat": False,
    }
    att = CITING.sub(lambda m: " " * len(m.group()), att)
    for m in SELON.finditer(att):
        apposed = _APPOSED_NAME.match(att, m.end("x"))  # "Selon le procureur, Bastien Roux, le réseau..."
        found["sources"].append(apposed["n"] if apposed else m["x"])
        found["descriptions"] += [(m["x"], apposed["n"])] if apposed else []
        found["near"].append(m["x"])
    found["speakers"] += [m["x"] or m["y"] for m in INVERTED_PRONOUN.finditer(att)]
    found["anonymous"] = bool(ANONYMOUS.search(att))
    named = SUBJECT.match(att)
    named = named.end("x") if named and named["pre"] and _NAMED.match(named["x"].strip()) else None
    for m in INVERTED.finditer(att):
        if FINITE.search(m["x"]) or m.start() == named:  # "..., said the vaccine shipment had been held": a clause;
            continue  # "Le Premier ministre, Claire Vasseur, a promis une aide": the subject is before the verb
        description, _, name = m["x"].rpartition(",")  # "a indiqué son porte-parole, Yanis Morel"
        found["speakers"].append(name if description else m["x"])
        found["descriptions"] += [(description, name)] if description else []
        found["near"].append(m.group())
    stance_spans = [m.span() for m in (*REL_STANCE.finditer(att), *FAR_FROM.finditer(att))]
    subject = [
        m
        for m in END.finditer(att)
        if len(m["x"].split()) <= 8
        and fold(m["x"]) not in CONJUNCTIONS
        and not any(a <= m.start("x") < b for a, b in stance_spans)
    ] or [m for m in [SUBJECT_FIRST.match(att) or SUBJECT.match(att)] if m and len(m["x"].split()) <= 14]
    if not found["speakers"] and subject:
        m = subject[0]
        x = _speaker_of(m, att, found)
        if stance := STANCE_IN.search(m["x"]):  # "X denied A and said ...": a stance on A too
            speaker = x[: stance.start()] if x == m["x"] else x
            found["also_back"] = (
                next(ROLE_OF[g] for g in ROLE_OF if stance[g]),
                speaker,
                m["x"][stance.end() :].strip(),
            )
            x = speaker
        found["speakers"].append(x)
        found["near"].append(m["x"] + " " + " ".join(att[m.end() :].split()[:5]))
        found["cue_end"] = m.end() if m.re in (SUBJECT, SUBJECT_FIRST) and "," not in att[: m.start("x")] else None
    for m in REL_STANCE.finditer(att):
        role = next((ROLE_OF[g] for g in ROLE_OF if m[g]), None)
        role = role or ("disputed_by" if re.match(r"contest|récus", m["inv"], re.I) else "denied_by")
        if (
            not att[: m.start()].strip() and not found["back"]
        ):  # "Un chiffre que conteste l'USTA, ...": the claim before
            found["back"] = (role, m["x"] or m["y"], "")
        else:
            found["stances"].append((role, m["x"] or m["y"]))
    found["stances"] += [("disputed_by", m["x"]) for m in FAR_FROM.finditer(att)]
    found["stances"] += [(next(ROLE_OF[g] for g in ROLE_OF if m[g]), m["x"]) for m in PASSIVE_STANCE.finditer(att)]
    found["stances"] += [("not_confirmed_by", m["x"]) for m in SANS_QUE.finditer(att)]
    if not (found["speakers"] or found["sources"] or found["stances"] or found["back"]) and (
        m := SUBJECT_STANCE.match(att)
    ):
        x = m["pre"] if m["pre"] and RELATIVE.match(m["x"]) else _speaker_of(m, att, found)
        rest = " ".join(att[m.end() :].split())
        if (
            not re.search(
                r"confirm|vérifi|verif|dément|deni|deny|nie|nié|contest|disput|reject|rejet|récus",
                m[0][m.end("x") :],
                re.I,
            )
            and re.match(r"(?:on|to|about|sur|à|au|aux)\b", rest, re.I)
            and not re.match(rf"(?:on|to|about|sur|à|au|aux)\s+(?:\S+\s+){{0,3}}?{_ABOUT_CLAIM}", rest, re.I)
        ):
            return found  # "X has not commented on calls for an inquiry": no stance on a claim
        found["back"] = (next(ROLE_OF[g] for g in ROLE_OF if m[g]), x, rest)
        found["caveat"] = bool(
            re.search(r"\b(?:could|can|unable|able|pu|mesure)\b.*(?:confirm|vérifi|verif)", m[0][m.end("x") :])
        )  # "could not confirm", "n'a pas pu vérifier"
    return found
