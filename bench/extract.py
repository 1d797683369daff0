"""How well `claims extract` drafts the claims of wire articles: against the hand-labelled corpus.

Runs `claims.io.extract.extract_claims` on every `NAME.txt` of bench/corpus/extract/ that has a
`NAME.gold.yml`, with the gold's actors (names and aliases) as `known_actors` and their kinds as
`actor_kinds`, as `claims extract` has them from the database, and the measure names of the
other articles' gold figures as `known_measures` (a database that holds the rest of the corpus),
and compares each draft with its gold bundle:

- claims: a drafted claim and a gold claim *match* when their texts are near-identical (see
  `texts_match`); claims are paired one to one, most similar first. Precision = matched drafted
  claims / drafted claims, recall = matched gold claims / gold claims.
- asserted_by: share of matched pairs whose asserting actors are the same set (names folded).
- stances: share of the gold's not_confirmed_by, denied_by and disputed_by parties of matched
  claims that the draft gives the same role on the paired claim.
- figures: share of matched pairs, among those where the gold or the draft has a figure, whose
  figures agree in value and qualifier (the multisets of (qualifier, low, high)); "with measure"
  also requires the same measure names (reported, no target).
- said_on and quote: share of matched pairs that agree (reported, no target).

Counts are summed over articles before dividing (micro-average). It reports and exits 0; `--check`
instead checks the corpus itself (gold texts verbatim in their article, 150-450 words, languages)
and exits 1 on a problem.

    python bench/extract.py            # table, then the overall line against the targets
    python bench/extract.py --details  # and, per article, each missed, extra or disagreeing claim
    python bench/extract.py --json     # the same numbers (and differences) for scripts
    python bench/extract.py --check    # the corpus is well formed
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.errors import InvalidValue  # noqa: E402  (claims from this checkout, above)
from claims.io.extract import extract_claims  # noqa: E402
from claims.values import fold, parse_figure  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus" / "extract"
STANCES = ("not_confirmed_by", "denied_by", "disputed_by")
# A match: the shared words cover at least SHORTER of the shorter text and LONGER of the longer one.
SHORTER = 0.9
LONGER = 0.7
TARGETS = {"precision": 0.85, "recall": 0.85, "asserted_by": 0.9, "stances": 0.8, "figure_values": 0.95}
LABELS = {
    "precision": "precision",
    "recall": "recall",
    "asserted_by": "asserted_by",
    "stances": "not-confirmed/denied/disputed",
    "figure_values": "figure values",
}


# Matching texts


def words(text: str) -> list[str]:
    """The words of a claim text: folded (case, accents, quotes and punctuation dropped), '[...]' ignored."""
    return fold(text.replace("[...]", " ")).split()


def overlap(a: str, b: str) -> tuple[float, float]:
    """Shared words (with repeats) over the shorter text's words, and over the longer text's words."""
    x, y = Counter(words(a)), Counter(words(b))
    shared = sum((x & y).values())
    short, long = sorted((sum(x.values()), sum(y.values())))
    return (shared / short, shared / long) if short else (0.0, 0.0)


def texts_match(a: str, b: str) -> bool:
    """Whether two claim texts are the same claim: near-identical, or one holds nearly all of the other.

    After folding, the shared words must cover 90% of the shorter text and 70% of the longer one:
    the same sentence with or without its dateline, a quote with or without a short ", said X", but not one
    clause of a sentence against the whole sentence when the sentence holds two claims.
    """
    short, long = overlap(a, b)
    return short >= SHORTER and long >= LONGER


def pair_claims(drafted: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    """Matching (gold, drafted) pairs, one to one, the most similar first."""
    candidates = []
    for i, g in enumerate(gold):
        for j, d in enumerate(drafted):
            if texts_match(g["text"], d["text"]):
                candidates.append((sum(overlap(g["text"], d["text"])), i, j))
    pairs, used_gold, used_drafted = [], set(), set()
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_gold and j not in used_drafted:
            used_gold.add(i)
            used_drafted.add(j)
            pairs.append((gold[i], drafted[j]))
    return pairs


# Comparing a matched pair


def names(claim: dict, role: str) -> set[str]:
    """The folded actor names of a claim's role."""
    return {fold(n) for n in claim.get(role) or []}


def figure_keys(specs: list[str] | None, *, with_measure: bool = False) -> list[tuple]:
    """The figures of a claim as sorted (qualifier, low, high) tuples, the measure first if asked."""
    keys = []
    for spec in specs or []:
        f = parse_figure(spec)
        keys.append((f.measure, f.qualifier, f.low, f.high) if with_measure else (f.qualifier, f.low, f.high))
    return sorted(keys, key=repr)


def score(drafted: list[dict], gold: list[dict]) -> dict[str, int]:
    """Counts measuring one draft against its gold claims (summed over articles, then divided by `rates`)."""
    pairs = pair_claims(drafted, gold)
    counts = Counter(drafted=len(drafted), gold=len(gold), matched=len(pairs))
    for g, d in pairs:
        counts["asserted_by_ok"] += names(g, "asserted_by") == names(d, "asserted_by")
        for role in STANCES:
            wanted = names(g, role)
            counts[f"{role}_gold"] += len(wanted)
            counts[f"{role}_found"] += len(wanted & names(d, role))
            counts["stances_extra"] += len(names(d, role) - wanted)
        if g.get("figures") or d.get("figures"):
            counts["figure_claims"] += 1
            counts["figure_values_ok"] += figure_keys(g.get("figures")) == figure_keys(d.get("figures"))
            counts["figure_measures_ok"] += figure_keys(g.get("figures"), with_measure=True) == figure_keys(
                d.get("figures"), with_measure=True
            )
        counts["said_on_ok"] += str(g.get("said_on") or "") == str(d.get("said_on") or "")
        counts["quote_ok"] += bool(g.get("quote")) == bool(d.get("quote"))
    counts["stances_gold"] = sum(counts[f"{role}_gold"] for role in STANCES)
    counts["stances_found"] = sum(counts[f"{role}_found"] for role in STANCES)
    return dict(counts)


def differences(drafted: list[dict], gold: list[dict]) -> list[str]:
    """What a draft gets wrong against its gold claims, one line each: missed, extra and disagreeing claims."""
    pairs = pair_claims(drafted, gold)
    paired_gold, paired_drafted = {id(g) for g, _ in pairs}, {id(d) for _, d in pairs}
    lines = [f"missed: {g['text'][:90]!r}" for g in gold if id(g) not in paired_gold]
    lines += [f"extra: {d['text'][:90]!r}" for d in drafted if id(d) not in paired_drafted]
    for g, d in pairs:
        for role in ("asserted_by", *STANCES):
            if names(g, role) != names(d, role):
                lines.append(f"{role} {sorted(d.get(role) or [])} not {sorted(g.get(role) or [])}: {g['text'][:60]!r}")
        if figure_keys(g.get("figures")) != figure_keys(d.get("figures")):
            lines.append(f"figures {d.get('figures') or []} not {g.get('figures') or []}: {g['text'][:60]!r}")
    return lines


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to measure."""
    return part / whole if whole else None


def rates(counts: dict[str, int]) -> dict[str, float | None]:
    """The measures of a set of counts: precision, recall and the shares on matched claims."""
    c = Counter(counts)
    return {
        "precision": ratio(c["matched"], c["drafted"]),
        "recall": ratio(c["matched"], c["gold"]),
        "asserted_by": ratio(c["asserted_by_ok"], c["matched"]),
        "stances": ratio(c["stances_found"], c["stances_gold"]),
        **{role: ratio(c[f"{role}_found"], c[f"{role}_gold"]) for role in STANCES},
        "figure_values": ratio(c["figure_values_ok"], c["figure_claims"]),
        "figures_with_measure": ratio(c["figure_measures_ok"], c["figure_claims"]),
        "said_on": ratio(c["said_on_ok"], c["matched"]),
        "quote": ratio(c["quote_ok"], c["matched"]),
    }


# The corpus


def known_actors(gold: dict) -> dict[str, str]:
    """What `extract_claims` is told of the gold's actors: folded name and aliases -> name."""
    return {fold(alias): a["name"] for a in gold["actors"] for alias in [a["name"], *a.get("aliases", [])]}


def actor_kinds(gold: dict) -> dict[str, str]:
    """The kinds of the gold's actors (name -> kind), as `claims extract` has them from the database."""
    return {a["name"]: a["kind"] for a in gold["actors"]}


def known_measures(golds: list[dict]) -> list[str]:
    """The measure names of other articles' gold figures, the most used first: a database that holds them."""
    used = Counter(
        parse_figure(spec).measure for gold in golds for claim in gold["claims"] for spec in claim.get("figures") or []
    )
    return [measure for measure, _ in sorted(used.items(), key=lambda item: (-item[1], item[0]))]


def articles(corpus: Path = CORPUS) -> list[tuple[str, str, dict]]:
    """(name, article text, gold bundle) for every NAME.txt of the corpus with a NAME.gold.yml."""
    found = []
    for path in sorted(corpus.glob("*.txt")):
        gold_path = path.with_name(path.stem + ".gold.yml")
        if gold_path.exists():
            gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
            found.append((path.stem, path.read_text(encoding="utf-8"), gold))
    return found


def measure(corpus: Path = CORPUS) -> dict:
    """Per-article counts and rates, and the micro-averaged total."""
    rows, total = [], Counter()
    found = articles(corpus)
    start = time.perf_counter()
    for name, text, gold in found:
        others = [other for other_name, _, other in found if other_name != name]
        draft = extract_claims(
            text, known_actors=known_actors(gold), actor_kinds=actor_kinds(gold), known_measures=known_measures(others)
        )
        counts = score(draft["claims"], gold["claims"])
        total.update(counts)
        rows.append(
            {
                "article": name,
                "language": gold["sources"][0].get("language"),
                "counts": counts,
                "rates": rates(counts),
                "differences": differences(draft["claims"], gold["claims"]),
            }
        )
    overall = rates(total)
    return {
        "articles": rows,
        "total": {"counts": dict(total), "rates": overall},
        "targets": {
            k: {"target": t, "value": overall[k], "met": overall[k] is not None and overall[k] >= t}
            for k, t in TARGETS.items()
        },
        "seconds": round(time.perf_counter() - start, 2),
    }


def body_of(text: str, gold: dict) -> str:
    """The article after its header and dateline: where every gold claim text must be found."""
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if " - " in line[:120] and ")" in line.split(" - ", 1)[0]:
            return "\n".join([line.split(" - ", 1)[1], *lines[n + 1 :]])
    return text


def check_corpus(corpus: Path = CORPUS) -> list[str]:
    """Problems with the corpus: gold texts not verbatim in the body, lengths, languages, figure specs."""
    problems = []
    found = articles(corpus)
    if not found:
        problems.append(f"{corpus}: no article with a .gold.yml")
    for name, text, gold in found:
        body = body_of(text, gold)
        n_words = len(text.split())
        if not 150 <= n_words <= 450:
            problems.append(f"{name}.txt: {n_words} words, not 150-450")
        if gold["sources"][0].get("language") not in ("en", "fr"):
            problems.append(f"{name}.gold.yml: source language is not en or fr")
        for claim in gold["claims"]:
            position = 0
            for part in (p.strip() for p in claim["text"].split("[...]")):
                at = body.find(part, position)
                if at < 0:
                    problems.append(f"{name}.gold.yml: not verbatim in the article body: {claim['text'][:70]!r}")
                    break
                position = at + len(part)
            for spec in claim.get("figures") or []:
                try:
                    unit = parse_figure(spec).unit or ""
                except InvalidValue as e:
                    problems.append(f"{name}.gold.yml: {e}")
                    continue
                if unit[:1].isdigit():
                    problems.append(f"{name}.gold.yml: figure {spec!r}: a unit starting with a digit (write 25000)")
    return problems


# Output


def cell(value: float | None) -> str:
    """A rate as printed: two decimals, or '-' when there was nothing to measure."""
    return "-" if value is None else f"{value:.2f}"


def print_table(result: dict) -> None:
    """The per-article table, the total row and the line against the targets."""
    header = [
        "article",
        "lang",
        "drafted",
        "gold",
        "matched",
        "prec",
        "recall",
        "asserted",
        "stances",
        "figures",
        "measure",
        "said_on",
    ]
    rows = []
    for row in [*result["articles"], {"article": "TOTAL (micro)", "language": "", **result["total"]}]:
        c, r = Counter(row["counts"]), row["rates"]
        rows.append(
            [
                row["article"],
                row["language"] or "",
                str(c["drafted"]),
                str(c["gold"]),
                str(c["matched"]),
                cell(r["precision"]),
                cell(r["recall"]),
                cell(r["asserted_by"]),
                f"{c['stances_found']}/{c['stances_gold']}",
                f"{c['figure_values_ok']}/{c['figure_claims']}",
                cell(r["figures_with_measure"]),
                cell(r["said_on"]),
            ]
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for n, r in enumerate([header, *rows]):
        if n == len(rows):
            print("  ".join("-" * w for w in widths))
        print("  ".join(v.ljust(w) if i < 2 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths, strict=False))))
    total = result["total"]["rates"]
    roles = ", ".join(f"{role} {cell(total[role])}" for role in STANCES)
    print(f"\nstances by role: {roles}; quote {cell(total['quote'])}; {result['seconds']}s")
    parts = [
        f"{LABELS[k]} {cell(t['value'])} ({'>=' if t['met'] else 'below'} {t['target']})"
        for k, t in result["targets"].items()
    ]
    met = sum(t["met"] for t in result["targets"].values())
    print(f"overall: {'; '.join(parts)} -- {met}/{len(parts)} targets met")


def main(argv: list[str] | None = None) -> int:
    """Measure the extractor on the corpus (or check the corpus) and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of NAME.txt + NAME.gold.yml")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--details", action="store_true", help="also list, per article, what the drafts get wrong")
    parser.add_argument("--check", action="store_true", help="check the corpus itself; exit 1 on a problem")
    args = parser.parse_args(argv)
    if args.check:
        problems = check_corpus(args.corpus)
        print("\n".join(problems) or f"{len(articles(args.corpus))} articles, every gold text verbatim")
        return 1 if problems else 0
    result = measure(args.corpus)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_table(result)
        for row in result["articles"] if args.details else []:
            print(f"\n[{row['article']}]", *row["differences"] or ["no difference"], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
