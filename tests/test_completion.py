"""Shell completion of actor names, statuses and source ids, driven the way a shell drives it."""

import os
import shlex
import sqlite3
import subprocess
import sys

import pytest
import typer.main
from conftest import database_bytes
from typer.testing import CliRunner

from claims import model, registry
from claims.cli import app, completion
from claims.db import open_db

runner = CliRunner()


def complete(line, shell="bash", env=None):
    """What `claims` answers when `shell` asks to complete the last word of `line` (a trailing space starts a new word).

    Returns (candidates, stderr): values for bash, "value:help" for zsh.
    """
    words = shlex.split(line) + ([""] if line.endswith(" ") else [])
    variables = {
        "_CLAIMS_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
        "_TYPER_COMPLETE_ARGS": line,
        **(env or {}),
    }
    result = runner.invoke(app, [], env=variables, prog_name="claims")
    assert result.exit_code == 0, result.output
    return parse(result.stdout, shell), result.stderr


def parse(output, shell):
    if shell == "bash":
        return [line for line in output.splitlines() if line]
    if output.strip() == "_files":  # Typer's answer to zsh when there is nothing to offer
        return []
    body = output.strip().removeprefix("_arguments '*: :((").removesuffix("))'")
    return [item.replace('"', "") for item in body.splitlines()]


def candidates(line, **kwargs):
    found, stderr = complete(line, **kwargs)
    assert stderr == ""
    return found


@pytest.fixture
def filled(db_path, db, actors, source_id):
    """A database at rest, as a shell finds it: Seoul (Séoul, South Korea), Pyongyang (North Korea), ATS, Kim Jong Un, source 1."""
    model.add_actor(db, "Kim Jong Un", kind="person", country="KP", aliases=["Kim Jong-un"])
    db.close()  # the last connection: no -wal or -shm file is left
    return db_path


@pytest.mark.parametrize("typed", ["seo", "Seo", "SEO", "Séo", "séoul", "Seoul"])
def test_actor_prefix_ignores_case_and_accents(filled, typed):
    assert candidates(f"claims list --db {filled} --by {typed}") == ["Seoul"]


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("south", ["Seoul"]),
        ("South\\ K", ["Seoul"]),
        ("nor", ["Pyongyang"]),
        ("Kim\\ Jong-", ["Kim\\ Jong\\ Un"]),
        ("s", ["Seoul"]),  # Seoul and South Korea both match: Seoul once
        ("", ["ATS", "Kim\\ Jong\\ Un", "Pyongyang", "Seoul"]),
        ("x", []),
    ],
)
def test_alias_completes_to_the_actors_name_once(filled, typed, expected):
    assert sorted(candidates(f"claims list --db {filled} --by {typed}")) == expected


def test_zsh_gets_names_unescaped_with_kind_and_country(filled):
    assert candidates(f"claims list --db {filled} --by k", shell="zsh") == ["Kim Jong Un:person, KP"]
    assert candidates(f"claims list --db {filled} --by a", shell="zsh") == ["ATS:media, CH"]


def test_bash_escapes_what_it_would_split(filled):
    with open_db(filled) as db:
        model.add_actor(db, "Acteur 1 (armée)", kind="military")
    assert candidates(f"claims list --db {filled} --by acteur") == ["Acteur\\ 1\\ \\(armée\\)"]
    # the shell hands back the escaped word as typed so far
    assert candidates(f"claims list --db {filled} --by Kim\\ J") == ["Kim\\ Jong\\ Un"]


def click_params():
    """(command path, parameter) for every parameter of every command."""

    def walk(command, path):
        for param in command.params:
            yield path, param
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


ACTOR_PARAMS = {"by", "via", "confirmed_by", "denied_by", "not_confirmed_by", "disputed_by", "actor"}


@pytest.mark.parametrize(
    "command, param",
    [
        (path, param)
        for path, param in click_params()
        if param.name in ACTOR_PARAMS | {"status", "new_status", "source"}
    ],
    ids=lambda value: "-".join(value) if isinstance(value, list) else value.name,
)
def test_every_actor_status_and_source_parameter_completes(filled, command, param):
    """A new option taking an actor, a status or a source fails here until it completes."""
    if param.name in ACTOR_PARAMS:
        typed, expected = "pyo", ["Pyongyang"]
    elif param.name == "source":
        typed, expected = "1", ["1"]
    else:
        typed, expected = "conf", ["confirmed"]
    arguments = {"stance": "1 ", "status": "1 "}.get(command[-1], "")
    flag = "" if param.param_type_name == "argument" else f"{param.opts[0]} "
    assert candidates(f"claims {' '.join(command)} --db {filled} {arguments}{flag}{typed}") == expected


def test_the_survey_of_parameters_finds_them_all():
    surveyed = {
        f"{' '.join(path)} {param.name}"
        for path, param in click_params()
        if param.name in ACTOR_PARAMS | {"status", "new_status", "source"}
    }
    assert surveyed == {
        "add by",
        "add via",
        "add confirmed_by",
        "add denied_by",
        "add not_confirmed_by",
        "add disputed_by",
        "add status",
        "add source",
        "status new_status",
        "stance actor",
        "stance source",
        "edit source",
        "list status",
        "list by",
        "list source",
        "link status",
        "match source",
        "source keep source",
    }


def test_statuses_with_their_meaning(filled):
    assert candidates(f"claims status --db {filled} 1 ") == [
        "unconfirmed",
        "corroborated",
        "confirmed",
        "disputed",
        "denied",
        "false",
        "retracted",
    ]
    assert candidates(f"claims add x --db {filled} --status d") == ["disputed", "denied"]
    assert candidates(f"claims list --db {filled} --status C", shell="zsh") == [
        "corroborated:Supported by more than one independent source, but not confirmed by…",
        "confirmed:Confirmed by the party concerned or by conclusive evidence.",
    ]


@pytest.fixture
def sixty_sources(db_path):
    with open_db(db_path) as db:
        for n in range(1, 61):
            model.add_source(db, f"Dépêche {n}")
    return db_path


def test_source_ids_prefix_most_recent_first(sixty_sources):
    line = f"claims add x --db {sixty_sources} --source "
    assert candidates(line + "5") == ["59", "58", "57", "56", "55", "54", "53", "52", "51", "50", "5"]
    assert candidates(line + "1") == [str(n) for n in range(19, 9, -1)] + ["1"]
    assert candidates(line + "60") == ["60"]
    assert candidates(line) == [str(n) for n in range(60, 10, -1)]  # the 50 most recent
    for nothing in ["0", "05", "61", "x", "https://", "１"]:
        assert candidates(line + nothing) == []
    assert candidates(line + "7", shell="zsh") == ["7:Dépêche 7"]


def test_fifty_actors_at_most(db_path):
    with open_db(db_path) as db:
        for n in range(60):
            model.add_actor(db, f"Acteur {n:02d}", kind="other")
    found = candidates(f"claims list --db {db_path} --by act")
    assert found == [f"Acteur\\ {n:02d}" for n in range(50)]


def test_help_is_one_short_line_and_never_markup(db_path):
    with open_db(db_path) as db:
        model.add_source(db, "Leak [/draft] of the [bold]report[/bold]")
        model.add_source(db, "A very long title\nover " + "and over " * 20)
    found = candidates(f"claims list --db {db_path} --source ", shell="zsh")
    assert found[1] == "1:Leak [/draft] of the [bold]report[/bold]"
    assert found[0].startswith("2:A very long title over and over") and found[0].endswith("over…")
    assert len(found[0]) <= len("2:") + completion.HELP_WIDTH


def test_database_given_earlier_on_the_line_or_in_the_environment(filled, tmp_path):
    other = tmp_path / "other.db"
    with open_db(other, create=True) as db:
        model.add_actor(db, "Séoul-Ouest", kind="other")
    assert candidates(f"claims list --db {other} --by seo") == ["Séoul-Ouest"]
    assert candidates("claims list --by seo", env={"CLAIMS_DB": str(other)}) == ["Séoul-Ouest"]
    assert candidates(f"claims list --db {filled} --by seo", env={"CLAIMS_DB": str(other)}) == ["Seoul"]


def test_nothing_from_a_missing_database_and_nothing_created(tmp_path, isolated_db_env):
    missing = tmp_path / "nowhere" / "claims.db"
    for shell in ("bash", "zsh"):
        for line in [
            f"claims list --db {missing} --by s",
            "claims list --by s",
            "claims status 1 ",
            "claims add x --source ",
        ]:
            assert candidates(line, shell=shell) == []
    assert not missing.parent.exists() and not isolated_db_env.parent.exists()


@pytest.mark.parametrize("content", ["not sqlite", "empty", "foreign", "directory", "damaged"])
def test_nothing_from_what_is_not_a_claims_database(tmp_path, content):
    path = tmp_path / "other.db"
    if content == "not sqlite":
        path.write_text("actors: [Seoul]\n")
    elif content == "empty":
        path.write_bytes(b"")
    elif content == "foreign":
        with sqlite3.connect(path) as conn:
            conn.execute("create table actor_aliases (match_key text, actor_id int)")
            conn.execute("create table actors (id int, name text)")
            conn.execute("insert into actor_aliases values ('seoul', 1)")
            conn.execute("insert into actors values (1, 'Seoul')")
        conn.close()
    elif content == "directory":
        path.mkdir()
    else:
        open_db(path, create=True).close()
        with sqlite3.connect(path) as conn:
            conn.execute("drop table actor_aliases")
            conn.execute("drop table statuses")
        conn.close()
    before = database_bytes(path) if path.is_file() else None
    for shell in ("bash", "zsh"):
        assert candidates(f"claims list --db {path} --by s --status ", shell=shell) == []
    assert (database_bytes(path) if path.is_file() else None) == before


def test_database_at_rest_left_byte_for_byte_without_wal_or_shm(filled):
    before = database_bytes(filled)
    assert set(before) == {filled.name}
    assert candidates(f"claims list --db {filled} --by seo --status ") == [
        "unconfirmed",
        "corroborated",
        "confirmed",
        "disputed",
        "denied",
        "false",
        "retracted",
    ]
    assert candidates(f"claims list --db {filled} --by seo") == ["Seoul"]
    assert database_bytes(filled) == before


def test_database_in_use_is_read_with_what_was_committed(filled):
    with open_db(filled) as writer:
        model.add_actor(writer, "Séoul-Est", kind="other")
        assert (filled.parent / f"{filled.name}-wal").exists()
        before = database_bytes(filled)
        assert candidates(f"claims list --db {filled} --by seoul-e") == ["Séoul-Est"]
        after = database_bytes(filled)
    # -shm is the shared memory of a database in use, where every reader marks what it reads
    assert after.keys() == before.keys() and after[filled.name] == before[filled.name]
    assert after[f"{filled.name}-wal"] == before[f"{filled.name}-wal"]


def test_lookups_search_indexes_and_never_scan_a_table(sixty_sources):
    """Each query completion runs is an index or primary-key search: instant at any size."""
    statements = []
    with open_db(sixty_sources) as db:
        model.add_actor(db, "Seoul", kind="government", aliases=["South Korea"])
        db.conn.set_trace_callback(statements.append)
        registry.actors_by_prefix(db, "Séo")
        registry.sources_by_id_prefix(db, "1")
        registry.sources_by_id_prefix(db, "")
        db.conn.set_trace_callback(None)
        plans = [row[3] for sql in statements for row in db.execute("explain query plan " + sql)]
    assert len(statements) >= 4
    assert not [plan for plan in plans if plan.startswith("SCAN") or "TEMP B-TREE" in plan], plans
    assert "SEARCH actor_aliases USING INDEX idx_actor_aliases_match_key (match_key>? AND match_key<?)" in plans


def run_claims(*arguments, env=None, cwd=None):
    """`python -m claims`, as a shell runs it: a whole process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "claims", *arguments], capture_output=True, text=True, env=full_env, cwd=cwd
    )


def test_a_real_process_answers_and_stays_silent(filled, tmp_path):
    shell = {"_CLAIMS_COMPLETE": "complete_bash", "COMP_CWORD": "5"}
    found = run_claims(env={**shell, "COMP_WORDS": f"claims list --db {filled} --by SÉO"})
    assert (found.returncode, found.stdout, found.stderr) == (0, "Seoul\n", "")
    missing = run_claims(env={**shell, "COMP_WORDS": f"claims list --db {tmp_path / 'no.db'} --by s"}, cwd=tmp_path)
    assert (missing.returncode, missing.stdout.strip(), missing.stderr) == (0, "", "")
    assert not (tmp_path / "no.db").exists()


def test_completion_imports_no_datasette_yaml_or_rich_tables(filled):
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted(m for m in ('datasette', 'yaml', 'rich', 'rich.table') if m in sys.modules)))\n"
        "from claims.cli import app\napp(prog_name='claims')\n"
    )
    env = {
        **os.environ,
        "_CLAIMS_COMPLETE": "complete_bash",
        "COMP_WORDS": f"claims list --db {filled} --by seo",
        "COMP_CWORD": "5",
    }
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert result.stdout.splitlines() == ["Seoul", "[]"], result.stderr


def test_show_and_install_completion(tmp_path):
    env = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1", "HOME": str(tmp_path)}
    shown = run_claims("--show-completion", "bash", env=env)
    assert shown.returncode == 0, shown.stderr
    assert (
        "_CLAIMS_COMPLETE=complete_bash" in shown.stdout
        and "complete -o default -F _claims_completion claims" in shown.stdout
    )
    installed = run_claims("--install-completion", "bash", env=env)
    assert installed.returncode == 0, installed.stderr
    assert "_CLAIMS_COMPLETE=complete_bash" in (tmp_path / ".bash_completions" / "claims.sh").read_text()
    assert "source" in (tmp_path / ".bashrc").read_text()
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout


def test_bash_itself_through_the_installed_script(filled, tmp_path):
    """The script --show-completion prints, sourced into bash, fills COMPREPLY with one word per candidate."""
    program = tmp_path / "claims"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m claims "$@"\n')
    program.chmod(0o755)
    script = run_claims("--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}).stdout
    session = script + "".join(
        f"COMP_WORDS=({words}); COMP_CWORD=${{#COMP_WORDS[@]}}; COMP_CWORD=$((COMP_CWORD - 1)); "
        f"_claims_completion {program}; printf '<%s>' \"${{COMPREPLY[@]}}\"; echo\n"
        for words in [
            f"claims list --db {filled} --by Séo",
            f"claims list --db {filled} --by 'Kim\\ J'",
            f"claims stance --db {filled} 1 ''",
            f"claims status --db {filled} 1 con",
        ]
    )
    result = subprocess.run(["bash", "--norc", "--noprofile"], input=session, capture_output=True, text=True)
    assert (result.stdout, result.stderr) == (
        "<Seoul>\n<Kim\\ Jong\\ Un>\n<ATS><Kim\\ Jong\\ Un><Pyongyang><Seoul>\n<confirmed>\n",
        "",
    )
