"""Tests for extract.normalize.laws: finding laws in text and naming them canonically."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.models import LawValue
from extract.normalize.laws import canonical_law_name, find_laws, join_law_values, normalize_law

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# (sentence, [(text as written, canonical name, year, number), …]) — every law the sentence names.
CASES = [
    # the seed articles and records
    (
        "Sydykov stated draft amendments to the Law “On Virtual Assets” would introduce “state mining”.",
        [("Law “On Virtual Assets”", "Law on Virtual Assets", None, None)],
    ),
    (
        "President Sadyr Zhaparov signed amendments to the national “Virtual Assets” law that introduce …",
        [("“Virtual Assets” law", "Law on Virtual Assets", None, None)],
    ),
    (
        "Zhaparov has signed amendments to the national law “On Virtual Assets,” giving his administration …",
        [("law “On Virtual Assets,”", "Law on Virtual Assets", None, None)],
    ),
    (
        "- Law on Digital Assets: Effective April 1, 2023; establishes legal framework for digital assets.",
        [("Law on Digital Assets", "Law on Digital Assets", None, None)],
    ),
    (
        "- New Banking Law (Law on Banks and Banking Activities): Approved by parliament and expected …",
        [
            ("New Banking Law", "Law on Banks and Banking Activities", None, None),
            ("Law on Banks and Banking Activities", "Law on Banks and Banking Activities", None, None),
        ],
    ),
    (
        "- Digital Financial Assets Act (2020): Initial regulation of digital assets use and circulation.",
        [("Digital Financial Assets Act (2020)", "Digital Financial Assets Act", 2020, None)],
    ),
    (
        "- Constitutional Law on the Astana International Financial Centre: Establishes AIFC's regime.",
        [
            (
                "Constitutional Law on the Astana International Financial Centre",
                "Constitutional Law on the Astana International Financial Centre",
                None,
                None,
            )
        ],
    ),
    (
        "- Digital Code: Effective July 11, 2026; covers smart contracts and cybersecurity.",
        [("Digital Code", "Digital Code", None, None)],
    ),
    (
        "Kyrgyzstan has a legal framework, governed by the Law on Virtual Assets (2022), allowing mining.",
        [("Law on Virtual Assets (2022)", "Law on Virtual Assets", 2022, None)],
    ),
    (
        "| Framework | AIFC Rules on Digital Asset Activities (effective January 1, 2024; amended January 1, "
        "2026) |",
        [("AIFC Rules on Digital Asset Activities", "AIFC Rules on Digital Asset Activities", None, None)],
    ),
    (
        "Kazakhstan is primarily governed by the AIFC Digital Asset Trading Facility Rules.",
        [
            (
                "AIFC Digital Asset Trading Facility Rules",
                "AIFC Digital Asset Trading Facility Rules",
                None,
                None,
            )
        ],
    ),
    # codes
    (
        "Articles 331 and 332 of the Tax Code were amended to tax miners.",
        [("Tax Code", "Tax Code", None, None)],
    ),
    (
        "Kazakhstan's Civil Code and the Code of Administrative Offences were both amended.",
        [
            ("Civil Code", "Civil Code", None, None),
            ("Code of Administrative Offences", "Code of Administrative Offences", None, None),
        ],
    ),
    # European Union
    (
        "The Markets in Crypto-Assets Regulation (MiCA) took full effect in December 2024.",
        [
            ("Markets in Crypto-Assets Regulation", "Markets in Crypto-Assets Regulation", None, None),
            ("MiCA", "Markets in Crypto-Assets Regulation", None, None),
        ],
    ),
    (
        "MiCA (Regulation (EU) 2023/1114) applies to crypto-asset service providers.",
        [
            ("MiCA", "Markets in Crypto-Assets Regulation", None, "2023/1114"),
            ("Regulation (EU) 2023/1114", "Markets in Crypto-Assets Regulation", None, "2023/1114"),
        ],
    ),
    (
        "Under Regulation (EU) 2023/1114, issuers must publish a white paper.",
        [("Regulation (EU) 2023/1114", "Markets in Crypto-Assets Regulation", None, "2023/1114")],
    ),
    (
        "Only MiCAR-licensed firms can passport, and MiCA caps non-euro stablecoin use.",
        [
            ("MiCAR", "Markets in Crypto-Assets Regulation", None, None),
            ("MiCA", "Markets in Crypto-Assets Regulation", None, None),
        ],
    ),
    (
        "The Fifth Anti-Money Laundering Directive (AMLD5) brought wallets into scope; AMLD6 followed.",
        [
            ("Fifth Anti-Money Laundering Directive", "Fifth Anti-Money Laundering Directive", None, None),
            ("AMLD5", "Fifth Anti-Money Laundering Directive", None, None),
            ("AMLD6", "Sixth Anti-Money Laundering Directive", None, None),
        ],
    ),
    (
        "Banks must comply with the Digital Operational Resilience Act (DORA) from January 2025.",
        [
            ("Digital Operational Resilience Act", "Digital Operational Resilience Act", None, None),
            ("DORA", "Digital Operational Resilience Act", None, None),
        ],
    ),
    # United States
    (
        "The Senate passed the GENIUS Act of 2025 in June, while the CLARITY Act awaits a vote.",
        [("GENIUS Act of 2025", "GENIUS Act", 2025, None), ("CLARITY Act", "CLARITY Act", None, None)],
    ),
    (
        "FinCEN enforces the Bank Secrecy Act against unlicensed money transmitters.",
        [("Bank Secrecy Act", "Bank Secrecy Act", None, None)],
    ),
    (
        "The SEC cited Section 5 of the Securities Act of 1933 in its complaint.",
        [("Securities Act of 1933", "Securities Act", 1933, None)],
    ),
    (
        "President Trump signed Executive Order 14178 on digital assets in January.",
        [("Executive Order 14178", "Executive Order 14178", None, "14178")],
    ),
    # United Kingdom, Japan, Korea, India, Nigeria
    (
        "The Treasury laid the order under the Financial Services and Markets Act 2000 before Parliament.",
        [("Financial Services and Markets Act 2000", "Financial Services and Markets Act", 2000, None)],
    ),
    (
        "The Money Laundering Regulations 2017 apply to UK cryptoasset businesses.",
        [("Money Laundering Regulations 2017", "Money Laundering Regulations", 2017, None)],
    ),
    (
        "Japan's Payment Services Act was amended in 2022 to cover stablecoins.",
        [("Payment Services Act", "Payment Services Act", None, None)],
    ),
    (
        "South Korea's Virtual Asset User Protection Act took effect in July 2024.",
        [("Virtual Asset User Protection Act", "Virtual Asset User Protection Act", None, None)],
    ),
    (
        "Exchanges report under the Act on Reporting and Using Specified Financial Transaction Information.",
        [
            (
                "Act on Reporting and Using Specified Financial Transaction Information",
                "Specific Financial Information Act",
                None,
                None,
            )
        ],
    ),
    (
        "Gains fall under the Income Tax Act, 1961, and the Prevention of Money Laundering Act, 2002 (PMLA).",
        [
            ("Income Tax Act, 1961", "Income Tax Act", 1961, None),
            ("Prevention of Money Laundering Act, 2002", "Prevention of Money Laundering Act", 2002, None),
            ("PMLA", "Prevention of Money Laundering Act", 2002, None),
        ],
    ),
    (
        "Nigeria's Investments and Securities Act 2025 (ISA 2025) treats digital assets as securities.",
        [("Investments and Securities Act 2025", "Investments and Securities Act", 2025, None)],
    ),
    # Russia, Ukraine, UAE, Brazil, Uzbekistan
    ("Law No. 123-FZ was signed in spring.", [("Law No. 123-FZ", "Law No. 123-FZ", None, "123-FZ")]),
    (
        "Miners must register under Federal Law No. 259-FZ.",
        [("Federal Law No. 259-FZ", "Federal Law No. 259-FZ", None, "259-FZ")],
    ),
    (
        "Russia adopted Federal Law No. 259-FZ On Digital Financial Assets in July 2020.",
        [
            (
                "Federal Law No. 259-FZ On Digital Financial Assets",
                "Law on Digital Financial Assets",
                None,
                "259-FZ",
            )
        ],
    ),
    (
        "Federal Law No. 259-FZ of July 31, 2020 “On Digital Financial Assets, Digital Currency and on "
        "Amendments to Certain Legislative Acts of the Russian Federation” took effect in 2021.",
        [
            (
                "Federal Law No. 259-FZ of July 31, 2020 “On Digital Financial Assets, Digital Currency "
                "and on Amendments to Certain Legislative Acts of the Russian Federation”",
                "Law on Digital Financial Assets, Digital Currency",
                2020,
                "259-FZ",
            )
        ],
    ),
    (
        "The Verkhovna Rada adopted the Law of Ukraine “On Virtual Assets” No. 2074-IX.",
        [("Law of Ukraine “On Virtual Assets” No. 2074-IX", "Law on Virtual Assets", None, "2074-IX")],
    ),
    (
        "Bahrain's Law No. 7 of 2023 Regulating Digital Tokens created a regulator.",
        [("Law No. 7 of 2023 Regulating Digital Tokens", "Law Regulating Digital Tokens", 2023, "7")],
    ),
    (
        "The UAE issued Federal Decree-Law No. 14 of 2018 on the Central Bank.",
        [
            (
                "Federal Decree-Law No. 14 of 2018 on the Central Bank",
                "Decree-Law on the Central Bank",
                2018,
                "14",
            )
        ],
    ),
    (
        "Brazil's Law 14,478/2022 sets rules for virtual asset service providers.",
        [("Law 14,478/2022", "Law 14478/2022", None, "14478/2022")],
    ),
    (
        "Uzbekistan's Presidential Decree No. PP-3832 set up the crypto regime.",
        [("Presidential Decree No. PP-3832", "Presidential Decree No. PP-3832", None, "PP-3832")],
    ),
    (
        "It adopted the Law of the Republic of Tajikistan “On Digital Assets in the Republic of Tajikistan”.",
        [
            (
                "Law of the Republic of Tajikistan “On Digital Assets in the Republic of Tajikistan”",
                "Law on Digital Assets",
                None,
                None,
            )
        ],
    ),
    # years before the name; subject laws
    (
        "The 2022 Law on Virtual Assets allows state agencies to mine.",
        [("2022 Law on Virtual Assets", "Law on Virtual Assets", 2022, None)],
    ),
    (
        "El Salvador's Bitcoin Law made BTC legal tender in 2021.",
        [("Bitcoin Law", "Bitcoin Law", None, None)],
    ),
    (  # a date or year after "Law on/of" is no title: the law is the subject law before it
        "Tonga's assembly approved the Digital Assets Law on Monday and the Banking Law of 2022 stays.",
        [
            ("Digital Assets Law", "Law on Digital Assets", None, None),
            ("Banking Law of 2022", "Law on Banking", 2022, None),
        ],
    ),
    (
        "Hong Kong's Stablecoins Ordinance took effect on August 1, 2025.",
        [("Stablecoins Ordinance", "Stablecoins Ordinance", None, None)],
    ),
    (
        "Under China's Securities Law and the Companies Law, initial coin offerings are banned.",
        [
            ("Securities Law", "Law on Securities", None, None),
            ("Companies Law", "Law on Companies", None, None),
        ],
    ),
    # a sentence, though every word is capitalised, not a headline
    (
        "The Constitution of Kazakhstan and the Kyrgyz Republic Law on Virtual Assets.",
        [("Law on Virtual Assets", "Law on Virtual Assets", None, None)],
    ),
    # headline: only the vocabulary and bounded rules speak
    ("Senate Passes GENIUS Act In Landmark Vote", [("GENIUS Act", "GENIUS Act", None, None)]),
]

NOT_LAWS = [
    "The law allows government agencies to mine, and lawmakers promised new laws by 2026.",
    "Under the revised Kyrgyzstan crypto rules, tokens and stablecoins are now explicitly defined in law.",
    "Law enforcement agencies said the regulatory framework is unclear; the Law firm declined to comment.",
    "The bill was sent to the Senate, which will Act on Monday.",
    "Kyrgyzstan Passes New Crypto Law",
    "The FATF Travel Rule applies to VASPs in Kazakhstan.",
    "Scan the QR Code or use the Bitcoin Code app; Visual Studio Code is an editor.",
    "Under Kyrgyz law, Sharia Law and Russian law, Moore's Law still holds.",
    "The Office of Financial Regulation and the Head of Crypto Regulation spoke at the summit.",
    "He read them the Riot Act before signing the Code of Conduct.",
    "The Central Asian law is strict, and crypto rules tightened in the Kyrgyz Republic.",
    "Neighboring Kazakhstan proposed a crypto reserve fund under its State of the Nation blueprint.",
    "#  Kazakhstan (KZ) — Crypto Regulation",
    "At press time, Bitcoin traded at $112,684 after the Act 2 rally.",
    "The economist John Law and the actor Jude Law never studied at Harvard Law School.",
    "Trump Signs Stablecoin Bill Into Law",
]


Found = tuple[str, str, int | None, str | None]  # text as written, name, year, number


def found(text: str) -> list[Found]:
    return [(text[m.start : m.end], m.value.name, m.value.year, m.value.number) for m in find_laws(text)]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_find_laws(text: str, expected: list[Found]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", NOT_LAWS, ids=[t[:50] for t in NOT_LAWS])
def test_generic_phrases_are_not_laws(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("the Law on Digital Assets", "law_on"),
        ("the law “On Virtual Assets”", "quoted_law"),
        ("the Virtual Assets law", "subject_law"),
        ("the Tax Code", "code"),
        ("the Bank Secrecy Act", "act"),
        ("the Transfer of Funds Regulation", "regulation"),
        ("Federal Law No. 259-FZ", "law_number"),
        ("MiCA", "vocabulary"),
    ],
)
def test_rule_that_fired(text: str, rule: str) -> None:
    assert [m.rule for m in find_laws(text)] == [rule]


def test_matches_are_sorted_non_overlapping_and_quote_the_text() -> None:
    text = (CORPUS / "articles" / "kz-regulatory-status.txt").read_text(encoding="utf-8")
    matches = find_laws(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(matches))
    assert [(text[m.start : m.end], m.value.name) for m in matches] == [
        ("Law on Digital Assets", "Law on Digital Assets"),
        ("New Banking Law", "Law on Banks and Banking Activities"),
        ("Law on Banks and Banking Activities", "Law on Banks and Banking Activities"),
        ("Digital Financial Assets Act (2020)", "Digital Financial Assets Act"),
        (
            "Constitutional Law on the Astana International Financial Centre",
            "Constitutional Law on the Astana International Financial Centre",
        ),
        ("Digital Code", "Digital Code"),
    ]


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("articles/kg-virtual-assets-amendments.txt", ["Law on Virtual Assets"] * 2),
        ("articles/kg-bitcoin-reserve-state-mining.txt", ["Law on Virtual Assets"]),
        ("countries/country--kyrgyzstan.md", ["Law on Virtual Assets"] * 4),
        (
            "countries/country--kazakhstan.md",
            [
                "AIFC Digital Asset Trading Facility Rules",
                "AIFC Rules on Digital Asset Activities",
                "AIFC Digital Asset Trading Facility Rules",
            ],
        ),
    ],
)
def test_every_law_in_the_corpus(path: str, names: list[str]) -> None:
    text = (CORPUS / path).read_text(encoding="utf-8")
    assert [m.value.name for m in find_laws(text)] == names


def test_record_years_come_from_parentheses_not_dates() -> None:
    kg = (CORPUS / "countries" / "country--kyrgyzstan.md").read_text(encoding="utf-8")
    kz = (CORPUS / "countries" / "country--kazakhstan.md").read_text(encoding="utf-8")
    assert [m.value.year for m in find_laws(kg)] == [2022, 2022, 2022, None]
    assert [m.value.year for m in find_laws(kz)] == [None, None, None]


# --- joining variants to known laws -------------------------------------------------------------

KNOWN = [
    LawValue(name="Law on Virtual Assets", year=2022),
    LawValue(name="AIFC Rules on Digital Asset Activities"),
]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the Virtual Assets law", "Law on Virtual Assets"),
        ("the Virtual Asset law", "Law on Virtual Assets"),  # singular joins the known plural
        ("the Law on the Virtual Assets", "Law on Virtual Assets"),
        ("under the AIFC Rules on Digital Assets Activities", "AIFC Rules on Digital Asset Activities"),
        ("the Law on Digital Assets", "Law on Digital Assets"),  # another law, not joined
        ("the Law on Virtual Currencies", "Law on Virtual Currencies"),
        ("the Virtual Assets Act", "Virtual Assets Act"),  # another kind of law, not joined
    ],
)
def test_known_names(text: str, name: str) -> None:
    assert [m.value.name for m in find_laws(text, KNOWN)] == [name]


def test_known_law_fills_the_year_the_text_leaves_out() -> None:
    assert normalize_law("the Virtual Asset law", KNOWN) == LawValue(name="Law on Virtual Assets", year=2022)
    assert normalize_law("the Law “On Virtual Assets”", KNOWN) == LawValue(
        name="Law on Virtual Assets", year=2022
    )
    # another year is another law (or another version): not joined
    assert normalize_law("the Law on Virtual Assets (2024)", KNOWN) == LawValue(
        name="Law on Virtual Assets", year=2024
    )
    assert normalize_law("the Law on Digital Assets", KNOWN) == LawValue(name="Law on Digital Assets")


def test_normalize_law_and_canonical_name() -> None:
    assert normalize_law("Law on Virtual Assets (2022)") == LawValue(name="Law on Virtual Assets", year=2022)
    assert normalize_law("the regulatory framework") is None
    # a span that is only a name is not a headline, however capitalised
    assert normalize_law("Constitutional Law on the Astana International Financial Centre") == LawValue(
        name="Constitutional Law on the Astana International Financial Centre"
    )
    assert canonical_law_name("the national “Virtual Assets” law") == "Law on Virtual Assets"
    assert canonical_law_name("Regulation (EU) 2023/1114") == "Markets in Crypto-Assets Regulation"
    assert canonical_law_name("the “State of the Nation” blueprint") == "State of the Nation blueprint"


# --- one title, many spellings ------------------------------------------------------------------

SUBJECT_WORDS = [
    "Virtual",
    "Digital",
    "Assets",
    "Payments",
    "Banking",
    "Securities",
    "Tokens",
    "Mining",
    "Stablecoins",
    "Custody",
    "Platforms",
    "Innovation",
    "Investment",
    "Exchanges",
    "Currency",
]
VARIANTS = [
    "Parliament amended the Law on {t} last week.",
    "Parliament amended the “{t}” law last week.",
    "Parliament amended the national “{t}” law last week.",
    "Parliament amended the Law “On {t}” last week.",
    "Parliament amended the law “On {t},” last week.",
    "Parliament amended the {t} law last week.",
    "Parliament amended the new {t} Law last week.",
    "Parliament amended the Law On {t} last week.",
]


@given(
    words=st.lists(st.sampled_from(SUBJECT_WORDS), min_size=2, max_size=4, unique=True),
    connector=st.sampled_from([" ", " and ", " of "]),
)
def test_spellings_of_one_title_share_one_name(words: list[str], connector: str) -> None:
    title = words[0] + connector + " ".join(words[1:])
    names = {tuple(m.value.name for m in find_laws(v.format(t=title))) for v in VARIANTS}
    assert names == {(f"Law on {title}",)}


# --- the shapes news cites laws in (issue 13) ---------------------------------------------------

# (sentence, [(text as written, canonical name, year, number), …]); sentences written for these tests.
CITATION_CASES = [
    # decree-laws, decisions and resolutions with a number and a year or date
    (
        "The UAE's Federal Decree-Law No. 6 of 2023 amended the rules for banks.",
        [("Federal Decree-Law No. 6 of 2023", "Federal Decree-Law No. 6", 2023, "6")],
    ),
    (
        "Bahrain issued Decree-Law No. (22) of 2023 on payment tokens.",
        [("Decree-Law No. (22) of 2023", "Decree-Law No. 22", 2023, "22")],
    ),
    (
        "Portugal's decree-law No. 74 of 2024 transposed the directive.",
        [("decree-law No. 74 of 2024", "Decree-Law No. 74", 2024, "74")],
    ),
    (
        "The fee is set by Cabinet Decision No. (111) of 2022 for all licensees.",
        [("Cabinet Decision No. (111) of 2022", "Cabinet Decision No. 111", 2022, "111")],
    ),
    (
        "Capital rules follow the government's resolution dated September 3, 2021, No. 402, as amended.",
        [("resolution dated September 3, 2021, No. 402", "Resolution No. 402", 2021, "402")],
    ),
    (
        "Paragraph 4 of the resolution dated 12 May 2024, No. 77 was repealed.",
        [("resolution dated 12 May 2024, No. 77", "Resolution No. 77", 2024, "77")],
    ),
    (
        "Miners pay under Resolution No. 55 of the Cabinet of Ministers dated March 14, 2023.",
        [("Resolution No. 55", "Resolution No. 55", None, "55")],
    ),
    (
        "Uzbekistan's presidential decree No. UP-81 set the sandbox terms.",
        [("presidential decree No. UP-81", "Presidential Decree No. UP-81", None, "UP-81")],
    ),
    (
        "The order No. 12 dated 16.09.2022 lists the permitted tokens.",
        [("order No. 12 dated 16.09.2022", "Order No. 12", 2022, "12")],
    ),
    (
        "Qatar's Law No (2) of 2024 Regulating Digital Assets in Qatar takes effect next year.",
        [
            (
                "Law No (2) of 2024 Regulating Digital Assets in Qatar",
                "Law Regulating Digital Assets",
                2024,
                "2",
            )
        ],
    ),
    # numbered laws keep the number; a title given with it names the law
    (
        "Ukraine's Law No. 3637-IX raised the excise rates.",
        [("Law No. 3637-IX", "Law No. 3637-IX", None, "3637-IX")],
    ),
    (
        "Law No. 88-VIII on Payment Services entered into force in March.",
        [("Law No. 88-VIII on Payment Services", "Law on Payment Services", None, "88-VIII")],
    ),
    (
        "Mongolia passed Law No. 412-VI on Virtual Asset Service Providers in the Republic of Mongolia.",
        [
            (
                "Law No. 412-VI on Virtual Asset Service Providers in the Republic of Mongolia",
                "Law on Virtual Asset Service Providers",
                None,
                "412-VI",
            )
        ],
    ),
    (
        "The Law of the Kyrgyz Republic “On Banks” dated January 21, 2022 No. 12 governs lending.",
        [("Law of the Kyrgyz Republic “On Banks” dated January 21, 2022 No. 12", "Law on Banks", 2022, "12")],
    ),
    # acts and ordinances with a year
    (
        "Firms need a licence under the Virtual Assets Act 2024, the regulator said.",
        [("Virtual Assets Act 2024", "Virtual Assets Act", 2024, None)],
    ),
    (
        "Singapore's Payment Services Act 2019 covers token exchanges.",
        [("Payment Services Act 2019", "Payment Services Act", 2019, None)],
    ),
    (
        "Pakistan promulgated the Virtual Assets Ordinance 2025 in July.",
        [("Virtual Assets Ordinance 2025", "Virtual Assets Ordinance", 2025, None)],
    ),
    (
        "The Bahamas replaced its regime with the Digital Assets and Registered Exchanges Act, 2024.",
        [
            (
                "Digital Assets and Registered Exchanges Act, 2024",
                "Digital Assets and Registered Exchanges Act",
                2024,
                None,
            )
        ],
    ),
    (
        "Bermuda's Digital Asset Business Act 2018 set up a licensing regime.",
        [("Digital Asset Business Act 2018", "Digital Asset Business Act", 2018, None)],
    ),
    # constitutional laws, nested quotes
    (
        "The head of state approved the constitutional Law «On Additions to the Constitutional Law «On the "
        "Central Bank»» on Friday.",
        [
            (
                "constitutional Law «On Additions to the Constitutional Law «On the Central Bank»»",
                "Constitutional Law on Additions to the Constitutional Law on the Central Bank",
                None,
                None,
            )
        ],
    ),
    (
        "Parliament passed the Law «On Amendments to the Law «On Payment Systems».",
        [
            (
                "Law «On Amendments to the Law «On Payment Systems»",
                "Law on Amendments to the Law on Payment Systems",
                None,
                None,
            )
        ],
    ),
    (
        "The Constitutional Law «On the Astana International Financial Centre» gives the AIFC its courts.",
        [
            (
                "Constitutional Law «On the Astana International Financial Centre»",
                "Constitutional Law on the Astana International Financial Centre",
                None,
                None,
            )
        ],
    ),
    (
        "Deputies approved the organic law “On Digital Currencies” last week.",
        [("organic law “On Digital Currencies”", "Organic Law on Digital Currencies", None, None)],
    ),
    # codes
    (
        "The amendments to the tax code raise the levy on miners.",
        [("tax code", "Tax Code", None, None)],
    ),
    (
        "Illegal mining was added to the country's criminal code this week.",
        [("criminal code", "Criminal Code", None, None)],
    ),
    (
        "Fines are set by the Code on Administrative Offences, Article 214.",
        [("Code on Administrative Offences", "Code of Administrative Offences", None, None)],
    ),
    (
        "The Code of the Republic of Uzbekistan on Administrative Responsibility was amended.",
        [
            (
                "Code of the Republic of Uzbekistan on Administrative Responsibility",
                "Code of Administrative Responsibility",
                None,
                None,
            )
        ],
    ),
    (
        "Article 7 of the Tax Code of the Republic of Tajikistan was amended.",
        [("Tax Code", "Tax Code", None, None)],
    ),
    # rulebooks
    (
        "The recently adopted Digital Assets Activities Rulebook bans anonymous coins.",
        [("Digital Assets Activities Rulebook", "Digital Assets Activities Rulebook", None, None)],
    ),
    (
        "VARA published its Exchange Services Rulebook and a Risk Management Rulebook.",
        [
            ("Exchange Services Rulebook", "Exchange Services Rulebook", None, None),
            ("Risk Management Rulebook", "Risk Management Rulebook", None, None),
        ],
    ),
    (
        "ADGM's FSRA updated the Conduct of Business Rulebook for custody.",
        [("Conduct of Business Rulebook", "Conduct of Business Rulebook", None, None)],
    ),
    # curly quotes and word order: one name
    (
        "Parliament passed the Law “On Virtual Assets” back in 2022.",
        [("Law “On Virtual Assets”", "Law on Virtual Assets", None, None)],
    ),
    (
        "Armenia's draft Virtual Assets Law goes to a second reading.",
        [("Virtual Assets Law", "Law on Virtual Assets", None, None)],
    ),
]

# Neither laws nor parts of one: a regulator's name, a heading, a law named by its generic head.
NOT_CITATIONS = [
    "The Financial Market Regulation and Supervision Service will license exchanges.",
    "Kazakhstan's Financial Market Regulation and Development Agency fined two brokers.",
    "Provisions of the New Law",
    "The court read the provisions of the New Law aloud.",
    "He opposed the amendments to the Constitutional Law in parliament.",
    "The resolution was adopted by 120 votes, No. 5 on the agenda.",
    "Each token carries a digital code assigned by the issuer.",
    "Enter the zip code and the source code of the wallet.",
]


@pytest.mark.parametrize(("text", "expected"), CITATION_CASES, ids=[c[0][:50] for c in CITATION_CASES])
def test_citation_shapes(text: str, expected: list[Found]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", NOT_CITATIONS, ids=[t[:50] for t in NOT_CITATIONS])
def test_what_is_not_a_citation(text: str) -> None:
    assert found(text) == []


def test_a_law_cited_by_number_takes_its_title_from_the_same_article() -> None:
    values = [
        LawValue(name="Law on Digital Assets", number="193-VII"),
        LawValue(name="Law No. 193-VII", number="193-VII"),
        LawValue(name="Law on Banks", year=2023),
        LawValue(name="Law on Banks"),
        LawValue(name="Law on Payments", year=2020),
        LawValue(name="Law on Payments", year=2021),
        LawValue(name="Law on Payments"),
    ]
    assert join_law_values(values) == [
        LawValue(name="Law on Digital Assets", number="193-VII"),
        LawValue(name="Law on Digital Assets", number="193-VII"),
        LawValue(name="Law on Banks", year=2023),
        LawValue(name="Law on Banks", year=2023),
        LawValue(name="Law on Payments", year=2020),
        LawValue(name="Law on Payments", year=2021),
        LawValue(name="Law on Payments"),  # two years: which one is not for us to guess
    ]


def test_the_year_stated_elsewhere_in_the_sentence_is_not_the_laws() -> None:
    text = "The Law on Digital Assets, signed on 6 February 2023, entered into force in April."
    assert found(text) == [("Law on Digital Assets", "Law on Digital Assets", None, None)]
