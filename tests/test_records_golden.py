"""Golden diffs of each record edit on each seed record: exactly the expected lines change.

The unified diff of before/after must equal tests/golden/records/<record>--<edit>.diff. After a
deliberate change, rewrite the goldens with `UPDATE_GOLDEN=1 pytest tests/test_records_golden.py`
and read every changed .diff by eye before committing it.
"""

from __future__ import annotations

import datetime
import difflib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from extract.records import (
    CountryRecord,
    add_field,
    add_source,
    append_to_field,
    mark_reviewed,
    read_record,
    render_record,
    set_field,
)

ROOT = Path(__file__).parent
COUNTRIES = ROOT.parent / "corpus" / "countries"
GOLDEN = ROOT / "golden" / "records"

Edit = Callable[[CountryRecord], CountryRecord]

# Edits that make sense on any record: (name, edit).
COMMON: list[tuple[str, Edit]] = [
    ("set-licensing-cost", lambda record: set_field(record, "licensing.cost", "$10,000 - $30,000")),
    ("set-stablecoins-status", lambda record: set_field(record, "stablecoins.status", "restricted")),
    ("set-cbdc-status", lambda record: set_field(record, "cbdc.status", "pilot")),
    ("set-summary", lambda record: set_field(
        record, "summary", f"{record.name} regulates crypto under a licensing regime; see below.")),
    ("append-licensing-note", lambda record: append_to_field(
        record, "licensing.note", "From 2026-01-01 exchanges need a minimum authorised capital.")),
    ("append-enforcement-note", lambda record: append_to_field(
        record, "enforcement.note", "In 2025 the regulator fined two unlicensed exchanges.")),
    ("append-licensing-regulator", lambda record: append_to_field(
        record, "licensing.regulator", "[[entity--mof|Ministry of Finance]]")),
    ("add-aml-kyc-reporting-threshold", lambda record: add_field(
        record, "aml_kyc.reporting_threshold", "$1,000 per transfer (travel rule)")),
    ("add-cbdc-name-new-table", lambda record: add_field(
        record, "cbdc.name", f"Digital {record.name} currency | pilot phase")),
    ("add-sanctions-section", lambda record: add_field(
        record, "sanctions.eu_exposure", "Named in the EU 19th sanctions package", label="EU Exposure")),
    ("add-source-twice", lambda record: add_source(
        add_source(record, "https://example.org/news/1", name="Example News"), "https://example.org/news/1/")),
    ("mark-reviewed", lambda record: mark_reviewed(record, datetime.date(2026, 7, 1))),
]

BY_RECORD: dict[str, list[tuple[str, Edit]]] = {
    "kyrgyzstan": [
        # KG has a Tax table without this row, and no FAQ section.
        ("add-tax-capital-gains-personal", lambda record: add_field(
            record, "tax.capital_gains_personal", "10% personal income tax on crypto gains")),
        ("add-faq-section", lambda record: add_field(
            record, "faq.is_crypto_mining_legal_in_kyrgyzstan", "Yes, with a licence from the regulator.",
            label="Is crypto mining legal in Kyrgyzstan?")),
    ],
    "kazakhstan": [
        ("add-tax-staking-income", lambda record: add_field(
            record, "tax.staking_income", "Taxed as ordinary income")),
        ("add-faq-question", lambda record: add_field(
            record, "faq.is_crypto_mining_legal_in_kazakhstan", "Yes, for licensed miners.",
            label="Is crypto mining legal in Kazakhstan?")),
        ("set-faq-answer", lambda record: set_field(
            record, "faq.are_vasps_licensed_in_kazakhstan", "Yes, AFSA licenses VASPs in the AIFC.")),
    ],
}

CASES = [(name, edit_name, edit) for name in BY_RECORD for edit_name, edit in COMMON + BY_RECORD[name]]


def unified_diff(before: str, after: str, file: str) -> str:
    """`diff -u`-style text, with git's marker for a last line that has no newline."""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 f"a/{file}", f"b/{file}")
    return "".join(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n"
                   for line in lines)


@pytest.mark.parametrize(("name", "edit_name", "edit"), CASES, ids=[f"{n}--{e}" for n, e, _ in CASES])
def test_edit_diff_matches_golden(name: str, edit_name: str, edit: Edit) -> None:
    record = read_record(COUNTRIES / f"country--{name}.md")
    diff = unified_diff(render_record(record), render_record(edit(record)), record.file)
    golden = GOLDEN / f"{name}--{edit_name}.diff"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(diff, encoding="utf-8")
    assert golden.exists(), f"missing {golden}: run with UPDATE_GOLDEN=1 and read the diff"
    assert diff == golden.read_text(encoding="utf-8")
    assert diff, "an edit must change the record"


def test_goldens_have_no_strays() -> None:
    expected = {f"{name}--{edit_name}.diff" for name, edit_name, _ in CASES}
    assert {path.name for path in GOLDEN.glob("*.diff")} == expected
