"""Benchmark the Russian mentions stage against the bare Russian pipeline it is built on: articles/s of each,
the ratio, peak memory.

Both run over the same varied copies of a few Russian articles of our own writing, each in its own child
process: (a) bare natasha — segmenter, morphology, syntax and NER over each text; (b) our stage,
`build_pipeline(records).mentions(articles)`, which detects the language, parses with natasha and finds
the mentions. Model loading is timed apart from the run.

Example: python bench/bench_russian.py -n 100
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchkit import ChildRun, add_common_arguments, make_texts, rate, run_child, write_texts_jsonl

SEED_TEXTS = [
    "Кыргызстан повышает требования к биржам\n\n"
    "Национальный банк Кыргызской Республики 17 апреля 2025 года сообщил, что минимальный уставный капитал "
    "оператора торговли виртуальными активами составит 10 млрд сомов. Закон Кыргызской Республики "
    "«О виртуальных активах» принят в 2022 году. Госфиннадзор выдаст лицензии до 1 января 2026 года.\n\n"
    "Налог на майнинг составит 15 процентов, а тариф для майнеров — 2,5 сома за кВт·ч.",
    "Казахстан закрыл 36 нелегальных бирж\n\n"
    "Агентство по финансовому мониторингу в первом квартале 2025 года закрыло 36 бирж, оборот которых "
    "превысил 5 млрд тенге. По словам Касым-Жомарта Токаева, 70% конфиската пойдёт в резерв.\n\n"
    "Налоговый кодекс вводит сбор 1 тенге за киловатт-час электроэнергии.",
    "Узбекистан меняет правила\n\n"
    "В Узбекистане с 1 марта 2026 года сбор за лицензию составит 150 тыс. сумов. "
    "Банк России оценил рынок в 3,5 трлн рублей. В прошлом году майнеры потребили 500 МВт.",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", "--count", type=int, default=100, help="texts to process (default 100)")
    parser.add_argument("--quick", action="store_true", help="a smoke run over 6 texts")
    parser.add_argument("--child", choices=["bare", "ours"], help=argparse.SUPPRESS)  # internal: a phase
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    add_common_arguments(parser)
    args = parser.parse_args()
    if args.child == "bare":
        _bare_main(args.texts)
        return
    if args.child == "ours":
        _ours_main(args.texts, args.records)
        return
    count = 6 if args.quick else args.count
    texts = make_texts(SEED_TEXTS, count, seed=args.seed)
    script = str(Path(__file__).resolve())
    with tempfile.TemporaryDirectory(prefix="bench-russian-") as tmp:
        path = str(write_texts_jsonl(Path(tmp) / "texts.jsonl", texts))
        bare = run_child([sys.executable, script, "--child", "bare", "--texts", path])
        ours = run_child(
            [sys.executable, script, "--child", "ours", "--texts", path, "--records", str(args.records)]
        )
    phases = {"bare": _phase(bare), "ours": _phase(ours)}
    result = {
        "articles": count,
        "avg_chars": round(sum(map(len, texts)) / count),
        "phases": phases,
        "ratio": phases["ours"]["articles_per_s"] / phases["bare"]["articles_per_s"],
    }
    print(json.dumps(result, indent=2) if args.json else _table(result))


def _read(texts_path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in texts_path.read_text(encoding="utf-8").splitlines()]


def _bare_main(texts_path: Path) -> None:
    started = time.perf_counter()
    from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    texts = _read(texts_path)
    embedding = NewsEmbedding()
    segmenter, morph = Segmenter(), NewsMorphTagger(embedding)
    syntax, ner = NewsSyntaxParser(embedding), NewsNERTagger(embedding)
    loaded = time.perf_counter()
    for text in texts:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.parse_syntax(syntax)
        doc.tag_ner(ner)
    done = time.perf_counter()
    print(json.dumps({"articles": len(texts), "load_s": loaded - started, "run_s": done - loaded}))


def _ours_main(texts_path: Path, records: Path) -> None:
    started = time.perf_counter()
    from extract.models import Article
    from extract.pipeline import build_pipeline

    articles = [Article(id=f"ru-{i}", text=text) for i, text in enumerate(_read(texts_path))]
    pipeline = build_pipeline(records)
    # the Russian stage loads on the first Russian article: load it here, outside the timed run
    list(pipeline.mentions(articles[:1]))
    loaded = time.perf_counter()
    count = sum(1 for _ in pipeline.mentions(articles))
    done = time.perf_counter()
    print(json.dumps({"articles": count, "load_s": loaded - started, "run_s": done - loaded}))


def _phase(run: ChildRun) -> dict[str, Any]:
    report = run.json()
    return {
        "articles": report["articles"],
        "load_s": report["load_s"],
        "run_s": report["run_s"],
        "articles_per_s": rate(report["articles"], report["run_s"]),
        "peak_rss_mb": run.max_rss_mb,
    }


def _table(result: dict[str, Any]) -> str:
    phases = result["phases"]
    lines = [
        f"{result['articles']} Russian articles, {result['avg_chars']} characters on average",
        f"{'phase':<28}{'load s':>8}{'run s':>9}{'articles/s':>12}{'peak RSS MB':>13}",
    ]
    for name, label in (("bare", "bare natasha pipeline"), ("ours", "our Russian mentions")):
        phase = phases[name]
        lines.append(
            f"{label:<28}{phase['load_s']:>8.2f}{phase['run_s']:>9.2f}"
            f"{phase['articles_per_s']:>12.1f}{phase['peak_rss_mb']:>13.0f}"
        )
    lines.append(f"ratio ours / bare (articles/s): {result['ratio']:.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
