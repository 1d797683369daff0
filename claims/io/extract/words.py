"""Word lists the extractor shares: function words, months, weekdays, titles, outlets, names."""

from __future__ import annotations

import re

from ...values import fold


def word_set(text: str) -> set[str]:
    """The words of a space-separated list."""
    return set(text.split())


FR_STOP = word_set(
    "le la les des un une et est que qui dans pour pas sur au aux du avec ce cette il elle ont été "
    "selon son ses leur ne se par"
)
EN_STOP = word_set(
    "the an and is are was were that which who in for with not has have been said of to by it its from at as this be"
)
ARTICLES = word_set("le la les l un une des the a an")
PRONOUNS = word_set("il elle lui he she him it")
TITLES = word_set(
    "president presidente minister ministre premier prime secretary governor gouverneur mayor maire "
    "general chancellor chancelier spokesman spokeswoman senator king queen prince pope pape dr "
    "colonel commandant capitaine captain lieutenant major me maitre judge juge ambassador ambassadeur "
    "docteur professeur professor"
)
VAGUE = word_set(
    "un une des a an some certains certaines plusieurs several on one deux two sources source "
    "son sa ses leur leurs his her its their"
)
COMPANY = word_set(
    "company firm group carmaker automaker manufacturer maker exporter importer operator retailer "
    "insurer airline employer groupe entreprise societe firme constructeur fabricant direction "
    "management exportateur operateur enseigne employeur compagnie"
)  # "the company said"
# words that name nobody on their own: "des sources", "an official", "people" ("des sources sécuritaires" does)
GENERIC = word_set(
    "source sources official officials people person persons personne personnes responsable "
    "responsables someone quelqu un"
)
DETERMINERS = word_set(
    "le la les l un une des du son sa ses leur leurs ce cet cette the a an his her its their some "
    "certains certaines plusieurs several one two three deux trois quatre four"
)
DOCUMENTS = (
    r"\b(?:records?|data|documents?|figures|statistics|sources?|données|chiffres|statistiques|images|"
    r"vid[eé]os?|results|résultats|registers?|registres?|reports?|rapports?|tallies|statements?|"
    r"communiqués?|bilans?|surveys?|sondages?|estimates|estimations)\b"
)  # "citing hospital records"
STOPWORDS = FR_STOP | EN_STOP | ARTICLES | word_set("de d du of s en et and or ou dont")
WEEKDAYS = {
    w: i % 7
    for i, w in enumerate(
        [
            "lundi",
            "mardi",
            "mercredi",
            "jeudi",
            "vendredi",
            "samedi",
            "dimanche",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]
    )
}
OUTLETS = {
    fold(o): o
    for o in [
        "ATS",
        "Keystone-ATS",
        "AFP",
        "Reuters",
        "AP",
        "Associated Press",
        "dpa",
        "ANSA",
        "EFE",
        "Belga",
        "Bloomberg",
        "UPI",
        "Xinhua",
        "Yonhap",
        "Kyodo",
        "TASS",
        "Anadolu",
    ]
}
STATE_AGENCIES = word_set("kcna tass xinhua irna sana mena spa wam belta ukrinform cctv rt vna qna kuna")
CAPITALS = word_set(
    "seoul pyongyang moscou moscow kiev kyiv washington pekin beijing paris londres london berlin tokyo teheran "
    "tehran jerusalem ankara bruxelles brussels damas damascus beyrouth beirut bagdad baghdad caire cairo riyad "
    "riyadh rome madrid ottawa delhi islamabad kaboul kabul taipei hanoi minsk varsovie warsaw berne bern caracas "
    "havane havana pretoria nairobi tripoli tunis alger algiers rabat doha canberra brasilia bogota stockholm oslo "
    "helsinki vienne vienna prague budapest bucarest bucharest sofia athenes athens lisbonne lisbon dublin kremlin"
)
NAME = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
FINITE = re.compile(
    r"\b(?:had|has|have|was|were|is|are|will|would|could|can|may|might|should|must|did|does|"
    r"est|sont|était|étaient|avait|avaient|ont|sera|seront|serait|seraient|pourrait|pourraient|"
    r"doit|doivent)\b",
    re.I,
)
