"""claims.writing: the one write path of commands and imports (first-day defects: nothing lost, nothing silent)."""

import json

import pytest
import yaml
from conftest import database_bytes

from claims import model
from claims.db import open_db
from claims.errors import AlreadyExists, InvalidValue
from claims.io.imports import import_path
from claims.io.writers import write_yaml
from claims.records import InvalidRecords
from claims.values import identity_key

STORY = """\
sources:
  - {key: lyon, title: "Manifestation à Lyon", outlet: AFP, published: 2026-11-19, language: fr}
actors:
  - {name: Préfecture du Rhône, kind: government, country: FR}
  - {name: CGT, kind: organisation, country: FR}
  - {name: Ministry of Interior, kind: government, country: FR}
claims:
  - source: lyon
    text: "Selon la préfecture, 12 000 personnes ont défilé à Lyon."
    asserted_by: [Préfecture du Rhône]
    disputed_by: [CGT]
    figures: ["protesters=12000"]
    translation: "According to the prefecture, 12,000 people marched in Lyon."
"""


@pytest.fixture
def story(db, tmp_path):
    path = tmp_path / "story.yml"
    path.write_text(STORY, encoding="utf-8")
    import_path(db, path)
    return path


def export_yaml(db, path):
    with path.open("w", encoding="utf-8") as out:
        write_yaml(db, out)
    return path


def test_reimporting_an_older_export_keeps_a_stance_recorded_since(db, story, tmp_path):
    exported = export_yaml(db, tmp_path / "export.yml")
    model.add_stance(db, 1, "Ministry of Interior", "disputes", on="2026-11-21", reason="Minister on TV")
    summary = import_path(db, exported)
    assert model.get_claim(db, 1)["disputed_by"] == ["CGT", "Ministry of Interior"]
    assert summary.kept == ["claim 1: disputed_by Ministry of Interior"]
    assert (summary.updated, summary.unchanged, summary.removed) == (0, 1, [])


def test_prune_removes_what_the_file_lacks_and_keeps_each_removal_as_a_revision(db, story, tmp_path):
    exported = export_yaml(db, tmp_path / "export.yml")
    model.add_stance(db, 1, "Ministry of Interior", "disputes", on="2026-11-21")
    summary = import_path(db, exported, prune=True)
    claim = model.get_claim(db, 1)
    assert claim["disputed_by"] == ["CGT"]
    assert summary.removed == ["claim 1: disputed_by Ministry of Interior"]
    revision = claim["revisions"][-1]
    assert revision["field"] == "disputed_by" and revision["recorded_by"] == "tester"
    assert revision["old_value"] == ["CGT", {"actor": "Ministry of Interior", "date": "2026-11-21"}]
    assert revision["new_value"] == ["CGT"] and revision["reason"].startswith("Imported from export.yml:")


def test_a_hand_edit_that_drops_a_figure_or_field_keeps_it_without_prune(db, story, tmp_path):
    document = yaml.safe_load(STORY)
    del document["claims"][0]["figures"], document["claims"][0]["translation"]
    edited = tmp_path / "edited.yml"
    edited.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    summary = import_path(db, edited)
    claim = model.get_claim(db, 1)
    assert [f["low"] for f in claim["figures"]] == [12000] and claim["translation"]
    assert sorted(summary.kept) == [
        "claim 1: figure protesters=12000",
        "claim 1: translation 'According to the prefecture, 12,000 people marched in Lyon.'",
    ]
    summary = import_path(db, edited, prune=True)
    claim = model.get_claim(db, 1)
    assert claim["figures"] == [] and claim["translation"] is None
    assert {r["field"] for r in claim["revisions"]} == {"figures", "translation"}
    assert len(summary.removed) == 2


def test_an_older_file_does_not_undo_a_stance_that_superseded_its_own(db, story, tmp_path):
    exported = export_yaml(db, tmp_path / "export.yml")
    model.add_stance(db, 1, "CGT", "denies", reason="CGT now says the figure is false")
    summary = import_path(db, exported)
    claim = model.get_claim(db, 1)
    assert claim["denied_by"] == ["CGT"] and claim["disputed_by"] == []
    assert summary.kept == ["claim 1: CGT denies (the file says disputes; --prune applies the file)"]


def test_a_changed_value_in_the_file_is_applied_and_kept_as_a_revision(db, story, tmp_path):
    edited = tmp_path / "edited.yml"
    edited.write_text(STORY.replace("12,000 people marched", "12,000 people demonstrated"), encoding="utf-8")
    summary = import_path(db, edited)
    revision = model.get_claim(db, 1)["revisions"][-1]
    assert summary.updated == 1 and revision["field"] == "translation"
    assert "marched" in revision["old_value"] and "demonstrated" in revision["new_value"]


@pytest.mark.parametrize(
    "variant",
    [
        "Selon la préfecture, 12 000 personnes ont défilé à Lyon",  # no final full stop
        "selon la préfecture,  12 000 personnes ont défilé à Lyon.",  # case and spacing
        "« Selon la préfecture, 12 000 personnes ont défilé à Lyon. »",  # French quotation marks
        '"Selon la préfecture, 12\u00a0000 personnes ont défilé à Lyon."',  # straight quotes, no-break space
    ],
)
def test_a_near_duplicate_is_refused_naming_the_claim(db, story, variant):
    with pytest.raises(AlreadyExists, match=r"as claim 1 \(the same text but for case, spacing"):
        model.add_claim(db, variant, source=1)


def test_a_near_duplicate_in_a_file_is_the_same_claim_and_its_text_a_revision(db, story, tmp_path):
    edited = tmp_path / "edited.yml"
    edited.write_text(STORY.replace("défilé à Lyon.", "défilé à Lyon"), encoding="utf-8")
    summary = import_path(db, edited)
    assert db["claims"].count == 1 and summary.updated == 1
    assert model.get_claim(db, 1)["revisions"][-1]["field"] == "text"


def test_identity_key_ignores_only_case_spacing_quotes_and_final_punctuation():
    assert identity_key("« Il a dit  oui. »") == identity_key('"il a dit oui"') == identity_key("Il a dit oui !")
    assert identity_key("Il a dit oui") != identity_key("Il a dit non")
    assert identity_key("600 tués") != identity_key("6 000 tués")


@pytest.mark.parametrize("suffix", [".yml", ".jsonl", ".csv"])
def test_a_misspelled_actor_in_a_file_is_refused_with_close_matches(db, db_path, story, tmp_path, suffix):
    texts = {
        ".yml": STORY.replace("actors:\n", "actors: []\nunused:\n").split("unused:")[0]
        + "claims:\n  - source: {title: Autre}\n    text: Une autre affirmation\n    asserted_by: [Ministry of Interor]\n",
        ".jsonl": json.dumps(
            {"text": "Une autre affirmation", "source": {"title": "Autre"}, "asserted_by": ["Ministry of Interor"]}
        )
        + "\n",
        ".csv": "text,source_title,asserted_by\nUne autre affirmation,Autre,Ministry of Interor\n",
    }
    path = tmp_path / f"typo{suffix}"
    path.write_text(texts[suffix], encoding="utf-8")
    db.close()
    before = database_bytes(db_path)
    with open_db(db_path) as fresh, pytest.raises(InvalidRecords) as e:
        import_path(fresh, path)
    [problem] = e.value.problems
    assert problem.field == "asserted_by"
    assert "unknown actor 'Ministry of Interor' (did you mean Ministry of Interior?)" in problem.message
    assert database_bytes(db_path) == before
    with open_db(db_path) as fresh:
        summary = import_path(fresh, path, create_actors=True)
        assert summary.created_actors == ["Ministry of Interor"]


def test_an_actor_declared_in_the_file_is_not_a_problem(db, tmp_path):
    path = tmp_path / "new.jsonl"
    path.write_text(
        json.dumps(
            {"actor": {"name": "Garde côtière", "kind": "military", "country": "FR", "aliases": ["Coast guard"]}}
        )
        + "\n"
        + json.dumps({"text": "Trois bateaux ont chaviré.", "source": {"title": "S"}, "asserted_by": ["coast guard"]})
        + "\n"
    )
    summary = import_path(db, path)
    assert summary.added == 1 and summary.actors == 1
    assert model.get_claim(db, 1)["asserted_by"] == ["Garde côtière"]
    actor = db["actors"].get(1)
    assert (actor["kind"], actor["country"]) == ("military", "FR")


def test_one_stance_per_actor_in_the_derived_columns_every_stance_in_revisions(db, story):
    model.add_stance(db, 1, "Ministry of Interior", "not-confirmed")
    result = model.add_stance(db, 1, "ministry of interior", "confirms", reason="Ministry confirms the count")
    claim = model.get_claim(db, 1)
    assert result["superseded"] == ["not-confirmed"]
    assert claim["confirmed_by"] == ["Ministry of Interior"] and claim["not_confirmed_by"] == []
    assert [(r["field"], r["old_value"], r["reason"]) for r in claim["revisions"]] == [
        ("not_confirmed_by", ["Ministry of Interior"], "Ministry confirms the count")
    ]


@pytest.mark.parametrize("spelling", ["confirms", "confirmed_by", "confirmed-by", "--confirmed-by", "Confirms"])
def test_a_role_can_be_named_by_its_column_or_option(db, story, spelling):
    model.add_stance(db, 1, "Ministry of Interior", spelling)
    assert model.get_claim(db, 1)["confirmed_by"] == ["Ministry of Interior"]


def test_an_unknown_role_suggests_the_closest(db, story):
    with pytest.raises(InvalidValue, match=r"unknown role 'confirmed' \(did you mean confirms\?\)"):
        model.add_stance(db, 1, "Ministry of Interior", "confirmed")


def test_the_import_command_names_what_it_kept_and_removed(db_path, cli, tmp_path):
    story = tmp_path / "story.yml"
    story.write_text(STORY, encoding="utf-8")
    assert cli("import", story, db=db_path).exit_code == 0
    assert cli("export", "--format", "yaml", "-o", tmp_path / "export.yml", db=db_path).exit_code == 0
    assert cli("stance", "1", "Préfecture du Rhône", "disputes", "--on", "2026-11-21", db=db_path).exit_code == 0
    result = cli("import", tmp_path / "export.yml", db=db_path)
    assert result.exit_code == 0
    assert "1 kept that the input does not mention" in result.stderr
    assert "kept claim 1: disputed_by Préfecture du Rhône: not in the file (--prune removes it)" in result.stderr
    result = cli("import", tmp_path / "export.yml", "--prune", db=db_path)
    assert "removed claim 1: disputed_by Préfecture du Rhône (kept in the claim's revisions)" in result.stderr


def test_no_advice_records_a_duplicate_as_a_retraction(cli):
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    help_text = cli("delete", "--help").stdout
    for text in (readme, help_text):
        retractions = [line for line in text.splitlines() if "delete" in line and "--purge" not in line]
        assert not [line for line in retractions if "uplicate" in line], retractions
