import json
import sqlite3

import pytest

from claims import model
from claims.errors import AlreadyExists, InvalidValue, NotFound
from claims.revisions import edit_claim, purge_claim, retract_claim
from claims.values import parse_figure


@pytest.fixture
def claim(db, source_id, actors):
    return model.add_claim(
        db,
        "Selon Séoul, environ 600 soldats",
        source=source_id,
        parties=[("Seoul", "asserts")],
        figures=[parse_figure("killed=~600")],
        translation="According to Seoul",
        recorded_by="alice",
    )


def test_edit_keeps_every_old_value_with_who_when_why(db, claim):
    other = model.add_source(db, "Correction", url="https://example.org/correction")
    revisions = edit_claim(
        db,
        claim,
        reason="Typo and better source",
        text="Selon Séoul, environ 600 soldats tués",
        translation="",
        source=other,
        figures=[parse_figure("killed=~600 soldiers"), parse_figure("wounded=>=1000")],
        recorded_by="bob",
    )
    assert [r["field"] for r in revisions] == ["text", "translation", "source_id", "figures"]
    after = model.get_claim(db, claim)
    assert after["text"] == "Selon Séoul, environ 600 soldats tués" and after["translation"] is None
    assert after["source"]["id"] == other
    assert [f["text"] for f in after["figures"]] == ["about 600 soldiers", "at least 1,000"]
    recorded = {r["field"]: r for r in after["revisions"]}
    assert recorded["text"]["old_value"] == "Selon Séoul, environ 600 soldats"
    assert recorded["translation"]["old_value"] == "According to Seoul" and recorded["translation"]["new_value"] is None
    assert recorded["figures"]["old_value"] == ["killed=~600"]
    assert {r["recorded_by"] for r in after["revisions"]} == {"bob"}
    assert {r["reason"] for r in after["revisions"]} == {"Typo and better source"}
    assert [c["id"] for c in model.list_claims(db, search="tues")] == [claim]


def test_edit_refuses_bad_or_empty_changes(db, claim, source_id):
    model.add_claim(db, "Another claim", source=source_id)
    before = db["revisions"].count
    with pytest.raises(InvalidValue, match="reason is empty"):
        edit_claim(db, claim, reason=" ", text="x")
    with pytest.raises(InvalidValue, match="nothing to change: give at least one field"):
        edit_claim(db, claim, reason="r")
    with pytest.raises(InvalidValue, match=f"nothing to change: claim {claim} already has these values"):
        edit_claim(db, claim, reason="r", translation="According to Seoul")
    with pytest.raises(AlreadyExists, match="already has this text"):
        edit_claim(db, claim, reason="r", text="Another claim")
    with pytest.raises(InvalidValue, match="invalid date said"):
        edit_claim(db, claim, reason="r", said_on="2025-02-30")
    with pytest.raises(NotFound, match="no claim with id 99"):
        edit_claim(db, 99, reason="r", notes="x")
    assert db["revisions"].count == before
    assert model.get_claim(db, claim)["text"] == "Selon Séoul, environ 600 soldats"


def test_delete_is_a_retraction(db, claim):
    retract_claim(db, claim, reason="Withdrawn by Seoul", recorded_by="carol")
    after = model.get_claim(db, claim)
    assert after["status"] == "retracted"
    assert after["history"][-1]["reason"] == "Withdrawn by Seoul" and after["history"][-1]["recorded_by"] == "carol"
    assert db["claims"].count == 1


def test_purge_logs_a_full_snapshot_then_removes(db, claim):
    model.set_status(db, claim, "disputed", reason="Contested")
    purge_claim(db, claim, reason="Entered twice", recorded_by="dan")
    with pytest.raises(NotFound):
        model.get_claim(db, claim)
    assert all(db[t].count == 0 for t in ("claims", "attributions", "figures", "status_changes"))
    entry = next(db["purges"].rows)
    snapshot = json.loads(entry["claim"])
    assert (entry["claim_id"], entry["reason"], entry["recorded_by"]) == (claim, "Entered twice", "dan")
    assert snapshot["text"] == "Selon Séoul, environ 600 soldats" and len(snapshot["history"]) == 2


@pytest.mark.parametrize(
    "statement",
    [
        "update revisions set reason = 'rewritten'",
        "delete from revisions",
        "update status_changes set to_status = 'false'",
        "delete from status_changes",
        "update purges set reason = 'x'",
        "delete from purges",
    ],
)
def test_history_revisions_and_purge_log_cannot_be_rewritten_in_sql(db, claim, statement):
    edit_claim(db, claim, reason="r", notes="a note")
    other = model.add_claim(db, "To purge", source=1)
    purge_claim(db, other, reason="mistake")
    counts = {t: db[t].count for t in ("revisions", "status_changes", "purges")}
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(statement)
    assert {t: db[t].count for t in counts} == counts


def test_recorded_by_defaults_to_the_environment(db, source_id, monkeypatch):
    monkeypatch.setenv("CLAIMS_USER", "eve")
    claim_id = model.add_claim(db, "Who wrote me", source=source_id)
    assert db["claims"].get(claim_id)["created_by"] == "eve"
    assert model.get_claim(db, claim_id)["history"][0]["recorded_by"] == "eve"


@pytest.mark.parametrize(
    "field,value,shown",
    [
        ("notes", None, "(empty)"),
        ("notes", "x", "x"),
        ("is_quote", 1, "yes"),
        ("is_quote", 0, "no"),
        ("source_id", 3, "source 3"),
        ("figures", [], "(empty)"),
        ("figures", ["killed=~600", "wounded=>=1000 soldiers"], "killed: about 600; wounded: at least 1,000 soldiers"),
        (
            "denied_by",
            ["Seoul", {"actor": "Pyongyang", "date": "2025-09-02", "source": 2}],
            "Seoul; Pyongyang (2025-09-02, source 2)",
        ),
    ],
)
def test_readable_value_of_a_revision(field, value, shown):
    from claims.revisions import readable_value

    assert readable_value(field, value) == shown
