"""Benchmark the mentions stage against bare spaCy: articles/s of each, the ratio, peak memory, at several
input sizes.

All phases run over the same varied articles (a quarter varied copies of the shipped articles, the rest
written from bench/article_templates.json), each in its own child process so its memory is its own:
(a) bare: `spacy.load(MODEL)` with every component, the parser included, `nlp.pipe(texts)` at each of
several batch sizes — the best is the baseline; (b) our stage, `build_pipeline(records).analyze(articles)`:
the model without its parser over each paragraph, the parser over the paragraphs that may state a claim,
rules, normalisers and attribution; (c) `extract mentions -o FILE` wall to wall (start-up, reading and
writing included). Model loading is timed apart from the run in (a) and (b). The ratio is (b) over the
best of (a), in articles/s of the run, and in CPU seconds of the run against the bare batch size that
used the fewest: on a shared machine the wall clock mostly measures the other processes (see "others
CPU s"), the CPU seconds much less so. (a) is spaCy as installed, whose matrix products go through thinc's
bundled BLIS; our pipeline gives them to NumPy's BLAS (extract.nlp.use_numpy_matmul). A last bare line runs
the model with that same BLAS at the best batch size: the ratio against it is our own overhead, like for
like. `--repeat N` alternates N rounds of all phases and keeps each phase's best (a shared machine's
speed drifts by ±20% over minutes).

Example: python bench/bench_mentions.py --sizes 100,300,1000 --bare-batch-sizes 8,16,32,64,128,256 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
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
    rate,
    run_child,
    write_texts_jsonl,
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 6 texts, bare batch sizes 8,32")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of every phase, alternating; each phase's best is kept"
    )
    parser.add_argument("--child-ours", type=Path, help=argparse.SUPPRESS)  # internal: phase (b) child
    add_bare_arguments(parser)
    add_common_arguments(parser)
    args = parser.parse_args()
    if args.child_ours:
        _ours_main(args.child_ours, args.records)
        return
    sizes, batch_sizes = ([6], [8, 32]) if args.quick else (sorted(args.sizes), args.bare_batch_sizes)

    texts = make_articles(load_seed_texts(args.articles), sizes[-1], seed=args.seed)
    result: dict[str, Any] = {**machine(), "avg_chars": round(sum(map(len, texts)) / len(texts)), "sizes": []}
    with tempfile.TemporaryDirectory(prefix="bench-mentions-") as tmp:
        for size in sizes:
            texts_path = write_texts_jsonl(Path(tmp) / f"texts-{size}.jsonl", texts[:size])
            rounds = [
                _round(texts_path, batch_sizes, args.records, Path(tmp), size) for _ in range(args.repeat)
            ]
            # each phase's best round (fewest CPU seconds): the rounds alternate, so a busy spell of the
            # machine costs every phase alike
            ours = min((r["ours"] for r in rounds), key=lambda phase: phase["run_cpu_s"])
            cli = min((r["cli"] for r in rounds), key=lambda phase: phase["cpu_s"])
            bare = best_sweep([r["bare"] for r in rounds], "run_cpu_s")
            same_blas = min((r["same_blas"] for r in rounds), key=lambda phase: phase["run_cpu_s"])
            best = max(bare, key=lambda phase: phase["articles_per_s"])
            result["sizes"].append(
                {
                    "articles": size,
                    "ours": ours,
                    "cli": cli,
                    "bare": bare,
                    "bare_same_blas": same_blas,
                    "best_bare_batch_size": best["batch_size"],
                    "ratio": ours["articles_per_s"] / best["articles_per_s"],
                    "best_bare_batch_size_by_cpu": min(bare, key=lambda phase: phase["run_cpu_s"])[
                        "batch_size"
                    ],
                    "cpu_ratio": min(phase["run_cpu_s"] for phase in bare) / ours["run_cpu_s"],
                    "same_blas_cpu_ratio": same_blas["run_cpu_s"] / ours["run_cpu_s"],
                }
            )
    result["load_average_after"] = machine()["load_average"]
    print(json.dumps(result, indent=2) if args.json else _table(result))


def _round(texts_path: Path, batch_sizes: list[int], records: Path, tmp: Path, size: int) -> dict[str, Any]:
    """One run of every phase: ours, the bare sweep, bare with our BLAS at the sweep's best batch, the CLI."""
    ours = _ours_phase(
        run_child([sys.executable, str(Path(__file__).resolve()), "--child-ours", str(texts_path),
                   "--records", str(records)])
    )
    bare = bare_sweep(texts_path, batch_sizes)
    best_batch = min(bare, key=lambda phase: phase["run_cpu_s"])["batch_size"]
    (same_blas,) = bare_sweep(texts_path, [best_batch], blas="numpy")
    cli = _cli_phase(texts_path, tmp / f"mentions-{size}.jsonl", records, size)
    return {"ours": ours, "bare": bare, "same_blas": same_blas, "cli": cli}


def _ours_phase(run: ChildRun) -> dict[str, Any]:
    report = run.json()
    return {
        **report,
        "wall_s": run.wall_s,
        "cpu_s": run.cpu_s,
        "others_cpu_s": run.others_cpu_s,
        "articles_per_s": rate(report["articles"], report["run_s"]),
        "peak_rss_mb": run.max_rss_mb,
    }


def _cli_phase(texts_path: Path, output: Path, records: Path, size: int) -> dict[str, Any]:
    # If `mentions` has --jobs, ask for one process, to compare like with like.
    help_text = subprocess.run(
        [sys.executable, "-m", "extract", "mentions", "--help"], capture_output=True, text=True, check=False
    ).stdout
    jobs = ["--jobs", "1"] if "--jobs" in help_text else []
    run = run_child(
        [
            sys.executable,
            "-m",
            "extract",
            "mentions",
            str(texts_path),
            "--records",
            str(records),
            "-o",
            str(output),
            *jobs,
        ]
    )
    if run.exit_code not in (0, 1):  # 1: some article had a problem, still measured
        run.check()
    return {
        "articles": size,
        "wall_s": run.wall_s,
        "cpu_s": run.cpu_s,
        "others_cpu_s": run.others_cpu_s,
        "wall_articles_per_s": rate(size, run.wall_s),
        "peak_rss_mb": run.max_rss_mb,
    }


def _ours_main(texts_path: Path, records: Path) -> None:
    started = time.perf_counter()
    from extract.ingest import iter_articles
    from extract.models import Article
    from extract.pipeline import build_pipeline

    articles = [item for item in iter_articles([texts_path]) if isinstance(item, Article)]
    pipeline = build_pipeline(records)
    loaded, loaded_cpu = time.perf_counter(), time.process_time()
    count = sentences = parsed = 0
    for analyzed in pipeline.analyze(articles):
        count += 1
        sentences += len(analyzed.sentences)
        parsed += sum(1 for sentence in analyzed.sentences if sentence.tokens)
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "articles": count,
                "load_s": loaded - started,
                "run_s": done - loaded,
                "run_cpu_s": time.process_time() - loaded_cpu,
                "sentences": sentences,
                "parsed_sentences": parsed,
            }
        )
    )


def _table(result: dict[str, Any]) -> str:
    load = ", ".join(f"{value:.2f}" for value in result["load_average"])
    after = ", ".join(f"{value:.2f}" for value in result["load_average_after"])
    lines = [
        f"{result['sizes'][-1]['articles']} articles at most, {result['avg_chars']} characters on average, "
        f"{result['cpus']} CPUs, load average {load} before, {after} after",
        f"{'size':>6}  {'phase':<34}{'load s':>8}{'run s':>9}{'articles/s':>12}{'CPU s':>8}"
        f"{'others CPU s':>14}{'peak RSS MB':>13}",
    ]

    def row(size: int, label: str, phase: dict[str, Any], load_s: str, run_s: str, per_s: float) -> str:
        others = "-" if phase["others_cpu_s"] is None else f"{phase['others_cpu_s']:.1f}"
        return (
            f"{size:>6}  {label:<34}{load_s:>8}{run_s:>9}{per_s:>12.1f}{phase['cpu_s']:>8.1f}"
            f"{others:>14}{phase['peak_rss_mb']:>13.0f}"
        )

    for entry in result["sizes"]:
        size = entry["articles"]
        for phase in entry["bare"]:
            best = " (best)" if phase["batch_size"] == entry["best_bare_batch_size"] else ""
            lines.append(
                row(
                    size,
                    f"bare nlp.pipe, batch {phase['batch_size']}{best}",
                    phase,
                    f"{phase['load_s']:.2f}",
                    f"{phase['run_s']:.2f}",
                    phase["articles_per_s"],
                )
            )
        same = entry["bare_same_blas"]
        lines.append(
            row(
                size,
                f"bare, NumPy BLAS as ours, batch {same['batch_size']}",
                same,
                f"{same['load_s']:.2f}",
                f"{same['run_s']:.2f}",
                same["articles_per_s"],
            )
        )
        ours = entry["ours"]
        lines.append(
            row(
                size,
                "our mentions stage (analyze)",
                ours,
                f"{ours['load_s']:.2f}",
                f"{ours['run_s']:.2f}",
                ours["articles_per_s"],
            )
        )
        cli = entry["cli"]
        lines.append(
            row(
                size,
                "extract mentions -o, wall to wall",
                cli,
                "-",
                f"{cli['wall_s']:.2f}",
                cli["wall_articles_per_s"],
            )
        )
    lines.append("ratio ours / best bare (articles/s of the run; per CPU-second), parsed share of sentences:")
    lines.extend(
        f"{entry['articles']:>6}  {entry['ratio']:.2f}× at best batch {entry['best_bare_batch_size']}; "
        f"{entry['cpu_ratio']:.2f}× per CPU-second at batch {entry['best_bare_batch_size_by_cpu']}; "
        f"{entry['same_blas_cpu_ratio']:.2f}× per CPU-second against bare with our BLAS; "
        f"parser ran on {entry['ours']['parsed_sentences']} of {entry['ours']['sentences']} sentences"
        for entry in result["sizes"]
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
