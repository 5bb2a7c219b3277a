"""Proposals written by hand for the two shipped records, with evidence quoted from the real articles.

Shared by the review and merge tests until they can use `extract run`'s own output. Offsets are
computed from the article text, so each quote is `text[start:end]` of its article.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from extract.ingest import read_article
from extract.jsonl import write_models
from extract.models import Evidence, Op, Proposal
from extract.propose import proposal_id

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
KG = "country--kyrgyzstan.md"
KZ = "country--kazakhstan.md"
MINING = "kg-bitcoin-reserve-state-mining.txt"
AMENDMENTS = "kg-virtual-assets-amendments.txt"
KZ_STATUS = "kz-regulatory-status.txt"
# The seed articles came without urls; two get one here, as if their feed had given it.
URLS = {MINING: "https://news.example/kyrgyzstan-bitcoin-reserve-state-mining",
        AMENDMENTS: "https://news.example/kyrgyzstan-virtual-assets-amendments"}

CAPITAL = ("Sydykov stated that starting January 1, 2026, any crypto trade looking for to function "
           "domestically should maintain not less than 10 billion soms in licensed capital")
LEGAL = ("Crypto trading is fully legal and regulated nationwide as of 2026, expanding beyond prior AIFC "
         "restrictions.")
FRAMEWORK = "Law on Virtual Assets (2022)"

# (country, record, field, op, old value, new value, article, quote, highlighted value, confidence)
CASES: list[tuple[str, str, str, Op, str | None, str, str, str, str, float]] = [
    ("KG", KG, "licensing.cost", "set", "$5,000 - $20,000",
     "$5,000 - $20,000; exchanges: minimum authorised capital KGS 10,000,000,000 from 2026-01-01",
     MINING, CAPITAL, "10 billion soms", 0.82),
    ("KG", KG, "stablecoins.note", "append",
     "Stablecoins are regulated under the Law on Virtual Assets with specific compliance requirements.",
     "Only asset-backed stablecoins may be issued domestically.",
     AMENDMENTS, "Stablecoins sit at the heart of the revised Kyrgyzstan crypto rules, with the government "
     "mandating that only asset-backed coins may be issued domestically.",
     "only asset-backed coins may be issued domestically", 0.74),
    ("KG", KG, "licensing.framework", "confirm", FRAMEWORK, FRAMEWORK,
     AMENDMENTS, "President Sadyr Zhaparov has signed amendments to the national law “On Virtual Assets,”",
     "“On Virtual Assets,”", 0.9),
    ("KG", KG, "licensing.minimum_capital", "add", None, "KGS 10,000,000,000 (from 2026-01-01)",
     MINING, CAPITAL, "10 billion soms", 0.64),
    ("KZ", KZ, "licensing.note", "append",
     "Licensing is managed by AFSA under the AIFC framework with a structured process for digital asset "
     "service providers.",
     "The National Bank of Kazakhstan (NBK) licenses and supervises crypto exchanges nationwide.",
     KZ_STATUS, "National Bank of Kazakhstan (NBK): Primary regulator for crypto exchanges, digital "
     "platforms, and unsecured digital assets nationwide", "National Bank of Kazakhstan (NBK)", 0.7),
    ("KZ", KZ, "overview.status", "confirm", "Legal", "Legal",
     KZ_STATUS, LEGAL, "fully legal", 0.95),
    ("KZ", KZ, "mining.renewable_energy", "set", "12%", "15%",
     KZ_STATUS, LEGAL, "2026", 0.31),
]


def evidence(articles: Path, article_id: str, quote: str, value: str) -> Evidence:
    article = read_article(articles / article_id, root=articles)
    start = article.text.index(quote)
    at = start + quote.index(value)
    return Evidence(article=article.id, start=start, end=start + len(quote), quote=quote,
                    highlight=(at, at + len(value)), published=article.published, url=URLS.get(article.id),
                    title=article.title)


def make_proposals(articles: Path = CORPUS / "articles") -> list[Proposal]:
    """One proposal per CASES row, all pending, sorted as `extract run` sorts them (country, field)."""
    proposals = [
        Proposal(id=proposal_id(country, field, op, new), country=country, record=record, field=field, op=op,
                 old_value=old, new_value=new, evidence=[evidence(articles, article, quote, value)],
                 extractor="rule:handmade", confidence=confidence)
        for country, record, field, op, old, new, article, quote, value, confidence in CASES
    ]
    return sorted(proposals, key=lambda p: (p.country, p.field, p.id))


# What a careful reviewer approves: everything but the low-confidence renewable-energy guess.
APPROVED = ("KG licensing.cost", "KG stablecoins.note", "KG licensing.framework",
            "KG licensing.minimum_capital", "KZ licensing.note", "KZ overview.status")


def approved(*names: str) -> list[Proposal]:
    """The proposals with those fields approved, each given as "KG licensing.cost"; the rest pending."""
    wanted = {tuple(name.split(" ")) for name in names}
    return [p.model_copy(update={"status": "approved"}) if (p.country, p.field) in wanted else p
            for p in make_proposals()]


def copy_corpus(tmp_path: Path) -> Path:
    """A writable copy of corpus/ under tmp_path; returns the copy's folder."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return corpus


def write_review_file(path: Path, proposals: list[Proposal] | None = None) -> Path:
    write_models(path, make_proposals() if proposals is None else proposals)
    return path


def by_field(proposals: list[Proposal], country: str, field: str) -> Proposal:
    return next(p for p in proposals if p.country == country and p.field == field)
