import datetime
import re
import sqlite3
from urllib.parse import quote

import pytest
import yaml
from conftest import HOSTILE_LINK_REASON, HOSTILE_WORDING

from claims import model
from claims.db import open_db
from claims.web import (
    actor_links,
    describe_sources,
    link_if_web,
    readable_date,
    readable_timestamp,
    render_cell,
    status_badge,
)
from claims.web.server import build_datasette, metadata_path

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
    assert link_if_web('https://example.org/a?b=1&c="x"') == (
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
    assert (
        readable_timestamp("2025-08-30T16:50:09Z")
        == '<time datetime="2025-08-30T16:50:09Z">30 Aug 2025 16:50 UTC</time>'
    )


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
        from claims.io.bundle import load_example
        from claims.values import parse_figure

        load_example(db)
        later = model.add_source(db, "Later report", url="https://example.org/later", published="2025-09-20")
        claim = model.add_claim(
            db,
            "Seoul now says about 2,000 were killed",
            source=later,
            parties=[("Seoul", "asserts")],
            said_on="2025-09-20",
            figures=[parse_figure("killed=~2000 soldiers")],
        )
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
    for expected in [
        "notes",
        "&lt;b&gt;first&lt;/b&gt;",
        "(empty)",
        "source_id",
        "zoé &lt;z@x&gt;",
        f'<a href="/claims/sources/{source}">source {source}</a>',
        f'<a href="/claims/sources/{other}">source {other}</a>',
        "&lt;i&gt;Wire&lt;/i&gt; corrected",
        f'<time datetime="{recorded_at}">',
    ]:
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
    rows = (
        await workbench.client.get("/claims.json", params={"sql": sql, "measure": "killed", "_shape": "objects"})
    ).json()["rows"]
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
    """ "More than 10,000" was drawn like an exact point: each row says how its figure reads, for its marker."""
    troops = await chart_rows(workbench, "estimates", measure="troops_sent")
    assert {(row["reads_as"], row["estimate"], row["value"]) for row in troops} == {
        ("more than", "more than 10,000 soldiers", 10000)
    }
    wounded = await chart_rows(workbench, "estimates", measure="wounded")
    assert [(row["reads_as"], row["estimate"]) for row in wounded] == [("at least", "at least 1,000 soldiers")] * 2
    shapes = DASHBOARD["charts"]["estimates"]["display"]["layer"][2]["encoding"]["shape"]["scale"]
    assert dict(zip(shapes["domain"], shapes["range"], strict=False))["more than"] == "triangle-up"


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
        ("2025-08", "confirmed", 1),
        ("2025-08", "corroborated", 1),
        ("2025-09", "corroborated", 1),
        (datetime.date.today().strftime("%Y-%m"), "disputed", 1),
    ]


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
        ("2025-08-30", 600),
        ("2025-09-20", 2000),
        ("2025-09-23", 2000),
        ("2025-09-24", 600),
    ]


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


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/claims",
        "/claims/claims",
        "/claims/claims/1",
        "/claims/sources",
        "/claims/contested_claims_query",
        "/-/dashboards/claims-overview",
    ],
)
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
    monkeypatch.setattr("claims.web.server.load_metadata", lambda: metadata)
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


# One claim, many reports (issue 13): claim 4 of the example reported again as 13 and 14, updated by 15 (reported
# again as 16), contradicted by 17 (tests/conftest.py's add_linked_reports).


@pytest.fixture
def linked(linked_example_path):
    return build_datasette(linked_example_path)


def section(page: str, start: str, end: str = "<h2") -> str:
    """The part of a page from `start` up to the next `end` after it."""
    begin = page.index(start)
    return page[begin : page.index(end, begin + len(start))]


def rows_of(html: str) -> list[str]:
    return re.findall(r"<tr[ >].*?</tr>", html.split("<tbody>", 1)[1], re.DOTALL)


async def test_claim_page_lists_every_report_of_the_claim_in_date_order(linked):
    page = (await linked.client.get("/claims/claims/4")).text
    reports = section(page, '<h2 id="reports">Also reported in</h2>')
    rows = rows_of(reports)
    assert [re.search(r'datetime="([^"]+)"', row)[1] for row in rows] == ["2025-08-28", "2025-08-30", "2025-08-31"]
    german, current, english = rows
    assert '<a href="/claims/claims/14">claim 14</a>' in german and "&lt;i&gt;DPA&lt;/i&gt;" in german
    assert '<td class="claims-wording" lang="de">' in german and ">de</td>" in german
    assert 'aria-current="page"' in current and "this report" in current and "/claims/claims/4" not in current
    assert "ATS" in current and "Selon Séoul, environ 600 soldats" in current
    assert '<a href="/claims/claims/13">claim 13</a>' in english and "Yonhap" in english
    assert "According to Seoul, about 600 North Korean soldiers were killed." in english
    assert "3 reports of this claim, earliest first." in reports
    # Seen from another report, the same three, that one marked.
    page = (await linked.client.get("/claims/claims/13")).text
    rows = rows_of(section(page, '<h2 id="reports">Also reported in</h2>'))
    assert ['aria-current="page"' in row for row in rows] == [False, False, True]
    assert '<a href="/claims/claims/4">claim 4</a>' in rows[1]


async def test_claim_page_lists_reports_only_when_there_are_others(linked):
    page = (await linked.client.get("/claims/claims/1")).text
    assert "Also reported in" not in page and 'class="claims-links' not in page
    assert "<h2>Stored row</h2>" in page


async def test_claim_page_lists_updates_and_contradictions_from_either_end(linked):
    page = (await linked.client.get("/claims/claims/4")).text
    titles = re.findall(r'<h2 class="claims-links-title">([^<]+)</h2>', page)
    assert titles == ["Updated by", "Contradicted by"]  # the same claim's reports are not listed again as links
    updated_by = section(page, '<h2 class="claims-links-title">Updated by</h2>')
    assert '<a href="/claims/claims/15">claim 15</a>' in updated_by
    assert "Seoul now says about 2,000 North Korean soldiers were killed." in updated_by
    assert "&lt;b onmouseover=window.pwned=10&gt;NIS briefing&lt;/b&gt;" in updated_by
    contradicted = section(page, '<h2 class="claims-links-title">Contradicted by</h2>')
    assert '<a href="/claims/claims/17">claim 17</a>' in contradicted and "Pyongyang denies any loss" in contradicted
    assert "Same as" not in page
    update = (await linked.client.get("/claims/claims/15")).text
    assert re.findall(r'<h2 class="claims-links-title">([^<]+)</h2>', update) == ["Updates"]
    assert '<a href="/claims/claims/4">claim 4</a>' in section(update, '<h2 class="claims-links-title">Updates</h2>')
    denial = (await linked.client.get("/claims/claims/17")).text
    contradicts = section(denial, '<h2 class="claims-links-title">Contradicts</h2>')
    assert '<a href="/claims/claims/4">claim 4</a>' in contradicts and 'lang="fr">Selon Séoul' in contradicts


async def test_claim_page_shows_hostile_wordings_and_reasons_as_text(linked):
    for claim_id in (4, 14):
        page = (await linked.client.get(f"/claims/claims/{claim_id}")).text
        assert HOSTILE_WORDING not in page and HOSTILE_LINK_REASON not in page
        assert "<i>DPA</i>" not in page and "<script>window.pwned" not in page
        assert "&lt;script&gt;window.pwned = 8&lt;/script&gt;" in page


async def test_claim_groups_lists_the_claims_reported_more_than_once(linked):
    rows = (await linked.client.get("/claims/claim_groups.json?_shape=objects")).json()["rows"]
    columns = ["claim_id", "reports", "outlets_count", "first_appearance", "latest_appearance"]
    assert [tuple(row[c] for c in columns) for row in rows] == [
        (4, 3, 3, "2025-08-28", "2025-08-31"),
        (15, 2, 2, "2025-09-20", "2025-09-21"),
    ]  # sorted by reports, most first
    assert rows[0]["outlets"] == '["ATS","Yonhap","<i>DPA</i>"]' and rows[0]["languages"] == '["fr","en","de"]'
    for sort, expected in [
        ("_sort=reports", [15, 4]),
        ("_sort_desc=first_appearance", [15, 4]),
        ("_sort=latest_appearance", [4, 15]),
    ]:
        sorted_rows = (await linked.client.get(f"/claims/claim_groups.json?{sort}&_shape=objects")).json()["rows"]
        assert [r["claim_id"] for r in sorted_rows] == expected, sort


async def test_claim_groups_facets_status_outlets_and_languages(linked):
    data = (await linked.client.get("/claims/claim_groups.json?_extra=facet_results")).json()
    facets = {name: {v["value"]: v["count"] for v in facet["results"]} for name, facet in data["facet_results"].items()}
    assert facets == {
        "status": {"unconfirmed": 2},
        "outlets": {"ATS": 1, "Yonhap": 2, "<i>DPA</i>": 1, "DPA": 1},
        "languages": {"fr": 1, "en": 2, "de": 2},
    }
    french = await linked.client.get("/claims/claim_groups.json?languages__arraycontains=fr&_shape=objects")
    rows = french.json()["rows"]
    assert [r["claim_id"] for r in rows] == [4]


async def test_claim_groups_page_links_claims_and_reads_as_text(linked):
    page = (await linked.client.get("/claims/claim_groups")).text
    assert "Claims reported more than once" in page and "A claim reported once is in the claims table only." in page
    assert '<a href="/claims/claims/4">4</a>' in page and '<a href="/claims/claims/15">15</a>' in page
    assert '<time datetime="2025-08-28">28 Aug 2025</time>' in page
    assert "ATS, Yonhap, &lt;i&gt;DPA&lt;/i&gt;" in page and "<i>DPA</i>" not in page
    assert 'href="/claims/claims?_asserted_by=Seoul"' in page
    home = (await linked.client.get("/")).text
    assert 'href="/claims/claim_groups?_sort_desc=reports"' in home and 'href="/claims/estimates_of_a_claim"' in home


@pytest.mark.parametrize("order", ["reports desc", "first_appearance", "latest_appearance desc"])
def test_claim_groups_sort_by_an_index_of_the_claims_reported_more_than_once(linked_example_path, order):
    """m008's view grouped every report for every page: 0.4 s at 100,000 claims, 0.65 s sorted by reports."""
    plan = query_plan(linked_example_path, f"select * from claim_groups order by {order} limit 51")
    assert plan[0] == f"SCAN counted USING INDEX idx_claim_group_counts_{order.split()[0]}", plan
    assert not [step for step in plan if "SCAN" in step and "counted" not in step], plan
    for sql in [
        "select count(*) from claim_groups",
        "select status, count(*) from claim_groups group by status",
        "select value, count(*) from claim_groups join json_each(claim_groups.outlets) group by value",
    ]:
        plan = query_plan(linked_example_path, sql)  # without reading a single report: they are in claim_group_counts
        assert re.match(r"SCAN (counted|claim_group_counts)\b", plan[0]), plan
        assert not [step for step in plan if re.search(r"\bclaims\b", step)], plan


async def test_dashboard_counts_a_claim_reported_several_times_once(linked_example_path, tmp_path):
    import shutil

    path = tmp_path / "claims.db"
    shutil.copy(linked_example_path, path)
    with open_db(path) as db:  # one status change of the claim: recorded on each of its three reports
        model.set_status(db, 4, "disputed", reason="Pyongyang denies", on="2025-09-03")
    datasette = build_datasette(path)
    by_status = {r["status"]: r["claims"] for r in await chart_rows(datasette, "by-status")}
    assert by_status["unconfirmed"] == 11 and by_status["disputed"] == 1  # 17 reports, 14 claims
    assert [(r["counted"], r["number"]) for r in await chart_rows(datasette, "reports-and-claims")] == [
        ("reports", 17),
        ("claims", 14),
    ]
    parties = {(r["actor"], r["role"]): r["claims"] for r in await chart_rows(datasette, "parties")}
    assert parties[("Seoul", "asserts")] == 2  # claims 4 (three reports) and 15 (two)
    actors = await chart_rows(datasette, "per-actor")
    seoul = {(r["status"], r["claims"]) for r in actors if r["actor"] == "Seoul"}
    assert seoul == {("disputed", 1), ("unconfirmed", 1)}
    sources = await chart_rows(datasette, "per-source")
    assert sum(r["claims"] for r in sources) == 17  # each source's own claims: a claim in three sources is in each
    changes = {(r["month"], r["status"]): r["changes"] for r in await chart_rows(datasette, "changes")}
    assert changes[("2025-09", "disputed")] == 1


def test_dashboard_titles_say_a_claim_counts_once():
    for slug in ["by-status", "per-source", "per-actor", "parties", "changes", "reports-and-claims"]:
        assert "a claim reported N times" in DASHBOARD["charts"][slug]["title"], slug
    assert "counts once" in DASHBOARD["description"]


@pytest.mark.parametrize("slug", ["by-status", "parties", "changes", "reports-and-claims"])
def test_dashboard_counts_read_only_counts_and_the_claims_reported_more_than_once(linked_example_path, slug):
    plan = query_plan(linked_example_path, DASHBOARD["charts"][slug]["query"])
    scans = [step for step in plan if step.startswith("SCAN") and "USING" not in step]
    scanned = {step.split()[1] for step in scans}
    assert scanned <= {
        "statuses",
        "roles",
        "facet_counts",
        "status_changes_per_month",
        "claims_per_status",
        "counted",
        "top",
        "repeated",
        "copies",
        "(subquery-1)",
    }, plan


async def test_estimates_of_a_claim_follow_its_updates_and_their_reports(linked):
    for claim_id in (4, 13, 16):  # from any report of any claim of the chain: the same estimates
        rows = await canned(linked, "estimates_of_a_claim", claim_id=claim_id)
        assert [(r["dated"], r["claim_id"], r["estimate"]) for r in rows] == [
            ("2025-08-28", 14, "about 600 soldiers"),
            ("2025-08-30", 4, "about 600 soldiers"),
            ("2025-08-30", 4, "at least 1,000 soldiers"),
            ("2025-08-31", 13, "about 600 soldiers"),
            ("2025-09-20", 15, "about 2,000 soldiers"),
            ("2025-09-21", 16, "about 2,000 soldiers"),
        ], claim_id  # claim 17 contradicts 4: not one of its versions
    alone = await canned(linked, "estimates_of_a_claim", claim_id=2)  # asserted by two: one row for each
    assert [(r["claim_id"], r["measure"], r["outlet"], r["asserted_by"]) for r in alone] == [
        (2, "troops_sent", "ATS", "South Korean intelligence"),
        (2, "troops_sent", "ATS", "Western intelligence"),
    ]
    assert await canned(linked, "estimates_of_a_claim", claim_id="nothing") == []
    page = (await linked.client.get("/claims/claims/4")).text
    assert '<a href="/claims/estimates_of_a_claim?claim_id=4">' in page


def test_estimates_of_a_claim_walk_indexes_only(linked_example_path):
    sql = QUERIES["estimates_of_a_claim"]["sql"].replace("claims_figure_text(", "coalesce(")  # a plugin function
    plan = query_plan(linked_example_path, sql, {"claim_id": 4})
    scans = [step for step in plan if step.startswith("SCAN")]
    assert scans == ["SCAN chain"] * len(scans) and scans, plan


# Sources kept as evidence


@pytest.fixture
def kept_site(db, kept, db_path):
    """Datasette over a database whose source keeps a text (conftest's KEPT_BODY and KEPT_CLAIMS)."""
    return build_datasette(db_path), kept


async def test_claim_page_shows_the_claim_highlighted_in_its_paragraph(kept_site):
    site, kept = kept_site
    page = (await site.client.get(f"/claims/claims/{kept['monument']}")).text
    assert (
        '<p class="claims-in-context" lang="fr">'
        "Kim a parlé &lt;script&gt;window.pwned = 1&lt;/script&gt; aux familles. "
        '<mark class="claims-span">Le dirigeant a promis un monument, a rapporté KCNA.</mark></p>'
    ) in page, "the paragraph around the claim, every piece escaped"
    assert "Selon Séoul" not in page.split('class="claims-in-context"')[1].split("</p>")[0], "its paragraph only"
    assert f'<a href="/claims/sources/{kept["source"]}#text">the source\'s stored text</a>' in page
    assert "<script>window.pwned" not in page


async def test_claim_page_marks_a_hostile_claim_as_text(kept_site):
    site, kept = kept_site
    page = (await site.client.get(f"/claims/claims/{kept['hostile']}")).text
    marked = "Kim a parlé &lt;script&gt;window.pwned = 1&lt;/script&gt; aux familles."
    assert f'<mark class="claims-span">{marked}</mark>' in page
    assert "<script>window.pwned" not in page


async def test_claim_page_says_when_the_claim_is_not_in_its_source_text(kept_site):
    site, kept = kept_site
    page = (await site.client.get(f"/claims/claims/{kept['elsewhere']}")).text
    assert "claims-in-context" not in page and "not found word for word in" in page


async def test_source_page_lists_its_claims_in_article_order_and_shows_its_text(kept_site):
    site, kept = kept_site
    page = (await site.client.get(f"/claims/sources/{kept['source']}")).text
    listed = re.findall(r'<li><a href="/claims/claims/(\d+)">', page)
    order = [kept[name] for name in ("toll", "elided", "hostile", "monument", "elsewhere")]
    assert [int(i) for i in listed] == order, "by where each is in the text; a claim not in it last"
    text = page.split('<h2 id="text">Stored text</h2>')[1]
    paragraphs = re.findall(r'<p id="p(\d)">', text)
    assert paragraphs == ["1", "2", "3"]
    assert (
        f'<mark class="claims-span" id="claim-{kept["hostile"]}"><a href="/claims/claims/{kept["hostile"]}" '
        f'title="claim {kept["hostile"]}">'
        "Kim a parlé &lt;script&gt;window.pwned = 1&lt;/script&gt; aux familles.</a></mark>"
    ) in text
    assert "<script>window.pwned" not in page
    assert f'href="/claims/source_changes?source_id={kept["source"]}"' in page
    assert "read from a saved page" in page


async def test_source_page_of_a_source_without_text_says_how_to_keep_one(kept_site, db):
    site, _ = kept_site
    other = model.add_source(db, "No text", archive_url="https://perma.cc/AB12-CD34")
    page = (await site.client.get(f"/claims/sources/{other}")).text
    assert "No claim recorded from this source." in page and f"claims source keep {other} --file PAGE" in page
    assert '<a href="https://perma.cc/AB12-CD34" rel="nofollow noopener">' in page
    hostile = model.add_source(db, "Hostile archive", archive_url='https://perma.cc/x"onmouseover="alert(1)')
    page = (await site.client.get(f"/claims/sources/{hostile}")).text
    assert 'x"onmouseover' not in page


async def test_claim_page_marks_the_parts_of_an_elided_claim_not_what_it_leaves_out(kept_site):
    site, kept = kept_site
    page = (await site.client.get(f"/claims/claims/{kept['elided']}")).text
    context = page.split('<p class="claims-in-context" lang="fr">')[1].split("</p>")[0]
    assert re.findall(r'<mark class="claims-span">(.*?)</mark>', context) == [
        "Selon Séoul, environ 600 soldats",
        "liés par un accord de défense depuis 2024",
    ]
    assert "aux familles" in context, "its paragraphs, from the first part's to the last's"
