"""`extract mentions`: the contract's mentions.jsonl on stdout or into a file."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import CORPUS

from extract.models import Mention


def mentions(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "extract", "mentions", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_mentions_of_one_article_follow_the_contract(tmp_path):
    article = CORPUS / "articles" / "kg-bitcoin-reserve-state-mining.txt"
    text = article.read_text(encoding="utf-8")
    result = mentions(str(article), "--records", str(CORPUS / "countries"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    found = [Mention.model_validate_json(line) for line in lines]
    assert list(json.loads(lines[0])) == [
        "article",
        "kind",
        "label",
        "start",
        "end",
        "text",
        "sentence",
        "value",
        "countries",
        "source",
    ]
    for mention in found:
        assert mention.article == "kg-bitcoin-reserve-state-mining.txt"
        assert text[mention.start : mention.end] == mention.text
    [capital] = [m for m in found if m.text == "10 billion soms"]
    assert capital.value.model_dump() == {
        "amount": 10_000_000_000,
        "min": None,
        "max": None,
        "currency": "KGS",
        "per": None,
        "qualifier": "at_least",
    }
    assert (capital.countries, capital.source) == (["KG"], "rule:money")


def test_output_file_and_a_skipped_article(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "good.txt").write_text(
        "Kazakhstan's AFSA licensed two crypto exchanges on 3 March 2025.\n"
    )
    (tmp_path / "a" / "bad.txt").write_bytes(b"\xff\xfe\x00\x00binary\x00")
    result = mentions("a", "-o", "m.jsonl", "--records", str(CORPUS / "countries"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "bad.txt" in result.stderr and "Traceback" not in result.stderr
    found = [Mention.model_validate_json(line) for line in (tmp_path / "m.jsonl").read_text().splitlines()]
    assert {(m.kind, m.text) for m in found} >= {("entity", "AFSA"), ("date", "3 March 2025")}
