"""A law named without its year takes the year of the sentence that enacts it (extract.normalize.law_years),
through the real mentions stage. Sentences of our own, many countries and phrasings."""

from __future__ import annotations

from typing import Any

import pytest

from extract.errors import ConfigError
from extract.models import Article, LawValue

# (text, {law name: expected year})
ENACTED = [
    # same sentence: the law is what was signed/adopted/in force, one year
    (
        "On 5 May 2024, Georgia's president signed the Law on Payment Systems and Payment Services.",
        {"Law on Payment Systems and Payment Services": 2024},
    ),
    (
        "The Law on Crypto-Asset Markets was adopted by the Parliament of Moldova on 14 November 2023.",
        {"Law on Crypto-Asset Markets": 2023},
    ),
    (
        "Armenia's National Assembly passed the Law on Investment Funds in June 2022.",
        {"Law on Investment Funds": 2022},
    ),
    (
        "Mongolia's Virtual Asset Service Providers Act entered into force on 1 March 2022.",
        {"Virtual Asset Service Providers Act": 2022},
    ),
    (
        "Uzbekistan's Senate approved the Law on Electronic Commerce on 22 April 2022.",
        {"Law on Electronic Commerce": 2022},
    ),
    (
        "In March 2025, Nigeria's president signed the Investments and Securities Act into law.",
        {"Investments and Securities Act": 2025},
    ),
    (
        "Thailand's Emergency Decree on Digital Asset Businesses took effect on 14 May 2018.",
        {"Emergency Decree on Digital Asset Businesses": 2018},
    ),
    (
        "Pakistan's president signed the Virtual Assets Ordinance on 8 July 2025.",
        {"Virtual Assets Ordinance": 2025},
    ),
    (  # "<Title> Law on <date>": the date is not the law's title
        "El Salvador's Legislative Assembly approved the Digital Assets Issuance Law on 11 January 2023.",
        {"Law on Digital Assets Issuance": 2023},
    ),
    (
        "Bhutan's king granted assent, and the Law on Digital Payments came into force on 2 October 2023.",
        {"Law on Digital Payments": 2023},
    ),
    (  # the date inside another law's citation is that law's, not the sentence's second year
        "On 3 June 2025 Armenia's cabinet adopted the Law on Digital Banking and revoked resolution dated "
        "March 6, 2019, No. 117.",
        {"Law on Digital Banking": 2025, "Resolution No. 117": 2019},
    ),
    # the next sentence of the paragraph calls a law new after a signing with a date
    (
        "Azerbaijan's president signed a package of financial laws on 9 February 2025. "
        "The newly adopted Law on Payment Services sets capital requirements for fintech firms.",
        {"Law on Payment Services": 2025},
    ),
    (
        "Tajikistan's president signed new banking legislation on 20 August 2024. "
        "The new Law on Capital Markets replaces rules from 2008.",
        {"Law on Capital Markets": 2024},
    ),
    # a sentence about "the law" right after the law was named
    (
        "Mongolia's president signed the Law on Virtual Asset Service Providers. "
        "The law was adopted by the State Great Khural on 17 December 2021.",
        {"Law on Virtual Asset Service Providers": 2021},
    ),
    (
        "Lithuania's Seimas voted on the Crypto-Asset Markets Act. It was a long debate. "
        "This act was approved on 12 December 2024 by 80 votes.",
        {"Crypto-Asset Markets Act": 2024},
    ),
    # every mention of the law in the article gets the year
    (
        "The Law on Payment Services was signed on 9 February 2025 in Baku. "
        "Banks must follow the Law on Payment Services within a year.",
        {"Law on Payment Services": 2025},
    ),
]

NOT_ENACTED = [
    # hedged: not done, or not said
    "Kazakhstan's parliament is expected to adopt the Law on Payment Systems by December 2026.",
    "Turkmenistan's government planned to sign the Law on Crypto Mining in March 2025.",
    "The draft Law on Digital Banking was approved by the Georgian cabinet on 2 April 2025.",
    "In Bahrain, the Law on Tokenisation would take effect on 1 January 2027 if the Shura Council agrees.",
    "President Milei has not signed the Law on Crypto Assets adopted by Congress on 7 March 2025.",
    "Serbia's president vetoed the Law on Mining Taxation passed on 30 September 2024.",
    "Bolivia's president signed the Law on Crowdfunding. The law will enter into force on 1 January 2026.",
    "Lawmakers in Chile say the Senate could pass the Law on Fintech Platforms in May 2026.",
    # two years: which one is the law's is not said
    "Belarus's Law on Investment Funds, adopted on 3 March 2019, was amended on 12 June 2024.",
    # no enactment verb
    "Vietnamese experts discussed the Law on Digital Technology Industry at a forum in Hanoi on 5 May 2024.",
    "In Peru, the Law on Crowdfunding takes effect on 1 July 2026.",
    # the law cited is not the one enacted
    "Kyrgyzstan's parliament adopted amendments to the Law on Banks on 10 October 2024.",
    "Under the Law on Securities Market, Ukrainian exchanges signed deals with the regulator on 1 July 2024.",
    "Tunisia's parliament passed a law on 3 June 2025 replacing the Law on Electronic Exchanges.",
    # the verb is about something else, far from the law
    "Argentina's Law on Electronic Money sets capital rules for issuers, while a separate memorandum "
    "between the two central banks was signed on 4 May 2024.",
    # a "new" law after a signing that is no legislation, or in another paragraph
    "The central bank of Kenya signed a memorandum with Binance on 2 May 2025. "
    "The new Law on Stablecoins requires full reserves.",
    "Ghana's parliament signed off a legislative package on 2 May 2025.\n\n"
    "The new Law on Stablecoins requires full reserves.",
    # "the law" after two laws: which one is not said
    "Paraguay's president signed the Law on Banks and the Law on Payments. The law was adopted on 5 May 2024",
    # "the decree" does not name a law again
    "Qatar's emir signed the Law on Digital Assets. The decree was published on 5 May 2024.",
]


def _laws(pipeline: Any, text: str) -> dict[str, set[int | None]]:
    (analyzed,) = pipeline.analyze([Article(id="t.txt", text=text)])
    years: dict[str, set[int | None]] = {}
    for mention in analyzed.mentions:
        if isinstance(mention.value, LawValue):
            years.setdefault(mention.value.name, set()).add(mention.value.year)
    return years


@pytest.mark.parametrize(("text", "expected"), ENACTED, ids=[t[:50] for t, _ in ENACTED])
def test_a_law_takes_the_year_it_was_enacted_in(pipeline: Any, text: str, expected: dict[str, int]) -> None:
    assert _laws(pipeline, text) == {name: {year} for name, year in expected.items()}


@pytest.mark.parametrize("text", NOT_ENACTED, ids=[t[:50] for t in NOT_ENACTED])
def test_no_year_without_a_done_enactment_of_that_law(pipeline: Any, text: str) -> None:
    laws = _laws(pipeline, text)
    assert laws, "the sentence should name a law"
    assert all(years == {None} for years in laws.values()), laws


def test_a_year_in_the_name_is_kept(pipeline: Any) -> None:
    text = "Kenya's parliament passed the Virtual Asset Service Providers Act, 2025 on 7 October 2025."
    assert _laws(pipeline, text) == {"Virtual Asset Service Providers Act": {2025}}
    text = "Jamaica's Digital Assets Act 2023 entered into force on 1 January 2024."
    assert _laws(pipeline, text) == {"Digital Assets Act": {2023}}


def test_the_word_lists_are_checked_when_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    import extract.normalize.law_years as law_years

    good = law_years.load_data("law_years.json")
    monkeypatch.setattr(law_years, "load_data", lambda name: {**good, "enactment_cue": ["signed"]})
    with pytest.raises(ConfigError, match=r"law_years\.json.*enactment_cue"):
        law_years._load()
