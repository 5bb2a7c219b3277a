#!/usr/bin/env python3
"""Judge `extract run` proposals against the claims table (sentences.jsonl), one row per article.

  python tests/claims_table/score.py --articles ARTICLES.jsonl    # write the table as articles
  .venv/bin/extract run ARTICLES.jsonl --records tests/claims_table/records -o OUT.jsonl
  python tests/claims_table/score.py OUT.jsonl                     # failures by kind, then a summary

A row passes when every expected item is matched by a proposal that cites the row's article, for the
same country and field (and op, when the row gives one), whose new value contains every `value_contains`
string; and when every proposal citing the article matches an expected or an allowed item. A
`value_contains` entry that is a list matches when any one of its strings does. Strings are compared as
the product owner's scorer (shared/devset/score.py) does: case-insensitive, numbers in any format
("10,000,000" = "10 million" = "10000000", "15 per cent" = "15%"), on word and digit boundaries.
Standard library only, so that the test imports it and the lead runs it as is.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TABLE = HERE / "sentences.jsonl"
RECORDS = HERE / "records"

_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6,
           "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}


def _scaled(match: re.Match[str]) -> str:
    value = float(match.group(1)) * _SCALES[match.group(2)]
    return str(int(value)) if value == int(value) else repr(value)


def norm_text(text: str | None) -> str:
    """Lower case, digit groups joined, scale words multiplied out, 'per cent' as '%'."""
    text = (text or "").lower()
    text = re.sub(r"(?<=\d)[,\s](?=\d{3}\b)", "", text)
    scale = r"(\d+(?:\.\d+)?)\s*(thousand|million|mln|mn|billion|bn|trillion|tn|k|m|b)\b"
    text = re.sub(scale, _scaled, text)
    text = re.sub(r"(\d)\s*(?:per ?cent|percent)\b", r"\1%", text)
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def contains_all(value: str | None, needles: Iterable[str | list[str]]) -> bool:
    """Every needle occurs in value; a list needle when any of its strings does. A needle that starts or
    ends with a letter sits on a word boundary there ("UK" is not in "Ukraine"); one that starts or ends
    with a digit does not touch another digit there ("2 billion" is in "N2 billion", not in "12 billion")."""
    normalised = norm_text(value)
    for needle in needles:
        if isinstance(needle, list):
            if not any(contains_all(value, [alternative]) for alternative in needle):
                return False
            continue
        n = norm_text(needle)
        head = r"(?<![\d.])" if n[:1].isdigit() else (r"\b" if n[:1].isalnum() else "")
        tail = r"(?!\d)" if n[-1:].isdigit() else (r"\b" if n[-1:].isalnum() else "")
        if not re.search(head + re.escape(n) + tail, normalised):
            return False
    return True


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_articles(rows: Sequence[Mapping[str, Any]], path: Path) -> None:
    """The table as one JSONL article file: each row an article whose id is the row's id."""
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            article = {"id": row["id"], "text": row["text"], "published": row["published"]}
            fh.write(json.dumps(article, ensure_ascii=False) + "\n")


def by_article(proposals: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Proposals under every article their evidence cites."""
    cited: dict[str, list[Mapping[str, Any]]] = {}
    for proposal in proposals:
        for article in sorted({e.get("article") for e in proposal.get("evidence") or []}):
            cited.setdefault(str(article), []).append(proposal)
    return cited


def matches(proposal: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    """Whether a proposal is the expected item: country, field, op if given, every value_contains."""
    if proposal.get("country") != item["country"] or proposal.get("field") != item["field"]:
        return False
    if item.get("op") and proposal.get("op") != item["op"]:
        return False
    return contains_all(proposal.get("new_value"), item.get("value_contains") or [])


def judge(row: Mapping[str, Any], proposals: Sequence[Mapping[str, Any]]
          ) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """(expected items no proposal matches, proposals that match nothing expected or allowed)."""
    missing = [item for item in row["expect"] if not any(matches(p, item) for p in proposals)]
    allowed = {(a["country"], a["field"]) for a in row.get("allow") or []}
    unexpected = [p for p in proposals
                  if not any(matches(p, item) for item in row["expect"])
                  and (p.get("country"), p.get("field")) not in allowed]
    return missing, unexpected


def describe(proposal: Mapping[str, Any]) -> str:
    value = str(proposal.get("new_value"))
    value = value if len(value) <= 120 else value[:117] + "..."
    return (f"{proposal.get('country')} {proposal.get('field')} {proposal.get('op')} {value!r} "
            f"conf={proposal.get('confidence')} [{proposal.get('extractor')}]")


def report(rows: Sequence[Mapping[str, Any]], proposals: Sequence[Mapping[str, Any]]
           ) -> tuple[int, list[str]]:
    """(rows passing, lines to print: failures grouped as missing / unexpected, then the summary)."""
    cited = by_article(proposals)
    missing_lines: list[str] = []
    unexpected_lines: list[str] = []
    passing = {"positive": 0, "negative": 0}
    totals = {"positive": 0, "negative": 0}
    for row in rows:
        kind = "positive" if row["expect"] else "negative"
        totals[kind] += 1
        missing, unexpected = judge(row, cited.get(row["id"], []))
        if not missing and not unexpected:
            passing[kind] += 1
        for item in missing:
            needles = json.dumps(item.get("value_contains") or [], ensure_ascii=False)
            op = item.get("op") or "any op"
            missing_lines.append(f"  {row['id']}: {item['country']} {item['field']} {op} {needles}")
        unexpected_lines += [f"  {row['id']}: {describe(p)}" for p in unexpected]
    known = {row["id"] for row in rows}
    strays = sorted(set(cited) - known)
    lines = [f"missing ({len(missing_lines)}):", *missing_lines,
             f"unexpected ({len(unexpected_lines)}):", *unexpected_lines]
    if strays:
        lines.append(f"proposals citing articles not in the table: {', '.join(strays)}")
    total_passing = passing["positive"] + passing["negative"]
    lines.append(f"claims table: {total_passing}/{len(rows)} rows pass "
                 f"(positives {passing['positive']}/{totals['positive']}, "
                 f"negatives {passing['negative']}/{totals['negative']})")
    return total_passing, lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("proposals", nargs="?", type=Path, help="proposals.jsonl written by `extract run`")
    parser.add_argument("--table", type=Path, default=TABLE, help="the sentence table (default: %(default)s)")
    parser.add_argument("--articles", type=Path, metavar="FILE",
                        help="write the table as JSONL articles and stop")
    args = parser.parse_args(argv)
    rows = read_jsonl(args.table)
    if args.articles:
        write_articles(rows, args.articles)
        print(f"{len(rows)} articles written to {args.articles}")
        return 0
    if args.proposals is None:
        parser.error("give the proposals file (or --articles FILE)")
    passing, lines = report(rows, read_jsonl(args.proposals))
    print("\n".join(lines))
    return 0 if passing == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
