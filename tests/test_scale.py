"""The batch at scale (issue 12): the map cache, --since, streamed JSONL shards, --jobs for mentions,
a bad article reported instead of fatal. The Dask engine has its own module (test_dask.py)."""

from __future__ import annotations

import gc
import json
import multiprocessing
import shutil
import subprocess
import sys
import types
import zlib
from pathlib import Path

import pytest

from extract import cache as cache_module
from extract.batch import MapFailure, map_chunk, run
from extract.cache import MapCache, MappedArticle, pipeline_fingerprint
from extract.ingest import Skipped, iter_articles
from extract.models import Article

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# Our own sentences (not the dev set): one recent, one old article.
RECENT = """---
title: Kazakhstan licenses a second exchange
published: 2026-05-04
---
The Astana Financial Services Authority (AFSA) granted a licence to a second crypto exchange on Monday.
Kazakhstan requires exchanges to hold a minimum capital of $1 million.
"""
OLD = """---
title: Kyrgyzstan taxes mining
published: 2021-03-02
---
Kyrgyzstan introduced a 15 percent tax on the electricity used for crypto mining.
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(CORPUS / "articles", tmp_path / "articles")
    shutil.copytree(CORPUS / "countries", tmp_path / "countries")
    return tmp_path


def outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.jsonl"))}


def test_a_second_run_reads_every_article_from_the_cache_and_writes_the_same_files(workspace: Path) -> None:
    cache_dir = workspace / "cache"
    first = run([workspace / "articles"], workspace / "countries", workspace / "a" / "p.jsonl",
                mentions_out=workspace / "a" / "m.jsonl", cache_dir=cache_dir)
    assert first.cached == 0
    second = run([workspace / "articles"], workspace / "countries", workspace / "b" / "p.jsonl",
                 mentions_out=workspace / "b" / "m.jsonl", cache_dir=cache_dir)
    assert second.cached == second.articles == first.articles == 3
    assert outputs(workspace / "a") == outputs(workspace / "b")
    # one new article: only it is analysed
    (workspace / "articles" / "recent.md").write_text(RECENT, encoding="utf-8")
    third = run([workspace / "articles"], workspace / "countries", workspace / "c" / "p.jsonl",
                cache_dir=cache_dir)
    assert (third.articles, third.cached) == (4, 3)


def test_a_changed_record_or_rule_file_changes_every_key(workspace: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    before = pipeline_fingerprint(workspace / "countries")
    assert pipeline_fingerprint(workspace / "countries") == before  # stable
    record = next((workspace / "countries").glob("*.md"))
    record.write_text(record.read_text(encoding="utf-8") + "\nA new line.\n", encoding="utf-8")
    assert pipeline_fingerprint(workspace / "countries") != before
    # a field rule edited in a copy of the package
    package = tmp_path / "pkg" / "extract"
    shutil.copytree(cache_module.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "PACKAGE", package)
    copied = pipeline_fingerprint(None)
    rules = package / "rules" / "field_rules.jsonl"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert pipeline_fingerprint(None) != copied
    patterns = package / "patterns" / "entities.jsonl"
    patterns.write_text(patterns.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited_rules = pipeline_fingerprint(None)
    (package / "review.py").write_text("# the review is not part of the map\n", encoding="utf-8")
    assert pipeline_fingerprint(None) == edited_rules != copied


def test_a_corrupt_entry_is_ignored_and_written_again(workspace: Path) -> None:
    cache_dir = workspace / "cache"
    run([workspace / "articles"], workspace / "countries", workspace / "a" / "p.jsonl", cache_dir=cache_dir)
    entries = sorted(cache_dir.rglob("*.json.z"))
    assert len(entries) == 3
    entries[0].write_bytes(entries[0].read_bytes()[:20])  # a torn write, as a crash might leave
    entries[1].write_bytes(zlib.compress(b'{"article": "x"}'))  # whole but not an entry
    report = run([workspace / "articles"], workspace / "countries", workspace / "b" / "p.jsonl",
                 cache_dir=cache_dir)
    assert report.cached == 1
    assert outputs(workspace / "a") == outputs(workspace / "b")
    for entry in entries:
        MappedArticle.model_validate_json(zlib.decompress(entry.read_bytes()))


def _write_and_read(folder: str, rounds: int) -> list[str]:
    """Write the same entries over and over while reading them: what a reader sees."""
    cache = MapCache(Path(folder), "fingerprint")
    seen = []
    for index in range(rounds):
        key = f"{index % 7:02d}" + "0" * 62
        entry = MappedArticle(article=f"a{index % 7}", facts=[], mentions="x" * 50_000 + "\n")
        cache.put(key, entry)
        found = cache.get(f"{(index + 3) % 7:02d}" + "0" * 62)
        seen.append("none" if found is None else "ok" if found.mentions == "x" * 50_000 + "\n" else "torn")
    return seen


def test_concurrent_writers_never_leave_a_torn_entry(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        seen = [s for part in pool.starmap(_write_and_read, [(str(tmp_path), 150)] * 4) for s in part]
    assert "torn" not in seen and "ok" in seen
    assert not list(tmp_path.rglob("*.tmp"))  # no temporary file left behind
    assert len(list(tmp_path.rglob("*.json.z"))) == 7


def test_clear_removes_the_cache(workspace: Path) -> None:
    output = workspace / "out" / "p.jsonl"
    result = subprocess.run([sys.executable, "-m", "extract", "run", "articles", "--records", "countries",
                             "-o", str(output), "--jobs", "1", "-q"], cwd=workspace, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert len(list((workspace / "out" / ".extract-cache").rglob("*.json.z"))) == 3
    cleared = subprocess.run([sys.executable, "-m", "extract", "cache", "clear", "-o", str(output)],
                             capture_output=True, text=True, check=False)
    assert cleared.returncode == 0 and "3 cached analyses removed" in cleared.stderr
    assert not (workspace / "out" / ".extract-cache").exists()


def test_since_leaves_out_older_articles_and_keeps_undated_ones(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "recent.md").write_text(RECENT, encoding="utf-8")
    (folder / "old.md").write_text(OLD, encoding="utf-8")
    (folder / "undated.txt").write_text("Kazakhstan requires exchanges to register with the AFSA.\n",
                                        encoding="utf-8")
    report = run([folder], CORPUS / "countries", tmp_path / "p.jsonl", mentions_out=tmp_path / "m.jsonl",
                 since="2026-01-01")
    assert (report.articles, report.before_since) == (2, 1)
    articles = {json.loads(line)["article"] for line in (tmp_path / "m.jsonl").read_text().splitlines()}
    assert articles == {"recent.md", "undated.txt"}
    result = subprocess.run([sys.executable, "-m", "extract", "mentions", str(folder),
                             "--since", "2026-01-01", "--jobs", "1"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert {json.loads(line)["article"] for line in result.stdout.splitlines()} == articles
    bad = subprocess.run([sys.executable, "-m", "extract", "run", str(folder), "--since", "May 2026"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "use YYYY-MM-DD" in bad.stderr


def test_jsonl_shards_stream_a_line_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shards = tmp_path / "feed"
    shards.mkdir()
    lines = [json.dumps({"id": f"n{index}", "text": f"Story {index}: Kazakhstan licensed an exchange."})
             for index in range(5)]
    (shards / "part-0001.jsonl").write_text("\ufeff" + "\n".join(lines[:3]) + "\n", encoding="utf-8")
    (shards / "part-0002.jsonl").write_text(lines[3] + "\n\n{not json\n" + lines[4], encoding="utf-8")
    # cp1251 text is still recognised: such a file is read whole
    russian = json.dumps({"id": "ru", "text": "Казахстан выдал лицензию бирже."}, ensure_ascii=False)
    (shards / "part-0003.jsonl").write_bytes(russian.encode("cp1251"))

    import extract.ingest as ingest

    read_whole = []
    original = ingest._read_bytes

    def spy(path: Path) -> bytes:
        read_whole.append(path.name)
        return original(path)

    monkeypatch.setattr(ingest, "_read_bytes", spy)
    items = list(iter_articles([shards]))
    articles = [item.id for item in items if isinstance(item, Article)]
    assert articles == ["n0", "n1", "n2", "n3", "n4", "ru"]
    skipped = [str(item) for item in items if isinstance(item, Skipped)]
    assert len(skipped) == 1 and skipped[0].startswith(f"{shards / 'part-0002.jsonl'}:3: not valid JSON")
    assert read_whole == ["part-0003.jsonl"]


def test_mentions_with_two_jobs_writes_what_one_job_writes(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from benchkit import load_seed_texts, make_articles

    folder = tmp_path / "articles"
    folder.mkdir()
    for index, text in enumerate(make_articles(load_seed_texts(CORPUS / "articles"), 40, seed=3)):
        (folder / f"a{index:03d}.txt").write_text(text, encoding="utf-8")
    for jobs in ("1", "2"):
        output = tmp_path / f"m{jobs}.jsonl"
        result = subprocess.run([sys.executable, "-m", "extract", "mentions", str(folder), "--records",
                                 str(CORPUS / "countries"), "-o", str(output), "--jobs", jobs],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "m1.jsonl").read_bytes() == (tmp_path / "m2.jsonl").read_bytes()
    assert (tmp_path / "m1.jsonl").stat().st_size > 10_000


class _FailsOn:
    """A pipeline stand-in whose analysis raises on one article: what a bug in a rule would do."""

    def __init__(self, pipeline: object, bad: str) -> None:
        self.pipeline, self.bad = pipeline, bad

    def process(self, articles: list[Article]):  # type: ignore[no-untyped-def]
        if any(article.id == self.bad for article in articles):
            raise RecursionError("maximum recursion depth exceeded")
        return self.pipeline.process(articles)  # type: ignore[attr-defined]


def test_an_article_that_breaks_the_analysis_is_reported_and_the_others_go_on(pipeline: object) -> None:
    articles = [item for item in iter_articles([CORPUS / "articles"]) if isinstance(item, Article)]
    results = map_chunk(_FailsOn(pipeline, articles[1].id), articles)  # type: ignore[arg-type]
    assert [type(result).__name__ for result in results] == ["MappedArticle", "MapFailure", "MappedArticle"]
    failure = results[1]
    assert isinstance(failure, MapFailure) and "RecursionError" in failure.error
    assert [result.article for result in results] == [article.id for article in articles]


def test_the_map_settles_the_collector_while_it_runs_and_restores_it_after(
    pipeline: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract import batch

    monkeypatch.setattr(batch, "build_pipeline", lambda records_dir: pipeline)  # the session's pipeline
    articles = [item for item in iter_articles([CORPUS / "articles"]) if isinstance(item, Article)]
    before = gc.get_threshold()
    during = []
    for results in batch.InProcess(CORPUS / "countries", "facts").map([articles[:1], articles[1:]]):
        assert all(isinstance(result, MappedArticle) for result in results)
        during.append((gc.get_freeze_count() > 0, gc.get_threshold()[0]))
    assert during == [(True, batch.YOUNG_OBJECTS_PER_COLLECTION)] * 2
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, 0)
    # a map given up half-way (Ctrl-C, an error in the reduce) restores it too
    unfinished = batch.InProcess(CORPUS / "countries", "facts").map([articles[:1], articles[1:]])
    assert isinstance(unfinished, types.GeneratorType)
    next(unfinished)
    unfinished.close()
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, 0)


def test_the_import_scan_finds_every_extract_import_the_parser_finds() -> None:
    """The fingerprint follows the map's imports with a pattern (parsing took ~0.2 s a run); on every
    module of the package it must find at least what Python's parser finds."""
    import ast

    from extract.cache import PACKAGE, imported_modules

    checked = 0
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        parsed = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                parsed |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                parsed |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        parsed = {name for name in parsed if name == "extract" or name.startswith("extract.")}
        assert parsed <= set(imported_modules(source)), path
        checked += bool(parsed)
    assert checked > 30
    # the forms the package may not use yet
    source = "import os, extract.a as b\nfrom extract.c import (\n    d,  # a note\n    e as f,\n)\n"
    assert imported_modules(source) == ["extract.a", "extract.c", "extract.c.d", "extract.c.e"]


def _new_words_articles(count: int) -> list[Article]:
    """Articles full of word forms no vocabulary has: invented names and figures, in our own sentences."""
    return [
        Article(
            id=f"feed-{i}.txt",
            text=f"Kazakhstan's regulator licensed Qorvex{i} and Ziltran{i} Exchange on 5 May 2025. "
            f"Their founder, Miravel Tuskanov{i}, said the {i + 11}-member team will hold {i + 3} billion "
            f"tenge in capital, as Varnok{i} Markets and Pellucid{i} Pay await approval.",
        )
        for i in range(count)
    ]


def test_a_pipeline_whose_vocabulary_grew_is_replaced_by_a_fresh_one_with_the_same_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long feed would grow spaCy's vocabulary without end; past VOCABULARY_GROWTH_LIMIT new forms the
    analyzer loads a fresh pipeline between chunks, and the analyses do not change. In a map process the
    long-lived objects are frozen out of the collector: the old pipeline must be freed all the same."""
    import weakref

    from extract import mentions
    from extract.batch import settle_collector
    from extract.pipeline import build_pipeline

    articles = _new_words_articles(12)
    unrenewed = build_pipeline(CORPUS / "countries")
    expected = [analysed.model_dump_json() for analysed in unrenewed.analyze(articles, batch_size=3)]
    monkeypatch.setattr(mentions, "VOCABULARY_GROWTH_LIMIT", 20)
    pipeline = build_pipeline(CORPUS / "countries")
    first = weakref.ref(pipeline.nlp)
    restore = settle_collector()
    try:
        analysed = pipeline.analyze(articles, batch_size=3)
        got = [next(analysed).model_dump_json() for _ in range(3)]  # the first chunk
        assert first() is not None  # the next chunk starts with a fresh pipeline
        got += [analysed_article.model_dump_json() for analysed_article in analysed]
        assert first() is None and gc.get_freeze_count() > 0
    finally:
        restore()
    assert got == expected
    grown = len(pipeline.nlp.vocab) - pipeline.analyzer._vocabulary_at_load
    assert 0 < grown < 20 + 3 * 30  # at most the limit and one chunk's new forms
