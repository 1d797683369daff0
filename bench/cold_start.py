"""Cold-start benchmark: wall time of whole `claims` processes versus reference tools.

Each command is launched as a fresh subprocess and timed with time.perf_counter()
around subprocess.run(), so the figure includes interpreter start-up, imports,
argument parsing, opening SQLite and the write itself:

  python -c pass                     bare interpreter start (floor)
  sqlite-utils insert DB t -         one JSON row from stdin (reference)
  claims --help                      import the CLI and render help
  claims add TEXT --source 1 --by Seoul --by Pyongyang --figure "killed=~600 soldiers"

Absolute times are noisy on small machines, so the commands are interleaved
round-robin within each run, 2 warm-up rounds are discarded, and the report gives
the median, p90 and min per command plus ratios of medians versus
`sqlite-utils insert` and versus `python -c pass`.

Executables are taken from the directory of the interpreter running this script,
so run it with the project's virtualenv:

  .venv/bin/python bench/cold_start.py [--runs N]     # default N=15

Stdlib only; scratch databases live in a temporary directory removed at exit.
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

BIN = Path(sys.executable).parent
PYTHON, CLAIMS, SQLITE_UTILS = sys.executable, str(BIN / "claims"), str(BIN / "sqlite-utils")
WARMUP = 2
ROW = json.dumps({"text": "Selon Séoul, environ 600 soldats", "n": 600}, ensure_ascii=False)


def run(argv: list[str], stdin: str | None = None) -> float:
    """Run argv to completion; return its wall time in ms, aborting if it fails."""
    start = time.perf_counter()
    proc = subprocess.run(argv, input=stdin, capture_output=True, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if proc.returncode != 0:
        sys.exit(
            f"command failed (exit {proc.returncode}): {' '.join(argv)}\n"
            f"stdout: {proc.stdout.strip()}\nstderr: {proc.stderr.strip()}"
        )
    return elapsed


def prepare_claims_db(db: Path) -> None:
    """Create a claims database with one source and the two actors `claims add` names."""
    run([CLAIMS, "init", "--db", str(db)])
    run([CLAIMS, "source", "add", "--title", "Kim comforts families", "--db", str(db)])
    for name in ("Seoul", "Pyongyang"):
        run([CLAIMS, "actor", "add", name, "--kind", "government", "--db", str(db)])


def p90(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=10, method="inclusive")[-1] if len(samples) > 1 else samples[0]


def parse_arguments(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Parse the command line, adding --runs N (at least 1); check that claims and sqlite-utils are there."""
    parser.add_argument("--runs", type=int, default=15, help="timed rounds (default 15)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    for exe in (CLAIMS, SQLITE_UTILS):
        if not Path(exe).exists():
            sys.exit(f"not found: {exe} (run this script with the project's virtualenv python)")
    return args


def main() -> None:
    args = parse_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))

    with tempfile.TemporaryDirectory(prefix="claims-bench-") as tmp:
        ref_db, claims_db = Path(tmp, "ref.db"), Path(tmp, "claims.db")
        prepare_claims_db(claims_db)

        # label -> function(round number) returning elapsed ms
        commands = {
            "python -c pass": lambda i: run([PYTHON, "-c", "pass"]),
            "sqlite-utils insert (1 row)": lambda i: run([SQLITE_UTILS, "insert", str(ref_db), "t", "-"], stdin=ROW),
            "claims --help": lambda i: run([CLAIMS, "--help"]),
            "claims add (1 claim, 2 actors, 1 figure)": lambda i: run(
                [
                    CLAIMS,
                    "add",
                    f"Selon Séoul, environ 600 soldats nord-coréens ont été tués (run {i})",
                    "--source",
                    "1",
                    "--by",
                    "Seoul",
                    "--by",
                    "Pyongyang",
                    "--figure",
                    "killed=~600 soldiers",
                    "--db",
                    str(claims_db),
                ]
            ),
        }
        times: dict[str, list[float]] = {label: [] for label in commands}
        for i in range(WARMUP + args.runs):  # round-robin: every command once per round
            for label, fn in commands.items():
                ms = fn(i)
                if i >= WARMUP:
                    times[label].append(ms)

    medians = {label: statistics.median(s) for label, s in times.items()}
    base, ref = medians["python -c pass"], medians["sqlite-utils insert (1 row)"]
    width = max(map(len, times)) + 2
    print(f"{args.runs} timed runs (+{WARMUP} warm-up), interleaved; python {sys.version.split()[0]}, {BIN}")
    print(
        f"{'command':<{width}}{'median ms':>10}{'p90 ms':>9}{'min ms':>9}"
        f"{'vs sqlite-utils insert':>24}{'vs python -c pass':>19}"
    )
    for label, samples in times.items():
        print(
            f"{label:<{width}}{medians[label]:>10.1f}{p90(samples):>9.1f}{min(samples):>9.1f}"
            f"{medians[label] / ref:>24.2f}{medians[label] / base:>19.2f}"
        )
    add, help_ = medians["claims add (1 claim, 2 actors, 1 figure)"], medians["claims --help"]
    print()
    print(f"claims add / sqlite-utils insert = {add / ref:.2f}")
    print(f"claims --help / sqlite-utils insert = {help_ / ref:.2f}")
    print(f"claims add / python -c pass = {add / base:.2f}")


if __name__ == "__main__":
    main()
