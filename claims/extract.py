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
  stances    not confirmed: ce que X n'a pas confirmé, sans que X ne confirme, X n'a pas souhaité
             commenter, which X has not confirmed, not confirmed by X, X did not respond, X has not
             commented; denied: X a démenti/dément/nie, X denied, denied by X; disputed: ce que
             conteste X, X conteste, a figure/an allegation X disputes/rejected
  notes      n'a pas pu être vérifié de source indépendante, could not be independently verified,
             was unable to verify
  figures    plus de/more than, environ/quelque/about/some/nearly, au moins/at least, jusqu'à/up to,
             moins de/less than, entre X et Y/between X and Y, une dizaine, des milliers/thousands;
             10'000, 10 000, 3,000, 1,2 million and 10.000 (not in English), read by values.read_amount
             by the rules of a figure SPEC; cardinals in words (six cents, vingt et un, twenty-five
             thousand), read by text2num; the measure from a nearby verb or noun (tués -> killed,
             envoyé + soldats -> troops_sent); years, dates, times and ages are not figures
  dates      a weekday next to the attribution ("a rapporté ... samedi") is said_on, counted back
             from publication; other weekdays become notes (a future one leaves said_on empty)

A cue-less sentence that states a number or a date is proposed as the outlet's own claim. A
sentence that only points back ("Moscow denied the report.", "Reuters could not verify it.")
is attached to the previous claim of another party. Actors are matched through folded aliases
(`known_actors`), or through "le dirigeant", "the ministry", a surname or "il" when exactly one
earlier actor fits, and "un média officiel" when exactly one state agency is named.
"""

from __future__ import annotations

import datetime
import re

from text_to_num import text2num
from text_to_num.lang import LANG

from .errors import InvalidValue
from .values import NUMBER_PATTERN_DOT_GROUPS, fold, parse_date, parse_figure, parse_range, plain_number, read_amount

MAX_SENTENCE = 1500  # a longer run without sentence punctuation is not a claim
LOOKBACK = 3  # how many earlier claims a back-pointing sentence may attach to
OWNER_LOOKBACK = 20  # how far back "the charity's figures" may find the charity's claims


def _words(text: str) -> set[str]:
    return set(text.split())


FR_STOP = _words("le la les des un une et est que qui dans pour pas sur au aux du avec ce cette il elle ont été "
                 "selon son ses leur ne se par")
EN_STOP = _words("the an and is are was were that which who in for with not has have been said of to by it its "
                 "from at as this be")
ARTICLES = _words("le la les l un une des the a an")
PRONOUNS = _words("il elle lui he she him")
TITLES = _words("president presidente minister ministre premier prime secretary governor gouverneur mayor maire "
                "general chancellor chancelier spokesman spokeswoman senator king queen prince pope pape dr "
                "colonel commandant capitaine captain lieutenant major me maitre judge juge ambassador ambassadeur "
                "docteur professeur professor")
VAGUE = _words("un une des a an some certains certaines plusieurs several on one deux two sources source "
               "son sa ses leur leurs his her its their")
# words that name nobody on their own: "des sources", "an official", "people" ("des sources sécuritaires" does)
COMPANY = _words("company firm group carmaker automaker manufacturer maker exporter importer operator retailer "
                 "insurer airline employer groupe entreprise societe firme constructeur fabricant direction "
                 "management exportateur operateur enseigne employeur compagnie")  # "the company said"
GENERIC = _words("source sources official officials people person persons personne personnes responsable "
                 "responsables someone quelqu un witness witnesses temoin temoins resident residents")
DETERMINERS = _words("le la les l un une des the a an some certains certaines plusieurs several one two three "
                     "deux trois quatre four")
LEADING_DETERMINERS = re.compile(rf"^(?:(?:{'|'.join(DETERMINERS)})\s+|[ld]['’])+", re.I)
DOCUMENTS = (r"\b(?:records?|data|documents?|figures|statistics|sources?|données|chiffres|statistiques|images|"
             r"vid[eé]os?|results|résultats|registers?|registres?|reports?|rapports?|tallies|statements?|"
             r"communiqués?|bilans?|surveys?|sondages?|estimates|estimations)\b")  # "citing hospital records"
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
MEDIA_CUE = (r"\b(?:agence|agency|news|presse|press|medias?|journal|newspaper|television|tv|radio|chaine|"
             r"broadcaster|diffuseur)\b")
STATE_CUE = r"\b(?:officiel\w*|official|state|d etat|gouvernementa\w*|publique?)\b"
ORG_CUE = (r"\b(?:onu|united nations|nations unies|otan|nato|ong|ngo|croix rouge|red cross|oms|unicef|hcr|unhcr|"
           r"mission|fondation|foundation|association|institut|institute|union|commission|meteo|observat\w+|"
           r"group|charity|society|coalition|collective|collectif|syndicat|federation|confederation)\b")
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
MEASURES = [("c_killed", rf"tue{_E}|mort{_E}|killed|killing|dead|died|deaths?|decede{_E}|deces|peri{_E}"),
            ("c_wounded", rf"blesse{_E}|wounded|wounding|injured|injuring|hurt"), ("c_missing", rf"disparu{_E}|missing"),
            ("c_protesters", rf"manifeste{_E}|defile{_E}|marched|demonstrated|protested|crowd|foule|cortege"),
            ("c_arrested", rf"arrete{_E}|interpelle{_E}|arrested|detained"),
            ("c_displaced", rf"deplace(?:e|s|es)|displaced|fled|fui|homeless|sans abri"),
            ("c_evacuated", rf"evacue{_E}|evacuated|evacuations?"),
            ("a_sent", rf"envoye{_E}|deploye{_E}|sent|deployed|dispatched|depeche{_E}"),
            ("a_launched", rf"lance{_E}|tire{_E}|launched|fired"), ("a_shot_down", rf"abattu{_E}|shot down|downed"),
            ("a_intercepted", rf"intercepte{_E}|intercepted"), ("a_destroyed", rf"detruit{_E}|destroyed"),
            ("a_damaged", rf"endommage{_E}|damaged"), ("a_expected", rf"attendu{_E}|expected")]
MEASURE = re.compile("|".join(rf"\b(?P<{k}>{p})\b" for k, p in MEASURES))
# Measure names that mean the same count, across French and English, the extractor's own name first. A drafted
# measure takes the name the database already uses for its group (`known_measures`), else the group's first.
MEASURE_GROUPS = [group.split() for group in (
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
    "jobs_cut job_cuts layoffs redundancies suppressions_de_postes licenciements")]
MEASURE_GROUP = {name: group for group in MEASURE_GROUPS for name in group}
# Amounts in words that are not cardinals: "une vingtaine" (about 20), "des centaines" (at least 100), "a dozen",
# "tens of thousands". The value is text2num's for the word's base ("vingtaine" -> vingt, "milliers" -> mille,
# "hundreds" -> hundred); "dozen" is the one base text2num does not read.
COLLECTIVE = {
    "fr": r"(?:(?:une?|la|le|des|quelques|plusieurs|de\s+nombreu(?:x|ses)|les)\s+)?(?:[a-zà-ÿ]+aines?|milliers?)"
          r"(?:\s+(?:de|d['’])\s*(?:[a-zà-ÿ]+aines?|milliers?|millions|milliards))?(?![\w-])",
    "en": r"(?:(?:an?|a\s+few|several|some|many|the)\s+)?(?:dozens?|tens|hundreds?|thousands?|millions?|billions?)"
          r"(?:\s+of\s+(?:thousands|millions|billions))?(?![\w-])"}
DOZEN = 12
QUALIFIER = re.compile(
    r"\b(?:(?P<q1>plus de|plus d'|more than|over|upwards of|in excess of|au-delà de|dépasser|dépasse|dépassent|"
    r"exceed\w*|top(?:ped|s)?)|"
    r"(?P<q2>au moins|pas moins de|at least|no fewer than|no less than|au bas mot|at the very least|a minimum of)|"
    r"(?P<q3>jusqu'à|up to|as many as|at most|au plus|(?:pourrai(?:en)?t|pourront|devrai(?:en)?t|could|may|might|"
    r"would|will)\s+(?:atteindre|reach|hit|s'élever à|rise to|climb to))|"
    r"(?P<q4>moins de|moins d'|less than|fewer than|under)|"
    r"(?P<q5>environ|quelque|près de|près d'|presque|autour de|approximativement|about|around|roughly|"
    r"approximately|nearly|almost|some|an estimated|estimated|estimée?s? à|évaluée?s? à|estimated at|"
    r"an estimated(?:\s+[\w-]+){1,3}\s+of|estimé(?:e|s|es)?(?:\s+[\w-]+){0,2}\s+à))\s*[\"“«”»]?\s*$", re.I)
PREFIX = {"q1": ">", "q2": ">=", "q3": "<=", "q4": "<", "q5": "~"}
YEAR_BEFORE = _words("en in depuis since de d of fin debut mid early late until by from to avant apres before after "
                     "entre between et and l")
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
    join = (rf"(?:\s+|-){lang.AND}(?:\s+|-)(?=(?:{joined_by_and})\b)" if joined_by_and
            else rf"(?:{after_multiplier})\s+{lang.AND}\s+")  # "two hundred and fifty"
    more = rf"(?:\s+|-|{join})(?:{word})\b"
    alone = "|".join(sorted(lang.NEVER_IF_ALONE & parts))  # "un", "one": not a figure on their own
    return rf"\b(?!(?:{alone})\b(?!{more}))(?:{first_word})\b(?:{more})*"


NUMBERS = {language: re.compile(rf"{DIGITS}|\b{COLLECTIVE.get(language, '(?:' + '|'.join(COLLECTIVE.values()) + ')')}"
                                + (f"|{_cardinal_pattern(language)}" if language in LANG else ""), re.I)
           for language in ("fr", "en", None)}  # fmt: skip
WORD_RANGE = {language: re.compile(rf"\s+(?:et|and|à|to)\s+(?P<n>{_cardinal_pattern(language)})", re.I)
              for language in ("fr", "en")}  # "entre deux et trois"
UNIT_NOUN = re.compile(r"[\s\"”»]*(?:(?:de|d['’]|of|autres|other|more|additional|nouveaux|nouvelles|new|suspected|"
                       r"confirmed|reported|registered|recorded|possible|probable|suspecté?e?s|confirmé?e?s|présumé?e?s|"
                       r"probables|possibles)\s+)*"
                       r"(?P<cap>[A-ZÀ-Þ][\w-]*\s+)?(?:d['’])?(?P<w>[a-zà-ÿ-]{2,})")
CURRENCIES = {"$": "dollars", "€": "euros", "£": "pounds"}

_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
# a character of an actor phrase: anything but punctuation and quotes, save the dot of "M." or "U.S."
_XP = r"(?:\b(?:M|Mr|Mrs|Ms|Dr|Mme|Gen|Col|Sen|Gov|St)\.\s|\.(?=\w)|[^,;.!?«»“”\"])"
_X = rf"(?P<x>{_XP}{{2,140}}?)"
# Cues are read on a copy of the sentence with its quoted words masked and its apostrophes made straight (’ -> ').
_FR_PP = (r"affirmé|déclaré|rapporté|annoncé|indiqué|estimé|assuré|précisé|ajouté|souligné|expliqué|"
          r"confirmé|dit|fait savoir|averti|prévenu|promis|revendiqué|reconnu|accusé|raconté|signalé|écrit|"
          r"avancé|compté|recensé|relevé|évoqué|dénoncé|lancé|confié|détaillé|déploré|martelé|insisté|rappelé|"
          r"observé|constaté|admis|jugé|répété|assuré|fait état|dressé|chiffré|évalué|publié")
_FR_PRES = (r"affirment|affirme|déclarent|déclare|rapportent|rapporte|annoncent|annonce|estiment|estime|assurent|"
            r"assure|indiquent|indique|précisent|précise|soulignent|souligne|ajoutent|ajoute|disent|dit|promettent|"
            r"promet|accusent|accuse|avancent|avance|dénoncent|dénonce|jugent|juge|expliquent|explique")
_FR_NOUN_OBJECT = (r"évoquent|évoque|font état|fait état|recensent|recense|revendiquent|revendique|avancent|"
                   r"avance")  # + a noun: "La direction avance un taux de 28 %"
_FR_ADVERB = (r"(?:\s+(?:pour sa part|pour leur part|de son côté|de leur côté|quant à (?:lui|elle|eux)|également|"
              r"aussi|toutefois|cependant|néanmoins|encore|notamment))?")
_FR_AUX = (r"(?:a|ont|avait|avaient|aurait|auraient)(?:\s+(?:également|aussi|encore|déjà|par ailleurs|en outre|"
           r"pour sa part|de son côté|de leur côté|quant à (?:lui|elle|eux)|toutefois|cependant|enfin|ensuite|"
           r"lui-même|elle-même|notamment))?\s+")
_EN = (r"said|says|claimed|reported|told|announced|stated|added|estimated|alleged|wrote|posted|pledged|promised|"
       r"vowed|confirmed|warned|insisted|noted|acknowledged|accused|asserted|maintained|explained|credited|"
       r"recorded|counted|tallied|reckoned|predicted|projected|forecast|calculated|argued|admitted|"
       r"put\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:toll|crowd|number|figure|count|turnout|losses|"
       r"cost|damage|total|size|death toll)\s+at")
_INFINITIVE = r"(?:avoir|être|n'avoir|n'être|s'être|ne pas|[a-zà-ÿ]+(?:er|ir|re))\b"
_SPEECH = (rf"(?<!\bnot\s)(?<!\bpas\s)(?<!n't\s)(?<!never\s)(?<!jamais\s)(?:(?:(?:en|y|lui|leur)\s+)?{_FR_AUX}(?:{_FR_PP})|"
           rf"(?:{_FR_PRES}){_FR_ADVERB}(?=\s+qu|\s*:|\s+{_INFINITIVE})|"
           rf"(?:{_FR_NOUN_OBJECT}){_FR_ADVERB}(?=\s+(?:de|d'|des|du|un|une|le|la|les|quelques|plusieurs|près|"
           rf"environ|au|plus|moins|entre|\d)\b)|"
           rf"s'est\s+engagée?|se\s+sont\s+engagée?s|s'engage|"
           rf"(?:(?:has|have|had|also|later|previously|earlier|separately)\s+){{0,2}}(?:{_EN}))\b")
# Stances. nc: has not confirmed; de: denied; di: disputed. "X could not confirm" names who has not; a caveat
# without anyone ("could not be independently verified") is VERIFY, a note.
_FR_NOT = r"n'(?:a|ont|avait|avaient|est|sont|était|étaient)\s+pas\s+(?:encore\s+|immédiatement\s+)?"
_STANCE = (rf"(?P<nc>{_FR_NOT}(?:(?:pu|été en mesure de|en mesure de|souhaité|voulu)\s+)?"
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
           r"(?:has |have )?rejected|rejects|a rejeté|ont rejeté|rejette|rejettent|a récusé|récuse)")
ROLE_OF = {"nc": "not_confirmed_by", "de": "denied_by", "di": "disputed_by"}
STANCE_IN = re.compile(rf"\b(?:{_STANCE})\b")
CONJUNCTIONS = _words("et and mais but puis then ou or")
# the start of an actor phrase after an inverted verb: a capital, a determiner or a title ("said Marta Ilescu",
# "a indiqué la préfecture"), not the start of a clause ("said about 400 troops had ...", "affirme avoir tué")
_ACTOR_START = (r"(?=[A-ZÀ-Þ]|(?:le|la|les|l'|un|une|des|du|son|sa|ses|leur|leurs|ce|cette|the|a|an|his|her|its|"
                r"their|one|two|three|deux|trois|plusieurs|several|senior|local|state|officials?)\b)")
SELON = re.compile(rf"(?:\b[Ss]elon|\b[Dd]'après|\b[Aa]ccording to)\s+(?P<x>{_XP}{{2,140}})")
CITING = re.compile(rf",?\s*\b(?:[Cc]itant|[Cc]iting|[Qq]uoting)\s+(?P<x>{_XP}{{2,120}}),?")
_DAYS = "|".join(WEEKDAYS)
# what may come between an inverted verb and its actor: "a déclaré à l'APL", "a annoncé mercredi soir", "said on Monday"
_PLACE = (rf"(?:\s+(?:(?:on\s+)?(?:{_DAYS}|hier|aujourd'hui|yesterday|today)(?:\s+(?:soir|matin|midi|night|morning|"
          rf"evening))?|(?:à|au|aux|devant|sur|to|at|in)\s+(?:l'|la\s+|le\s+|les\s+)?[\wÀ-ÿ'-]+)){{0,2}}")
_FR_PRES_INVERTED = (r"affirment|affirme|déclarent|déclare|estiment|estime|assurent|assure|indiquent|indique|"
                     r"précisent|précise|soulignent|souligne|ajoutent|ajoute|disent|dit|expliquent|explique|"
                     r"racontent|raconte|dénoncent|dénonce|avancent|avance|jugent|juge")  # "«...», estime X"
INVERTED = re.compile(rf",\s*(?:{_FR_AUX}(?:{_FR_PP})|(?:{_FR_PRES_INVERTED})|said|says|added|wrote|told\s+\w+|"
                      rf"explained|insisted|warned){_PLACE}\s+(?!que\b|qu'|that\b){_ACTOR_START}"
                      rf"(?P<x>{_XP}{{2,120}}(?:,\s*{_NAME}(?:\s+{_NAME})+)?)(?=\s*(?:[,.;:!?)]|$))")
INVERTED_PRONOUN = re.compile(rf",\s*(?:(?:a|ont)-t-(?P<x>il|elle|ils|elles)\s+(?:{_FR_PP})|"
                              rf"(?:{_FR_PRES})-(?:t-)?(?P<y>il|elle|ils|elles))\b")
END = re.compile(rf",\s*{_X}(?:,\s*(?P<name>{_NAME}(?:\s+{_NAME})+)\s*,)?\s+{_SPEECH}")
SUBJECT = re.compile(rf"^(?:(?P<pre>[^,]{{0,80}}),\s*)?{_X},?\s+{_SPEECH}")
SUBJECT_FIRST = re.compile(rf"^{_X}\s+{_SPEECH}")  # "The mayor said ..., but added": not "... Friday, but added"
_CLAIM_NOUN = (r"(?:une?\s+(?:chiffre|bilan|version|information|affirmation|accusation|estimation|analyse|thèse|"
               r"allégation)\s+(?:que\s+|qu')?|\ban?\s+(?:figure|claim|number|toll|report|version|account|allegation|"
               r"accusation|assertion|view|estimate|assessment|charge|count|analysis)\s(?:that\s)?)")
REL_STANCE = re.compile(
    rf"(?:\bce qu(?:e\s|')|\bwhich\s|\b{_CLAIM_NOUN})"
    rf"\s*(?:{_X}\s+(?:{_STANCE})\b|"
    rf"(?P<inv>conteste|contestent|dément|démentent|nie|nient|récuse|récusent)\s+(?P<y>{_XP}{{2,80}}))", re.I)
# "a figure opposition activists said was far higher", "un chiffre que l'opposition juge largement sous-estimé"
FAR_FROM = re.compile(
    rf"\b(?:an?|the|un|une|le|la)\s+(?:figure|number|toll|estimate|count|chiffre|bilan|estimation)\s+"
    rf"(?:that\s+|que\s+|qu')?{_X}\s+(?:said|says|say|claimed|claims|called|believes?|juge|jugent|estime|estiment|"
    rf"dit|disent|a jugé|ont jugé|a qualifié|ont qualifié)\s+(?:was\s+|is\s+|were\s+|to be\s+|de\s+)?"
    rf"(?:far\s+|much\s+|significantly\s+|largement\s+|très\s+|bien\s+)?(?:higher|lower|inflated|exaggerated|"
    rf"understated|wrong|false|too\s+(?:high|low)|sous-estimée?|surestimée?|exagérée?|gonflée?|fantaisiste|faux|"
    rf"fausse|inférieure?|supérieure?)")
PASSIVE_STANCE = re.compile(rf"(?:(?P<nc>non confirmée?s?|not confirmed)|(?P<de>démentie?s?|denied)|"
                            rf"(?P<di>contestée?s?|disputed|rejected))\s+(?:par|by)\s+(?P<x>{_XP}{{2,80}})")
SANS_QUE = re.compile(rf"\bsans que\s+{_X}\s+(?:ne\s+)?(?:l'|les\s+)?(?:ait|aient|puisse|puissent)?\s*"
                      rf"(?:pu\s+)?confirm")
SUBJECT_STANCE = re.compile(rf"^(?:(?P<pre>[^,]{{0,80}}),\s*)?{_X},?\s+(?:{_STANCE})\b")
RELATIVE = re.compile(r"^(?:which|who|whose|qui|que|dont|lequel|laquelle)\b", re.I)  # "X, which ..., said"
VERIFY = re.compile(r"pas pu être (?:vérifiée?s?|confirmée?s?)|(?:could|can)\s*not be (?:independently |"
                    r"immediately )?(?:verified|confirmed)|not (?:been )?independently (?:verified|confirmed)|"
                    r"impossible de (?:les? |la )?vérifier|not possible to (?:independently )?(?:verify|confirm)|"
                    r"(?:n'|ne )(?:ont|a|sont|est) pas été (?:vérifiée?s?|confirmée?s?) (?:de (?:source|manière|"
                    r"façon) indépendante|indépendamment)", re.I)
# an outlet's caveat that names the outlet: "Meridian Press could not independently confirm", "L'APL n'a pas pu
# confirmer", "Reuters was unable to verify": not_confirmed_by the outlet
QUOTE = re.compile(r"«[^«»]{1,1500}»|“[^“”]{1,1500}”|\"[^\"]{1,1500}\"")
# "PORT LAVAL, Nov 24 (Meridian Press) -", "Brenne (Valdor), 12 mars 2025 (AFP) -", "VESSANE (ATV) -"
DATELINE = re.compile(r"^(?:[^()\n]{0,60}|[^()\n]{0,40}\([^()\n]{0,30}\)[^()\n]{0,40})"
                      r"\((?P<o>[A-ZÀ-Þ][^()\n.!?;:]{0,40})\)\s*[-–—]+\s*")
BYLINE = re.compile(r"^(?:by|par|de notre (?:envoyée?|correspondante?))\s", re.I)
FUTURE = re.compile(r"\b(?:will|would|shall|next|prochaine?|doit|doivent|devrait|devraient|va|vont|d'ici|sera|"
                    r"seront|serait|seraient|aura|auront|aurait|auraient|(?!caméra|opéra)[a-zà-ÿ]{2,}"
                    r"(?:era|ira|eront|iront|erait|irait|eraient|iraient))\b")
TAIL = re.compile(r"\s+(?:dans|lors|devant|pendant|durant|après|avant|sur|via|in|on|at|during|after|before|while|to|"
                  r"à|joint|reached|cité|quoted|hier|yesterday|today|aujourd'hui|overnight|tonight|cette semaine|"
                  r"this week|la semaine|last week|" + "|".join(WEEKDAYS) + r")\b.*$", re.I)
LEADING_DAY = re.compile(r"^(?:" + "|".join(WEEKDAYS) + r"|hier|yesterday|today|aujourd'hui)\s+", re.I)
REPORT_PREFIX = re.compile(
    r"^(?:(?:un|une|le|la|les|des|the|a|an)\s+)?(?:(?:nouveau|nouvel|new|latest|dernier)\s+)?(?:bilan|rapport|"
    r"communiqué|décompte|chiffres?|estimations?|déclaration|statement|report|figures?|estimates?|data|toll|tally|"
    r"résultats?|results?|comptage|count)"
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


def _outlet_like(line: str) -> bool:
    """Whether a header line could be an outlet's name: a few capitalised words ("Meridian Press", "ATV")."""
    words = line.split()
    return 1 <= len(words) <= 4 and not re.search(r"[\d.,;:!?«»“”\"]", line) and not BYLINE.match(line) and all(
        re.fullmatch(r"[A-ZÀ-Þ][\w'’&-]*", w) or fold(w) in _words("de du des of the la le l") for w in words)


def _abbreviates(short: str, name: str) -> bool:
    """Whether `short` is `name` or its initials: CNS for Coastline News Service, AFP for Agence France-Presse."""
    initials = "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w[0].isupper())
    return fold(short) == fold(name) or (len(short) >= 2 and short.upper() == initials.upper() == short)


def _split_article(text: str) -> tuple[dict, str]:
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
        body = body[match.end():]
    elif named and not meta["outlet"]:
        meta["outlet"] = named
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
        for m in re.finditer(r"[.!?…]+[»”\"’)]*\s+(?=[«“\"(]?\s?[A-ZÀ-ÖØ-Þ0-9])", para):
            before = para[start:m.end()].rstrip()
            last = before.rstrip("»”\"’)").rsplit(None, 1)[-1] if before.strip() else ""
            depth = (before.count("«") - before.count("»") + before.count("“") - before.count("”")
                     + before.count('"') % 2)  # quotes still open
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
    return (2 <= len(words) <= 4 and all(re.fullmatch(r"[A-ZÀ-ÖØ-Þ][a-zà-ÿ-]+", w) for w in words)
            and fold(words[0]) not in STOPWORDS | set(WEEKDAYS) | set(MONTHS) | _words("selon according ce au")
            and not any(re.search(pattern, fold(name)) for _, pattern in KIND_CUES))


def _stem(word: str) -> str:
    """A folded word's first five letters: enough for "ministère"/"ministry", "anonymat"/"anonyme"."""
    return word[:5]


class _Context:
    """What the article has named so far: actors, persons, descriptors, dates and claims."""

    def __init__(self, known: dict[str, str], outlet: str | None, published: str | None, body: str,
                 kinds: dict[str, str] | None = None):
        self.known = {**known, **{fold(v): v for v in known.values()}}
        self.kinds, self.mentions = kinds or {}, []
        self.new: dict[str, dict] = {}
        self.published, self.claims, self.seen, self.last_by = published, [], set(), {}
        self.descriptors: dict[str, set[str]] = {}
        self.persons, self.state_agencies, self.prev_persons = set(), set(), set()
        self.name_parts: dict[str, set[str]] = {}  # first or last name -> persons
        self.prev_date, self.by_reference, self.prev_quote = None, None, None
        kind = "state-media" if fold(outlet or "") in STATE_AGENCIES else "media"
        self.outlet = self.use(outlet, kind) if outlet else None
        self.body_stems = {_stem(w) for w in fold(body[:200000]).split()}
        for m in re.finditer(rf"((?:[a-zà-ÿ'’-]+\s+){{0,4}})((?:{_NAME}\s*){{1,4}})", body[:200000]):
            run, desc = m[2].strip(), m[1]
            words = run.split()
            cut = max((i + 1 for i, w in enumerate(words[:-1]) if fold(w) in TITLES), default=0)
            if cut and fold(run) not in self.known:  # "Economy Minister Aurel Stance": the title describes
                run, desc = " ".join(words[cut:]), desc + " ".join(words[:cut])
            desc = fold(desc)
            name = self.known.get(fold(run), run)
            state = fold(run) in STATE_AGENCIES or bool(re.search(MEDIA_CUE, desc) and re.search(STATE_CUE, desc))
            person = _person_like(name) and not re.search(ORG_CUE, desc)
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
        for run in re.findall(rf"{_NAME}(?:\s+{_NAME})*", sentence):
            words = fold(run).split()
            for n in range(len(words)):
                if " ".join(words[n:]) in self.known:
                    self.mentions.append(self.known[" ".join(words[n:])])
                    break

    def describe_as(self, description: str, name: str) -> None:
        """Remember that `description` ("le procureur chargé de l'enquête") was said of `name` (Bastien Roux)."""
        self._describe(re.split(r"\b(?:de|du|des|of|chargée?|in charge)\b", description)[0], name,
                       person=_person_like(name))

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
        text = re.sub(r"^(?i:analysts?|experts?|economists?|researchers?|scientists?|strategists?|analystes?|"
                      r"économistes?|chercheurs?|spécialistes?)\s+(?:at|of|from|with|chez|de|du|d')\s*(?=[A-ZÀ-Þ])",
                      "", text)  # "Analysts at Brenvik Capital": the firm
        if unnamed := ANONYMITY.search(text):  # "un officier sous couvert d'anonymat": an officer
            text = text[:unnamed.start()].strip()
            notes.append("Speaks on condition of anonymity.")
        text = re.sub(r"\s+(?:led|headed|chaired|run|founded|dirigée?|présidée?|conduite?|menée?)\s+(?:by|par)\b.*$",
                      "", text)  # "A mission led by former judge X": the mission
        text = TAIL.sub("", REPORT_PREFIX.sub("", re.sub(LEADING_DAY, "", text))).strip(" ,;:")
        acronym = re.search(r"\s*\((?P<a>[A-ZÀ-Þ][\w&.-]{1,11})\)$", text)  # "Front pour la libération (FLO)"
        if acronym:
            text = text[:acronym.start()]
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
        if found is None and (part := re.match(r"(?:one|some|two|several|many|l'une?|une?|certaine?s|plusieurs|"
                                                r"deux)\s+(?:of|d'|des|de)\s+(?:(?:the|these|those|ces|les|ses|his|"
                                                r"her|its|their)\s+)?(?P<x>.+)$", text, re.I)):
            found = self._one_of(text, part["x"], notes)  # "One of the sources": the sources named before
        if found is not None:
            return found
        bare = LEADING_DETERMINERS.sub("", text)  # "des sources sécuritaires": Sources sécuritaires
        content = [w for w in fold(bare).split() if w not in STOPWORDS]
        if not content or set(content) <= GENERIC or fold(core) in VAGUE or (
                fold(text).split()[0] in VAGUE - DETERMINERS):
            notes.append(f"Attributed to '{text}' (no actor matched).")
            return []
        name = self.use(bare[0].upper() + bare[1:], _kind(text))
        if acronym and fold(name) in self.new:
            self.new[fold(name)].setdefault("aliases", [acronym["a"]])
        return [name]

    def _one_of(self, text: str, group: str, notes: list[str]) -> list[str] | None:
        """The party a phrase like "one of the sources" belongs to: the latest asserter named by those words, or,
        for words that name nobody ("sources", "officials"), the latest unnamed group ("People familiar with ...")."""
        stems = {_stem(w) for w in fold(group).split() if w not in STOPWORDS}
        generic = set(fold(group).split()) <= GENERIC
        for claim in reversed(self.claims):
            for name in claim["asserted_by"]:
                words = set(fold(name).split())
                if stems & {_stem(w) for w in words} or generic and words & GENERIC:
                    notes.append(f"'{text}' read as {name}.")
                    return [name]
        return None

    def _known_by_words(self, text: str, notes: list[str], anonymous: bool) -> list[str] | None:
        """The one known actor a description fits by its words (stemmed, so that "ministère"/"ministry" and
        "anonymat"/"anonyme" agree): one whose name the description holds ("des habitants de villages de la vallée
        du Brassel": Habitants de la vallée du Brassel), or whose name holds the description and whose other words
        the article uses ("the health ministry" in an article on Brisca: Brisca health ministry)."""
        stems = {_stem(w) for w in fold(text).split() if w not in STOPWORDS | DETERMINERS}
        stems |= {"anony"} if anonymous else set()
        if not stems or stems <= {_stem(w) for w in GENERIC}:
            return None
        holds, held = set(), set()
        for key, name in self.known.items():
            words = {_stem(w) for w in key.split() if w not in STOPWORDS | DETERMINERS}
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
        if fold(text) in PRONOUNS:
            return self._refer(text, self.prev_persons, notes)
        if fold(text) in self.known or key in self.known or key in self.new:
            return [self.use(core, _kind(core))]
        for n in range(1, len(words)):  # a known name after a descriptor: "l'agence officielle KCNA"
            if " ".join(words[n:]) in self.known and words[n - 1] not in _words("de du des d of s"):
                return [self.known[" ".join(words[n:])]]
        tail = re.search(rf"(?:^|\s)((?:{_NAME}\s*)+)$", text)  # descriptor + name: "regional governor Elena Marsh"
        run = tail[1].split() if tail else []
        cut = max((i + 1 for i, w in enumerate(run[:-1]) if fold(w) in TITLES), default=0)  # "Health Minister X"
        head = (text[:tail.start(1)] + " ".join(run[:cut])).strip() if tail else ""
        if head and fold(head) not in ARTICLES and not re.search(
                r"(?:\b(?:de|du|des|of)(?:\s+(?:la|le|les|l['’]|the))?|['’]s?)$", head, re.I):
            name, head_kind = " ".join(run[cut:]), next((k for k, p in KIND_CUES if re.search(p, fold(head))), None)
            person = bool(cut) or _person_like(name) and head_kind in (None, "government", "military")
            kind = "person" if person else _kind(head) if head_kind else _kind(name)
            self._describe(head, name, person=kind == "person")
            return [self.use(name, kind)]
        if re.search(MEDIA_CUE, key) and re.search(STATE_CUE, key) and not re.search(_NAME, core[1:]):
            return self._refer(text, self.state_agencies, notes)  # "un média officiel"
        if words[0] in _words("le la l the") and len(key.split()) <= 2 and not re.search(_NAME, core):
            matches = set().union(*(self.descriptors.get(w, set()) for w in key.split()))
            matches |= {n for n in self.seen if set(key.split()) & set(fold(n).split())}
            if len(matches) > 1:
                matches = matches & self.seen or matches
            if matches:  # "le dirigeant", "the ministry"
                return self._refer(text, matches, notes)
            if set(key.split()) & COMPANY and (firms := [n for n in reversed(self.mentions)
                                                         if self.kind_of(n) == "organisation"]):
                return self._refer(text, {firms[0]}, notes)  # "the company", "la direction": the firm named last
        if re.fullmatch(_NAME, text) and key in self.name_parts:  # a surname or first name: "Kim", "Marsh"
            return self._refer(text, self.name_parts[key], notes)
        return None

    def _split(self, core: str, notes: list[str]) -> list[str] | None:
        """Several actors: "services secrets de A et de B", "South Korean and Western intelligence", "A, B et C"."""
        if m := re.match(r"^(.+?)\s+(de|du|des|of)\s+(.+?)\s+(?:et|and)\s+(?:de|du|des|d['’]|of)\s*(.+)$", core):
            return self.resolve(f"{m[1]} {m[2]} {m[3]}", notes) + self.resolve(f"{m[1]} de {m[4]}", notes)
        if m := re.match(rf"^((?:{_NAME}\s+)+)(?:and|et)\s+({_NAME})\s+([a-zà-ÿ][\w\s-]*)$", core):
            return self.resolve(f"{m[1].strip()} {m[3]}", notes) + self.resolve(f"{m[2]} {m[3]}", notes)
        parts = re.split(r",\s*|\s+(?:et|and)\s+", core)
        if len(parts) > 1 and all(re.match(_NAME, p) for p in parts):
            return [n for p in parts for n in self.resolve(p, notes)]
        return None

    def _refer(self, text: str, candidates: set[str], notes: list[str]) -> list[str]:
        if len(candidates) != 1:
            notes.append(f"Attributed to '{text}' (no single actor matched).")
            return []
        name = next(iter(candidates))
        self.by_reference = "pronoun" if fold(text) in PRONOUNS else "other"
        notes.append(f"'{text}' read as {name}.")
        return [self.use(name, _kind(name))]


def known_measure(measure: str, known: list[str] | None) -> tuple[str, str | None]:
    """The measure name a drafted figure takes, and a note when it is not one the database has (`known`, most used
    first; None when there is no database): the same name; else the known name of its group in MEASURE_GROUPS
    (bodies, morts, dead -> killed); else the one known name that starts with it (jobs -> jobs_cut); else its
    group's first name, proposed as new."""
    group = MEASURE_GROUP.get(measure, [measure])
    if known is None:
        return group[0], None
    if measure in known:
        return measure, None
    if same := [k for k in known if k in group]:
        return same[0], None
    if len(longer := [k for k in known if k.startswith(measure + "_")]) == 1:
        return longer[0], f"Measure '{measure}' read as '{longer[0]}', the database's name."
    return group[0], f"New measure name proposed: '{group[0]}'."


def figures_in(text: str, language: str = "fr", notes: list[str] | None = None, like: list[str] = (),
               known_measures: list[str] | None = None) -> list[str]:
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
    token, before, after = m.group(), text[max(0, m.start() - 60):m.start()], text[m.end():m.end() + 120]
    prev_word = fold((re.findall(r"[\w'’]+", before) or [""])[-1])
    next_word = fold((re.findall(r"[\w'’]+", after) or [""])[0])
    year = re.fullmatch(r"(?:19|20)\d\d", token) and (
        prev_word in YEAR_BEFORE or next_word in STOPWORDS or not next_word)
    determined = prev_word in _words("the les ces these those both their leurs ses its his")  # "the two countries"
    collective = _collective(token, language) if token[0].isalpha() else None
    qualifier = QUALIFIER.search(before)
    word_at_end = token[0].isalpha() and not collective and not re.match(r"\s*[\"”»]?\s*[a-zà-ÿ]", after)
    if year or determined and not collective or MONTHS.keys() & {prev_word, next_word} or re.match(
            r"\s*(?:h\d|:)", after) or word_at_end and not qualifier or _places(after):  # "injuring at least six"
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
        rest = m.end() + len(re.match(r"[\d\s.,'’_]*", text[m.end():m.end() + 60]).group())
        return None, before, after, rest, None
    if token[0].isalpha() and not collective and (high := _word_range(text, m, before, language)):
        return f"{plain_number(low)}-{plain_number(high[0])}", before, text[high[1]:high[1] + 120], high[1], None
    after = after[end - m.end():]
    rng = re.match(rf"\s*(?:(?P<dash>[-–])|et|and|à|to)\s*(?P<n>{DIGITS})", after)
    if rng and token[0].isdigit() and (rng["dash"] or re.search(r"\b(?:entre|between|de|from)\s+$", before, re.I)):
        start = end + rng.start("n")
        try:
            high_end = read_amount(text, start, dot_groups=dot_groups)[1]
            low, high = parse_range(text[m.start():end], text[start:high_end], dot_groups=dot_groups)
        except InvalidValue:  # a range that goes down
            return None
        return f"{plain_number(low)}-{plain_number(high)}", before, after[high_end - end:], high_end, None
    if qualifier:  # "plus d'une centaine": more than 100
        prefix = PREFIX[qualifier.lastgroup]
    elif prefix:
        note = f"'{token}' read as {'about' if prefix == '~' else 'at least'} {low}."
    return f"{prefix or ''}{plain_number(low)}", before, after, end, note


_COLLECTIVE_LEADS = _words("un une la le des quelques plusieurs de nombreux nombreuses les a an few several some "
                           "many the")
_SEVERAL = _words("few several some many quelques plusieurs nombreux nombreuses des")
_ONE = _words("un une la le a an")
_MULTIPLIERS = _words("hundred thousand million billion")


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
    if not values or None in values or parts == ["the"] + heads and len(heads) == 1:
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
    return bool(re.match(r"\s*(?:km|kilom[eè]tres?|kilometers?|kilometres?|miles?|m|mètres?|metres?)\s+(?:au\s+)?"
                         r"(?:north|south|east|west|nord|sud|est|ouest|from|away|de|du|d'|of|off|outside|inland)\b",
                         after, re.I))


def _cardinal(words: str, language: str) -> int:
    """The number a cardinal in words names, read by text2num; raise InvalidValue for "un" alone or a non-number."""
    words = " ".join(words.lower().split())
    if words in LANG[language].NEVER_IF_ALONE:
        raise InvalidValue(f"{words!r} alone is not read as a number")
    try:
        return text2num(re.sub(r"\s+and\s+", " ", words) if language == "en" else words, language)
    except ValueError:
        raise InvalidValue(f"{words!r} is not a number") from None


_NOT_PLURAL = _words("was has is does this its his hers yes thus plus less unless across")


def _unit_and_measure(before: str, after: str, unit: str | None) -> tuple[str | None, str | None, str | None]:
    """The unit shown with an amount, the unit later amounts inherit, and the measure ("killed", "troops_sent")."""
    part_of = re.match(rf"\s*(?:of|sur)\s+(?:the\s+|les\s+)?{DIGITS}", after)  # "45 of 60 drones"
    noun = UNIT_NOUN.match(after[part_of.end():] if part_of else after)
    word = "%" if re.match(r"\s*(?:%|pour ?cent|per ?cent)", after) else fold(noun["w"]) if noun else ""
    if word in TIME_UNITS:
        return None, unit, None
    casualty = MEASURE.fullmatch(word)
    casualty = casualty.lastgroup[2:] if casualty and casualty.lastgroup.startswith("c_") else None
    verb = word.endswith(("ait", "aient", "ed", "era", "ira", "ront")) or word in ("fui", "sont", "ont") or bool(
        FINITE.fullmatch(word))  # "nearly 20,000 had left": no unit
    regular = word and not casualty and word not in STOPWORDS and not verb
    shown_word = noun["w"] if noun and word != "%" else word  # as written: "grévistes", not "grevistes"
    compound = re.match(r"\s+([a-z-]{2,}s)\b", after[noun.end():]) if noun and regular and not word.endswith("s") else None
    if compound and compound[1] not in _NOT_PLURAL:
        shown_word += compound.group()  # "ballot boxes", "polling stations"
    own = UNITS.get(word, shown_word) if regular else noun["cap"].strip() if noun and noun["cap"] else None
    own = CURRENCIES.get(before.rstrip()[-1:]) or own
    aside = re.search(r"\b(?:including|dont|among them|parmi lesquels|notamment)\s+(?:\S+\s+){0,2}$", before, re.I)
    shown, inherited = own or unit, unit if aside or own == "%" else own or unit
    after_verbs = "" if part_of else re.split(r"[,;.]|\s(?:et|and|mais|but)\s", after[noun.end() if noun else 0:])[0]
    before_verbs = re.split(r"[;.:]|\b(?:que|qu'|that)\b", before)[-1]
    named = re.search(r"\b([a-zà-ÿ]{4,})\s+(?:de|d['’]|of)\s*$", before)  # "une magnitude de 6,8"
    measure = (casualty or _measure(fold(after_verbs), shown, first=True)
               or _measure(fold(before_verbs), shown, first=False)
               or {"%": "percent"}.get(shown) or re.sub(r"\W+", "_", fold(shown or "")).strip("_")
               or (fold(named[1]) if named and fold(named[1]) not in STOPWORDS and not QUALIFIER.search(before)
                   else None))
    return shown, inherited, measure


def _measure(window: str, unit: str | None, first: bool) -> str | None:
    """The measure the first (or last) verb in `window` names: killed, wounded..., or UNIT_sent, UNIT_launched..."""
    hits = [h.lastgroup for h in MEASURE.finditer(window)]
    if not hits:
        return None
    kind, _, key = hits[0 if first else -1].partition("_")
    subject = "troops" if unit in ("soldiers", "troops") else re.sub(r"\W+", "_", fold(unit or "")).strip("_")
    return key if kind == "c" or not subject else f"{subject}_{key}"


_STRAIGHT = str.maketrans({"’": "'", "‘": "'"})
_DETERMINER = _words("le la les l un une des du son sa ses leur leurs ce cet cette the a an his her its their "
                     "one two three deux trois plusieurs several")
_NAMED = re.compile(rf"^(?:(?:the|le|la|les|l')\s*)?{_NAME}(?:\s+(?:{_NAME}|de|du|des|d'|of|the|la|l'|pour|for)\s*)*$")
_APPOSED_NAME = re.compile(rf"\s*,\s*(?P<n>(?:(?:le|la|l')\s*)?(?:[a-zé]+\s+)?{_NAME}(?:\s+{_NAME})+)\s*,")
_SINGULAR = re.compile(r"^(?:that|this|the|le|la|l'|ce|cet|cette)\s*(?:figure|claim|report|number|toll|account|"
                       r"allegation|accusation|statement|estimate|assertion|version|chiffre|bilan|information|"
                       r"affirmation|accusation|déclaration|estimation|allégation)\b|^(?:que|qu'|that)\b", re.I)
_PLURAL = re.compile(r"^(?:either|both|all|these|those|ces|les|leurs|their|ses|its\s+[\w-]+s|the\s+[\w-]+s)\b",
                     re.I)
_OWNER = re.compile(r"^(?P<o>(?:the\s+)?[\w -]{2,60}?)(?:'s|s')\s+\w|^(?:le|la|les|ce|ces|l')\s*(?:chiffres?|bilans?|"
                    r"affirmations?|informations?|accusations?|estimations?|propos|déclarations?|allégations?)\s+"
                    r"(?:de\s+(?:l'|la\s+|le\s+)?|du\s+|des\s+|d')(?P<p>.+)", re.I)
_PLUPERFECT = re.compile(r"\b(?:avait|avaient|had)\s+(?:déjà\s+|already\s+|été\s+|been\s+)?[\wÀ-ÿ]+(?:é|ée|és|ées|"
                         r"i|is|u|us|ed|en|t)\b", re.I)


# what "X has not commented on / did not respond to ..." must be about to be a stance on the claim before
_ABOUT_CLAIM = (r"(?:figures?|claims?|reports?|allegations?|accusations?|tolls?|accounts?|statements?|requests?|"
                r"questions?|estimates?|numbers?|results|it|them|this|that|chiffres?|bilans?|informations?|"
                r"affirmations?|propos|déclarations?|sollicitations?|demandes?|allégations?|estimations?|résultats|"
                r"cela|ça)\b")
FINITE = re.compile(r"\b(?:had|has|have|was|were|is|are|will|would|could|can|may|might|should|must|did|does|"
                    r"est|sont|était|étaient|avait|avaient|ont|sera|seront|serait|seraient|pourrait|pourraient|"
                    r"doit|doivent)\b", re.I)
ANONYMITY = re.compile(r"\s*,?\s*(?:sous couvert d'anonymat|sous le couvert de l'anonymat|(?:speaking )?on condition "
                       r"of anonymity|who (?:asked|declined) not to be named|qui a requis l'anonymat)\b.*$", re.I)
ANONYMOUS = re.compile(r"anonymat|anonymity|anonymous|anonyme|not to be named|declined to be named|"
                       r"(?:sans|without) (?:être|being) (?:nommée?|named|identifiée?|identified)|requis l'anonymat",
                       re.I)


def _mask_quotes(sentence: str) -> str:
    """Quoted words replaced by Q (same length) and apostrophes made straight, so that words inside quotes are not
    read as cues and one pattern reads "n'a" and "n’a"."""
    masked = QUOTE.sub(lambda q: q.group()[0] + "Q" * (len(q.group()) - 2) + q.group()[-1], sentence)
    return masked.translate(_STRAIGHT)


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
        if not apposition and not FINITE.search(segment) or n == len(segments) - 1:
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
        clause = x[:1].islower() and first not in _DETERMINER  # "speaking on condition of anonymity"
        description = first in _DETERMINER and not _NAMED.match(x.strip())
        if clause or (description and _NAMED.match(pre)):
            found["descriptions"] += [(x, pre)] if description else []
            return pre
        if _NAMED.match(x.strip()) and not _NAMED.match(pre) and fold(pre).split()[:1] != ["dans"]:
            found["descriptions"].append((pre, x))
    return x


def _cues(att: str) -> dict:
    """Actor phrases per cue type in a masked sentence, stances on this claim and on earlier ones ("back"), and the
    words near the attribution (for its date)."""
    found = {"cited": [m["x"] for m in CITING.finditer(att)], "sources": [], "speakers": [], "stances": [],
             "near": [], "back": None, "also_back": None, "cue_end": None, "descriptions": [], "caveat": False}
    att = CITING.sub(lambda m: " " * len(m.group()), att)
    for m in SELON.finditer(att):
        apposed = _APPOSED_NAME.match(att, m.end("x"))  # "Selon le procureur, Bastien Roux, le réseau..."
        found["sources"].append(apposed["n"] if apposed else m["x"])
        found["descriptions"] += [(m["x"], apposed["n"])] if apposed else []
        found["near"].append(m["x"])
    found["speakers"] += [m["x"] or m["y"] for m in INVERTED_PRONOUN.finditer(att)]
    found["anonymous"] = bool(ANONYMOUS.search(att))
    for m in INVERTED.finditer(att):
        if FINITE.search(m["x"]):  # "..., said the vaccine shipment had been held": a clause, not an actor
            continue
        description, _, name = m["x"].rpartition(",")  # "a indiqué son porte-parole, Yanis Morel"
        found["speakers"].append(name if description else m["x"])
        found["descriptions"] += [(description, name)] if description else []
        found["near"].append(m.group())
    stance_spans = [m.span() for m in (*REL_STANCE.finditer(att), *FAR_FROM.finditer(att))]
    subject = [m for m in END.finditer(att) if len(m["x"].split()) <= 8 and fold(m["x"]) not in CONJUNCTIONS
               and not any(a <= m.start("x") < b for a, b in stance_spans)] or [
        m for m in [SUBJECT_FIRST.match(att) or SUBJECT.match(att)] if m and len(m["x"].split()) <= 14]
    if not found["speakers"] and subject:
        m = subject[0]
        x = _speaker_of(m, att, found)
        if stance := STANCE_IN.search(m["x"]):  # "X denied A and said ...": a stance on A too
            speaker = x[:stance.start()] if x == m["x"] else x
            found["also_back"] = (next(ROLE_OF[g] for g in ROLE_OF if stance[g]), speaker,
                                  m["x"][stance.end():].strip())
            x = speaker
        found["speakers"].append(x)
        found["near"].append(m["x"] + " " + " ".join(att[m.end():].split()[:5]))
        found["cue_end"] = m.end() if m.re in (SUBJECT, SUBJECT_FIRST) and "," not in att[:m.start("x")] else None
    for m in REL_STANCE.finditer(att):
        role = next((ROLE_OF[g] for g in ROLE_OF if m[g]), None)
        role = role or ("disputed_by" if re.match(r"contest|récus", m["inv"], re.I) else "denied_by")
        if not att[:m.start()].strip() and not found["back"]:  # "Un chiffre que conteste l'USTA, ...": the claim before
            found["back"] = (role, m["x"] or m["y"], "")
        else:
            found["stances"].append((role, m["x"] or m["y"]))
    found["stances"] += [("disputed_by", m["x"]) for m in FAR_FROM.finditer(att)]
    found["stances"] += [(next(ROLE_OF[g] for g in ROLE_OF if m[g]), m["x"]) for m in PASSIVE_STANCE.finditer(att)]
    found["stances"] += [("not_confirmed_by", m["x"]) for m in SANS_QUE.finditer(att)]
    if not (found["speakers"] or found["sources"] or found["stances"] or found["back"]) and (
            m := SUBJECT_STANCE.match(att)):
        x = m["pre"] if m["pre"] and RELATIVE.match(m["x"]) else _speaker_of(m, att, found)
        rest = " ".join(att[m.end():].split())
        if not re.search(r"confirm|vérifi|verif|dément|deni|deny|nie|nié|contest|disput|reject|rejet|récus", m[0][
                m.end("x"):], re.I) and re.match(r"(?:on|to|about|sur|à|au|aux)\b", rest, re.I) and not re.match(
                rf"(?:on|to|about|sur|à|au|aux)\s+(?:\S+\s+){{0,3}}?{_ABOUT_CLAIM}", rest, re.I):
            return found  # "X has not commented on calls for an inquiry": no stance on a claim
        found["back"] = (next(ROLE_OF[g] for g in ROLE_OF if m[g]), x, rest)
        found["caveat"] = bool(re.search(r"\b(?:could|can|unable|able|pu|mesure)\b.*(?:confirm|vérifi|verif)",
                                         m[0][m.end("x"):]))  # "could not confirm", "n'a pas pu vérifier"
    return found


def _checkable(sentence: str, figures: list[str]) -> bool:
    """Whether a sentence states a number or a date, i.e. something an outlet's claim can be checked on."""
    words = {fold(w) for w in re.findall(r"[\w'’]+", sentence)}
    return bool(figures or words & (set(WEEKDAYS) | {m for m in MONTHS if len(m) > 4}) or re.search(
        r"\b(?:19|20)\d\d\b|\b(?:hier|yesterday|last week|semaine dernière)\b", sentence, re.I))


def _read(sentence: str, ctx: _Context, language: str) -> list[dict]:
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
    att = _mask_quotes(sentence)
    for m in re.finditer(r",\s*(?:while|whereas|but|tandis qu(?:e\s+|')|alors qu(?:e\s+|')|mais|contre|against)\s*",
                         att):
        first, second = _cues(att[:m.start()]), _cues(", " + att[m.end():])
        if any(first[k] for k in ("speakers", "sources", "cited")) and any(
                second[k] for k in ("speakers", "sources", "cited")):
            return [sentence[:m.start()].strip(), sentence[m.end():].strip()]
    return [sentence]


def _read_clause(sentence: str, ctx: _Context, language: str, like: list[str] = ()) -> list[dict]:
    """The candidate claims of one sentence or clause (see `_read`); `like`: the figure an amount without a measure of
    its own is counted in (the other claimant's: "25 000 personnes ..., tandis que B en a compté 110 000")."""
    notes: list[str] = []
    text, is_quote, found = _lead_quote(sentence)
    ctx.by_reference = None
    masked = _mask_quotes(sentence)
    verified = VERIFY.search(masked)
    has_cue = bool(found["cited"] or found["speakers"] or found["sources"])
    if found["back"] and has_cue:  # "Un chiffre que conteste X, ..., qui affirme que ...": both
        found["also_back"] = found["also_back"] or found["back"]
    elif found["back"]:
        role, phrase, rest = found["back"]
        caveat = [f"{phrase.strip()}: could not be independently verified."] if found["caveat"] else []
        saying = re.search(r",\s*(?:saying|adding|insisting|arguing|affirmant|assurant|estimant|précisant|"
                           r"expliquant|ajoutant|soulignant)\b", rest, re.I)  # "X denied A, saying B": B is X's claim
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
            return _attach(ctx, None, None, "", notes, verified=True) and []
        if not (ctx.outlet and _checkable(sentence, figures) and len(sentence.split()) >= 5) or _PLUPERFECT.search(
                masked):  # background ("La région avait déjà perdu ...") is not the news
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
    claim = {"text": text, "said_on": said_on, "quote": is_quote, "asserted_by": asserted, "relayed_by": relays,
             **roles, "figures": figures, "notes": notes}
    return _split_objects(claim, found["cue_end"], language, ctx.measures) if not is_quote else [claim]


def _without_parties(text: str, found: dict) -> str:
    """`text` with the phrases naming its parties blanked, so that "two people familiar with the matter said" or
    "trois sources ont indiqué" give no figure."""
    straight = text.translate(_STRAIGHT)
    for phrase in found["speakers"] + found["sources"] + found["cited"]:
        at = straight.find(phrase.strip()) if phrase.strip() else -1
        if at >= 0:
            text = text[:at] + " " * len(phrase.strip()) + text[at + len(phrase.strip()):]
    return text


def _lead_quote(sentence: str) -> tuple[str, bool, dict]:
    """A sentence led by a quote its end attributes («...», a déclaré X; "...," X said) is that quote; else the whole
    sentence. A quote without a comma before its attribution is part of a claim («plus d'un million» selon X)."""
    lead = QUOTE.match(sentence)
    if lead and len(fold(lead.group()).split()) >= 4 and (
            lead.group()[-2:-1] == "," or re.match(r"\s*,", sentence[lead.end():])):
        rest = _cues(_mask_quotes(", " + sentence[lead.end():].strip(" ,")))
        if rest["speakers"] or rest["sources"]:
            return lead.group().rstrip(), True, rest
    return sentence, False, _cues(_mask_quotes(sentence))


def _parties(found: dict, ctx: _Context, notes: list[str]) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """Who asserts, who relays (besides the outlet) and the stances, as actor names."""
    def resolve(phrases, anonymous=False):
        return list(dict.fromkeys(n for p in phrases for n in ctx.resolve(p, notes, anonymous)))

    for description, name in found["descriptions"]:
        ctx.describe_as(description, next(iter(ctx.resolve(name, [])), name))
    notes += [f"Citing {p.strip()}." for p in found["cited"] if re.search(DOCUMENTS, p, re.I)]
    found["cited"] = [p for p in found["cited"] if not re.search(DOCUMENTS, p, re.I)]
    anonymous = found.get("anonymous", False)
    if found["sources"] and found["speakers"] and all(re.fullmatch(
            r"(?:the|le|la|les|l')\s*[a-zà-ÿ-]+(?:\s+[a-zà-ÿ-]+)?", p.strip()) for p in found["speakers"]):
        found["speakers"] = []  # "Selon la Croix-Rouge, ..., a précisé l'organisation": the same party
    cited, speakers = resolve(found["cited"]), resolve(found["speakers"], anonymous)
    sources = resolve(found["sources"], anonymous)
    asserted, relays = (cited, speakers + sources) if cited else (speakers, sources) if speakers else (sources, [])
    roles = {"not_confirmed_by": [], "denied_by": [], "disputed_by": []}
    for role, phrase in found["stances"]:
        roles[role] += [n for n in resolve([phrase]) if n not in roles[role]]
    return asserted, relays, roles


def _split_objects(claim: dict, cut: int | None, language: str, measures: list[str] | None) -> list[dict]:
    """"X a affirmé que Y avait envoyé A, ainsi que B" is two claims: "X a affirmé que Y avait envoyé A." and
    "X a affirmé que Y avait envoyé [...] B"."""
    text = claim["text"]
    split = re.search(r",\s*(?:ainsi que|as well as)\s+", text) if cut else None
    if not split or split.start() < cut:
        return [claim]
    verb = re.match(r"\s*(?:que|qu['’]|that)?\s*\S+(?:\s+\S+){0,3}?\s+(?:a|ont|avait|avaient|aurait|auraient|est|"
                    r"sont|était|has|have|had|was|were)\s+[\wÀ-ÿ]+", text[cut:split.start()])
    parts = [text[:split.start()] + ".", text[:cut] + (verb.group() if verb else "") + " [...] " + text[split.end():]]
    note = f"Split from one sentence at '{split.group().strip(', ')}'."
    return [claim | {"text": part, "figures": figures_in(part, language, [], known_measures=measures),
                     "notes": claim["notes"] + [note]}
            for part in parts]


def _attach(ctx: _Context, role: str | None, phrase: str | None, rest: str, notes: list[str],
            verified: bool = False) -> bool:
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


def _targets(ctx: _Context, names: list[str], rest: str, several: bool) -> list[dict]:
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
    if not (_PLURAL.match(rest) or several and not _SINGULAR.match(rest)):
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


def _dates(sentence: str, near: list[str], ctx: _Context, notes: list[str]) -> str | None:
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


def extract_claims(text: str, *, language: str | None = None, known_actors: dict[str, str] | None = None,
                   source: dict | None = None, actor_kinds: dict[str, str] | None = None,
                   known_measures: list[str] | None = None) -> dict:
    """A draft bundle (source, new actors, candidate claims) of the claims in a news article.

    `known_actors` maps folded aliases (`values.fold`) to canonical actor names; actors not in it
    are proposed in the bundle's `actors`; `actor_kinds` gives the kinds of known actors (name ->
    kind), so that "the company" can mean the organisation named last. `known_measures` are the
    measure names the database has, most used first: a figure's measure takes one of them when it
    means the same (`known_measure`), and its notes say when a new name is proposed. `source`
    overrides fields read from the article's header: title, outlet, published, language, url, key.
    """
    meta, body = _split_article(_clean(text))
    language = language or detect_language(body)
    src = {k: v for k, v in {**meta, **(source or {})}.items() if v}
    outlet, published = src.get("outlet"), src.get("published")
    key = src.get("key") or f"{re.sub(r'[^a-z0-9]+', '-', fold(outlet or 'article'))}-{published or 'undated'}"
    entry = {"key": key, "title": src.get("title") or "Untitled article", "outlet": outlet, "published": published,
             "language": src.get("language") or language, "url": src.get("url")}
    alias = meta.get("outlet_alias") if outlet == meta["outlet"] else None
    if alias and fold(outlet) not in (known_actors or {}) and fold(alias) in (known_actors or {}):
        outlet = known_actors[fold(alias)]  # "(CNS)" in the dateline names a known outlet
    ctx = _Context(known_actors or {}, outlet, published, body, actor_kinds)
    ctx.measures = None if known_measures is None else list(known_measures)
    if alias and ctx.outlet and fold(ctx.outlet) in ctx.new and fold(alias) != fold(ctx.outlet):
        ctx.new[fold(ctx.outlet)]["aliases"] = [alias]
    done = set()
    for sentence in split_sentences(body):
        if sentence in done or len(sentence) > MAX_SENTENCE or len(sentence.split()) < 3:
            continue
        done.add(sentence)
        ctx.mention(sentence)
        drafted = _read(sentence, ctx, language)
        for claim in drafted:
            if all(claim["text"] != c["text"] for c in ctx.claims[-LOOKBACK:]):
                ctx.claims.append(claim)
                ctx.seen |= set(claim["asserted_by"] + claim["relayed_by"])
                ctx.last_by[tuple(claim["asserted_by"])] = claim
        ctx.prev_quote = drafted[-1] if drafted and drafted[-1]["quote"] and drafted[-1]["asserted_by"] else None
        runs = {fold(r) for r in re.findall(rf"{_NAME}(?:\s+{_NAME})+", sentence)}
        latest = ctx.claims[-1:] if ctx.claims and ctx.claims[-1]["text"].strip("«»“”\"") in sentence else []
        ctx.prev_persons = {p for p in ctx.persons if fold(p) in runs}
        ctx.prev_persons |= {n for c in latest for n in c["asserted_by"] if _person_like(n)}
    used = {n for c in ctx.claims for role in ("asserted_by", "relayed_by", *ROLE_OF.values()) for n in c[role]}
    return {"sources": [{k: v for k, v in entry.items() if v}],
            "actors": [a for a in ctx.new.values() if a["name"] in used],
            "claims": [_finish(c, key) for c in ctx.claims]}


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
