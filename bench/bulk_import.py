"""Bulk import: `claims import` of a generated JSON Lines file against `sqlite-utils insert --nl`.

Generates N realistic claims (French and English text with accents, 1-3 actors
among 500, figures, statuses and status changes, 1,000 sources), then times, in
the same run and on the same file:

- reference: `sqlite-utils insert ref.db claims FILE --nl` (a plain table, no validation);
- claims:    `claims import FILE` into a fresh database (validation of every record,
             sources and actors resolved, attributions, figures, status history, derived
             actor columns and the full-text index all maintained).

Reports wall time, claims per second, the ratio and each side's peak RSS (sampled every 50 ms,
summed over the process and any it starts: `claims import` reads large files in a second process).

    python bench/bulk_import.py --claims 100000          # add --claims 1000000 for the full run
    python bench/bulk_import.py --keep big.db            # and keep the database for scale.py / completion.py
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FRENCH = [
    "Selon {actor}, environ {n} soldats ont été tués près de {place}, ce qui n'a pas été confirmé.",
    "{actor} a affirmé que plus de {n} obus d'artillerie avaient été livrés à {place}.",
    "D'après {actor}, des milliers de civils ont été évacués de {place} depuis février.",
]
ENGLISH = [
    "{actor} said about {n} troops had been deployed to {place}, a claim that could not be independently verified.",
    "According to {actor}, more than {n} drones were shot down over {place} overnight.",
    "{actor} denied reports that {n} prisoners had been exchanged near {place}.",
]
PLACES = ["Koursk", "Kharkiv", "Séoul", "Pyongyang", "Donetsk", "Zaporijjia", "Bakhmout", "Odessa", "Kyiv", "Belgorod"]
STATUSES = ["unconfirmed"] * 6 + ["corroborated", "confirmed", "disputed", "denied", "false"]


def generate(path: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    actors = [f"Acteur {i} ({rng.choice(['ministère', 'agence', 'services secrets', 'armée'])})" for i in range(500)]
    sources = [
        {
            "title": f"Dépêche {i}: {rng.choice(PLACES)}",
            "url": f"https://news.example.org/{i}",
            "outlet": rng.choice(["ATS", "AFP", "Reuters", "AP"]),
            "published": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "language": rng.choice(["fr", "en"]),
        }
        for i in range(1000)
    ]
    with path.open("w", encoding="utf-8") as f:
        for n in range(count):
            source = sources[n % 1000]
            template = rng.choice(FRENCH if source["language"] == "fr" else ENGLISH)
            speakers = rng.sample(actors, rng.randint(1, 3))
            value = rng.randint(10, 20000)
            record = {
                "text": template.format(actor=speakers[0], n=f"{value:,}", place=rng.choice(PLACES)) + f" (#{n})",
                "said_on": source["published"],
                "asserted_by": speakers[:1],
                "relayed_by": [*speakers[1:2], source["outlet"]],
                "not_confirmed_by": speakers[2:],
                "figures": [
                    f"{rng.choice(['killed', 'troops_sent', 'wounded', 'drones'])}={rng.choice(['~', '>', '>=', ''])}{value}"
                ],
                "status": "unconfirmed",
                "source": source,
            }
            status = rng.choice(STATUSES)
            if status != "unconfirmed":
                record["changes"] = [
                    {"status": status, "reason": "Checked against a second source", "date": "2025-12-01"}
                ]
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (Linux /proc)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:  # it has just ended
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        pending += [int(child) for child in children]
    return total / 1024


def timed(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process together with any processes it starts."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        if process.returncode != 0:
            errors.seek(0)
            sys.exit(f"failed: {' '.join(command)}\n{errors.read().decode()}")
    return elapsed, peak


def build_database(db: Path, count: int) -> None:
    """A claims database at `db` holding `count` generated claims, loaded with `claims import` (for the other benchmarks)."""
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "claims.jsonl"
        print(f"building a database of {count:,} claims...", file=sys.stderr)
        generate(data, count)
        subprocess.run([str(bin_dir / "claims"), "init", "--db", str(db)], check=True, capture_output=True)
        subprocess.run(
            [str(bin_dir / "claims"), "import", str(data), "--db", str(db), "--create-actors"],
            check=True,
            capture_output=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument(
        "--keep", type=Path, help="keep the imported database here, for bench/scale.py and bench/completion.py"
    )
    args = parser.parse_args()
    count = args.claims
    bin_dir = Path(sys.executable).parent
    if args.keep and args.keep.exists():
        sys.exit(f"{args.keep} already exists")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        data = folder / "claims.jsonl"
        generate(data, count)
        size = data.stat().st_size / 1e6
        ref_time, ref_rss = timed(
            [str(bin_dir / "sqlite-utils"), "insert", str(folder / "ref.db"), "claims", str(data), "--nl"]
        )
        db = args.keep or folder / "claims.db"
        subprocess.run([str(bin_dir / "claims"), "init", "--db", str(db)], check=True, capture_output=True)
        claims_time, claims_rss = timed(
            [str(bin_dir / "claims"), "import", str(data), "--db", str(db), "--create-actors"]
        )
    print(f"{count:,} claims, {size:.0f} MB of JSON Lines")
    print(f"{'':<28}{'seconds':>10}{'claims/s':>12}{'peak RSS MB':>14}")
    print(f"{'sqlite-utils insert --nl':<28}{ref_time:>10.1f}{count / ref_time:>12,.0f}{ref_rss:>14.0f}")
    print(f"{'claims import':<28}{claims_time:>10.1f}{count / claims_time:>12,.0f}{claims_rss:>14.0f}")
    print(f"ratio claims / sqlite-utils = {claims_time / ref_time:.2f}")


if __name__ == "__main__":
    main()
