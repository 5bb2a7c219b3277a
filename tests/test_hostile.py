"""Hostile inputs, one test per class of issue 11: each gets one line naming the file (and line) and
what to do, the right exit code, the batch goes on where it can, and nothing is written from an input
with errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from proposal_fixtures import APPROVED, MINING, approved, copy_corpus, write_review_file

from extract.ingest import MAX_ARTICLE_CHARS
from extract.mentions import paragraph_spans

REPO = Path(__file__).resolve().parent.parent


def extract(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extract", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", check=False)


def snapshot(root: Path) -> dict[str, bytes]:
    files = sorted(path for path in root.rglob("*") if path.is_file())
    return {str(path.relative_to(root)): path.read_bytes() for path in files}


def test_merge_and_dry_run_write_nothing_when_the_review_file_has_errors(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    review = write_review_file(tmp_path / "proposals.jsonl", approved(*APPROVED))
    (corpus / "articles" / MINING).unlink()  # evidence of two approved proposals
    before = snapshot(tmp_path)
    for dry in ([], ["--dry-run"]):
        result = extract("merge", review, "--records", corpus / "countries", *dry)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert f"evidence 1 ({MINING}): article not found in " in result.stderr
        assert result.stderr.splitlines()[-1].startswith(f"nothing merged: fix the 2 problem(s) in {review}")
        assert snapshot(tmp_path) == before  # no record, review file or ledger written


def test_merge_into_a_malformed_record_names_the_record(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    review = write_review_file(tmp_path / "proposals.jsonl", approved(*APPROVED))
    record = corpus / "countries" / "country--kyrgyzstan.md"
    record.write_text("no front matter here\n", encoding="utf-8")
    result = extract("merge", review, "--records", corpus / "countries", "--dry-run")
    assert result.returncode == 1
    assert f"record {record}:1: no front matter — " in result.stderr


def test_a_review_file_that_is_not_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    review = write_review_file(tmp_path / "proposals.jsonl", approved(*APPROVED))
    review.write_bytes(review.read_bytes() + b'{"id": "p-\xff"}\n')
    before = review.read_bytes()
    for command in (["review", "--list"], ["merge", "--dry-run", "--records", REPO / "corpus" / "countries"]):
        result = extract(*command[:1], review, *command[1:])
        assert result.returncode == 2
        assert result.stderr == (f"error: {review}:8: not UTF-8 (byte 0xff at column 11) — save the file as "
                                 "UTF-8\n")
    assert review.read_bytes() == before


def test_a_dangling_link_in_the_records_folder_is_reported(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    link = corpus / "countries" / "country--atlantis.md"
    link.symlink_to(tmp_path / "gone.md")
    result = extract("validate", corpus / "countries")
    assert result.returncode == 1
    assert result.stdout == (f"{link}:1: a symbolic link to {tmp_path / 'gone.md'}, which does not exist — "
                             "remove the link, or restore the file it points to\n")


def test_an_impossible_front_matter_date_is_one_line(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    record = corpus / "countries" / "country--kyrgyzstan.md"
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith("updated:"))
    lines[number - 1] = "updated: 2025-02-30\n"
    record.write_text("".join(lines), encoding="utf-8")
    result = extract("validate", corpus / "countries")
    assert result.returncode == 1
    assert result.stdout == (f"{record}:{number}: invalid value in the front matter (day is out of range for "
                             "month) — write a real date as YYYY-MM-DD, or quote the value\n")


def test_run_skips_each_bad_article_with_one_line_and_writes_the_others(tmp_path: Path) -> None:
    """An article beyond the size limit, a lone surrogate in a JSONL line and an impossible front-matter
    date are skipped, one warning each; the good article's proposals and mentions are written."""
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(REPO / "corpus" / "articles" / MINING, articles / MINING)
    (articles / "huge.txt").write_text("Kyrgyzstan licensed an exchange. " * (MAX_ARTICLE_CHARS // 33 + 1),
                                       encoding="utf-8")
    (articles / "feed.jsonl").write_text('{"text": "The regulator said \\ud800 so."}\n', encoding="utf-8")
    (articles / "dated.md").write_text("---\npublished: 2025-02-30\n---\nKazakhstan licensed an exchange.\n",
                                       encoding="utf-8")
    out, mentions = tmp_path / "out" / "proposals.jsonl", tmp_path / "out" / "mentions.jsonl"
    result = extract("run", articles, "--records", REPO / "corpus" / "countries", "-o", out,
                     "--mentions", mentions, "-q")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"warning: skipped {articles / 'dated.md'}:2: front matter value is not valid (day is out of range "
        "for month) — write a real date as YYYY-MM-DD, or quote the value",
        f"warning: skipped {articles / 'feed.jsonl'}:1: a lone surrogate (\\ud800) in a string, not valid "
        "Unicode — remove the \\ud800 escape or pair it",
        f"warning: skipped {articles / 'huge.txt'}: {MAX_ARTICLE_CHARS + 33 - MAX_ARTICLE_CHARS % 33:,} "
        f"characters, more than the {MAX_ARTICLE_CHARS:,} an article may have — split it into several "
        "articles",
    ]
    found = [json.loads(line) for line in mentions.read_text(encoding="utf-8").splitlines()]
    assert found and {mention["article"] for mention in found} == {MINING}
    assert out.read_text(encoding="utf-8").strip()


def test_run_on_a_folder_without_articles_writes_nothing(tmp_path: Path) -> None:
    review = write_review_file(tmp_path / "proposals.jsonl", approved(*APPROVED))
    before = review.read_bytes()
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.docx").write_bytes(b"PK")
    records = REPO / "corpus" / "countries"
    result = extract("run", tmp_path / "empty", "--records", records, "-o", review, "-q")
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {tmp_path / 'empty'}: no articles found — ")
    assert review.read_bytes() == before


def test_a_line_longer_than_the_model_takes_is_cut_on_sentence_ends_and_offsets_hold() -> None:
    text = "Kazakhstan licensed an exchange. The fee is 5 million tenge! " * 200 + "x" * 700 + " tail"
    spans = paragraph_spans(text, 500)
    assert all(0 < end - start <= 500 for start, end in spans)
    assert "".join(text[start:end] for start, end in spans).replace(" ", "") == text.replace(" ", "")
    assert all(text[start:end].rstrip().endswith((".", "!")) for start, end in spans[:-3])


def test_an_article_beyond_the_models_limit_is_analysed_in_pieces() -> None:
    from extract.models import Article
    from extract.pipeline import build_pipeline

    pipeline = build_pipeline(REPO / "corpus" / "countries")
    pipeline.nlp.max_length = 2_000  # as a 5 MB line is to the real limit, without the wait
    text = " ".join(["Kazakhstan's regulator fined an exchange 5 million tenge in March 2025."] * 300)
    mentions = next(iter(pipeline.mentions([Article(id="one-line.txt", text=text)])))[1]
    assert len({m.start for m in mentions if m.kind == "money"}) == 300
    assert all(text[m.start:m.end] == m.text for m in mentions)
