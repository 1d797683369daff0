"""Fit the weights of the matching score (claims/match_weights.json, read by claims/matching.py) on a labelled set, and print them.

The reports of bench/corpus/match arrive in date order, as bench/match.py replays them; every candidate the
indexes give for a new report is a pair, labelled twice: the same claim or not (SAME_*), and related or not
(same, updates or contradicts: RELATED_*). A logistic regression with an L2 penalty (plain gradient descent, no dependency) fits the
weights of `Matcher.features`. --write puts what it prints into claims/match_weights.json, then check the result on the sets
it was not fitted on (`python bench/match.py`): a score that only holds on its own set shows there at once.

    python bench/fit_match.py bench/corpus/match --write    # fit on one set (then measure on the others)
    python bench/fit_match.py --write                       # fit on every set
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from match import SETS, evaluate

PENALTY = 0.001
STEPS = 3000
RATE = 2.0


def pairs(folder: Path) -> tuple[list[dict], list[int], list[int]]:
    """Features and labels (the same claim; related: same, updates or contradicts) of every candidate pair, as
    bench/match.py replays the set."""
    collected: list = []
    evaluate(folder, collect=collected)
    return [c[0] for c in collected], [int(c[1]) for c in collected], [int(c[2]) for c in collected]


def fit(features: list[dict], labels: list[int]) -> tuple[float, dict[str, float]]:
    names = list(features[0])
    weights = {name: 0.0 for name in names}
    bias = 0.0
    positives = sum(labels)
    balance = 1.0 if positives else 0.0  # unweighted: the score reads as a probability
    for _ in range(STEPS):
        grad = {name: 0.0 for name in names}
        grad_bias = 0.0
        total = 0.0
        for x, y in zip(features, labels, strict=False):
            z = bias + sum(weights[n] * x[n] for n in names)
            p = 1 / (1 + math.exp(-z))
            w = balance if y else 1.0
            total += w
            error = (p - y) * w
            grad_bias += error
            for n in names:
                grad[n] += error * x[n]
        bias -= RATE * grad_bias / total
        for n in names:
            weights[n] -= RATE * (grad[n] / total + PENALTY * weights[n])
    return bias, weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sets", nargs="*", type=Path, help="labelled sets to fit on (default: every bench/corpus/match*)"
    )
    parser.add_argument("--write", action="store_true", help="write the weights into claims/match_weights.json")
    args = parser.parse_args()
    folders = args.sets or sorted(p for p in SETS.glob("match*") if (p / "relations.yml").exists())
    features, same, related = [], [], []
    for folder in folders:
        f, s, r = pairs(folder)
        features, same, related = features + f, same + s, related + r
    print(
        f"{', '.join(f.name for f in folders)}: {len(same)} candidate pairs, {sum(same)} the same claim, "
        f"{sum(related)} related",
        file=sys.stderr,
    )
    fitted = {}
    for name, labels in (("same", same), ("related", related)):
        bias, weights = fit(features, labels)
        fitted[name] = {"bias": round(bias, 2), "weights": {key: round(value, 2) for key, value in weights.items()}}
    text = json.dumps(fitted, indent=2) + "\n"
    print(text, end="")
    if args.write:
        path = Path(__file__).resolve().parent.parent / "claims" / "match_weights.json"
        path.write_text(text, encoding="utf-8")
        print(f"written into {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
