"""A claims repository at scale: export to a folder, `claims build`, and an incremental build after one change.

Generates N claims across 1,000 sources (bench/bulk_import.py's generator), then times, in the same run:

- reference: `claims import` of the N claims as one JSON Lines file into a fresh database;
- export:    `claims export --layout folder`: the database as a claims repository (one YAML file per source
             under sources/, actors.yml);
- build:     `claims build REPO -o site/claims.db` from nothing (import, check, VACUUM, row counts);
- again:     `claims build` after appending one claim to 1 file of 1,000 (incremental: the target is <= 2 s
             whatever N), and after changing nothing.

Prints seconds and ratios; asserts nothing about time.

    python bench/repo_build.py --claims 20000        # quick; --claims 1000000 for the full run
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bulk_import import generate

BIN = Path(sys.executable).parent


def claims(*args: str) -> float:
    """Run `claims ARGS`, failing loudly; its wall seconds."""
    start = time.perf_counter()
    result = subprocess.run([str(BIN / "claims"), *args], capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(f"failed: claims {' '.join(args)}\n{result.stderr}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20_000)
    count = parser.parse_args().claims
    with tempfile.TemporaryDirectory(prefix="claims-repo-") as folder:
        folder = Path(folder)
        data, reference, repo, site = folder / "claims.jsonl", folder / "ref.db", folder / "repo", folder / "site"
        generate(data, count)
        claims("init", "--db", str(reference))
        import_time = claims("import", str(data), "--db", str(reference), "--create-actors", "--no-match")
        export_time = claims("export", "--layout", "folder", "-o", str(repo), "--db", str(reference))
        files = len(list((repo / "sources").iterdir()))
        size = sum(p.stat().st_size for p in repo.rglob("*.yml")) / 1e6
        build_time = claims("build", str(repo), "-o", str(site / "claims.db"))
        changed = sorted((repo / "sources").iterdir())[files // 2]
        with changed.open("a", encoding="utf-8") as f:  # named from its source's key; ends with its claims, at column 0
            f.write(f'- source: {changed.stem}\n  text: "One more claim, added by a desk."\n')
        incremental_time = claims("build", str(repo), "-o", str(site / "claims.db"))
        unchanged_time = claims("build", str(repo), "-o", str(site / "claims.db"))
        db_size = (site / "claims.db").stat().st_size / 1e6
    print(f"{count:,} claims in {files:,} source files ({size:.0f} MB of YAML; built database {db_size:.0f} MB)")
    print(f"{'':<46}{'seconds':>10}")
    print(f"{'claims import (one JSON Lines file)':<46}{import_time:>10.1f}")
    print(f"{'export to a claims repository (folder)':<46}{export_time:>10.1f}")
    print(f"{'claims build (fresh: import, check, VACUUM)':<46}{build_time:>10.1f}")
    print(f"{'claims build after 1 file of 1,000 changed':<46}{incremental_time:>10.2f}")
    print(f"{'claims build, nothing changed':<46}{unchanged_time:>10.2f}")
    print(f"ratio build / JSON Lines import = {build_time / import_time:.2f}")
    print(f"ratio incremental / fresh build = {incremental_time / build_time:.3f}")


if __name__ == "__main__":
    main()
