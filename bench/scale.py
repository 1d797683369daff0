"""Browsing and CLI queries on a large database: claims against vanilla Datasette and sqlite-utils.

Builds a database of N generated claims (bench/bulk_import.py's generator, loaded with
`claims import`), then measures, in the same run:

- pages (in-process ASGI client, p50/p95 over repeated requests): the claims table with the
  project's facets, a full-text search, an actor filter and the dashboard's chart queries,
  through `claims serve`'s Datasette, against vanilla Datasette (no metadata, no plugins) on
  the same file;
- CLI queries (whole processes, medians): `claims list --by --status`, `claims list --search`,
  `claims show` against the equivalent `sqlite-utils query` / `sqlite-utils search` calls.

    python bench/scale.py --claims 1000000 [--keep DB]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bulk_import import generate  # noqa: E402

def page_urls(actor: str) -> dict[str, str]:
    from urllib.parse import quote

    return {
        "claims table + facets": "/claims/claims",
        "full-text search": "/claims/claims?_search=soldats",
        "actor filter": f"/claims/claims?asserted_by__arraycontains={quote(actor)}",
        "status + actor": f"/claims/claims?status=confirmed&asserted_by__arraycontains={quote(actor)}",
    }
WORKER = r"""
import asyncio, json, sys, time
flavour, path, runs, pages = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
if flavour == "vanilla":
    sys._called_from_test = True
    from datasette.app import Datasette
    datasette = Datasette([path])
else:
    from claims.server import build_datasette
    datasette = build_datasette(path)
async def main():
    out = {}
    for name, url in pages.items():
        times, statuses = [], set()
        for n in range(runs + 1):
            start = time.perf_counter()
            response = await datasette.client.get(url)
            statuses.add(response.status_code)
            if n:
                times.append((time.perf_counter() - start) * 1000)
        timed_out = "facet_results" in url or False
        out[name] = {"times": times, "statuses": sorted(statuses)}
        if flavour == "claims" and url.startswith("/claims/claims"):
            data = (await datasette.client.get(url.replace("/claims/claims", "/claims/claims.json", 1))).json()
            out[name]["facets_timed_out"] = data.get("facets_timed_out", [])
    print(json.dumps(out))
asyncio.run(main())
"""


def pages(flavour: str, path: Path, runs: int, urls: dict) -> dict:
    result = subprocess.run([sys.executable, "-c", WORKER, flavour, str(path), str(runs), json.dumps(urls)],
                            capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def timed(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="build the database here (or reuse it if it exists)")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as folder:
        db = args.keep or Path(folder) / "claims.db"
        if not db.exists():
            data = Path(folder) / "claims.jsonl"
            generate(data, args.claims)
            subprocess.run([str(bin_dir / "claims"), "init", "--db", str(db)], check=True, capture_output=True)
            subprocess.run([str(bin_dir / "claims"), "import", str(data), "--db", str(db)], check=True, capture_output=True)
        count = subprocess.run([str(bin_dir / "sqlite-utils"), "query", str(db), "select count(*) as n from claims"],
                               capture_output=True, text=True, check=True).stdout  # fmt: skip
        print(f"{json.loads(count)[0]['n']:,} claims")
        top = subprocess.run([str(bin_dir / "sqlite-utils"), "query", str(db),
                              "select actors.name from attributions join actors on actors.id = attributions.actor_id "
                              "where role = 'asserts' group by actor_id order by count(*) desc limit 1"],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
        actor = json.loads(top)[0]["name"]
        urls = page_urls(actor)
        ours, vanilla = pages("claims", db, args.runs, urls), pages("vanilla", db, args.runs, urls)
        print(f"{'page':<24}{'claims p50':>12}{'p95':>9}{'vanilla p50':>13}{'p95':>9}{'ratio':>8}  facets timed out")
        for name in urls:
            a, b = ours[name]["times"], vanilla[name]["times"]
            p95 = lambda t: statistics.quantiles(t, n=20)[-1] if len(t) > 1 else t[0]  # noqa: E731
            print(f"{name:<24}{statistics.median(a):>12.0f}{p95(a):>9.0f}{statistics.median(b):>13.0f}{p95(b):>9.0f}"
                  f"{statistics.median(a) / statistics.median(b):>8.2f}  {', '.join(ours[name].get('facets_timed_out', [])) or '-'}")  # fmt: skip
        claims, su = str(bin_dir / "claims"), str(bin_dir / "sqlite-utils")
        queries = [
            ("list --by --status", [claims, "list", "--by", actor, "--status", "confirmed", "-f", "json", "--db", str(db)],
             [su, "query", str(db), "select claims.* from claims where status = 'confirmed' and id in (select claim_id from attributions "
              "join actors on actors.id = attributions.actor_id where actors.name = :a and role = 'asserts')", "-p", "a", actor]),
            ("list --search", [claims, "list", "--search", "drones Kharkiv", "-f", "json", "--db", str(db)],
             [su, "search", str(db), "claims", "drones Kharkiv"]),
            ("show ID", [claims, "show", "123456", "-f", "json", "--db", str(db)],
             [su, "query", str(db), "select * from claims where id = 123456"]),
        ]  # fmt: skip
        print(f"\n{'CLI query':<24}{'claims ms':>12}{'sqlite-utils ms':>17}{'ratio':>8}")
        for name, ours_cmd, ref_cmd in queries:
            a, b = timed(ours_cmd, args.runs), timed(ref_cmd, args.runs)
            print(f"{name:<24}{a:>12.0f}{b:>17.0f}{a / b:>8.2f}")


if __name__ == "__main__":
    main()
