"""Facts × records → proposals: the operation, ids, grouping, confidence and conflicts."""

from dataclasses import dataclass

import pytest

from extract.models import Evidence, Fact
from extract.propose import ProposalReduce, combined_confidence, decide, proposal_id, propose


@dataclass
class FakeField:
    text: str


@dataclass
class FakeRecord:
    """A record reduced to what propose reads: its file name and field texts."""

    file: str
    texts: dict

    def field(self, path):
        return FakeField(self.texts[path]) if path in self.texts else None


def fact(
    field="licensing.cost",
    value="minimum capital KGS 10,000,000,000",
    mode="append",
    country="KG",
    article="a.txt",
    confidence=0.8,
    start=0,
    url=None,
    kind="enum",
):
    quote = "x" * 20
    return Fact(
        country=country,
        field=field,
        value=value,
        kind=kind,
        mode=mode,
        extractor="rule:test",
        confidence=confidence,
        evidence=Evidence(
            article=article, start=start, end=start + 20, quote=quote, highlight=(start, start + 5), url=url
        ),
    )


@pytest.mark.parametrize(
    ("field", "kind", "value", "mode", "old", "expected"),
    [
        (
            "licensing.cost",
            "amount",
            "minimum capital KGS 10,000,000,000",
            "append",
            "$5,000 - $20,000",
            ("append", "minimum capital KGS 10,000,000,000"),
        ),
        (
            "licensing.cost",
            "amount",
            "Registration fee: $1,500",
            "append",
            "$98,000 + $500-$1,500 registration fee",
            ("confirm", "$98,000 + $500-$1,500 registration fee"),
        ),
        (
            "tax.capital_gains_personal",
            "amount",
            "10% tax on crypto gains",
            "replace",
            None,
            ("add", "10% tax on crypto gains"),
        ),
        (
            "tax.capital_gains_personal",
            "amount",
            "10% tax on crypto gains",
            "replace",
            "10% individual income tax on crypto gains",
            ("confirm", "10% individual income tax on crypto gains"),
        ),
        (
            "tax.capital_gains_personal",
            "amount",
            "15% tax on crypto gains",
            "replace",
            "10% individual income tax",
            ("set", "15% tax on crypto gains"),
        ),
        ("cbdc.status", "enum", "launched", "replace", "launched", ("confirm", "launched")),
        ("cbdc.status", "enum", "pilot", "replace", "research", ("set", "pilot")),
        ("geopolitics.sanctions", "enum", "Partial", "replace", "No", ("set", "Partial")),
        (
            "licensing.regulator",
            "names",
            "NBK / AFSA",
            "append",
            "[[entity--afsa|AFSA]] / NBK",
            ("confirm", "[[entity--afsa|AFSA]] / NBK"),
        ),
        (
            "licensing.regulator",
            "names",
            "NBK / ARDFM",
            "append",
            "[[entity--afsa|AFSA]] / NBK",
            ("set", "[[entity--afsa|AFSA]] / NBK / ARDFM"),
        ),
        (
            "licensing.framework",
            "law",
            "Law on Virtual Assets, as amended",
            "append",
            "Law on Virtual Assets (2022)",
            ("set", "Law on Virtual Assets (2022), as amended"),
        ),
        (
            "licensing.framework",
            "law",
            "Law on Virtual Assets, as amended",
            "append",
            "Law on Virtual Assets (2022), as amended",
            ("confirm", "Law on Virtual Assets (2022), as amended"),
        ),
        (
            "licensing.framework",
            "law",
            "Law on Digital Assets (2023)",
            "append",
            "AIFC Rules on Digital Asset Activities",
            ("append", "Law on Digital Assets (2023)"),
        ),
        # a year in the record is not the law's year: the law name decides
        (
            "licensing.framework",
            "law",
            "Law on Banks and Banking Activities (2026)",
            "append",
            "AIFC Rules (effective January 1, 2024; amended January 1, 2026)",
            ("append", "Law on Banks and Banking Activities (2026)"),
        ),
        (
            "licensing.framework",
            "law",
            "Law on Virtual Assets (2022)",
            "append",
            "Law on Virtual Assets (2022)",
            ("confirm", "Law on Virtual Assets (2022)"),
        ),
        (
            "mining.electricity_cost",
            "amount",
            "$0.023/kWh",
            "replace",
            "$0.023/kWh",
            ("confirm", "$0.023/kWh"),
        ),
        ("mining.electricity_cost", "amount", "$0.05/kWh", "replace", "$0.023/kWh", ("set", "$0.05/kWh")),
        (
            "stablecoins.note",
            "sentence",
            "Only asset-backed coins may be issued.",
            "append",
            "Stablecoins are regulated.",
            ("append", "Only asset-backed coins may be issued."),
        ),
        (
            "stablecoins.note",
            "sentence",
            "Stablecoins are regulated.",
            "append",
            "Stablecoins are regulated. Issuers need a licence.",
            ("confirm", "Stablecoins are regulated. Issuers need a licence."),
        ),
    ],
)
def test_decide(field, kind, value, mode, old, expected):
    assert decide(fact(field=field, value=value, mode=mode, kind=kind), old) == expected


def test_ids_are_stable_and_ignore_spacing_and_case():
    assert proposal_id("KG", "cbdc.status", "set", "Pilot ") == proposal_id(
        "KG", "cbdc.status", "set", "pilot"
    )
    assert proposal_id("KG", "cbdc.status", "set", "pilot") != proposal_id(
        "KZ", "cbdc.status", "set", "pilot"
    )
    assert proposal_id("KG", "cbdc.status", "set", "pilot").startswith("p-")


def test_independent_articles_raise_confidence():
    assert combined_confidence([0.6]) == 0.6
    assert combined_confidence([0.6, 0.6]) == pytest.approx(0.84)
    assert combined_confidence([0.9, 0.9, 0.9]) == 0.99


def test_agreeing_facts_give_one_proposal_with_all_evidence():
    records = {"KG": FakeRecord("country--kyrgyzstan.md", {"cbdc.status": "research"})}
    facts = [
        fact("cbdc.status", "pilot", "replace", article="a.txt", confidence=0.6),
        fact("cbdc.status", "pilot", "replace", article="a.txt", confidence=0.5, start=40),
        fact("cbdc.status", "pilot", "replace", article="b.txt", confidence=0.6),
    ]
    proposals, summary = propose(facts, records)
    assert len(proposals) == 1
    assert [e.article for e in proposals[0].evidence] == ["a.txt", "a.txt", "b.txt"]
    assert proposals[0].confidence == pytest.approx(0.84)  # best per article, combined
    assert (proposals[0].op, proposals[0].old_value) == ("set", "research")
    assert summary.facts == 3


def test_rival_values_name_each_other_and_unrecorded_countries_are_counted():
    records = {"KG": FakeRecord("country--kyrgyzstan.md", {"cbdc.status": "research"})}
    facts = [
        fact("cbdc.status", "pilot", "replace"),
        fact("cbdc.status", "launched", "replace"),
        fact("cbdc.status", "pilot", "replace", country="UZ"),
        fact("cbdc.status", "pilot", "replace", country="RU"),
    ]
    proposals, summary = propose(facts, records)
    assert {p.new_value for p in proposals} == {"pilot", "launched"}
    pilot, launched = sorted(proposals, key=lambda p: p.new_value != "pilot")
    assert pilot.conflicts_with == [launched.id] and launched.conflicts_with == [pilot.id]
    assert summary.unrecorded == {"RU": 1, "UZ": 1}


def test_a_confirm_from_a_source_the_record_cites_is_not_proposed():
    records = {"KG": FakeRecord("country--kyrgyzstan.md", {"cbdc.status": "research"})}
    facts = [fact("cbdc.status", "research", "replace", url="https://www.nbkr.kg")]
    proposals, summary = propose(facts, records, {"KG": {"https://www.nbkr.kg"}})
    assert proposals == [] and summary.unchanged == 1
    proposals, _ = propose(facts, records, {})
    assert [p.op for p in proposals] == ["confirm"]


def test_appends_saying_the_same_from_several_articles_are_one_proposal():
    record = FakeRecord("kg.md", {"licensing.cost": "$5,000 - $20,000"})
    facts = [
        fact(value="Minimum capital KGS 10,000,000,000 from 2026-01-01", kind="amount", article="a.txt"),
        fact(value="Exchanges must hold KGS 10,000,000,000 from 2026-01-01", kind="amount", article="b.txt"),
        fact(value="Minimum capital KGS 20,000,000,000 from 2026-01-01", kind="amount", article="c.txt"),
    ]
    proposals, _ = propose(facts, {"KG": record})
    by_articles = sorted(tuple(e.article for e in p.evidence) for p in proposals)
    # the same figures in other words merge; another figure is another fact
    assert by_articles == [("a.txt", "b.txt"), ("c.txt",)]


def test_proposals_under_the_threshold_are_counted_not_shown():
    record = FakeRecord("kg.md", {"licensing.note": "Licensing is required."})
    facts = [
        fact(field="licensing.note", value="Draft: exchanges to hold KGS 50,000,000,000.", kind="sentence",
             confidence=0.3, article="a.txt"),
        fact(field="licensing.cost", value="Minimum capital KGS 10,000,000,000", kind="amount",
             article="b.txt"),
    ]
    record.texts["licensing.cost"] = "$5,000"
    proposals, summary = propose(facts, {"KG": record}, min_confidence=0.5)
    assert [p.field for p in proposals] == ["licensing.cost"]
    assert (summary.proposals, summary.below_threshold) == (1, 1)


def test_evidence_waits_in_the_reduce_file_and_comes_back_whole():
    records = {"KG": FakeRecord("country--kyrgyzstan.md", {"cbdc.status": "research"})}
    # enough quotes to pass the file's write buffer several times, one said twice
    facts = [
        fact("cbdc.status", "pilot", "replace", article=f"{n:04d}.txt", start=n * 7, url=f"https://e.org/{n}")
        for n in range(600)
    ]
    reduce = ProposalReduce(records)
    for one in [*facts, facts[3]]:
        reduce.add(one)
    proposals, summary = reduce.finish()
    assert summary.facts == 601
    assert proposals[0].evidence == [one.evidence for one in facts]
    assert reduce.evidence.file.closed
