"""Matching at scale: the matches of one new claim against a `sqlite-utils search` of the same text, and the
memory `claims match` holds over a whole import.

On a database of N generated claims (bench/bulk_import.py's generator, loaded with `claims import`):

- one new claim: NEW claims are added (rewordings of recorded ones, as a later report would be), then, for
  each, the time to find and score its matches (`claims.matching.Matcher(db).matches(id)`, a fresh matcher
  each time: nothing cached) against the time of `sqlite-utils`' search of the same text in the same process
  (`db["claims"].search(text, quote=True, limit=10)`); medians and 95th percentiles, and their ratio. Then the
  same as whole commands: `claims match --claim ID --format json` against `sqlite-utils search DB claims TEXT
  --quote --limit 10`.
- a whole import: `claims match --format json --limit 100` over every claim (each against those recorded before
  it), as a process: wall time, claims per second and peak RSS (the issue's bound: 200 MB).

    python bench/match_scale.py --claims 1000000 [--db big.db] [--new 30] [--whole 100000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bulk_import import build_database, timed

from claims import model
from claims.db import open_db
from claims.matching import Matcher

MEMORY_BOUND_MB = 200
TIME_BOUND_MS = 100


def reworded(text: str, rng: random.Random) -> str:
    """A later report's wording of a recorded claim: the same facts, a word or two changed, no claim number."""
    text = text.rsplit(" (#", 1)[0]
    swaps = [("said", "stated"), ("about", "some"), ("Selon", "D'après"), ("environ", "quelque"), ("affirmé", "assuré")]
    for old, new in rng.sample(swaps, 2):
        text = text.replace(old, new, 1)
    return text + " " + rng.choice(["on Monday", "lundi", "this week", "cette semaine"])


def add_new_claims(db_path: Path, count: int) -> list[tuple[int, str]]:
    """Record `count` new claims, rewordings of random recorded ones, in a new source; their ids and texts."""
    rng = random.Random(7)
    db = open_db(db_path)
    total = db.execute("select max(id) from claims").fetchone()[0]
    source = model.add_source(
        db, f"Later report {time.time()}", outlet="Bench Wire", published="2026-01-15", language="en"
    )
    added = []
    for claim_id in rng.sample(range(1, total + 1), count):
        row = db.execute("select text from claims where id = ?", [claim_id]).fetchone()
        if not row:
            continue
        claim = model.get_claim(db, claim_id)
        text = reworded(row[0], rng)
        parties = [(a["actor"], a["role"]) for a in claim["attributions"] if a["role"] == "asserts"]
        new_id = model.add_claim(db, text, source=source, parties=parties, create_actors=True)
        added.append((new_id, text))
    db.close()
    return added


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def one_new_claim(db_path: Path, added: list[tuple[int, str]]) -> None:
    db = open_db(db_path)
    ours, reference, found = [], [], 0
    for claim_id, text in added:
        start = time.perf_counter()
        matches = Matcher(db).matches(claim_id)
        ours.append((time.perf_counter() - start) * 1000)
        found += bool(matches)
        start = time.perf_counter()
        list(db["claims"].search(text, quote=True, limit=10))
        reference.append((time.perf_counter() - start) * 1000)
    db.close()
    print(f"matches of one new claim, in process ({len(added)} new claims, {found} with a candidate):")
    print(f"{'':<34}{'median ms':>12}{'p95 ms':>10}")
    print(
        f"{'sqlite-utils search (same text)':<34}{statistics.median(reference):>12.1f}{percentile(reference, 0.95):>10.1f}"
    )
    print(f"{'claims matching':<34}{statistics.median(ours):>12.1f}{percentile(ours, 0.95):>10.1f}")
    print(
        f"ratio claims / sqlite-utils = {statistics.median(ours) / statistics.median(reference):.2f} (median); "
        f"bound {TIME_BOUND_MS} ms: {'met' if percentile(ours, 0.95) <= TIME_BOUND_MS else 'NOT met'} at p95"
    )
    bin_dir = Path(sys.executable).parent
    commands = {"sqlite-utils search --quote": [], "claims match --claim": []}
    for claim_id, text in added[:5]:
        for name, command in (
            (
                "sqlite-utils search --quote",
                [str(bin_dir / "sqlite-utils"), "search", str(db_path), "claims", text, "--quote", "--limit", "10"],
            ),
            (
                "claims match --claim",
                [str(bin_dir / "claims"), "match", "--claim", str(claim_id), "--format", "json", "--db", str(db_path)],
            ),
        ):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            commands[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(times) for name, times in commands.items()}
    print(
        "as whole commands (median of 5, seconds): "
        + ", ".join(f"{n} {t:.2f}" for n, t in medians.items())
        + f"; ratio {medians['claims match --claim'] / medians['sqlite-utils search --quote']:.2f}"
    )


def whole_import(db_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    db = open_db(db_path)
    count = db.execute("select count(*) from claims").fetchone()[0]
    db.close()
    seconds, rss = timed([str(bin_dir / "claims"), "match", "--format", "json", "--limit", "100", "--db", str(db_path)])
    print(
        f"claims match over all {count:,} claims: {seconds:.0f} s ({count / seconds:,.0f} claims/s), peak RSS {rss:.0f} MB "
        f"(bound {MEMORY_BOUND_MB} MB: {'met' if rss <= MEMORY_BOUND_MB else 'NOT met'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000, help="size of the generated database")
    parser.add_argument("--db", type=Path, help="use (or build and keep) this database; new claims are added to it")
    parser.add_argument("--new", type=int, default=30, help="new claims to match")
    parser.add_argument("--whole", type=Path, help="also run claims match over every claim of this database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = args.db or Path(folder) / "claims.db"
        if not db_path.exists():
            build_database(db_path, args.claims)
        one_new_claim(db_path, add_new_claims(db_path, args.new))
        if args.whole:
            whole_import(args.whole)


if __name__ == "__main__":
    main()
