"""Regenerate the README's screenshots from the bundled example, in Debian's headless Chromium.

    .venv/bin/python docs/screenshots.py      # writes docs/*.png
"""

import os
import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from claims.bundle import load_example
from claims.db import open_db
from claims.server import free_port, start_in_background

HERE = Path(__file__).parent
CHROMIUM = os.environ.get("CLAIMS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = {
    "dashboard.png": "/-/dashboards/claims-overview",
    "claims-table.png": "/claims/claims?_asserted_by=Seoul&_facet_size=6",
    "claim-page.png": "/claims/claims/2",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "claims.db"
        with open_db(path, create=True) as db:
            load_example(db)
        port = free_port()
        server = start_in_background(path, port)
        try:
            base = f"http://127.0.0.1:{port}"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
                )
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                for name, url in SHOTS.items():
                    page.goto(base + url)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=HERE / name, full_page=True)
                    print("wrote", HERE / name)
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
