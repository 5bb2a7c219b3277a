"""`extract record new CC`: a record in the records' own format that validates and that runs propose into."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from conftest import CORPUS

from extract.batch import run
from extract.cli import cli
from extract.jsonl import read_models
from extract.models import Proposal
from extract.records import read_record, validate_record_bytes
from extract.unrecorded import read_unrecorded, unrecorded_path

UZ_ARTICLE = ("Uzbekistan crypto rules\n\nUzbekistan banned cryptocurrency trading for residents. Exchanges "
              "must hold a minimum capital of $1 million, the regulator said.\n")


def test_a_new_record_has_every_section_and_validates(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["record", "new", "uz", "--records", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "country--uzbekistan.md"
    assert validate_record_bytes(path.read_bytes(), file=path.name) == []
    record = read_record(path)
    assert (record.code, record.name) == ("UZ", "Uzbekistan")
    assert {"UZ", "UZB"} <= set(record.aliases)
    assert record.field("overview.currency").text == "UZS"  # type: ignore[union-attr]
    assert record.field("licensing.required").text == "Unknown"  # type: ignore[union-attr]
    assert [s.slug for s in record.sections] == [
        "overview", "tax", "licensing", "aml_kyc", "defi", "stablecoins", "nfts", "mining", "geopolitics",
        "enforcement", "cbdc", "faq"]
    again = CliRunner().invoke(cli, ["record", "new", "UZ", "--records", str(tmp_path)])
    assert again.exit_code != 0 and "exists already" in again.output


def test_an_unknown_code_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["record", "new", "XX", "--records", str(tmp_path)])
    assert result.exit_code != 0 and "not an ISO 3166-1 alpha-2" in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_next_run_proposes_into_the_new_record(tmp_path: Path) -> None:
    shutil.copytree(CORPUS / "countries", tmp_path / "countries")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "uz.txt").write_text(UZ_ARTICLE, encoding="utf-8")
    output = tmp_path / "out" / "proposals.jsonl"
    run([tmp_path / "articles"], tmp_path / "countries", output)
    assert {fact.country for fact in read_unrecorded(unrecorded_path(output))} == {"UZ"}
    assert not read_models(output, Proposal)
    from extract.newrecord import new_record

    new_record("UZ", tmp_path / "countries", today=date(2026, 1, 1))
    run([tmp_path / "articles"], tmp_path / "countries", output)
    proposals = read_models(output, Proposal)
    assert proposals and {p.record for p in proposals} == {"country--uzbekistan.md"}
    assert read_unrecorded(unrecorded_path(output)) == []  # proposed now, no longer aside
