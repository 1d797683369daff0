"""Run every benchmark, each comparing claims with its reference tool in the same run.

    python bench/run.py            # full: 1,000,000 claims, 25 cold starts, 50 requests per page
    python bench/run.py --quick    # CI: 100,000 claims, fewer repeats; prints the same tables, asserts nothing

The bulk import keeps its database, on which the browsing, CLI query and completion
benchmarks then run: the full run takes about 8 minutes on 2 cores.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for CI")
    quick = parser.parse_args().quick
    claims = 100_000 if quick else 1_000_000
    total = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="claims-bench-") as folder:
        db = str(Path(folder) / "claims.db")
        runs = [
            ("Cold start", ["cold_start.py", "--runs", "8" if quick else "25"]),
            ("Bulk import", ["bulk_import.py", "--claims", str(claims), "--keep", db]),
            ("Pages on the bundled example", ["pages.py", "--runs", "20" if quick else "50"]),
            (
                f"Browsing and CLI queries at {claims:,} claims",
                ["scale.py", "--keep", db, "--runs", "3" if quick else "5"],
            ),
            (f"Shell completion at {claims:,} claims", ["completion.py", "--db", db, "--runs", "5" if quick else "15"]),
            ("Matching quality on the labelled sets", ["match.py"]),
            (f"Matching at {claims:,} claims", ["match_scale.py", "--db", db, "--new", "10" if quick else "30"]),
            (
                "A claims repository: export, build, incremental build",
                ["repo_build.py", "--claims", "20000" if quick else "100000"],
            ),
        ]
        for title, command in runs:
            print(f"\n## {title}\n", flush=True)
            start = time.perf_counter()
            subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], check=True)
            print(f"({time.perf_counter() - start:.0f} s)", flush=True)
    print(f"\nall benchmarks: {time.perf_counter() - total:.0f} s")


if __name__ == "__main__":
    main()
