import json

import pytest

from claims import model
from claims.errors import AlreadyExists, InvalidValue, NotFound
from claims.values import parse_figure
from claims.writing import INITIAL_STATUS_REASON


def add_seoul_claim(db, source_id, **kwargs):
    return model.add_claim(
        db,
        "Selon Séoul, environ 600 soldats nord-coréens ont été tués, ce que Pyongyang n'a pas confirmé.",
        source=source_id,
        parties=[("séoul", "asserts"), ("ATS", "relays"), ("North Korea", "not-confirmed")],
        figures=[parse_figure("killed=~600 soldiers")],
        **kwargs,
    )


def test_add_claim_records_parties_figures_and_initial_status(db, source_id, actors):
    claim_id = add_seoul_claim(db, source_id, said_on="2025-08-30")
    claim = model.get_claim(db, claim_id)
    assert claim["status"] == "unconfirmed"
    assert claim["language"] == "fr"  # inherited from the source
    assert claim["source"]["id"] == source_id
    assert [(a["actor"], a["role"]) for a in claim["attributions"]] == [
        ("Seoul", "asserts"),
        ("ATS", "relays"),
        ("Pyongyang", "not-confirmed"),
    ]
    assert claim["asserted_by"] == ["Seoul"]
    assert claim["relayed_by"] == ["ATS"]
    assert claim["not_confirmed_by"] == ["Pyongyang"]
    assert claim["confirmed_by"] == claim["denied_by"] == claim["disputed_by"] == []
    assert claim["figures"] == [
        {
            "measure": "killed",
            "qualifier": "about",
            "low": 600,
            "high": 600,
            "unit": "soldiers",
            "text": "about 600 soldiers",
        }
    ]
    assert [(h["from"], h["to"], h["on"]) for h in claim["history"]] == [(None, "unconfirmed", "2025-08-30")]


def test_party_columns_are_json_arrays_of_canonical_names(db, source_id, actors):
    claim_id = add_seoul_claim(db, source_id)
    row = db["claims"].get(claim_id)
    assert json.loads(row["asserted_by"]) == ["Seoul"]
    assert row["disputed_by"] == "[]"


def test_two_asserting_actors(db, source_id, actors):
    model.add_actor(db, "South Korean intelligence", kind="intelligence", country="KR")
    model.add_actor(db, "Western intelligence", kind="intelligence")
    claim_id = model.add_claim(
        db,
        "Pyongyang a envoyé plus de 10'000 soldats",
        source=source_id,
        parties=[("South Korean intelligence", "asserts"), ("western intelligence", "asserts")],
        figures=[parse_figure("troops_sent=>10000")],
    )
    assert model.get_claim(db, claim_id)["asserted_by"] == ["South Korean intelligence", "Western intelligence"]


def test_measure_names_most_used_first_and_actor_kinds(db, source_id, actors):
    assert model.measure_names(db) == []
    add_seoul_claim(db, source_id)
    model.add_claim(
        db,
        "Plus de 10'000 soldats",
        source=source_id,
        figures=[parse_figure("troops_sent=>10000"), parse_figure("wounded=>=1000")],
    )
    model.add_claim(db, "1000 blessés", source=source_id, figures=[parse_figure("wounded=1000")])
    assert model.measure_names(db) == ["wounded", "killed", "troops_sent"]
    kinds = model.actor_kinds(db)
    assert kinds["Seoul"] == "government" and set(kinds) == {row["name"] for row in db["actors"].rows}


def test_figures_are_queryable_as_numbers(db, source_id, actors):
    add_seoul_claim(db, source_id)
    model.add_claim(db, "Plus de 10'000 soldats", source=source_id, figures=[parse_figure("troops_sent=>10000")])
    rows = list(db.query("select measure from figures where low >= 1000 and high is null"))
    assert rows == [{"measure": "troops_sent"}]
    assert [r["measure"] for r in db.query("select measure from figures where low between 500 and 700")] == ["killed"]


def test_actor_matching_ignores_case_and_accents(db, actors):
    seoul = model.get_actor(db, "Seoul")["id"]
    assert model.find_actor_id(db, "séoul") == seoul
    assert model.find_actor_id(db, "SEOUL") == seoul
    assert model.find_actor_id(db, "south korea") == seoul
    assert model.find_actor_id(db, "Tokyo") is None


def test_alias_of_another_actor_is_refused(db, actors):
    with pytest.raises(AlreadyExists, match="'SEOUL' already names actor 'Seoul'"):
        model.add_actor(db, "Seoul city hall", kind="government", aliases=["SEOUL"])
    assert model.find_actor_id(db, "Seoul city hall") is None


def test_unknown_kind_is_refused(db):
    with pytest.raises(InvalidValue, match="unknown actor kind 'spy': expected one of government, state-media"):
        model.add_actor(db, "Someone", kind="spy")


def test_unknown_actor_suggests_close_matches(db, source_id, actors):
    with pytest.raises(NotFound) as e:
        model.add_claim(db, "A claim", source=source_id, parties=[("Seol", "asserts")])
    assert str(e.value) == (
        "unknown actor 'Seol' (did you mean Seoul?): add it with 'claims actor add' or pass --create-actors"
    )
    assert db["claims"].count == 0


def test_create_actors_records_unknown_actors(db, source_id):
    claim_id = model.add_claim(db, "A claim", source=source_id, parties=[("Kyiv", "denies")], create_actors=True)
    assert model.get_claim(db, claim_id)["denied_by"] == ["Kyiv"]
    assert db["actors"].get(model.find_actor_id(db, "kyiv"))["kind"] == "other"


def test_failed_add_claim_writes_nothing(db, source_id):
    """A claim whose second party is invalid leaves no claim, no actor, no history behind."""
    counts = {t: db[t].count for t in ("claims", "actors", "attributions", "status_changes", "figures")}
    with pytest.raises(InvalidValue, match="has no letters or digits"):
        model.add_claim(
            db,
            "A claim",
            source=source_id,
            parties=[("Kyiv", "asserts"), ("!!!", "denies")],
            figures=[parse_figure("killed=5")],
            create_actors=True,
        )
    assert {t: db[t].count for t in counts} == counts


def test_duplicate_claim_in_same_source_is_refused(db, source_id, actors):
    claim_id = add_seoul_claim(db, source_id)
    with pytest.raises(AlreadyExists, match=f"already recorded from source {source_id} as claim {claim_id}"):
        add_seoul_claim(db, source_id)


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"status": "probably"}, "unknown status 'probably'"),
        ({"said_on": "30/08/2025"}, "invalid date said '30/08/2025'"),
        ({"language": "français"}, "invalid language"),
        ({"source": "999"}, "no source '999'"),
        ({"source": "https://nowhere.example/x"}, "no source 'https://nowhere.example/x'"),
        ({"parties": [("Seoul", "claims")]}, "unknown role 'claims'"),
    ],
)
def test_add_claim_rejects_bad_input(db, source_id, actors, kwargs, error):
    arguments = {"source": source_id} | kwargs
    with pytest.raises((InvalidValue, NotFound), match=error):
        model.add_claim(db, "A claim", **arguments)
    assert db["claims"].count == 0


def test_empty_text_is_refused(db, source_id):
    with pytest.raises(InvalidValue, match="claim text is empty"):
        model.add_claim(db, "   ", source=source_id)


def test_set_status_appends_history(db, source_id, actors):
    claim_id = add_seoul_claim(db, source_id)
    model.set_status(db, claim_id, "corroborated", reason="Also reported by NIS", on="2025-09-01")
    change = model.set_status(
        db, claim_id, "confirmed", reason="KCNA acknowledged the losses", evidence="https://example.org/kcna"
    )
    assert change["from"] == "corroborated" and change["to"] == "confirmed"
    claim = model.get_claim(db, claim_id)
    assert claim["status"] == "confirmed"
    assert [(h["from"], h["to"], h["reason"], h["evidence"]) for h in claim["history"]] == [
        (None, "unconfirmed", INITIAL_STATUS_REASON, None),
        ("unconfirmed", "corroborated", "Also reported by NIS", None),
        ("corroborated", "confirmed", "KCNA acknowledged the losses", "https://example.org/kcna"),
    ]
    assert claim["history"][-1]["on"] == change["on"]


@pytest.mark.parametrize(
    "status,kwargs,error",
    [
        ("confirmed", {"reason": " "}, "reason is empty"),
        ("sure", {"reason": "x"}, "unknown status 'sure'"),
        ("unconfirmed", {"reason": "x"}, "is already unconfirmed"),
        ("confirmed", {"reason": "x", "evidence": "javascript:alert(1)"}, "invalid evidence URL"),
        ("confirmed", {"reason": "x", "on": "2025-02-30"}, "day is out of range"),
    ],
)
def test_set_status_rejects_bad_input(db, source_id, status, kwargs, error):
    claim_id = model.add_claim(db, "A claim", source=source_id)
    with pytest.raises(InvalidValue, match=error):
        model.set_status(db, claim_id, status, **kwargs)
    assert db["status_changes"].count == 1


def test_set_status_of_missing_claim(db):
    with pytest.raises(NotFound, match="no claim with id 42"):
        model.set_status(db, 42, "confirmed", reason="x")


def test_add_stance_updates_parties(db, source_id, actors):
    claim_id = add_seoul_claim(db, source_id)
    later = model.add_source(db, "KCNA statement", url="https://example.org/kcna")
    stance = model.add_stance(
        db, claim_id, "Pyongyang", "confirms", source="https://example.org/kcna", on="2025-09-02", reason="KCNA says so"
    )
    assert stance["superseded"] == ["not-confirmed"]
    claim = model.get_claim(db, claim_id)
    assert claim["confirmed_by"] == ["Pyongyang"]
    assert claim["not_confirmed_by"] == []  # superseded by the new stance, kept in the revisions
    assert claim["attributions"][-1] == {
        "actor": "Pyongyang",
        "role": "confirms",
        "kind": "government",
        "source_id": later,
        "stated_on": "2025-09-02",
    }
    changed = {r["field"]: (r["old_value"], r["new_value"], r["reason"]) for r in claim["revisions"]}
    assert changed["not_confirmed_by"] == (["Pyongyang"], [], "KCNA says so")
    assert "confirmed_by" not in changed  # a party only added needs no revision: its attribution says who and when
    with pytest.raises(AlreadyExists, match="already records that 'Pyongyang' confirms"):
        model.add_stance(db, claim_id, "pyongyang", "confirms")


def test_a_relay_does_not_supersede_a_stance(db, source_id, actors):
    claim_id = add_seoul_claim(db, source_id)
    model.add_stance(db, claim_id, "Pyongyang", "relays")
    claim = model.get_claim(db, claim_id)
    assert claim["not_confirmed_by"] == ["Pyongyang"] and claim["relayed_by"][-1] == "Pyongyang"


def test_source_identity(db):
    first = model.add_source(db, "Story", url="https://example.org/story")
    with pytest.raises(AlreadyExists, match=f"already recorded as source {first}"):
        model.add_source(db, "Same story, other title", url="https://example.org/story")
    no_url = model.add_source(db, "Wire", outlet="ATS", published="2025-08-30")
    assert model.find_matching_source(db, "Wire", outlet="ATS", published="2025-08-30") == no_url
    assert model.find_matching_source(db, "Wire", outlet="AFP", published="2025-08-30") is None
    assert model.get_source(db, "https://example.org/story")["id"] == first
    assert model.get_source(db, str(no_url))["title"] == "Wire"


def test_list_claims_filters(db, source_id, actors):
    seoul_claim = add_seoul_claim(db, source_id)
    other = model.add_source(db, "Other", url="https://example.org/other", language="en")
    english = model.add_claim(
        db, "Pyongyang confirmed the deployment", source=other, parties=[("Pyongyang", "asserts")]
    )
    model.set_status(db, english, "confirmed", reason="Official statement")
    assert [c["id"] for c in model.list_claims(db)] == [seoul_claim, english]
    assert [c["id"] for c in model.list_claims(db, by="SEOUL")] == [seoul_claim]
    assert [c["id"] for c in model.list_claims(db, by="Pyongyang")] == [english]  # not-confirmed is not asserting
    assert [c["id"] for c in model.list_claims(db, status="confirmed")] == [english]
    assert [c["id"] for c in model.list_claims(db, source="https://example.org/other")] == [english]
    assert [c["id"] for c in model.list_claims(db, status="unconfirmed", by="Seoul")] == [seoul_claim]
    assert model.list_claims(db, status="confirmed", by="Seoul") == []


@pytest.mark.parametrize("query", ["seoul", "SÉOUL", "tues", "confirme", "soldats nord"])
def test_search_ignores_case_and_accents(db, source_id, actors, query):
    claim_id = add_seoul_claim(db, source_id)
    model.add_claim(db, "Something else entirely", source=source_id)
    assert [c["id"] for c in model.list_claims(db, search=query)] == [claim_id]


def test_search_matches_word_forms(db, source_id):
    drones = model.add_claim(db, "Forces shot down 42 Ukrainian drones overnight", source=source_id, language="en")
    killed = model.add_claim(db, "Des soldats ont été tués", source=source_id)
    assert [c["id"] for c in model.list_claims(db, search="drone")] == [drones]
    assert [c["id"] for c in model.list_claims(db, search="soldat tue")] == [killed]


def test_search_finds_translation_and_treats_operators_as_words(db, source_id):
    claim_id = model.add_claim(db, "Texte", source=source_id, translation="North Korean troops OR missiles")
    assert [c["id"] for c in model.list_claims(db, search="troops")] == [claim_id]
    assert model.list_claims(db, search='missiles NOT "troops') == []
    assert model.list_claims(db, search="nothing-like-this") == []


def test_list_actors_and_sources(db, source_id, actors):
    add_seoul_claim(db, source_id)
    seoul = next(a for a in model.list_actors(db) if a["name"] == "Seoul")
    # "Séoul" folds to the same key as "Seoul", so it matches without being stored twice
    assert seoul["aliases"] == ["South Korea"]
    assert seoul["claims"] == 1
    assert model.list_sources(db)[0]["claims"] == 1
