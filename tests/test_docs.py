"""The README is tested: its two commands (and what `make test` needs), and its CLI walkthrough runs as written."""

import os
import re
import shlex
import subprocess
from pathlib import Path

from conftest import run_claims as claims

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


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


def make(*args, env=None):
    """Run make in the repository with `args` (variables and targets); the browser lookup is pointed by each test."""
    environment = {**os.environ, "CLAIMS_CHROMIUM": "", **(env or {})}
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_make_test_stops_at_once_without_chromium(tmp_path):
    """Without Chromium and without root, `make test` names the one command to run before setting anything up."""
    venv = tmp_path / "venv"
    result = make("test", f"VENV={venv}", f"CHROMIUM={tmp_path / 'no-chromium'}", "ROOT=", "APT_GET=true")
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        "Error: the browser tests need Chromium: run 'sudo apt-get install chromium', then 'make test' again"
    )
    assert not venv.exists()
    without_apt = make("chromium", f"CHROMIUM={tmp_path / 'no-chromium'}", "ROOT=", f"APT_GET={tmp_path / 'no-apt'}")
    assert without_apt.returncode != 0
    assert "install it, then run 'CLAIMS_CHROMIUM=/path/to/chromium make test'" in without_apt.stderr


def test_make_test_refuses_a_wrong_claims_chromium(tmp_path):
    result = make("chromium", env={"CLAIMS_CHROMIUM": str(tmp_path / "missing")})
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        f"Error: CLAIMS_CHROMIUM={tmp_path / 'missing'} is not an executable:"
        " correct it, or unset it to use Debian's chromium"
    )


def test_make_test_installs_chromium_as_root_with_apt(tmp_path):
    """As root with apt-get (a fresh Debian machine, CI), Chromium is installed: here by a stand-in apt-get."""
    chromium, log = tmp_path / "chromium", tmp_path / "apt.log"
    apt = tmp_path / "apt-get"
    apt.write_text(
        f'#!/bin/sh\necho "$@" >> {log}\n[ "$1" = install ] && printf "#!/bin/sh\\n" > {chromium} '
        f"&& chmod +x {chromium}\nexit 0\n"
    )
    apt.chmod(0o755)
    result = make("chromium", f"CHROMIUM={chromium}", "ROOT=0", f"APT_GET={apt}")
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq chromium"]
    assert make("chromium", f"CHROMIUM={chromium}", "ROOT=0", f"APT_GET={apt}").returncode == 0
    assert len(log.read_text().splitlines()) == 2  # present now: nothing installed again


def test_ci_leaves_chromium_to_make():
    """CI runs `make test` like anyone: the Makefile is the one place that installs the browser."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "install -y -qq chromium" not in ci and '"${missing[@]}"' not in ci


def test_readme_workflow_from_saved_pages_to_evidenced_claims_runs(tmp_path, monkeypatch):
    """The README's commands from a saved page to recorded, evidenced claims run as written, on the test pages."""
    import shutil

    block = next(b for b in shell_blocks(README) if "claims extract saved/" in b and "--record" in b)
    shutil.copytree(Path(__file__).parent / "data" / "pages", tmp_path / "saved")
    monkeypatch.chdir(tmp_path)
    ran = []
    for words in commands(block):
        assert words[0] == "claims"
        result = claims(*words[1:], db=tmp_path / "evidence.db")
        assert result.exit_code == 0, f"{' '.join(words)}\n{result.output}"
        ran.append(words[1])
    assert ran == ["init", "source", "extract", "import", "show", "source", "check"]
    shown = " ".join(claims("show", "1", db=tmp_path / "evidence.db").stdout.split())
    assert "this claim is characters 38-231 of it" in shown, "as the README says"
