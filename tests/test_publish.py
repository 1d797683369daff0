"""claims publish (claims/web/publish.py): the folder and the command that deploy a built database, tested offline."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from conftest import free_port

from claims.db import open_db
from claims.io.bundle import load_example
from claims.web import publish


@pytest.fixture
def built(tmp_path):
    """A database holding the bundled example, as `claims build` leaves it."""
    path = tmp_path / "site" / "claims.db"
    path.parent.mkdir()
    db = open_db(path, create=True)
    load_example(db)
    db.close()
    return path


def test_dry_run_prints_the_datasette_command_and_writes_the_folder(built, cli):
    result = cli("publish", "cloudrun", "--db", built, "--dry-run", "--service", "newsroom-claims")
    assert result.exit_code == 0, result.output
    folder = built.parent / "publish"
    command = next(line for line in result.stdout.splitlines() if line.startswith("cd "))
    assert shlex.split(command)[:2] == ["cd", str(folder)]
    publish_argv = shlex.split(command.partition(" && ")[2])
    assert publish_argv[:5] == ["datasette", "publish", "cloudrun", "claims.db", "--service"]
    assert publish_argv[5] == "newsroom-claims"
    assert publish_argv[publish_argv.index("--install") :][:2] == ["--install", "./claims-src"]
    extra = publish_argv[publish_argv.index("--extra-options") + 1]
    assert "--setting sql_time_limit_ms 1000" in extra and "--setting allow_download off" in extra
    assert f"gcloud run deploy newsroom-claims --source {folder}" in result.stdout
    assert sorted(p.name for p in folder.iterdir()) == [
        "Dockerfile",
        "claims-src",
        "claims.db",
        "inspect-data.json",
        "metadata.yml",
        "requirements.txt",
    ]


def test_the_datasette_command_names_only_options_datasette_publish_has():
    """Every option of the printed command is one `datasette publish cloudrun` / `datasette package` accepts."""
    datasette = Path(sys.executable).with_name("datasette")
    for target, subcommand in (("cloudrun", ["publish", "cloudrun"]), ("package", ["package"])):
        help_text = subprocess.run(
            [datasette, *subcommand, "--help"], capture_output=True, text=True, check=True
        ).stdout
        options = [part for part in publish.datasette_command(target) if part.startswith("--") and " " not in part]
        assert options and all(option in help_text for option in options), (target, options)


def test_the_folder_holds_the_source_the_database_and_robots_off(built, tmp_path):
    staged = publish.stage(built, tmp_path / "out", "package")
    folder = staged.folder
    assert (folder / "claims-src" / "pyproject.toml").is_file()
    assert (folder / "claims-src" / "claims" / "web" / "__init__.py").is_file()
    assert not list((folder / "claims-src").rglob("__pycache__"))
    requirements = (folder / "requirements.txt").read_text().splitlines()
    assert requirements[0] == "./claims-src" and any(line.startswith("datasette==") for line in requirements)
    metadata = yaml.safe_load((folder / "metadata.yml").read_text())
    assert metadata["plugins"]["claims"]["allow_robots"] is False
    counts = json.loads((folder / "inspect-data.json").read_text())
    assert counts["claims"]["tables"]["claims"]["count"] == 19 and counts["claims"]["file"] == "claims.db"
    dockerfile = (folder / "Dockerfile").read_text()
    assert "RUN pip install --no-cache-dir -r requirements.txt" in dockerfile
    assert "COPY claims.db inspect-data.json metadata.yml ./" in dockerfile
    assert staged.deploy.startswith("docker build -t claims ")


def test_fly_writes_its_configuration(built, tmp_path):
    staged = publish.stage(built, tmp_path / "fly", "fly", service="my-claims")
    config = (staged.folder / "fly.toml").read_text()
    assert 'app = "my-claims"' in config and "internal_port = 8001" in config
    assert staged.command[:5] == ["datasette", "publish", "fly", "claims.db", "--app"]


def test_fly_without_its_plugin_says_how_to_install_it(built, cli, monkeypatch):
    monkeypatch.setattr(publish.importlib.util, "find_spec", lambda name: None)
    result = cli("publish", "fly", "--db", built)
    assert result.exit_code == 1
    assert "Error: datasette publish fly needs its plugin: pip install datasette-publish-fly" in result.output
    assert "flyctl deploy" in result.output  # and what deploys the folder without it


def test_publish_refuses_a_folder_in_use_a_missing_database_and_a_bad_service(built, tmp_path, cli):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("mine")
    result = cli("publish", "package", "--db", built, "-o", tmp_path / "used", "--dry-run")
    assert result.exit_code == 1 and "is not an empty folder" in result.output
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["keep.txt"]
    result = cli("publish", "package", "--db", tmp_path / "none.db", "--dry-run")
    assert result.exit_code == 1 and "Error: no database at" in result.output
    result = cli("publish", "cloudrun", "--db", built, "--service", 'x"; rm -rf /', "--dry-run")
    assert result.exit_code == 1 and "Error: --service" in result.output
    assert not (built.parent / "publish").exists()


def test_the_generated_serve_command_serves_the_folder(built, tmp_path):
    """The Dockerfile's CMD, run here from the folder's files (on 127.0.0.1), serves the claims, read-only."""
    folder = publish.stage(built, tmp_path / "out", "package").folder
    command = next(line for line in (folder / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    argv = shlex.split(command.removeprefix("CMD "))
    assert argv[:2] == ["datasette", "serve"] and argv[-2:] == ["--port", "$PORT"]
    port = free_port()
    argv[0] = str(Path(sys.executable).with_name("datasette"))
    argv[argv.index("--host") + 1] = "127.0.0.1"
    argv[-1] = str(port)
    before = (folder / "claims.db").read_bytes()
    process = subprocess.Popen(
        argv,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=1)
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
                time.sleep(0.2)
        claims = json.load(urllib.request.urlopen(f"{base}/claims/claims.json?_shape=array&_size=100", timeout=10))
        assert len(claims) == 19
        robots = urllib.request.urlopen(f"{base}/robots.txt", timeout=10).read().decode()
        assert "Disallow: /" in robots
        databases = json.load(urllib.request.urlopen(f"{base}/-/databases.json", timeout=10))
        assert [(d["name"], d["is_mutable"]) for d in databases] == [("claims", False)]
        settings = json.load(urllib.request.urlopen(f"{base}/-/settings.json", timeout=10))
        assert settings["allow_download"] is False and settings["sql_time_limit_ms"] == 1000
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert (folder / "claims.db").read_bytes() == before


def test_the_ci_workflow_parses_and_runs_only_commands_claims_has(cli):
    """docs/claims-repository-ci.yml: valid YAML, on push to main; each `claims` command and option it runs exists."""
    workflow = yaml.safe_load((Path(__file__).parent.parent / "docs" / "claims-repository-ci.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    lines = [
        line.strip()
        for step in workflow["jobs"]["build"]["steps"]
        if "run" in step
        for line in step["run"].splitlines()
        if line.strip().startswith("claims ")
    ]
    commands = [shlex.split(line.replace("${{", "").replace("}}", ""))[1] for line in lines]
    assert commands == ["build", "check", "publish"]
    for line, command in zip(lines, commands, strict=False):
        result = cli(command, "--help")
        assert result.exit_code == 0, result.output
        for option in (word for word in shlex.split(line) if word.startswith("-")):
            assert option in result.output, (command, option)


def test_publish_runs_the_datasette_command_in_the_folder(built, cli, monkeypatch):
    """Without --dry-run the command runs (here a stand-in records it: deploying needs the network)."""
    from claims.cli import repo as cli_repo

    ran = []
    monkeypatch.setattr(publish, "missing_tool", lambda target: None)
    monkeypatch.setattr(
        cli_repo.subprocess,
        "run",
        lambda argv, cwd, check: ran.append((argv, cwd)) or subprocess.CompletedProcess(argv, 0),
    )
    result = cli("publish", "package", "--db", built)
    assert result.exit_code == 0, result.output
    [(argv, cwd)] = ran
    assert Path(argv[0]).name == "datasette" and argv[1:3] == ["package", "claims.db"]
    assert cwd == built.parent / "publish"
