"""Benchmark `extract run` end to end: articles/s at several folder sizes and job counts, the ratio to
bare spaCy at its best batch size, and whether memory stays flat as the folder grows.

Writes varied articles (a quarter varied copies of the shipped articles, the rest written from
bench/article_templates.json) as .txt files into a temporary folder, runs `extract run` as a child process
over the first 100, 300 and 1,000 of them with each --jobs value, and, at each size, the full model's bare
`nlp.pipe` (parser included) over the same texts at each of several batch sizes, in the same run. Rates
are wall to wall (process start, model load and writing included) for both; the ratio is `run --jobs N`
over the best bare batch size. Peak RSS is the largest single process, tree PSS the peak over the process
and its workers together; "others CPU s" is what the rest of the machine used meanwhile.

`--repeat N` alternates N rounds of every phase and keeps each phase's fastest (the machine's speed
drifts by ±15–20% over minutes, so phases measured one after the other can differ by as much).

Example: python bench/bench_run.py --sizes 100,300,1000 --jobs 1 --bare-batch-sizes 16,32 --repeat 2
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchkit import (
    ChildRun,
    add_bare_arguments,
    add_common_arguments,
    bare_sweep,
    best_sweep,
    load_seed_texts,
    machine,
    make_articles,
    positive_ints,
    rate,
    run_child,
    write_texts_jsonl,
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--jobs", type=positive_ints, default=[1, 2], help="--jobs values to try (default 1,2)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: sizes 3,6, jobs 1,2, bare batch sizes 8,32"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of every phase, alternating; each phase's best is kept"
    )
    add_bare_arguments(parser)
    add_common_arguments(parser)
    args = parser.parse_args()
    sizes, batch_sizes = ([3, 6], [8, 32]) if args.quick else (sorted(args.sizes), args.bare_batch_sizes)

    texts = make_articles(load_seed_texts(args.articles), sizes[-1], seed=args.seed)
    result: dict[str, Any] = {
        **machine(),
        "sizes": sizes,
        "avg_chars": round(sum(map(len, texts)) / len(texts)),
        "runs": [],
        "bare": {},
        "ratios": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        root = Path(tmp)
        for size in sizes:
            folder = _write_folder(root / f"articles-{size}", texts[:size])
            texts_path = write_texts_jsonl(root / f"texts-{size}.jsonl", texts[:size])
            runs: dict[int, list[dict[str, Any]]] = {jobs: [] for jobs in args.jobs}
            sweeps = []
            # The rounds alternate ours and the baseline, so a slow spell of the machine costs both alike;
            # each phase keeps its fastest round.
            for round_number in range(args.repeat):
                for jobs in args.jobs:
                    output = root / f"out-{size}-{jobs}-{round_number}" / "proposals.jsonl"
                    child = run_child(
                        [
                            sys.executable,
                            "-m",
                            "extract",
                            "run",
                            str(folder),
                            "--records",
                            str(args.records),
                            "-o",
                            str(output),
                            "--jobs",
                            str(jobs),
                        ]
                    ).check()
                    runs[jobs].append(_run_row(child, size, jobs))
                sweeps.append(bare_sweep(texts_path, batch_sizes))
            result["runs"].extend(min(rows, key=lambda row: row["wall_s"]) for rows in runs.values())
            sweep = best_sweep(sweeps, "wall_s")
            best = max(sweep, key=lambda phase: phase["wall_articles_per_s"])
            result["bare"][str(size)] = {"sweep": sweep, "best_batch_size": best["batch_size"]}
            result["ratios"][str(size)] = {
                str(run["jobs"]): run["articles_per_s"] / best["wall_articles_per_s"]
                for run in result["runs"]
                if run["articles"] == size
            }
    result["load_average_after"] = machine()["load_average"]
    print(json.dumps(result, indent=2) if args.json else _table(result))


def _write_folder(folder: Path, texts: list[str]) -> Path:
    folder.mkdir(parents=True)
    for index, text in enumerate(texts):
        (folder / f"article-{index:05d}.txt").write_text(text, encoding="utf-8")
    return folder


def _run_row(child: ChildRun, size: int, jobs: int) -> dict[str, Any]:
    return {
        "articles": size,
        "jobs": jobs,
        "wall_s": child.wall_s,
        "cpu_s": child.cpu_s,
        "others_cpu_s": child.others_cpu_s,
        "articles_per_s": rate(size, child.wall_s),
        "peak_rss_mb": child.max_rss_mb,
        "tree_pss_mb": child.tree_pss_mb,
    }


COLUMNS = (
    ("size", 6),
    ("  run", 36),
    ("wall s", 9),
    ("articles/s", 12),
    ("CPU s", 8),
    ("others CPU s", 14),
    ("peak RSS MB", 13),
    ("tree PSS MB", 13),
)


def _row(*cells: str) -> str:
    return "".join(
        cell.ljust(width) if index == 1 else cell.rjust(width)
        for index, (cell, (_, width)) in enumerate(zip(cells, COLUMNS, strict=True))
    )


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _table(result: dict[str, Any]) -> str:
    load = ", ".join(f"{value:.2f}" for value in result["load_average"])
    after = ", ".join(f"{value:.2f}" for value in result["load_average_after"])
    lines = [
        f"{result['sizes'][-1]} varied articles at most, {result['avg_chars']} characters on average, "
        f"{result['cpus']} CPUs, load average {load} before, {after} after",
        _row(*(title for title, _ in COLUMNS)),
    ]
    for size in result["sizes"]:
        lines.extend(
            _row(
                str(size),
                f"  extract run --jobs {run['jobs']}",
                f"{run['wall_s']:.1f}",
                f"{run['articles_per_s']:.1f}",
                f"{run['cpu_s']:.1f}",
                _mb(run["others_cpu_s"]),
                _mb(run["peak_rss_mb"]),
                _mb(run["tree_pss_mb"]),
            )
            for run in result["runs"]
            if run["articles"] == size
        )
        bare = result["bare"][str(size)]
        lines.extend(
            _row(
                str(size),
                f"  bare nlp.pipe, batch {phase['batch_size']}"
                + (" (best)" if phase["batch_size"] == bare["best_batch_size"] else ""),
                f"{phase['wall_s']:.1f}",
                f"{phase['wall_articles_per_s']:.1f}",
                f"{phase['cpu_s']:.1f}",
                _mb(phase["others_cpu_s"]),
                _mb(phase["peak_rss_mb"]),
                "-",
            )
            for phase in bare["sweep"]
        )
    lines.append(
        "ratio extract run / best bare nlp.pipe, wall to wall (and in CPU seconds, start-up included):"
    )
    for size in result["sizes"]:
        sweep = result["bare"][str(size)]["sweep"]
        fewest = min(sweep, key=lambda phase: phase["cpu_s"])
        ratios = ", ".join(
            f"--jobs {jobs}: {ratio:.2f} ({fewest['cpu_s'] / run['cpu_s']:.2f} per CPU-second)"
            for (jobs, ratio), run in zip(
                result["ratios"][str(size)].items(),
                (run for run in result["runs"] if run["articles"] == size),
                strict=True,
            )
        )
        lines.append(
            f"{size:>6}  {ratios} (best bare batch {result['bare'][str(size)]['best_batch_size']}, "
            f"by CPU {fewest['batch_size']})"
        )
    smallest, largest = result["sizes"][0], result["sizes"][-1]
    for jobs in sorted({run["jobs"] for run in result["runs"]}):
        small, large = (
            next(run for run in result["runs"] if (run["jobs"], run["articles"]) == (jobs, size))
            for size in (smallest, largest)
        )
        lines.append(
            f"memory with --jobs {jobs}, {smallest} → {largest} articles: peak RSS "
            f"{_mb(small['peak_rss_mb'])} → {_mb(large['peak_rss_mb'])} MB "
            f"({large['peak_rss_mb'] / small['peak_rss_mb'] - 1:+.0%}), tree PSS "
            f"{_mb(small['tree_pss_mb'])} → {_mb(large['tree_pss_mb'])} MB"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
