import pytest
from sqlite_utils import Database

from claims.db import open_db
from claims.io.bundle import load_example, load_seed_article
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


# The bundled example's claim 4 (Seoul: about 600 North Korean soldiers killed, in French, 30 Aug 2025), reported
# again, updated and contradicted. Ids, in the order they are added after the example's 12 claims.
LINKED = {"english": 13, "german": 14, "update": 15, "update_again": 16, "denial": 17}
HOSTILE_WORDING = '<script>window.pwned = 8</script><img src=x onerror="window.pwned = 9"> Laut Seoul 600 Tote'
HOSTILE_LINK_REASON = "<b onmouseover=window.pwned=10>NIS briefing</b>"


def add_linked_reports(db) -> None:
    """Claim 4 of the example, reported again in English (13) and German (14, hostile wording, dated earliest),
    updated by 15 (reported again as 16) and contradicted by 17: the reports of one claim, and its links."""
    from claims import links, model
    from claims.values import parse_figure

    def report(title, text, *, outlet, published, language, figure, by="Seoul", url=None):
        source = model.add_source(db, title, url=url, outlet=outlet, published=published, language=language)
        return model.add_claim(db, text, source=source, parties=[(by, "asserts")], figures=[parse_figure(figure)])

    english = report(
        "Seoul: 600 North Korean soldiers killed",
        "According to Seoul, about 600 North Korean soldiers were killed.",
        outlet="Yonhap",
        published="2025-08-31",
        language="en",
        figure="killed=~600 soldiers",
        url="https://example.org/yonhap",
    )
    german = report(
        "Seoul: 600 Tote",
        HOSTILE_WORDING,
        outlet="<i>DPA</i>",
        published="2025-08-28",
        language="de",
        figure="killed=~600 soldiers",
    )
    update = report(
        "Seoul revises its estimate",
        "Seoul now says about 2,000 North Korean soldiers were killed.",
        outlet="Yonhap",
        published="2025-09-20",
        language="en",
        figure="killed=~2000 soldiers",
    )
    update_again = report(
        "Seoul: 2.000 Tote",
        "Laut Seoul wurden etwa 2.000 nordkoreanische Soldaten getötet.",
        outlet="DPA",
        published="2025-09-21",
        language="de",
        figure="killed=~2000 soldiers",
    )
    denial = report(
        "KCNA: no soldier killed",
        "Pyongyang says no North Korean soldier was killed.",
        outlet="KCNA",
        published="2025-09-02",
        language="en",
        figure="killed=0 soldiers",
        by="Pyongyang",
    )
    assert [english, german, update, update_again, denial] == list(LINKED.values())
    links.link(db, english, 4, "same", reason="The same estimate, translated")
    links.link(db, german, 4, "same", reason="The same estimate, in German")
    links.link(db, update, 4, "updates", reason=HOSTILE_LINK_REASON)
    links.link(db, update_again, update, "same", reason="The revised estimate, in German")
    links.link(db, denial, 4, "contradicts", reason="Pyongyang denies any loss")


@pytest.fixture(scope="session")
def linked_example_path(tmp_path_factory):
    """The seed article with claim 4 reported three times, updated and contradicted (`add_linked_reports`)."""
    path = tmp_path_factory.mktemp("linked") / "claims.db"
    with open_db(path, create=True) as db:
        load_seed_article(db)  # not the demo's later report: the reports added here are the only ones
        add_linked_reports(db)
    return path


def run_claims(*args, db=None, input=None, env=None):
    """Run the `claims` command line in-process (`db` passed as --db); return click's Result."""
    from typer.testing import CliRunner

    from claims.cli import app

    arguments = [str(a) for a in args] + (["--db", str(db)] if db else [])
    return CliRunner().invoke(app, arguments, input=input, env=env)


@pytest.fixture
def cli():
    """Run the `claims` command line in-process: `cli("list", db=path)` returns click's Result."""
    return run_claims


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_in_background(db_path, port: int, *, timeout: float = 30):
    """Start `claims serve` on 127.0.0.1:`port` in a child process and wait until it answers; return the process."""
    import subprocess
    import sys
    import time
    import urllib.request

    process = subprocess.Popen(
        [sys.executable, "-m", "claims", "serve", "--db", str(db_path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=1)
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"claims serve did not start: {process.stderr.read().strip()}") from None
            time.sleep(0.1)


@pytest.fixture
def datasette(example_db_path):
    """The project's Datasette (metadata, plugin) over the bundled example, in-process: `await datasette.client.get`."""
    from claims.web.server import build_datasette

    return build_datasette(example_db_path)


def facet_counts(data: dict, facet: str) -> dict:
    """{value: count} of one facet of a Datasette table page's JSON."""
    return {item["value"]: item["count"] for item in data["facet_results"][facet]["results"]}


def database_bytes(path):
    """Every byte of a database and its sidecar files (-wal, -shm, -journal): to assert nothing was written."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


@pytest.fixture
def reports(db, actors):
    """Reports of one story in two sources (French, then English a week later): ids by name."""
    from claims import model

    ats = model.add_source(
        db,
        "Kim réconforte les familles",
        outlet="ATS",
        published="2025-08-30",
        language="fr",
        url="https://example.org/ats",
    )
    wire = model.add_source(
        db,
        "Seoul revises toll",
        outlet="Meridian",
        published="2025-09-06",
        language="en",
        url="https://example.org/meridian",
    )
    model.add_actor(db, "KCNA", kind="state-media", country="KP")
    model.add_actor(db, "NIS", kind="intelligence", country="KR")
    add = model.add_claim
    return {
        "fr_600": add(
            db,
            "Selon Séoul, environ 600 soldats nord-coréens ont été tués.",
            source=ats,
            parties=[("Seoul", "asserts")],
            figures=[parse_figure("killed=~600 soldiers")],
            translation="According to Seoul, about 600 North Korean soldiers were killed.",
        ),
        "fr_trips": add(db, "Kim n'a effectué qu'une dizaine de déplacements à l'étranger.", source=ats),
        "en_600": add(
            db,
            "Seoul has said about 600 North Korean soldiers were killed in Kursk.",
            source=wire,
            parties=[("Seoul", "asserts")],
            figures=[parse_figure("killed=~600 soldiers")],
        ),
        "en_2000": add(
            db,
            "The NIS now says about 2,000 North Korean soldiers were killed.",
            source=wire,
            parties=[("NIS", "asserts")],
            figures=[parse_figure("killed=~2000 soldiers")],
        ),
        "en_denial": add(
            db,
            "KCNA called the reports of North Korean soldiers killed a fabrication.",
            source=wire,
            parties=[("KCNA", "asserts")],
        ),
    }


PAGES = __import__("pathlib").Path(__file__).parent / "data" / "pages"
ARTICLES = PAGES.parent / "articles"
# A source's stored text in three paragraphs, the second holding markup a page must show as text.
KEPT_BODY = (
    "Séoul, 30 août (ATS) - Selon Séoul, environ 600 soldats nord-coréens ont été tués, ce que Pyongyang n'a pas "
    "confirmé.\n\nKim a parlé <script>window.pwned = 1</script> aux familles. Le dirigeant a promis un monument, a "
    "rapporté KCNA.\n\nPyongyang et Moscou sont liés par un accord de défense depuis 2024."
)
KEPT_CLAIMS = {  # added in this order: the first is the latest in the article
    "monument": "Le dirigeant a promis un monument, a rapporté KCNA.",
    "toll": "Selon Séoul, environ 600 soldats nord-coréens ont été tués.",  # the text goes on: ", ce que ..."
    "hostile": "Kim a parlé <script>window.pwned = 1</script> aux familles.",
    "elided": "Selon Séoul, environ 600 soldats [...] liés par un accord de défense depuis 2024",
    "elsewhere": "A claim that is not in the stored text.",
}


@pytest.fixture
def kept(db, actors):
    """A source keeping KEPT_BODY (with a page) and its claims (KEPT_CLAIMS): {"source": id, name: claim id}."""
    from claims import model
    from claims.evidence import SourceText

    page = f"<html><body><article><p>{KEPT_BODY}</p></article></body></html>".encode()
    source = model.add_source(
        db,
        "Kim réconforte les familles",
        url="https://example.org/ats-kim",
        outlet="ATS",
        published="2025-08-30",
        language="fr",
        text=SourceText(KEPT_BODY, page),
    )
    ids = {
        name: model.add_claim(db, text, source=source, parties=[("Seoul", "asserts")])
        for name, text in KEPT_CLAIMS.items()
    }
    return {"source": source, **ids}
