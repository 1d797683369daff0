"""Matching reports: candidates from the indexes, scored, with a relation and reasons in words."""

import json

import pytest

from claims import links, model
from claims.matching import Matcher, candidate_pairs, draft_links, suggested, suggestions_for
from claims.wording import anchors, join_numbers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10'000 soldats", "10000 soldats"),
        ("10 000", "10000"),
        ("10,000 troops", "10000 troops"),
        ("in 2024, 600", "in 2024, 600"),
    ],
)
def test_numbers_are_written_alike(text, expected):
    assert join_numbers(text) == expected


def test_anchors_are_the_names_and_numbers_two_languages_share():
    assert anchors("Selon Séoul, environ 600 soldats") & anchors("Seoul says some 600 troops") == {"seoul", "600"}


def test_a_repeat_in_another_language_is_the_best_candidate(db, reports):
    [best, *_] = Matcher(db).matches(reports["en_600"])
    assert (best.claim_id, best.other_id, best.relation) == (reports["en_600"], reports["fr_600"], "same")
    assert "same asserter" in best.reasons and "same figure for killed" in best.reasons
    assert any("through a translation" in reason for reason in best.reasons)
    assert suggested([best]) == [best]


def test_the_same_sides_new_figure_updates_the_older_one(db, reports):
    candidates = {
        c.other_id if c.claim_id == reports["en_2000"] else c.claim_id: c
        for c in Matcher(db).matches(reports["en_2000"], min_score=0)
    }
    update = candidates[reports["fr_600"]]
    assert (update.relation, update.claim_id, update.other_id) == ("updates", reports["en_2000"], reports["fr_600"])
    assert "different figure for killed" in update.reasons


def test_another_partys_denial_contradicts(db, reports):
    candidates = Matcher(db).matches(reports["en_denial"], min_score=0)
    relations = {c.other_id: c.relation for c in candidates}
    assert relations.get(reports["fr_600"]) == "contradicts"


def test_reports_of_the_same_source_linked_or_grouped_are_left_out(db, reports):
    matcher = Matcher(db)
    assert reports["fr_trips"] not in {c.other_id for c in matcher.matches(reports["fr_600"], min_score=0)}
    links.link(db, reports["en_600"], reports["fr_600"], "same", reason="same")
    assert reports["fr_600"] not in {c.other_id for c in Matcher(db).matches(reports["en_600"], min_score=0)}


def test_a_report_is_one_candidate_per_claim(db, reports, source_id):
    copy = model.add_claim(
        db, "Seoul: about 600 North Korean soldiers killed.", source=source_id, parties=[("Seoul", "asserts")]
    )
    links.link(db, copy, reports["fr_600"], "same", reason="same")
    others = [c.other_id for c in Matcher(db).matches(reports["en_600"], min_score=0)]
    assert len({links.group_of(db, other)[0] for other in others}) == len(others)


def test_candidate_pairs_list_each_pair_once_best_first_within_the_limit(db, reports):
    pairs = candidate_pairs(db, sorted(reports.values()), min_score=0)
    keys = [(min(p.claim_id, p.other_id), max(p.claim_id, p.other_id)) for p in pairs]
    assert len(keys) == len(set(keys))
    assert [p.score for p in pairs] == sorted((p.score for p in pairs), reverse=True)
    assert candidate_pairs(db, sorted(reports.values()), min_score=0, limit=2) == pairs[:2]


def test_only_one_same_is_suggested_per_report(db, reports, source_id):
    model.add_claim(
        db, "Seoul said 600 North Korean soldiers were killed.", source=source_id, parties=[("Seoul", "asserts")]
    )
    [suggestions] = suggestions_for(db, [reports["en_600"]]).values()
    assert [c.relation for c in suggestions].count("same") <= 1


def test_a_draft_gets_its_likely_links_in_the_import_format(db, reports):
    draft = {
        "text": "Seoul says some 600 North Korean soldiers were killed",
        "asserted_by": ["Seoul"],
        "figures": ["killed=~600 soldiers"],
    }
    [suggestion, *_] = draft_links(db, draft, "en")
    texts = {model.get_claim(db, reports[name])["text"] for name in ("fr_600", "en_600")}
    assert suggestion["relation"] == "same" and suggestion["text"] in texts and suggestion["source"]["title"]
    assert suggestion["reason"].startswith("Suggested by claims: claim ")


def test_cli_match_json(cli, db_path, db, reports):
    result = cli("match", "--format", "json", "--min-score", "0", db=db_path)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {"claim_id", "other_id", "score", "relation", "reasons"} <= set(rows[0])
    assert all(0 <= row["score"] <= 1 and row["relation"] in ("same", "updates", "contradicts") for row in rows)
    assert any((row["claim_id"], row["other_id"]) == (reports["en_600"], reports["fr_600"]) for row in rows)
    one = json.loads(cli("match", "--claim", reports["en_600"], "--format", "json", db=db_path).stdout)
    assert {reports["en_600"]} <= {i for row in one for i in (row["claim_id"], row["other_id"])}
    source = json.loads(cli("match", "--source", "2", "--format", "json", "--limit", "1", db=db_path).stdout)
    assert len(source) == 1


def test_cli_match_of_an_unknown_claim(cli, db_path):
    result = cli("match", "--claim", 42, db=db_path)
    assert result.exit_code == 1 and result.output == "Error: no claim with id 42\n"


def test_cli_match_takes_a_claim_or_a_source_not_both(cli, db_path, reports):
    result = cli("match", "--claim", reports["en_600"], "--source", 1, db=db_path)
    assert result.exit_code == 1 and result.output == "Error: give --claim or --source, not both\n"


def test_cli_add_tells_what_the_new_claim_repeats(cli, db_path, db, reports, source_id):
    result = cli(
        "add",
        "Seoul said about 600 North Korean soldiers had been killed.",
        "--source",
        source_id,
        "--by",
        "Seoul",
        "--figure",
        "killed=~600 soldiers",
        db=db_path,
    )
    assert result.exit_code == 0, result.output
    new_id = int(result.stdout.split()[0])
    assert f"claim {new_id}: possibly same as claim" in result.stderr
    quiet = cli(
        "add",
        "Seoul also said 600 North Korean soldiers had been killed.",
        "--source",
        source_id,
        "--by",
        "Seoul",
        "--no-match",
        db=db_path,
    )
    assert "possibly" not in quiet.output


def test_cli_import_tells_what_the_new_claims_repeat(cli, db_path, db, reports, tmp_path):
    path = tmp_path / "new.yml"
    path.write_text(
        "sources:\n  - {key: s, title: Later report, outlet: Wire, published: 2025-09-20, language: en}\n"
        "claims:\n  - {source: s, text: 'Seoul says roughly 600 North Korean soldiers were killed.', asserted_by: [Seoul],"
        " figures: ['killed=~600 soldiers']}\n",
        encoding="utf-8",
    )
    result = cli("import", path, db=db_path)
    assert result.exit_code == 0, result.output
    assert "possibly same as claim" in result.stderr


def test_cli_extract_writes_links_into_the_draft(cli, db_path, db, reports, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "Seoul revises nothing\n\nSeoul said about 600 North Korean soldiers were killed, according to the ministry.\n",
        encoding="utf-8",
    )
    draft = tmp_path / "draft.yml"
    result = cli("extract", article, "--lang", "en", "-o", draft, db=db_path)
    assert result.exit_code == 0, result.output
    import yaml

    claims = yaml.safe_load(draft.read_text(encoding="utf-8"))["claims"]
    assert any(link["relation"] == "same" for claim in claims for link in claim.get("links", []))


def test_a_drafts_suggested_links_import_into_the_database_drafted_from(cli, db_path, db, reports, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "Seoul revises nothing\n\nSeoul said about 600 North Korean soldiers were killed, according to the ministry.\n",
        encoding="utf-8",
    )
    draft = tmp_path / "draft.yml"
    assert cli("extract", article, "--lang", "en", "-o", draft, db=db_path).exit_code == 0
    result = cli("import", draft, "--create-actors", db=db_path)
    assert result.exit_code == 0, result.output
    assert db.execute("select count(*) from current_links").fetchone()[0] >= 1
    elsewhere = tmp_path / "elsewhere.db"
    assert cli("init", db=elsewhere).exit_code == 0
    refused = cli(
        "import", draft, "--create-actors", db=elsewhere
    )  # the suggested claims are not there: said, not guessed
    assert refused.exit_code == 1 and "neither in the file nor in the database" in refused.stderr
