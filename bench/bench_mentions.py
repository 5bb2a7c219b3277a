"""Benchmark the mentions stage against bare spaCy: articles/s of each, the ratio, peak memory.

Both run over the same varied copies of the shipped articles, each in its own child process so
their memory figures are separable: (a) `spacy.load(MODEL)` with every component, `nlp.pipe(texts)`;
(b) `build_pipeline(records).mentions(articles)`. Model loading is timed apart from the run.

Example: python bench/bench_mentions.py -n 300
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
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
    parser.add_argument("-n", "--count", type=int, default=300, help="texts to process (default 300)")
    parser.add_argument("--quick", action="store_true", help="a smoke run over 6 texts")
    parser.add_argument("--child-ours", type=Path, help=argparse.SUPPRESS)  # internal: phase (b) child
    add_common_arguments(parser)
    args = parser.parse_args()
    if args.child_ours:
        _ours_main(args.child_ours, args.records)
        return
    count = 6 if args.quick else args.count

    texts = make_texts(load_seed_texts(args.articles), count, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-mentions-") as tmp:
        texts_path = write_texts_jsonl(Path(tmp) / "texts.jsonl", texts)
        bare = run_bare(texts_path, args.bare_batch_size)
        ours = run_child([sys.executable, str(Path(__file__).resolve()), "--child-ours", str(texts_path),
                          "--records", str(args.records)])
    phases = {"bare": _phase(bare), "ours": _phase(ours)}
    result = {
        "articles": count,
        "avg_chars": round(sum(map(len, texts)) / count),
        "phases": phases,
        "ratio": phases["ours"]["articles_per_s"] / phases["bare"]["articles_per_s"],
    }
    print(json.dumps(result, indent=2) if args.json else _table(result))


def _phase(run: ChildRun) -> dict[str, Any]:
    report = run.json()
    return {"articles": report["articles"], "load_s": report["load_s"], "run_s": report["run_s"],
            "batch_size": report.get("batch_size"),
            "articles_per_s": rate(report["articles"], report["run_s"]), "peak_rss_mb": run.max_rss_mb}


def _ours_main(texts_path: Path, records: Path) -> None:
    started = time.perf_counter()
    from extract.ingest import iter_articles
    from extract.models import Article
    from extract.pipeline import build_pipeline

    articles = [item for item in iter_articles([texts_path]) if isinstance(item, Article)]
    pipeline = build_pipeline(records)
    loaded = time.perf_counter()
    count = sum(1 for _ in pipeline.mentions(articles))
    done = time.perf_counter()
    print(json.dumps({"articles": count, "load_s": loaded - started, "run_s": done - loaded}))


def _table(result: dict[str, Any]) -> str:
    phases = result["phases"]
    lines = [f"{result['articles']} articles, {result['avg_chars']} characters on average",
             f"{'phase':<28}{'load s':>8}{'run s':>9}{'articles/s':>12}{'peak RSS MB':>13}"]
    for name, label in (("bare", "bare nlp.pipe (full model)"), ("ours", "our mentions stage")):
        phase = phases[name]
        lines.append(f"{label:<28}{phase['load_s']:>8.2f}{phase['run_s']:>9.2f}"
                     f"{phase['articles_per_s']:>12.1f}{phase['peak_rss_mb']:>13.0f}")
    lines.append(f"ratio ours / bare (articles/s): {result['ratio']:.2f}")
    lines.append(f"  (bare nlp.pipe batch size {phases['bare']['batch_size']})")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
