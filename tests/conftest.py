import pytest
from sqlite_utils import Database

from claims.bundle import load_example
from claims.db import open_db
from claims.values import parse_figure


@pytest.fixture(autouse=True)
def isolated_db_env(tmp_path, monkeypatch):
    """No test touches a real database: $CLAIMS_DB points into the test's temp dir."""
    path = tmp_path / "env" / "claims.db"
    monkeypatch.setenv("CLAIMS_DB", str(path))
    monkeypatch.setenv("CLAIMS_USER", "tester")
    return path


@pytest.fixture
def db_path(tmp_path):
    """Path of a freshly initialised, empty claims database."""
    path = tmp_path / "claims.db"
    open_db(path, create=True).close()
    return path


@pytest.fixture
def db(db_path):
    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def source_id(db):
    from claims import model

    return model.add_source(db, "Kim comforts families", outlet="ATS", published="2025-08-30", language="fr")


@pytest.fixture
def actors(db):
    from claims import model

    model.add_actor(db, "Seoul", kind="government", country="KR", aliases=["Séoul", "South Korea"])
    model.add_actor(db, "Pyongyang", kind="government", country="KP", aliases=["North Korea"])
    model.add_actor(db, "ATS", kind="media", country="CH")


@pytest.fixture(scope="session")
def example_db_path(tmp_path_factory):
    """A database holding the bundled example, shared read-only by the tests that browse it."""
    path = tmp_path_factory.mktemp("example") / "claims.db"
    with open_db(path, create=True) as db:
        load_example(db)
    return path


@pytest.fixture
def example_db(example_db_path):
    database = Database(example_db_path)
    yield database
    database.close()


@pytest.fixture
def cli():
    """Run the `claims` command line in-process: `cli("list", db=path)` returns click's Result."""
    from typer.testing import CliRunner

    from claims.cli import app

    runner = CliRunner()

    def run(*args, db=None, input=None):
        arguments = [str(a) for a in args] + (["--db", str(db)] if db else [])
        return runner.invoke(app, arguments, input=input)

    return run


def database_bytes(path):
    """Every byte of a database and its sidecar files (-wal, -shm, -journal): to assert nothing was written."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


@pytest.fixture
def reports(db, actors):
    """Reports of one story in two sources (French, then English a week later): ids by name."""
    from claims import model

    ats = model.add_source(db, "Kim réconforte les familles", outlet="ATS", published="2025-08-30", language="fr",
                           url="https://example.org/ats")  # fmt: skip
    wire = model.add_source(db, "Seoul revises toll", outlet="Meridian", published="2025-09-06", language="en",
                            url="https://example.org/meridian")  # fmt: skip
    model.add_actor(db, "KCNA", kind="state-media", country="KP")
    model.add_actor(db, "NIS", kind="intelligence", country="KR")
    add = model.add_claim
    return {
        "fr_600": add(db, "Selon Séoul, environ 600 soldats nord-coréens ont été tués.", source=ats,
                      parties=[("Seoul", "asserts")], figures=[parse_figure("killed=~600 soldiers")],
                      translation="According to Seoul, about 600 North Korean soldiers were killed."),
        "fr_trips": add(db, "Kim n'a effectué qu'une dizaine de déplacements à l'étranger.", source=ats),
        "en_600": add(db, "Seoul has said about 600 North Korean soldiers were killed in Kursk.", source=wire,
                      parties=[("Seoul", "asserts")], figures=[parse_figure("killed=~600 soldiers")]),
        "en_2000": add(db, "The NIS now says about 2,000 North Korean soldiers were killed.", source=wire,
                       parties=[("NIS", "asserts")], figures=[parse_figure("killed=~2000 soldiers")]),
        "en_denial": add(db, "KCNA called the reports of North Korean soldiers killed a fabrication.", source=wire,
                         parties=[("KCNA", "asserts")]),
    }  # fmt: skip
