import datetime
import re
import sqlite3
from urllib.parse import quote

import pytest
import yaml

from claims import model
from claims.db import open_db
from claims.server import build_datasette, metadata_path
from claims.web import (
    actor_links,
    describe_sources,
    link_if_web,
    readable_date,
    readable_timestamp,
    render_cell,
    status_badge,
)

METADATA = yaml.safe_load(metadata_path().read_text())
DASHBOARD = METADATA["plugins"]["datasette-dashboards"]["claims-overview"]
QUERIES = METADATA["databases"]["claims"]["queries"]


class FakeUrls:
    def table(self, database, table):
        return f"/{database}/{table}"


class FakeDatasette:
    urls = FakeUrls()


def cell(value, column, table="claims"):
    return render_cell(value=value, column=column, table=table, database="claims", datasette=FakeDatasette())


def test_status_badge_has_meaning_as_tooltip():
    badge = status_badge("corroborated")
    assert 'class="claims-status claims-status-corroborated"' in badge
    assert 'title="Supported by more than one independent source' in badge


def test_only_web_urls_become_links():
    assert link_if_web("https://example.org/a?b=1&c=\"x\"") == (
        '<a href="https://example.org/a?b=1&amp;c=&#34;x&#34;" rel="nofollow noopener">'
        "https://example.org/a?b=1&amp;c=&#34;x&#34;</a>"
    )
    assert link_if_web("javascript:alert(1)") == "javascript:alert(1)"
    assert "<a" not in link_if_web("JAVASCRIPT:alert(1)")
    assert link_if_web("data:text/html,<script>x</script>") == "data:text/html,&lt;script&gt;x&lt;/script&gt;"


def test_readable_dates():
    assert readable_date("2025-08-30") == '<time datetime="2025-08-30">30 Aug 2025</time>'
    assert readable_date("2024-06") == '<time datetime="2024-06">Jun 2024</time>'
    assert readable_date("2024") == '<time datetime="2024">2024</time>'
    assert readable_date("<b>soon</b>") == "&lt;b&gt;soon&lt;/b&gt;"
    assert readable_timestamp("2025-08-30T16:50:09Z") == '<time datetime="2025-08-30T16:50:09Z">30 Aug 2025 16:50 UTC</time>'


def test_actor_links_escape_names_and_encode_urls():
    links = actor_links(["Seoul", "<img onerror=x>"], "asserted_by", "/claims/claims")
    assert '<a class="claims-actor" href="/claims/claims?_asserted_by=Seoul">Seoul</a>' in links
    assert f"_asserted_by={quote('<img onerror=x>', safe='')}" in links
    assert "&lt;img onerror=x&gt;</a>" in links and "<img" not in links


def test_render_cell():
    assert "claims-status-denied" in cell("denied", "status")
    assert "claims-status-confirmed" in cell({"value": "confirmed", "label": "confirmed"}, "status")
    assert "_not_confirmed_by=Pyongyang" in cell('["Pyongyang"]', "not_confirmed_by")
    assert "_asserted_by=Seoul" in cell("Seoul", "asserted_by", table="estimates")
    assert "claims-nobody" in cell("[]", "denied_by")
    assert cell("[not json", "denied_by") is None
    assert cell("Kim said", "text") is None
    assert cell(42, "status") is None


@pytest.fixture
def workbench(tmp_path):
    """The example plus a contested claim with a later status change and an estimate series."""
    path = tmp_path / "workbench.db"
    with open_db(path, create=True) as db:
        from claims.bundle import load_example
        from claims.values import parse_figure

        load_example(db)
        later = model.add_source(db, "Later report", url="https://example.org/later", published="2025-09-20")
        claim = model.add_claim(
            db, "Seoul now says about 2,000 were killed", source=later, parties=[("Seoul", "asserts")],
            said_on="2025-09-20", figures=[parse_figure("killed=~2000 soldiers")],
        )  # fmt: skip
        model.add_stance(db, claim, "Pyongyang", "denies", on="2025-09-21")
        model.set_status(db, claim, "disputed", reason="Pyongyang denies", evidence="https://example.org/kcna")
    return build_datasette(path)


async def test_claim_page_shows_everything(workbench):
    page = (await workbench.client.get("/claims/claims/2")).text
    assert "Claim 2" in page and "claims-status-corroborated" in page
    assert "Supported by more than one independent source" in page
    assert "South Korean and Western intelligence services said" in page  # translation
    assert "more than 10,000 soldiers" in page
    assert "Asserted by two independent parties" in page  # history reason
    assert 'href="/claims/sources/1"' in page
    assert "_asserted_by=Western%20intelligence" in page


async def test_claim_page_history_links_evidence(workbench):
    page = (await workbench.client.get("/claims/claims/20")).text
    assert "claims-status-unconfirmed" in page and "claims-status-disputed" in page
    assert '<a href="https://example.org/kcna" rel="nofollow noopener">' in page
    assert "denies" in page and "21 Sep 2025" in page


async def test_claim_page_shows_every_edit_with_what_who_when_why(tmp_path):
    """Edits were invisible on the claim page: each revision is listed, its values escaped."""
    from claims.revisions import edit_claim

    path = tmp_path / "edited.db"
    with open_db(path, create=True) as db:
        source = model.add_source(db, "Wire", published="2025-08-30")
        claim = model.add_claim(db, "Seoul says 600", source=source, notes="<b>first</b>")
        other = model.add_source(db, "Correction")
        edit_claim(db, claim, notes="", source=other, reason="<i>Wire</i> corrected", recorded_by="zoé <z@x>")
        recorded_at = model.get_claim(db, claim)["revisions"][0]["recorded_at"]
        untouched = model.add_claim(db, "Never edited", source=source)
    datasette = build_datasette(path)
    page = (await datasette.client.get(f"/claims/claims/{claim}")).text
    edits = page[page.index("<h2>Edits</h2>") : page.index("<h2>Stored row</h2>")]
    assert edits.count("<tr>") == 3  # the header and two fields
    for expected in ["notes", "&lt;b&gt;first&lt;/b&gt;", "(empty)", "source_id", "zoé &lt;z@x&gt;",
                     f'<a href="/claims/sources/{source}">source {source}</a>',
                     f'<a href="/claims/sources/{other}">source {other}</a>',
                     "&lt;i&gt;Wire&lt;/i&gt; corrected", f'<time datetime="{recorded_at}">']:  # fmt: skip
        assert expected in edits, expected
    assert "<b>first</b>" not in page and "<i>Wire</i>" not in page
    page = (await datasette.client.get(f"/claims/claims/{untouched}")).text
    assert "Never edited since it was recorded." in page and 'class="claims-revisions"' not in page


async def test_missing_claim_page_is_404(workbench):
    assert (await workbench.client.get("/claims/claims/999")).status_code == 404


async def test_table_cells_are_badges_and_links(workbench):
    page = (await workbench.client.get("/claims/claims?status=disputed")).text
    assert '<span class="claims-status claims-status-disputed"' in page
    assert 'href="/claims/claims?_denied_by=Pyongyang"' in page


async def test_stylesheet_is_served(workbench):
    response = await workbench.client.get("/-/static-plugins/claims/claims.css")
    assert response.status_code == 200 and ".claims-status-confirmed" in response.text


async def test_dashboard_page_lists_every_chart(workbench):
    response = await workbench.client.get("/-/dashboards/claims-overview")
    assert response.status_code == 200
    for slug in DASHBOARD["charts"]:
        assert f'id="chart-{slug}"' in response.text
    assert '<option value="killed"' in response.text  # the measure filter lists measures


@pytest.mark.parametrize("slug", list(DASHBOARD["charts"]))
async def test_dashboard_chart_queries_run(workbench, slug):
    sql = DASHBOARD["charts"][slug]["query"].replace("[[", "").replace("]]", "")
    response = await workbench.client.get("/claims.json", params={"sql": sql, "measure": "killed", "_shape": "objects"})
    assert response.status_code == 200, response.text
    assert response.json()["rows"], slug


async def test_estimates_over_time_reads_as_a_series(workbench):
    sql = DASHBOARD["charts"]["estimates"]["query"].replace("[[", "").replace("]]", "")
    rows = (await workbench.client.get("/claims.json", params={"sql": sql, "measure": "killed", "_shape": "objects"})).json()["rows"]
    assert [(r["dated"], r["value"], r["asserted_by"]) for r in rows] == [
        ("2025-08-30", 600, "Seoul"),
        ("2025-09-20", 2000, "Seoul"),
        ("2025-09-23", 2000, "South Korean intelligence"),  # the example's later report
        ("2025-09-24", 600, "Seoul"),  # which recalls the August figure
    ]


async def chart_rows(datasette, slug, **params) -> list[dict]:
    sql = DASHBOARD["charts"][slug]["query"]
    response = await datasette.client.get("/claims.json", params={"sql": sql, **params, "_shape": "objects"})
    assert response.status_code == 200, response.text
    return response.json()["rows"]


async def test_estimates_without_a_measure_show_the_most_estimated_one(workbench):
    """With no measure chosen, protesters, arrests and deaths were plotted on one axis."""
    rows = await chart_rows(workbench, "estimates")  # killed: four figures; every other measure two at most
    assert {row["measure"] for row in rows} == {"killed"} and len(rows) == 4
    assert {row["shown"] for row in rows} == {"killed: the measure most estimated of late (choose another above)"}
    chosen = await chart_rows(workbench, "estimates", measure="troops_sent")
    assert {row["measure"] for row in chosen} == {"troops_sent"} and {row["shown"] for row in chosen} == {"troops_sent"}


async def test_estimates_say_how_each_figure_reads(workbench):
    """"More than 10,000" was drawn like an exact point: each row says how its figure reads, for its marker."""
    troops = await chart_rows(workbench, "estimates", measure="troops_sent")
    assert {(row["reads_as"], row["estimate"], row["value"]) for row in troops} == {
        ("more than", "more than 10,000 soldiers", 10000)
    }
    wounded = await chart_rows(workbench, "estimates", measure="wounded")
    assert [(row["reads_as"], row["estimate"]) for row in wounded] == [("at least", "at least 1,000 soldiers")] * 2
    shapes = DASHBOARD["charts"]["estimates"]["display"]["layer"][2]["encoding"]["shape"]["scale"]
    assert dict(zip(shapes["domain"], shapes["range"]))["more than"] == "triangle-up"


def test_estimates_chart_reads_one_measure_through_its_index(example_db_path):
    from claims.web import prepare_connection

    connection = sqlite3.connect(example_db_path)
    prepare_connection(connection)
    sql = DASHBOARD["charts"]["estimates"]["query"]
    plan = [row[3] for row in connection.execute(f"explain query plan {sql}", {"measure": ""})]
    connection.close()
    assert "SEARCH figures USING INDEX idx_figures_measure_claim_id (measure=?)" in plan, plan


async def test_status_changes_per_month_count_only_changes(workbench):
    """The example's claims recorded as unconfirmed were each counted as a change."""
    rows = await chart_rows(workbench, "changes")
    assert sorted((row["month"], row["status"], row["changes"]) for row in rows) == [
        ("2025-08", "confirmed", 1), ("2025-08", "corroborated", 1), ("2025-09", "corroborated", 1),
        (datetime.date.today().strftime("%Y-%m"), "disputed", 1),
    ]  # fmt: skip


async def canned(datasette, name, **params):
    response = await datasette.client.get(f"/claims/{name}.json", params={**params, "_shape": "objects"})
    assert response.status_code == 200, response.text
    return response.json()["rows"]


async def test_canned_queries(workbench):
    contested = await canned(workbench, "contested_claims_query")
    assert [r["id"] for r in contested] == [20]
    unconfirmed = await canned(workbench, "unconfirmed_oldest_first")
    assert len(unconfirmed) == 19 and 8 not in [r["id"] for r in unconfirmed]  # claim 8 is confirmed
    assert [r["dated"] for r in unconfirmed] == sorted(r["dated"] for r in unconfirmed)
    by_seoul = await canned(workbench, "asserted_by_actor", actor="séoul")
    assert [r["claim_id"] for r in by_seoul] == [14, 20, 4]  # the latest first: 24, 20 Sep, 30 Aug
    assert [r["status"] for r in by_seoul] == ["unconfirmed", "disputed", "unconfirmed"]
    assert await canned(workbench, "asserted_by_actor", actor="south korea") == by_seoul
    killed = await canned(workbench, "estimates_of_a_measure", measure="killed")
    assert [(r["dated"], r["low"]) for r in killed] == [
        ("2025-08-30", 600), ("2025-09-20", 2000), ("2025-09-23", 2000), ("2025-09-24", 600)
    ]  # fmt: skip


def query_plan(path, sql: str, params: dict | None = None) -> list[str]:
    """The steps SQLite's EXPLAIN QUERY PLAN gives for `sql` on the database at `path`."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[3] for row in connection.execute(f"explain query plan {sql}", params or {})]
    finally:
        connection.close()


@pytest.mark.parametrize("name", ["unconfirmed_oldest_first", "estimates_of_a_measure"])
def test_date_ordered_queries_walk_the_index_of_dates(example_db_path, name):
    """At a million claims, sorting every unconfirmed claim or every estimate by date takes seconds, past
    Datasette's time limit: these read claims in date order from an index instead, and stop at a page."""
    plan = query_plan(example_db_path, QUERIES[name]["sql"], {"measure": "killed"})
    assert plan[0] == "SCAN claims USING INDEX idx_claims_dated", plan
    assert not [step for step in plan if "TEMP B-TREE" in step], plan


@pytest.mark.parametrize("order", ["status_changed_at desc, id desc", "said_on, id"])
def test_the_claims_table_sorts_by_an_index(example_db_path, order):
    plan = query_plan(example_db_path, f"select * from claims order by {order} limit 51")
    assert len(plan) == 1 and plan[0].startswith("SCAN claims USING INDEX"), plan


async def test_recent_status_changes_counts_days(workbench):
    days = (datetime.date.today() - datetime.date(2025, 8, 29)).days  # the example's earliest date
    recent = await canned(workbench, "recent_status_changes", days=1)
    assert [(r["claim_id"], r["to_status"]) for r in recent] == [(20, "disputed")]
    everything = await canned(workbench, "recent_status_changes", days=days)
    assert len(everything) == 24


def data_sources(page: str) -> list[str]:
    """Every "Data source: ..." a page shows (the description under the title, the footer)."""
    return [" ".join(found.split()) for found in re.findall(r"Data source:(.*?)(?:&middot;|<)", page, re.S)]


@pytest.mark.parametrize("path", ["/", "/claims", "/claims/claims", "/claims/claims/1", "/claims/sources",
                                  "/claims/contested_claims_query", "/-/dashboards/claims-overview"])  # fmt: skip
async def test_every_page_describes_the_database_served(example_db_path, path):
    """Every page said "Bundled example: ATS wire story" whatever database was served."""
    page = (await build_datasette(example_db_path).client.get(path)).text
    assert "Bundled example" not in page
    assert set(data_sources(page)) == {"2 sources from ATS and Northgate Wire, published 30 Aug 2025 – 24 Sep 2025"}


async def test_data_source_counts_the_sources_and_follows_new_ones(tmp_path):
    path = tmp_path / "own.db"
    with open_db(path, create=True) as db:
        pass
    datasette = build_datasette(path)
    assert data_sources((await datasette.client.get("/claims/claims")).text)[-1] == "no sources recorded yet"
    with open_db(path) as db:
        model.add_source(db, "One", outlet="<script>x</script>", published="2024-06")
        model.add_source(db, "Two", outlet="Yonhap", published="2025-09-02")
        model.add_source(db, "Three")
    page = (await datasette.client.get("/claims/claims")).text
    assert data_sources(page)[-1] == (
        "3 sources from &lt;script&gt;x&lt;/script&gt; and Yonhap, published Jun 2024 – 2 Sep 2025"
    )
    assert "<script>x</script>" not in page


def test_describe_sources():
    assert describe_sources(1, ["ATS"], 1, "2025-08-30", "2025-08-30") == "1 source from ATS, published 30 Aug 2025"
    assert describe_sources(1500, [], 12, "2024", "2025-01") == (
        "1,500 sources from 12 outlets, published 2024 – Jan 2025"
    )
    assert describe_sources(2, ["A", "B", "C"], 3, None, None) == "2 sources from A, B and C"
    assert describe_sources(2, [], 0, None, "2025-01-02") == "2 sources, published 2 Jan 2025"
    assert describe_sources(0, [], 0, None, None) == "no sources recorded yet"


async def test_a_source_named_in_metadata_is_kept(example_db_path, monkeypatch):
    named = {"source": "Desk archive", "source_url": "https://example.org"}
    metadata = yaml.safe_load(metadata_path().read_text()) | named
    monkeypatch.setattr("claims.server.load_metadata", lambda: metadata)
    page = (await build_datasette(example_db_path).client.get("/claims/claims")).text
    assert '<a href="https://example.org">' in page and "Desk archive" in page and "1 source from ATS" not in page


async def test_home_page_tells_a_newcomer_where_to_start(workbench):
    page = (await workbench.client.get("/")).text
    for link in ["/-/dashboards/claims-overview", "/claims/claims", "/claims/contested_claims_query"]:
        assert f'href="{link}' in page


async def test_error_pages_are_answered_without_crashing(example_db_path, capsys):
    """Datasette 0.65 with Rich installed dumps (or crashes on) 404s; the plugin turns that off."""
    datasette = build_datasette(example_db_path)
    for path in ["/nowhere", "/claims/claims/9999", "/claims/no_such_table.json"]:
        response = await datasette.client.get(path)
        assert response.status_code == 404, path
    assert "Traceback" not in capsys.readouterr().out


def test_fold_function_is_registered_on_datasette_connections(example_db_path):
    from claims.web import prepare_connection

    conn = sqlite3.connect(example_db_path)
    prepare_connection(conn)
    assert conn.execute("select claims_fold('  Séoul!')").fetchone() == ("seoul",)
    figures = "select claims_figure_text(qualifier, low, high, unit) from figures order by id"
    assert [row[0] for row in conn.execute(figures)][:2] == ["more than 10,000 soldiers", "about 600 soldiers"]
    assert conn.execute("select claims_figure_text('bogus', null, null, null)").fetchone() == (None,)
