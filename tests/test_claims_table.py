"""The claims table: sentences written for this test, each with the proposals a careful curator accepts.

Every row of tests/claims_table/sentences.jsonl is one article; `extract run` reads them all once, against
the records in tests/claims_table/records, and each row is judged on the proposals that cite it (see
tests/claims_table/score.py, which the lead also runs by hand). At least half the rows must yield nothing:
crackdowns on illegal actors, other countries' facts, drafts and plans, penalties, revenues, seizures,
market prices, negated and lifted bans, hashrate shares, headlines, rumours.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
from claims_table.score import (
    RECORDS,
    TABLE,
    by_article,
    contains_all,
    judge,
    read_jsonl,
    report,
    write_articles,
)

ROOT = Path(__file__).resolve().parent.parent
FIELDS = json.loads((ROOT / "extract" / "rules" / "record_fields.json").read_text(encoding="utf-8"))["fields"]
ROWS = read_jsonl(TABLE)
OPS = {"set", "append", "add", "confirm"}


@pytest.fixture(scope="module")
def cited(tmp_path_factory, request):
    """Proposals per article from one real `extract run` over the whole table."""
    folder = tmp_path_factory.mktemp("claims_table")
    articles, proposals = folder / "articles.jsonl", folder / "proposals.jsonl"
    write_articles(ROWS, articles)
    done = subprocess.run(
        [sys.executable, "-m", "extract", "run", str(articles), "--records", str(RECORDS),
         "-o", str(proposals), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    found = read_jsonl(proposals)
    passing, _ = report(ROWS, found)
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():  # a progress figure, shown even when output is captured
        print(f"\nclaims table: {passing}/{len(ROWS)} rows pass; details: "
              f"python tests/claims_table/score.py {proposals}")
    return by_article(found)


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_row(row, cited):
    missing, unexpected = judge(row, cited.get(row["id"], []))
    problems = [f"missing {item['country']} {item['field']} {item.get('op') or 'any op'} "
                f"{item.get('value_contains')}" for item in missing]
    problems += [f"unexpected {p['country']} {p['field']} {p['op']} {p['new_value']!r} "
                 f"(confidence {p['confidence']}, {p['extractor']})" for p in unexpected]
    assert not problems, f"{row['text']}\n  why: {row['why']}\n  " + "\n  ".join(problems)


def _record_codes():
    codes = set()
    for path in RECORDS.glob("*.md"):
        title = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# "))
        codes.add(title.split("(", 1)[1].split(")", 1)[0])
    return codes


def _currencies(needles):
    for needle in needles:
        for text in needle if isinstance(needle, list) else [needle]:
            if len(text) == 3 and text.isupper() and pycountry.currencies.get(alpha_3=text):
                yield text


def test_table_is_what_the_issue_asks_for():
    ids = [row["id"] for row in ROWS]
    assert len(ids) == len(set(ids)), "row ids must be unique"
    positives = [row for row in ROWS if row["expect"]]
    strict_negatives = [row for row in ROWS if not row["expect"] and not row.get("allow")]
    items = [item for row in positives for item in row["expect"]]
    countries = {item["country"] for item in items}
    currencies = {code for item in items for code in _currencies(item.get("value_contains") or [])}
    assert len(ROWS) >= 200
    assert len(strict_negatives) * 2 >= len(ROWS), "at least half the rows must yield no proposal at all"
    assert len(countries) >= 15, sorted(countries)
    assert len(currencies) >= 10, sorted(currencies)
    assert countries <= _record_codes(), "an expected proposal needs a record to land on"


def test_rows_are_well_formed():
    for row in ROWS:
        where = row["id"]
        assert set(row) <= {"id", "text", "published", "expect", "allow", "why"}, where
        assert row["text"].strip() and row["why"].strip() and len(row["published"]) == 10, where
        for item in row["expect"] + row.get("allow", []):
            assert item["field"] in FIELDS, (where, item)
        for item in row["expect"]:
            assert item.get("op") in OPS | {None}, (where, item)
            assert item.get("value_contains") or item.get("op") == "confirm", \
                f"{where}: {item} should say what the new value must contain"


@pytest.mark.parametrize(("value", "needles", "expected"), [
    ("Minimum capital NGN 2 billion from 2026-03-02", [["NGN", "₦"], "2,000,000,000"], True),
    ("minimum capital ₦2bn", [["NGN", "₦"], "2,000,000,000"], True),
    ("minimum capital NGN 12 billion", ["2,000,000,000"], False),
    ("a flat 15 per cent tax", ["15%"], True),
    ("a flat 15% tax", ["5%"], False),
    ("Ukraine", ["UK"], False),
    ("KZT 4 per kWh", [["KZT", "tenge"], "4"], True),
    ("KZT 14 per kWh", ["4"], False),
])
def test_value_matcher(value, needles, expected):
    assert contains_all(value, needles) is expected
