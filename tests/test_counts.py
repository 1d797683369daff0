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
    return {
        (m, s): n
        for m, s, n in db.execute("select month, status, count from status_changes_per_month where count != 0")
    }


def actor_id(db, name: str) -> int:
    return model.find_actor_id(db, name)


def test_counts_follow_every_kind_of_write(db, source_id, actors):
    first = model.add_claim(
        db,
        "Seoul says 600 killed",
        source=source_id,
        parties=[("Seoul", "asserts"), ("Pyongyang", "not-confirmed")],
        said_on="2025-08-29",
    )
    second = model.add_claim(
        db, "ATS reports a visit", source=source_id, parties=[("ATS", "asserts")], said_on="2025-08-30"
    )
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
    assert counts.stale(db) == ["facet_counts", "status_changes_per_month", "claims_per_status"]
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
        [
            {
                "id": n,
                "text": f"Claim {n}",
                "text_key": f"claim {n}",
                "source_id": 1,
                "status": "unconfirmed",
                "created_at": "x",
                "updated_at": "x",
            }
            for n in (1, 2)
        ]
    )
    old["status_changes"].insert_all(
        [
            {"claim_id": 1, "to_status": "unconfirmed", "reason": "r", "changed_on": "2025-08-30", "recorded_at": "x"},
            {"claim_id": 2, "to_status": "unconfirmed", "reason": "r", "changed_on": "2025-08-30", "recorded_at": "x"},
            {
                "claim_id": 2,
                "from_status": "unconfirmed",
                "to_status": "denied",
                "reason": "r",
                "changed_on": "2025-09-01",
                "recorded_at": "x",
            },
        ]
    )
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


def claims_per_status(db) -> dict:
    return dict(db.execute("select status, count from claims_per_status where count != 0").fetchall())


def groups(db) -> dict:
    """{first report: (status, reports, outlets, first, latest, outlet names, languages)} of claims reported again."""
    return {row[0]: row[1:] for row in db.execute(f"select {', '.join(counts.GROUP_COLUMNS)} from claim_group_counts")}


def test_a_claim_reported_several_times_counts_once(db, source_id, actors):
    from claims import links

    other = model.add_source(db, "Yonhap", outlet="Yonhap", published="2025-08-31", language="en")
    first = model.add_claim(db, "Seoul says 600 killed", source=source_id, parties=[("Seoul", "asserts")])
    again = model.add_claim(db, "Seoul: 600 killed", source=other, parties=[("Seoul", "asserts")])
    alone = model.add_claim(db, "Pyongyang denies", source=other, status="denied")
    assert claims_per_status(db) == {"unconfirmed": 2, "denied": 1} and groups(db) == {}
    links.link(db, again, first, "same", reason="One estimate")
    assert claims_per_status(db) == {"unconfirmed": 1, "denied": 1}
    assert groups(db) == {first: ("unconfirmed", 2, 2, "2025-08-30", "2025-08-31", '["ATS","Yonhap"]', '["fr","en"]')}
    model.set_status(db, again, "disputed", reason="Denied")  # both reports change: one claim changes
    assert claims_per_status(db) == {"disputed": 1, "denied": 1} and groups(db)[first][0] == "disputed"
    links.link(db, alone, first, "contradicts", reason="A denial")  # not the same claim: counted apart
    assert claims_per_status(db) == {"disputed": 1, "denied": 1} and list(groups(db)) == [first]
    links.unlink(db, again, first, reason="Two estimates after all")
    assert claims_per_status(db) == {"disputed": 2, "denied": 1} and groups(db) == {}
    links.link(db, again, first, "same", reason="One estimate")
    purge_claim(db, first, reason="Recorded by mistake")  # the other report is a claim of its own again
    assert claims_per_status(db) == {"disputed": 1, "denied": 1} and groups(db) == {}
    assert counts.stale(db) == []


def test_claims_reported_more_than_once_follow_their_reports_dates_and_outlets(db, source_id, actors):
    from claims import links

    other = model.add_source(db, "Yonhap", outlet="Yonhap", published="2025-08-31", language="en")
    first = model.add_claim(db, "Seoul says 600 killed", source=source_id)
    again = model.add_claim(db, "Seoul: 600 killed", source=other)
    third = model.add_claim(db, "600 killed, says Seoul", source=other, said_on="2025-08-01")
    links.link(db, again, first, "same", reason="One estimate")
    links.link(db, third, again, "same", reason="One estimate")
    # a report appears when its source is published, whenever the claim was said
    assert groups(db) == {first: ("unconfirmed", 3, 2, "2025-08-30", "2025-08-31", '["ATS","Yonhap"]', '["fr","en"]')}
    edit_claim(db, third, said_on="2025-09-02", language="de", reason="Wrong date and language")
    assert groups(db)[first][3:] == ("2025-08-30", "2025-08-31", '["ATS","Yonhap"]', '["fr","en","de"]')
    db["sources"].update(other, {"outlet": "Yonhap News"})  # a source's outlet, corrected outside claims
    assert groups(db)[first][5] == '["ATS","Yonhap News"]'
    db["sources"].update(other, {"published": "2025-09-05"})  # dates `again` (said on nothing) through its source
    assert groups(db)[first][4] == "2025-09-05"
    assert counts.stale(db) == []


def test_check_reports_stale_claim_counts_and_repair_counts_them_again(db, source_id):
    from claims import links

    first = model.add_claim(db, "Seoul says 600 killed", source=source_id)
    links.link(db, model.add_claim(db, "Seoul: 600 killed", source=source_id), first, "same", reason="One estimate")
    tables = ["claims_per_status", "claim_group_counts", "repeated_parties", "repeated_status_changes"]
    db.execute("update claims_per_status set count = 5")
    for table in tables[2:]:
        db.execute(f"insert into {table} values ('x', 'y', 5)")
    db.execute("update claim_group_counts set reports = 7")
    problems = check(db)
    assert [f"{table}: counts differ from the recorded claims" for table in tables] == [
        problem for problem in problems if problem.split(":")[0] in tables
    ]
    assert {f"{table}: counted again" for table in tables} <= set(repair(db))
    assert check(db) == [] and claims_per_status(db) == {"unconfirmed": 1} and groups(db)[first][1] == 2


def test_upgrade_counts_the_claims_and_groups_already_recorded(tmp_path):
    """m009 on a database whose reports m008 already grouped: each claim counted once, each group listed."""
    path = tmp_path / "m008.db"
    old = Database(path)
    migrations.apply(old, stop_before="m009_claims_counted_once")
    old["sources"].insert({"id": 1, "title": "Wire", "outlet": "ATS", "published": "2025-08-30", "created_at": "x"})
    old["claims"].insert_all(
        [
            {
                "id": n,
                "group_id": group,
                "text": f"Claim {n}",
                "text_key": f"claim {n}",
                "source_id": 1,
                "status": "confirmed",
                "created_at": "x",
                "updated_at": "x",
            }
            for n, group in ((1, 1), (2, 1), (3, 3))
        ]
    )
    old["actors"].insert({"id": 1, "name": "Seoul", "kind": "government", "created_at": "x"})
    old["attributions"].insert_all(
        [{"claim_id": n, "actor_id": 1, "role": "asserts", "created_at": "x"} for n in (1, 2, 3)]
    )
    old.close()
    with open_db(path) as db:
        assert repeated(db, "repeated_parties") == {("asserted_by", 1): 1}  # claims 1 and 2 are one claim
        assert claims_per_status(db) == {"confirmed": 2}
        assert groups(db) == {1: ("confirmed", 2, 1, "2025-08-30", "2025-08-30", '["ATS"]', "[]")}
        assert [row["claim_id"] for row in db.query("select claim_id from claim_groups")] == [1]


def repeated(db, table: str) -> dict:
    return {(key, value): n for key, value, n in db.execute(f"select * from {table} where count != 0")}


def test_what_the_reports_of_a_claim_repeat_is_counted_once(db, source_id, actors):
    """Reports less repeats are claims: per actor and role, and per month and status changed to."""
    from claims import links

    other = model.add_source(db, "Yonhap", outlet="Yonhap", published="2025-08-31", language="en")
    parties = [("Seoul", "asserts"), ("Pyongyang", "not-confirmed")]
    first = model.add_claim(db, "Seoul says 600 killed", source=source_id, parties=[*parties, ("ATS", "relays")])
    again = model.add_claim(db, "Seoul: 600 killed", source=other, parties=parties)
    model.set_status(db, again, "disputed", reason="Denied", on="2025-09-01")  # before the link: two claims
    seoul, pyongyang = actor_id(db, "Seoul"), actor_id(db, "Pyongyang")
    assert repeated(db, "repeated_parties") == {} and repeated(db, "repeated_status_changes") == {}
    links.link(db, again, first, "same", reason="One estimate", status="disputed")  # `first` changes to disputed
    assert repeated(db, "repeated_parties") == {("asserted_by", seoul): 1, ("not_confirmed_by", pyongyang): 1}
    assert repeated(db, "repeated_status_changes") == {}  # two changes, at two times: each counts
    model.set_status(db, first, "denied", reason="Denied again", on="2025-09-03")  # one change, on both reports
    assert repeated(db, "repeated_status_changes") == {("2025-09", "denied"): 1}
    assert monthly(db)[("2025-09", "denied")] == 2
    model.add_stance(db, again, "ATS", "relays")  # ATS relays both reports now
    assert repeated(db, "repeated_parties")[("relayed_by", actor_id(db, "ATS"))] == 1
    assert counts.stale(db) == []
    links.unlink(db, again, first, reason="Two estimates after all")
    assert repeated(db, "repeated_parties") == {} and repeated(db, "repeated_status_changes") == {}
    links.link(db, again, first, "same", reason="One estimate")
    purge_claim(db, again, reason="Recorded by mistake")
    assert repeated(db, "repeated_parties") == {} and repeated(db, "repeated_status_changes") == {}
    assert counts.stale(db) == []


def test_a_bulk_import_counts_the_repeats_again_once_its_rows_are_in(db, source_id, actors):
    from claims import links

    first = model.add_claim(db, "Seoul says 600 killed", source=source_id, parties=[("Seoul", "asserts")])
    again = model.add_claim(db, "Seoul: 600 killed", source=source_id)
    links.link(db, again, first, "same", reason="One estimate")
    since = counts.next_ids(db)
    for name in counts.INSERT_TRIGGERS:
        db.execute(f"drop trigger {name}")
    model.add_stance(db, again, "Seoul", "asserts")
    assert counts.stale(db) == ["facet_counts", "repeated_parties"]
    counts.add_counts(db, since)
    assert counts.stale(db) == [] and repeated(db, "repeated_parties") == {("asserted_by", actor_id(db, "Seoul")): 1}


def test_a_few_rows_added_to_many_are_counted_by_reading_them_alone(db, source_id, actors):
    """A catch-up after a small import into a large database reads the new rows by id, not every row by an index."""
    for n in range(30):
        model.add_claim(db, f"Claim {n}", source=source_id, parties=[("Seoul", "asserts")], said_on="2025-08-01")
    since = counts.next_ids(db)
    for name in counts.INSERT_TRIGGERS:
        db.execute(f"drop trigger {name}")
    model.add_claim(db, "During", source=source_id, parties=[("Pyongyang", "asserts"), ("ATS", "relays")])
    recent = frozenset(counts.COUNTED_TABLES)
    for _, _, select, params in counts._tallies(since, recent):
        plan = " ".join(row[3] for row in db.execute("explain query plan " + select, params))
        assert "USING INTEGER PRIMARY KEY" in plan, (select, plan)
    with db.conn:
        counts.add_counts(db, since)
    assert counts.stale(db) == []
    assert facet(db, "asserted_by")[actor_id(db, "Pyongyang")] == 1
