from pathlib import Path

from claims import model
from claims.bundle import load_example

ARTICLE = (Path(__file__).parent / "data" / "seed-article.txt").read_text(encoding="utf-8")


def claim_with(db, fragment):
    matches = [c for c in model.list_claims(db) if fragment in c["text"]]
    assert len(matches) == 1, fragment
    return model.get_claim(db, matches[0]["id"])


def test_example_holds_the_seed_article_claims(example_db):
    claims = model.list_claims(example_db)
    assert len(claims) == 12
    assert {c["source"] for c in claims} == {"Soutien à la Russie: Kim Jong Un réconforte familles de ses soldats morts"}
    assert all(c["language"] == "fr" and c["translation"] for c in claims)
    assert all(c["asserted_by"] for c in claims), "every claim has someone who asserts it"


def test_every_example_claim_is_quoted_from_the_article(example_db):
    for claim in model.list_claims(example_db):
        for fragment in claim["text"].split("[...]"):
            assert fragment.strip(" .") in ARTICLE, fragment


def test_example_casualty_claim(example_db):
    claim = claim_with(example_db, "environ 600 soldats")
    assert claim["asserted_by"] == ["Seoul"]
    assert claim["relayed_by"] == ["ATS"]
    assert claim["not_confirmed_by"] == ["Pyongyang"]
    assert claim["status"] == "unconfirmed"
    assert [(f["measure"], f["qualifier"], f["low"], f["high"]) for f in claim["figures"]] == [
        ("killed", "about", 600, 600),
        ("wounded", "at_least", 1000, None),
    ]


def test_example_troop_claim(example_db):
    claim = claim_with(example_db, "plus de 10'000 soldats")
    assert claim["asserted_by"] == ["South Korean intelligence", "Western intelligence"]
    assert [(f["measure"], f["qualifier"], f["low"]) for f in claim["figures"]] == [("troops_sent", "more_than", 10000)]
    assert claim["status"] == "corroborated"
    assert [(h["from"], h["to"]) for h in claim["history"]] == [(None, "unconfirmed"), ("unconfirmed", "corroborated")]


def test_example_kim_quote_and_promise(example_db):
    quote = claim_with(example_db, "J'ai beaucoup pensé")
    assert quote["is_quote"] is True
    assert quote["asserted_by"] == ["Kim Jong Un"]
    assert quote["relayed_by"] == ["KCNA", "ATS"]
    assert quote["said_on"] == "2025-08-29"
    promise = claim_with(example_db, "ériger un monument")
    assert promise["is_quote"] is False
    assert promise["asserted_by"] == ["Kim Jong Un"]


def test_example_actors_match_french_spellings(example_db):
    for spelling, name in [
        ("Séoul", "Seoul"),
        ("Corée du Nord", "Pyongyang"),
        ("services secrets de la Corée du Sud", "South Korean intelligence"),
        ("Kim Jong-un", "Kim Jong Un"),
    ]:
        assert model.get_actor(example_db, spelling)["name"] == name


def test_loading_the_example_twice_adds_nothing(db):
    first = load_example(db)
    assert (first.added, first.sources, first.actors) == (12, 1, 7)
    counts = {t: db[t].count for t in ("sources", "actors", "claims", "attributions", "status_changes", "figures")}
    second = load_example(db)
    assert (second.added, second.updated, second.unchanged, second.sources, second.actors) == (0, 0, 12, 0, 0)
    assert {t: db[t].count for t in counts} == counts
