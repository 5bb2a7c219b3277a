"""Facts: what the article's claims say about record fields, in the records' own voice.

Field rules are data (`rules/field_rules.jsonl`, one rule a line, validated when loaded): which
claims a rule takes (action, scope, actor, polarity, duty, cue words of the action's clause), the
mentions it needs, and a template that writes the value in the records' style. The stage decides
what a claim may do: only an enacted or in-force claim states a field's value; a draft, plan or
rumour is at most a note that says its stage, with the low confidence its stage earns
(`rules/calibration.json`). A note is one short statement built from the claim, never the pasted
sentence (the quote stays in the evidence), and an article gives at most one per field.

Pure: (AnalyzedArticle, Claims) → Facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache, cached_property, partial
from importlib import resources
from typing import Literal, NamedTuple

from pydantic import Field, ValidationError, model_validator

from extract.attribute import target_country
from extract.claims import Claim, ClaimParty
from extract.errors import ConfigError
from extract.gazetteer import is_body_name
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
    ValueKind,
)
from extract.normalize.numbers import has_number
from extract.render import format_money, format_number

# Appended to a law the claim says was amended; propose.py turns it into an edit of the framework.
AMENDED = ", as amended"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
SLOTS = frozenset(
    {
        "money",
        "money_rate",
        "percent",
        "tax_rate",
        "law",
        "regulators",
        "stablecoin",
        "when",
        "amended",
        "statement",
        "fee_kind",
        "tax_base",
        "stage",
        "target",
        "law_cited",
    }
)
# "from the Service …", "licensed by the Authority", "register with the Commission": the body acting.
ACTING_BODY_BEFORE = re.compile(r"\b(?:from|by|with|under)\s+(?:the\s+)?$", re.IGNORECASE)
CITATION = re.compile(r"\s*(?:\[\d+\])+")
HEADLINE_MAX_WORDS = 20
SENTENCE_END = re.compile(r"[.!?…:;][\"”’)\]»]*$")
GOVERNED_BY = re.compile(
    r"\b(?:under|pursuant to|in accordance with|according to)\s+(?:the\s+)?$", re.IGNORECASE
)
CRYPTO_TOPICS = frozenset({"crypto", "cbdc", "stablecoin", "mining", "defi", "nft"})
DATE_PREFIX = re.compile(r"^\d{4}(?:-\d\d){0,2}: ")
LIST_BULLET = re.compile(r"^\s*(?:[-–—•*·▪●]|\d+[.)])\s+")


class FieldRule(Contract):
    """One line of rules/field_rules.jsonl."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    field: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)?$")
    mode: Literal["replace", "append"]
    kind: ValueKind
    actions: tuple[str, ...] = Field((), description="Claim actions it takes (empty: any).")
    actions_none: tuple[str, ...] = Field((), description="Claim actions it never takes.")
    terms_all: tuple[str, ...] = Field((), description="Regexes over the clause's lemmas; all must match.")
    terms_any: tuple[str, ...] = ()
    terms_none: tuple[str, ...] = ()
    core_any: tuple[str, ...] = Field((), description="Regexes over the action word and its object.")
    core_none: tuple[str, ...] = ()
    law_none: tuple[str, ...] = Field(
        (), description="Regexes over the law's name: laws this field never takes."
    )
    scopes_any: tuple[str, ...] = Field((), description="The object names one of these scopes.")
    scopes_none: tuple[str, ...] = ()
    topics_any: tuple[str, ...] = Field(
        (), description="The sentence (or the one before it) names one of these."
    )
    topics_none: tuple[str, ...] = ()
    whole_crypto: bool = Field(
        False, description="The object is crypto as a whole, not one activity or actor."
    )
    illicit: bool | None = Field(
        None, description="False: not a measure against illegal actors; None: either."
    )
    actors: tuple[str, ...] = Field((), description="Actor kinds it takes (empty: any); 'none' for no actor.")
    polarity: tuple[Literal["positive", "negated", "lifted"], ...] = ("positive",)
    obligation: bool | None = Field(None, description="True: the clause must state a duty.")
    finite: bool = Field(
        False, description="True: only an act stated as done, not 'to permit' or 'allowing'."
    )
    crypto_article: bool = Field(
        True,
        description="True: only from an article that speaks of crypto somewhere; false for a field "
        "a record holds about the country as a whole (its FATF status).",
    )
    needs: tuple[str, ...] = Field((), description="Slots that must be filled.")
    needs_any: tuple[str, ...] = ()
    target: Literal["claim", "object"] = Field(
        "claim", description="object: the country the measure targets."
    )
    confirm_only: bool = Field(False, description="The fact may only confirm what the record already says.")
    foreign_actor: bool = Field(False, description="Also claims made by another country's or a world body.")
    value: str
    confidence: float = Field(ge=0, le=1, description="Base confidence, before the stage's factor.")

    @model_validator(mode="after")
    def _slots_known(self) -> FieldRule:
        for name in (*PLACEHOLDER.findall(self.value), *self.needs, *self.needs_any):
            if name not in SLOTS:
                raise ValueError(f"unknown slot {{{name}}} (slots: {', '.join(sorted(SLOTS))})")
        for name in RulePatterns._fields:
            for pattern in getattr(self, name):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"{name}: bad pattern {pattern!r} ({exc})") from None
        return self

    @cached_property
    def patterns(self) -> RulePatterns:
        def compiled(patterns: tuple[str, ...], flags: int = 0) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(pattern, flags) for pattern in patterns)

        return RulePatterns(
            terms_all=compiled(self.terms_all),
            terms_any=compiled(self.terms_any),
            terms_none=compiled(self.terms_none),
            core_any=compiled(self.core_any),
            core_none=compiled(self.core_none),
            law_none=compiled(self.law_none, re.IGNORECASE),
        )


class RulePatterns(NamedTuple):
    """A field rule's cue-word patterns, compiled."""

    terms_all: tuple[re.Pattern[str], ...]
    terms_any: tuple[re.Pattern[str], ...]
    terms_none: tuple[re.Pattern[str], ...]
    core_any: tuple[re.Pattern[str], ...]
    core_none: tuple[re.Pattern[str], ...]
    law_none: tuple[re.Pattern[str], ...]


class Calibration(Contract):
    """rules/calibration.json: measured precision, so confidence means something."""

    stage_factor: dict[str, float] = Field(description="Confidence factor per claim stage.")
    rule_precision: dict[str, float] = Field(description="Measured precision per rule id (base if absent).")


class FieldRules(Contract):
    rules: tuple[FieldRule, ...]
    calibration: Calibration

    def taking(self, action: str, *, crypto_article: bool) -> tuple[FieldRule, ...]:
        """The rules that may take a claim of this action, in file order; `crypto_article`: the article
        speaks of crypto somewhere."""
        key = (action, crypto_article)
        rules = self._taking.get(key)
        if rules is None:
            rules = self._taking[key] = tuple(
                rule
                for rule in self.rules
                if (crypto_article or not rule.crypto_article)
                and (not rule.actions or action in rule.actions)
                and action not in rule.actions_none
            )
        return rules

    @cached_property
    def _taking(self) -> dict[tuple[str, bool], tuple[FieldRule, ...]]:
        # a run meets a handful of actions, and every article looks its claims' rules up
        return {}


def _rules_path() -> str:
    return str(resources.files("extract") / "rules" / "field_rules.jsonl")


@cache
def load_field_rules() -> FieldRules:
    """The shipped field rules and calibration, validated: a bad line is a ConfigError naming it."""
    return read_field_rules(_rules_path(), str(resources.files("extract") / "rules" / "calibration.json"))


def read_field_rules(rules_path: str, calibration_path: str) -> FieldRules:
    rules: list[FieldRule] = []
    with open(rules_path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{rules_path}:{number}"
            try:
                rules.append(FieldRule.model_validate_json(line))
            except ValidationError as exc:
                error = exc.errors()[0]
                loc = ".".join(str(part) for part in error["loc"]) or "rule"
                raise ConfigError(
                    f"{loc}: {error['msg']}",
                    where=where,
                    fix="fix the rule against FieldRule in extract/facts.py",
                ) from None
    try:
        with open(calibration_path, encoding="utf-8") as handle:
            calibration = Calibration.model_validate_json(handle.read())
    except ValidationError as exc:
        raise ConfigError(
            str(exc.errors()[0]["msg"]),
            where=calibration_path,
            fix="fix it against Calibration in extract/facts.py",
        ) from None
    ids = [rule.id for rule in rules]
    unknown = set(calibration.rule_precision) - set(ids)
    if unknown:
        raise ConfigError(
            f"calibration names unknown rules: {', '.join(sorted(unknown))}",
            where=calibration_path,
            fix="remove them or add the rules",
        )
    return FieldRules(rules=tuple(rules), calibration=calibration)


def is_headline(text: str) -> bool:
    """A title, crosshead, ticker or label: a short line with no closing punctuation."""
    text = CITATION.sub("", text).strip()
    return not SENTENCE_END.search(text) and len(text.split()) < HEADLINE_MAX_WORDS


def facts_for_article(
    analyzed: AnalyzedArticle,
    claims: Sequence[Claim],
    short_names: Mapping[str, str],
    rules: FieldRules | None = None,
) -> list[Fact]:
    """Every fact the article's claims state, at most one per country and note field."""
    rules = rules or load_field_rules()
    # an article that never speaks of crypto states nothing a record holds, but for a country-wide field
    crypto = any(set(claim.topics) & CRYPTO_TOPICS for claim in claims)
    text = analyzed.article.text
    headlines = {s.start for s in analyzed.sentences if is_headline(text[s.start : s.end])}
    stablecoins = {
        m.value.name
        for m in analyzed.mentions
        if isinstance(m.value, EntityValue) and m.value.type == "stablecoin"
    }
    facts: list[Fact] = []
    for claim in claims:
        if claim.sentence[0] in headlines or _related_link(text, claim) or _question(text, claim):
            continue
        mentions = [analyzed.mentions[i] for i in claim.mentions]
        # the claim's slots depend on the country they are written for, not on the rule
        slots_in = cache(partial(_claim_slots, analyzed, claim, mentions, short_names, stablecoins))
        for rule in rules.taking(claim.action, crypto_article=crypto):
            fact = _apply(rule, rules.calibration, analyzed, claim, slots_in)
            if fact is not None:
                facts.append(fact)
    return _one_per_field(facts)


def _question(text: str, claim: Claim) -> bool:
    """A question asserts nothing ("Georgia bans crypto mining? Not so fast")."""
    return "?" in text[claim.predicate[1] : claim.sentence[1]].split(".")[0]


def _related_link(text: str, claim: Claim) -> bool:
    """'Related: …', 'Read more: …' lines are links to other stories, not this one's evidence."""
    line_start = text.rfind("\n", 0, claim.sentence[0]) + 1
    return bool(
        re.match(r"\s*(?:related|read more|see also|also read|recommended)\b", text[line_start:], re.I)
    )


def _apply(
    rule: FieldRule,
    calibration: Calibration,
    analyzed: AnalyzedArticle,
    claim: Claim,
    slots_in: Callable[[str], dict[str, Slot]],
) -> Fact | None:
    if not _takes(rule, claim):
        return None
    if rule.target == "object":
        country = target_country(
            object_country=claim.object.country if claim.object else None,
            actor_country=claim.actor.country if claim.actor else None,
            main=analyzed.main_country,
        )
    else:
        country = claim.country
    if country is None:
        return None
    slots = slots_in(country)
    if any(need not in slots for need in rule.needs):
        return None
    law = slots.get("law") or slots.get("law_cited")
    if law and any(p.search(law[0]) for p in rule.patterns.law_none):
        return None
    if rule.needs_any and not any(need in slots for need in rule.needs_any):
        return None
    names = PLACEHOLDER.findall(rule.value)
    if any(name not in slots for name in names):
        return None
    value = PLACEHOLDER.sub(lambda m: slots[m.group(1)][0], rule.value).strip()
    if not value:
        return None
    field, kind, mode = rule.field, rule.kind, rule.mode
    if not claim.enacted:
        # Not law yet: at most a note in the field's section that says how far it has gone.
        field = f"{rule.field.split('.')[0]}.note" if "." in rule.field else rule.field
        said = value if kind == "sentence" else slots["statement"][0] + slots["when"][0]
        value = f"{_stage_word(claim)}: {said}"
        kind, mode = "sentence", "append"
    if kind == "sentence":
        value = value[0].upper() + value[1:]
    highlight = next((slots[name][1] for name in names if slots[name][1] is not None), None)
    confidence = calibration.rule_precision.get(rule.id, rule.confidence) * calibration.stage_factor.get(
        claim.stage, 1.0
    )
    return Fact(
        country=country,
        field=field,
        value=value if value.endswith((".", "%")) or kind != "sentence" else value + ".",
        kind=kind,
        mode=mode,
        evidence=_evidence(analyzed, claim, highlight or claim.predicate),
        extractor=f"rule:{rule.id}",
        confidence=round(min(confidence, 0.99), 3),
        stage=claim.stage,
        effective=claim.effective,
        # a date says when the fact held only for history told in the past ("paid … in 2022")
        dated=(claim.effective or claim.dated) if claim.past else None,
        confirm_only=rule.confirm_only,
    )


def _takes(rule: FieldRule, claim: Claim) -> bool:
    """Whether the rule, taken for the claim's action (`FieldRules.taking`), applies to the claim
    (everything but its slots). The cue-word patterns are tried last: they cost the most."""
    if claim.polarity not in rule.polarity:
        return False
    if claim.foreign_actor and not rule.foreign_actor:
        return False
    scopes = set(claim.scopes)
    if rule.scopes_any and not scopes & set(rule.scopes_any):
        return False
    if scopes & set(rule.scopes_none):
        return False
    if rule.topics_any and not set(claim.topics) & set(rule.topics_any):
        return False
    if set(claim.topics) & set(rule.topics_none):
        return False
    if rule.whole_crypto and (not claim.whole or claim.illicit):
        return False
    if rule.illicit is not None and claim.illicit != rule.illicit:
        return False
    if rule.obligation is not None and claim.obligation != rule.obligation:
        return False
    if rule.finite and not claim.finite:
        return False
    if rule.actors:
        kind = claim.actor.kind if claim.actor else "none"
        if kind not in rule.actors:
            return False
    patterns, terms, core = rule.patterns, claim.terms, claim.core
    if not all(p.search(terms) for p in patterns.terms_all):
        return False
    if patterns.terms_any and not any(p.search(terms) for p in patterns.terms_any):
        return False
    if any(p.search(terms) for p in patterns.terms_none):
        return False
    if patterns.core_any and not any(p.search(core) for p in patterns.core_any):
        return False
    return not any(p.search(core) for p in patterns.core_none)


def _stage_word(claim: Claim) -> str:
    return {
        "rumoured": "Reported",
        "considered": "Under consideration",
        "proposed": "Proposed",
        "drafted": "Draft",
        "planned": "Planned",
        "passed": "Passed by parliament",
        "repealed": "Repealed",
    }.get(claim.stage, claim.stage.capitalize())


def _evidence(analyzed: AnalyzedArticle, claim: Claim, highlight: tuple[int, int]) -> Evidence:
    article = analyzed.article
    start, end = claim.sentence
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


def _claim_slots(
    analyzed: AnalyzedArticle,
    claim: Claim,
    mentions: Sequence[Mention],
    short_names: Mapping[str, str],
    stablecoins: set[str],
    country: str,
) -> dict[str, Slot]:
    """The claim's slots written for `country`, the statement naming whom a measure targeted."""
    text = analyzed.article.text
    english = (analyzed.article.language or "en") == "en"
    slots = _slots(claim, mentions, country, short_names, text, stablecoins, english=english)
    if claim.action in TARGETED_ACTIONS and "target" in slots:
        slots["statement"] = (_with_named_target(slots["statement"][0], claim, analyzed.mentions, text), None)
    return slots


def _slots(
    claim: Claim,
    mentions: Sequence[Mention],
    country: str,
    short_names: Mapping[str, str],
    text: str,
    stablecoins: set[str],
    *,
    english: bool = True,
) -> dict[str, Slot]:
    """Placeholder → (text in record style, span of the mention it came from); `english`: the
    article is in English (else statements are built from the claim's glossed words)."""
    slots: dict[str, Slot] = {"amended": (AMENDED if re.search(r"\bamend", claim.terms) else "", None)}
    when = (
        (claim.effective and f" from {claim.effective}") or (claim.deadline and f" by {claim.deadline}") or ""
    )
    slots["when"] = (when, None)
    slots["stage"] = (claim.stage, None)
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
        elif isinstance(value, LawValue) and "law" not in slots and _core(mention, claim):
            # the law the claim enacts, not one cited in passing ("within the framework set by …")
            year = value.year or (_first_year(mentions) if claim.enacted else None)
            slots["law"] = (f"{value.name} ({year})" if year else value.name, span)
        if (
            isinstance(value, LawValue)
            and "law_cited" not in slots
            and GOVERNED_BY.search(text[max(0, mention.start - 30) : mention.start])
        ):
            slots["law_cited"] = (value.name, span)  # "securities under the Investments and Securities Act"
        if isinstance(value, EntityValue) and value.type == "stablecoin":
            # every coin the claim names: "USDKG, KGST"
            named, first = slots.get("stablecoin", ("", span))
            if value.name not in named.split(", "):
                slots["stablecoin"] = (f"{named}, {value.name}" if named else value.name, first)
    if "stablecoin" not in slots and "stablecoin" in claim.scopes and len(stablecoins) == 1:
        # "a stablecoin" in an article about one named coin is that coin
        slots["stablecoin"] = (next(iter(stablecoins)), None)
    regulators = [
        m
        for m in mentions
        if isinstance(m.value, EntityValue)
        and _acting(m, claim, text)
        and (
            (m.value.type == "regulator" and country in m.countries)
            # a body the gazetteer does not know yet, named as one ("the Prudential Authority")
            or (
                m.value.type == "org"
                and is_body_name(m.value.name)
                and (not m.countries or country in m.countries)
            )
        )
    ]
    if regulators:
        names = dict.fromkeys(
            short_names.get(m.value.id or "", m.value.name)  # type: ignore[union-attr]
            for m in regulators
        )
        slots["regulators"] = (" / ".join(names), (regulators[0].start, regulators[0].end))
    # from the clause's lemmas in the rules' words, so it reads the same in every language
    fee = re.search(r"\b((?:[a-z-]+ ){0,2}(?:fee|levy|charge))\b", claim.terms)
    if fee:
        words = [w for w in fee.group(1).split() if w.lower() not in {"a", "an", "the", "pay", "of", "to"}]
        slots["fee_kind"] = (" ".join(words).capitalize(), None)
    if _has_target(claim, mentions):
        slots["target"] = ("", None)
    base = _tax_base(claim, text)
    if base:
        slots["tax_base"] = (f" of {base}", None)
    dated = _first_date(mentions)
    statement = (None if english else _english_statement(claim, mentions, short_names)) or _statement(
        claim, text, mentions
    )
    slots["statement"] = (f"{dated}: {statement}" if dated and not when else statement, None)
    return slots


TAX_BASE = re.compile(
    r"\btax(?:able)? base\b[^.;]*?\b(?:is|are|will be|shall be)\s+(?:the\s+)?([^.;,«»\"“”]{3,80})",
    re.IGNORECASE,
)
PERCENT_OF = re.compile(r"(?:%|\bper ?cent)\s+of\s+(?:the\s+)?([a-z][^.;,«»\"“”]{2,60})", re.IGNORECASE)


def _tax_base(claim: Claim, text: str) -> str | None:
    """What a rate is a share of: "15% of the electricity cost", or "the tax base is …" stated in
    the sentence or the two before it."""
    sentence = text[claim.sentence[0] : claim.sentence[1]]
    # the text's own words where it says "… of the cost of electricity"; another language's through
    # the clause's glossed lemmas ("10 % от стоимость электроэнергия" → "cost of electricity")
    found = PERCENT_OF.search(sentence) or PERCENT_OF.search(claim.terms)
    if found:
        return found.group(1).strip()
    window = text[max(0, claim.sentence[0] - 600) : claim.sentence[1]]
    if "base" not in window.casefold():  # the pattern's scan is slow, and a base is rarely stated
        return None
    bases = TAX_BASE.findall(window)
    return bases[-1].strip() if bases else None


def _has_target(claim: Claim, mentions: Sequence[Mention]) -> bool:
    """A measure with a definite target: illegal actors, a named firm or person, a count or an amount
    ("shut down 130 illegal exchanges", "fined Lumen Digital Ltd") — not a rule for a whole activity."""
    if claim.illicit or any(isinstance(m.value, MoneyValue) for m in mentions):
        return True
    obj = claim.object
    if obj is None:
        return False
    named = any(
        isinstance(m.value, EntityValue)
        and m.value.type not in {"country", "norp", "place"}
        and obj.start <= m.start
        and m.end <= obj.end
        for m in mentions
    )
    return named or has_number(obj.text)


def _core(mention: Mention, claim: Claim) -> bool:
    """The mention is the claim's actor or object (what is signed, adopted, in force)."""
    return any(
        party is not None and party.start <= mention.start and mention.start < (party.extent_end or party.end)
        for party in (claim.actor, claim.object)
    )


def _first_year(mentions: Sequence[Mention]) -> int | None:
    for mention in mentions:
        value = mention.value
        if isinstance(value, DateValue) and value.iso and value.iso[:4].isdigit():
            return int(value.iso[:4])
    return None


def _first_date(mentions: Sequence[Mention]) -> str | None:
    for mention in mentions:
        value = mention.value
        if isinstance(value, DateValue) and value.iso and not value.iso.startswith("XXXX"):
            return value.iso
    return None


def _acting(mention: Mention, claim: Claim, text: str) -> bool:
    """A regulator that acts in the claim: its actor, or the body named after from/by/with."""
    if claim.actor and claim.actor.start <= mention.start and mention.end <= claim.actor.end:
        return True
    if (
        claim.action in {"enact", "set"}
        and claim.object
        and claim.object.start <= mention.start < (claim.object.extent_end or claim.object.end)
    ):
        return True  # a body the law creates or designates ("establishes the Virtual Assets Authority")
    return bool(ACTING_BODY_BEFORE.search(text[max(0, mention.start - 12) : mention.start]))


def _clause_text(claim: Claim, text: str) -> str:
    return text[claim.sentence[0] : claim.sentence[1]]


def _statement(claim: Claim, text: str, mentions: Sequence[Mention]) -> str:
    """The claim in a few words: "<date>: <actor> <verb> <object>"."""
    verb = claim.wording
    passive = claim.actor is None and claim.object is not None and claim.object.start < claim.predicate[0]
    if not claim.enacted and claim.rule.endswith(":verb"):
        # a plan or a draft in the news' own idiom: "Thailand to levy …", "pilot to be extended"
        surface = text[claim.predicate[0] : claim.predicate[1]]
        verb = f"to be {surface}" if passive else f"to {claim.lemma}"
    elif not claim.enacted and not verb.split()[0].endswith(("ing", "ed")):
        verb = f"to {verb}"  # "Pakistan to introduce a 15 percent tax …"
    parts = []
    if claim.actor and claim.actor.kind != "pronoun":
        parts.append(_clean(claim.actor.text))
    parts.append(verb)
    if claim.object is None and claim.via_phrase:
        parts.append(claim.via_phrase)  # "miners must register with the SEC"
    if claim.object and claim.object.text not in verb:
        obj = _clean(claim.object.text)
        if claim.object.via and claim.object.start > claim.predicate[1]:
            obj = f"{claim.object.via} {obj}"
        parts = [obj, verb] if passive else [*parts, obj]
    statement = LIST_BULLET.sub("", " ".join(p for p in parts if p))
    # the key figure of the claim ("fined … £3.4 million") when the phrase left it out
    figures = [m for m in mentions if isinstance(m.value, MoneyValue) and m.value.currency]
    if figures and not any(claim_text_has(statement, m.text) for m in figures):
        statement += f" ({format_money(figures[0].value)})"  # type: ignore[arg-type]
    return statement


def _english_statement(
    claim: Claim, mentions: Sequence[Mention], short_names: Mapping[str, str]
) -> str | None:
    """The claim of an article in another language, in English: the parties' English names (the
    gazetteer's), the action's English verb and the object's glossed words, names kept as written
    ("NBKR fined crypto exchange Ала-Тоо Коин"); None when the action has no English word."""
    words = claim.core.split()
    verb = words[0] if words and words[0].isascii() else claim.action
    if claim.action in {"state", "report"} and not (words and words[0].isascii()):
        return None
    verb = _past_tense(verb) if claim.enacted else f"to {verb}"

    def names(party: ClaimParty) -> list[str]:
        inside = [
            m.value
            for m in mentions
            if isinstance(m.value, EntityValue) and party.start <= m.start < (party.extent_end or party.end)
        ]
        return [short_names.get(v.id or "", v.name) if v.id else v.name for v in inside]

    actor = names(claim.actor) if claim.actor and claim.actor.kind != "pronoun" else []
    obj: list[str] = []
    if claim.object:
        glossed = [w for w in words[1:] if w.isascii() and w.isalpha()]
        obj = [*glossed, *names(claim.object)]
    parts = [" / ".join(actor), verb, " ".join(obj)]
    statement = " ".join(p for p in parts if p)
    figures = [m for m in mentions if isinstance(m.value, MoneyValue) and m.value.currency]
    if figures:
        statement += f" ({format_money(figures[0].value)})"  # type: ignore[arg-type]
    return statement


# English verbs whose past tense is not the regular -ed/-d/-ied (the actions' and glossary's verbs).
IRREGULAR_PAST = {"set": "set", "cut": "cut", "shut": "shut", "put": "put", "pay": "paid", "ban": "banned",
                  "bar": "barred", "permit": "permitted", "begin": "began", "hold": "held", "make": "made"}


def _past_tense(verb: str) -> str:
    head, _, rest = verb.partition(" ")
    if head in IRREGULAR_PAST:
        past = IRREGULAR_PAST[head]
    elif head.endswith("e"):
        past = head + "d"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        past = head[:-1] + "ied"
    else:
        past = head + "ed"
    return f"{past} {rest}".strip()


TARGETED_ACTIONS = frozenset({"fine", "arrest", "enforce", "seize"})


def _with_named_target(
    statement: str, claim: Claim, article_mentions: Sequence[Mention], text: str
) -> str:
    """A fine or an arrest names whom it hit: the first firm named after the action in its clause,
    when the parse left it out ("… fined (EUR 800,000)" → "… fined Lutèce Coins SAS (EUR 800,000)"),
    or the firm named before it when the object only refers back to it ("… crypto firm Fynbos
    Digital and fined the company …" → "… fined Fynbos Digital …")."""
    firms = {
        index: m
        for index, m in enumerate(article_mentions)
        if m.sentence == claim.sentence
        and isinstance(m.value, EntityValue)
        and m.value.type in {"org", "exchange", "person"}
    }
    verb = claim.wording
    back = REFERS_BACK.fullmatch(claim.object.text) if claim.object else None
    before = [m for m in firms.values() if m.end <= claim.predicate[0]]
    if back and before and f"{verb} {back['noun']}" in statement and before[-1].text not in statement:
        return statement.replace(f"{verb} {back['noun']}", f"{verb} {before[-1].text}", 1)
    # after the action, only a firm of its own clause: not "…, state broadcaster TRT reported"
    named = [m for index, m in firms.items() if m.start >= claim.predicate[1] and index in claim.mentions]
    if not named or named[0].text in statement:
        return statement
    at = statement.find(verb)
    if at < 0:
        return statement
    cut = at + len(verb)
    # "imposed a fine of €1.2 million on Nordhafen …": the preposition that joins it in the text
    joined = TARGET_PREPOSITION.search(text[claim.sentence[0] : named[0].start])
    target = f"{joined['preposition']} {named[0].text}" if joined else named[0].text
    return f"{statement[:cut]} {target}{statement[cut:]}"


# The preposition right before a fine's or an arrest's target, with the words that describe it.
TARGET_PREPOSITION = re.compile(
    r"\b(?P<preposition>on|against|upon)\s+(?:[\w$€£¥₦₩.,'’-]+\s+){0,4}$", re.IGNORECASE
)
# An object that only points back to a firm named earlier in the sentence.
REFERS_BACK = re.compile(
    r"(?i:the|this|that)\s+(?P<noun>company|firm|exchange|platform|operator|business|startup|provider)"
)


def claim_text_has(statement: str, quote: str) -> bool:
    return quote.strip() in statement


DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,[^—–]{0,30}[—–]\s*")


def _clean(phrase: str) -> str:
    if phrase.count("(") > phrase.count(")"):
        phrase += ")"  # "Türkiye's Capital Markets Board (SPK" → "… (SPK)"
    phrase = DATELINE.sub("", LIST_BULLET.sub("", CITATION.sub("", phrase))).strip(" ,;:\"'“”«»")
    return re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.IGNORECASE)


def _one_per_field(facts: list[Fact]) -> list[Fact]:
    """At most one note per country and field from one article, and each law once: the most
    confident, then the one with a figure, then the fuller."""
    best: dict[tuple[str, str, str], Fact] = {}
    kept: list[Fact] = []
    for fact in facts:
        if fact.kind == "law":
            # one law named by several claims of the article: once, with its year if any gave one
            key = (fact.country, fact.field, re.sub(r" \(\d{4}\)", "", fact.value))
        elif fact.mode == "append" and fact.kind == "sentence":
            key = (fact.country, fact.field, "")
        else:
            kept.append(fact)
            continue
        # the most confident; on a tie the one with a figure ("130 exchanges" over "a hundred")
        if key not in best or _rank(fact) > _rank(best[key]):
            best[key] = fact
    kept.extend(best.values())
    return sorted(kept, key=lambda f: (f.evidence.start, f.field))


def _rank(fact: Fact) -> tuple[float, bool, int]:
    """The most confident; on a tie the one with a figure ("130 exchanges" over "a hundred")."""
    return fact.confidence, bool(re.search(r"\d", DATE_PREFIX.sub("", fact.value))), len(fact.value)
