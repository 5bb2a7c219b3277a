"""`extract validate`: one line per problem, run as the user runs it.

Covers extract/records/validate.py and extract/cli/validate.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from extract.records import validate_record_bytes, validate_records

ROOT = Path(__file__).parent.parent
MALFORMED = Path("tests/data/records/malformed")
VALID = Path("tests/data/records/valid")
RULES = "extract/rules/record_fields.json"

# Each malformed record is a valid one with one defect; the line `extract validate` prints for it.
EXPECTED = {
    "no-front-matter": "1: no front matter — start the file with a '---' line, the YAML keys, and a "
                       "closing '---' line",
    "unclosed-front-matter": "1: front matter not closed — add a '---' line after the last YAML key",
    "invalid-yaml": "7: invalid YAML in the front matter: expected ',' or ']', but got '<scalar>' (while "
                    "parsing a flow sequence that starts on line 6) — fix the YAML syntax (quote a value "
                    "that holds ': ' or starts with [, { or *)",
    "front-matter-key-twice": "9: invalid YAML in the front matter: found duplicate key \"updated\" with "
                              "value \"2026-03-20\" (original value: \"2026-03-15\") — remove one of the two "
                              "keys",
    "aliases-not-a-list": "6: front matter `aliases` is not a list of names — write it as a list, e.g. "
                          "aliases: [\"KG\", \"KGZ\", \"Кыргызстан\"]",
    "updated-not-a-date": "8: meta.updated is 'last spring', not a date — write the date as YYYY-MM-DD",
    "row-three-cells": "23: table row has 3 cells, the header has 2 — write one | label | value | per row "
                       "(a '|' inside a value is written \\|)",
    "row-one-cell": "32: table row has 1 cell, the header has 2 — write one | label | value | per row (a "
                    "'|' inside a value is written \\|)",
    "table-without-separator": "30: table has no separator line under its header — add a line like "
                               "|-------|-------| under the header row",
    "field-twice": "34: field licensing.ease given twice (first on line 33) — keep one of the two and "
                   "delete the other",
    "section-twice": "41: section 'Stablecoins' given twice (first on line 37) — merge the two sections "
                     "into one",
    "question-without-answer": "51: question 'Is crypto legal in Portugal?' has no answer — write the "
                               "answer in a paragraph under the question, or delete the question",
    "status-typo": "23: overview.status is 'Legall', not a known value — write one of Legal, Regulated, "
                   "Restricted, Partially Legal, Partially Banned, Banned, Illegal, Prohibited, "
                   "Unregulated, Unclear, Grey Area, Pending, Under Review, Legal Tender (did you mean "
                   f"'Legal'?), or add the value to {RULES}",
    "ease-very-easy": "33: licensing.ease is 'very easy', not a known value — write one of easy, moderate, "
                      "medium, hard, difficult, very hard, very difficult, impossible, not available, N/A, "
                      f"unknown, or add the value to {RULES}",
    "yesno-maybe": "31: licensing.required is 'maybe', not a known value — write one of Yes, No, Partial, "
                   f"Partially, Unknown, N/A, Not Applicable, Varies, Pending, or add the value to {RULES}",
    "stablecoins-status-unknown": "39: stablecoins.status is 'kinda', not a known value — write one of "
                                  "regulated, partially_regulated, unregulated, restricted, banned, "
                                  "prohibited, illegal, legal, allowed, licensed, developing, "
                                  "under_development, pending, unclear, unknown, or add the value to "
                                  f"{RULES}",
    "cbdc-status-unknown": "47: cbdc.status is 'soon', not a known value — write one of none, no_plans, "
                           "research, exploring, proof_of_concept, development, planning, pilot, launched, "
                           "live, paused, inactive, cancelled, canceled, discontinued, or add the value to "
                           f"{RULES}",
    "risk-score-over-100": "24: overview.risk_score is '130/100 (Extreme Risk)', outside 0–100 — write a "
                           "score from 0 to 100, e.g. 30/100",
    "corruption-index-not-a-score": "45: geopolitics.corruption_index is 'high', not a score — write a "
                                    "score from 0 to 100, e.g. 30/100",
    "last-reviewed-not-a-date": "57: meta.last_reviewed is '2026-13-45', not a date — write the date as "
                                "YYYY-MM-DD",
    "not-utf8": "35: not UTF-8 (byte 0xf3) — save the file as UTF-8",
    "no-title": "14: no title line — add one under the front matter, e.g. '#  Kenya (KE) — Crypto "
                "Regulation'",
    "code-not-iso": "15: the title's code (XZ) is not an ISO 3166-1 alpha-2 code — write the country's "
                    "two-letter code, e.g. KE for Kenya",
    "alias-alpha3-mismatch": "6: alias ARM is the code of Armenia, but the title says (GE) — make the "
                             "title and the aliases name one country (Georgia: GE, GEO)",
    "unknown-country-name": "15: the title names 'Narnia', but PT is Portugal — write Portugal (or its "
                            "common name), or the right code",
    "name-of-another-country": "15: the title names 'Tanzania', but KE is Kenya — write Kenya (or its "
                               "common name), or the right code",
}


def _validate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extract", "validate", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", check=False)


def test_every_malformed_record_has_an_expected_line() -> None:
    assert {path.stem for path in (ROOT / MALFORMED).glob("*.md")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_record_gives_its_one_line(name: str) -> None:
    path = MALFORMED / f"{name}.md"
    result = _validate(str(path), "--strict")
    assert result.stdout == f"{path}:{EXPECTED[name]}\n"
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == "1 record, 1 problem\n"


# Without --strict, a value outside record_fields.json is a problem only a typo away from a known one.
LENIENT = {"status-typo": "23: overview.status is 'Legall', close to the known value 'Legal' — did you mean "
                          f"'Legal'? If not, add 'Legall' to {RULES} (or use it in more records)",
           "ease-very-easy": None, "yesno-maybe": None, "stablecoins-status-unknown": None,
           "cbdc-status-unknown": None}


@pytest.mark.parametrize("name", sorted(LENIENT))
def test_without_strict_only_a_near_miss_of_a_known_value_is_a_problem(name: str) -> None:
    path = MALFORMED / f"{name}.md"
    result = _validate(str(path))
    expected = LENIENT[name]
    assert result.stdout == (f"{path}:{expected}\n" if expected else "")
    assert result.returncode == (1 if expected else 0)


def test_a_value_many_records_use_is_vocabulary_and_a_near_miss_of_it_is_flagged(tmp_path: Path) -> None:
    chile = (ROOT / VALID / "country--chile.md").read_text(encoding="utf-8")
    status = next(line for line in chile.splitlines() if line.startswith("| Status |"))
    for code, name in (("AR", "Argentina"), ("PE", "Peru"), ("UY", "Uruguay"), ("BO", "Bolivia")):
        text = chile.replace("Chile (CL)", f"{name} ({code})").replace("Chile", name)
        value = "Not Specifeid" if code == "BO" else "Not Specified"
        (tmp_path / f"country--{name.lower()}.md").write_text(text.replace(status, f"| Status | {value} |"),
                                                              encoding="utf-8")
    def status_problems(strict: bool) -> list[tuple[str, str]]:
        # (The copies keep Chile's aliases, a problem of their own.)
        problems = validate_records(tmp_path, strict=strict)
        return [(Path(problem.file).name, problem.what) for problem in problems
                if problem.what.startswith("overview.status")]

    assert status_problems(strict=False) == [
        ("country--bolivia.md",
         "overview.status is 'Not Specifeid', close to the known value 'Not Specified'")]
    assert len(status_problems(strict=True)) == 4


def test_the_shipped_corpus_has_no_problems() -> None:
    result = _validate()
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "2 records, no problems\n")


def test_valid_records_of_other_countries_have_no_problems() -> None:
    result = _validate(str(VALID))
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.endswith("records, no problems\n")


def test_a_missing_directory_is_a_one_line_error() -> None:
    result = _validate("no/such/records")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == ("error: no such directory: no/such/records — give the folder that holds the "
                             "country records, e.g. corpus/countries\n")


def test_a_folder_lists_problems_by_file_and_line_and_codes_used_twice(tmp_path: Path) -> None:
    for name in ("status-typo", "yesno-maybe"):
        (tmp_path / f"{name}.md").write_bytes((ROOT / MALFORMED / f"{name}.md").read_bytes())
    (tmp_path / "copy-of-chile.md").write_bytes((ROOT / VALID / "country--chile.md").read_bytes())
    problems = validate_records(tmp_path)
    assert [(Path(problem.file).name, problem.line) for problem in problems] == [
        ("status-typo.md", 15), ("status-typo.md", 23), ("yesno-maybe.md", 31)]
    assert problems[0].what == "country code CL is also the code of copy-of-chile.md"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("| Status | Legal |", "| Status | Legal (since 2023) |", []),
        ("| Status | Legal |", "| Status | partially legal |", []),
        ("| Required | Yes |", "| Required | Yes; for exchanges only |", []),
        ("35/100 (Moderate Risk)", "0/100", []),
        ("35/100 (Moderate Risk)", "100", []),
        ("35/100 (Moderate Risk)", "-5/100", ["overview.risk_score is '-5/100', outside 0–100"]),
        ("35/100 (Moderate Risk)", "7/10", ["overview.risk_score is '7/10', not a score out of 100"]),
        ("| Status | Legal |", "| Status |  |", ["overview.status is empty"]),
        ("#  Chile (CL)", "#  chile (cl)", []),
        ("## CBDC Status: pilot", "## CBDC Status: [[entity--cbdc|proof of concept]]", []),
    ],
)
def test_value_checks(old: str, new: str, expected: list[str]) -> None:
    data = (ROOT / VALID / "country--chile.md").read_text(encoding="utf-8").replace(old, new)
    assert [problem.what for problem in validate_record_bytes(data.encode("utf-8"), file="x.md")] == expected


def test_common_country_names_are_accepted() -> None:
    data = (ROOT / VALID / "country--chile.md").read_text(encoding="utf-8")
    for name, code, alpha3 in (("Vietnam", "VN", "VNM"), ("Russia", "RU", "RUS"),
                               ("South Korea", "KR", "KOR"), ("Côte d'Ivoire", "CI", "CIV"),
                               ("Ivory Coast", "CI", "CIV"), ("Turkey", "TR", "TUR")):
        text = data.replace("#  Chile (CL)", f"#  {name} ({code})")
        text = text.replace('"CL", "CHL"', f'"{code}", "{alpha3}"')
        assert validate_record_bytes(text.encode("utf-8"), file="x.md") == [], name


def test_validate_loads_no_heavy_library() -> None:
    # validate must start fast: spaCy, dateparser and trafilatura stay unloaded.
    code = ("import sys\nfrom click.testing import CliRunner\nfrom extract.cli import cli\n"
            "result = CliRunner().invoke(cli, ['validate'])\nassert result.exit_code == 0, result.output\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'dateparser', 'trafilatura'}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert (result.returncode, result.stdout) == (0, "[]\n"), result.stderr
