"""The model's attribute ruler and lemmatizer as dictionary look-ups: the same annotations at a
fraction of the cost.

spaCy's `AttributeRuler` runs a `Matcher` over every token to apply its patterns (in the English
model: the tag map, tag → POS and morphology, and ~120 word exceptions). Nearly all of them are
single-token patterns over attributes that depend only on the token's lower-case form, its tag,
whether it is white space and its dependency label, so their merged result is a function of those
four values: computed once per distinct combination and then looked up. The few multi-token patterns
("gon na", "let 's") are checked only where their first token matches. Patterns outside that
subset (an `OP`, another attribute or predicate) keep the original component (`compile_ruler`
returns None).

The lemmatizer's rule and look-up modes read only a token's text, POS and morphology: its lemma is
remembered per combination of those and written for a whole doc at once (`LookupLemmatizer`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token
    from spacy.vocab import Vocab
    from thinc.types import Ints2d

FACTORY = "extract_attribute_lookup"
LEMMA_FACTORY = "extract_lemma_lookup"
# spaCy lemmatizer modes whose result depends on nothing but the token's text, POS and morphology
KEYED_LEMMA_MODES = frozenset({"rule", "lookup"})
# Token attribute → how to read its value; the key of a token is these values, in this order.
KEY_ATTRIBUTES = ("LOWER", "TAG", "IS_SPACE", "DEP")
TokenKey = tuple[str, str, bool, str]
Predicate = Callable[[TokenKey], bool]
# (order, predicate, attrs, the lower-case form it asks for, the tag it asks for)
Single = tuple[int, Predicate, dict[Any, Any], str | None, str | None]


# A per-word cache holds at most this many keys, then starts again: a long run meets new names,
# figures and typos without end, and each cached word form costs ~100-200 bytes per cache (five
# caches). The frequent words are back after one batch. 5,000 rather than 10,000 (and the vocabulary
# renewal's bound halved with it, extract.mentions) cost 0.5% of a 3,000-article run; the five hold
# ~3.7 MB at 5,000 entries each.
WORD_CACHE_LIMIT = 5_000

K = TypeVar("K")
V = TypeVar("V")


def remember(cache: dict[K, V], key: K, value: V) -> V:
    """Put a value in a per-word cache, emptied first when it holds WORD_CACHE_LIMIT keys."""
    if len(cache) >= WORD_CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


def _value_predicate(position: int, condition: Any) -> Predicate | None:
    """A predicate for one attribute's condition, as the Matcher reads it; None if not supported."""
    if isinstance(condition, (str, bool)):
        return lambda key: key[position] == condition
    if not isinstance(condition, Mapping) or len(condition) != 1:
        return None
    ((operator, operand),) = condition.items()
    if operator == "IN":
        allowed = frozenset(operand)
        return lambda key: key[position] in allowed
    if operator == "NOT_IN":
        forbidden = frozenset(operand)
        return lambda key: key[position] not in forbidden
    if operator == "REGEX":
        pattern = re.compile(operand)
        return lambda key: isinstance(key[position], str) and pattern.search(key[position]) is not None
    return None


def _token_predicate(spec: Mapping[str, Any]) -> Predicate | None:
    checks = []
    for attribute, condition in spec.items():
        if attribute not in KEY_ATTRIBUTES:
            return None
        check = _value_predicate(KEY_ATTRIBUTES.index(attribute), condition)
        if check is None:
            return None
        checks.append(check)
    return lambda key: all(check(key) for check in checks)


class LookupAttributeRuler:
    """Applies a compiled attribute ruler; see the module docstring."""

    def __init__(
        self,
        singles: Sequence[Single],
        sequences: Sequence[tuple[int, tuple[Predicate, ...], int, dict[Any, Any]]],
    ) -> None:
        # see `Single`; sequences are (order, predicates, index, attrs); attrs normalised to ids
        self.singles = singles
        self.sequences = sequences
        # A new key is checked only against the single-token patterns that can match it: those that
        # ask for its lower-case form, those that ask for its tag, and those that ask for neither.
        self._singles_by_lower: dict[str, list[int]] = {}
        self._singles_by_tag: dict[str, list[int]] = {}
        self._singles_any: list[int] = []
        for number, (_, _, _, lower, tag) in enumerate(singles):
            if lower is not None:
                self._singles_by_lower.setdefault(lower, []).append(number)
            elif tag is not None:
                self._singles_by_tag.setdefault(tag, []).append(number)
            else:
                self._singles_any.append(number)
        self._by_key: dict[tuple[int, int, bool, int], tuple[dict[Any, Any], tuple[int, ...]]] = {}
        # Most keys share their result (a tag's POS and morphology): one copy of each, however many
        # words a long run meets.
        self._results: dict[tuple[Any, ...], tuple[dict[Any, Any], tuple[int, ...]]] = {}

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens._retokenize import set_token_attrs

        looked_up = [self._look_up(token) for token in doc]
        late: dict[int, list[tuple[int, int, dict[Any, Any]]]] = {}  # token → (order, start, attrs)
        for start, (_, first_matches) in enumerate(looked_up):
            for number in first_matches:
                order, predicates, index, attrs = self.sequences[number]
                end = start + len(predicates)
                if end <= len(doc) and all(
                    predicate(_key(doc[i]))
                    for predicate, i in zip(predicates[1:], range(start + 1, end), strict=True)
                ):
                    target = (start if index >= 0 else end) + index
                    late.setdefault(target, []).append((order, start, attrs))
        for i, (merged, _) in enumerate(looked_up):
            if i in late:
                token = doc[i]
                singles = [(order, i, attrs) for order, predicate, attrs, _, _ in self.singles
                           if predicate(_key(token))]
                for _, _, attrs in sorted([*singles, *late[i]], key=lambda match: match[:2]):
                    set_token_attrs(token, attrs)
            elif merged:
                set_token_attrs(doc[i], merged)
        return doc

    def _look_up(self, token: Token) -> tuple[dict[Any, Any], tuple[int, ...]]:
        """The merged attributes of the single-token patterns a token matches, and the multi-token
        patterns whose first token it matches."""
        ids = (token.lower, token.tag, token.is_space, token.dep)
        found = self._by_key.get(ids)
        if found is None:
            key = _key(token)
            merged: dict[Any, Any] = {}
            candidates = sorted(
                [*self._singles_by_lower.get(key[0], ()), *self._singles_by_tag.get(key[1], ()),
                 *self._singles_any]
            )
            for number in candidates:
                _, predicate, attrs, _, _ = self.singles[number]
                if predicate(key):
                    merged.update(attrs)
            firsts = tuple(n for n, (_, predicates, _, _) in enumerate(self.sequences) if predicates[0](key))
            shared = (tuple(sorted(merged.items())), firsts)
            found = remember(self._by_key, ids, self._results.setdefault(shared, (merged, firsts)))
        return found


def _key(token: Token) -> TokenKey:
    return (token.lower_, token.tag_, token.is_space, token.dep_)


def compile_patterns(vocab: Vocab, patterns: Sequence[Mapping[str, Any]]) -> LookupAttributeRuler | None:
    """The look-up form of an attribute ruler's patterns, or None when one is outside the supported
    subset."""
    from spacy.tokens._retokenize import normalize_token_attrs

    singles: list[Single] = []
    sequences: list[tuple[int, tuple[Predicate, ...], int, dict[Any, Any]]] = []
    for order, rule in enumerate(patterns):
        attrs = normalize_token_attrs(vocab, dict(rule["attrs"]))
        index = rule.get("index", 0)
        for pattern in rule["patterns"]:
            predicates = [_token_predicate(spec) for spec in pattern]
            if not predicates or any(p is None for p in predicates):
                return None
            if len(pattern) == 1:
                if index not in (0, -1):
                    return None
                spec = pattern[0]
                lower, tag = spec.get("LOWER"), spec.get("TAG")
                lower = lower if isinstance(lower, str) else None
                tag = tag if isinstance(tag, str) else None
                singles.append((order, predicates[0], attrs, lower, tag))  # type: ignore[arg-type]
            else:
                sequences.append((order, tuple(predicates), index, attrs))  # type: ignore[arg-type]
    return LookupAttributeRuler(singles, sequences)


def use_lookup_attributes(nlp: Language, name: str = "attribute_ruler") -> None:
    """Swap the pipeline's attribute ruler for its look-up form, when its patterns allow one."""
    if name not in nlp.component_names:
        return
    patterns = nlp.get_pipe(name).patterns  # type: ignore[attr-defined]
    if compile_patterns(nlp.vocab, patterns) is None:
        return
    _register()
    nlp.replace_pipe(name, FACTORY, config={"patterns": patterns})


class LookupLemmatizer:
    """Applies a spaCy lemmatizer (rule or look-up mode) once per distinct (text, POS, morphology)."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self._by_key: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = cast("Ints2d", rows[:, 3:].copy())
        strings = doc.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not self.lemmatizer.overwrite:
                continue
            found = self._by_key.get((orth, pos, morph))
            if found is None:
                found = remember(
                    self._by_key, (orth, pos, morph), strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                )
            lemmas[i, 0] = found
        doc.from_array([LEMMA], lemmas)
        return doc


def use_lookup_lemmas(nlp: Language, name: str = "lemmatizer") -> None:
    """Put the look-up form in the pipeline's lemmatizer's place; the original stays, disabled, as the
    source of each new lemma."""
    if name not in nlp.pipe_names or getattr(nlp.get_pipe(name), "mode", None) not in KEYED_LEMMA_MODES:
        return
    _register()
    source = f"{name}_rules"
    nlp.rename_pipe(name, source)
    nlp.add_pipe(LEMMA_FACTORY, name=name, after=source, config={"source": source})
    nlp.disable_pipe(source)


def _register() -> None:
    from spacy.language import Language

    if Language.has_factory(FACTORY):
        return

    def make_lemma_lookup(nlp: Language, name: str, source: str) -> LookupLemmatizer:
        return LookupLemmatizer(nlp.get_pipe(source))

    Language.factory(LEMMA_FACTORY, default_config={"source": "lemmatizer_rules"}, func=make_lemma_lookup)

    def make_lookup(nlp: Language, name: str, patterns: list[dict[str, Any]]) -> LookupAttributeRuler:
        compiled = compile_patterns(nlp.vocab, patterns)
        assert compiled is not None  # checked before the swap
        return compiled

    Language.factory(FACTORY, default_config={"patterns": []}, func=make_lookup)
