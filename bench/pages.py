"""Page timings on the bundled example: the claims instance against vanilla Datasette.

Each side runs in its own subprocess, through Datasette's in-process ASGI client
(no network), on a fresh copy of the bundled example:

- claims:  `claims.server.build_datasette` (metadata.yml, facets, the claims plugin,
           datasette-dashboards);
- vanilla: `Datasette([path])` with no metadata and no plugins (Datasette skips
           plugin entry points when `sys._called_from_test` is set).

Pages: the claims table (HTML), one claim page, and the dashboard: its HTML page
alone and "dashboard total", the page plus the JSON query of every chart, which is
what a browser fetches to draw it. Prints medians and p95 in ms and the ratio
claims / vanilla where vanilla has the same page.

    python bench/pages.py [--runs 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

WORKER = r"""
import asyncio, json, sys, time
flavour, path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
if flavour == "vanilla":
    sys._called_from_test = True  # Datasette then loads no plugin entry points
    from datasette.app import Datasette
    datasette = Datasette([path])
    pages = {"claims table": ["/claims/claims"], "claim page": ["/claims/claims/4"]}
else:
    import yaml
    from claims.server import build_datasette, metadata_path
    datasette = build_datasette(path)
    charts = yaml.safe_load(metadata_path().read_text())["plugins"]["datasette-dashboards"]["claims-overview"]["charts"]
    chart_urls = []
    for chart in charts.values():
        sql = chart["query"].replace("[[", "").replace("]]", "")
        chart_urls.append(("/claims.json", {"sql": sql, "measure": "killed", "_shape": "objects"}))
    pages = {
        "claims table": ["/claims/claims"],
        "claim page": ["/claims/claims/4"],
        "dashboard page": ["/-/dashboards/claims-overview?measure=killed"],
        "dashboard total": ["/-/dashboards/claims-overview?measure=killed", *chart_urls],
    }

async def fetch(url):
    path, params = (url, None) if isinstance(url, str) else url
    response = await datasette.client.get(path, params=params)
    assert response.status_code == 200, (path, response.status_code)

async def main():
    results = {}
    for name, urls in pages.items():
        for url in urls:
            await fetch(url)  # warm-up
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            for url in urls:
                await fetch(url)
            times.append((time.perf_counter() - start) * 1000)
        results[name] = times
    print(json.dumps(results))

asyncio.run(main())
"""


def example_copy(directory: Path) -> Path:
    from claims.bundle import load_example
    from claims.db import open_db

    path = directory / "claims.db"
    with open_db(path, create=True) as db:
        load_example(db)
    return path


def measure(flavour: str, path: Path, runs: int) -> dict[str, list[float]]:
    output = subprocess.run(
        [sys.executable, "-c", WORKER, flavour, str(path), str(runs)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as directory:
        path = example_copy(Path(directory))
        claims = measure("claims", path, runs)
        vanilla = measure("vanilla", path, runs)
    print(f"{runs} requests per page after one warm-up, in-process ASGI client, bundled example (12 claims)")
    print(f"{'page':<18}{'claims p50':>12}{'p95':>9}{'vanilla p50':>14}{'p95':>9}{'ratio p50':>11}")
    for page, times in claims.items():
        line = f"{page:<18}{statistics.median(times):>12.1f}{p95(times):>9.1f}"
        if page in vanilla:
            base = vanilla[page]
            line += f"{statistics.median(base):>14.1f}{p95(base):>9.1f}{statistics.median(times) / statistics.median(base):>11.2f}"
        print(line)


if __name__ == "__main__":
    main()
