"""Run every benchmark, each comparing claims with its reference tool in the same run.

    python bench/run.py            # full: 1,000,000-claim import, 25 cold starts, 50 requests per page
    python bench/run.py --quick    # CI: 100,000 claims, fewer repeats; prints the same tables, asserts nothing
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for CI")
    quick = parser.parse_args().quick
    runs = [
        ("Cold start", ["cold_start.py", "--runs", "8" if quick else "25"]),
        ("Bulk import", ["bulk_import.py", "--claims", "100000" if quick else "1000000"]),
        ("Pages", ["pages.py", "--runs", "20" if quick else "50"]),
    ]
    for title, command in runs:
        print(f"\n## {title}\n", flush=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], check=True)
        print(f"({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
