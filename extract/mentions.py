"""The mentions stage: articles → AnalyzedArticle (sentences, their countries, normalised mentions).

Candidates come from the model's NER, the gazetteer ruler (ids travel on `ent_id_`) and the rule
finders for amounts, laws and dates, which run on each sentence's text. Where candidates overlap,
the more specific source wins: a law over anything inside it, a rule amount over the model's
MONEY/QUANTITY, a gazetteer entity over the model's guess. Every mention is then attributed to the
country its sentence is about (see attribute.py).
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import TypeAdapter

from extract.attribute import Signal, attribute_sentences
from extract.attribute_lookup import remember
from extract.gazetteer import (
    COUNTRY_ID_PREFIX,
    LABEL_BY_TYPE,
    PERSON_ID_PREFIX,
    SHARED_ID_PREFIX,
    Gazetteer,
    runs_on_into_another_name,
)
from extract.models import (
    AnalyzedArticle,
    Article,
    DateValue,
    EntityValue,
    LawValue,
    Mention,
    MentionValue,
    MoneyValue,
    Sentence,
    Token,
)
from extract.normalize.amounts import find_amounts, normalize_money, normalize_percent, normalize_quantity
from extract.normalize.currency import territory_currency
from extract.normalize.dates import find_dates, normalize_date
from extract.normalize.law_years import Cited, Dated, enactment_years
from extract.normalize.laws import find_laws, join_law_values
from extract.normalize.names import canonical_people, clean_name

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.strings import StringStore
    from spacy.tokens import Doc

# Currencies many countries use or price in: naming one says nothing about which country.
INTERNATIONAL_CURRENCIES = frozenset({"USD", "EUR", "GBP", "JPY", "CHF", "CNY"})
# Spans of these model labels become mentions; CARDINAL, ORDINAL, TIME … say nothing a record holds.
NER_ENTITY_TYPES = {"GPE": "place", "NORP": "norp", "ORG": "org", "PERSON": "person", "LOC": "place"}
# A month without a year takes the year of the date that closes its range ("from January to July 2025").
RANGE_GAP = re.compile(r"^\s*(?:-|–|—|to|through|thru|until|till|and|by way of)\s*$", re.IGNORECASE)
RANGE_OPENER = re.compile(r"(?:from|between)\s*$", re.IGNORECASE)
QUALIFIER_CONTEXT = 40
POSSESSIVE_GAP = re.compile(r"\s*(?:['’]s)?\s*")
# Citation markers ("2026.[1][4]") glue onto words and hide them from the tokenizer; they are
# blanked out, same length, so every offset still indexes the article text.
CITATION_MARKER = re.compile(r"\[\d+(?:[,–-]\d+)*\]")
# Longer lines (a whole article on one line) go to the model in pieces: spaCy's cost and memory per
# doc grow with the doc, and it refuses a text beyond nlp.max_length.
MAX_PIECE_CHARS = 5_000
# The model's memory grows with the text of one batch, its cost per batch is paid per step over the
# batch's longest piece: a batch is up to PIPE_BATCH pieces (most are a paragraph or a headline: many
# short ones are cheaper than 32, ~15% of the run) and up to PIPE_BATCH_CHARS of text. The character
# bound is what nearly every batch reaches, so a run meets its peak memory in its first batches, not
# in the rare text-heavy batch of a long run (a 64,000 bound let the peak climb 10% from 100 to 2,000
# articles; this one costs no measurable speed). A batch still takes PIPE_BATCH_MIN pieces: a one-line
# article's 5,000-character pieces two at a time took 30% longer.
PIPE_BATCH = 128
PIPE_BATCH_CHARS = 12_000
PIPE_BATCH_MIN = 8
# A spaCy pipeline keeps every word form it meets (vocabulary, string store, tokenizer cache, and our
# look-up components' caches: ~1 KB a form) as long as it lives, and a feed meets new names, figures
# and typos without end. Once its vocabulary has grown by this many forms, the analyzer loads a fresh
# pipeline between two chunks of articles (~1 s): the same annotations, since the model reads the
# words, not the store; the memory back where it started. The bench's articles meet ~3 new forms each:
# a renewal every ~1,700 articles; halving this bound and the word caches' (from 10,000) cost 0.5% of a
# 3,000-article run and took the 10,000-article peak from 290 MB to 279-287. spaCy's own
# remedy, `memory_zone`, turns the tokenizer's cache off inside the zone: a run took 20% longer.
VOCABULARY_GROWTH_LIMIT = 5_000
_TOKEN_LIST: TypeAdapter[list[Token]] = TypeAdapter(list[Token])


class Candidate(NamedTuple):
    start: int
    end: int
    kind: str
    label: str
    value: MentionValue
    source: str
    priority: int  # higher wins an overlap


class Analyzer:
    """The stage, built once per run: the spaCy pipeline, the gazetteer and the laws records know."""

    def __init__(
        self,
        nlp: Language,
        gazetteer: Gazetteer,
        known_laws: Mapping[str, Sequence[LawValue]] | None = None,
        *,
        claim_cues: Iterable[str] = (),
        topic_cues: Iterable[str] = (),
        reload: Callable[[], Language] | None = None,
    ) -> None:
        """`reload` makes a fresh pipeline like `nlp`, for when the vocabulary has grown too large (see
        VOCABULARY_GROWTH_LIMIT); without it the pipeline lives as long as the analyzer."""
        self.gazetteer = gazetteer
        # the laws each country's record names, by ISO code; all of them for what has no country
        self.known_laws_by_country = {code: tuple(laws) for code, laws in (known_laws or {}).items()}
        self.known_laws = tuple(
            dict.fromkeys(law for laws in self.known_laws_by_country.values() for law in laws)
        )
        # The parser runs on paragraphs with a claim cue (an action lemma) and a topic cue; none: no parse.
        self.claim_cues = frozenset(claim_cues)
        self.topic_cues = frozenset(topic_cues)
        self._cue_kinds_by_lemma: dict[int, tuple[bool, bool]] = {}
        # Entity values carry a country's link id; signals and attribution need its code, per mention.
        self._code_by_link = {country.link_id: code for code, country in gazetteer.countries.items()}
        self._reload = reload
        self._use(nlp)

    def _use(self, nlp: Language) -> None:
        self.nlp = nlp
        wants_parse = self.claim_cues and "parser" in nlp.component_names
        self.parser: Any = nlp.get_pipe("parser") if wants_parse else None
        self._strings = StringCache(nlp.vocab.strings)
        self._vocabulary_at_load = len(nlp.vocab)

    def _renew_if_grown(self) -> None:
        """A fresh pipeline when this one's vocabulary has grown by VOCABULARY_GROWTH_LIMIT forms."""
        if self._reload is None or len(self.nlp.vocab) - self._vocabulary_at_load < VOCABULARY_GROWTH_LIMIT:
            return
        max_length = self.nlp.max_length
        del self.nlp, self.parser, self._strings
        _collect_cycles()  # the old pipeline's objects refer to one another: freed by the collector only
        self._use(self._reload())
        self.nlp.max_length = max_length

    def analyze(
        self, articles: Iterable[Article], *, batch_size: int = 32, parse: bool = True
    ) -> Iterator[AnalyzedArticle]:
        """Analyse articles in order, streaming: at most `batch_size` articles are held at once. An article in
        another language that has a folder in extract/lang goes to that language's stage (extract.lang).
        `parse=False` leaves sentences without their parse (`Sentence.tokens`), which only claims read."""
        from extract.lang import analyze_by_language

        def english(chunk: Sequence[Article]) -> Iterator[AnalyzedArticle]:
            return self._analyze_english(chunk, parse=parse)

        return analyze_by_language(self, articles, english, batch_size=batch_size)

    def _analyze_english(
        self, articles: Sequence[Article], *, parse: bool = True
    ) -> Iterator[AnalyzedArticle]:
        """Analyse a batch of articles, streaming their pieces through the model: only the compact form
        of a piece (`Piece`) is kept until its article is complete, so memory follows the longest
        article, not the batch, and not spaCy's objects."""
        self._renew_if_grown()  # no doc of the last batch is alive now
        longest = min(self.nlp.max_length, MAX_PIECE_CHARS)
        texts = (
            (blank_citations(article.text[start:end]), (index, start))
            for index, article in enumerate(articles)
            for start, end in paragraph_spans(article.text, longest)
        )
        pieces: list[list[Piece]] = [[] for _ in articles]
        done = 0
        for index, piece in self._pieces(texts, parse=parse):
            while done < index:  # pieces arrive in order: the articles before this one are complete
                yield self._analyze_one(articles[done], pieces[done])
                pieces[done], done = [], done + 1
            pieces[index].append(piece)
        for index in range(done, len(articles)):
            yield self._analyze_one(articles[index], pieces[index])

    def _pieces(
        self, texts: Iterable[tuple[str, tuple[int, int]]], *, parse: bool
    ) -> Iterator[tuple[int, Piece]]:
        """(article index, Piece) of each text, in order: the model over all, the parser over those
        that may state a claim, a batch at a time."""
        for texts_batch in _pipe_batches(texts):
            batch = list(self.nlp.pipe(texts_batch, as_tuples=True, batch_size=len(texts_batch)))
            if parse:
                self._parse_claim_candidates([doc for doc, _ in batch])
            for doc, (index, start) in batch:
                yield index, Piece.of(doc, start, self._strings)

    def _analyze_one(self, article: Article, pieces: list[Piece]) -> AnalyzedArticle:
        published = _parse_day(article.published)
        sentences: list[tuple[int, int, int, tuple[int, int]]] = []  # start, end, paragraph, tokens
        entity_candidates: list[list[Candidate]] = []
        for paragraph, piece in enumerate(pieces):
            ents, first = piece.entities, 0
            for sent_start, sent_end, start_char, end_char in piece.sentences:
                while first < len(ents) and ents[first].start < sent_start:
                    first += 1
                last = first
                while last < len(ents) and ents[last].start < sent_end:
                    last += 1
                text = piece.text[start_char:end_char]
                if text.strip():
                    start = piece.offset + start_char + len(text) - len(text.lstrip())
                    sentences.append((start, start + len(text.strip()), paragraph, (sent_start, sent_end)))
                    inside = [ent for ent in ents[first:last] if ent.end <= sent_end]
                    found = self._entity_candidates(piece.offset, inside)
                    entity_candidates.append(self._qualified_by_country(article.text, found))
                first = last
        signals = [self._signals(candidates) for candidates in entity_candidates]
        main, countries = attribute_sentences(signals, [s[2] for s in sentences])

        mentions: list[Mention] = []
        sentence_models: list[Sentence] = []
        for (start, end, paragraph, (first_token, end_token)), candidates, country in zip(
            sentences, entity_candidates, countries, strict=True
        ):
            text = article.text[start:end]
            local = self._local_currency(country)
            rule_candidates = [
                *(
                    Candidate(start + m.start, start + m.end, "law", "LAW", m.value, f"rule:{m.rule}", 5)
                    for m in find_laws(text, self.known_laws_by_country.get(country or "", ()))
                ),
                *(
                    Candidate(start + m.start, start + m.end, m.kind, m.label, m.value, f"rule:{m.rule}", 4)
                    for m in find_amounts(text, local_currency=local)
                ),
                *(
                    Candidate(start + s, start + e, "date", "DATE", value, "rule:date", 3)
                    for s, e in find_dates(text)
                    if (value := normalize_date(text[s:e], published=published)) is not None
                ),
            ]
            model_candidates = [
                c
                for c in (self._model_value(article.text, c, local, published) for c in candidates)
                if c is not None
            ]
            model_candidates = [self._in_country(article.text, c, country or main) for c in model_candidates]
            chosen = _resolve_overlaps([*rule_candidates, *model_candidates])
            chosen = _with_citation_dates(chosen, rule_candidates)
            chosen = _inherit_range_years(article.text, chosen)
            for candidate in chosen:
                mentions.append(self._mention(article, candidate, (start, end), country))
            sentence_models.append(
                Sentence(
                    start=start,
                    end=end,
                    paragraph=paragraph,
                    country=country,
                    lemmas=pieces[paragraph].table.lemmas(first_token, end_token),
                    tokens=pieces[paragraph].table.tokens(first_token, end_token, pieces[paragraph].offset),
                )
            )
        return AnalyzedArticle(
            article=article,
            main_country=main,
            sentences=sentence_models,
            mentions=_with_enactment_years(article.text, sentence_models, _join_laws(_join_people(mentions))),
        )

    def _parse_claim_candidates(self, docs: list[Doc]) -> None:
        """Parse only the paragraphs that may state a claim (an action word and something a record
        holds: a crypto word or a name the gazetteer knows); the parser is the model's costliest part
        and the other paragraphs need no parse."""
        if self.parser is None:
            return
        from spacy.attrs import LEMMA

        wanted = []
        for doc in docs:
            cues = [self._cue_kinds(lemma) for lemma in set(doc.to_array(LEMMA).tolist())]
            if any(claim for claim, _ in cues) and (
                any(topic for _, topic in cues) or any(e.ent_id_ for e in doc.ents)
            ):
                wanted.append(doc)
        for _ in self.parser.pipe(wanted, batch_size=64):
            pass

    def _cue_kinds(self, lemma: int) -> tuple[bool, bool]:
        """(is a claim cue, is a topic cue) of a lemma's hash, remembered across documents."""
        kinds = self._cue_kinds_by_lemma.get(lemma)
        if kinds is None:
            text = self.nlp.vocab.strings[lemma].lower()
            kinds = (text in self.claim_cues, text in self.topic_cues)
            remember(self._cue_kinds_by_lemma, lemma, kinds)
        return kinds

    def _entity_candidates(self, offset: int, ents: Iterable[Entity]) -> list[Candidate]:
        """Entities and the model's amount/date spans of one sentence, values not yet normalised."""
        found = []
        for ent in ents:
            start = offset + ent.start_char
            end = start + len(ent.text)
            ref = ent.ent_id_
            if ref.startswith(COUNTRY_ID_PREFIX):
                country = self.gazetteer.countries[ref.removeprefix(COUNTRY_ID_PREFIX)]
                entity_type = "norp" if ent.label_ == "NORP" else "country"
                value: MentionValue = EntityValue(name=country.name, id=country.link_id, type=entity_type)
                found.append(Candidate(start, end, "entity", ent.label_, value, "rule:gazetteer", 2))
            elif ref.startswith(PERSON_ID_PREFIX):
                value = EntityValue(name=ref.removeprefix(PERSON_ID_PREFIX), id=None, type="person")
                found.append(Candidate(start, end, "entity", ent.label_, value, "rule:gazetteer", 2))
            elif ref.startswith(SHARED_ID_PREFIX):  # resolved once the sentence's country is known
                entity_type = next(t for t, label in LABEL_BY_TYPE.items() if label == ent.label_)
                value = EntityValue(name=ent.text, id=None, type=entity_type)
                found.append(Candidate(start, end, "entity", ent.label_, value, "rule:gazetteer", 2))
            elif ref in self.gazetteer.entities:
                entry = self.gazetteer.entities[ref]
                value = EntityValue(name=entry.name, id=entry.id, type=entry.type)
                found.append(Candidate(start, end, "entity", ent.label_, value, "rule:gazetteer", 2))
            elif ent.label_ in NER_ENTITY_TYPES:
                name = clean_name(ent.text)
                code = self.gazetteer.country_code(name) if ent.label_ in {"GPE", "NORP", "LOC"} else None
                person = self.gazetteer.person(name) if ent.label_ == "PERSON" else None
                if person is not None:
                    value = EntityValue(name=person.name, id=None, type="person")
                elif code is not None:
                    country = self.gazetteer.countries[code]
                    value = EntityValue(
                        name=country.name,
                        id=country.link_id,
                        type="norp" if ent.label_ == "NORP" else "country",
                    )
                elif name:
                    value = EntityValue(name=name, id=None, type=NER_ENTITY_TYPES[ent.label_])
                else:
                    continue
                found.append(Candidate(start, end, "entity", ent.label_, value, "ner", 1))
            elif ent.label_ in {"MONEY", "PERCENT", "QUANTITY", "DATE"}:
                placeholder = DateValue(iso=None, granularity="relative")
                found.append(Candidate(start, end, ent.label_.lower(), ent.label_, placeholder, "ner", 0))
        return found

    def _qualified_by_country(self, text: str, candidates: list[Candidate]) -> list[Candidate]:
        """A shared name right after another country ("Nigeria's SEC", "the Kenyan Capital Markets
        Authority") is that country's body, not the one the bare name usually means."""
        result = []
        for previous, candidate in zip([None, *candidates], candidates, strict=False):
            value = candidate.value
            if (
                previous is not None
                and isinstance(value, EntityValue)
                and value.type == "regulator"
                and isinstance(previous.value, EntityValue)
                and previous.value.type in {"country", "norp"}
                and POSSESSIVE_GAP.fullmatch(text[previous.end : candidate.start])
            ):
                code = self._code_of_link(previous.value.id or "")
                entry = self.gazetteer.entities.get(value.id or "")
                if code and (entry is None or entry.country != code):
                    local = self.gazetteer.entity_in_country(text[candidate.start : candidate.end], code)
                    value = (
                        EntityValue(name=local.name, id=local.id, type="regulator")
                        if local
                        else EntityValue(
                            name=text[candidate.start : candidate.end], id=None, type="regulator"
                        )
                    )
                    candidate = candidate._replace(value=value)
            result.append(candidate)
        return result

    def _in_country(self, text: str, candidate: Candidate, country: str | None) -> Candidate:
        """A name the bodies of several countries share ("AFM", "the National Bank") names the body of
        the country the sentence is about (see Gazetteer.shared_entity). A generic name that runs on into
        another name ("Central Bank Digital Currency", "National Bank's Investment Corporation") is
        not the body."""
        value = candidate.value
        if not (isinstance(value, EntityValue) and value.id is None and value.type in LABEL_BY_TYPE):
            return candidate
        surface = text[candidate.start : candidate.end]
        if runs_on_into_another_name(surface, text[candidate.end : candidate.end + 60]):
            return candidate._replace(value=EntityValue(name=surface, id=None, type="org"))
        entry = self.gazetteer.shared_entity(surface, country)
        if entry is None:
            return candidate
        return candidate._replace(value=EntityValue(name=entry.name, id=entry.id, type=entry.type))

    def _model_value(
        self, text: str, candidate: Candidate, local: str | None, published: dt.date | None
    ) -> Candidate | None:
        """Normalise a model amount/date span; entities are already normalised."""
        if candidate.source != "ner" or candidate.kind == "entity":
            return candidate
        span = text[candidate.start : candidate.end]
        before = text[max(0, candidate.start - QUALIFIER_CONTEXT) : candidate.start]
        value: MentionValue | None
        if candidate.kind == "money":
            value = normalize_money(span, local_currency=local, before=before)
        elif candidate.kind == "percent":
            value = normalize_percent(span, before=before)
        elif candidate.kind == "quantity":
            value = normalize_quantity(span, before=before)
        else:
            value = normalize_date(span, published=published)
        return None if value is None else candidate._replace(value=value)

    def _signals(self, candidates: Sequence[Candidate]) -> list[Signal]:
        signals = []
        for candidate in candidates:
            value = candidate.value
            if not isinstance(value, EntityValue):
                continue
            if value.type in {"country", "norp"} and value.id:
                code = self._code_of_link(value.id)
                if code:
                    signals.append(Signal(candidate.start, code, value.type))
            elif value.id in self.gazetteer.entities:
                entry = self.gazetteer.entities[value.id]
                if entry.country:
                    signals.append(Signal(candidate.start, entry.country, entry.type))
            elif value.type == "person" and (person := self.gazetteer.person(value.name)) and person.country:
                signals.append(Signal(candidate.start, person.country, "person"))
        return signals

    def _code_of_link(self, link_id: str) -> str | None:
        return self._code_by_link.get(link_id)

    def _local_currency(self, country: str | None) -> str | None:
        # CLDR's legal tender today: the gazetteer's list may be stale (El Salvador's colón, CHE for CHF)
        entry = self.gazetteer.countries.get(country or "")
        known = entry.currencies if entry else ()
        return territory_currency(country or "", known) or (known[0] if known else None)

    def _mention(
        self, article: Article, candidate: Candidate, sentence: tuple[int, int], country: str | None
    ) -> Mention:
        countries = [country] if country else []
        value = candidate.value
        if isinstance(value, EntityValue):
            if value.type in {"country", "norp"} and value.id:
                countries = [c for c in [self._code_of_link(value.id)] if c]
            elif value.id in self.gazetteer.entities:
                own = self.gazetteer.entities[value.id].country
                countries = [own] if own else countries
        elif (
            isinstance(value, MoneyValue)
            and value.currency
            and value.currency not in INTERNATIONAL_CURRENCIES
        ):
            users = self.gazetteer.currency_country(value.currency)
            if len(users) == 1 and users != countries:
                countries = users
        return Mention(
            article=article.id,
            kind=candidate.kind,
            label=candidate.label,
            start=candidate.start,
            end=candidate.end,
            text=article.text[candidate.start : candidate.end],
            sentence=sentence,
            value=value,
            countries=countries,
            source=candidate.source,
        )


def paragraph_spans(text: str, longest: int = MAX_PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line: headlines and list items are their own paragraphs.

    A line longer than `longest` is cut into pieces at most that long: after the last sentence end
    before the limit, else the last white space, else at the limit itself.
    """
    spans = []
    for line in re.finditer(r"[^\r\n]*\S[^\r\n]*", text):
        start, end = line.span()
        while end - start > longest:
            limit = start + longest
            cut = max(text.rfind(". ", start, limit), text.rfind("! ", start, limit),
                      text.rfind("? ", start, limit))
            if cut > start:
                cut += 1
            else:
                cut = max(text.rfind(" ", start, limit), text.rfind("\t", start, limit))
            cut = cut if cut > start else limit
            if text[start:cut].strip():
                spans.append((start, cut))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            spans.append((start, end))
    return spans


class Entity(NamedTuple):
    """What the stage reads of a spaCy entity span (names as spaCy's)."""

    start: int  # token indices in the piece
    end: int
    start_char: int
    text: str
    label_: str
    ent_id_: str


class Piece(NamedTuple):
    """What the stage keeps of one piece's Doc once the model and parser are done with it."""

    offset: int  # of the piece in the article text
    text: str  # the piece as the model read it (citation markers blanked)
    sentences: list[tuple[int, int, int, int]]  # first token, end token, start char, end char
    entities: list[Entity]
    table: TokenTable

    @classmethod
    def of(cls, doc: Doc, offset: int, strings: StringCache) -> Piece:
        return cls(
            offset=offset,
            text=doc.text,
            sentences=[(sent.start, sent.end, sent.start_char, sent.end_char) for sent in doc.sents],
            entities=[
                Entity(ent.start, ent.end, ent.start_char, ent.text, ent.label_, ent.ent_id_)
                for ent in doc.ents
            ],
            table=TokenTable(doc, strings),
        )


class StringCache:
    """spaCy's strings by hash, as written (`text`) and in lower case (`lower`): dicts that look a
    string up on its first use, so that a run indexes them like any dict."""

    def __init__(self, strings: StringStore) -> None:
        self.text = _LookedUp(lambda key: strings[key] if key else "")
        self.lower = _LookedUp(lambda key: self.text[key].lower())


class _LookedUp(dict[int, str]):
    def __init__(self, look_up: Callable[[int], str]) -> None:
        super().__init__()
        self.look_up = look_up

    def __missing__(self, key: int) -> str:
        return remember(self, key, self.look_up(key))


class TokenTable:
    """A doc's token attributes read once as one array, for the lemmas and the parse of its sentences
    (reading them token by token through spaCy's objects was a tenth of the stage)."""

    def __init__(self, doc: Doc, strings: StringCache) -> None:
        from spacy.attrs import DEP, HEAD, IDX, IS_SPACE, LEMMA, LENGTH, MORPH, POS

        self.array = doc.to_array([IDX, LENGTH, LEMMA, POS, DEP, MORPH, IS_SPACE, HEAD])
        self.parsed = doc.has_annotation("DEP")
        self.strings = strings

    def lemmas(self, start: int, end: int) -> str:
        """The lower-case lemmas of tokens start…end, white space left out."""
        lower = self.strings.lower
        return " ".join(lower[row[2]] for row in self.array[start:end].tolist() if not row[6])

    def tokens(self, start: int, end: int, offset: int) -> list[Token]:
        """The parse of the sentence of tokens start…end, with article offsets (none if not parsed);
        a head outside the sentence makes a root. These are the most numerous objects of a run: they
        are validated as one list, which costs less than building each without validation."""
        if not self.parsed:
            return []
        text, lower = self.strings.text, self.strings.lower
        rows = self.array[start:end].tolist()
        heads = self.array[start:end, -1].astype("int64").tolist()  # offsets to the head, stored unsigned
        return _TOKEN_LIST.validate_python(
            [
                {
                    "start": offset + idx,
                    "end": offset + idx + length,
                    "lemma": lower[lemma],
                    "pos": text[pos],
                    "dep": text[dep],
                    "head": head - start if start <= (head := i + to_head) < end else i - start,
                    "morph": "" if (morph_text := text[morph]) == "_" else morph_text,
                }
                for i, (idx, length, lemma, pos, dep, morph, _, _), to_head in zip(
                    range(start, end), rows, heads, strict=True
                )
            ]
        )


def _pipe_batches(
    texts: Iterable[tuple[str, tuple[int, int]]],
) -> Iterator[list[tuple[str, tuple[int, int]]]]:
    """The texts in batches of at most PIPE_BATCH items and PIPE_BATCH_CHARS characters, except that a
    batch holds at least PIPE_BATCH_MIN items whatever their length."""
    batch: list[tuple[str, tuple[int, int]]] = []
    chars = 0
    for item in texts:
        full = len(batch) == PIPE_BATCH
        if full or (len(batch) >= PIPE_BATCH_MIN and chars + len(item[0]) > PIPE_BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += len(item[0])
    if batch:
        yield batch


def _collect_cycles() -> None:
    """A full collection, even of the objects a map process has frozen out of the collector's walks
    (`extract.batch.settle_collector`); those still alive are frozen again after."""
    frozen = gc.get_freeze_count() > 0
    if frozen:
        gc.unfreeze()
    gc.collect()
    if frozen:
        gc.freeze()


def blank_citations(text: str) -> str:
    return CITATION_MARKER.sub(lambda m: " " * len(m.group()), text)


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the best of overlapping candidates: higher priority, then longer, then earlier."""
    chosen: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if all(candidate.end <= other.start or other.end <= candidate.start for other in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: (c.start, c.end))


def _with_citation_dates(chosen: list[Candidate], rule_candidates: list[Candidate]) -> list[Candidate]:
    """A law cited with its day ("resolution dated September 16, 2022, No. 514") keeps that day as a
    date mention too: the day an act was adopted is a date a record may need; a year in a name is not."""
    laws = [c for c in chosen if c.kind == "law"]
    days = [
        c
        for c in rule_candidates
        if isinstance(c.value, DateValue)
        and c.value.granularity == "day"
        and any(law.start <= c.start and c.end <= law.end for law in laws)
    ]
    return sorted([*chosen, *days], key=lambda c: (c.start, c.end)) if days else chosen


def _inherit_range_years(text: str, candidates: list[Candidate]) -> list[Candidate]:
    dates = [c for c in candidates if isinstance(c.value, DateValue)]
    replaced = {}
    for first, second in pairwise(dates):
        first_value, second_value = first.value, second.value
        assert isinstance(first_value, DateValue) and isinstance(second_value, DateValue)
        if (
            first_value.iso
            and first_value.iso.startswith("XXXX")
            and second_value.iso
            and not second_value.iso.startswith("XXXX")
            and second_value.iso[:4].isdigit()
            and RANGE_GAP.match(text[first.end : second.start])
            and RANGE_OPENER.search(text[max(0, first.start - 10) : first.start])
        ):
            iso = second_value.iso[:4] + first_value.iso[4:]
            replaced[first] = first._replace(value=first_value.model_copy(update={"iso": iso}))
    return [replaced.get(c, c) for c in candidates]


def _join_laws(mentions: list[Mention]) -> list[Mention]:
    """Give every citation of one law in an article one value (see `join_law_values`)."""
    laws = [(i, m.value) for i, m in enumerate(mentions) if isinstance(m.value, LawValue)]
    joined = dict(zip([i for i, _ in laws], join_law_values([v for _, v in laws]), strict=True))
    return [m.model_copy(update={"value": joined[i]}) if i in joined else m for i, m in enumerate(mentions)]


def _with_enactment_years(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[Mention]:
    """A law the article names without a year anywhere takes the year of the sentence that enacts it
    (see extract.normalize.law_years)."""
    laws = [(m.start, m.end, m.value) for m in mentions if isinstance(m.value, LawValue)]
    with_year = {value.name for _, _, value in laws if value.year}
    undated = [Cited(start, end, value.name) for start, end, value in laws if value.name not in with_year]
    if not undated:
        return mentions
    dates = [  # a date inside a law's citation is that law's, not the sentence's
        Dated(m.start, m.end, int(m.value.iso[:4]))
        for m in mentions
        if isinstance(m.value, DateValue) and m.value.iso and m.value.iso[:4].isdigit()
        and not any(start <= m.start and m.end <= end for start, end, _ in laws)
    ]
    years = enactment_years(text, [(s.start, s.end, s.paragraph) for s in sentences], undated, dates)
    return [
        m.model_copy(update={"value": m.value.model_copy(update={"year": years[m.value.name]})})
        if isinstance(m.value, LawValue) and m.value.year is None and m.value.name in years
        else m
        for m in mentions
    ]


def _join_people(mentions: list[Mention]) -> list[Mention]:
    """Give every spelling of one person in an article the fullest name found for them."""
    people = [m.value.name for m in mentions if isinstance(m.value, EntityValue) and m.value.type == "person"]
    canonical = canonical_people(people)
    return [
        m.model_copy(update={"value": m.value.model_copy(update={"name": canonical[m.value.name]})})
        if isinstance(m.value, EntityValue) and m.value.type == "person"
        else m
        for m in mentions
    ]
