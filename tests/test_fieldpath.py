"""Field paths and the field vocabulary (extract/fieldpath.py, extract/rules/record_fields.json)."""

from __future__ import annotations

import pytest

from extract.fieldpath import field_rules, field_spec, section_rank, section_spec, slug, split_path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Capital Gains (Personal)", "capital_gains_personal"),
        ("AML / KYC", "aml_kyc"),
        ("Risk Score", "risk_score"),
        ("FATF Status", "fatf_status"),
        ("VAT on Crypto", "vat_on_crypto"),
        ("  Ease of Business  ", "ease_of_business"),
        ("CBDC", "cbdc"),
        ("Is cryptocurrency legal in Kazakhstan?", "is_cryptocurrency_legal_in_kazakhstan"),
        ("What is the AML/KYC regime in Kazakhstan?", "what_is_the_aml_kyc_regime_in_kazakhstan"),
        ("Market Data 📈", "market_data"),
        ("Регулятор", ""),
        ("2024 Reforms", "2024_reforms"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


@pytest.mark.parametrize(
    ("path", "parts"),
    [("licensing.cost", ("licensing", "cost")), ("summary", ("", "summary")),
     ("meta.updated", ("meta", "updated"))],
)
def test_split_path(path: str, parts: tuple[str, str]) -> None:
    assert split_path(path) == parts


def test_every_rule_path_is_made_of_slugs_and_every_enum_has_values() -> None:
    for path, spec in field_rules().fields.items():
        assert ".".join(slug(part) for part in path.split(".")) == path
        assert spec.path == path
        if spec.type in ("enum", "yesno"):
            assert spec.values, path


@pytest.mark.parametrize(
    ("path", "value", "allowed"),
    [
        ("overview.status", "Legal", True),
        ("overview.status", "partially legal", True),
        ("overview.status", "Legall", False),
        ("licensing.ease", "medium", True),
        ("licensing.ease", "very easy", False),
        ("aml_kyc.fatf_status", "fsrb_only", True),
        ("aml_kyc.fatf_status", "grey list", True),
        ("aml_kyc.fatf_status", "grey", False),
        ("licensing.required", "Yes", True),
        ("licensing.required", "maybe", False),
        ("cbdc.status", "research", True),
        ("cbdc.status", "proof-of-concept", True),
        ("geopolitics.internet_freedom", "partly_free", True),
        ("mining.climate", "continental", True),
    ],
)
def test_vocabulary(path: str, value: str, allowed: bool) -> None:
    spec = field_spec(path)
    assert spec is not None
    assert spec.allows(value) is allowed


def test_unknown_paths_have_no_spec() -> None:
    assert field_spec("sanctions.eu_exposure") is None


def test_how_fields_are_written() -> None:
    specs = [field_spec(path) for path in ("licensing.cost", "stablecoins.status", "cbdc.status",
                                           "licensing.note", "summary", "meta.updated")]
    assert [spec.kind if spec else None for spec in specs] == ["row", "status", "heading", "note", "summary",
                                                              "meta"]


def test_sections_in_the_usual_order_with_their_titles() -> None:
    titles = [spec.title for spec in field_rules().sections]
    assert titles == ["Overview", "Tax", "Licensing", "AML / KYC", "DeFi", "Stablecoins", "NFTs", "Mining",
                      "Geopolitics", "Enforcement", "CBDC", "FAQ"]
    assert section_rank("aml_kyc") == 3
    assert section_rank("sanctions") is None
    assert section_spec("tax").header == ("Type", "Rate")
    assert section_spec("market_data").title == "Market Data"
