"""Parser backends for languages other than English: text → sentences of `Token`s plus the model's entities.

A language's `mentions.json` names its backend ("parser"); each backend is built once, on the first article
in that language. `natasha` ships its news embeddings, morphology, syntax and NER models inside its PyPI
packages (navec, slovnet), so nothing is downloaded at run time; lemmas come from pymorphy3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from extract.models import Token

# natasha's NER labels → the spaCy-style labels the mentions stage uses.
NATASHA_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}


@dataclass(frozen=True)
class ParsedSentence:
    """One sentence: offsets into the text given to the parser, its tokens, and the model's entities."""

    start: int
    end: int
    tokens: list[Token]
    entities: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, label


Parser = Callable[[str, int], list[ParsedSentence]]  # (text, offset added to every position) → sentences


class Lemmatizer:
    """pymorphy3 lemmas, cached per word: every normal form a word may have, and the most likely one."""

    def __init__(self) -> None:
        import pymorphy3

        self._morph = pymorphy3.MorphAnalyzer()

    @lru_cache(maxsize=65536)  # noqa: B019 - one Lemmatizer per process
    def forms(self, word: str) -> frozenset[str]:
        lowered = word.lower()
        return frozenset({lowered, *(parse.normal_form for parse in self._morph.parse(lowered))})

    @lru_cache(maxsize=65536)  # noqa: B019
    def lemma(self, word: str) -> str:
        parses = self._morph.parse(word.lower())
        return parses[0].normal_form if parses else word.lower()

    @lru_cache(maxsize=65536)  # noqa: B019
    def tag(self, word: str) -> str:
        parses = self._morph.parse(word.lower())
        return str(parses[0].tag) if parses else ""


@lru_cache(maxsize=1)
def lemmatizer() -> Lemmatizer:
    return Lemmatizer()


def _natasha() -> Parser:
    from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    embedding = NewsEmbedding()
    segmenter, morph = Segmenter(), NewsMorphTagger(embedding)
    syntax, ner = NewsSyntaxParser(embedding), NewsNERTagger(embedding)
    lemmas = lemmatizer()

    def parse(text: str, offset: int) -> list[ParsedSentence]:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.parse_syntax(syntax)
        doc.tag_ner(ner)
        sentences = []
        spans = list(doc.spans)
        for sent in doc.sents:
            index = {token.id: position for position, token in enumerate(sent.tokens)}
            tokens = [
                Token(
                    start=offset + token.start,
                    end=offset + token.stop,
                    lemma=lemmas.lemma(token.text),
                    pos=token.pos or "X",
                    dep=token.rel or "dep",
                    head=index.get(token.head_id, position),  # the root's head ("N_0") is itself
                    morph="|".join(f"{key}={value}" for key, value in sorted((token.feats or {}).items())),
                )
                for position, token in enumerate(sent.tokens)
            ]
            tokens = _rooted(tokens)
            entities = [
                (offset + span.start, offset + span.stop, NATASHA_LABELS.get(span.type, span.type))
                for span in spans
                if sent.start <= span.start and span.stop <= sent.stop
            ]
            sentences.append(ParsedSentence(offset + sent.start, offset + sent.stop, tokens, entities))
        return sentences

    return parse


def _rooted(tokens: list[Token]) -> list[Token]:
    """The tokens with a root: when the parser's heads form a cycle instead ("—" sentences), the first token
    on the cycle becomes the root, so that every head chain ends."""
    if not tokens or any(token.dep == "root" for token in tokens):
        return tokens
    seen: list[int] = []
    position = 0
    while position not in seen:
        seen.append(position)
        position = tokens[position].head
    tokens[position] = tokens[position].model_copy(update={"head": position, "dep": "root"})
    return tokens


def split_at_lines(
    sentence: ParsedSentence, lines: list[tuple[int, int]]
) -> list[tuple[int, ParsedSentence]]:
    """The sentence cut where the text's non-blank lines (`lines`: sorted spans) end, each piece with the
    index of its line; a head outside a piece makes its token the piece's root."""
    pieces = []
    for index, (start, end) in enumerate(lines):
        if end <= sentence.start or start >= sentence.end:
            continue
        inside = [i for i, token in enumerate(sentence.tokens) if start <= token.start and token.end <= end]
        if not inside:
            continue
        position = {old: new for new, old in enumerate(inside)}
        tokens = [
            sentence.tokens[old].model_copy(update={"head": position[sentence.tokens[old].head]})
            if sentence.tokens[old].head in position
            else sentence.tokens[old].model_copy(update={"head": new, "dep": "root"})
            for new, old in enumerate(inside)
        ]
        piece = ParsedSentence(
            start=tokens[0].start,
            end=tokens[-1].end,
            tokens=_rooted(tokens),
            entities=[e for e in sentence.entities if start <= e[0] and e[1] <= end],
        )
        pieces.append((index, piece))
    return pieces


BACKENDS: dict[str, Callable[[], Parser]] = {"natasha": _natasha}


@cache
def parser(name: str) -> Parser:
    """The backend called `name`, built once per process."""
    if name not in BACKENDS:
        raise ValueError(f"unknown parser backend {name!r}; known: {sorted(BACKENDS)}")
    return BACKENDS[name]()
