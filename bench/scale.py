"""Browsing and CLI queries on a large database: claims against vanilla Datasette and sqlite-utils.

Builds a database of N generated claims (bench/bulk_import.py's generator, loaded with
`claims import`), then measures, in the same run:

- pages (in-process ASGI client, p50/p95 over repeated requests, bench/pages.py): the claims
  table with the project's 10 facets, a full-text search, an actor filter, a second page, a
  claim page, the canned queries and the dashboard with its chart queries, through `claims serve`'s Datasette,
  against vanilla Datasette (no metadata, no plugins) on the same file, with Datasette's own
  `__arraycontains` filter for the actor;
- CLI queries (whole processes, medians): `claims list --by --status`, `claims list --search`,
  `claims show` against the equivalent `sqlite-utils query` / `sqlite-utils search` calls.

`--links N` first links N random pairs of claims as reports of the same claim (and N/10 pairs as one
updating or contradicting the other) with `claims.links.link`, so that the claims reported more than
once (`claim_groups`) and the claim pages have something to show; the generated claims have no links.

    python bench/scale.py --claims 1000000 [--keep DB] [--links 50000]
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
from bulk_import import build_database
from pages import dashboard_pages, measure, print_table


def page_urls(actor: str, middle: int) -> tuple[dict, dict]:
    """The pages timed for claims and their vanilla equivalents (same rows, Datasette's own filter syntax)."""
    from urllib.parse import quote

    name = quote(actor)
    ours = {
        "claims table + 10 facets": ["/claims/claims"],
        "full-text search": ["/claims/claims?_search=soldats"],
        "actor filter": [f"/claims/claims?_asserted_by={name}"],
        "status + actor": [f"/claims/claims?status=confirmed&_asserted_by={name}"],
        "a page in the middle": [f"/claims/claims?_next={middle}"],
        "sorted by last change": ["/claims/claims?_sort_desc=status_changed_at"],
        "sorted by date": ["/claims/claims?_sort=dated"],
        "claim page": [f"/claims/claims/{middle}"],
    }
    vanilla = ours | {
        "actor filter": [f"/claims/claims?asserted_by__arraycontains={name}"],
        "status + actor": [f"/claims/claims?status=confirmed&asserted_by__arraycontains={name}"],
    }
    canned = {  # the project's canned queries (vanilla Datasette has none); any answer past the 1 s limit stops the run
        "query: unconfirmed, oldest": ["/claims/unconfirmed_oldest_first"],
        "query: estimates of killed": ["/claims/estimates_of_a_measure?measure=killed"],
        "query: an unknown measure": ["/claims/estimates_of_a_measure?measure=nobody_counted_this"],
        "query: asserted by actor": [f"/claims/asserted_by_actor?actor={name}"],
        "query: contested": ["/claims/contested_claims_query"],
        "query: changes, 30 days": ["/claims/recent_status_changes?days=30"],
        "query: estimates of a claim": [f"/claims/estimates_of_a_claim?claim_id={middle}"],
        "claims reported again": ["/claims/claim_groups"],
        "... sorted by reports": ["/claims/claim_groups?_sort_desc=reports"],
    }
    return ours | canned | dashboard_pages(), vanilla


def link_reports(db: Path, count: int, seed: int = 1) -> None:
    """Link `count` random pairs of claims as the same claim, and a tenth as many as updates or contradicts."""
    import random

    from claims import links
    from claims.db import open_db
    from claims.errors import ClaimsError

    rng = random.Random(seed)
    with open_db(db) as database:
        total = database.execute("select max(id) from claims").fetchone()[0]
        for n in range(count + count // 10):
            relation = "same" if n < count else rng.choice(["updates", "contradicts"])
            claim_id, other_id = rng.sample(range(1, total + 1), 2)
            try:
                links.link(database, claim_id, other_id, relation, reason="bench/scale.py", recorded_by="bench")
            except ClaimsError:  # already linked (a pair drawn twice)
                pass


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
    parser.add_argument("--links", type=int, default=0, help="link this many random pairs of claims as the same claim")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as folder:
        db = args.keep or Path(folder) / "claims.db"
        if not db.exists():
            build_database(db, args.claims)
        if args.links:
            link_reports(db, args.links)
        count = subprocess.run(
            [str(bin_dir / "sqlite-utils"), "query", str(db), "select count(*) as n from claims"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        total = json.loads(count)[0]["n"]
        middle = total // 2 + 1
        print(f"{total:,} claims")
        top = subprocess.run(
            [
                str(bin_dir / "sqlite-utils"),
                "query",
                str(db),
                "select actors.name from attributions join actors on actors.id = attributions.actor_id "
                "where role = 'asserts' group by actor_id order by count(*) desc limit 1",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        actor = json.loads(top)[0]["name"]
        ours, vanilla = page_urls(actor, middle)
        print(f"pages: {args.runs} requests each after one warm-up, in-process ASGI client")
        print_table(measure("claims", db, args.runs, ours), measure("vanilla", db, args.runs, vanilla))
        claims, su = str(bin_dir / "claims"), str(bin_dir / "sqlite-utils")
        queries = [
            (
                "list --by --status",
                [claims, "list", "--by", actor, "--status", "confirmed", "-f", "json", "--db", str(db)],
                [
                    su,
                    "query",
                    str(db),
                    "select claims.* from claims where status = 'confirmed' and id in (select claim_id from attributions "
                    "join actors on actors.id = attributions.actor_id where actors.name = :a and role = 'asserts')",
                    "-p",
                    "a",
                    actor,
                ],
            ),
            (
                "list --search",
                [claims, "list", "--search", "drones Kharkiv", "-f", "json", "--db", str(db)],
                [su, "search", str(db), "claims", "drones Kharkiv"],
            ),
            (
                "show ID",
                [claims, "show", str(middle), "-f", "json", "--db", str(db)],
                [su, "query", str(db), f"select * from claims where id = {middle}"],
            ),
        ]
        print(f"\n{'CLI query':<24}{'claims ms':>12}{'sqlite-utils ms':>17}{'ratio':>8}")
        for name, ours_cmd, ref_cmd in queries:
            a, b = timed(ours_cmd, args.runs), timed(ref_cmd, args.runs)
            print(f"{name:<24}{a:>12.0f}{b:>17.0f}{a / b:>8.2f}")


if __name__ == "__main__":
    main()
