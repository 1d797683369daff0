"""ClaimReview import and export: fixtures modelled on what fact-checkers publish, mapping files, round trips."""

import datetime
import json
from pathlib import Path

import pytest

from claims import model
from claims.errors import InvalidValue
from claims.io.claimreview import (
    DEFAULT_MAPPING,
    export_claimreviews,
    load_mapping,
    to_claimreview,
)
from claims.io.claimreview_reader import parse_claimreviews
from claims.vocabulary import STATUS_NAMES

DATA = Path(__file__).parent / "data" / "claimreview"
REVIEWER = {"name": "Claims Desk", "url": "https://desk.example/"}
ROLE_COLUMNS = ["asserted_by", "relayed_by", "confirmed_by", "denied_by", "not_confirmed_by", "disputed_by"]


def parse_fixture(name, **kwargs):
    return parse_claimreviews((DATA / name).read_text(encoding="utf-8"), origin=name, **kwargs)


def review(**fields):
    """A minimal ClaimReview, with `fields` replacing or adding properties."""
    base = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checker.example/fact-check/cheese-moon",
        "claimReviewed": "The moon is made of cheese.",
        "author": {"@type": "Organization", "name": "Checker"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    return base | fields


def parse_one(obj, **kwargs):
    records, warnings = parse_claimreviews(json.dumps(obj), **kwargs)
    assert len(records) == 1, warnings
    return records[0], warnings


def assert_canonical(record):
    """The canonical claim record: every key present, with the right types."""
    assert set(record) == {
        "text",
        "translation",
        "language",
        "quote",
        "said_on",
        "notes",
        "status",
        "reason",
        "changes",
        "figures",
        "links",
        "source",
        *ROLE_COLUMNS,
    }
    assert record["text"] == record["text"].strip() and record["text"]
    assert record["status"] in STATUS_NAMES
    assert record["changes"] == [] and record["figures"] == [] and record["quote"] is False
    assert all(link["relation"] == "same" and link["source"]["title"] and link["text"] for link in record["links"])
    assert all(isinstance(name, str) and name == " ".join(name.split()) for name in record["asserted_by"])
    assert set(record["source"]) == {"title", "url", "outlet", "published", "language"}
    assert record["source"]["title"]
    json.dumps(record)


# The shapes fact-checkers publish


def test_single_object_politifact_like():
    records, warnings = parse_fixture("politifact-single.json")
    assert warnings == []
    [record] = records
    assert_canonical(record)
    assert record["text"] == "Says the noise from wind turbines causes cancer."
    assert record["asserted_by"] == ["Facebook posts"]  # "Facebook   posts": whitespace collapsed
    assert record["status"] == "false"
    assert record["reason"] == "ClaimReview rating 'Pants on Fire!' by PolitiFact (2024-03-12)"
    assert record["said_on"] == "2024-03-07"
    review_url = (
        "https://www.politifact.com/factchecks/2024/mar/12/facebook-posts/no-wind-turbine-noise-doesnt-cause-cancer/"
    )
    assert record["source"] == {
        "title": "ClaimReview by PolitiFact",
        "url": review_url,
        "outlet": "PolitiFact",
        "published": "2024-03-12",
        "language": None,
    }
    assert review_url in record["notes"] and "ratingValue 1, bestRating 6, worstRating 1" in record["notes"]


def test_list_full_fact_like():
    records, warnings = parse_fixture("fullfact-list.json")
    assert len(records) == 2
    first, second = records
    assert first["text"] == "Two million more people have joined NHS waiting lists since January."
    assert first["status"] == "false"
    assert first["reason"] == (
        "ClaimReview rating 'Incorrect. The waiting list grew by about 300,000 over that period, not two million.' "
        "by Full Fact (2024-02-20)"
    )
    assert first["said_on"] == "2023-05-01"  # "May 1, 2023"
    assert first["asserted_by"] == ["Viral Facebook post"]
    facebook = "https://www.facebook.com/permalink.php?story_fbid=1234567890&id=100000000000001"
    assert first["source"]["url"] == facebook  # appearance given as a bare URL
    assert "ratingValue -1" in first["notes"]
    # No claimReviewed: the legacy itemReviewed.name, entities unescaped; legacy itemReviewed.author.name.
    assert second["text"] == "Energy bills will fall by £1,000 a year from April."
    assert second["asserted_by"] == ["Daily Example"]
    assert second["status"] == "disputed"
    assert second["reason"].startswith("ClaimReview rating 'Missing context. The price cap falls, but by about £240")
    assert second["reason"].endswith("by Full Fact (undated)")  # author as a bare string; ambiguous date dropped
    assert second["source"]["url"] == "https://fullfact.org/economy/energy-price-cap-missing-context/"
    assert second["source"]["published"] is None
    assert warnings == ["fullfact-list.json item 2: ambiguous datePublished '01/05/2024': left empty"]
    for record in records:
        assert_canonical(record)


def test_graph_yoast_like_ignores_other_types_and_resolves_references():
    records, warnings = parse_fixture("yoast-graph.json")
    assert [r["text"] for r in records] == [
        "A herbal tea sold online cures type 2 diabetes in two weeks & ends the need for insulin.",
        "A herbal tea sold online cures type 2 diabetes in two weeks & ends the need for insulin.",  # on TikTok too
        "The tea's maker is registered with the health regulator.",
    ]
    tea, on_tiktok, maker = records
    assert on_tiktok["source"]["url"] == "https://www.tiktok.com/@example/video/7355000000000000000"
    assert on_tiktok["links"] == [
        {
            "relation": "same",
            "source": tea["source"],
            "text": tea["text"],
            "reason": "ClaimReview: another appearance of the claim reviewed",
        }
    ]
    assert tea["status"] == "disputed"
    assert tea["reason"] == "ClaimReview rating 'Misleading' by Check Your Fact (2024-04-15)"  # author {"@id"} resolved
    assert tea["asserted_by"] == ["Instagram user"]
    assert tea["language"] == "en-US"
    assert tea["said_on"] == "2024-04-09"
    assert tea["source"] == {
        "title": "This tea reversed my diabetes in 14 days",
        "url": "https://www.instagram.com/p/C5examplePost/",
        "outlet": "Instagram",
        "published": "2024-04-09",
        "language": None,
    }
    # Nested @graph, "schema:ClaimReview", a rating text nobody knows: the number decides, and the notes say so.
    assert maker["status"] == "corroborated"
    assert maker["reason"] == "ClaimReview rating 'Sort of' by Alex Reporter (2024-04-16)"
    assert "from ratingValue 4 on a 1-5 scale" in maker["notes"]
    assert maker["asserted_by"] == ["Tea seller's website"]
    assert maker["source"]["url"] == "https://tea-seller.example/about"
    assert warnings == ["yoast-graph.json item 3: skipped: no claimReviewed text"]


def test_html_page_afp_factuel_like():
    records, warnings = parse_fixture("afp-factuel.html")
    record, on_facebook = records  # the BreadcrumbList, the plain script and the broken block give nothing
    assert_canonical(record)
    assert on_facebook["source"]["url"] == "https://www.facebook.com/groups/example/posts/998877665544"
    assert [link["text"] for link in on_facebook["links"]] == [record["text"]]
    assert record["text"] == (
        "Une vidéo montre des files d’attente devant des banques françaises après l’annonce d’un gel des retraits"
    )
    assert record["language"] == "fr"
    assert record["status"] == "false"
    assert record["reason"] == "ClaimReview rating 'Faux' by AFP Factuel (2024-05-02)"
    assert record["asserted_by"] == ["Publications sur les réseaux sociaux", "Compte X « InfoVérité »"]
    assert record["said_on"] == "2024-04-28"
    assert record["source"] == {
        "title": "Panique bancaire en France : les gens retirent leur argent !",
        "url": "https://x.com/infoverite_example/status/1784500000000000000",
        "outlet": "X",
        "published": "2024-04-28",
        "language": None,
    }
    assert warnings == ["afp-factuel.html block 3: invalid JSON: Expecting ',' delimiter at line 5"]


def test_german_correctiv_like():
    records, warnings = parse_fixture("correctiv.json")
    windrad, strompreis = records
    assert windrad["status"] == "false"
    assert windrad["reason"] == "ClaimReview rating 'Falsch' by CORRECTIV.Faktencheck, Paula Beispiel (2024-05-03)"
    assert windrad["said_on"] == "2024-05-02"  # "2. Mai 2024"
    assert windrad["asserted_by"] == ["Telegram-Kanal „Wahrheit jetzt“"]
    assert windrad["source"]["title"] == "Windräder machen krank – was die Medien verschweigen"
    assert windrad["source"]["outlet"] == "Telegram"
    assert strompreis["status"] == "disputed"
    assert strompreis["reason"] == "ClaimReview rating 'Teilweise falsch' by CORRECTIV.Faktencheck (2024-04-22)"
    assert strompreis["source"]["published"] == "2024-04-22"  # "22.04.2024" can only be read one way
    assert strompreis["said_on"] is None
    assert warnings == [
        "correctiv.json item 2: unparseable itemReviewed datePublished 'irgendwann im April': left empty"
    ]


def test_snopes_like_ratings():
    records, warnings = parse_fixture("snopes.json")
    coffee, on_tiktok, photo = records
    assert (coffee["status"], on_tiktok["status"], photo["status"]) == ("disputed", "disputed", "false")
    assert on_tiktok["source"]["url"] == "https://www.tiktok.com/@example/video/1"
    assert coffee["reason"] == "ClaimReview rating 'Mixture' by Snopes.com (2024-01-09)"
    assert coffee["source"]["url"] == "https://www.reddit.com/r/example/comments/abc123/coffee_dehydrates/"
    assert photo["reason"] == "ClaimReview rating 'Miscaptioned' by Jordan Example (2024-09-30)"
    assert photo["asserted_by"] == ["X users", "Facebook users"]
    assert warnings == [
        "snopes.json item 2: unparseable appearance datePublished 'sometime in late September': left empty"
    ]


def test_hostile_text_comes_through_as_literal_text():
    records, warnings = parse_fixture("hostile.json")
    [record] = records
    assert record["text"] == '<script>alert("claim")</script>\'; DROP TABLE claims; --'
    assert record["asserted_by"] == ["Robert'); DROP TABLE actors;--"]
    assert record["reason"] == "ClaimReview rating '<i>False</i>' by <b>Evil</b> Checker (2024-06-01)"
    assert record["status"] == "false"
    assert record["source"]["title"] == "<img src=x onerror=alert(1)>"
    assert record["source"]["url"] is None
    assert len(warnings) == 2
    assert "invalid review url \"javascript:alert('review')\"" in warnings[0]
    assert warnings[1].startswith("hostile.json item 1: invalid appearance url")


FIXTURES = [
    "politifact-single.json",
    "fullfact-list.json",
    "yoast-graph.json",
    "afp-factuel.html",
    "correctiv.json",
    "snopes.json",
    "hostile.json",
]


def test_every_imported_record_loads_through_the_model(db):
    """What import produces is valid input for the model: dates, URLs, languages and names pass its checks."""
    loaded = 0
    for name in FIXTURES:
        for record in parse_fixture(name)[0]:
            source = record["source"]
            source_id = model.find_matching_source(db, **source) or model.add_source(db, **source)
            claim_id = model.add_claim(
                db,
                record["text"],
                source=source_id,
                status=record["status"],
                reason=record["reason"],
                parties=[(actor, "asserts") for actor in record["asserted_by"]],
                said_on=record["said_on"],
                language=record["language"],
                notes=record["notes"],
                create_actors=True,
            )
            claim = model.get_claim(db, claim_id)
            assert (claim["text"], claim["asserted_by"]) == (record["text"], record["asserted_by"])
            loaded += 1
    assert loaded == 14  # 11 reviews, three of them of a claim in two places
    assert "claims" in db.table_names()


# Messy values


@pytest.mark.parametrize(
    "page",
    [
        '<script type="application/ld+json">{}</script>',
        "<script type='APPLICATION/LD+JSON'>{}</script>",
        '<script type=" application/ld+json ">{}</script>',
        '<script type="application/ld+json; charset=utf-8">{}</script>',
        '<script type="application/ld+json"><!-- {} --></script>',
        '<script type="application/ld+json">//<![CDATA[\n{}\n//]]></script>',
    ],
)
def test_html_script_variants(page):
    body = json.dumps(review(**{"@type": ["ClaimReview"], "@context": "http://schema.org"}))
    records, warnings = parse_claimreviews(f"<html><head>{page.replace('{}', body)}</head></html>")
    assert [r["text"] for r in records] == ["The moon is made of cheese."] and warnings == []


def test_block_holding_a_list_and_a_graph():
    page = (
        '<script type="application/ld+json">' + json.dumps([{"@type": "WebSite", "name": "x"}, review()]) + "</script>"
        '<script type="application/ld+json">'
        + json.dumps({"@graph": [{"@type": "Organization", "name": "Checker"}, review(claimReviewed="Second")]})
        + "</script>"
    )
    records, _ = parse_claimreviews(page, origin="page.html")
    assert [r["text"] for r in records] == ["The moon is made of cheese.", "Second"]


@pytest.mark.parametrize(
    "data",
    [
        "",
        "   ",
        "not json at all",
        "<html><body><p>No structured data</p></body></html>",
        '{"@type": "ClaimReview",',
        '{"@type": "WebPage", "name": "x"}',
        "[]",
        '<script type="application/ld+json">{"@type": "ClaimReview" "claimReviewed": "x"}</script>',
        '<script type="text/javascript">var x = {"@type": "ClaimReview", "claimReviewed": "x"};</script>',
        "[" * 100_000,
        '<script type="application/ld+json">' + "[" * 100_000 + "</script>",
    ],
)
def test_nothing_parseable_raises_naming_the_origin(data):
    with pytest.raises(InvalidValue) as error:
        parse_claimreviews(data, origin="feed.json")
    assert str(error.value).startswith("feed.json: ") and "\n" not in str(error.value)


def test_reviews_without_text_are_skipped_but_found():
    records, warnings = parse_claimreviews(
        json.dumps([review(claimReviewed=""), review(claimReviewed=None)]), origin="x"
    )
    assert records == []
    assert warnings == ["x item 1: skipped: no claimReviewed text", "x item 2: skipped: no claimReviewed text"]


@pytest.mark.parametrize(
    "value,expected,warning",
    [
        ("2024-05-01T10:00:00+02:00", "2024-05-01", None),
        ("2024-05-01", "2024-05-01", None),
        ("2024-05", "2024-05", None),
        ("May 1, 2024", "2024-05-01", None),
        ("1 May 2024", "2024-05-01", None),
        ("1er mai 2024", "2024-05-01", None),
        ("2. März 2024", "2024-03-02", None),
        ("Décembre 2023", "2023-12", None),
        ("13/05/2024", "2024-05-13", None),
        ("05/05/2024", "2024-05-05", None),
        ("01/05/2024", None, "ambiguous datePublished '01/05/2024': left empty"),
        ("sometime in May", None, "unparseable datePublished 'sometime in May': left empty"),
        ("2024-02-30", None, "invalid datePublished '2024-02-30'"),
        ("2999-01-01", None, "it is in the future"),
        (20240501, None, "unparseable datePublished '20240501'"),
    ],
)
def test_review_dates(value, expected, warning):
    record, warnings = parse_one(review(datePublished=value), origin="r.json")
    assert record["source"]["published"] == expected
    assert record["reason"].endswith(f"({expected or 'undated'})")
    if warning:
        assert len(warnings) == 1 and warnings[0].startswith("r.json item 1: ") and warning in warnings[0]
    else:
        assert warnings == []


@pytest.mark.parametrize(
    "author,expected",
    [
        ({"@type": "Person", "name": " Jane\n Doe "}, ["Jane Doe"]),
        ([{"@type": "Person", "name": "A"}, "B", {"name": "A"}, None, 7], ["A", "B", "7"]),
        ("Senator &amp; Co", ["Senator & Co"]),
        ({"name": "L&#8217;Élysée"}, ["L’Élysée"]),
        (None, []),
        ({"@type": "Person"}, []),
    ],
)
def test_claimant_shapes(author, expected):
    record, _ = parse_one(review(itemReviewed={"@type": "Claim", "author": author}))
    assert record["asserted_by"] == expected


@pytest.mark.parametrize(
    "appearance,url,title",
    [
        ("https://example.org/post", "https://example.org/post", "https://example.org/post"),
        ({"url": "https://example.org/a", "name": "A"}, "https://example.org/a", "A"),
        ([], "https://checker.example/fact-check/cheese-moon", "ClaimReview by Checker"),
        ("/relative/path", "https://checker.example/fact-check/cheese-moon", "ClaimReview by Checker"),
        ([{"url": "https://example.org/a", "headline": "A"}, "https://example.org/a"], "https://example.org/a", "A"),
    ],
)
def test_appearance_shapes(appearance, url, title):
    record, _ = parse_one(review(itemReviewed={"@type": "Claim", "appearance": appearance}))
    assert (record["source"]["url"], record["source"]["title"]) == (url, title)


def test_a_review_with_several_appearances_is_one_report_per_appearance():
    appearances = [
        {"url": "https://example.org/b", "headline": "B", "text": "The moon: cheese, really."},
        {"url": "https://example.org/a", "headline": "A", "datePublished": "2024-01-02"},
    ]
    item = {"@type": "Claim", "firstAppearance": appearances[1], "appearance": appearances}
    records, warnings = parse_claimreviews(json.dumps(review(itemReviewed=item)), origin="r")
    assert warnings == []
    assert [(r["source"]["url"], r["source"]["published"], r["text"]) for r in records] == [
        ("https://example.org/a", "2024-01-02", "The moon is made of cheese."),  # the first appearance first, once
        ("https://example.org/b", None, "The moon: cheese, really."),  # an appearance's own wording
    ]
    assert records[0]["links"] == []
    assert records[1]["links"] == [
        {
            "relation": "same",
            "source": records[0]["source"],
            "text": records[0]["text"],
            "reason": "ClaimReview: another appearance of the claim reviewed",
        }
    ]
    assert {r["status"] for r in records} == {"false"}


def test_review_headline_titles_the_fallback_source_and_language_objects_are_read():
    record, warnings = parse_one(
        review(
            headline=" Fact check:  the moon ",
            inLanguage={"@type": "Language", "name": "French", "alternateName": "fr"},
        )
    )
    assert record["source"]["title"] == "Fact check: the moon"
    assert record["language"] == record["source"]["language"] == "fr"
    record, warnings = parse_one(review(inLanguage="French"), origin="r")
    assert record["language"] is None and warnings == ["r item 1: unrecognised inLanguage 'French': left empty"]


@pytest.mark.parametrize(
    "label,status",
    [
        ("False", "false"),
        ("Faux", "false"),
        ("Falsch", "false"),
        ("Pants on Fire!", "false"),
        ("pants-fire", "false"),
        ("Mostly False", "false"),
        ("Plutôt faux", "false"),
        ("Fabricated", "false"),
        ("Altered", "false"),
        ("Satire", "false"),
        ("Labeled Satire", "false"),
        ("Größtenteils falsch", "false"),
        ("Frei erfunden", "false"),
        ("Incorrect", "false"),
        ("This is not true.", "false"),
        ("FAUX", "false"),
        ("Misleading", "disputed"),
        ("Trompeur", "disputed"),
        ("Irreführend", "disputed"),
        ("Missing context", "disputed"),
        ("Manque de contexte", "disputed"),
        ("Fehlender Kontext", "disputed"),
        ("Falscher Kontext", "disputed"),
        ("Half True", "disputed"),
        ("À moitié vrai", "disputed"),
        ("Partly false", "disputed"),
        ("Partiellement faux", "disputed"),
        ("Teilweise falsch", "disputed"),
        ("Exaggerated", "disputed"),
        ("Exagéré", "disputed"),
        ("Mixture", "disputed"),
        ("C'est plus compliqué", "disputed"),
        ("Correct, but misleading", "disputed"),
        ("Mostly True", "corroborated"),
        ("Plutôt vrai", "corroborated"),
        ("Größtenteils richtig", "corroborated"),
        ("True", "confirmed"),
        ("Vrai", "confirmed"),
        ("Correct", "confirmed"),
        ("Richtig", "confirmed"),
        ("Correct Attribution", "confirmed"),
        ("Wahr", "confirmed"),
        ("Unproven", "unconfirmed"),
        ("Unverified", "unconfirmed"),
        ("Non vérifié", "unconfirmed"),
        ("Unbelegt", "unconfirmed"),
        ("Denied", "denied"),
        ("Démenti", "denied"),
        ("Retracted", "retracted"),
    ],
)
def test_default_import_rules(label, status):
    record, warnings = parse_one(review(reviewRating={"@type": "Rating", "alternateName": label}))
    assert record["status"] == status
    assert f"rating {label!r} by Checker" in record["reason"]
    assert warnings == []


@pytest.mark.parametrize(
    "rating,status",
    [
        ({"ratingValue": "1"}, "false"),
        ({"ratingValue": 3}, "disputed"),
        ({"ratingValue": "4", "bestRating": "5", "worstRating": "1"}, "corroborated"),
        ({"ratingValue": 5}, "confirmed"),
        ({"ratingValue": "6", "bestRating": "6"}, "confirmed"),
        ({"ratingValue": 0, "bestRating": 10, "worstRating": 0}, "false"),
        ({"ratingValue": 8, "bestRating": 10, "worstRating": 0}, "corroborated"),
        ({"ratingValue": -1}, "unconfirmed"),
        ({"ratingValue": "9"}, "unconfirmed"),
        ({"ratingValue": "n/a"}, "unconfirmed"),
        ({}, "unconfirmed"),
    ],
)
def test_unknown_rating_text_falls_back_on_the_number(rating, status):
    record, warnings = parse_one(
        review(reviewRating={"@type": "Rating", "alternateName": "Fishy", **rating}), origin="r"
    )
    assert record["status"] == status
    assert record["reason"].startswith("ClaimReview rating 'Fishy' by Checker")
    if status == "unconfirmed":
        assert warnings == ["r item 1: rating 'Fishy' not recognised: status unconfirmed"]
        assert "rating 'Fishy' not recognised" in record["notes"]


def test_missing_rating():
    record, warnings = parse_one(review(reviewRating=None), origin="r")
    assert record["status"] == "unconfirmed"
    assert record["reason"] == "ClaimReview rating missing by Checker (undated)"
    assert warnings == ["r item 1: no usable rating: status unconfirmed"]
    record, _ = parse_one(review(reviewRating={"ratingValue": "2"}))
    assert record["status"] == "disputed" and record["reason"].startswith("ClaimReview rating 2 of 1-5 by Checker")


# Mapping files


def test_mapping_file_overrides_both_directions():
    mapping = load_mapping(DATA / "mapping.yml")
    assert mapping["export"]["false"] == {"alternateName": "Faux", "ratingValue": 1, "bestRating": 5, "worstRating": 1}
    assert mapping["export"]["corroborated"]["alternateName"] == "Plausible"
    assert mapping["export"]["confirmed"] == DEFAULT_MAPPING["export"]["confirmed"]
    assert DEFAULT_MAPPING["export"]["false"]["alternateName"] == "False", "the default is left alone"

    def status(label, mapping):
        return parse_one(review(reviewRating={"alternateName": label}), mapping=mapping)[0]["status"]

    assert status("Sort of", DEFAULT_MAPPING) == "unconfirmed" and status("SORT  OF!", mapping) == "corroborated"
    assert status("Satire", DEFAULT_MAPPING) == "false" and status("Satire", mapping) == "retracted"
    assert status("Labeled Satire", mapping) == "false", "the regex is anchored"
    assert status("Plausible", DEFAULT_MAPPING) == "unconfirmed" and status("Plausible", mapping) == "corroborated"
    assert status("Faux", mapping) == "false"


@pytest.mark.parametrize(
    "text,message",
    [
        ("export:\n  bogus: Nope\n", "unknown status 'bogus'"),
        ("import:\n  - {pattern: nope, status: wrong}\n", "import rule 1: unknown status 'wrong'"),
        ("import:\n  - {pattern: '(unclosed', status: false}\n", "bad pattern '(unclosed'"),
        ("import:\n  - {pattern: '.*', status: false}\n", "matches every rating"),
        ("import:\n  - {pattern: '', status: false}\n", "the pattern must be a non-empty text"),
        ("import:\n  - {pattern: '...', status: false}\n", "has no letters or digits"),
        ("import:\n  - {pattern: 12, status: false}\n", "the pattern must be a non-empty text"),
        ("import:\n  - {pattern: x}\n", "give exactly a pattern and a status"),
        ("import:\n  pattern: x\n", "'import' be a list"),
        ("export:\n  confirmed: {ratingValue: 9}\n", "ratingValue 9 is not within"),
        ("export:\n  confirmed: {ratingValue: high}\n", "must be whole numbers"),
        ("export:\n  confirmed: {alternateName: ''}\n", "alternateName must be a non-empty text"),
        ("export:\n  confirmed: {colour: green}\n", "give a text or a mapping"),
        ("statuses: {}\n", "only 'export' and 'import'"),
        ("- a\n- b\n", "must be a mapping"),
        ("export: [\n", "cannot read mapping"),
    ],
)
def test_bad_mapping_files_raise_one_line(tmp_path, text, message):
    path = tmp_path / "mapping.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidValue) as error:
        load_mapping(path)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_missing_mapping_file(tmp_path):
    with pytest.raises(InvalidValue, match="cannot read mapping"):
        load_mapping(tmp_path / "absent.yml")


# Export


def assert_google_claimreview(obj):
    """The ClaimReview shape Google documents: required claimReviewed, reviewRating.alternateName, url (when given)."""
    assert obj["@context"] == "https://schema.org" and obj["@type"] == "ClaimReview"
    assert isinstance(obj["claimReviewed"], str) and obj["claimReviewed"].strip()
    rating = obj["reviewRating"]
    assert rating["@type"] == "Rating" and isinstance(rating["alternateName"], str) and rating["alternateName"]
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert obj["author"]["@type"] in ("Organization", "Person") and obj["author"]["name"]
    datetime.date.fromisoformat(obj["datePublished"])
    item = obj.get("itemReviewed", {"@type": "Claim"})
    assert item["@type"] == "Claim"
    for author in item.get("author", []):
        assert author["@type"] in ("Organization", "Person") and author["name"]
    for appearance in item.get("appearance", []):
        assert appearance["@type"] == "CreativeWork" and (appearance.get("url") or appearance.get("headline"))
    assert all(value not in (None, "", [], {}) for value in obj.values())
    assert json.loads(json.dumps(obj)) == obj


@pytest.fixture
def reviewed_db(db, source_id, actors):
    """Three claims: one disputed after a change, one still unconfirmed, one recorded as false."""
    model.add_actor(db, "Kim Jong Un", kind="person", country="KP")
    web = model.add_source(db, "KCNA report", url="https://news.example/kcna", outlet="KCNA", published="2025-08-29")
    disputed = model.add_claim(
        db,
        "About 600 soldiers were killed.",
        source=web,
        said_on="2025-08-28",
        language="en",
        parties=[("Seoul", "asserts"), ("Kim Jong Un", "asserts"), ("ATS", "relays")],
    )
    model.set_status(db, disputed, "disputed", reason="Kyiv gives another figure", on="2025-09-02")
    model.add_claim(db, "Kim met the families.", source=source_id, parties=[("Pyongyang", "asserts")])
    model.add_claim(
        db,
        "<script>x</script>'; DROP TABLE claims; --",
        source=source_id,
        status="false",
        reason="Shown untrue",
        parties=[("Pyongyang", "asserts")],
    )
    return db


def test_export_a_claim_from_the_model(reviewed_db):
    claim = model.get_claim(reviewed_db, 1)
    obj = to_claimreview(claim, reviewer=REVIEWER, review_url="https://desk.example/claims/claims/1")
    assert_google_claimreview(obj)
    assert obj["url"] == "https://desk.example/claims/claims/1"
    assert obj["claimReviewed"] == "About 600 soldiers were killed."
    assert obj["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Disputed",
        "ratingValue": 3,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert obj["author"] == {"@type": "Organization", "name": "Claims Desk", "url": "https://desk.example/"}
    assert obj["datePublished"] == "2025-09-02"  # the date of the latest status change
    assert obj["inLanguage"] == "en"
    appearance = {
        "@type": "CreativeWork",
        "url": "https://news.example/kcna",
        "headline": "KCNA report",
        "publisher": {"@type": "Organization", "name": "KCNA"},
        "datePublished": "2025-08-29",
        "text": "About 600 soldiers were killed.",
        "inLanguage": "en",
    }
    assert obj["itemReviewed"] == {
        "@type": "Claim",
        "author": [{"@type": "Organization", "name": "Seoul"}, {"@type": "Person", "name": "Kim Jong Un"}],
        "datePublished": "2025-08-28",
        "appearance": [appearance],
        "firstAppearance": appearance,
    }


def test_export_only_reviewed_claims_with_their_page_url(reviewed_db):
    claims = [model.get_claim(reviewed_db, claim["id"]) for claim in model.list_claims(reviewed_db)]
    exported = export_claimreviews(claims, reviewer=REVIEWER, base_url="https://claims.example/")
    assert [obj["url"] for obj in exported] == [
        "https://claims.example/claims/claims/1",
        "https://claims.example/claims/claims/3",
    ]
    for obj in exported:
        assert_google_claimreview(obj)
    assert exported[1]["claimReviewed"] == "<script>x</script>'; DROP TABLE claims; --"
    assert exported[1]["datePublished"] == datetime.date.today().isoformat()  # no change after the initial status
    assert "url" not in export_claimreviews(claims, reviewer=REVIEWER)[0]
    model.set_status(reviewed_db, 2, "corroborated", reason="A second source", on="2025-09-01")
    model.set_status(reviewed_db, 2, "unconfirmed", reason="The second source withdrew", on="2025-09-03")
    again = export_claimreviews([model.get_claim(reviewed_db, 2)], reviewer=REVIEWER)
    assert [(o["reviewRating"]["alternateName"], o["datePublished"]) for o in again] == [("Unproven", "2025-09-03")]


def test_export_round_trips_through_import(reviewed_db):
    claims = [model.get_claim(reviewed_db, claim["id"]) for claim in model.list_claims(reviewed_db)]
    exported = export_claimreviews(claims, reviewer=REVIEWER, base_url="https://claims.example")
    records, warnings = parse_claimreviews(json.dumps(exported), origin="export.json")
    assert warnings == []
    reviewed = [c for c in claims if c["id"] in (1, 3)]
    assert [r["text"] for r in records] == [c["text"] for c in reviewed]
    assert [r["asserted_by"] for r in records] == [c["asserted_by"] for c in reviewed]
    assert [r["status"] for r in records] == [c["status"] for c in reviewed]
    assert [r["source"]["url"] for r in records] == [c["source"]["url"] for c in reviewed]
    assert records[0]["said_on"] == "2025-08-28" and records[0]["language"] == "en"
    assert records[0]["reason"] == "ClaimReview rating 'Disputed' by Claims Desk (2025-09-02)"


@pytest.mark.parametrize("status", STATUS_NAMES)
def test_every_status_exports_and_comes_back(status):
    claim = {
        "id": 7,
        "text": "A claim.",
        "status": status,
        "language": "fr",
        "said_on": "2025-08-30",
        "asserted_by": ["Seoul"],
        "source": {"title": "T", "url": None, "outlet": None, "published": None},
        "history": [{"from": None, "to": status, "on": "2025-08-30", "recorded_at": "2025-08-30T10:00:00Z"}],
    }
    for mapping in (DEFAULT_MAPPING, load_mapping(DATA / "mapping.yml")):
        obj = to_claimreview(claim, reviewer=REVIEWER, mapping=mapping)
        assert_google_claimreview(obj)
        assert obj["reviewRating"]["alternateName"] == mapping["export"][status]["alternateName"]
        record, _ = parse_one(obj, mapping=mapping)
        assert record["status"] == status
        assert record["source"]["title"] == "T"


def test_export_mapping_covers_every_status_on_an_ordered_scale():
    export = DEFAULT_MAPPING["export"]
    assert set(export) == set(STATUS_NAMES)
    values = {status: rating["ratingValue"] for status, rating in export.items()}
    assert values["false"] < values["denied"] < values["disputed"] < values["corroborated"] < values["confirmed"]


def test_export_refuses_what_it_cannot_describe():
    claim = {"id": 1, "text": "A claim.", "status": "rumoured", "source": {"title": "T"}}
    with pytest.raises(InvalidValue, match="no ClaimReview rating for status 'rumoured'"):
        to_claimreview(claim, reviewer=REVIEWER)
    with pytest.raises(InvalidValue, match="reviewer needs a name"):
        to_claimreview(claim | {"status": "false"}, reviewer={"name": "  "})
    with pytest.raises(InvalidValue, match="reviewer URL"):
        to_claimreview(claim | {"status": "false"}, reviewer={"name": "Desk", "url": "javascript:alert(1)"})


# A claim in many reports


@pytest.fixture
def reported_db(reviewed_db):
    """Claim 1 (disputed) reported again, earlier and in French, by ATS; and once more later, by Hexa."""
    from claims import links

    db = reviewed_db
    earlier = model.add_source(
        db, "Dépêche ATS", url="https://news.example/ats", outlet="ATS", published="2025-08-27", language="fr"
    )
    later = model.add_source(
        db, "Hexa follow-up", url="https://news.example/hexa", outlet="Hexa", published="2025-09-24", language="en"
    )
    french = model.add_claim(db, "Environ 600 soldats ont été tués.", source=earlier, parties=[("Seoul", "asserts")])
    again = model.add_claim(db, "Some 600 soldiers died.", source=later, parties=[("Seoul", "asserts")])
    links.link(db, french, 1, "same", reason="The same figure in French")
    links.link(db, again, 1, "same", reason="Repeated")
    return db


def all_claims(db):
    return [model.get_claim(db, claim["id"]) for claim in model.list_claims(db)]


def test_a_claim_reported_several_times_is_one_review_with_every_report_as_an_appearance(reported_db):
    exported = export_claimreviews(all_claims(reported_db), reviewer=REVIEWER, base_url="https://claims.example")
    assert [obj["url"] for obj in exported] == [
        "https://claims.example/claims/claims/1",
        "https://claims.example/claims/claims/3",
    ]  # claims 4 and 5 are reports of claim 1: no review of their own
    [obj] = [obj for obj in exported if obj["claimReviewed"] == "About 600 soldiers were killed."]
    assert_google_claimreview(obj)
    item = obj["itemReviewed"]
    assert [(a["url"], a["datePublished"], a["text"], a.get("inLanguage")) for a in item["appearance"]] == [
        ("https://news.example/ats", "2025-08-27", "Environ 600 soldats ont été tués.", "fr"),
        ("https://news.example/kcna", "2025-08-29", "About 600 soldiers were killed.", "en"),
        ("https://news.example/hexa", "2025-09-24", "Some 600 soldiers died.", "en"),
    ]
    assert [a["publisher"]["name"] for a in item["appearance"]] == ["ATS", "KCNA", "Hexa"]
    assert item["firstAppearance"] == item["appearance"][0]


def import_reviews(db, tmp_path, reviews, name="reviews.json"):
    from claims.io.imports import import_path

    path = tmp_path / name
    path.write_text(json.dumps(reviews), encoding="utf-8")
    return import_path(db, path)


def groups(db):
    """Each claim's reports, as (source url, text), the claims in id order."""
    rows = db.execute(
        "select claims.group_id, sources.url, claims.text from claims join sources on sources.id = claims.source_id "
        "order by claims.group_id, claims.id"
    ).fetchall()
    found = {}
    for group, url, text in rows:
        found.setdefault(group, []).append((url, text))
    return list(found.values())


def test_exported_reviews_import_as_the_same_claim_in_each_report(reported_db, db_path, tmp_path):
    exported = export_claimreviews(all_claims(reported_db), reviewer=REVIEWER)
    from claims.db import open_db

    copy = tmp_path / "copy.db"
    with open_db(copy, create=True) as db:
        summary = import_reviews(db, tmp_path, exported)
        assert (summary.added, summary.links_added) == (4, 2)
        assert groups(db) == [
            [
                ("https://news.example/ats", "Environ 600 soldats ont été tués."),
                ("https://news.example/kcna", "About 600 soldiers were killed."),
                ("https://news.example/hexa", "Some 600 soldiers died."),
            ],
            [(None, "<script>x</script>'; DROP TABLE claims; --")],
        ]
        assert {model.get_claim(db, n)["status"] for n in (1, 2, 3)} == {"disputed"}
        assert model.get_claim(db, 1)["language"] == "fr"
        again = import_reviews(db, tmp_path, exported)
        assert (again.added, again.links_added) == (0, 0)
        exported_again = export_claimreviews(all_claims(db), reviewer=REVIEWER)

    def appearances(reviews):
        return [(r["reviewRating"], r["itemReviewed"]["appearance"]) for r in reviews]

    assert appearances(exported_again) == appearances(exported)  # the reviewed claim is now its first report


def test_reviews_of_the_same_claim_are_linked_as_the_same_claim(db, tmp_path):
    def appearing(url, title):
        return {"@type": "Claim", "appearance": {"@type": "CreativeWork", "url": url, "headline": title}}

    reviews = [
        review(url="https://a.example/1", itemReviewed=appearing("https://post.example/1", "Post 1")),
        review(
            url="https://b.example/1",
            author={"name": "Other checker"},
            itemReviewed=appearing("https://post.example/2", "Post 2"),
        ),  # the same claimReviewed text
        review(
            url="https://c.example/1",
            claimReviewed="The moon is cheese, says a post.",
            itemReviewed=appearing("https://post.example/2", "Post 2"),
        ),  # another wording where review 2 saw it
        review(
            url="https://d.example/1",
            claimReviewed="The sun is cold.",
            itemReviewed=appearing("https://post.example/3", "Post 3"),
        ),
        review(
            url="https://e.example/1",
            reviewRating={"alternateName": "Mostly true"},
            itemReviewed=appearing("https://post.example/1", "Post 1"),
        ),  # review 1's claim where it saw it
    ]
    summary = import_reviews(db, tmp_path, reviews)
    assert (summary.added, summary.links_added) == (4, 2)
    assert groups(db) == [
        [
            ("https://post.example/1", "The moon is made of cheese."),
            ("https://post.example/2", "The moon is made of cheese."),
            ("https://post.example/2", "The moon is cheese, says a post."),
        ],
        [("https://post.example/3", "The sun is cold.")],
    ]
    reasons = db.execute("select claim_id, other_id, reason from current_links order by claim_id").fetchall()
    assert reasons == [
        (2, 1, "ClaimReview: the same claim reviewed again (the same claimReviewed text)"),
        (3, 1, "ClaimReview: the same claim reviewed again (an appearance in common)"),
    ]
    history = [(h["from"], h["to"]) for h in model.get_claim(db, 1)["history"]]
    assert history[:2] == [(None, "false"), ("false", "corroborated")]  # review 5: a later rating of claim 1
    assert {model.get_claim(db, n)["status"] for n in (1, 2, 3)} == {"corroborated"}  # one claim, one status
