"""Links between reports: append-only, one current link per pair, `same` groups sharing one status."""

import json
import sqlite3

import pytest
from conftest import database_bytes

from claims import links, model
from claims.errors import AlreadyExists, InvalidValue, NotFound
from claims.revisions import purge_claim


def test_same_links_make_one_claim_of_two_reports(db, reports):
    links.link(db, reports["en_600"], reports["fr_600"], "same", reason="Meridian repeats Seoul")
    assert links.group_of(db, reports["en_600"]) == [reports["fr_600"], reports["en_600"]]
    [group] = db.query("select * from claim_groups where claim_id = ?", [reports["fr_600"]])
    assert (
        group["reports"] == 2
        and group["first_appearance"] == "2025-08-30"
        and group["latest_appearance"] == "2025-09-06"
    )
    assert sorted(json.loads(group["outlets"])) == ["ATS", "Meridian"]
    # the claim is counted once: a report alone is its own group
    assert db.execute("select count(*) from claims where id = group_id").fetchone()[0] == len(reports) - 1


def test_a_status_change_on_one_report_is_the_claims(db, reports):
    links.link(db, reports["en_600"], reports["fr_600"], "same", reason="same claim")
    change = model.set_status(db, reports["en_600"], "disputed", reason="KCNA disputes it")
    assert change["reports"] == [reports["fr_600"], reports["en_600"]]
    statuses = {row[0]: row[1] for row in db.execute("select id, status from claims")}
    assert statuses[reports["fr_600"]] == statuses[reports["en_600"]] == "disputed"
    history = db.execute("select claim_id, reason from status_changes where to_status = 'disputed'").fetchall()
    assert sorted(history) == sorted([(reports["fr_600"], "KCNA disputes it"), (reports["en_600"], "KCNA disputes it")])


def test_linking_reports_with_different_statuses_takes_the_latest_change_and_says_so(db, reports):
    model.set_status(db, reports["fr_600"], "corroborated", reason="two sources")
    result = links.link(db, reports["en_600"], reports["fr_600"], "same", reason="same claim")
    assert result["status_changes"] == [{"claim_id": reports["en_600"], "from": "unconfirmed", "to": "corroborated"}]
    reason = db.execute(
        "select reason from status_changes where claim_id = ? order by id desc", [reports["en_600"]]
    ).fetchone()[0]
    assert "Linked as the same claim" in reason


def test_the_status_given_wins(db, reports):
    model.set_status(db, reports["fr_600"], "corroborated", reason="two sources")
    links.link(db, reports["en_600"], reports["fr_600"], "same", reason="same", status="disputed")
    assert {row[0] for row in db.execute("select status from claims where group_id = ?", [reports["fr_600"]])} == {
        "disputed"
    }


def test_groups_are_transitive_and_unlinking_splits_them(db, reports, source_id):
    third = model.add_claim(db, "Séoul: 600 morts.", source=source_id, parties=[("Seoul", "asserts")])
    links.link(db, reports["en_600"], reports["fr_600"], "same", reason="one")
    links.link(db, third, reports["en_600"], "same", reason="two")
    assert links.group_of(db, third) == sorted([reports["fr_600"], reports["en_600"], third])
    links.unlink(db, reports["en_600"], reports["fr_600"], reason="not the same after all")
    assert links.group_of(db, reports["fr_600"]) == [reports["fr_600"]]
    assert links.group_of(db, third) == sorted([reports["en_600"], third])


def test_links_are_history_unlinking_is_recorded(db, reports):
    links.link(db, reports["en_2000"], reports["fr_600"], "updates", reason="NIS revised the toll", recorded_by="ana")
    links.unlink(db, reports["fr_600"], reports["en_2000"], reason="mistake", recorded_by="ben")
    rows = db.execute(
        "select claim_id, other_id, relation, action, reason, recorded_by from claim_links order by id"
    ).fetchall()
    assert rows == [
        (reports["en_2000"], reports["fr_600"], "updates", "link", "NIS revised the toll", "ana"),
        (reports["en_2000"], reports["fr_600"], "updates", "unlink", "mistake", "ben"),
    ]
    assert links.current_link(db, reports["en_2000"], reports["fr_600"]) is None
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("update claim_links set reason = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("delete from claim_links")


def test_a_new_relation_replaces_the_current_link_and_records_it(db, reports):
    links.link(db, reports["en_2000"], reports["fr_600"], "updates", reason="revised")
    result = links.link(db, reports["en_2000"], reports["fr_600"], "contradicts", reason="another side")
    assert result["replaced"]["relation"] == "updates"
    assert links.current_link(db, reports["fr_600"], reports["en_2000"]).relation == "contradicts"
    actions = [row[0] for row in db.execute("select action from claim_links order by id")]
    assert actions == ["link", "unlink", "link"]


@pytest.mark.parametrize(
    "claim, other, relation, error, message",
    [
        ("fr_600", "fr_600", "same", InvalidValue, "itself"),
        ("fr_600", 999, "same", NotFound, "no claim with id 999"),
        ("fr_600", "en_600", "sames", InvalidValue, "did you mean same"),
    ],
)
def test_links_refused(db, reports, claim, other, relation, error, message):
    ids = [reports.get(x, x) for x in (claim, other)]
    with pytest.raises(error, match=message):
        links.link(db, *ids, relation, reason="r")
    assert db.execute("select count(*) from claim_links").fetchone()[0] == 0


def test_linking_twice_is_refused(db, reports):
    links.link(db, reports["en_600"], reports["fr_600"], "same", reason="r")
    with pytest.raises(AlreadyExists):
        links.link(db, reports["fr_600"], reports["en_600"], "same", reason="r")


def test_purging_a_report_keeps_the_others_grouped(db, reports, source_id):
    third = model.add_claim(db, "Séoul: 600 morts.", source=source_id)
    links.link(db, reports["en_600"], reports["fr_600"], "same", reason="one")
    links.link(db, third, reports["en_600"], "same", reason="two")
    purge_claim(db, reports["fr_600"], reason="recorded twice")
    assert links.group_of(db, third) == sorted([reports["en_600"], third])
    snapshot = db.execute("select claim from purges").fetchone()[0]
    assert '"links"' in snapshot and "Meridian" in snapshot


def test_show_lists_links_both_ways_and_the_reports(db, reports):
    links.link(db, reports["en_600"], reports["fr_600"], "same", reason="same")
    links.link(db, reports["en_2000"], reports["en_600"], "updates", reason="revised")
    claim = model.get_claim(db, reports["en_600"])
    assert {(link["claim_id"], link["relation"], link["direction"]) for link in claim["links"]} == {
        (reports["fr_600"], "same", "outgoing"),
        (reports["en_2000"], "updates", "incoming"),
    }
    assert [r["claim_id"] for r in claim["reports"]] == [reports["fr_600"], reports["en_600"]]
    assert [r["outlet"] for r in claim["reports"]] == ["ATS", "Meridian"]


def test_cli_link_unlink_and_show(cli, db_path, db, reports):
    result = cli(
        "link", reports["en_600"], reports["fr_600"], "--as", "same", "--reason", "Meridian repeats it", db=db_path
    )
    assert result.exit_code == 0, result.output
    assert f"Claim {reports['en_600']} same as claim {reports['fr_600']}" in result.output
    shown = cli("show", reports["fr_600"], db=db_path)
    assert "Reports of this claim (2)" in shown.output and "Meridian" in shown.output
    as_json = json.loads(cli("show", reports["fr_600"], "--format", "json", db=db_path).output)
    assert as_json["links"][0] | {"phrase": None} == {
        "claim_id": reports["en_600"],
        "relation": "same",
        "direction": "incoming",
        "phrase": None,
        "reason": "Meridian repeats it",
        "report_id": reports["fr_600"],
    }
    result = cli("unlink", reports["fr_600"], reports["en_600"], "--reason", "no", db=db_path)
    assert result.exit_code == 0 and "kept in the history" in result.output


def test_cli_link_errors_are_one_line_and_write_nothing(cli, db_path, db, reports):
    db.close()
    before = database_bytes(db_path)
    for args in (
        ["link", reports["fr_600"], 999, "--as", "same", "--reason", "r"],
        ["link", reports["fr_600"], reports["fr_600"], "--as", "same", "--reason", "r"],
        ["unlink", reports["fr_600"], reports["en_600"], "--reason", "r"],
    ):
        result = cli(*args, db=db_path)
        assert result.exit_code == 1
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    assert database_bytes(db_path) == before


def test_a_claim_has_the_links_of_every_report_of_it(db, reports):
    links.link(db, reports["en_600"], reports["fr_600"], "same", reason="same")
    links.link(db, reports["en_2000"], reports["en_600"], "updates", reason="revised")
    claim = model.get_claim(db, reports["fr_600"])
    update = next(link for link in claim["links"] if link["relation"] == "updates")
    assert (update["claim_id"], update["direction"], update["report_id"]) == (
        reports["en_2000"],
        "incoming",
        reports["en_600"],
    )


def test_a_report_appears_when_its_source_is_published_not_when_the_claim_was_said(db, reports, actors):
    later = model.add_source(db, "A week later", outlet="Wire", published="2025-09-20", language="en")
    retold = model.add_claim(db, "Seoul said about 600 soldiers were killed.", source=later, said_on="2025-08-30")
    links.link(db, retold, reports["fr_600"], "same", reason="retold")
    [group] = db.query("select * from claim_groups where claim_id = ?", [reports["fr_600"]])
    assert (group["first_appearance"], group["latest_appearance"]) == ("2025-08-30", "2025-09-20")
    assert [r["date"] for r in links.reports_of(db, retold)] == ["2025-08-30", "2025-09-20"]
