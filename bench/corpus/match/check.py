"""Check a claim-matching set and print its counts.

A set is a folder (this script's own by default, or FOLDER, e.g. bench/corpus/match-unseen). Every
article (articles/NAME.txt, its claims in articles/NAME.yml) is checked: the claims-YAML file imports,
with its `key` fields stripped, through `python -m claims import` into a temporary database; each
claim's text is found verbatim in the article; every party is an actor of the file; each article is
120-300 words. When the folder has a seed-keys.yml, the bundled example is the seed story's first
report: it is loaded into the database first and its claims are keyed by that file. relations.yml may
only name known keys, and the set must reach the counts its promises.yml promises.

Run from the repository root (exit status 1 and one `Error: ...` line per problem if anything is wrong):

    PYTHONPATH=$PWD .venv/bin/python bench/corpus/match/check.py [FOLDER]
"""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from claims.io.bundle import example_path, load_seed_article
from claims.db import open_db
from claims.vocabulary import ROLE_OF_COLUMN
from claims.values import fold

ARTICLES = "articles"
RELATIONS = "relations.yml"
SEED_KEYS = "seed-keys.yml"
PROMISES = "promises.yml"
LANGUAGES = ("en", "fr")
WORDS = (120, 300)
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ELISION = "[...]"
URL_PREFIX = "https://example.org/"
LABELS = ("updates", "contradicts", "unrelated")  # relations given as pairs of keys; `same` is a list of keys
# What promises.yml may promise (at least so many), each a total print_counts returns.
PROMISED = ("articles", *(f"articles {lang}" for lang in LANGUAGES), "stories", "all", "same en-fr", *LABELS)


@dataclass(frozen=True)
class Report:
    """One appearance of a claim (its key) in one article."""

    key: str
    article: str
    language: str
    published: str
    text: str


class Problems(list):
    """Every problem found, as `where: what` lines."""

    def add(self, where: str, message: str) -> None:
        self.append(f"{where}: {message}")


def story_of(name: str) -> str:
    """The story an article or key belongs to: the prefix before the first dash."""
    return name.split("-", 1)[0]


def language_pair(a: Report, b: Report) -> str:
    """The languages of two reports, e.g. en-fr."""
    return "-".join(sorted((a.language, b.language)))


# Articles


def read_article(path: Path, problems: Problems) -> tuple[dict, str] | None:
    """The claims-YAML document of an article and the article's body text."""
    name = path.stem
    text_path = path.with_suffix(".txt")
    if not text_path.exists():
        problems.add(path.name, f"no article text {text_path.name}")
        return None
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    lines = text_path.read_text(encoding="utf-8").splitlines()
    if len(lines) < 4 or lines[2].strip():
        problems.add(text_path.name, "expected a title line, an 'Outlet, YYYY-MM-DD' line, a blank line, then the body")
        return None
    sources = document.get("sources") or []
    if len(sources) != 1:
        problems.add(path.name, f"expected one source, found {len(sources)}")
        return None
    source = sources[0]
    expected = {"key": name, "title": lines[0].strip(), "outlet": lines[1].rpartition(",")[0].strip(),
                "published": lines[1].rpartition(",")[2].strip()}
    for field, value in expected.items():
        if str(source.get(field)) != value:
            problems.add(path.name, f"sources[1].{field} is {source.get(field)!r}, the article says {value!r}")
    if source.get("language") not in LANGUAGES:
        problems.add(path.name, f"sources[1].language must be one of {', '.join(LANGUAGES)}")
    if not str(source.get("url", "")).startswith(URL_PREFIX):
        problems.add(path.name, f"sources[1].url must be a fictional {URL_PREFIX}... address")
    body = "\n".join(lines[3:])
    words = sum(1 for token in body.split() if re.search(r"\w", token))
    if not WORDS[0] <= words <= WORDS[1]:
        problems.add(text_path.name, f"{words} words, expected {WORDS[0]}-{WORDS[1]}")
    return document, body


def is_verbatim(text: str, body: str) -> bool:
    """Whether `text` appears in `body`, each part between `[...]` elisions in order."""
    position = 0
    for part in (p.strip() for p in text.split(ELISION)):
        if not part:
            continue
        found = body.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def article_reports(path: Path, document: dict, body: str, actor_kinds: dict, problems: Problems) -> list[Report]:
    """The keyed claims of one article, checked against its text and its actors section."""
    source = document["sources"][0]
    names = {}
    for actor in document.get("actors") or []:
        for spelling in [actor.get("name", ""), *(actor.get("aliases") or [])]:
            names[fold(spelling)] = actor.get("name")
        identity = (actor.get("kind"), actor.get("country"))
        known = actor_kinds.setdefault(fold(actor.get("name", "")), (identity, path.name))
        if known[0] != identity:
            problems.add(path.name, f"actor {actor.get('name')!r} is {identity}, but {known[0]} in {known[1]}")
    reports, seen = [], set()
    for index, claim in enumerate(document.get("claims") or [], 1):
        where = f"{path.name} claims[{index}]"
        key = claim.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            problems.add(where, f"key {key!r} must be lowercase words joined by dashes, e.g. nk-killed-600")
            continue
        if key in seen:
            problems.add(where, f"key {key} appears twice in the article")
        seen.add(key)
        if story_of(key) != story_of(path.stem):
            problems.add(where, f"key {key} does not start with the story's prefix {story_of(path.stem)}-")
        text = claim.get("text", "")
        if not is_verbatim(text, body):
            problems.add(where, "text is not found verbatim in the article (parts between [...] in order)")
        language = claim.get("language") or source.get("language")
        if language != source.get("language"):
            problems.add(where, f"language {language} differs from the article's {source.get('language')}")
        for column in ROLE_OF_COLUMN:
            for party in claim.get(column) or []:
                actor = party.get("actor") if isinstance(party, dict) else party
                if fold(str(actor)) not in names:
                    problems.add(where, f"{column}: {actor!r} is not in the file's actors section")
        reports.append(Report(key, path.stem, language, str(source["published"]), text))
    return reports


def seed_reports(path: Path, example: dict, problems: Problems) -> list[Report]:
    """The bundled example's claims, keyed by seed-keys.yml (at `path`): the seed story's first report."""
    seed = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = next(s for s in example["sources"] if s["key"] == seed["source"])
    claims = [c for c in example["claims"] if c.get("source") == seed["source"]]
    reports = []
    for entry in seed["claims"]:
        matches = [c for c in claims if c["text"].startswith(entry["text_starts"])]
        if len(matches) != 1:
            problems.add(SEED_KEYS, f"{entry['key']}: {len(matches)} claims of the example start with that text")
            continue
        language = matches[0].get("language") or source["language"]
        reports.append(Report(entry["key"], seed["source"], language, str(source["published"]), matches[0]["text"]))
    if len(reports) != len(claims):
        problems.add(SEED_KEYS, f"{len(reports)} keys for the example's {len(claims)} claims")
    return reports


# Importing


def without_keys(path: Path) -> str:
    """The file's text with each claim's `key: ...` removed, every other line (and line number) kept."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    root = yaml.compose(text)
    claims = next((value for key, value in root.value if key.value == "claims"), None)
    for item in claims.value if claims is not None else []:
        for key, value in item.value:
            if key.value == "key":
                line = key.start_mark.line
                if value.end_mark.line != line:
                    raise ValueError(f"{path.name}:{line + 1}: a claim's key must fit on one line")
                start, end = key.start_mark.column, value.end_mark.column
                lines[line] = lines[line][:start] + lines[line][end:].lstrip(" ")
    stripped = "".join(lines)
    if any("key" in claim for claim in (yaml.safe_load(stripped).get("claims") or [])):
        raise ValueError(f"{path.name}: a claim's key was not stripped")
    return stripped


def import_all(paths: list[Path], expected_claims: int, with_example: bool, problems: Problems) -> None:
    """Import every file, keys stripped, with the claims CLI into a temporary database (first the example if asked)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for path in paths:
            try:
                (folder / path.name).write_text(without_keys(path), encoding="utf-8")
            except (ValueError, yaml.YAMLError) as e:
                problems.add(path.name, f"cannot strip the keys: {e}")
                return
        db_path = Path(tmp) / "match.db"
        db = open_db(db_path, create=True)
        if with_example:
            load_seed_article(db)  # the set is labelled against the seed article, not the demo's later report
        db.close()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "CLAIMS_USER": "bench-corpus-match"}
        command = [sys.executable, "-m", "claims", "import", "--db", str(db_path), str(folder)]
        result = subprocess.run(command, check=False, capture_output=True, text=True, env=env, cwd=tmp)
        if result.returncode != 0:
            for line in (result.stderr or result.stdout).strip().splitlines():
                problems.add("claims import", line.removeprefix("Error: "))
            return
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
            (claims,) = connection.execute("select count(*) from claims").fetchone()
        if claims != expected_claims:
            problems.add("claims import", f"{claims} claims in the database, expected {expected_claims}")
        on_top = " on top of the bundled example" if with_example else ""
        print(f"imported {len(paths)} files{on_top}: {claims} claims")


# Relations


def check_relations(relations: dict, reports: list[Report], problems: Problems) -> dict[str, list[tuple]]:
    """Every label's pairs of reports; problems for unknown keys and inconsistent labels."""
    by_key = defaultdict(list)
    for report in reports:
        by_key[report.key].append(report)
    unknown_sections = set(relations) - {"same", *LABELS}
    if unknown_sections:
        problems.add(RELATIONS, f"unknown sections {', '.join(sorted(unknown_sections))}")
    same = relations.get("same") or []
    for key in same:
        if key not in by_key:
            problems.add(RELATIONS, f"same: unknown key {key}")
        elif len({r.article for r in by_key[key]}) < 2:
            problems.add(RELATIONS, f"same: {key} is reported in one article only")
    for key, found in sorted(by_key.items()):
        if len(found) > 1 and key not in same:
            problems.add(RELATIONS, f"same: {key} is reported in {len(found)} articles but not listed")
    pairs = {"same": [pair for key in same for pair in itertools.combinations(by_key.get(key, []), 2)]}
    labelled: dict[frozenset, str] = {}
    for label in LABELS:
        pairs[label] = []
        for index, pair in enumerate(relations.get(label) or [], 1):
            where = f"{RELATIONS} {label}[{index}]"
            if not (isinstance(pair, list) and len(pair) == 2):
                problems.add(where, "must be a pair [a, b]")
                continue
            unknown = [key for key in pair if key not in by_key]
            if unknown:
                problems.add(where, f"unknown key {', '.join(map(str, unknown))}")
                continue
            a, b = pair
            if a == b:
                problems.add(where, f"{a} paired with itself")
                continue
            if frozenset(pair) in labelled:
                problems.add(where, f"[{a}, {b}] is already labelled {labelled[frozenset(pair)]}")
                continue
            labelled[frozenset(pair)] = label
            if story_of(a) != story_of(b):
                problems.add(where, f"[{a}, {b}] pairs two stories")
            first = {key: min(r.published for r in by_key[key]) for key in pair}
            if label == "updates" and not first[a] > first[b]:
                problems.add(where, f"{a} (first reported {first[a]}) is not newer than {b} ({first[b]})")
            pairs[label].append((a, b, list(itertools.product(by_key[a], by_key[b]))))
    return pairs


def counted(counter: Counter) -> str:
    """A counter as `name n, name n`."""
    return ", ".join(f"{name} {n}" for name, n in sorted(counter.items()))


def print_counts(pairs: dict, reports: list[Report], written: set[str]) -> dict[str, int]:
    """The table of labelled pairs per relation and language pairing; return the totals checked.

    `written` names the set's own articles: any other article reported (the seed) is the bundled example's.
    """
    articles = {r.article: r for r in reports}  # the seed article included
    languages = Counter(r.language for name, r in articles.items() if name in written)
    stories = Counter(story_of(r.key) for r in articles.values())
    seed = " and the seed article" if set(articles) - written else ""
    print(f"{len(written)} articles ({counted(languages)}){seed}; stories: {counted(stories)}")
    print(f"{len(reports)} reports of {len({r.key for r in reports})} keys")
    header = f"{'relation':<12} {'labelled':>8} {'report pairs':>13} {'en-en':>6} {'en-fr':>6} {'fr-fr':>6}"
    print(header)
    totals = {"all": 0}
    for label, found in pairs.items():
        report_pairs = found if label == "same" else [p for _, _, expanded in found for p in expanded]
        by_language = Counter(language_pair(a, b) for a, b in report_pairs)
        labelled = len(report_pairs) if label == "same" else len(found)
        totals[label] = labelled
        totals["all"] += labelled
        if label == "same":
            totals["same en-fr"] = by_language["en-fr"]
        print(f"{label:<12} {labelled:>8} {len(report_pairs):>13}"
              + "".join(f" {by_language[p]:>6}" for p in ("en-en", "en-fr", "fr-fr")))
    print(f"{'all':<12} {totals['all']:>8}   (same: pairs of reports; the others: pairs of keys)")
    totals["articles"] = len(written)
    totals["stories"] = sum(1 for n in stories.values() if n >= 2)
    totals.update({f"articles {lang}": languages[lang] for lang in LANGUAGES})
    return totals


def read_promises(path: Path, problems: Problems) -> dict[str, int]:
    """The minimum counts promises.yml promises: {total: at least n}, each total one that print_counts returns."""
    if not path.exists():
        problems.add(PROMISES, f"missing: the folder must say what it promises ({', '.join(PROMISED)})")
        return {}
    promises = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(promises, dict):
        problems.add(PROMISES, "must map each promised total to a number, e.g. `articles: 18`")
        return {}
    valid = {}
    for what, minimum in promises.items():
        if what not in PROMISED:
            problems.add(PROMISES, f"unknown total {what!r}: use {', '.join(PROMISED)}")
        elif not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 0:
            problems.add(PROMISES, f"{what}: {minimum!r} is not a whole number")
        else:
            valid[what] = minimum
    return valid


def check_folder(folder: Path) -> Problems:
    """Check the set in `folder` and print its counts; every problem found."""
    problems = Problems()
    paths = sorted((folder / ARTICLES).glob("*.yml"))
    reports, actor_kinds, expected_claims = [], {}, 0
    seeded = (folder / SEED_KEYS).exists()
    if seeded:
        example = yaml.safe_load(example_path().read_text(encoding="utf-8"))
        reports.extend(seed_reports(folder / SEED_KEYS, example, problems))
        for actor in example.get("actors") or []:
            actor_kinds[fold(actor["name"])] = ((actor.get("kind"), actor.get("country")), "the bundled example")
        expected_claims += len(example["claims"])
    for path in paths:
        read = read_article(path, problems)
        if read:
            reports.extend(article_reports(path, *read, actor_kinds, problems))
            expected_claims += len(read[0].get("claims") or [])
    import_all(paths, expected_claims, seeded, problems)
    relations = yaml.safe_load((folder / RELATIONS).read_text(encoding="utf-8")) or {}
    pairs = check_relations(relations, reports, problems)
    totals = print_counts(pairs, reports, {path.stem for path in paths})
    for what, minimum in read_promises(folder / PROMISES, problems).items():
        if totals.get(what, 0) < minimum:
            problems.add("counts", f"{what}: {totals.get(what, 0)}, the set promises at least {minimum}")
    return problems


def main(arguments: list[str]) -> int:
    """Check the set in the folder given (this script's by default), print the counts and every problem; 0 if none."""
    if len(arguments) > 1:
        print(f"Error: expected at most one FOLDER, got {len(arguments)} arguments", file=sys.stderr)
        return 1
    folder = Path(arguments[0]) if arguments else HERE
    missing = [name for name in (ARTICLES, RELATIONS) if not (folder / name).exists()]
    if missing:
        print(f"Error: {folder}: no {' and no '.join(missing)}, not a claim-matching set", file=sys.stderr)
        return 1
    problems = check_folder(folder)
    for problem in problems:
        print(f"Error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
