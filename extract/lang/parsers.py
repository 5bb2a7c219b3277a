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
    def lemma_in_context(self, word: str, pos: str, feats: str) -> str:
        """The lemma of the parse that agrees with the tagger's part of speech and features: "майнинг"
        (Case=Acc, Number=Sing) is "майнинг", not the genitive plural of a "майнинга"; "сомов" as a noun
        is "сом", not the adjective "сомовый"."""
        parses = self._morph.parse(word.lower())
        if not parses:
            return word.lower()
        wanted = {UD_GRAMMEMES.get(pair, pair) for pair in feats.split("|") if pair} | {
            UD_GRAMMEMES.get(f"POS={pos}", pos)
        }

        def agreement(parse: object) -> int:
            grammemes = {str(g) for g in parse.tag.grammemes}  # type: ignore[attr-defined]
            return sum(1 for grammeme in wanted if grammemes & set(grammeme.split("/")))

        return max(parses, key=agreement).normal_form  # max keeps the first (most likely) of the best

    @lru_cache(maxsize=65536)  # noqa: B019
    def tag(self, word: str) -> str:
        parses = self._morph.parse(word.lower())
        return str(parses[0].tag) if parses else ""


# Universal Dependencies' part of speech and features → pymorphy3 grammemes (alternatives split by "/").
UD_GRAMMEMES = {
    "POS=NOUN": "NOUN", "POS=PROPN": "NOUN", "POS=ADJ": "ADJF/ADJS/COMP/PRTF/PRTS",
    "POS=VERB": "VERB/INFN/PRTF/PRTS/GRND", "POS=AUX": "VERB/INFN", "POS=ADV": "ADVB/PRED",
    "POS=NUM": "NUMR", "POS=PRON": "NPRO", "POS=DET": "NPRO/ADJF", "POS=ADP": "PREP", "POS=PART": "PRCL",
    "POS=CCONJ": "CONJ", "POS=SCONJ": "CONJ",
    "Case=Nom": "nomn", "Case=Gen": "gent/gen1/gen2", "Case=Dat": "datv", "Case=Acc": "accs",
    "Case=Ins": "ablt", "Case=Loc": "loct/loc1/loc2", "Case=Par": "gen2", "Case=Voc": "voct",
    "Number=Sing": "sing", "Number=Plur": "plur", "Gender=Masc": "masc", "Gender=Fem": "femn",
    "Gender=Neut": "neut", "Animacy=Anim": "anim", "Animacy=Inan": "inan",
    "VerbForm=Inf": "INFN", "VerbForm=Part": "PRTF/PRTS", "VerbForm=Conv": "GRND",
}


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
                    lemma=lemmas.lemma_in_context(token.text, token.pos or "X", _feats(token.feats)),
                    pos=token.pos or "X",
                    dep=token.rel or "dep",
                    head=index.get(token.head_id, position),  # the root's head ("N_0") is itself
                    morph=_feats(token.feats),
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


def _feats(feats: dict[str, str] | None) -> str:
    return "|".join(f"{key}={value}" for key, value in sorted((feats or {}).items()))


def _rooted(tokens: list[Token]) -> list[Token]:
    """The tokens with a root and no cycle: when the parser's heads form a cycle instead ("—" sentences), the
    first token on the cycle becomes the root; a cycle beside the root ("Майнинг криптовалют … легализован")
    hangs from the root, so that every head chain ends and the words stay in the sentence's clause."""
    if not tokens:
        return tokens
    root = next((i for i, token in enumerate(tokens) if token.dep == "root"), None)
    for start in range(len(tokens)):
        seen: list[int] = []
        position = start
        while position not in seen and tokens[position].head != position:
            seen.append(position)
            position = tokens[position].head
        if tokens[position].head == position:
            continue  # the chain ends
        if root is None:
            root = position
            tokens[position] = tokens[position].model_copy(update={"head": position, "dep": "root"})
        else:
            tokens[position] = tokens[position].model_copy(update={"head": root, "dep": "dep"})
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
