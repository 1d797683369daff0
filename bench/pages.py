"""Page timings on the bundled example: the claims instance against vanilla Datasette.

Each side runs in its own subprocess, through Datasette's in-process ASGI client
(no network), on the same database file:

- claims:  `claims.web.server.build_datasette` (metadata.yml, counted facets, the claims
           plugin, datasette-dashboards);
- vanilla: a bare `Datasette()` serving the file as `claims`, with no metadata and no
           plugins (Datasette skips plugin entry points when `sys._called_from_test` is set).

Every response must be 200, or the benchmark stops: a fast error page is not a result.
Pages: the claims table (HTML), one claim page, and the dashboard: its HTML page
alone and "dashboard total", the page plus the JSON query of every chart, which is
what a browser fetches to draw it. Prints medians and p95 in ms and the ratio
claims / vanilla where vanilla has the same page. `bench/scale.py` reuses this on
a million claims.

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
flavour, path, runs, pages = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
if flavour == "vanilla":
    sys._called_from_test = True  # Datasette then loads no plugin entry points
    from datasette.app import Datasette
    from datasette.database import Database
    datasette = Datasette()
    datasette.add_database(Database(datasette, path=path), name="claims")
else:
    from claims.web.server import build_datasette
    datasette = build_datasette(path)

async def fetch(url):
    path, params = (url, None) if isinstance(url, str) else url
    response = await datasette.client.get(path, params=params)
    if response.status_code != 200:
        sys.exit(f"{flavour}: {path} {params or ''} answered {response.status_code}")
    return response

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
        results[name] = {"times": times}
        first = urls[0]
        if isinstance(first, str) and first.startswith("/claims/claims") and "/claims/claims/" not in first:
            data = (await fetch(first.replace("/claims/claims", "/claims/claims.json", 1))).json()
            results[name]["facets_timed_out"] = data.get("facets_timed_out", [])
    print(json.dumps(results))

asyncio.run(main())
"""


def dashboard_pages(measure: str = "killed") -> dict[str, list]:
    """The dashboard page alone, and with the JSON query of each of its charts."""
    import yaml

    from claims.web.server import metadata_path

    charts = yaml.safe_load(metadata_path().read_text())["plugins"]["datasette-dashboards"]["claims-overview"]["charts"]
    page = f"/-/dashboards/claims-overview?measure={measure}"
    chart_urls = [
        [
            "/claims.json",
            {"sql": chart["query"].replace("[[", "").replace("]]", ""), "measure": measure, "_shape": "objects"},
        ]
        for chart in charts.values()
    ]
    return {"dashboard page": [page], "dashboard total": [page, *chart_urls]}


def measure(flavour: str, path: Path, runs: int, pages: dict[str, list]) -> dict[str, dict]:
    """{page: {"times": [ms...], "facets_timed_out": [...]}} for one side, in its own process."""
    result = subprocess.run(
        [sys.executable, "-c", WORKER, flavour, str(path), str(runs), json.dumps(pages)], capture_output=True, text=True
    )
    if result.returncode != 0:  # the worker's own message, not a warning printed after it
        lines = result.stderr.strip().splitlines()
        sys.exit(
            next(
                (line for line in reversed(lines) if " answered " in line),
                lines[-1] if lines else f"{flavour} worker failed",
            )
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def print_table(ours: dict, vanilla: dict) -> None:
    """Medians, p95 and ratio per page; and the facets that timed out, if any."""
    print(f"{'page':<26}{'claims p50':>12}{'p95':>9}{'vanilla p50':>13}{'p95':>9}{'ratio p50':>11}  facets timed out")
    for page, result in ours.items():
        times = result["times"]
        line = f"{page:<26}{statistics.median(times):>12.1f}{p95(times):>9.1f}"
        if page in vanilla:
            base = vanilla[page]["times"]
            line += f"{statistics.median(base):>13.1f}{p95(base):>9.1f}{statistics.median(times) / statistics.median(base):>11.3f}"
        else:
            line += f"{'–':>13}{'':>9}{'':>11}"
        timed_out = result.get("facets_timed_out")
        print(line + (f"  {', '.join(timed_out) or 'none'}" if timed_out is not None else ""))


def example_copy(directory: Path) -> Path:
    from claims.db import open_db
    from claims.io.bundle import load_example

    path = directory / "claims.db"
    with open_db(path, create=True) as db:
        load_example(db)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    both = {"claims table": ["/claims/claims"], "claim page": ["/claims/claims/4"]}
    with tempfile.TemporaryDirectory() as directory:
        path = example_copy(Path(directory))
        ours = measure("claims", path, runs, both | dashboard_pages())
        vanilla = measure("vanilla", path, runs, both)
    print(f"{runs} requests per page after one warm-up, in-process ASGI client, bundled example (12 claims)")
    print_table(ours, vanilla)


if __name__ == "__main__":
    main()
