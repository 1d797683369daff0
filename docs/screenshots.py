"""Regenerate the README's screenshots from the bundled example, in Debian's headless Chromium.

    .venv/bin/python docs/screenshots.py      # writes docs/*.png

Claim 2 gets one edit first, so that its page shows how edits read.
"""

import os
import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from claims.db import open_db
from claims.io.bundle import load_example
from claims.revisions import edit_claim
from claims.web.server import free_port, start_in_background

HERE = Path(__file__).parent
CHROMIUM = os.environ.get("CLAIMS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# name: (URL, whole page or only the first screen)
SHOTS = {
    "dashboard.png": ("/-/dashboards/claims-overview", True),
    "claims-table.png": ("/claims/claims?_asserted_by=Seoul", False),
    "claim-page.png": ("/claims/claims/2", True),
}
NOTES = "The deployment is dated 2024 by both services; the assessments themselves are undated."


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "claims.db"
        with open_db(path, create=True) as db:
            load_example(db)
            edit_claim(db, 2, notes=NOTES, reason="Say what the article dates and what it does not", recorded_by="desk")
        port = free_port()
        server = start_in_background(path, port)
        try:
            base = f"http://127.0.0.1:{port}"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
                )
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                for name, (url, whole_page) in SHOTS.items():
                    page.goto(base + url)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=HERE / name, full_page=whole_page)
                    print("wrote", HERE / name)
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
