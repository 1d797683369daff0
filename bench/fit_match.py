"""Fit the weights of the matching score (claims/matching.py WEIGHTS, BIAS) on a labelled set, and print them.

The reports of bench/corpus/match arrive in date order, as bench/match.py replays them; every candidate the
indexes give for a new report is a pair, labelled twice: the same claim or not (SAME_*), and related or not
(same, updates or contradicts: RELATED_*). A logistic regression with an L2 penalty (plain gradient descent, no dependency) fits the
weights of `Matcher.features`. Paste what it prints into claims/matching.py, then check the result on the sets
it was not fitted on (`python bench/match.py`): a score that only holds on its own set shows there at once.

    python bench/fit_match.py bench/corpus/match --write    # fit on one set (then measure on the others)
    python bench/fit_match.py --write                       # fit on every set
"""

from __future__ import annotations

import argparse
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


def weights_source(name: str, bias: float, weights: dict[str, float]) -> str:
    """The weights as the lines of claims/matching.py that hold them (as `ruff format` writes them)."""
    lines = [f"{name}_BIAS = {bias:.2f}", f"{name}_WEIGHTS = {{"]
    lines += [f'    "{key}": {value:.2f},' for key, value in weights.items()]
    return "\n".join([*lines, "}"]) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sets", nargs="*", type=Path, help="labelled sets to fit on (default: every bench/corpus/match*)"
    )
    parser.add_argument("--write", action="store_true", help="write the weights into claims/matching.py")
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
    text = "".join(
        weights_source(name, *fit(features, labels)) for name, labels in (("SAME", same), ("RELATED", related))
    )
    print(text, end="")
    if args.write:
        path = Path(__file__).resolve().parent.parent / "claims" / "matching.py"
        source = path.read_text(encoding="utf-8")
        start = source.index("SAME_BIAS = ")
        end = source.index("\n}\n", source.index("RELATED_WEIGHTS = ")) + len("\n}\n")
        path.write_text(source[:start] + text + source[end:], encoding="utf-8")
        print(f"written into {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
