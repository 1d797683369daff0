from pathlib import Path

from claims import model
from claims.io.bundle import FOLLOW_UP, example_folder, load_example, load_seed_article

ARTICLE = (Path(__file__).parent / "data" / "seed-article.txt").read_text(encoding="utf-8")
FOLLOW_UP_ARTICLE = (example_folder() / FOLLOW_UP).with_suffix(".txt").read_text(encoding="utf-8")
SEED_TITLE = "Soutien à la Russie: Kim Jong Un réconforte familles de ses soldats morts"
FOLLOW_UP_TITLE = "Seoul now puts North Korean deaths in Russia at about 2,000 (invented for the demo)"


def claim_with(db, fragment):
    matches = [c for c in model.list_claims(db) if fragment in c["text"]]
    assert len(matches) == 1, fragment
    return model.get_claim(db, matches[0]["id"])


def claims_of(db, title):
    return [c for c in model.list_claims(db) if c["source"] == title]


def test_example_holds_the_seed_article_claims(example_db):
    claims = claims_of(example_db, SEED_TITLE)
    assert len(claims) == 12 and [c["id"] for c in claims] == list(range(1, 13))
    assert all(c["language"] == "fr" and c["translation"] for c in claims)
    assert all(c["asserted_by"] for c in model.list_claims(example_db)), "every claim has someone who asserts it"


def test_example_holds_a_later_report_invented_for_the_demo(example_db):
    assert {c["source"] for c in model.list_claims(example_db)} == {SEED_TITLE, FOLLOW_UP_TITLE}
    later = claims_of(example_db, FOLLOW_UP_TITLE)
    assert len(later) == 7 and all(c["language"] == "en" for c in later)
    source = model.get_claim(example_db, later[0]["id"])["source"]
    assert source["url"].startswith("https://example.org/demo/") and source["published"] == "2025-09-24"
    assert source["outlet"] == "Northgate Wire"
    assert "INVENTED" in (example_folder() / FOLLOW_UP).read_text(encoding="utf-8").splitlines()[0]
    assert "invented" in FOLLOW_UP_ARTICLE.splitlines()[0] and "does not exist" in FOLLOW_UP_ARTICLE


def test_every_example_claim_is_quoted_from_its_article(example_db):
    for title, article in ((SEED_TITLE, ARTICLE), (FOLLOW_UP_TITLE, FOLLOW_UP_ARTICLE)):
        for claim in claims_of(example_db, title):
            for fragment in claim["text"].split("[...]"):
                assert fragment.strip(" .") in article, fragment


def test_example_shows_a_claim_in_many_reports(example_db):
    groups = list(example_db.query("select * from claim_groups where reports > 1 order by claim_id"))
    assert [(g["claim_id"], g["reports"], g["status"]) for g in groups] == [
        (1, 2, "unconfirmed"),
        (2, 2, "corroborated"),
        (3, 2, "unconfirmed"),
        (4, 2, "unconfirmed"),
        (7, 2, "unconfirmed"),
    ]
    assert all(g["outlets"] == '["ATS","Northgate Wire"]' and g["languages"] == '["fr","en"]' for g in groups)
    troops = claim_with(example_db, "more than 10,000 soldiers")
    assert troops["status"] == "corroborated", "one claim, one status: the ATS report's"
    assert [r["outlet"] for r in troops["reports"]] == ["ATS", "Northgate Wire"]


def test_example_shows_the_update_chain_and_the_contradiction(example_db):
    newer = claim_with(example_db, "about 2,000 North Korean soldiers")
    older = claim_with(example_db, "environ 600 soldats")
    assert [(f["measure"], f["qualifier"], f["low"]) for f in newer["figures"]] == [("killed", "about", 2000)]
    assert (older["figures"][0]["measure"], older["figures"][0]["low"]) == ("killed", 600)
    assert [(link["phrase"], link["claim_id"]) for link in newer["links"]] == [
        ("updates", older["id"]),
        ("contradicted by", claim_with(example_db, "pure fabrication")["id"]),
    ]
    kcna = claim_with(example_db, "pure fabrication")
    assert kcna["asserted_by"] == ["KCNA"] and [link["relation"] for link in kcna["links"]] == ["contradicts"]
    assert newer["group_id"] != older["group_id"], "an update is another claim, not a report of it"


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
    assert (first.added, first.sources, first.actors, first.links_added) == (19, 2, 8, 7)
    tables = ("sources", "actors", "claims", "attributions", "status_changes", "figures", "claim_links", "revisions")
    counts = {t: db[t].count for t in tables}
    second = load_example(db)
    assert (second.added, second.updated, second.unchanged, second.sources, second.actors) == (0, 0, 19, 0, 0)
    assert (second.links_added, second.links_replaced, second.kept) == (0, 0, [])
    assert {t: db[t].count for t in counts} == counts


def test_the_seed_article_loads_alone(db):
    """The matching sets are labelled against the ATS story alone: they load it without the demo's later report."""
    summary = load_seed_article(db)
    assert (summary.added, summary.sources, summary.links_added) == (12, 1, 0)
    assert {c["source"] for c in model.list_claims(db)} == {SEED_TITLE}
    assert load_example(db).added == 7  # the later report comes on top, linked to it
    assert db["claim_links"].count == 7
