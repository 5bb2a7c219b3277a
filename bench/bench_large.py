"""Pathological article shapes: seconds per MB and peak memory of `extract mentions` on one-line
articles of 1, 2 and 4 MB and on an article of 50,000 short lines (issue 11).

Time should grow in proportion to size (seconds per MB about constant) and memory stay bounded by
the piece and batch sizes of the mentions stage plus the article's own analysis. The model's load is
measured on a one-sentence article in the same run and subtracted.

    .venv/bin/python bench/bench_large.py [--sizes 1 2 4] [--lines 50000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLES = REPO / "corpus" / "articles"


def measure(article: Path, out: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one `extract mentions` child process."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "extract", "mentions", str(article), "--records",
                                str(REPO / "corpus" / "countries"), "-o", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if status != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{article}: exit status {status}: {error}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4], help="one-line sizes in MB")
    parser.add_argument("--lines", type=int, default=50_000, help="lines of the short-line article")
    args = parser.parse_args()
    seed = " ".join(" ".join(path.read_text(encoding="utf-8").split())
                    for path in sorted(SEED_ARTICLES.glob("*.txt")))
    words = seed.split()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        tiny = root / "tiny.txt"
        tiny.write_text("Kazakhstan licensed an exchange.\n", encoding="utf-8")
        load, load_rss = measure(tiny, root / "out.jsonl")
        print(f"model load (subtracted): {load:.1f} s, {load_rss:.0f} MB")
        print(f"{'article':<28}{'MB':>6}{'seconds':>9}{'s/MB':>8}{'peak MB':>9}")
        cases = []
        for size in args.sizes:
            text = (seed + " ") * int(size * 1e6 / (len(seed) + 1) + 1)
            cases.append((f"one line, {size:g} MB", text[: int(size * 1e6)]))
        short = "\n".join(" ".join(words[i % len(words): i % len(words) + 4])
                          for i in range(0, 4 * args.lines, 4))
        cases.append((f"{args.lines:,} short lines", short + "\n"))
        for name, text in cases:
            article = root / "article.txt"
            article.write_text(text, encoding="utf-8")
            megabytes = article.stat().st_size / 1e6
            seconds, rss = measure(article, root / "out.jsonl")
            work = seconds - load
            print(f"{name:<28}{megabytes:>6.2f}{work:>9.1f}{work / megabytes:>8.1f}{rss:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
