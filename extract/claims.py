"""Claims: who does what to what, how far it has gone and when — read from each sentence's parse.

One claim per action in a sentence: a verb ("banned", "must obtain", "signed") or an action noun
carried by a light verb ("imposed a ban", "introduced a 15% tax"). For each the parse gives
- the actor: the subject, or the agent of a passive ("fined by the regulator");
- the object and its scope: crypto as a whole, one activity (mining, trading, payments), one kind
  of actor ("illegal exchanges": a measure against some actors is enforcement, not a ban), a CBDC,
  a stablecoin;
- the polarity: negated ("does not require"), lifted ("lifted the ban", "no longer prohibits");
- the stage, from the predicate and every word that governs it, read from the top of the sentence
  down: "is considering a bill that would ban" is considered, "signed a law that will require" is
  signed, "the draft requires" is drafted, a plain statement ("exchanges must hold …") is enacted;
- its time: a date the clause ties to the change ("from 1 July 2026" effective, "by March" deadline);
- the mentions inside the action's clause (amounts, laws, regulators, coins).

The words are data (`lang/<language>/claims.json`), so another language is a lexicon, not code.
The stage is pure: AnalyzedArticle → Claims.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal, TypeVar, cast

from pydantic import Field, ValidationError

from extract.attribute import claim_country
from extract.errors import ConfigError
from extract.models import AnalyzedArticle, Contract, DateValue, EntityValue, Mention, Sentence, Span, Token

Stage = Literal[
    "rumoured",
    "considered",
    "proposed",
    "drafted",
    "planned",
    "passed",
    "signed",
    "enacted",
    "in_force",
    "repealed",
]
ENACTED: frozenset[str] = frozenset({"signed", "enacted", "in_force"})
Polarity = Literal["positive", "negated", "lifted"]
ActorKind = Literal[
    "state",
    "head_of_state",
    "parliament",
    "central_bank",
    "regulator",
    "court",
    "company",
    "foreign_body",
    "person",
    "unknown",
]
STATE_ACTORS: frozenset[str] = frozenset(
    {"state", "head_of_state", "parliament", "central_bank", "regulator"}
)


class Deps(Contract):
    """The parser's dependency labels, by the role the claims stage gives them."""

    subject: tuple[str, ...]
    passive_subject: tuple[str, ...]
    object: tuple[str, ...]
    agent: tuple[str, ...]
    preposition: tuple[str, ...]
    preposition_object: tuple[str, ...]
    negation: tuple[str, ...]
    auxiliary: tuple[str, ...]
    clause: tuple[str, ...]
    conjunct: tuple[str, ...]
    modifier: tuple[str, ...]
    particle: tuple[str, ...]
    oblique: tuple[str, ...] = Field(
        (), description="A noun on its head marked by a `case` child (UD: 'запрет на майнинг', 'obl'/'nmod')."
    )
    case: tuple[str, ...] = Field((), description="The preposition under its noun (UD 'case').")
    relative_clause: tuple[str, ...] = Field(("relcl",), description="A clause on the noun it describes.")
    bare_object: tuple[str, ...] = Field(
        (), description="A noun action's unmarked noun that is its object ('запуск цифрового сома')."
    )


class ClaimLexicon(Contract):
    """One language's words for claims (lang/<language>/claims.json)."""

    language: str
    deps: Deps
    actions: dict[str, tuple[str, ...]]
    stages: dict[Stage, tuple[str, ...]]
    hedge_stages: tuple[Stage, ...]
    stage_idioms: tuple[str, ...] = Field(
        (), description="Phrases whose words set no stage ('пилотный проект' is a pilot, not a draft)."
    )
    future: tuple[str, ...]
    future_features: tuple[str, ...] = Field(
        (), description="Morphological features of a verb or its auxiliary that make it future ('Tense=Fut')."
    )
    obligation: tuple[str, ...]
    negation: tuple[str, ...]
    lifting: tuple[str, ...]
    actors: dict[ActorKind, tuple[str, ...]]
    scopes: dict[str, tuple[str, ...]]
    illicit: tuple[str, ...]
    whole_modifiers: tuple[str, ...]
    participle_actions: tuple[str, ...] = Field(
        description="Actions a participle before a noun still states."
    )
    instruments: tuple[str, ...] = Field(
        description="Legal acts whose participles state their content ('a decree prohibiting …')."
    )
    core_activities: tuple[str, ...] = Field(
        description="An activity whose ban alone bans crypto as a whole ('prohibited trading in crypto')."
    )
    whole_activities: tuple[str, ...] = Field(
        description="Scopes that with crypto still mean all of crypto ('all crypto trading and payments')."
    )
    reporting_verbs: tuple[str, ...]
    relative_pronouns: tuple[str, ...] = Field(description='"that", "which": stand for the noun they follow.')
    cbdc_patterns: tuple[str, ...] = Field(
        description='CBDC names made from currency unit words: "digital {unit}".'
    )
    glossary: dict[str, str] = Field(
        default_factory=dict,
        description="This language's lemmas (or phrases of lemmas) → the English lemmas field rules use.",
    )
    object_prepositions: tuple[str, ...] = Field(
        description="Prepositions that introduce what an action is done to ('a ban on mining')."
    )
    target_prepositions: tuple[str, ...] = Field(
        description="Prepositions of a light verb that name an action noun's target ('imposed a fine on X')."
    )
    effective_cues: tuple[str, ...] = Field(description="Words right before a date from which it applies.")
    deadline_cues: tuple[str, ...] = Field(description="Words right before a date by which it must be done.")
    date_cue_fillers: tuple[str, ...] = Field(
        description="Words that may stand between such a cue and its date ('from the', 'by on')."
    )
    genitive_attribute: str | None = Field(
        None,
        description="The English word a noun's genitive attribute reads with in the clause's lemmas ('of': "
        "'стоимость электроэнергия' → 'стоимость of электроэнергия', glossed 'cost of electricity'); "
        "none where the language writes that word itself.",
    )


class ClaimParty(Contract):
    """The actor or the object of a claim."""

    text: str = Field(description="The phrase, compacted to its head and close modifiers.")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: str = Field(description="Actor: state, regulator, company …; object: its first scope or 'other'.")
    country: str | None = Field(None, description="The country a named entity in the phrase belongs to.")
    via: str | None = Field(None, description='The preposition that introduces an object ("ban on …").')
    extent_end: int | None = Field(
        None, description='End of the whole noun phrase ("amendments to the Law on …"), without its clauses.'
    )


class Claim(Contract):
    """One action a sentence states, with its actor, object, polarity, stage and time."""

    article: str
    sentence: Span
    predicate: Span = Field(description="The action word in the article text.")
    lemma: str = Field(description='The action word\'s lemma, with its particle ("shut down").')
    wording: str = Field(description='The action as written: "shut down", "imposed a fine of €1.2 million".')
    via_phrase: str | None = Field(None, description='Its first prepositional phrase: "with the SEC".')
    action: str = Field(description="The action class from the lexicon (ban, license, tax, launch …).")
    actor: ClaimParty | None
    object: ClaimParty | None
    scopes: list[str] = Field(description="Scopes the object (else the clause) names: crypto, mining …")
    topics: list[str] = Field(description="Scopes the sentence or the one before it in its paragraph names.")
    illicit: bool = Field(description="The object is a kind of illegal or unlicensed actor.")
    polarity: Polarity
    stage: Stage
    stage_stated: bool = Field(
        True, description="A word of the sentence set the stage (else: enacted by default)."
    )
    obligation: bool = Field(description="The clause states a duty (must, required, at least …).")
    effective: str | None = Field(None, description="ISO date the change takes effect, if stated.")
    dated: str | None = Field(None, description="The first dated mention of the sentence: when it happened.")
    past: bool = Field(False, description='Told in the simple past ("paid", "banned in 2021"): history.')
    deadline: str | None = Field(None, description="ISO date by which it must be done, if stated.")
    terms: str = Field(description="Lemmas of the action's clause joined by spaces, for field-rule cues.")
    core: str = Field(description="Lemmas of the action word and its object: what the action is done to.")
    whole: bool = Field(description="The object is crypto as a whole (no restricting modifier).")
    finite: bool = Field(
        description="Stated as an act (a finite verb, a passive, a noun), not an infinitive "
        "or a gerund ('allowing the country to permit …')."
    )
    mentions: list[int] = Field(description="Indexes of the article's mentions inside the clause.")
    country: str | None = Field(description="The country the claim is about (attribute.claim_country).")
    foreign_actor: bool = Field(description="A state body of another country (or an international one) acts.")
    rule: str = Field(description='How it was read: "claim:<action>:<verb|noun>".')

    @property
    def enacted(self) -> bool:
        return self.stage in ENACTED


@cache
def load_lexicon(language: str = "en") -> ClaimLexicon:
    """The shipped lexicon of one language, validated; a bad file is a ConfigError naming it."""
    path = resources.files("extract") / "lang" / language / "claims.json"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"no claims lexicon for language {language!r}",
            where=str(path),
            fix="add lang/<language>/claims.json",
        ) from None
    try:
        data = json.loads(text)
        data.pop("_doc", None)
        lexicon = ClaimLexicon.model_validate(data)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"not valid JSON ({exc.msg})", where=f"{path}:{exc.lineno}", fix="fix the JSON"
        ) from None
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][-1]) if error["loc"] else ""
        raise ConfigError(
            f"{'.'.join(map(str, error['loc']))}: {error['msg']}",
            where=f"{path}:{_line_of(text, key)}",
            fix="fix the key against ClaimLexicon in extract/claims.py",
        ) from None
    return _with_currency_cbdcs(lexicon)


def _with_currency_cbdcs(lexicon: ClaimLexicon) -> ClaimLexicon:
    """CBDC names from every currency's unit word ("digital shilling", "e-dirham"), so a country's
    central bank digital currency is known without a list of them."""
    from babel import Locale

    units = {
        name.split()[-1].lower()
        for name in Locale(lexicon.language).currencies.values()
        if not name.endswith(")")
    }
    generated = [pattern.format(unit=unit) for unit in sorted(units) for pattern in lexicon.cbdc_patterns]
    scopes = {**lexicon.scopes, "cbdc": (*lexicon.scopes.get("cbdc", ()), *generated)}
    return lexicon.model_copy(update={"scopes": scopes})


def _gloss(lemmas: str, lexicon: ClaimLexicon) -> str:
    """A clause's lemmas in the field rules' words: another language maps its own to English ones
    ("капитал" → "capital"), so one set of field rules serves every language. A phrase of the
    glossary is read before its words ("законный платёжный средство" → "legal tender")."""
    if not lexicon.glossary:
        return lemmas
    words = lemmas.split()
    longest = max(len(key.split()) for key in lexicon.glossary)
    out: list[str] = []
    at = 0
    while at < len(words):
        for length in range(min(longest, len(words) - at), 0, -1):
            english = lexicon.glossary.get(" ".join(words[at : at + length]))
            if english is not None:
                out.append(english)
                at += length
                break
        else:
            out.append(words[at])
            at += 1
    return " ".join(out)


def _when_cue(lexicon: ClaimLexicon) -> re.Pattern[str]:
    """A cue word, and at most one filler, right before a date: "from 1 July", "by the end of"."""
    cues = sorted({*lexicon.effective_cues, *lexicon.deadline_cues}, key=lambda cue: (-len(cue), cue))
    fillers = "|".join(re.escape(word) for word in lexicon.date_cue_fillers)
    filler = rf"(?:(?:{fillers})\s+)?" if fillers else ""
    return re.compile(rf"\b({'|'.join(map(re.escape, cues))})\s+{filler}$", re.IGNORECASE)


def _line_of(text: str, key: str) -> int:
    at = text.find(f'"{key}"') if key else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


class _Words:
    """A lexicon's word lists as sets of lemma tuples, for phrase look-ups over token lemmas."""

    def __init__(self, lexicon: ClaimLexicon) -> None:
        self.lexicon = lexicon
        self.when_cue = _when_cue(lexicon)
        self.action_of: dict[str, str] = {}
        deps = lexicon.deps
        # the children of a word whose words say its stage (_node_stage), and their own words
        self.stage_phrase_deps = frozenset(
            (
                *deps.auxiliary,
                *deps.modifier,
                *deps.preposition,
                *deps.oblique,
                *deps.particle,
                *deps.subject,
                *deps.passive_subject,
                *deps.object,
            )
        )
        self.stage_word_deps = frozenset((*deps.modifier, *deps.preposition_object, *deps.case))
        for action, lemmas in lexicon.actions.items():
            for lemma in lemmas:
                self.action_of.setdefault(lemma, action)


S = TypeVar("S")
T = TypeVar("T")
# (what was built, id of what it was built from) → (that source, the result); keeping the source keeps
# its id from being reused meanwhile
_BUILT: dict[tuple[Callable[[Any], Any], int], tuple[Any, Any]] = {}


def _built(build: Callable[[S], T], source: S) -> T:
    """`build(source)`, made once per source object: a lexicon's tables, a phrase list's finder."""
    key = (build, id(source))
    found = _BUILT.get(key)
    if found is None or found[0] is not source:
        found = _BUILT[key] = (source, build(source))
    return cast(T, found[1])


def _words(lexicon: ClaimLexicon) -> _Words:
    """The look-up tables of a lexicon, built once per lexicon object."""
    return _built(_Words, lexicon)


def _has(phrase_list: Sequence[str], terms: str) -> str | None:
    """The first phrase of the list found in a space-joined lemma string, on word boundaries."""
    return _finder(phrase_list).first(terms)


def _finder(phrase_list: Sequence[str]) -> _PhraseFinder:
    return _built(_PhraseFinder, phrase_list)


class _PhraseFinder:
    """A phrase list as one expression: at each word boundary the regex tries the phrases in list order,
    so the smallest index over all boundaries is the list's first phrase present. One scan in C instead
    of one substring test per phrase, which was a third of the claims stage."""

    def __init__(self, phrases: Sequence[str]) -> None:
        self.phrases = phrases
        self.index: dict[str, int] = {}
        for index, phrase in enumerate(phrases):
            self.index.setdefault(phrase, index)
        alternatives = "|".join(map(re.escape, phrases))
        self.pattern = re.compile(f"(?= ({alternatives}) )")
        self.first_words = frozenset(phrase.split(" ")[0] for phrase in phrases)

    def first(self, terms: str) -> str | None:
        # most look-ups find nothing, and a phrase's first word settles most of those at once
        if self.first_words.isdisjoint(_word_set(terms)):
            return None
        padded = f" {terms} "
        match = self.pattern.search(padded)
        if match is None:
            return None
        found = min(self.index[later.group(1)] for later in self.pattern.finditer(padded, match.start()))
        return self.phrases[found]

    def occurs(self, terms: str) -> bool:
        """Whether any phrase of the list is in the string (`first` without the first-word check)."""
        return self.pattern.search(f" {terms} ") is not None


K = TypeVar("K")


def _lists_with(lists: Mapping[K, Sequence[str]], terms: str) -> list[K]:
    """The names of the lists (in their order) that have a phrase in a space-joined lemma string."""
    return _built(_PhraseBook, lists).lists_with(terms)


class _PhraseBook:
    """Named phrase lists looked up together: only the lists with a phrase that starts with one of the
    string's words are searched (most strings hold none of a dozen lists' words, and one set
    intersection settles that instead of a look-up per list)."""

    def __init__(self, lists: Mapping[Any, Sequence[str]]) -> None:
        self.lists = lists
        self.names = list(lists)
        self.positions_by_word: dict[str, set[int]] = {}
        for position, phrases in enumerate(lists.values()):
            for phrase in phrases:
                self.positions_by_word.setdefault(phrase.split(" ")[0], set()).add(position)
        self.first_words = frozenset(self.positions_by_word)

    def lists_with(self, terms: str) -> list[Any]:
        words = self.first_words.intersection(_word_set(terms))
        if not words:
            return []
        positions = sorted(set().union(*(self.positions_by_word[word] for word in words)))
        names = (self.names[position] for position in positions)
        return [name for name in names if _finder(self.lists[name]).occurs(terms)]


@lru_cache(maxsize=256)
def _word_set(terms: str) -> frozenset[str]:
    """The words of a lemma string; one string is looked up in many lists in a row."""
    return frozenset(terms.split(" "))


class _Parse:
    """One sentence's tokens with children lists; `genitive_attribute` as in ClaimLexicon."""

    def __init__(self, tokens: Sequence[Token], genitive_attribute: str | None = None) -> None:
        self.tokens = tokens
        self.genitive_attribute = genitive_attribute
        self.children: list[list[int]] = [[] for _ in tokens]
        self._subtrees: dict[tuple[int, frozenset[int]], list[int]] = {}
        self.node_stages: dict[int, Stage | None] = {}  # see _node_stage
        for index, token in enumerate(tokens):
            if token.head != index and 0 <= token.head < len(tokens):
                self.children[token.head].append(index)

    def ancestors(self, index: int) -> list[int]:
        chain, seen = [], {index}
        while (
            (head := self.tokens[index].head) != index and head not in seen and 0 <= head < len(self.tokens)
        ):
            chain.append(head)
            seen.add(head)
            index = head
        return chain

    def subtree(self, index: int, stop: frozenset[int] = frozenset()) -> list[int]:
        """The token and its descendants, in order, not below the `stop` tokens. The list is shared
        between calls (a claim reads the same subtrees many times): do not change it."""
        found = self._subtrees.get((index, stop))
        if found is None:
            out, todo = [], [index]
            while todo:
                current = todo.pop()
                out.append(current)
                todo.extend(child for child in self.children[current] if child not in stop)
            found = self._subtrees[index, stop] = sorted(out)
        return found

    def lemmas(self, indexes: Sequence[int]) -> str:
        words: list[str] = []
        for i in sorted(indexes):
            if self.genitive_attribute and self._genitive_attribute(i):
                words.append(self.genitive_attribute)
            words.append(self.tokens[i].lemma)
        return " ".join(words)

    def _genitive_attribute(self, index: int) -> bool:
        """A genitive noun without a preposition that modifies the noun right before it."""
        token = self.tokens[index]
        return (
            token.pos == "NOUN"
            and token.dep == "nmod"
            and "Case=Gen" in token.morph.split("|")
            and token.head == index - 1
            and self.tokens[index - 1].pos == "NOUN"
            and not any(self.tokens[child].dep == "case" for child in self.children[index])
        )


def claims_for_article(analyzed: AnalyzedArticle, lexicon: ClaimLexicon | None = None) -> list[Claim]:
    """Every claim the article's parsed sentences state, in text order."""
    lexicon = lexicon or load_lexicon(analyzed.article.language or "en")
    by_sentence: dict[int, list[int]] = {}
    for index, mention in enumerate(analyzed.mentions):
        by_sentence.setdefault(mention.sentence[0], []).append(index)
    claims: list[Claim] = []
    previous: Sentence | None = None
    draft: Stage | None = None
    for sentence in analyzed.sentences:
        if sentence.tokens:
            mentions = [(i, analyzed.mentions[i]) for i in by_sentence.get(sentence.start, [])]
            context = sentence.lemmas
            if previous is not None and previous.paragraph == sentence.paragraph:
                context = f"{previous.lemmas} {context}"
            found = _sentence_claims(analyzed, sentence, mentions, _words(lexicon), context)
            if previous is not None and previous.paragraph == sentence.paragraph and draft is not None:
                # "The draft overhauls market rules. Exchanges must hold …": still the draft speaking
                found = [c if c.stage_stated else c.model_copy(update={"stage": draft}) for c in found]
            draft = _draft_stage(found, lexicon)
            claims.extend(found)
        else:
            draft = None
        previous = sentence
    return claims


def _draft_stage(claims: list[Claim], lexicon: ClaimLexicon) -> Stage | None:
    """The stage a sentence sets for the next one: a draft, bill or plan that is its subject."""
    for claim in claims:
        if claim.actor and claim.actor.kind == "instrument" and claim.stage in lexicon.hedge_stages:
            return claim.stage
    return None


def _sentence_claims(
    analyzed: AnalyzedArticle,
    sentence: Sentence,
    mentions: list[tuple[int, Mention]],
    words: _Words,
    context: str,
) -> list[Claim]:
    lexicon = words.lexicon
    deps = lexicon.deps
    parse = _Parse(sentence.tokens, lexicon.genitive_attribute)
    tokens = parse.tokens
    text = analyzed.article.text
    predicates: list[tuple[int, str, str]] = []  # token index, lemma with particle, action
    for index, token in enumerate(tokens):
        if token.pos not in PREDICATE_POS:
            continue
        lemma = _with_particle(parse, index, deps)
        phrase = _phrase_at(tokens, index, words) or _noun_phrase_at(parse, index, words)
        lemma = phrase or lemma
        action = words.action_of.get(lemma) or words.action_of.get(token.lemma)
        participle = token.dep == "amod" or (token.dep == "acl" and "VerbForm=Part" in token.morph)
        instrument = tokens[token.head].lemma in lexicon.instruments
        if participle and action not in lexicon.participle_actions and not instrument:
            continue  # "authorised capital", "licensed exchanges": a description, not an act
        if token.pos in {"VERB", "AUX"} and (token.pos == "VERB" or token.head == index):
            predicates.append((index, lemma, action or "state"))
        elif token.pos in {"NOUN", "PROPN", "ADJ"} and action and action not in {"state", "set", "report"}:
            head = token.head
            carried = (
                head != index
                and tokens[head].pos in {"VERB", "AUX"}
                and (
                    words.action_of.get(_with_particle(parse, head, deps), "state")
                    in {"state", "set", "enact"}
                )
            )
            if carried or head == index:
                predicates.append((index, token.lemma, action))
    claims = []
    topics = _lists_with(lexicon.scopes, context) if predicates else []
    # the tokens each mention overlaps, to find a clause's mentions
    covered = (
        {
            i: {t for t, token in enumerate(tokens) if token.start < m.end and m.start < token.end}
            for i, m in mentions
        }
        if predicates
        else {}
    )
    for index, lemma, action in predicates:
        token = tokens[index]
        if (
            token.dep in deps.clause
            and "Aspect=Prog" in token.morph
            and "VerbForm=Part" in token.morph
            and tokens[token.head].pos in {"NOUN", "PROPN"}
            and tokens[token.head].lemma not in lexicon.instruments
        ):
            continue  # "countries testing digital currencies": a description, not an event
        # A claim's clause: its subtree, without the clauses of other actions it governs.
        # Every verb heading a clause of its own below it (relative, complement, conjoined) is cut off:
        # "adopted a bill that would set a capital of …" — the capital belongs to "set", not "adopt".
        stop = frozenset(
            other
            for other in parse.subtree(index)
            if other != index
            and tokens[other].dep in (*deps.conjunct, *deps.clause)
            and tokens[other].pos in {"VERB", "AUX"}
        )
        clause = parse.subtree(index, stop)
        wording = _with_particle_text(parse, index, deps, text, lexicon)
        if token.pos not in {"VERB", "AUX"} and token.head != index:
            # an action noun carried by a light verb: the verb's subject and stage are the noun's
            carrier = token.head
            noun = _phrase(parse, index, deps)
            wording = f"{text[tokens[carrier].start : tokens[carrier].end]} {text[noun[0] : noun[1]]}"
            clause = sorted(
                {
                    *clause,
                    carrier,
                    *(
                        c
                        for c in parse.children[carrier]
                        if tokens[c].dep in deps.subject + deps.auxiliary + deps.negation + deps.agent
                    ),
                    # "the flat tax rose to 31.4%", "imposed a levy of … on miners": the verb's figures
                    *(
                        t
                        for c in parse.children[carrier]
                        if tokens[c].dep in (*deps.preposition, *deps.oblique, *deps.object, "acomp")
                        and c != index
                        for t in parse.subtree(c, stop)
                    ),
                }
            )
        obj_index = _object_index(parse, index, lexicon)
        if obj_index is not None and obj_index not in clause:
            # a participle's noun ("the newly enacted Law on …") belongs to its claim
            clause = sorted({*clause, *_phrase_tokens(parse, obj_index, deps)})
        terms = parse.lemmas(clause)
        clause_tokens = set(clause)
        in_clause = [(i, m) for i, m in mentions if not clause_tokens.isdisjoint(covered[i])]
        # "mining is legal": the adjective's subject is what the claim is about, not who acts
        actor = (
            None
            if token.pos == "ADJ"
            else _actor(parse, index, deps, lexicon, text, in_clause + mentions, analyzed)
        )
        obj = _object(parse, index, deps, lexicon, text, in_clause)
        object_terms = parse.lemmas(parse.subtree(obj_index)) if obj_index is not None else ""
        scopes = _lists_with(lexicon.scopes, object_terms or terms)
        if obj is not None:
            scopes += [scope for scope in _entity_scopes(obj, in_clause) if scope not in scopes]
        illicit = bool(_has(lexicon.illicit, object_terms or terms))
        effective, deadline = _when(text, in_clause, words)
        country = claim_country(
            actor_country=actor.country if actor else None,
            actor_is_state=bool(actor and actor.kind in STATE_ACTORS),
            owner_country=_owner_country(parse, index, deps, mentions),
            object_country=obj.country if obj else None,
            sentence_country=sentence.country,
        )
        # A world body, or one state acting on another's things ("the US sanctioned Kyrgyz banks")
        foreign = bool(
            actor
            and (
                actor.kind == "foreign_body"
                or (
                    actor.kind in STATE_ACTORS
                    and actor.country
                    and obj
                    and obj.country
                    and obj.country != actor.country
                )
            )
        )
        stated = _stated_stage(parse, index, deps, lexicon)
        claims.append(
            Claim(
                article=analyzed.article.id,
                sentence=(sentence.start, sentence.end),
                predicate=(token.start, tokens[index].end),
                wording=wording,
                via_phrase=_via_phrase(parse, index, deps, text),
                lemma=lemma,
                action=action,
                actor=actor,
                object=obj,
                scopes=scopes,
                topics=topics,
                illicit=illicit,
                polarity=_polarity(parse, index, deps, lexicon),
                stage=stated or "enacted",  # a plain statement of what is so
                stage_stated=stated is not None,
                obligation=bool(_has(lexicon.obligation, _governing_terms(parse, index, deps) + " " + terms)),
                effective=effective,
                deadline=deadline,
                dated=_first_dated(mentions),
                past="Tense=Past" in token.morph and "VerbForm=Fin" in token.morph,
                terms=_gloss(terms, lexicon),
                core=_gloss(" ".join([lemma, object_terms]).strip(), lexicon),
                finite=token.pos not in {"VERB", "AUX"}
                or "VerbForm=Fin" in token.morph
                or ("VerbForm=Part" in token.morph and "Tense=Past" in token.morph),
                whole=_whole(parse, obj_index, lexicon) if obj_index is not None else False,
                # the clause's mentions and the actor's ("The UAE's VARA requires … to pay a fee")
                mentions=sorted(
                    {i for i, _ in in_clause}
                    | {i for i, m in mentions if actor and actor.start <= m.start and m.end <= actor.end}
                ),
                country=country,
                foreign_actor=foreign,
                rule=f"claim:{action}:{'verb' if token.pos in {'VERB', 'AUX'} else 'noun'}",
            )
        )
    return claims


def _noun_phrase_at(parse: _Parse, index: int, words: _Words) -> str | None:
    """An action named by a noun with its modifier ("legal tender")."""
    tokens = parse.tokens
    if tokens[index].pos not in {"NOUN", "PROPN"}:
        return None
    modifiers = [c for c in parse.children[index] if tokens[c].dep in ("amod", "compound") and c < index]
    for first in range(len(modifiers)):
        phrase = " ".join([*(tokens[c].lemma for c in modifiers[first:]), tokens[index].lemma])
        if phrase in words.action_of:
            return phrase
    return None


def _phrase_at(tokens: Sequence[Token], index: int, words: _Words) -> str | None:
    """The longest action phrase starting at a verb ("enter into force", "take effect", "roll out")."""
    if tokens[index].pos not in {"VERB", "AUX"}:
        return None
    for length in (4, 3, 2):
        phrase = " ".join(t.lemma for t in tokens[index : index + length])
        if len(phrase.split()) == length and phrase in words.action_of:
            return phrase
    return None


def _with_particle_text(parse: _Parse, index: int, deps: Deps, text: str, lexicon: ClaimLexicon) -> str:
    """The action as written, with its particle and its modal ("must register", "shut down")."""
    tokens = parse.tokens
    modals = {*lexicon.obligation, *lexicon.future, *lexicon.negation}
    kept = [index]
    kept += [c for c in parse.children[index] if tokens[c].dep in deps.particle]
    kept += [
        c for c in parse.children[index] if tokens[c].dep in deps.auxiliary and tokens[c].lemma in modals
    ]
    return " ".join(text[tokens[i].start : tokens[i].end] for i in sorted(kept))


# the parts of speech a predicate can be: a verb, or an action noun or adjective ("a ban", "legal")
PREDICATE_POS = frozenset({"VERB", "AUX", "NOUN", "PROPN", "ADJ"})
VIA_WORDS = frozenset({"with", "from", "by", "to", "for", "under", "on", "in"})


def _via_phrase(parse: _Parse, index: int, deps: Deps, text: str) -> str | None:
    tokens = parse.tokens
    for child in parse.children[index]:
        if tokens[child].dep in deps.preposition and tokens[child].lemma in VIA_WORDS:
            target = next(
                (g for g in parse.children[child] if tokens[g].dep in deps.preposition_object), None
            )
            if target is not None:
                span = _phrase(parse, target, deps)
                return f"{text[tokens[child].start : tokens[child].end]} {text[span[0] : span[1]]}"
    return None


def _with_particle(parse: _Parse, index: int, deps: Deps) -> str:
    particles = [parse.tokens[c].lemma for c in parse.children[index] if parse.tokens[c].dep in deps.particle]
    return " ".join([parse.tokens[index].lemma, *particles])


def _governing_terms(parse: _Parse, index: int, deps: Deps) -> str:
    """Lemmas of the predicate, its auxiliaries and the words above it (where modality lives)."""
    chain = [index, *parse.ancestors(index)]
    words = []
    for node in chain:
        words.append(parse.tokens[node].lemma)
        words.extend(
            parse.tokens[c].lemma for c in parse.children[node] if parse.tokens[c].dep in deps.auxiliary
        )
    return " ".join(words)


def _stated_stage(parse: _Parse, index: int, deps: Deps, lexicon: ClaimLexicon) -> Stage | None:
    """Read top-down: the highest word that decides the stage wins ("signed a bill that would …")."""
    chain = [*reversed(parse.ancestors(index)), index]
    hedges = set(lexicon.hedge_stages)
    weak: Stage | None = None
    for node in chain:
        token = parse.tokens[node]
        if (
            node != chain[0]
            and token.dep in deps.clause
            and parse.tokens[token.head].pos == "NOUN"
            and any(
                parse.tokens[c].lemma == "to" and parse.tokens[c].dep in deps.auxiliary
                for c in parse.children[node]
            )
        ):
            # "the right to issue", "a move to launch": a capacity or an aim, not the act itself
            return _stage_of(parse.tokens[token.head].lemma, lexicon, hedges) or "planned"
        decided = _node_stage(parse, node, deps, lexicon)
        # "adopted"/"approved" may still be a reading of a bill: only a signature, entry into force or
        # repeal decides from above; a weaker cue lets the words below speak ("… a bill that would …")
        if decided is not None and decided != "enacted":
            return decided
        weak = weak or decided
    return weak


def _node_stage(parse: _Parse, node: int, deps: Deps, lexicon: ClaimLexicon) -> Stage | None:
    """The stage one word of the chain states with its own phrases (auxiliaries, subject, object …);
    remembered per sentence, whose predicates share their ancestors."""
    if node in parse.node_stages:
        return parse.node_stages[node]
    words = _words(lexicon)
    phrase_deps, word_deps = words.stage_phrase_deps, words.stage_word_deps
    picked = {node}
    for child in parse.children[node]:
        child_token = parse.tokens[child]
        if child_token.dep in phrase_deps:
            picked.add(child)
            # "the draft law", "a bill", "in first reading": the phrase's own words
            for grandchild in parse.children[child]:
                if parse.tokens[grandchild].dep in word_deps:
                    picked.add(grandchild)
                    if child_token.dep in deps.preposition:
                        picked.update(
                            m for m in parse.children[grandchild] if parse.tokens[m].dep in deps.modifier
                        )
            if child_token.dep in deps.subject + deps.passive_subject:
                # "the law, approved by parliament and expected to be signed, …": the subject's
                # own participles say how far it has gone
                for participle in parse.children[child]:
                    if parse.tokens[participle].dep == "acl":
                        picked.add(participle)
                        picked.update(
                            c for c in parse.children[participle] if parse.tokens[c].dep in deps.conjunct
                        )
    joined = parse.lemmas(sorted(picked))
    # a future tense the verb itself carries ("запретит", "будет введён"), not a word of its own
    future = any(
        feature in parse.tokens[i].morph
        for i in (node, *(c for c in parse.children[node] if parse.tokens[c].dep in deps.auxiliary))
        for feature in lexicon.future_features
    )
    decided = _stage_of(joined, lexicon, set(lexicon.hedge_stages), future=future)
    if (
        decided == "enacted"
        and _has(lexicon.actors["parliament"], joined)
        and not _has(lexicon.stages["signed"], joined)
    ):
        decided = "passed"  # "approved by parliament": not law until it is signed
    parse.node_stages[node] = decided
    return decided


def _stage_of(terms: str, lexicon: ClaimLexicon, hedges: set[Stage], *, future: bool = False) -> Stage | None:
    # Hedges first: "may take effect" is a possibility, not a fact.
    # A signature makes a bill law ("signed the bill"); a reading or a vote does not ("passed a bill").
    order: list[Stage] = [
        "rumoured",
        "considered",
        "planned",
        "proposed",
        "passed",
        "signed",
        "drafted",
        "repealed",
        "in_force",
        "enacted",
    ]
    for idiom in lexicon.stage_idioms:
        terms = f" {terms} ".replace(f" {idiom} ", " ")
    present = _lists_with(lexicon.stages, terms)
    found = [stage for stage in order if stage in present]
    if future or _has(lexicon.future, terms):
        # "will take effect on …", "will have to … under the law": decided; "will create": a plan
        decided = [stage for stage in found if stage in {"in_force", "signed", "enacted"} or stage in hedges]
        return decided[0] if decided else "planned"
    return found[0] if found else None


def _polarity(parse: _Parse, index: int, deps: Deps, lexicon: ClaimLexicon) -> Polarity:
    tokens = parse.tokens
    chain = [index, *parse.ancestors(index)]
    for node in chain:
        lemma = _with_particle(parse, node, deps)
        if node != index and _has(lexicon.lifting, lemma):
            return "lifted"
        children = parse.children[node]
        if any(
            tokens[c].dep in deps.negation or tokens[c].lemma in lexicon.negation
            for c in children
            if tokens[c].dep in deps.negation + deps.modifier + deps.auxiliary
        ):
            longer = " ".join(tokens[c].lemma for c in children)
            return "lifted" if _has(lexicon.lifting, longer) else "negated"
        if tokens[node].pos in {"VERB", "AUX"} and node != index:
            break
    at = _object_index(parse, index, lexicon)
    if at is not None and any(tokens[c].lemma in lexicon.negation for c in parse.children[at]):
        return "negated"  # "merchants need no licence"
    return "positive"


def _prepositional(parse: _Parse, node: int, deps: Deps) -> list[tuple[str, int]]:
    """(preposition, its noun) of every prepositional phrase on a node, in text order: a `prep` child
    with its object ("ban on mining"), or an oblique noun with its `case` child (UD: "запрет на майнинг")."""
    tokens = parse.tokens
    found = []
    for child in parse.children[node]:
        if tokens[child].dep in deps.preposition:
            found += [
                (tokens[child].lemma, grandchild)
                for grandchild in parse.children[child]
                if tokens[grandchild].dep in deps.preposition_object
            ]
        elif tokens[child].dep in deps.oblique:
            marker = " ".join(tokens[c].lemma for c in parse.children[child] if tokens[c].dep in deps.case)
            if marker:
                found.append((marker, child))
    return found


def _object_index(parse: _Parse, index: int, lexicon: ClaimLexicon) -> int | None:
    deps = lexicon.deps
    tokens = parse.tokens
    children = parse.children[index]
    head = tokens[index].head
    if (
        tokens[index].pos == "VERB"
        and head != index
        and tokens[index].dep in ("amod", "acl")
        and tokens[head].pos in {"NOUN", "PROPN"}
        and "VerbForm=Part" in tokens[index].morph
    ):
        return head  # "the newly launched CBDC", "assets seized in the raid"
    if tokens[index].pos in {"ADJ", "NOUN"} and tokens[index].dep in ("oprd",) and head != index:
        # "made bitcoin legal tender": the verb's object is what the status is about
        made = next((c for c in parse.children[head] if tokens[c].dep in deps.object and c != index), None)
        if made is not None:
            return made
    if tokens[index].pos == "ADJ" and head != index:
        # "mining is legal", "crypto became illegal": the copula's subject
        subject = next(
            (c for c in parse.children[head] if tokens[c].dep in deps.subject + deps.passive_subject), None
        )
        if subject is not None:
            return subject
    objects = [child for child in children if tokens[child].dep in deps.object + deps.passive_subject]
    if objects:
        # "законопроект, который запретит майнинг": a relative pronoun the parser took for an object
        # is not what the action is done to when a noun is
        nouns = [child for child in objects if tokens[child].lemma not in lexicon.relative_pronouns]
        return (nouns or objects)[0]
    for preposition, noun in _prepositional(parse, index, deps):
        if preposition in lexicon.object_prepositions:
            return noun
    if tokens[index].pos in {"NOUN", "PROPN"}:
        # "запуск цифрового сома": a noun action's unmarked genitive is what it is done to
        for child in children:
            if tokens[child].dep in deps.bare_object and not any(
                tokens[c].dep in deps.case for c in parse.children[child]
            ):
                return child
    for child in children:
        if tokens[child].dep in deps.clause and tokens[child].pos in {"VERB", "AUX"}:
            found = _object_index(parse, child, lexicon)
            if found is not None:
                return found
    if tokens[index].pos not in {"VERB", "AUX"} and head != index and tokens[head].pos in {"VERB", "AUX"}:
        # "imposed a fine … on X": the target hangs on the light verb
        for preposition, noun in _prepositional(parse, head, deps):
            if preposition in lexicon.target_prepositions:
                return noun
    if tokens[index].pos in {"NOUN", "PROPN"} and head != index and tokens[index].dep in deps.object:
        return index  # "made bitcoin legal tender": the noun phrase names what it is about
    return None


def _object(
    parse: _Parse,
    index: int,
    deps: Deps,
    lexicon: ClaimLexicon,
    text: str,
    mentions: list[tuple[int, Mention]],
) -> ClaimParty | None:
    at = _object_index(parse, index, lexicon)
    if at is None:
        return None
    span = _phrase(parse, at, deps)
    head = parse.tokens[at].head
    via = parse.tokens[head].lemma if parse.tokens[head].dep in deps.preposition and head != index else None
    if parse.tokens[at].dep in deps.oblique:
        marker = [parse.tokens[c].lemma for c in parse.children[at] if parse.tokens[c].dep in deps.case]
        via = " ".join(marker) or None
    terms = parse.lemmas(parse.subtree(at))
    kind = next(iter(_lists_with(lexicon.scopes, terms)), "other")
    verbs = frozenset(i for i in parse.subtree(at) if i != at and parse.tokens[i].pos in {"VERB", "AUX"})
    extent = parse.subtree(at, verbs)
    return ClaimParty(
        text=text[span[0] : span[1]],
        start=span[0],
        end=span[1],
        kind=kind,
        country=_entity_country(span, mentions),
        via=via,
        extent_end=parse.tokens[max(extent)].end,
    )


def _actor(
    parse: _Parse,
    index: int,
    deps: Deps,
    lexicon: ClaimLexicon,
    text: str,
    mentions: list[tuple[int, Mention]],
    analyzed: AnalyzedArticle,
) -> ClaimParty | None:
    """The subject of the predicate or of the nearest verb above it; the agent of a passive."""
    tokens = parse.tokens
    for node in [index, *parse.ancestors(index)]:
        for child in parse.children[node]:
            dep = tokens[child].dep
            if dep in deps.agent or (
                dep in deps.preposition
                and tokens[child].lemma == "by"
                and tokens[node].dep in (*deps.passive_subject, "ROOT")
            ):
                agent = next(
                    (g for g in parse.children[child] if tokens[g].dep in deps.preposition_object), None
                )
                if agent is not None:
                    return _party(parse, agent, deps, lexicon, text, mentions)
            if dep in deps.subject:
                return _party(parse, child, deps, lexicon, text, mentions)
        carried_noun = node == index and tokens[node].pos not in {"VERB", "AUX"}
        # climb through "plans to ban" (xcomp) and "signed and enforced" (conj), not out of a reported
        # clause: "the bank said the pilot will be extended" has no actor of its own
        if not carried_noun and tokens[node].dep not in (*deps.conjunct, "xcomp", "advcl", "acl"):
            break
    return None


# Actor kinds a party whose mentions make it a company or a state takes only when its head word names
# the kind ("the Kazakh parliament": its head is "parliament").
NAMED_BY_HEAD = frozenset(
    {"head_of_state", "foreign_body", "central_bank", "parliament", "regulator", "court"}
)


def _party(
    parse: _Parse, at: int, deps: Deps, lexicon: ClaimLexicon, text: str, mentions: list[tuple[int, Mention]]
) -> ClaimParty:
    tokens = parse.tokens
    if tokens[at].pos == "PRON" and tokens[at].lemma in lexicon.relative_pronouns:
        # "a draft that would ban …": the relative clause's antecedent acts
        clause_head = tokens[at].head
        antecedent = tokens[clause_head].head
        if tokens[clause_head].dep in deps.relative_clause and antecedent != clause_head:
            at = antecedent
    span = _phrase(parse, at, deps)
    named = [m for _, m in mentions if m.kind == "entity" and span[0] <= m.start and m.end <= span[1]]
    kind: str = "instrument" if tokens[at].lemma in lexicon.instruments else "unknown"
    for mention in named:
        value = mention.value
        assert isinstance(value, EntityValue)
        if value.type == "regulator":
            kind = (
                "central_bank"
                if re.search(r"\b(central|national|reserve) bank\b", value.name, re.I)
                else "regulator"
            )
            break
        if value.type in {"country", "norp"}:
            kind = "state"
        elif value.type == "person" and kind == "unknown":
            kind = "person"
        elif value.type in {"exchange", "stablecoin", "org"} and kind == "unknown":
            kind = "company"
    if tokens[at].pos == "PRON":
        return ClaimParty(text=text[span[0] : span[1]], start=span[0], end=span[1], kind="pronoun")
    terms = parse.lemmas(parse.subtree(at))
    head = parse.tokens[at].lemma
    if kind in {"unknown", "person", "company", "state"}:
        for actor_kind in _lists_with(lexicon.actors, terms):
            if kind in {"unknown", "person"} or (
                actor_kind in NAMED_BY_HEAD and _has(lexicon.actors[actor_kind], head)
            ):
                kind = actor_kind
                break
    return ClaimParty(
        text=text[span[0] : span[1]],
        start=span[0],
        end=span[1],
        kind=kind,
        country=_entity_country(span, mentions),
    )


def _phrase(parse: _Parse, at: int, deps: Deps) -> Span:
    """The head with its close modifiers (no relative clauses or long prepositional tails)."""
    keep = _phrase_tokens(parse, at, deps)
    return parse.tokens[min(keep)].start, parse.tokens[max(keep)].end


def _phrase_tokens(parse: _Parse, at: int, deps: Deps) -> list[int]:
    tokens = parse.tokens
    keep = [at]
    todo = [at]
    while todo:
        node = todo.pop()
        for child in parse.children[node]:
            dep = tokens[child].dep
            if (
                dep in deps.modifier
                or (dep in (*deps.conjunct, "cc") and (node == at or tokens[node].dep == "appos"))
                or (dep in deps.preposition and tokens[child].lemma == "of" and (node == at or node in keep))
                or (dep in deps.preposition_object and tokens[node].lemma == "of")
            ):
                keep.append(child)
                todo.append(child)
    return [k for k in keep if tokens[k].pos not in {"PUNCT"} or min(keep) < k < max(keep)]


def _whole(parse: _Parse, at: int, lexicon: ClaimLexicon) -> bool:
    """Crypto as a whole: the object's crypto word carries no modifier that narrows it ("anonymous",
    "privacy", "foreign"), and nothing but crypto is named."""
    tokens = parse.tokens
    for index in parse.subtree(at):
        if _has(lexicon.scopes["crypto"], tokens[index].lemma):
            narrowing = [
                tokens[c].lemma
                for c in parse.children[index]
                if tokens[c].dep in ("amod", "compound", "nmod")
                and tokens[c].lemma not in lexicon.whole_modifiers
                and not _has(lexicon.scopes["crypto"], tokens[c].lemma)
            ]
            if narrowing:
                return False
            named = set(_lists_with(lexicon.scopes, parse.lemmas(parse.subtree(at)))) - {"crypto"}
            if not named:
                return True
            # "all crypto trading and payments", "the issuance, trading and use of crypto": every use;
            # "the use of crypto for payments": one use
            listed = 1 + sum(1 for c in parse.children[at] if tokens[c].dep in ("conj",))
            universal = any(tokens[i].lemma in ("all", "any", "every") for i in parse.subtree(at))
            core_use = named <= set(lexicon.core_activities)
            return named <= set(lexicon.whole_activities) and (
                universal or listed >= 2 or len(named) >= 2 or core_use
            )
    return False


def _owner_country(parse: _Parse, index: int, deps: Deps, mentions: list[tuple[int, Mention]]) -> str | None:
    """A country named as the owner of what governs the claim: "Ghana's new rule requiring …"."""
    tokens = parse.tokens
    for node in parse.ancestors(index):
        if tokens[node].pos not in {"NOUN", "PROPN"}:
            continue
        for child in parse.children[node]:
            if tokens[child].dep in ("poss", "compound", "amod", "nmod"):
                found = _entity_country((tokens[child].start, tokens[child].end), mentions)
                if found:
                    return found
    return None


ENTITY_SCOPES = {"stablecoin": "stablecoin", "exchange": "trading"}


def _entity_scopes(party: ClaimParty, mentions: list[tuple[int, Mention]]) -> list[str]:
    """Named things in a phrase say its scope too: "launched USDKG" is about a stablecoin."""
    return [
        ENTITY_SCOPES[m.value.type]
        for _, m in mentions
        if isinstance(m.value, EntityValue)
        and m.value.type in ENTITY_SCOPES
        and party.start <= m.start
        and m.end <= party.end
    ]


def _entity_country(span: Span, mentions: list[tuple[int, Mention]]) -> str | None:
    for _, mention in mentions:
        if (
            mention.kind == "entity"
            and span[0] <= mention.start
            and mention.end <= span[1]
            and mention.countries
        ):
            value = mention.value
            if isinstance(value, EntityValue) and value.type in {"country", "norp", "regulator", "person"}:
                return mention.countries[0]
    return None


def _first_dated(mentions: list[tuple[int, Mention]]) -> str | None:
    for _, mention in mentions:
        value = mention.value
        if isinstance(value, DateValue) and value.iso and value.iso[:4].isdigit():
            return value.iso
    return None


def _when(text: str, mentions: list[tuple[int, Mention]], words: _Words) -> tuple[str | None, str | None]:
    """(effective, deadline): dates the clause ties to the change with a cue word before them."""
    lexicon = words.lexicon
    effective = deadline = None
    for _, mention in mentions:
        value = mention.value
        if not isinstance(value, DateValue) or not value.iso or value.iso.startswith("XXXX"):
            continue
        cue = words.when_cue.search(text[max(0, mention.start - 30) : mention.start])
        if cue is None:
            continue
        word = cue[1].lower()
        if word in lexicon.deadline_cues and deadline is None:
            deadline = value.iso
        elif word in lexicon.effective_cues and effective is None:
            effective = value.iso
    return effective, deadline
