"""How well `claims` finds the recorded claims a new report repeats, updates or contradicts: on labelled sets.

A set is a folder like bench/corpus/match/ (articles/NAME.yml with a `key` per claim, relations.yml; see its
README). The articles arrive as a desk gets them: in date order, each imported (keys stripped) into a database
that holds the earlier ones (and, where the set has seed-keys.yml, the bundled example first), and the claims of
each are matched against what was recorded before it, with `claims.matching` as `claims import` does. Then:

- same: precision and recall of the pairs suggested as `same` at the default score (DEFAULT_MIN_SCORE), against
  every labelled `same` pair; a suggested pair that is not labelled same counts against precision;
- top-3: share of the labelled pairs (same, updates, contradicts) whose older report is among the newer report's
  three best candidates, whatever the relation suggested;
- updates and contradicts: precision and recall of the pairs suggested with that relation at the default score
  (updates in the right direction: the newer report updates the older);
- each for all pairs, for cross-language pairs (en-fr) and per story.

    python bench/match.py                       # bench/corpus/match, then every other set in bench/corpus/match-*
    python bench/match.py bench/corpus/match    # one set
    python bench/match.py --details             # and every missed and wrong pair
    python bench/match.py --json                # the numbers, for scripts
    python bench/match.py --check               # exit 1 below the targets (same P 0.9, R 0.85, top-3 0.95)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.db import open_db  # noqa: E402
from claims.io.bundle import example_path, load_seed_article  # noqa: E402
from claims.io.imports import import_path  # noqa: E402
from claims.links import group_of  # noqa: E402
from claims.matching import DEFAULT_MIN_SCORE, Matcher, suggested  # noqa: E402
from claims.values import identity_key  # noqa: E402
from claims.writing import claim_id_by_key  # noqa: E402

SETS = ROOT / "bench" / "corpus"
TARGETS = {"same precision": 0.9, "same recall": 0.85, "top-3 recall": 0.95}
LIMIT = 5  # candidates kept per report (the CLI shows 3)
RELATIONS = ("same", "updates", "contradicts")


@dataclass(frozen=True)
class Report:
    claim_id: int
    key: str
    article: str
    language: str
    published: str


def story(key: str) -> str:
    return key.split("-", 1)[0]


def strip_keys(document: dict) -> dict:
    return {
        **document,
        "claims": [{k: v for k, v in claim.items() if k != "key"} for claim in document.get("claims") or []],
    }


def load_set(folder: Path, db) -> list[tuple[str, list[Report]]]:
    """Import the set's articles in date order; the reports of each article, in that order."""
    articles = []
    seed_keys = folder / "seed-keys.yml"
    if seed_keys.exists():
        load_seed_article(db)  # the set is labelled against the seed article, not the demo's later report
        seed = yaml.safe_load(seed_keys.read_text(encoding="utf-8"))
        example = yaml.safe_load(example_path().read_text(encoding="utf-8"))
        source = next(s for s in example["sources"] if s["key"] == seed["source"])
        source_id = db.execute("select id from sources where title = ?", [source["title"]]).fetchone()[0]
        reports = []
        for entry in seed["claims"]:
            (claim_id,) = db.execute(
                "select id from claims where source_id = ? and substr(text, 1, ?) = ?",
                [source_id, len(entry["text_starts"]), entry["text_starts"]],
            ).fetchone()
            reports.append(Report(claim_id, entry["key"], seed["source"], source["language"], str(source["published"])))
        articles.append((seed["source"], reports))
    documents = []
    for path in sorted((folder / "articles").glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        documents.append((str(document["sources"][0]["published"]), path, document))
    with tempfile.TemporaryDirectory() as tmp:
        for published, path, document in sorted(documents, key=lambda d: (d[0], d[1].name)):
            stripped = Path(tmp) / path.name
            stripped.write_text(
                yaml.safe_dump(strip_keys(document), allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            import_path(db, stripped)
            source = document["sources"][0]
            source_id = db.execute("select id from sources where url = ?", [source["url"]]).fetchone()[0]
            reports = [
                Report(
                    claim_id_by_key(db, source_id, identity_key(claim["text"])),
                    claim["key"],
                    path.stem,
                    claim.get("language") or source["language"],
                    published,
                )
                for claim in document["claims"]
            ]
            articles.append((path.stem, reports))
    return articles


def gold_relations(folder: Path) -> dict[str, set[tuple[str, str]]]:
    """The set's labels as pairs of keys: updates (newer, older); contradicts and unrelated both ways."""
    relations = yaml.safe_load((folder / "relations.yml").read_text(encoding="utf-8"))
    labels: dict[str, set] = {"updates": set(), "contradicts": set(), "unrelated": set()}
    for relation in labels:
        for first, second in relations.get(relation) or []:
            labels[relation].add((first, second))
            if relation != "updates":
                labels[relation].add((second, first))
    return labels


def evaluate(folder: Path, details: bool = False, collect: list | None = None) -> dict:
    """Replay the set as a desk gets it, match each article's claims as it arrives, and compare with the labels.

    After each article the desk links the reports of the same claim (the labelled `same` pairs), as it does once
    it has checked the suggestions, so that a claim reported four times is one candidate, not four.
    """
    from claims.links import link

    labels = gold_relations(folder)
    decisions: list[dict] = []  # one per new report and relation it should find: what was expected and found
    suggestions: list[tuple] = []  # (new report, relation, other report) suggested at the default score
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "match.db", create=True)
        articles = load_set(folder, db)
        reports = [report for _, article in articles for report in article]
        by_id = {report.claim_id: report for report in reports}
        recorded_ids = {i for (i,) in db.execute("select id from claims")} - set(by_id)
        seen: list[Report] = []
        for _, article in articles:
            matcher = Matcher(db)
            for report in article:
                candidates = matcher.matches(report.claim_id, limit=LIMIT, min_score=0.0, among=recorded_ids)
                if collect is not None:  # every candidate pair, for bench/fit_match.py
                    new = matcher.load([report.claim_id])[report.claim_id]
                    for other, features in matcher.compared(new, recorded_ids):
                        if other.id in by_id:
                            other_key = by_id[other.id].key
                            related = (
                                other_key == report.key
                                or (report.key, other_key) in labels["updates"]
                                or (other_key, report.key) in labels["updates"]
                                or (report.key, other_key) in labels["contradicts"]
                            )
                            collect.append((features, other_key == report.key, related))
                groups = [
                    set(group_of(db, c.other_id if c.claim_id == report.claim_id else c.claim_id)) for c in candidates
                ]
                for c in suggested(candidates):
                    other = by_id.get(c.other_id if c.claim_id == report.claim_id else c.claim_id)
                    if other:
                        suggestions.append((report, c.relation, other, c.claim_id == report.claim_id))
                for relation, keys in _expected(report, seen, labels).items():
                    for key in keys:
                        ids = {r.claim_id for r in seen if r.key == key}
                        rank = next((i for i, g in enumerate(groups) if g & ids), None)
                        found = (
                            rank is not None
                            and candidates[rank] in suggested(candidates)
                            and candidates[rank].relation == relation
                        )
                        cross = all(r.language != report.language for r in seen if r.key == key)
                        decisions.append(
                            {
                                "report": report,
                                "relation": relation,
                                "key": key,
                                "rank": rank,
                                "found": found,
                                "cross": cross,
                            }
                        )
            for report in article:
                earlier = next((r for r in seen if r.key == report.key), None)
                if earlier:
                    link(db, report.claim_id, earlier.claim_id, "same", reason="bench: labelled the same")
            seen += article
            recorded_ids |= {report.claim_id for report in article}
        db.close()

    def right(report: Report, relation: str, other: Report, outgoing: bool) -> bool:
        if relation == "same":
            return report.key == other.key
        if relation == "updates":
            newer, older = (report, other) if outgoing else (other, report)
            return (newer.key, older.key) in labels["updates"]
        return (report.key, other.key) in labels["contradicts"]

    results: dict = {"set": folder.name, "reports": len(reports), "articles": len(articles)}
    scopes = {
        "all": lambda report, other=None: True,
        "en-fr": lambda report, other=None: other is None or report.language != other.language,
    }
    for name in sorted({story(r.key) for r in reports}):
        scopes[f"story {name}"] = lambda report, other=None, name=name: story(report.key) == name
    for scope, keep in scopes.items():
        row = {}
        for relation in (None, *RELATIONS):
            wanted = [
                d
                for d in decisions
                if relation in (None, d["relation"]) and keep(d["report"]) and (scope != "en-fr" or d["cross"])
            ]
            prefix = f"{relation} " if relation else ""
            row[f"{prefix}top-3 recall"] = (
                round(sum(1 for d in wanted if d["rank"] is not None and d["rank"] < 3) / len(wanted), 3)
                if wanted
                else None
            )
            if relation is None:
                continue
            made = [(r, rel, o, out) for r, rel, o, out in suggestions if rel == relation and keep(r, o)]
            row[f"{relation} expected"] = len(wanted)
            row[f"{relation} precision"] = round(sum(1 for m in made if right(*m)) / len(made), 3) if made else None
            row[f"{relation} recall"] = round(sum(1 for d in wanted if d["found"]) / len(wanted), 3) if wanted else None
        results[scope] = row
    if details:
        lines = [
            f"missed {d['relation']}: {d['report'].key}@{d['report'].article} -> {d['key']} (rank {d['rank']})"
            for d in decisions
            if not d["found"]
        ]
        lines += [
            f"wrong {rel}: {r.key}@{r.article} -> {o.key}@{o.article}"
            for r, rel, o, out in suggestions
            if not right(r, rel, o, out)
        ]
        results["details"] = lines
    return results


def _expected(report: Report, seen: list[Report], labels: dict) -> dict[str, list[str]]:
    """The recorded claims (keys) a new report should be matched with, by relation."""
    keys = list(dict.fromkeys(r.key for r in seen))
    return {
        "same": [k for k in keys if k == report.key],
        "updates": [k for k in keys if (report.key, k) in labels["updates"]],
        "contradicts": [k for k in keys if (report.key, k) in labels["contradicts"]],
    }


def print_results(results: dict) -> None:
    print(
        f"\n{results['set']}: {results['articles']} articles, {results['reports']} reports; default score {DEFAULT_MIN_SCORE}"
    )
    print("found s/u/c: how many recorded claims the new reports should be matched with (same, updates, contradicts)")
    columns = [
        "same P",
        "same R",
        "top-3",
        "same top-3",
        "updates P",
        "updates R",
        "contra P",
        "contra R",
        "found s/u/c",
    ]
    print(f"{'scope':<10}" + "".join(f"{c:>12}" for c in columns))
    for scope, row in results.items():
        if not isinstance(row, dict):
            continue

        def cell(value):
            return "-" if value is None else f"{value:.2f}"

        values = [
            row["same precision"],
            row["same recall"],
            row["top-3 recall"],
            row["same top-3 recall"],
            row["updates precision"],
            row["updates recall"],
            row["contradicts precision"],
            row["contradicts recall"],
        ]
        counts = f"{row['same expected']}/{row['updates expected']}/{row['contradicts expected']}"
        print(f"{scope:<10}" + "".join(f"{cell(v):>12}" for v in values) + f"{counts:>12}")
    for line in results.get("details", []):
        print("  " + line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, help="set folders (default: bench/corpus/match and match-*)")
    parser.add_argument("--details", action="store_true", help="list every missed and wrong pair")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if the first set is below the targets")
    args = parser.parse_args()
    folders = args.sets or [SETS / "match", *sorted(p for p in SETS.glob("match-*") if (p / "relations.yml").exists())]
    all_results = [evaluate(folder, args.details) for folder in folders]
    if args.json:
        print(json.dumps(all_results, indent=2))
    else:
        for results in all_results:
            print_results(results)
        print(f"\ntargets (all pairs): {', '.join(f'{k} >= {v}' for k, v in TARGETS.items())}")
    if args.check:
        overall = all_results[0]["all"]
        measured = {
            "same precision": overall["same precision"],
            "same recall": overall["same recall"],
            "top-3 recall": overall["top-3 recall"],
        }
        below = [f"{k} {v} < {TARGETS[k]}" for k, v in measured.items() if (v or 0) < TARGETS[k]]
        if below:
            print("Below target: " + "; ".join(below), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
