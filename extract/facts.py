"""Attributed facts: what each sentence of an analysed article says about a record field.

Field rules are data (`rules/field_rules.json`): lemma patterns that trigger a rule, the mentions
it needs, and a template that writes the value in the records' style. This module only applies
them; it is pure (AnalyzedArticle → Facts), so a batch can run it anywhere.

Headlines are not evidence (the body says the same with its context). A sentence that opens with
an anaphor ("They must register …") takes the sentence before it as context. Consecutive
sentences of one paragraph that fire the same note rule become one fact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import Field, ValidationError

from extract.errors import ConfigError
from extract.models import (
    AnalyzedArticle,
    Contract,
    DateValue,
    EntityValue,
    Evidence,
    Fact,
    LawValue,
    Mention,
    MoneyValue,
    PercentValue,
    Sentence,
    ValueKind,
)
from extract.render import format_money, format_number

HEDGE_FACTOR = 0.6
INHERITED_COUNTRY_FACTOR = 0.85
# Appended to a law the sentence says was amended; propose.py turns it into an edit of the framework.
AMENDED = ", as amended"
ANAPHOR = re.compile(
    r"^(?:they|it|this|these|those|such|the (?:coin|company|firm|token|law|bill|measure)s?)\b", re.IGNORECASE
)
CITATION = re.compile(r"\s*(?:\[\d+\])+")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
HEADLINE_MAX_WORDS = 20
SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*$")
# "entities linked to the coin": the target is the thing referred to, not a country named nearby.
LINKED_TO = re.compile(r"\b(?:linked|tied|connected|related) to\b", re.IGNORECASE)
TARGET_TYPES = {"country", "norp", "stablecoin", "exchange"}
WHEN_CUE = re.compile(
    r"\b(from|starting|start|beginning|effective|as of|since|by|before|until|no later than)\s+(?:on\s+)?$",
    re.IGNORECASE,
)
DEADLINE_WORDS = {"by", "before", "until", "no later than"}
ESTABLISHED = re.compile(
    r"\b(?:established|launched|set up|created|holds|has (?:built|accumulated|formed))\b", re.IGNORECASE
)


class FieldRule(Contract):
    id: str
    field: str
    mode: Literal["replace", "append"]
    kind: ValueKind
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    needs_any: tuple[str, ...] = ()
    target: Literal["sentence", "after_cue"] = "sentence"
    target_cue: str | None = Field(
        None, description="Surface regex; the country named after it is the target."
    )
    value: str
    confidence: float = Field(ge=0, le=1)


class FieldRules(Contract):
    crypto_context: str
    hedges: str
    negation: str
    max_notes_per_article: int = Field(ge=1)
    rules: tuple[FieldRule, ...]


@cache
def load_field_rules() -> FieldRules:
    """The shipped field rules, validated; a bad rule file is a ConfigError naming the rule."""
    path = resources.files("extract") / "rules" / "field_rules.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("_doc", None)
        rules = FieldRules.model_validate(data)
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ConfigError(
            f"invalid field rules ({exc})".splitlines()[0],
            where=str(path),
            fix="fix the file against the FieldRule model in extract/facts.py",
        ) from None
    for rule in rules.rules:
        for pattern in (*rule.all, *rule.any, *rule.none, rule.target_cue or ""):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(
                    f"rule {rule.id}: bad pattern {pattern!r} ({exc})",
                    where=str(path),
                    fix="fix the regular expression",
                ) from None
    return rules


def is_headline(text: str) -> bool:
    """A title, crosshead or label: a short line with no closing punctuation ("Kyrgyzstan Targets
    Bitcoin Reserve", "UK watchdog fines crypto exchange over failures", "Primary Regulatory Bodies")."""
    text = CITATION.sub("", text).strip()
    return not SENTENCE_END.search(text) and len(text.split()) < HEADLINE_MAX_WORDS

def facts_for_article(
    analyzed: AnalyzedArticle, short_names: Mapping[str, str], rules: FieldRules | None = None
) -> list[Fact]:
    """Every fact the article's sentences state."""
    rules = rules or load_field_rules()
    text = analyzed.article.text
    if not re.search(rules.crypto_context, " ".join(s.lemmas for s in analyzed.sentences)):
        return []
    by_sentence: dict[int, list[Mention]] = {}
    for mention in analyzed.mentions:
        by_sentence.setdefault(mention.sentence[0], []).append(mention)
    facts: list[Fact] = []
    for index, sentence in enumerate(analyzed.sentences):
        if is_headline(text[sentence.start : sentence.end]):
            continue
        context = [sentence]
        previous = analyzed.sentences[index - 1] if index > 0 else None
        if (
            previous is not None
            and previous.paragraph == sentence.paragraph
            and ANAPHOR.match(text[sentence.start : sentence.end])
        ):
            context.insert(0, previous)
        mentions = [m for s in context for m in by_sentence.get(s.start, [])]
        earlier = [
            m
            for s in analyzed.sentences[:index]
            if s.paragraph == sentence.paragraph
            for m in by_sentence.get(s.start, [])
        ]
        for rule in rules.rules:
            fact = _apply(rule, rules, analyzed, context, mentions, earlier, short_names)
            if fact is not None:
                facts.append(fact)
    return _cap_notes(_join_consecutive(facts, analyzed), rules.max_notes_per_article)


def _apply(
    rule: FieldRule,
    rules: FieldRules,
    analyzed: AnalyzedArticle,
    context: Sequence[Sentence],
    mentions: Sequence[Mention],
    earlier: Sequence[Mention],
    short_names: Mapping[str, str],
) -> Fact | None:
    lemmas = " ".join(s.lemmas for s in context)
    if not all(re.search(p, lemmas) for p in rule.all):
        return None
    if rule.any and not any(re.search(p, lemmas) for p in rule.any):
        return None
    if any(re.search(p, lemmas) for p in rule.none):
        return None
    if rule.kind in {"enum", "law"} and re.search(rules.negation, lemmas):
        # "not banned", "lifted the ban", "covers … but not crypto trading": the value would
        # say the opposite of the sentence
        return None
    text = analyzed.article.text
    surface = " ".join(text[s.start : s.end] for s in context)
    hedged = bool(re.search(rules.hedges, lemmas))
    country = context[-1].country
    if rule.target == "after_cue":
        country = _target_after_cue(rule, context, mentions, earlier, analyzed)
    if country is None:
        return None
    slots = _slots(mentions, country, short_names, text, surface, hedged=hedged)
    clause = _clause(rule, slots, context[-1], mentions)
    if rule.target == "sentence" and clause is not None and clause.countries[0] != country:
        country = clause.countries[0]
        clause_mentions = [m for m in mentions if m.start >= clause.start]
        slots = _slots(clause_mentions, country, short_names, text, surface, hedged=hedged)
    if re.search(r"\bstablecoin", lemmas):
        slots["stablecoin_word"] = ("", None)
    slots["amended"] = (AMENDED if re.search(r"\bamend", lemmas) else "", None)
    slots["reserve_stage"] = (
        "Established" if ESTABLISHED.search(surface) and not hedged else "Proposed",
        None,
    )
    if any(need not in slots for need in rule.needs):
        return None
    if rule.needs_any and not any(need in slots for need in rule.needs_any):
        return None
    names = PLACEHOLDER.findall(rule.value)
    if any(name not in slots for name in names):
        return None
    value = PLACEHOLDER.sub(lambda m: slots[m.group(1)][0], rule.value).strip()
    if not value:
        return None
    highlight = next((slots[name][1] for name in names if slots[name][1] is not None), None)
    start, end = context[0].start, context[-1].end
    confidence = rule.confidence * (HEDGE_FACTOR if hedged else 1.0)
    if not any(country in m.countries for m in mentions if m.kind == "entity"):
        confidence *= INHERITED_COUNTRY_FACTOR
    return Fact(
        country=country,
        field=rule.field,
        value=value,
        kind=rule.kind,
        mode=rule.mode,
        evidence=_evidence(analyzed, start, end, highlight or (start, end)),
        extractor=f"rule:{rule.id}",
        confidence=round(confidence, 3),
    )


def _evidence(analyzed: AnalyzedArticle, start: int, end: int, highlight: tuple[int, int]) -> Evidence:
    article = analyzed.article
    return Evidence(
        article=article.id,
        start=start,
        end=end,
        quote=article.text[start:end],
        highlight=highlight,
        published=article.published,
        url=article.url,
        title=article.title,
    )


Slot = tuple[str, tuple[int, int] | None]


def _slots(
    mentions: Sequence[Mention],
    country: str,
    short_names: Mapping[str, str],
    text: str,
    surface: str,
    *,
    hedged: bool,
) -> dict[str, Slot]:
    """Placeholder → (text in record style, span of the mention it came from)."""
    # Optional parts of a value ({when}) are empty unless the sentence supplies them.
    slots: dict[str, Slot] = {"sentence": (CITATION.sub("", surface).strip(), None), "when": ("", None)}
    for mention in mentions:
        span = (mention.start, mention.end)
        value = mention.value
        if isinstance(value, MoneyValue) and value.currency:
            if value.per:
                slots.setdefault("money_rate", (format_money(value, rate=True), span))
                slots.setdefault("tax_rate", (format_money(value, rate=True), span))
            else:
                slots.setdefault("money", (format_money(value), span))
        elif isinstance(value, PercentValue) and value.amount is not None:
            slots.setdefault("percent", (f"{format_number(value.amount)}%", span))
            slots.setdefault("tax_rate", (f"{format_number(value.amount)}%", span))
        elif isinstance(value, LawValue) and "law" not in slots:
            # A date in the sentence dates the law only when the sentence states it ("Effective
            # April 1, 2023"), not when it speculates ("expected signed early 2026").
            year = value.year or (None if hedged else _first_year(mentions))
            slots["law"] = (f"{value.name} ({year})" if year else value.name, span)
        elif (
            isinstance(value, DateValue)
            and value.iso
            and not value.iso.startswith("XXXX")
            and not slots["when"][0]
            and (cue := WHEN_CUE.search(text[max(0, mention.start - 30) : mention.start]))
        ):
            # Only a date the sentence ties to the change: "starting January 1, 2026", "by June 2027".
            word = "by" if cue[1].lower() in DEADLINE_WORDS else "from"
            slots["when"] = (f" {word} {value.iso}", span)
        elif isinstance(value, EntityValue) and value.type == "stablecoin":
            slots.setdefault("stablecoin", (value.name, span))
    regulators = [
        m
        for m in mentions
        if isinstance(m.value, EntityValue) and m.value.type == "regulator" and country in m.countries
    ]
    if regulators:
        names = dict.fromkeys(
            short_names.get(m.value.id or "", m.value.name)  # type: ignore[union-attr]
            for m in regulators
        )
        slots["regulators"] = (" / ".join(names), (regulators[0].start, regulators[0].end))
    # "an annual licence fee of …" → "Annual licence fee"
    fee = re.search(r"\b((?:[A-Za-z-]+ ){0,2}(?:fee|levy|charge))\b", surface, re.IGNORECASE)
    if fee:
        words = [w for w in fee.group(1).split() if w.lower() not in {"a", "an", "the", "pay", "of", "to"}]
        slots["fee_kind"] = (" ".join(words).capitalize(), None)
    return slots


def _clause(
    rule: FieldRule, slots: Mapping[str, Slot], sentence: Sentence, mentions: Sequence[Mention]
) -> Mention | None:
    """In a sentence naming several countries, the country mention that opens the value's clause:
    the one named last before the value ("Ghana's central bank plans a framework, and Kenya's
    parliament is debating a 3% tax" → Kenya)."""
    names = PLACEHOLDER.findall(rule.value)
    value_at = next((slots[n][1] for n in names if n in slots and slots[n][1] is not None), None)
    if value_at is None:
        return None
    named = [
        m
        for m in mentions
        if m.kind == "entity"
        and m.countries
        and sentence.start <= m.start < sentence.end
        and isinstance(m.value, EntityValue)
        and m.value.type in {"country", "norp", "regulator"}
    ]
    if len({m.countries[0] for m in named}) < 2:
        return None
    before = [m for m in named if m.end <= value_at[0]]
    return before[-1] if before else None


def _first_year(mentions: Sequence[Mention]) -> int | None:
    for mention in mentions:
        if isinstance(mention.value, DateValue) and mention.value.iso and mention.value.iso[:4].isdigit():
            return int(mention.value.iso[:4])
    return None


def _target_after_cue(
    rule: FieldRule,
    context: Sequence[Sentence],
    mentions: Sequence[Mention],
    earlier: Sequence[Mention],
    analyzed: AnalyzedArticle,
) -> str | None:
    """The country a measure targets. English names those imposing it before the cue ("U.S. and
    U.K. authorities have sanctioned", "British and US measures") and the target after it
    ("sanctions against X", "entities linked to X"); "linked to the coin" points back to the
    coin or exchange the paragraph named."""
    text = analyzed.article.text
    start, end = context[0].start, context[-1].end
    cues = list(re.finditer(rule.target_cue or r"$^", text[start:end], re.IGNORECASE))
    if not cues:
        return None
    first_cue = start + cues[0].start()
    named = [
        m
        for m in mentions
        if m.kind == "entity"
        and m.countries
        and isinstance(m.value, EntityValue)
        and m.value.type in TARGET_TYPES
    ]
    imposers = {
        id(m)
        for m in named
        if m.start < first_cue or any(0 <= start + cue.start() - m.end <= 25 for cue in cues)
    }
    linked = LINKED_TO.search(text, first_cue, end)
    if linked:
        after_link = [m for m in named if m.start > linked.end() and id(m) not in imposers]
        if after_link and after_link[0].start - linked.end() <= 60:
            return after_link[0].countries[0]
        referent = [
            m
            for m in [*earlier, *mentions]
            if m.start < first_cue
            and isinstance(m.value, EntityValue)
            and m.value.type in {"stablecoin", "exchange"}
            and m.countries
        ]
        if referent:
            return referent[-1].countries[0]
    targets = [m for m in named if m.start > first_cue and id(m) not in imposers]
    if targets:
        return targets[0].countries[0]
    main = analyzed.main_country
    imposing_countries = {c for m in named if id(m) in imposers for c in m.countries}
    return main if main and main not in imposing_countries else None


def _join_consecutive(facts: list[Fact], analyzed: AnalyzedArticle) -> list[Fact]:
    """Adjacent sentences of one paragraph firing the same note rule become one fact."""
    paragraph_of = {s.start: s.paragraph for s in analyzed.sentences}
    joined: list[Fact] = []
    for fact in facts:
        last = next(
            (
                f
                for f in reversed(joined)
                if f.extractor == fact.extractor and f.country == fact.country and f.field == fact.field
            ),
            None,
        )
        if (
            fact.kind == "sentence"
            and last is not None
            and last.kind == "sentence"
            and paragraph_of.get(last.evidence.start) == paragraph_of.get(fact.evidence.start)
            and _adjacent(last.evidence.end, fact.evidence.start, analyzed)
        ):
            start = last.evidence.start
            end = max(last.evidence.end, fact.evidence.end)
            quote = CITATION.sub("", analyzed.article.text[start:end]).strip()
            joined[joined.index(last)] = last.model_copy(
                update={
                    "value": quote,
                    "confidence": max(last.confidence, fact.confidence),
                    "evidence": _evidence(analyzed, start, end, last.evidence.highlight),
                }
            )
        else:
            joined.append(fact)
    return joined


def _cap_notes(facts: list[Fact], cap: int) -> list[Fact]:
    """Keep the `cap` most confident sentence facts per country and field (earlier first on ties)."""
    ranked = sorted(
        (f for f in facts if f.kind == "sentence"), key=lambda f: (-f.confidence, f.evidence.start)
    )
    kept_ids, counts = set(), dict[tuple[str, str], int]()
    for fact in ranked:
        key = (fact.country, fact.field)
        if counts.get(key, 0) < cap:
            counts[key] = counts.get(key, 0) + 1
            kept_ids.add(id(fact))
    return [f for f in facts if f.kind != "sentence" or id(f) in kept_ids]


def _adjacent(end: int, start: int, analyzed: AnalyzedArticle) -> bool:
    """Whether `start` begins the sentence after the one ending at `end` (or overlaps it)."""
    if start <= end:
        return True
    return not analyzed.article.text[end:start].strip()
