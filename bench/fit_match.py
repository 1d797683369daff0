"""Fit the weights of the matching score (claims/matching.py WEIGHTS, BIAS) on a labelled set, and print them.

The reports of bench/corpus/match arrive in date order, as bench/match.py replays them; every candidate the
indexes give for a new report is a pair, labelled twice: the same claim or not (SAME_*), and related or not
(same, updates or contradicts: RELATED_*). A logistic regression with an L2 penalty (plain gradient descent, no dependency) fits the
weights of `Matcher.features`. Paste what it prints into claims/matching.py, then check the result on the sets
it was not fitted on (`python bench/match.py`): a score that only holds on its own set shows there at once.

    python bench/fit_match.py [SET]
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from match import SETS, evaluate  # noqa: E402


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
        for x, y in zip(features, labels):
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
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else SETS / "match"
    features, same, related = pairs(folder)
    print(f"{len(same)} candidate pairs, {sum(same)} the same claim, {sum(related)} related", file=sys.stderr)
    for name, labels in (("SAME", same), ("RELATED", related)):
        bias, weights = fit(features, labels)
        print(f"{name}_BIAS = {bias:.2f}")
        print(f"{name}_WEIGHTS = {{" + ", ".join(f'"{n}": {w:.2f}' for n, w in weights.items()) + "}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
