"""Country records: lossless parse/render and minimal edits (extract/records)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from extract.errors import InputError
from extract.records import (
    CountryRecord,
    UnknownFieldError,
    add_field,
    add_source,
    append_to_field,
    load_records,
    mark_reviewed,
    parse_record,
    read_record,
    render_record,
    set_field,
)

COUNTRIES = Path(__file__).parent.parent / "corpus" / "countries"
SEEDS = sorted(COUNTRIES.glob("*.md"))
VALID = sorted((Path(__file__).parent / "data" / "records" / "valid").glob("*.md"))


def _seed(name: str) -> CountryRecord:
    return read_record(COUNTRIES / f"country--{name}.md")


def _changed_lines(before: CountryRecord, after: CountryRecord) -> list[tuple[str, str]]:
    """Pairs of (old, new) lines that differ, when no line was added or removed."""
    assert len(before.lines) == len(after.lines)
    return [(old, new) for old, new in zip(before.lines, after.lines, strict=True) if old != new]


# --- round trip -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SEEDS + VALID, ids=lambda path: path.name)
def test_records_round_trip_byte_for_byte(path: Path) -> None:
    data = path.read_bytes()
    record = read_record(path)
    assert render_record(record).encode("utf-8") == data


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.name)
@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda text: text.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda text: "\ufeff" + text, id="bom"),
        pytest.param(lambda text: text + "\n", id="final-newline"),
        pytest.param(lambda text: text.replace("| Status |", "|Status   |").replace("## ", "##   "),
                     id="spacing"),
        pytest.param(lambda text: text.replace("\n", "\r\n", 20), id="mixed-endings"),
    ],
)
def test_variants_of_the_seeds_round_trip(path: Path, variant) -> None:  # type: ignore[no-untyped-def]
    text = variant(path.read_text(encoding="utf-8"))
    record = parse_record(text, file=path.name)
    assert render_record(record) == text
    assert record.field("overview.status") is not None
    assert record.field("overview.status").text == "Legal"  # type: ignore[union-attr]


# --- what the parser reads --------------------------------------------------------------------


def test_kyrgyzstan_fields() -> None:
    record = _seed("kyrgyzstan")
    assert (record.code, record.name, record.aliases) == ("KG", "Kyrgyzstan", ["KG", "KGZ", "Кыргызстан"])
    expected = {
        "overview.risk_score": ("Risk Score", "row", "30/100 (Moderate Risk)", 25),
        "overview.region": ("Region", "row", "[[domain--central-asia|central asia]]", 27),
        "tax.vat_on_crypto": ("VAT on Crypto", "row", "No", 34),
        "licensing.cost": ("Cost", "row", "$5,000 - $20,000", 44),
        "licensing.note": ("note", "note", "Licensing is required under the Law on Virtual Assets (2022) "
                           "for crypto service providers.", 47),
        "aml_kyc.fatf_status": ("FATF Status", "row", "fsrb_only", 56),
        "stablecoins.status": ("Status", "status", "regulated", 66),
        "enforcement.note": ("note", "note", "No detailed enforcement information available", 99),
        "cbdc.status": ("Status", "heading", "research", 101),
        "meta.updated": ("updated", "meta", "2026-04-02", 8),
        "meta.created": ("created", "meta", "2026-04-13", 7),
        "meta.last_reviewed": ("Last reviewed", "meta", "2026-04-13", 105),
        "meta.source_links": ("Sources", "meta", "- [https://www.nbkr.kg](https://www.nbkr.kg)", 108),
    }
    for path, (label, kind, text, line) in expected.items():
        found = record.field(path)
        assert found is not None, path
        assert (found.label, found.kind, found.text, found.line) == (label, kind, text, line), path
    assert record.field("summary").text.startswith("Kyrgyzstan has a legal framework")  # type: ignore[union-attr]
    assert record.field("tax.capital_gains_personal") is None
    assert ("domain--central-asia", "central asia") in record.links
    assert ("entity--nbkr", "NBKR") in record.links
    assert [section.slug for section in record.sections] == [
        "overview", "tax", "licensing", "aml_kyc", "defi", "stablecoins", "nfts", "mining", "geopolitics",
        "enforcement", "cbdc"]


def test_kazakhstan_fields() -> None:
    record = _seed("kazakhstan")
    assert (record.code, record.name) == ("KZ", "Kazakhstan")
    assert record.field("tax.capital_gains_personal").text == "10% individual income tax on crypto gains"  # type: ignore[union-attr]
    assert record.field("tax.mining_tax").text.endswith("upon asset allocation from pool.")  # type: ignore[union-attr]
    assert record.field("licensing.regulator").text == "[[entity--afsa|AFSA]] / NBK"  # type: ignore[union-attr]
    question = record.field("faq.what_is_the_fatf_status_of_kazakhstan")
    assert question is not None
    assert (question.label, question.kind, question.text) == (
        "What is the FATF status of Kazakhstan?", "faq", "Kazakhstan is classified by FATF as: fsrb_only.")
    assert record.field("cbdc.status").text == "launched"  # type: ignore[union-attr]


def test_every_field_text_is_found_at_its_line_and_column() -> None:
    for path in SEEDS:
        record = read_record(path)
        for found in record.fields.values():
            if found.kind in ("row", "status", "heading") or (found.kind == "meta" and found.column):
                line = record.lines[found.line - 1]
                assert line[found.column : found.column + len(found.text)] == found.text, found.path


def test_a_note_over_several_paragraphs_and_a_second_run_of_prose() -> None:
    text = _seed("kyrgyzstan").lines
    body = "".join(text).replace(
        "## Enforcement\n\nNo detailed enforcement information available\n",
        "## Enforcement\n\nFirst paragraph.\nStill the first.\n\nSecond paragraph.\n\n| Field | Value |\n"
        "|-------|-------|\n| Fines | KGS 1,000,000 |\n\nProse after the table.\n")
    record = parse_record(body, file="x.md")
    assert record.field("enforcement.note").text == "First paragraph.\nStill the first.\n\nSecond paragraph."  # type: ignore[union-attr]
    assert record.field("enforcement.note_2").text == "Prose after the table."  # type: ignore[union-attr]
    assert record.field("enforcement.fines").text == "KGS 1,000,000"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: text.replace("| Ease | medium |", "| Ease | medium | extra |"),
         "x.md:43: table row has 3 cells, the header has 2"),
        (lambda text: text.replace("| Ease | medium |", "| Ease | medium |\n| Ease | hard |"),
         "x.md:44: field licensing.ease given twice (first on line 43)"),
        (lambda text: text.replace("aliases: [", "aliases: [[", 1),
         "x.md:7: invalid YAML in the front matter: expected ',' or ']', but got '<scalar>' "
         "(while parsing a flow sequence that starts on line 6)"),
        (lambda text: text[4:], "x.md:1: no front matter"),
    ],
)
def test_parse_errors_name_file_and_line(change, message: str) -> None:  # type: ignore[no-untyped-def]
    text = change((COUNTRIES / "country--kyrgyzstan.md").read_text(encoding="utf-8"))
    with pytest.raises(InputError) as caught:
        parse_record(text, file="x.md")
    assert str(caught.value).startswith(message)
    assert " — " in str(caught.value)


def test_read_record_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "country--chile.md"
    path.write_bytes((COUNTRIES / "country--kyrgyzstan.md").read_bytes().replace(b"mining.", b"miner\xeda."))
    with pytest.raises(InputError, match=r"country--chile.md:18: not UTF-8"):
        read_record(path)


def test_load_records_by_code(tmp_path: Path) -> None:
    assert set(load_records(COUNTRIES)) == {"KG", "KZ"}
    with pytest.raises(InputError, match="no such directory"):
        load_records(tmp_path / "missing")
    for path in SEEDS:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "country--kyrgyzstan-copy.md").write_bytes(SEEDS[1].read_bytes())
    with pytest.raises(InputError, match="country code KG is also the code of"):
        load_records(tmp_path)


# --- edits ------------------------------------------------------------------------------------


def test_set_field_changes_one_line_and_keeps_crlf_and_no_final_newline() -> None:
    text = (COUNTRIES / "country--kazakhstan.md").read_text(encoding="utf-8").replace("\n", "\r\n")
    record = parse_record(text, file="country--kazakhstan.md")
    edited = set_field(record, "licensing.timeline", "4-8 months")
    assert _changed_lines(record, edited) == [
        ("| Timeline | 3-6 months |\r\n", "| Timeline | 4-8 months |\r\n")]
    assert not render_record(edited).endswith("\n")
    sourced = add_source(edited, "https://www.gov.kz/x")
    assert render_record(sourced).count("\n") == render_record(sourced).count("\r\n")
    assert not render_record(sourced).endswith("\n")


def test_set_field_escapes_a_pipe_outside_wiki_links() -> None:
    record = set_field(_seed("kyrgyzstan"), "licensing.regulator", "[[entity--nbkr|NBKR]] | Ministry")
    assert record.field("licensing.regulator").text == "[[entity--nbkr|NBKR]] \\| Ministry"  # type: ignore[union-attr]


def test_an_edit_on_an_unknown_path_says_so() -> None:
    with pytest.raises(UnknownFieldError, match=r"country--kyrgyzstan\.md: the record has no field tax\."):
        set_field(_seed("kyrgyzstan"), "tax.capital_gains_personal", "10%")
    with pytest.raises(UnknownFieldError):
        append_to_field(_seed("kyrgyzstan"), "licensing.nonsense", "x")


def test_add_field_refuses_a_field_the_record_has_and_a_label_that_does_not_fit() -> None:
    with pytest.raises(InputError, match=r"already has licensing\.cost"):
        add_field(_seed("kyrgyzstan"), "licensing.cost", "$1")
    with pytest.raises(InputError, match=r"label 'Fee' gives the path licensing\.fee, not"):
        add_field(_seed("kyrgyzstan"), "licensing.cost_total", "$1", label="Fee")
    for path in ("cost", "Licensing.Cost", "licensing.total cost"):
        with pytest.raises(InputError, match="is not a field path"):
            add_field(_seed("kyrgyzstan"), path, "$1")


def test_values_that_would_change_the_structure_are_refused() -> None:
    with pytest.raises(InputError, match="on one line"):
        set_field(_seed("kyrgyzstan"), "licensing.cost", "$1\n$2")
    with pytest.raises(InputError, match="read it otherwise"):
        set_field(_seed("kyrgyzstan"), "licensing.note", "## Not a note")


def test_append_is_idempotent_and_joins_list_items() -> None:
    record = _seed("kazakhstan")
    once = append_to_field(record, "licensing.timeline", "up to 9 months for custody")
    assert once.field("licensing.timeline").text == "3-6 months; up to 9 months for custody"  # type: ignore[union-attr]
    assert append_to_field(once, "licensing.timeline", "up to 9 months for custody") == once


def test_a_missing_section_goes_in_the_usual_order() -> None:
    text = "".join(_seed("kyrgyzstan").lines)
    without = text.replace("## Stablecoins\n\n**Status:** regulated\n\nStablecoins are regulated under the "
                           "Law on Virtual Assets with specific compliance requirements.\n\n", "")
    record = parse_record(without, file="x.md")
    edited = add_field(record, "stablecoins.status", "restricted")
    assert [section.slug for section in edited.sections][4:7] == ["defi", "stablecoins", "nfts"]
    assert "## Stablecoins\n\n**Status:** restricted\n\n## NFTs" in render_record(edited)


def test_add_a_note_to_a_section_without_prose_and_a_status_line() -> None:
    record = _seed("kyrgyzstan")
    edited = add_field(record, "nfts.note", "NFT platforms fall under the virtual assets law.")
    assert "**Status:** unregulated\n\nNFT platforms fall under the virtual assets law.\n\n## Mining" in (
        render_record(edited))
    with_status = add_field(record, "overview.note", "A note under the table.")
    assert with_status.field("overview.note").line == 30  # type: ignore[union-attr]


def test_add_a_field_to_a_record_without_footer_or_final_newline() -> None:
    text = "".join(_seed("kyrgyzstan").lines)
    cut = text[: text.index("\n\n---\n")]
    record = parse_record(cut, file="x.md")
    edited = add_field(record, "faq.is_mining_legal", "Yes.", label="Is mining legal?")
    assert render_record(edited) == cut + "\n\n## FAQ\n\n### Is mining legal?\n\nYes."
    assert add_source(record, "https://kabar.kg/a").lines[-1] == record.lines[-1]


def test_front_matter_edits_keep_every_other_line_byte_for_byte() -> None:
    record = _seed("kazakhstan")
    close = record.lines.index("---\n", 1)
    sourced = add_source(record, "https://kapital.kz/a", name="Kapital.kz")
    edited = mark_reviewed(sourced, datetime.date(2026, 7, 1))
    new_close = edited.lines.index("---\n", 1)
    old_front, new_front = record.lines[: close + 1], edited.lines[: new_close + 1]
    assert [line for line in new_front if line not in old_front] == [
        "updated: 2026-07-01\n", '  - name: "Kapital.kz"\n', '    url: "https://kapital.kz/a"\n',
        '    type: "news"\n']
    assert [line for line in old_front if line not in new_front] == ["updated: 2026-04-02\n"]
    assert new_front[: 7] == old_front[: 7]


def test_front_matter_quoting_and_a_missing_updated_key() -> None:
    text = "".join(_seed("kyrgyzstan").lines).replace("updated: 2026-04-02\n", "")
    text = text.replace("created: 2026-04-13", "created: '2026-04-13'  # first import")
    record = parse_record(text, file="x.md")
    edited = mark_reviewed(record, datetime.date(2026, 5, 1))
    assert "created: '2026-04-13'  # first import\nupdated: 2026-05-01\ncompile_into" in render_record(edited)
    resourced = add_source(edited, "https://24.kg/a", type="news")
    assert resourced.field("meta.sources").text.endswith(  # type: ignore[union-attr]
        '  - name: "https://24.kg/a"\n    url: "https://24.kg/a"\n    type: "news"')


def test_add_source_adds_nothing_twice() -> None:
    record = add_source(_seed("kyrgyzstan"), "https://www.nbkr.kg/")
    assert record == _seed("kyrgyzstan")


def test_front_matter_keys_set_and_added() -> None:
    record = _seed("kyrgyzstan")
    aliased = set_field(record, "meta.aliases", '["KG", "KGZ", "Кыргызстан", "Kirghizia"]')
    assert _changed_lines(record, aliased) == [('aliases: ["KG", "KGZ", "Кыргызстан"]\n',
                                                'aliases: ["KG", "KGZ", "Кыргызстан", "Kirghizia"]\n')]
    assert aliased.aliases == ["KG", "KGZ", "Кыргызстан", "Kirghizia"]
    added = add_field(record, "meta.reviewer", "A. Curator")
    assert added.lines[13:15] == ["reviewer: A. Curator\n", "---\n"]
    assert added.lines[:13] == record.lines[:13]
    with pytest.raises(InputError, match="not valid YAML"):
        set_field(record, "meta.tags", '["unclosed"')


# --- front matter: the fast reader agrees with ruamel -------------------------------------------------

FRONT_MATTER_CASES = [
    'aliases: [NO, "NOR", yes, on, "Norge"]\ncreated: 2026-01-01\n',  # YAML 1.2: NO, yes, on stay strings
    "aliases: [NO, 1, true]\n",  # a number and a boolean are not names
    "type: country\n\n# a comment\nsources:\n  - name: a\n    url: b\n",
    "'quoted key': 1\nplain: [a, b]\nnested:\n  inner: {x: 1}\n",
    "",
]


@pytest.mark.parametrize(
    "text", [*FRONT_MATTER_CASES, *(path.read_text(encoding="utf-8") for path in SEEDS + VALID)]
)
def test_fast_front_matter_reads_as_ruamel_does(text: str) -> None:
    """Keys, their lines and the type of each value as ruamel's round-trip loader gives them (the fast
    reader is PyYAML's C parser with ruamel's YAML 1.2 resolution)."""
    from extract.records.frontmatter import _fast_read, _ruamel_key_lines, _yaml

    lines = text.splitlines()
    if lines and lines[0] == "---":
        text = "".join(f"{line}\n" for line in lines[1 : lines.index("---", 1)])
    fast = _fast_read(text)
    assert fast is not None
    ruamel = _yaml().load(text) or {}

    def kinds(value: object) -> object:
        if isinstance(value, list):
            return [kinds(item) for item in value]
        if isinstance(value, dict):
            return {key: kinds(item) for key, item in value.items()}
        return type(value).__mro__[-2].__name__ if isinstance(value, str) else type(value).__name__

    assert kinds(fast[0]) == kinds(dict(ruamel))
    assert fast[1] == (_ruamel_key_lines(ruamel) if ruamel else {})


def test_unquoted_norway_alias_stays_a_name() -> None:
    text = (COUNTRIES / "country--kyrgyzstan.md").read_text(encoding="utf-8")
    text = text.replace('aliases: ["KG", "KGZ", "Кыргызстан"]', "aliases: [NO, NOR]")
    record = parse_record(text, file="x.md")
    assert record.aliases == ["NO", "NOR"]


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("a: 1\na: 2\n", "x.md:3: invalid YAML in the front matter: found duplicate key"),
        ("created: 2025-02-30\n", "x.md:2: invalid value in the front matter"),
        ("- a\n- b\n", "x.md:2: the front matter is not a mapping"),
    ],
)
def test_front_matter_the_fast_reader_doubts_gets_ruamels_message(front: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_record(f"---\n{front}---\n\n# X (XX) — Crypto Regulation\n", file="x.md")
    assert str(caught.value).startswith(message)
