"""The published database in a real headless Chromium (Debian's, driven by Playwright).

These tests start `claims serve` on a free localhost port and click through the pages as a
fact-checker would. They need /usr/bin/chromium (or $CLAIMS_CHROMIUM); `.ci/run` installs it.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from claims import model
from claims.bundle import load_example
from claims.db import open_db

CHROMIUM = os.environ.get("CLAIMS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE_TEXT = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\"> Séoul hostile"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`claims serve` on the bundled example plus one hostile claim; yields its base URL."""
    path = tmp_path_factory.mktemp("browser") / "claims.db"
    with open_db(path, create=True) as db:
        load_example(db)
        model.add_claim(db, HOSTILE_TEXT, source=1, parties=[("Seoul", "asserts")], status="disputed")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "claims", "serve", "--db", str(path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"claims serve did not start:\n{process.stdout.read()}")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CLAIMS_CHROMIUM)"
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
    return [int(t) for t in page.locator("table.rows-and-columns tbody td.col-id").all_inner_texts()]


def test_filter_by_actor_and_status_by_clicking(page, server):
    page.goto(server + "/claims/claims")
    assert len(visible_claim_ids(page)) == 13
    page.locator(".facet-info[data-column='asserted_by'] a", has_text="Seoul").click()
    expect(page).to_have_url(re.compile(r"asserted_by__arraycontains=Seoul"))
    assert len(visible_claim_ids(page)) == 2
    page.locator(".facet-info[data-column='status'] a", has_text="unconfirmed").click()
    expect(page).to_have_url(re.compile(r"status=unconfirmed"))
    assert visible_claim_ids(page) == [4]
    expect(page.locator("td.col-text")).to_contain_text("Selon Séoul, environ 600 soldats")
    assert page.console_errors == [] and page.outside_requests == []


def test_search_ignores_case_and_accents(page, server):
    page.goto(server + "/claims/claims")
    page.fill("input[name=_search]", "seoul 600")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"_search=seoul"))
    assert visible_claim_ids(page) == [4]


def test_hostile_claim_text_is_shown_as_text(page, server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/claims/claims?status=disputed")
    cell = page.locator("td.col-text")
    expect(cell).to_have_text(HOSTILE_TEXT)
    page.goto(server + "/claims/claims/13")
    expect(page.locator("td.col-text")).to_have_text(HOSTILE_TEXT)
    assert page.evaluate("window.pwned") is None
    assert dialogs == []
    assert page.locator("td.col-text img, td.col-text script").count() == 0
