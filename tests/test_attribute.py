"""Country attribution: which country a sentence is about, from the signals it contains."""

import pytest

from extract.attribute import Signal, attribute_sentences, main_country, sentence_country


@pytest.mark.parametrize(
    ("signals", "main", "previous", "expected"),
    [
        # one country named: that one
        ([Signal(0, "KZ", "country")], "KG", None, "KZ"),
        # nothing named: the sentence before in the paragraph, else the article's country
        ([], "KG", "KZ", "KZ"),
        ([], "KG", None, "KG"),
        ([], None, None, None),
        # the subject comes first: "Neighboring Kazakhstan ... unlike El Salvador, Pakistan"
        (
            [Signal(0, "KZ", "country"), Signal(40, "SV", "country"), Signal(55, "PK", "country")],
            "KG",
            None,
            "KZ",
        ),
        # a demonym weighs less than a name: "Kyrgyz officials met in Moscow"
        ([Signal(0, "KG", "norp"), Signal(30, "RU", "country")], None, None, "RU"),
        # … but the article's own country tips a close call
        ([Signal(0, "KG", "norp"), Signal(30, "RU", "country")], "KG", None, "KG"),
        # a regulator says its country: "the NBK told Reuters in London"
        ([Signal(4, "KZ", "regulator"), Signal(30, "GB", "country")], None, None, "KZ"),
        # two names of one country add up
        (
            [Signal(0, "US", "country"), Signal(10, "KG", "country"), Signal(30, "KG", "country")],
            None,
            None,
            "KG",
        ),
    ],
)
def test_sentence_country(signals, main, previous, expected):
    assert sentence_country(signals, main=main, previous=previous) == expected


def test_main_country_weights_the_lead():
    lead = [[Signal(0, "KG", "country")]]
    body = [[Signal(0, "KZ", "country")], [Signal(0, "KZ", "country")]]
    assert main_country([*lead, [], *body]) == "KG"
    assert main_country([[], [], *body, [Signal(0, "KG", "country")]]) == "KZ"


def test_inheritance_stops_at_a_paragraph_break():
    signals = [[Signal(0, "KG", "country")], [Signal(0, "KZ", "country")], [], []]
    main, countries = attribute_sentences(signals, paragraphs=[0, 1, 1, 2])
    assert main == "KG"
    assert countries == ["KG", "KZ", "KZ", "KG"]
