"""What `claims show` prints: the claim, its parties, figures, history and edits."""

import pytest

from claims import model
from claims.cli.render import print_claim
from claims.revisions import edit_claim
from claims.values import parse_figure


@pytest.fixture
def edited(db, source_id, actors):
    claim = model.add_claim(
        db,
        "Selon Séoul, 600 soldats",
        source=source_id,
        parties=[("Seoul", "asserts")],
        figures=[parse_figure("killed=~600")],
        notes="First draft",
        recorded_by="alice",
    )
    edit_claim(
        db,
        claim,
        notes="",
        figures=[parse_figure("killed=>600")],
        reason="[bold]Wire[/bold] corrected",
        recorded_by="zoé",
    )
    return model.get_claim(db, claim)


def shown(claim, capsys, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", "200")
    print_claim(claim)
    return capsys.readouterr().out


def test_show_prints_every_edit_with_what_who_when_why(edited, capsys, monkeypatch):
    """Edits were invisible in `claims show`: what changed, from what to what, who, when and why."""
    output = shown(edited, capsys, monkeypatch)
    edits = output[output.index("Edits") :]
    for expected in [
        "notes",
        "First draft",
        "(empty)",
        "figures",
        "killed: about 600",
        "killed: more than 600",
        "zoé",
        "[bold]Wire[/bold] corrected",
        edited["revisions"][0]["recorded_at"],
    ]:
        assert expected in edits, expected
    assert "alice" in output[output.index("Status history") : output.index("Edits")]  # who set the status


def test_show_of_a_claim_never_edited_has_no_edits(db, source_id, capsys, monkeypatch):
    claim = model.get_claim(db, model.add_claim(db, "Untouched", source=source_id))
    assert "Edits" not in shown(claim, capsys, monkeypatch)
