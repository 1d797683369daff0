import json
import sqlite3
import zlib

import pytest
from conftest import KEPT_BODY, KEPT_CLAIMS

from claims import evidence, model
from claims.errors import AlreadyExists, InvalidValue
from claims.evidence import (
    SourceText,
    check_span,
    find_span,
    paragraph_bounds,
    pieces,
    span_matches,
)
from claims.registry import keep_source


def test_a_span_is_where_the_text_is_word_for_word():
    body = "Le ministère a déclaré:\n« Au moins  32 personnes\nont été tuées », selon lui.\n\nFin."
    start, end = find_span(body, "« Au moins 32 personnes ont été tuées »")
    assert body[start:end] == "« Au moins  32 personnes\nont été tuées »"  # any whitespace matches any whitespace
    assert find_span(body, "Au moins 32 Personnes") is None, "case counts"
    assert find_span(body, "Au moins 33 personnes") is None
    assert find_span(None, "Fin.") is None and find_span(body, "   ") is None


def test_a_final_stop_the_text_lacks_is_not_required():
    body = "Selon Séoul, 600 soldats ont été tués, ce que Pyongyang n'a pas confirmé."
    start, end = find_span(body, "Selon Séoul, 600 soldats ont été tués.")
    assert body[start:end] == "Selon Séoul, 600 soldats ont été tués"
    start, end = find_span(body, "ce que Pyongyang n'a pas confirmé.")
    assert body[start:end] == "ce que Pyongyang n'a pas confirmé.", "a stop the text has is in its span"


def test_an_elided_text_spans_from_its_first_part_to_its_last_in_order():
    body = "Pyongyang a envoyé 10 000 soldats, ainsi que des obus et des missiles. Puis des roquettes."
    text = "Pyongyang a envoyé [...] des obus et des missiles."
    start, end = find_span(body, text)
    assert (start, body[end - 9 : end]) == (0, "missiles.")
    assert find_span(body, "Pyongyang a envoyé […] des roquettes") == (0, len(body) - 1)
    assert find_span(body, "des missiles [...] Pyongyang a envoyé") is None, "the parts in order"
    assert span_matches(body, text, start, end)


def test_a_span_matches_only_exactly_where_the_text_is():
    body = "Kim a parlé. Le dirigeant a promis un monument. Le dirigeant a promis un monument."
    text = "Le dirigeant a promis un monument."
    start, end = find_span(body, text)
    assert span_matches(body, text, start, end)
    assert span_matches(body, text, end + 1, len(body)), "the second time it is there"
    assert not span_matches(body, text, start, end + 2)
    assert not span_matches(body, text, start + 1, end)
    assert not span_matches(body, text, 0, end)
    assert not span_matches(body, text, start, len(body) + 5)
    assert check_span(body, text, None) == (start, end)
    assert check_span(body, text, (end + 1, len(body))) == (end + 1, len(body)), "a span given is kept as given"
    with pytest.raises(InvalidValue, match="are not the claim's text"):
        check_span(body, text, (0, 5))
    with pytest.raises(InvalidValue, match="no stored text"):
        check_span(None, text, (0, 5))


@pytest.mark.parametrize("value", [[3], [5, 2], [-1, 4], ["1", 4], [True, 4], "1-4", [1.5, 4]])
def test_a_span_is_two_offsets_in_order(value):
    with pytest.raises(InvalidValue, match=r"a span is \[start, end\]"):
        evidence.parse_span(value)


def test_claims_get_their_spans_when_written(db, kept):
    for name, text in KEPT_CLAIMS.items():
        row = db["claims"].get(kept[name])
        span = find_span(KEPT_BODY, text)
        assert (row["span_start"], row["span_end"]) == (span or (None, None)), name
    elided = db["claims"].get(kept["elided"])
    assert KEPT_BODY[elided["span_start"] : elided["span_end"]].startswith("Selon Séoul")
    assert KEPT_BODY[: elided["span_end"]].endswith("depuis 2024")
    assert db["claims"].get(kept["elsewhere"])["span_start"] is None


def test_an_edited_claim_text_gets_its_new_span(db, kept):
    from claims.revisions import edit_claim

    edit_claim(
        db,
        kept["elsewhere"],
        text="Pyongyang et Moscou sont liés par un accord de défense depuis 2024.",
        reason="The article's wording",
    )
    row = db["claims"].get(kept["elsewhere"])
    assert KEPT_BODY[row["span_start"] : row["span_end"]].startswith("Pyongyang et Moscou")
    edit_claim(db, kept["elsewhere"], text="Reworded, not in the article.", reason="Paraphrase")
    assert db["claims"].get(kept["elsewhere"])["span_start"] is None


def test_a_text_is_stored_with_its_digest_page_and_time_and_logged(db, kept):
    row = evidence.stored_text(db, kept["source"])
    assert row["body"] == KEPT_BODY and row["body_sha256"] == evidence.sha256(KEPT_BODY)
    assert zlib.decompress(row["html_zlib"]).startswith(b"<html><body><article>")
    assert row["stored_at"].endswith("Z")
    [change] = db["source_changes"].rows
    assert change["field"] == "text" and change["old_value"] is None and change["recorded_by"] == "tester"
    assert json.loads(change["new_value"])["body_sha256"] == row["body_sha256"]


def test_a_different_text_replaces_the_stored_one_only_with_a_reason(db, kept):
    source = kept["source"]
    corrected = KEPT_BODY.replace("600", "2 000")
    before = evidence.stored_text(db, source)
    with pytest.raises(AlreadyExists, match=f"source {source} already keeps a different text.*give a reason"):
        keep_source(db, source, text=SourceText(corrected))
    assert evidence.stored_text(db, source) == before and db["source_changes"].count == 1
    assert keep_source(db, source, text=SourceText(KEPT_BODY))["text"] == "unchanged", "the same text: nothing to do"
    outcome = keep_source(db, source, text=SourceText(corrected), reason="The outlet corrected the toll")
    assert outcome["text"] == "replaced"
    assert evidence.stored_text(db, source)["body"] == corrected
    change = list(db["source_changes"].rows)[-1]
    assert change["reason"] == "The outlet corrected the toll" and change["recorded_by"] == "tester"
    assert json.loads(change["old_value"])["body"] == KEPT_BODY, "the text replaced is kept"
    assert change["old_html_zlib"] == before["html_zlib"]
    assert db["claims"].get(kept["toll"])["span_start"] is None, "600 is no longer in the text"
    assert db["claims"].get(kept["monument"])["span_start"] is not None


def test_the_database_refuses_to_replace_or_delete_a_text_silently(db, kept):
    with pytest.raises(sqlite3.IntegrityError, match="replaced only with its change logged"):
        db.execute("update source_texts set body = 'forged', body_sha256 = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
        db.execute("delete from source_texts")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("update source_changes set reason = 'forged'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("delete from source_changes")


def test_an_archived_copy_is_an_http_url_replaced_only_with_a_reason(db, kept):
    source = kept["source"]
    with pytest.raises(InvalidValue, match="archive URL"):
        keep_source(db, source, archive_url="javascript:alert(1)")
    with pytest.raises(InvalidValue, match="archive URL"):
        model.add_source(db, "Other", archive_url="file:///etc/passwd")
    keep_source(db, source, archive_url="https://web.archive.org/web/2025/https://example.org/ats-kim")
    with pytest.raises(AlreadyExists, match="already has the archived copy"):
        keep_source(db, source, archive_url="https://perma.cc/AB12-CD34")
    keep_source(db, source, archive_url="https://perma.cc/AB12-CD34", reason="A perma.cc copy")
    assert db["sources"].get(source)["archive_url"] == "https://perma.cc/AB12-CD34"
    changes = [row for row in db["source_changes"].rows if row["field"] == "archive_url"]
    assert [json.loads(row["old_value"]) for row in changes] == [
        None,
        "https://web.archive.org/web/2025/https://example.org/ats-kim",
    ]


def test_pieces_cut_a_paragraph_around_its_claims():
    body = "One two.\n\nThree four five six.\n\nSeven."
    start, end = find_span(body, "four five")
    assert paragraph_bounds(body, start, end) == (10, 30)
    assert pieces(body, 10, 30, [(start, end, 7)]) == [("Three ", None), ("four five", 7), (" six.", None)]
    overlapping = [(start, end, 7), (start + 2, end + 3, 8), (29, 30, 9)]
    assert pieces(body, 10, 30, overlapping) == [("Three ", None), ("four five", 7), (" six", None), (".", 9)], (
        "of spans that overlap, the shortest is marked"
    )
    text = "Three [...] five [...] six."
    span = find_span(body, text)
    assert [body[a:b] for a, b in evidence.part_spans(body, text, *span)] == ["Three", "five", "six."]
    assert evidence.paragraphs(body) == [(0, 8), (10, 30), (32, 38)]
