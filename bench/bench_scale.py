"""Benchmark the batch at scale: flat memory, engines, and the incremental re-run.

Writes varied articles (benchkit.make_articles: a quarter varied copies of the shipped articles, the
rest from bench/article_templates.json) as .txt files, then, each as a measured child process:

1. memory: `extract run --jobs 1 --no-cache` and `extract mentions --jobs 1 -o FILE` over the first
   100, 1,000 and 10,000 articles (--sizes): peak RSS of the process, which should not grow with
   the folder;
2. engines, at the largest size: `extract run` with `--jobs 1`, `--jobs 2` and `--engine dask --jobs 2`
   (a LocalCluster of two worker processes), each filling a fresh cache: articles/s and the peak
   RSS of each process (the main one, and the largest worker);
3. incremental: 1% new articles (--new-share) added to the folder, `extract run` again over the
   cache the `--jobs 2` run filled: seconds, and the ratio to that full run.

Peak RSS per process is each process's VmHWM (/proc/PID/status), sampled every 0.2 s over the
process tree; "others CPU s" is what the rest of the (shared) machine used meanwhile.

Example: python bench/bench_scale.py --sizes 100,1000,10000 --json > scale.json
         python bench/bench_scale.py --quick     (a smoke run: sizes 20,40)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchkit import load_seed_texts, machine, make_articles, positive_ints, rate


@dataclass
class Measured:
    """A finished child process: wall and CPU time, each process's peak RSS, the machine's other load."""

    argv: list[str]
    wall_s: float
    cpu_s: float
    others_cpu_s: float | None
    main_rss_mb: float
    worker_rss_mb: list[float] = field(default_factory=list)

    def row(self, **extra: Any) -> dict[str, Any]:
        return {
            **extra,
            "wall_s": round(self.wall_s, 2),
            "cpu_s": round(self.cpu_s, 2),
            "others_cpu_s": None if self.others_cpu_s is None else round(self.others_cpu_s, 1),
            "main_rss_mb": round(self.main_rss_mb),
            "largest_worker_rss_mb": round(max(self.worker_rss_mb)) if self.worker_rss_mb else None,
            "workers": len(self.worker_rss_mb),
        }


def measure(argv: list[str]) -> Measured:
    from benchkit import _descendants, _machine_busy_s

    peaks: dict[int, float] = {}
    done = threading.Event()
    busy_before = _machine_busy_s()
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, text=True)

        def sample() -> None:
            while not done.is_set():
                for pid in [process.pid, *_descendants(process.pid)]:
                    hwm = _vm_hwm_mb(pid)
                    if hwm is not None:
                        peaks[pid] = max(peaks.get(pid, 0.0), hwm)
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            tail = err.read().strip().splitlines()[-1:] or ["(no message)"]
            raise SystemExit(f"{' '.join(argv[1:])} failed (exit {process.returncode}): {tail[0]}")
    busy_after = _machine_busy_s()
    cpu = usage.ru_utime + usage.ru_stime
    others = None if busy_before is None or busy_after is None else max(0.0, busy_after - busy_before - cpu)
    main = max(peaks.pop(process.pid, 0.0), 0.0)
    # workers: the processes that loaded a model (a spawn helper or a nanny stays small)
    workers = sorted((mb for mb in peaks.values() if mb > 150), reverse=True)
    return Measured(argv, wall, cpu, others, main or usage.ru_maxrss / 1024, workers)


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def extract(*args: str) -> list[str]:
    return [sys.executable, "-m", "extract", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=positive_ints, default=[100, 1000, 10000],
                        help="folder sizes for the memory rows; the largest is used for engines")
    parser.add_argument("--new-share", type=float, default=0.01, help="share of new articles in the re-run")
    parser.add_argument("--articles", type=Path, default=Path("corpus/articles"), help="seed articles")
    parser.add_argument("--records", type=Path, default=Path("corpus/countries"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"what to run, of {','.join(PHASES)} (default all); incremental needs jobs2")
    parser.add_argument("--quick", action="store_true", help="a smoke run: sizes 20,40")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    sizes = [20, 40] if args.quick else sorted(args.sizes)
    phases = set(filter(None, args.phases.split(",")))
    if phases - set(PHASES):
        parser.error(f"unknown phases: {', '.join(sorted(phases - set(PHASES)))}")
    largest = sizes[-1]
    new = max(1, round(largest * args.new_share))
    texts = make_articles(load_seed_texts(args.articles), largest + new, seed=args.seed)
    average = round(sum(map(len, texts)) / len(texts))
    result: dict[str, Any] = {**machine(), "sizes": sizes, "avg_chars": average, "memory": [], "engines": [],
                              "incremental": None}
    records = ["--records", str(args.records)]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        root = Path(tmp)
        folders = {size: _write_folder(root / f"articles-{size}", texts[:size]) for size in sizes}
        for size in sizes:
            out = root / f"mem-{size}"
            if "run-memory" in phases:
                run = measure(extract("run", str(folders[size]), *records, "-o", str(out / "p.jsonl"),
                                      "--jobs", "1", "--no-cache", "-q"))
                result["memory"].append(run.row(command="run --jobs 1", articles=size,
                                                articles_per_s=rate(size, run.wall_s)))
            if "mentions-memory" in phases:
                mentions = measure(extract("mentions", str(folders[size]), *records, "-o",
                                           str(out / "mentions.jsonl"), "--jobs", "1"))
                result["memory"].append(mentions.row(command="mentions --jobs 1", articles=size,
                                                     articles_per_s=rate(size, mentions.wall_s)))
        full: Measured | None = None
        for phase, name, options in (("jobs1", "local --jobs 1", ["--jobs", "1"]),
                                     ("jobs2", "local --jobs 2", ["--jobs", "2"]),
                                     ("dask", "dask, 2 workers", ["--engine", "dask", "--jobs", "2"])):
            if phase in phases:
                out = root / f"engine-{name.split()[0]}-{options[-1]}"
                run = measure(extract("run", str(folders[largest]), *records, "-o", str(out / "p.jsonl"),
                                      *options, "-q"))
                result["engines"].append(run.row(engine=name, articles=largest,
                                                 articles_per_s=rate(largest, run.wall_s)))
                if name == "local --jobs 2":
                    full = run
        if "incremental" in phases and full is not None:
            _write_folder(folders[largest], texts[largest:], start=largest)
            out = root / "engine-local-2"
            run = measure(extract("run", str(folders[largest]), *records, "-o", str(out / "p.jsonl"),
                                  "--jobs", "2", "-q"))
            result["incremental"] = run.row(articles=largest + new, new=new, full_run_s=round(full.wall_s, 2),
                                            ratio=round(run.wall_s / full.wall_s, 3))
    result["load_average_after"] = machine()["load_average"]
    print(json.dumps(result, indent=2) if args.json else _table(result))


PHASES = ("run-memory", "mentions-memory", "jobs1", "jobs2", "dask", "incremental")


def _write_folder(folder: Path, texts: list[str], start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for index, text in enumerate(texts, start=start):
        (folder / f"article-{index:05d}.txt").write_text(text, encoding="utf-8")
    return folder


def _table(result: dict[str, Any]) -> str:
    load = ", ".join(f"{value:.2f}" for value in result["load_average"])
    lines = [f"{result['sizes'][-1]} varied articles at most, {result['avg_chars']} characters on average, "
             f"{result['cpus']} CPUs, load average {load} before",
             f"{'articles':>9}  {'command':<22}{'wall s':>9}{'articles/s':>12}{'main RSS MB':>13}"
             f"{'worker RSS MB':>15}{'others CPU s':>14}"]
    for row in [*result["memory"], *result["engines"]]:
        lines.append(f"{row['articles']:>9}  {row.get('command') or row['engine']:<22}{row['wall_s']:>9.1f}"
                     f"{row['articles_per_s']:>12.1f}{row['main_rss_mb']:>13}"
                     f"{row['largest_worker_rss_mb'] or '-':>15}{row['others_cpu_s'] or '-':>14}")
    for command in ("run --jobs 1", "mentions --jobs 1"):
        rows = [row for row in result["memory"] if row["command"] == command]
        if rows:
            low, high = min(r["main_rss_mb"] for r in rows), max(r["main_rss_mb"] for r in rows)
            lines.append(f"memory, {command}: peak RSS {' → '.join(str(r['main_rss_mb']) for r in rows)} MB "
                         f"over {' / '.join(str(r['articles']) for r in rows)} articles "
                         f"(spread {high / low - 1:.1%})")
    if incremental := result["incremental"]:
        lines.append(f"incremental: {incremental['articles']} articles of which {incremental['new']} new: "
                     f"{incremental['wall_s']:.1f} s, {incremental['ratio']:.1%} of the full run "
                     f"({incremental['full_run_s']:.1f} s)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
