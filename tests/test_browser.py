"""The published database in a real headless Chromium (Debian's, driven by Playwright).

These tests start `claims serve` on a free localhost port and click through the pages as a
fact-checker would. They need /usr/bin/chromium (or $CLAIMS_CHROMIUM): `make test` installs it as root with
apt-get, or stops first and says what to run. Without it they fail; they are never skipped.
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import HOSTILE_LINK_REASON, HOSTILE_WORDING, free_port, start_in_background
from playwright.sync_api import expect, sync_playwright

from claims import model
from claims.db import open_db
from claims.io.bundle import load_example
from claims.revisions import edit_claim
from claims.values import parse_figure

CHROMIUM = os.environ.get("CLAIMS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE_TEXT = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> Séoul hostile'
HOSTILE_ACTOR = "<img src=x onerror=window.pwned=3>"
HOSTILE_NOTES = "<svg onload=window.pwned=5></svg>"
HOSTILE_TRANSLATION = "<img src=x onerror=window.pwned=6> Seoul says"
HOSTILE_REASON = "<b onmouseover=window.pwned=7>Wire corrected</b>"
CHARTS = ["by-status", "per-source", "per-actor", "parties", "estimates", "reports-and-claims", "changes"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`claims serve` on the bundled example plus one hostile claim; yields its base URL."""
    path = tmp_path_factory.mktemp("browser") / "claims.db"
    with open_db(path, create=True) as db:
        load_example(db)
        hostile = model.add_claim(
            db,
            HOSTILE_TEXT,
            source=1,
            parties=[("Seoul", "asserts"), (HOSTILE_ACTOR, "denies")],
            status="disputed",
            notes=HOSTILE_NOTES,
            create_actors=True,
        )
        model.set_status(db, hostile, "denied", reason="<b>bold?</b>", evidence="https://example.org/evidence")
        edit_claim(db, hostile, translation=HOSTILE_TRANSLATION, reason=HOSTILE_REASON, recorded_by="zoé")
        # A URL that bypassed validation (edited outside claims) must still never become a link.
        db["sources"].update(1, {"url": "javascript:window.pwned=4"})
    port = free_port()
    process = start_in_background(path, port)
    base = f"http://127.0.0.1:{port}"
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory):
    """`claims serve` on the example plus claims from many sources with long titles, asserted by many actors."""
    path = tmp_path_factory.mktemp("busy") / "claims.db"
    with open_db(path, create=True) as db:
        load_example(db)
        for n in range(30):
            source = model.add_source(
                db,
                f"Report {n}: a long headline about estimates of soldiers killed in the Kursk region, again",
                url=f"https://example.org/report/{n}",
                outlet=f"Outlet {n % 7}",
                published=f"2025-09-{n % 28 + 1:02d}",
            )
            model.add_claim(
                db,
                f"Estimate {n}: " + "a long claim text that goes on as claims do in wire copy " * 4,
                source=source,
                parties=[
                    (f"Actor {n % 12}", "asserts"),
                    (f"Outlet {n % 7}", "relays"),
                    (f"Government {n % 5}", "not-confirmed"),
                ],
                said_on=f"2025-09-{n % 28 + 1:02d}",
                figures=[parse_figure(f"killed=>{1000 + 100 * n} soldiers")],
                notes="Checked against the wire " * 3,
                create_actors=True,
            )
    port = free_port()
    process = start_in_background(path, port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def linked_server(linked_example_path):
    """`claims serve` on the example with claim 4 reported three times, updated and contradicted (conftest.py)."""
    port = free_port()
    process = start_in_background(linked_example_path, port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), (
        f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CLAIMS_CHROMIUM)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    """A page that records console errors and any request leaving localhost."""
    context = browser.new_context()
    page = context.new_page()
    page.console_errors, page.outside_requests = [], []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))

    def record(request):
        if urlsplit(request.url).hostname not in ("127.0.0.1", "localhost"):
            page.outside_requests.append(request.url)

    page.on("request", record)
    yield page
    context.close()


def visible_claim_ids(page):
    page.wait_for_load_state("load")
    return [int(t) for t in page.locator("table.rows-and-columns tbody td.col-id").all_inner_texts()]


def test_filter_by_actor_and_status_by_clicking(page, server):
    page.goto(server + "/claims/claims")
    assert len(visible_claim_ids(page)) == 20
    page.locator(".facet-info[data-column='asserted_by'] a", has_text="Seoul").click()
    expect(page).to_have_url(re.compile(r"_asserted_by=Seoul"))
    assert len(visible_claim_ids(page)) == 3
    page.locator(".facet-info[data-column='status'] a", has_text="unconfirmed").click()
    expect(page).to_have_url(re.compile(r"status=unconfirmed"))
    assert visible_claim_ids(page) == [4, 14]  # Seoul's estimate, in the ATS story and in the later report
    expect(page.locator("td.col-text").first).to_contain_text("Selon Séoul, environ 600 soldats")
    assert page.console_errors == [] and page.outside_requests == []


def test_search_ignores_case_and_accents(page, server):
    page.goto(server + "/claims/claims")
    page.fill("input[name=_search]", "seoul 600")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"_search=seoul"))
    assert visible_claim_ids(page) == [4, 14]


def test_hostile_claim_text_is_shown_as_text(page, server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/claims/claims?status=denied")
    cell = page.locator("td.col-text")
    expect(cell).to_have_text(HOSTILE_TEXT)
    page.goto(server + "/claims/claims/20")
    expect(page.locator("td.col-text")).to_have_text(HOSTILE_TEXT)
    expect(page.locator(".claims-notes")).to_have_text(HOSTILE_NOTES)
    expect(page.locator(".claims-parties")).to_contain_text(HOSTILE_ACTOR)
    expect(page.locator(".claims-history")).to_contain_text("<b>bold?</b>")
    assert page.locator("a[href^='javascript:'], a[href^='JAVASCRIPT:']").count() == 0
    expect(page.locator(".claims-facts")).to_contain_text("javascript:window.pwned=4")
    page.goto(server + "/claims/sources/1")
    page.goto(server + "/claims/actors")
    assert page.evaluate("window.pwned") is None
    assert dialogs == []
    assert page.locator("td.col-text img, td.col-text script, .claims-claim img, .claims-claim svg").count() == 0


def test_dashboard_renders_every_chart_offline(page, server):
    page.goto(server + "/-/dashboards/claims-overview")
    for slug in CHARTS:
        expect(page.locator(f"#chart-{slug} svg, #chart-{slug} canvas").first).to_be_visible()
    marks = page.locator("#chart-by-status svg .mark-rect path")
    expect(marks.first).to_be_attached()
    assert marks.count() == 7  # one bar per status, zero-width bars included
    page.select_option("select[name=measure]", "killed")
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"measure=killed"))
    expect(page.locator("#chart-estimates svg .mark-symbol.role-mark path").first).to_be_attached()
    assert page.console_errors == []
    assert page.outside_requests == []


def test_claim_page_shows_badges_parties_and_history(page, server):
    page.goto(server + "/claims/claims/2")
    expect(page.locator("h1.claims-claim-title .claims-status")).to_have_text("corroborated")
    expect(page.locator(".claims-parties")).to_contain_text("South Korean intelligence")
    history = page.locator(".claims-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("Asserted by two independent parties")
    expect(history.nth(1).locator(".claims-status")).to_have_text(["unconfirmed", "corroborated"])
    page.locator(".claims-parties a", has_text="Western intelligence").click()
    expect(page).to_have_url(re.compile(r"_asserted_by=Western"))
    assert visible_claim_ids(page) == [2, 3, 15, 16]
    assert page.console_errors == [] and page.outside_requests == []


@pytest.mark.parametrize("query", ["", "?_asserted_by=Seoul", "?status=unconfirmed&_sort_desc=dated"])
def test_claims_are_on_the_first_screen(browser, busy_server, query):
    """Twenty column descriptions and ten facets put the first claim ~1,650 px down at 1280 px wide."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(busy_server + "/claims/claims" + query)
    first_row = page.locator("table.rows-and-columns tbody tr").first
    box = first_row.bounding_box()
    assert box is not None and box["y"] < 800 - 100, box  # the row starts on the first screen, with room to read
    assert page.locator("details.claims-column-descriptions").is_visible()
    assert not page.locator("dl.column-descriptions").is_visible()  # folded until asked for
    page.locator("details.claims-column-descriptions summary").click()
    expect(page.locator("dl.column-descriptions")).to_contain_text("Actors who could confirm it and have not.")
    text = page.locator("td.col-text").first.bounding_box()
    assert text["width"] >= 400, text  # was ~5 words a line
    folded = page.locator("details.claims-more-facets")
    assert folded.is_visible() and not folded.locator(".facet-info").first.is_visible()
    folded.locator("summary").click()
    expect(folded.locator(".facet-info[data-column='said_on']")).to_be_visible()
    context.close()


def test_facets_asked_for_or_chosen_are_open(page, busy_server):
    page.goto(busy_server + "/claims/claims?_facet_array=relayed_by&language=fr")
    for column in ["relayed_by", "language", "status"]:  # asked for in the URL, a value chosen, open by default
        expect(page.locator(f".facet-results .facet-info[data-column='{column}']").first).to_be_visible()
    expect(page.locator("details.claims-more-facets summary")).not_to_contain_text("relayed_by")
    assert visible_claim_ids(page)


def test_claim_page_shows_edits_as_text(page, server):
    page.goto(server + "/claims/claims/20")
    edits = page.locator(".claims-revisions tbody tr")
    expect(edits).to_have_count(1)
    expect(edits.first).to_contain_text("translation")
    expect(edits.first).to_contain_text("(empty)")
    expect(edits.first).to_contain_text(HOSTILE_TRANSLATION)
    expect(edits.first).to_contain_text(HOSTILE_REASON)
    expect(edits.first).to_contain_text("zoé")
    page.locator(".claims-revisions").hover()
    assert page.evaluate("window.pwned") is None
    assert page.locator(".claims-revisions img, .claims-revisions b").count() == 0


def test_dashboard_estimates_read_as_dates_and_bounds(page, server):
    page.goto(server + "/-/dashboards/claims-overview")
    chart = page.locator("#chart-estimates svg")
    expect(chart.locator("text", has_text="the measure most estimated of late")).to_have_count(1)
    page.goto(server + "/-/dashboards/claims-overview?measure=troops_sent")
    symbols = page.locator("#chart-estimates svg .mark-symbol.role-mark path")
    expect(symbols.first).to_be_attached()
    assert {symbols.nth(n).get_attribute("fill") for n in range(symbols.count())} == {"transparent"}  # "more than"
    labels = page.locator("#chart-estimates svg .role-axis-label text").all_text_contents()
    assert "30 Aug 2025" in labels and not [label for label in labels if re.search(r"\b(AM|PM)\b", label)], labels
    page.goto(server + "/-/dashboards/claims-overview?measure=killed")
    expect(page.locator("#chart-estimates svg .mark-symbol.role-mark path").first).to_be_attached()
    fills = page.locator("#chart-estimates svg .mark-symbol.role-mark path").first.get_attribute("fill")
    assert fills != "transparent"  # "about 600": a filled marker
    assert page.console_errors == [] and page.outside_requests == []


def test_claim_page_lists_its_reports_in_date_order_and_its_links(page, linked_server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(linked_server + "/claims/claims/4")
    reports = page.locator("table.claims-reports tbody tr")
    expect(reports).to_have_count(3)
    dates = [reports.nth(n).locator("td").first.inner_text() for n in range(3)]
    assert dates == ["28 Aug 2025", "30 Aug 2025", "31 Aug 2025"]
    expect(reports.nth(0).locator("td.claims-wording")).to_have_text(HOSTILE_WORDING)  # shown as text, not run
    expect(reports.nth(0)).to_contain_text("<i>DPA</i>")
    expect(reports.nth(1)).to_have_attribute("aria-current", "page")
    assert reports.nth(1).locator("a").count() == 0  # this report: marked, not linked
    expect(page.locator("h2.claims-links-title")).to_have_text(["Updated by", "Contradicted by"])
    expect(page.locator("table.claims-links[data-phrase='updated by']")).to_contain_text(HOSTILE_LINK_REASON)
    page.locator("table.claims-links[data-phrase='updated by']").hover()
    assert page.evaluate("window.pwned") is None and dialogs == []
    assert page.locator(".claims-claim script, .claims-claim img, .claims-claim i, .claims-claim b").count() == 0
    page.locator("table.claims-links[data-phrase='updated by'] a", has_text="claim 15").click()
    expect(page).to_have_url(re.compile(r"/claims/claims/15$"))
    expect(page.locator("table.claims-links[data-phrase='updates']")).to_contain_text(
        "Selon Séoul, environ 600 soldats nord-coréens"
    )
    expect(page.locator("table.claims-reports tbody tr")).to_have_count(2)  # 15 and its German report, 16
    page.go_back()
    page.locator("table.claims-reports a", has_text="claim 14").click()
    expect(page).to_have_url(re.compile(r"/claims/claims/14$"))
    expect(page.locator("blockquote.claims-text")).to_have_text(HOSTILE_WORDING)
    expect(page.locator("table.claims-reports tbody tr").first).to_have_attribute("aria-current", "page")
    assert page.evaluate("window.pwned") is None and dialogs == []
    assert page.console_errors == [] and page.outside_requests == []


def test_claims_reported_more_than_once_are_a_click_from_the_home_page(page, linked_server):
    page.goto(linked_server + "/")
    page.locator("a", has_text="claims reported more than once").click()
    expect(page).to_have_url(re.compile(r"/claims/claim_groups\?_sort_desc=reports"))
    expect(page.locator("table.rows-and-columns tbody td.col-reports")).to_have_text(["3", "2"])
    page.locator(".facet-info[data-column='languages'] a", has_text="fr").click()
    expect(page.locator("table.rows-and-columns tbody td.col-claim_id")).to_have_text(["4"])
    page.locator("table.rows-and-columns tbody td.col-claim_id a").click()
    expect(page).to_have_url(re.compile(r"/claims/claims/4$"))
    expect(page.locator("table.claims-reports tbody tr")).to_have_count(3)
    assert page.console_errors == [] and page.outside_requests == []
