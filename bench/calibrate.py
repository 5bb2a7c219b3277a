#!/usr/bin/env python3
"""Calibrate confidence from measured precision, and print the reliability table.

  python bench/calibrate.py                       # the claims table only: measure and print
  python bench/calibrate.py --devset DIR          # also a labelled set: DIR holds the texts, and
        --devset-gold GOLD --devset-records RECS  #   GOLD/RECS its proposals gold and records
  python bench/calibrate.py ... --write           # write rules/calibration.json from the measure

Every proposal of a run at --min-confidence 0 is judged right or wrong: on the claims table
(tests/claims_table) against each row's expected and allowed items, on a gold set with
`extract evaluate`'s matching (an optional line excuses a proposal; anything else unmatched is
wrong). Per rule, the precision of its proposals from enacted claims becomes the rule's
confidence (Laplace-smoothed, rules with too few proposals keep their base); per stage, the
precision of proposals from claims at that stage relative to enacted ones becomes the stage's
factor. The reliability table then buckets the confidences the run gave and shows the precision
observed in each bucket — in-sample on the sets it was calibrated on, so it shows consistency,
not generalisation.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "claims_table"))

import score as table_score  # noqa: E402  (tests/claims_table/score.py: the table's matcher)

from extract.claims import ENACTED  # noqa: E402
from extract.evaluate import evaluate_proposals  # noqa: E402
from extract.jsonl import read_models  # noqa: E402
from extract.models import Proposal, ProposalGold  # noqa: E402

CALIBRATION = ROOT / "extract" / "rules" / "calibration.json"
MIN_PROPOSALS = 3  # fewer judged proposals than this: the rule keeps its base confidence
BUCKETS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)

Judged = tuple[Proposal, bool]


def run(articles: Path, records: Path, out: Path) -> list[Proposal]:
    subprocess.run(
        [sys.executable, "-m", "extract", "run", str(articles), "--records", str(records), "-o", str(out),
         "--replace", "--min-confidence", "0", "-q"],
        check=False, cwd=ROOT,
    )
    return read_models(out, Proposal)


def judge_table(work: Path) -> list[Judged]:
    rows = table_score.read_jsonl(table_score.TABLE)
    articles = work / "table.jsonl"
    table_score.write_articles(rows, articles)
    proposals = run(articles, table_score.RECORDS, work / "table-proposals.jsonl")
    dumped = {p.id: p.model_dump() for p in proposals}
    cited = table_score.by_article(dumped.values())
    judged = []
    for row in rows:
        _, unexpected = table_score.judge(row, cited.get(row["id"], []))
        wrong = {id(p) for p in unexpected}
        judged += [(Proposal.model_validate(p), id(p) not in wrong) for p in cited.get(row["id"], [])]
    return judged


def judge_gold(texts: Path, gold_path: Path, records: Path, work: Path) -> list[Judged]:
    proposals = run(texts, records, work / "gold-proposals.jsonl")
    gold = read_models(gold_path, ProposalGold)
    report = evaluate_proposals(gold, proposals)
    wrong = {(f.note or "").split(" ")[0] + "@" + f.article for f in report.false_positives}
    gold_articles = {line.article for line in gold}
    judged = []
    for proposal in proposals:
        for article in sorted({e.article for e in proposal.evidence} & gold_articles):
            judged.append((proposal, f"{proposal.id}@{article}" not in wrong))
    return judged


def precision(items: Sequence[Judged]) -> float:
    return sum(ok for _, ok in items) / len(items) if items else 0.0


def calibrate(judged: Sequence[Judged], current: dict) -> dict:
    by_rule: dict[str, list[Judged]] = defaultdict(list)
    by_stage: dict[str, list[Judged]] = defaultdict(list)
    for proposal, ok in judged:
        rule = proposal.extractor.removeprefix("rule:")
        if (proposal.stage or "enacted") in ENACTED:
            by_rule[rule].append((proposal, ok))
        by_stage[proposal.stage or "enacted"].append((proposal, ok))
    rules = {
        rule: round((sum(ok for _, ok in items) + 1) / (len(items) + 2), 2)
        for rule, items in sorted(by_rule.items())
        if len(items) >= MIN_PROPOSALS
    }
    enacted = precision([j for stage in ENACTED for j in by_stage.get(stage, [])]) or 1.0
    stages = dict(current["stage_factor"])
    for stage, items in by_stage.items():
        if stage not in ENACTED and len(items) >= MIN_PROPOSALS:
            stages[stage] = round(max(0.1, min(1.0, (precision(items) + 0.1) / enacted)), 2)
    return {"stage_factor": stages, "rule_precision": rules}


def reliability(judged: Iterable[Judged]) -> list[str]:
    buckets: dict[int, list[bool]] = defaultdict(list)
    for proposal, ok in judged:
        index = next(i for i in range(len(BUCKETS) - 1) if BUCKETS[i] <= proposal.confidence < BUCKETS[i + 1])
        buckets[index].append(ok)
    lines = ["confidence   proposals  correct  observed precision"]
    for index in range(len(BUCKETS) - 1):
        oks = buckets.get(index, [])
        low, high = BUCKETS[index], min(BUCKETS[index + 1], 1.0)
        observed = f"{sum(oks) / len(oks):.2f}" if oks else "-"
        lines.append(f"{low:.1f}–{high:.1f}      {len(oks):9d}  {sum(oks):7d}  {observed:>18}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, help="folder of a labelled set's texts")
    parser.add_argument("--devset-gold", type=Path, help="its proposals gold (JSONL)")
    parser.add_argument("--devset-records", type=Path, help="its records folder")
    parser.add_argument("--write", action="store_true", help="write extract/rules/calibration.json")
    args = parser.parse_args(argv)
    current = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        judged = judge_table(work)
        sets = [f"claims table: {len(judged)} judged proposals"]
        if args.devset:
            if not (args.devset_gold and args.devset_records):
                parser.error("--devset needs --devset-gold and --devset-records")
            gold_judged = judge_gold(args.devset, args.devset_gold, args.devset_records, work)
            sets.append(f"labelled set: {len(gold_judged)} judged (proposal, article) pairs")
            judged += gold_judged
        print("; ".join(sets))
        print("\n".join(reliability(judged)))
        measured = calibrate(judged, current)
        print(json.dumps(measured, indent=2))
        if args.write:
            CALIBRATION.write_text(json.dumps(measured, indent=2) + "\n", encoding="utf-8")
            print(f"wrote {CALIBRATION.relative_to(ROOT)}; run again to see the table after calibration")
    return 0


if __name__ == "__main__":
    sys.exit(main())
