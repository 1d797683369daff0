"""The counts behind facets and charts stay exact through every kind of write."""

import pytest

from sqlite_utils import Database

from claims import counts, model
from claims.db import open_db
from claims.maintenance import check, repair
from claims.migrations import migrations
from claims.revisions import edit_claim, purge_claim, retract_claim


def facet(db, name: str) -> dict:
    return {
        value: count
        for value, count in db.execute(
            "select value, count from facet_counts where facet = ? and count != 0", [name]
        ).fetchall()
    }


def monthly(db) -> dict:
    return {(m, s): n for m, s, n in db.execute("select month, status, count from status_changes_per_month where count != 0")}


def actor_id(db, name: str) -> int:
    return model.find_actor_id(db, name)


def test_counts_follow_every_kind_of_write(db, source_id, actors):
    first = model.add_claim(
        db, "Seoul says 600 killed", source=source_id, parties=[("Seoul", "asserts"), ("Pyongyang", "not-confirmed")],
        said_on="2025-08-29",
    )  # fmt: skip
    second = model.add_claim(db, "ATS reports a visit", source=source_id, parties=[("ATS", "asserts")], said_on="2025-08-30")
    assert facet(db, "status") == {"unconfirmed": 2}
    assert facet(db, "asserted_by") == {actor_id(db, "Seoul"): 1, actor_id(db, "ATS"): 1}
    assert facet(db, "not_confirmed_by") == {actor_id(db, "Pyongyang"): 1}
    assert facet(db, "said_on") == {"2025-08-29": 1, "2025-08-30": 1}
    assert facet(db, "language") == {"fr": 2}
    assert facet(db, "source_id") == {source_id: 2}

    model.set_status(db, first, "confirmed", reason="Pyongyang admitted it", on="2025-09-02")
    model.add_stance(db, first, "Pyongyang", "confirms")
    edit_claim(db, second, said_on="2025-08-31", language="en", reason="wrong date")
    assert facet(db, "status") == {"unconfirmed": 1, "confirmed": 1}
    assert facet(db, "confirmed_by") == {actor_id(db, "Pyongyang"): 1}
    assert facet(db, "said_on") == {"2025-08-29": 1, "2025-08-31": 1}
    assert facet(db, "language") == {"fr": 1, "en": 1}
    assert monthly(db)[("2025-09", "confirmed")] == 1

    retract_claim(db, second, reason="Misread the wire")
    purge_claim(db, first, reason="Recorded by mistake")
    assert facet(db, "status") == {"retracted": 1}
    assert facet(db, "asserted_by") == {actor_id(db, "ATS"): 1}
    assert facet(db, "confirmed_by") == {} and facet(db, "not_confirmed_by") == {}
    assert ("2025-09", "confirmed") not in monthly(db)
    assert counts.stale(db) == []


def test_a_large_example_is_counted_like_a_group_by(example_db):
    assert counts.stale(example_db) == []
    by_status = dict(example_db.execute("select status, count(*) from claims group by status").fetchall())
    assert facet(example_db, "status") == by_status


def test_next_ids_and_add_counts_catch_up_rows_written_without_triggers(db, source_id, actors):
    before = model.add_claim(db, "Before", source=source_id, parties=[("Seoul", "asserts")])
    since = counts.next_ids(db)
    for name in counts.INSERT_TRIGGERS:
        db.execute(f"drop trigger {name}")
    model.add_claim(db, "During", source=source_id, parties=[("Seoul", "asserts"), ("ATS", "relays")])
    model.set_status(db, before, "confirmed", reason="Seen", on="2025-09-01")
    assert counts.stale(db) == ["facet_counts", "status_changes_per_month"]
    counts.add_counts(db, since)
    assert counts.stale(db) == []
    assert facet(db, "asserted_by") == {actor_id(db, "Seoul"): 2}


def test_check_reports_stale_counts_and_repair_recounts(db, source_id, actors):
    model.add_claim(db, "Seoul says 600 killed", source=source_id, parties=[("Seoul", "asserts")])
    db.execute("update facet_counts set count = 99 where facet = 'status'")
    db.execute("drop trigger attributions_counts_ai")
    problems = check(db)
    assert "facet_counts: counts differ from the recorded claims" in problems
    assert "trigger attributions_counts_ai is missing" in problems
    fixed = repair(db)
    assert "facet_counts: counted again" in fixed and "trigger attributions_counts_ai recreated" in fixed
    assert check(db) == []
    model.add_claim(db, "Pyongyang denies", source=source_id, parties=[("Pyongyang", "asserts")])
    assert counts.stale(db) == []


@pytest.mark.parametrize("name", list(counts.triggers()))
def test_every_trigger_is_created_by_the_migration(db, name):
    assert name in {trigger.name for trigger in db.triggers}


def test_status_changes_per_month_count_changes_not_the_status_claims_are_recorded_with(db, source_id):
    """Each claim's initial status was counted as a change: 19 "changes" shown where one status had changed."""
    first = model.add_claim(db, "Recorded unconfirmed", source=source_id, said_on="2025-08-29")
    model.add_claim(db, "Recorded confirmed", source=source_id, status="confirmed", said_on="2025-08-29")
    assert monthly(db) == {}
    model.set_status(db, first, "disputed", reason="Denied", on="2025-09-03")
    assert monthly(db) == {("2025-09", "disputed"): 1}
    purge_claim(db, first, reason="Recorded by mistake")
    assert monthly(db) == {}
    assert db.execute("select count(*) from status_changes_per_month where count < 0").fetchone()[0] == 0
    assert counts.stale(db) == []


# The monthly count triggers as m004 created them: every status history row counted, the first one too.
M004_MONTHLY_TRIGGERS = [
    "CREATE TRIGGER status_changes_counts_ai AFTER INSERT ON status_changes BEGIN "
    "INSERT INTO status_changes_per_month (month, status, count) SELECT substr(NEW.changed_on, 1, 7), NEW.to_status, 1 "
    "WHERE substr(NEW.changed_on, 1, 7) IS NOT NULL AND NEW.to_status IS NOT NULL "
    "ON CONFLICT (month, status) DO UPDATE SET count = count + 1; END",
    "CREATE TRIGGER status_changes_counts_ad AFTER DELETE ON status_changes BEGIN "
    "UPDATE status_changes_per_month SET count = count - 1 "
    "WHERE month = substr(OLD.changed_on, 1, 7) AND status = OLD.to_status; END",
]


def test_upgrade_counts_only_changes_and_replaces_the_monthly_triggers(tmp_path):
    path = tmp_path / "m005.db"
    old = Database(path)
    migrations.apply(old, stop_before="m007_status_changes_per_month_counts_changes_only")
    for name in counts.MONTHLY_TRIGGERS:
        old.execute(f"DROP TRIGGER {name}")
    for sql in M004_MONTHLY_TRIGGERS:
        old.execute(sql)
    old["sources"].insert({"id": 1, "title": "Wire", "created_at": "x"})
    old["claims"].insert_all(
        [{"id": n, "text": f"Claim {n}", "text_key": f"claim {n}", "source_id": 1, "status": "unconfirmed",
          "created_at": "x", "updated_at": "x"} for n in (1, 2)]
    )  # fmt: skip
    old["status_changes"].insert_all(
        [{"claim_id": 1, "to_status": "unconfirmed", "reason": "r", "changed_on": "2025-08-30", "recorded_at": "x"},
         {"claim_id": 2, "to_status": "unconfirmed", "reason": "r", "changed_on": "2025-08-30", "recorded_at": "x"},
         {"claim_id": 2, "from_status": "unconfirmed", "to_status": "denied", "reason": "r", "changed_on": "2025-09-01",
          "recorded_at": "x"}]
    )  # fmt: skip
    old["claims"].update(2, {"status": "denied"})
    assert monthly(old) == {("2025-08", "unconfirmed"): 2, ("2025-09", "denied"): 1}
    old.close()
    with open_db(path) as db:
        assert monthly(db) == {("2025-09", "denied"): 1}
        assert check(db) == []
        created = {t.name: t.sql for t in db.triggers}
        assert all(created[name] == counts.triggers()[name] for name in counts.MONTHLY_TRIGGERS)
        model.add_claim(db, "Claim 3", source=1, said_on="2025-09-02")
        assert monthly(db) == {("2025-09", "denied"): 1}
