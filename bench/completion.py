"""Shell completion benchmark: whole `claims` processes answering Tab, versus the same lookup in sqlite-utils.

Each completion runs as a shell runs it, a fresh process with the instruction in its
environment (_CLAIMS_COMPLETE=complete_bash, COMP_WORDS, COMP_CWORD), timed with
time.perf_counter() around subprocess.run(), so the figure includes interpreter
start-up, imports, opening the database read-only and the query:

  actor prefix        claims list --db DB --by ACT<Tab>     (case and accents ignored, aliases)
  actor prefix, zsh   the same for zsh, whose help text Typer renders with Rich
  status              claims status --db DB 1 c<Tab>
  source id           claims add x --db DB --source 1<Tab>  (the 50 most recent ids starting with 1)

Each is compared with the reference `sqlite-utils query DB "select ..."` doing the
equivalent lookup. Commands are interleaved round-robin, 2 warm-up rounds are
discarded, and the table gives median, p90 and min per command and the ratio of
medians versus the reference.

  .venv/bin/python bench/completion.py --db /path/to/big.db [--runs N]   # reads it, changes nothing
  .venv/bin/python bench/completion.py --claims 100000                   # builds one in a temp dir

Stdlib only; executables are taken from the directory of the interpreter running it.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bulk_import import build_database
from cold_start import CLAIMS, SQLITE_UTILS, WARMUP, p90, parse_arguments


def run(argv: list[str], env: dict | None = None, *, silent: bool = False) -> tuple[float, str]:
    """Run argv to completion; return its wall time in ms and its output, aborting if it fails (or, if `silent`, says anything on stderr)."""
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, **(env or {})})
    elapsed = (time.perf_counter() - start) * 1000
    if proc.returncode != 0 or (silent and proc.stderr):
        sys.exit(f"command failed (exit {proc.returncode}): {' '.join(argv)}\n{proc.stderr.strip()}")
    return elapsed, proc.stdout


def completion(shell: str, line: str) -> dict[str, str]:
    """The environment in which `claims` completes the last word of `line` for `shell`."""
    words = shlex.split(line)
    return {
        "_CLAIMS_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
        "_TYPER_COMPLETE_ARGS": line,
    }


def query(db: Path, sql: str, **params) -> list[dict]:
    argv = [SQLITE_UTILS, "query", str(db), sql] + [arg for k, v in params.items() for arg in ("-p", k, str(v))]
    return json.loads(run(argv)[1])


def build(folder: Path, count: int) -> Path:
    db = folder / "claims.db"
    build_database(db, count)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="existing claims database to complete from (read, never written)")
    parser.add_argument(
        "--claims", type=int, default=100_000, help="without --db: claims to generate (default 100,000)"
    )
    args = parse_arguments(parser)

    with tempfile.TemporaryDirectory(prefix="claims-bench-") as tmp:
        db = args.db or build(Path(tmp), args.claims)
        if not db.is_file():
            sys.exit(f"no database at {db}")
        sizes = query(
            db,
            "select (select max(id) from claims) as claims, (select count(*) from actor_aliases) as aliases, "
            "(select max(id) from sources) as sources",
        )[0]
        # The three letters most names and aliases start with, typed in capitals: the most candidates to find.
        key = query(
            db, "select substr(match_key, 1, 3) as k from actor_aliases group by k order by count(*) desc limit 1"
        )[0]["k"]
        typed, path = key.upper(), shlex.quote(str(db))
        su = [SQLITE_UTILS, "query", str(db)]
        # label -> (claims completion environment, reference argv)
        commands = {
            f"actor prefix {typed!r}": (
                completion("bash", f"claims list --db {path} --by {typed}"),
                [
                    *su,
                    "select distinct actors.name, actors.kind, actors.country from actor_aliases "
                    "join actors on actors.id = actor_aliases.actor_id "
                    "where match_key >= :p and match_key < :p || char(1114111) order by match_key limit 50",
                    "-p",
                    "p",
                    key,
                ],
            ),
            f"actor prefix {typed!r}, zsh": (completion("zsh", f"claims list --db {path} --by {typed}"), None),
            "status 'c'": (
                completion("bash", f"claims status --db {path} 1 c"),
                [*su, "select name, meaning from statuses where name like 'c%' order by rank"],
            ),
            "source id '1'": (
                completion("bash", f"claims add x --db {path} --source 1"),
                [*su, "select id, title from sources where cast(id as text) like '1%' order by id desc limit 50"],
            ),
        }
        times: dict[str, list[float]] = {label: [] for label in commands}
        reference: dict[str, list[float]] = {label: [] for label, (_, ref) in commands.items() if ref}
        answers: dict[str, str] = {}
        for i in range(WARMUP + args.runs):  # round-robin: every command once per round
            for label, (env, ref) in commands.items():
                ms, answers[label] = run([CLAIMS], env, silent=True)
                if i >= WARMUP:
                    times[label].append(ms)
                if ref and i >= WARMUP:
                    reference[label].append(run(ref)[0])
                elif ref:
                    run(ref)

    for label, answer in answers.items():
        if not answer.strip() or answer.strip() == "_files":
            sys.exit(f"{label}: completion offered nothing, so this measured nothing")
    print(
        f"{sizes['claims'] or 0:,} claims, {sizes['aliases']:,} actor names and aliases, {sizes['sources'] or 0:,} sources; "
        f"{args.runs} timed runs (+{WARMUP} warm-up), interleaved; python {sys.version.split()[0]}"
    )
    width = max(map(len, times)) + 2
    print(
        f"{'completion':<{width}}{'candidates':>11}{'median ms':>11}{'p90 ms':>9}{'min ms':>9}"
        f"{'sqlite-utils ms':>17}{'ratio':>8}"
    )
    for label, samples in times.items():
        count = len(answers[label].strip().splitlines())
        ours = statistics.median(samples)
        ref = statistics.median(reference[label]) if label in reference else None
        print(
            f"{label:<{width}}{count:>11}{ours:>11.1f}{p90(samples):>9.1f}{min(samples):>9.1f}"
            + (f"{ref:>17.1f}{ours / ref:>8.2f}" if ref else f"{'-':>17}{'-':>8}")
        )


if __name__ == "__main__":
    main()
