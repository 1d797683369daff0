"""claims.actors and `claims actor alias|rename|merge|delete`: mending actors once a typo is in."""

import pytest
from conftest import database_bytes

from claims import model
from claims.actors import actor_changes
from claims.db import open_db


@pytest.fixture
def typo_db(db_path, cli):
    """A correct actor and a misspelling of it, each on a claim."""
    for args in [
        ("source", "add", "--title", "Floods", "--outlet", "Meridian Press", "--published", "2026-11-24"),
        ("actor", "add", "Ministry of Interior", "--kind", "government"),
        ("add", "Forty-one people died in the floods.", "--source", "1", "--by", "Ministry of Interior"),
        ("add", "Twelve people are missing.", "--source", "1", "--by", "Ministry of Interor", "--create-actors"),
        (
            "add",
            "Rescuers saved 300 people.",
            "--source",
            "1",
            "--by",
            "Ministry of Interior",
            "--by",
            "Ministry of Interor",
        ),
    ]:
        assert cli(*args, db=db_path).exit_code == 0
    return db_path


def test_merge_moves_every_attribution_and_keeps_the_old_name_as_an_alias(typo_db, cli):
    result = cli("actor", "merge", "Ministry of Interor", "Ministry of Interior", "--reason", "Typo", db=typo_db)
    assert result.exit_code == 0, result.output
    assert "merged into 'Ministry of Interior': 1 attributions moved on 2 claims, 1 already held" in result.stderr
    with open_db(typo_db) as db:
        assert [model.get_claim(db, n)["asserted_by"] for n in (1, 2, 3)] == [["Ministry of Interior"]] * 3
        assert model.find_actor_id(db, "ministry of interor") == model.find_actor_id(db, "Ministry of Interior")
        [change] = actor_changes(db)
        assert change["action"] == "merge" and change["reason"] == "Typo" and change["recorded_by"] == "tester"
        assert change["old_value"]["name"] == "Ministry of Interor"
        assert [a["name"] for a in model.list_actors(db)] == ["Ministry of Interior"]
    assert cli("check", db=typo_db).exit_code == 0  # counts and derived columns in line


def test_rename_keeps_the_old_name_as_an_alias_and_rewrites_the_claims(typo_db, cli):
    assert (
        cli("actor", "rename", "Ministry of Interor", "Interior Ministry (typo)", "--reason", "r", db=typo_db).exit_code
        == 0
    )
    with open_db(typo_db) as db:
        assert model.get_claim(db, 2)["asserted_by"] == ["Interior Ministry (typo)"]
        assert model.get_actor(db, "Ministry of Interor")["name"] == "Interior Ministry (typo)"
        assert actor_changes(db)[0]["old_value"] == "Ministry of Interor"
    result = cli("actor", "rename", "Interior Ministry (typo)", "Ministry of Interior", "--reason", "r", db=typo_db)
    assert (
        result.exit_code == 1
        and "already names actor 'Ministry of Interior'" in result.stderr
        and "merge" in result.stderr
    )


def test_delete_only_an_actor_without_attributions(typo_db, cli):
    before = database_bytes(typo_db)
    result = cli("actor", "delete", "Ministry of Interor", "--reason", "mistake", db=typo_db)
    assert result.exit_code == 1 and "party to 2 claims" in result.stderr
    assert database_bytes(typo_db) == before
    assert cli("actor", "add", "Nobody", "--kind", "other", db=typo_db).exit_code == 0
    assert cli("actor", "delete", "nobody", "--reason", "mistake", db=typo_db).exit_code == 0
    with open_db(typo_db) as db:
        assert model.find_actor_id(db, "Nobody") is None
        assert actor_changes(db)[-1]["action"] == "delete"


def test_alias_makes_another_name_find_the_actor(typo_db, cli):
    assert (
        cli(
            "actor", "alias", "Ministry of Interior", "Interior Ministry", "ministère de l'Intérieur", db=typo_db
        ).exit_code
        == 0
    )
    result = cli("add", "Roads are closed.", "--source", "1", "--by", "interior ministry", db=typo_db)
    assert result.exit_code == 0
    result = cli("actor", "alias", "Ministry of Interior", "Ministry of Interor", db=typo_db)
    assert result.exit_code == 1 and "already names actor 'Ministry of Interor'" in result.stderr


def test_unknown_actor_in_merge_suggests_close_names(typo_db, cli):
    result = cli("actor", "merge", "Ministry of Interio", "Nowhere", "--reason", "x", db=typo_db)
    assert result.exit_code == 1 and "did you mean" in result.stderr
