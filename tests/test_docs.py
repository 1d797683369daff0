"""The README is tested: its two commands, and its CLI walkthrough runs as written."""

import re
import shlex
from pathlib import Path

from test_cli import claims

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def shell_blocks(text):
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def commands(block):
    """Each command of a shell block: continuation lines joined, comments dropped."""
    joined = block.replace("\\\n", " ")
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            yield words


def test_readme_opens_with_the_two_commands():
    first = list(commands(shell_blocks(README)[0]))
    assert first == [["make", "demo"], ["make", "test"]]


def test_readme_walkthrough_runs(tmp_path):
    walkthrough = next(b for b in shell_blocks(README) if "claims add" in b)
    ran = 0
    for words in commands(walkthrough):
        assert words[0] == "claims"
        if words[1] == "serve":
            continue
        result = claims(*words[1:], db=tmp_path / "readme.db")
        assert result.exit_code == 0, f"{' '.join(words)}\n{result.output}"
        ran += 1
    assert ran >= 12
    shown = claims("show", "1", "--format", "json", db=tmp_path / "readme.db").stdout
    assert '"status": "corroborated"' in shown and '"actor": "Pyongyang"' in shown


def test_readme_shows_the_screenshots():
    images = re.findall(r"!\[[^\]]+\]\((docs/[^)]+\.png)\)", README)
    assert {"docs/dashboard.png", "docs/claims-table.png", "docs/claim-page.png"} <= set(images)
    for image in images:
        path = Path(__file__).parent.parent / image
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image
