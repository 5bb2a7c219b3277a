"""Benchmark `extract run` end to end: articles/s at two folder sizes and job counts, the ratio to bare
spaCy, and whether memory stays flat as the folder grows.

Writes varied copies of the shipped articles (paragraphs shuffled; countries, numbers, years and
months swapped) as .txt files into a temporary folder, runs `extract run` as a child process over
the first 100 and over all 1,000 of them with `--jobs 1` and `--jobs 2`, and runs the full model's
bare `nlp.pipe` over the same 1,000 texts in the same run. Rates are wall to wall (process start,
model load and writing included) for both; peak RSS is the largest single process, tree PSS the
peak over the process and its workers together.

Example: python bench/bench_run.py --sizes 100,1000 --jobs 1,2
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchkit import (
    ChildRun,
    add_common_arguments,
    load_seed_texts,
    make_texts,
    rate,
    run_bare,
    run_child,
    write_texts_jsonl,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=_ints, default=[100, 1000],
                        help="folder sizes to run over, comma-separated (default 100,1000)")
    parser.add_argument("--jobs", type=_ints, default=[1, 2], help="--jobs values to try (default 1,2)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: sizes 3,6, jobs 1,2")
    add_common_arguments(parser)
    args = parser.parse_args()
    sizes = [3, 6] if args.quick else sorted(args.sizes)

    texts = make_texts(load_seed_texts(args.articles), sizes[-1], seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        root = Path(tmp)
        runs = []
        for size in sizes:
            folder = _write_folder(root / f"articles-{size}", texts[:size])
            for jobs in args.jobs:
                output = root / f"out-{size}-{jobs}" / "proposals.jsonl"
                child = run_child([sys.executable, "-m", "extract", "run", str(folder), "--records",
                                   str(args.records), "-o", str(output), "--jobs", str(jobs)]).check()
                runs.append(_run_row(child, size, jobs))
        bare = run_bare(write_texts_jsonl(root / "texts.jsonl", texts), args.bare_batch_size)

    report = bare.json()
    baseline = {"articles": report["articles"], "wall_s": bare.wall_s,
                "articles_per_s": rate(report["articles"], bare.wall_s),
                "pipe_articles_per_s": rate(report["articles"], report["run_s"]),
                "batch_size": report["batch_size"],
                "peak_rss_mb": bare.max_rss_mb}
    result = {"sizes": sizes, "avg_chars": round(sum(map(len, texts)) / len(texts)), "cpus": os.cpu_count(),
              "runs": runs, "bare": baseline,
              "ratio_at_largest": {str(run["jobs"]): run["articles_per_s"] / baseline["articles_per_s"]
                                   for run in runs if run["articles"] == sizes[-1]}}
    print(json.dumps(result, indent=2) if args.json else _table(result))


def _ints(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give whole numbers separated by commas") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give positive numbers")
    return values


def _write_folder(folder: Path, texts: list[str]) -> Path:
    folder.mkdir(parents=True)
    for index, text in enumerate(texts):
        (folder / f"article-{index:05d}.txt").write_text(text, encoding="utf-8")
    return folder


def _run_row(child: ChildRun, size: int, jobs: int) -> dict[str, Any]:
    return {"articles": size, "jobs": jobs, "wall_s": child.wall_s,
            "articles_per_s": rate(size, child.wall_s),
            "peak_rss_mb": child.max_rss_mb, "tree_pss_mb": child.tree_pss_mb}


COLUMNS = (("run", 28), ("articles", 9), ("wall s", 9), ("articles/s", 12), ("peak RSS MB", 13),
           ("tree PSS MB", 13))


def _row(*cells: str) -> str:
    return "".join(cell.ljust(width) if index == 0 else cell.rjust(width)
                   for index, (cell, (_, width)) in enumerate(zip(cells, COLUMNS, strict=True)))


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _table(result: dict[str, Any]) -> str:
    smallest, largest = result["sizes"][0], result["sizes"][-1]
    bare = result["bare"]
    lines = [f"{largest} varied articles, {result['avg_chars']} characters on average, {result['cpus']} CPUs",
             _row(*(title for title, _ in COLUMNS))]
    lines.extend(_row(f"extract run --jobs {run['jobs']}", str(run["articles"]), f"{run['wall_s']:.1f}",
                      f"{run['articles_per_s']:.1f}", _mb(run["peak_rss_mb"]), _mb(run["tree_pss_mb"]))
                 for run in result["runs"])
    lines.append(_row("bare nlp.pipe (full model)", str(bare["articles"]), f"{bare['wall_s']:.1f}",
                      f"{bare['articles_per_s']:.1f}", _mb(bare["peak_rss_mb"]), "-"))
    lines.append(f"  (bare nlp.pipe alone, without start-up: {bare['pipe_articles_per_s']:.1f} articles/s; "
                 f"batch size {bare['batch_size']})")
    ratios = ", ".join(f"--jobs {jobs}: {ratio:.2f}" for jobs, ratio in result["ratio_at_largest"].items())
    lines.append(f"ratio extract run / bare nlp.pipe at {largest} articles, wall to wall: {ratios}")
    for jobs in sorted({run["jobs"] for run in result["runs"]}):
        small, large = (next(run for run in result["runs"] if (run["jobs"], run["articles"]) == (jobs, size))
                        for size in (smallest, largest))
        lines.append(f"memory with --jobs {jobs}, {smallest} → {largest} articles: peak RSS "
                     f"{_mb(small['peak_rss_mb'])} → {_mb(large['peak_rss_mb'])} MB "
                     f"({large['peak_rss_mb'] / small['peak_rss_mb'] - 1:+.0%}), tree PSS "
                     f"{_mb(small['tree_pss_mb'])} → {_mb(large['tree_pss_mb'])} MB")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
