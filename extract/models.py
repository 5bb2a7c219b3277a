"""The pydantic contracts that pass between the stages: Article → Mention → Fact → Proposal.

These models are the source of truth for every file the program reads or writes
(see `schemas/`, exported by `extract schemas`). Field order is the JSON key order.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

SCHEMA_VERSION = "1.2.0"

Number = int | float
Span = tuple[int, int]


class Contract(BaseModel):
    """Base of every model: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


# --- articles ---------------------------------------------------------------------------------


class Article(Contract):
    """One article's text and metadata, as ingested."""

    id: str = Field(description="Path relative to the folder given, or FILE.jsonl#N / the line's id.")
    text: str = Field(description="The text that every offset indexes into.")
    title: str | None = None
    published: str | None = Field(None, description="Publication date, ISO 8601 (YYYY-MM-DD), if known.")
    url: str | None = None
    source: str | None = Field(None, description="The outlet, if known.")
    language: str | None = Field(
        None, description='ISO 639-1 code of the text\'s language ("en", "ru"), once detected.'
    )


# --- mention values ---------------------------------------------------------------------------

Qualifier = Literal["about", "over", "under", "at_least", "at_most", "up_to"]


class DateValue(Contract):
    iso: str | None = Field(
        description='"2026-01-01", "2025-07", "2026-Q1", "2026-summer", "2026", "XXXX-09-09", or null '
        "for a relative date with no publication date to resolve it."
    )
    granularity: Literal["day", "month", "quarter", "season", "year", "relative"]
    qualifier: Literal["early", "mid", "late"] | None = None


class MoneyValue(Contract):
    amount: Number | None = Field(description="The amount; null for a range.")
    min: Number | None = None
    max: Number | None = None
    currency: str | None = Field(description="ISO 4217 code, null if the text names none.")
    per: str | None = Field(None, description='Unit of a rate: "kWh", "year", "month", "transaction" …')
    qualifier: Qualifier | None = Field(None, description='"about $5m" → about; "more than" → over.')


class PercentValue(Contract):
    amount: Number | None
    min: Number | None = None
    max: Number | None = None
    qualifier: Qualifier | None = None


class QuantityValue(Contract):
    amount: Number | None
    min: Number | None = None
    max: Number | None = None
    unit: str = Field(description='Normalised unit: "kWh", "MW", "BTC", "kW" …')
    qualifier: Qualifier | None = None


class LawValue(Contract):
    name: str = Field(description="Canonical name, shared by all variants of one law.")
    year: int | None = None
    number: str | None = None


class EntityValue(Contract):
    name: str = Field(description="Canonical name.")
    id: str | None = Field(None, description='Record link id such as "entity--nbkr", if known.')
    type: Literal[
        "regulator", "stablecoin", "exchange", "country", "currency", "person", "org", "norp", "place"
    ]


MentionKind = Literal["date", "money", "percent", "quantity", "law", "entity"]
MentionValue = DateValue | MoneyValue | PercentValue | QuantityValue | LawValue | EntityValue

VALUE_TYPE_BY_KIND: dict[str, type[Contract]] = {
    "date": DateValue,
    "money": MoneyValue,
    "percent": PercentValue,
    "quantity": QuantityValue,
    "law": LawValue,
    "entity": EntityValue,
}


class Mention(Contract):
    """Something the text says, with where it says it and how it was found."""

    article: str
    kind: MentionKind
    label: str = Field(description="spaCy-style label: DATE, MONEY, LAW, REGULATOR, GPE …")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    sentence: Span = Field(description="[start, end) of the sentence the mention is in.")
    value: MentionValue
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes the mention is attributed to.")
    source: str = Field(description='"ner" or "rule:NAME".')

    @model_validator(mode="before")
    @classmethod
    def _value_by_kind(cls, data: object) -> object:
        # The value's shape is chosen by `kind`, so a percent never parses as money.
        if isinstance(data, dict) and isinstance(data.get("value"), dict):
            value_type = VALUE_TYPE_BY_KIND.get(str(data.get("kind")))
            if value_type is not None:
                data = {**data, "value": value_type.model_validate(data["value"])}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Mention:
        if not isinstance(self.value, VALUE_TYPE_BY_KIND[self.kind]):
            raise ValueError(
                f"value of a {self.kind} mention must be {VALUE_TYPE_BY_KIND[self.kind].__name__}"
            )
        if not (self.start <= self.end and self.sentence[0] <= self.start and self.end <= self.sentence[1]):
            raise ValueError("offsets must satisfy sentence.start <= start <= end <= sentence.end")
        return self


class Token(Contract):
    """One parsed token of a sentence: what the claims stage reads instead of raw text."""

    start: int = Field(ge=0, description="Offset in the article text.")
    end: int = Field(ge=0)
    lemma: str = Field(description="Lower-case lemma.")
    pos: str = Field(description="Universal part-of-speech tag (NOUN, VERB, PROPN …).")
    dep: str = Field(description="Dependency label as the language's parser writes it.")
    head: int = Field(ge=0, description="Index of the head token in the sentence's tokens (itself: root).")
    morph: str = Field("", description='Morphological features, e.g. "Tense=Past|VerbForm=Fin".')


class Sentence(Contract):
    """One sentence of an article: where it is, which country it is about, its lemmas for cues."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    paragraph: int = Field(ge=0, description="Index of the paragraph (non-blank line) it is in.")
    country: str | None = Field(description="ISO alpha-2 code of the country the sentence is about.")
    lemmas: str = Field(description="Lower-case lemmas joined by single spaces, for field-rule cues.")
    tokens: list[Token] = Field(
        default_factory=list,
        description="The parse, for sentences that may state a claim (empty for the others).",
    )


class AnalyzedArticle(Contract):
    """The mentions stage's output for one article: what field rules work from."""

    article: Article
    main_country: str | None
    sentences: list[Sentence]
    mentions: list[Mention]


# --- facts and proposals ----------------------------------------------------------------------


class Evidence(Contract):
    """Where an article supports a proposal: the sentence, and the value inside it."""

    article: str
    start: int = Field(ge=0, description="Start of the quoted sentence in the article text.")
    end: int = Field(ge=0)
    quote: str = Field(description="text[start:end] of the article.")
    highlight: Span = Field(description="[start, end) of the value that triggered the proposal.")
    published: str | None = None
    url: str | None = None
    title: str | None = None


Op = Literal["set", "append", "add", "confirm"]
Status = Literal["pending", "approved", "rejected", "merged", "superseded"]


ValueKind = Literal["enum", "amount", "law", "names", "sentence"]


class Fact(Contract):
    """One field-level statement an article makes about one country, before matching to a record."""

    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    field: str = Field(description="Field path `section.field` (contract.md).")
    value: str = Field(description="The value written in the record's style.")
    kind: ValueKind = Field(description="How the value compares with a field's text (see propose.py).")
    mode: Literal["replace", "append"] = Field(
        description="replace: the value stands for the whole field; append: it adds to a note or list."
    )
    evidence: Evidence
    extractor: str = Field(description='The field rule that produced it: "rule:NAME".')
    confidence: float = Field(ge=0, le=1)
    stage: str | None = Field(None, description="The claim's stage: enacted, in_force, drafted, proposed …")
    effective: str | None = Field(
        None, description="ISO date the change takes effect, if the claim states it."
    )
    dated: str | None = Field(None, description="For history told in the past tense "
                              "(\"banned in 2021\"): when it happened.")
    confirm_only: bool = Field(False, description="Only a confirm of the record's value is proposed from it.")


class Proposal(Contract):
    """A suggested change to one field of one record, with its provenance and review state."""

    id: str = Field(description="p- + hash of country, field, op and the normalised new value.")
    country: str
    record: str = Field(description="Record file name, relative to the records folder.")
    field: str
    op: Op
    old_value: str | None = Field(description="The field's exact text when proposed; null for add.")
    new_value: str
    evidence: list[Evidence] = Field(min_length=1)
    extractor: str
    confidence: float = Field(ge=0, le=1)
    status: Status = "pending"
    reviewer_note: str | None = None
    conflicts_with: list[str] = Field(default_factory=list)
    reviewer: str | None = Field(None, description="Who made the last decision (review --reviewer).")
    decided_at: str | None = Field(None, description="UTC timestamp of the last decision, ISO 8601.")
    proposed_value: str | None = Field(
        None, description="The value the program proposed, kept when the reviewer edited new_value."
    )
    stage: str | None = Field(
        None, description="How far the claim behind it has gone: enacted, in_force, signed, drafted …"
    )
    effective: str | None = Field(None, description="ISO date the change takes effect, when stated.")


# --- country records ----------------------------------------------------------------------------

RecordFieldKind = Literal["row", "status", "note", "heading", "summary", "meta", "faq"]


class RecordField(Contract):
    """One value of a country record and where the file writes it (see schemas/record-fields.md)."""

    path: str = Field(description='Field path `section.field` (contract.md), e.g. "licensing.cost".')
    label: str = Field(description='The label as written: "Cost", "Status", "note", a FAQ question …')
    text: str = Field(description="The value exactly as written; a value over several lines joined with \\n.")
    line: int = Field(ge=1, description="1-based line where the value starts.")
    kind: RecordFieldKind = Field(description="How the record writes it: table row, **Status:** line …")
    end_line: int = Field(ge=1, description="1-based line where the value ends.")
    column: int = Field(ge=0, description="Offset (code points) of the value in its first line.")


class RecordSection(Contract):
    """A `## ` section of a country record: where it is and where its table is."""

    slug: str = Field(description='Section part of the field paths: "aml_kyc" for "## AML / KYC".')
    title: str = Field(description="The heading text as written, without a heading value.")
    line: int = Field(ge=1, description="Line of the `## ` heading.")
    end_line: int = Field(ge=1, description="Last line before the next section or the footer.")
    table_end_line: int | None = Field(None, description="Last row of the section's first table.")


class CountryRecord(Contract):
    """A country record: its fields, plus its lines as written, so rendering gives the file back."""

    file: str = Field(description='File name, e.g. "country--kyrgyzstan.md".')
    code: str = Field(description='ISO 3166-1 alpha-2 code from the title "(KG)", else from the aliases.')
    name: str = Field(description='Country name from the title, e.g. "Kyrgyzstan".')
    aliases: list[str] = Field(description="Front matter `aliases`.")
    links: list[tuple[str, str]] = Field(description="Every [[target|label]] of the body as (target, label).")
    fields: dict[str, RecordField] = Field(description="Fields by path, in file order.")
    sections: list[RecordSection] = Field(description="The `## ` sections in file order.")
    bom: bool = Field(False, description="The file starts with a UTF-8 byte order mark.")
    lines: list[str] = Field(description="The file's lines, each with its line ending as written.")

    def field(self, path: str) -> RecordField | None:
        """The field at `path`, or None when the record lacks it."""
        return self.fields.get(path)


# --- ledger -----------------------------------------------------------------------------------


class LedgerEntry(Contract):
    """One merged change, so every changed line of a record traces back to its article."""

    when: str = Field(description="UTC timestamp of the merge, ISO 8601.")
    record: str
    field: str
    op: Op
    old: str | None
    new: str
    proposal: str = Field(description="The proposal id.")
    evidence: list[Evidence]
    reviewer: str | None = Field(None, description="Who approved the change.")
    reviewer_note: str | None = Field(None, description="The reviewer's reason, if given.")


DecisionAction = Literal["approved", "rejected", "edited", "noted", "undone"]


class Decision(Contract):
    """One line of the append-only decision log: a review decision, undo included."""

    when: str = Field(description="UTC timestamp, ISO 8601.")
    proposal: str = Field(description="The proposal id.")
    action: DecisionAction
    status: Status = Field(description="The proposal's status after the decision.")
    previous_status: Status
    reviewer: str
    reviewer_note: str | None = None
    new_value: str = Field(description="The proposal's new value after the decision.")
    proposed_value: str | None = Field(None, description="The value proposed, for an edit.")
    via: Literal["terminal", "web", "batch"] = Field(description="Which review made the decision.")


# --- evaluation gold --------------------------------------------------------------------------

GoldScalar = str | int | float | None


class MentionGold(Contract):
    """One mention a labelled article must yield. Gold has no offsets: `text` locates it."""

    article: str
    kind: MentionKind
    text: str = Field(
        min_length=1,
        description="The mention as written; the n-th line of one text is "
        "its n-th occurrence in the article.",
    )
    value: dict[str, GoldScalar] = Field(
        description="The keys to check: each must equal the output value's (other keys are not checked)."
    )

    @model_validator(mode="after")
    def _value_keys(self) -> MentionGold:
        # A misspelt key or enum value would fail every comparison silently, so reject it here.
        value_type = VALUE_TYPE_BY_KIND[self.kind]
        for key, item in self.value.items():
            field = value_type.model_fields.get(key)
            if field is None:
                keys = ", ".join(value_type.model_fields)
                raise ValueError(f"{self.kind} values have no key {key!r} (keys: {keys})")
            try:
                TypeAdapter(field.rebuild_annotation()).validate_python(item)
            except ValidationError as exc:
                raise ValueError(f"value.{key}: {exc.errors()[0]['msg']}") from None
        if self.kind == "entity" and "type" not in self.value:
            raise ValueError("an entity value needs its type (entities are scored per type)")
        return self


class ProposalGold(Contract):
    """One proposal a labelled article must yield — or, with `absent`, one it must not (a distractor)."""

    article: str
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    field: str
    op: Op | None = Field(None, description="Checked only when given.")
    value_contains: list[str] = Field(
        default_factory=list,
        description="Strings the new value must contain (case- and number-format-insensitive).",
    )
    absent: bool = Field(False, description="True: any proposal for this field from this article is wrong.")
    optional: bool = Field(
        False,
        description="True: acceptable but not required; a proposal for this field from this article is "
        "neither a hit nor a false positive.",
    )

    @model_validator(mode="after")
    def _absent_alone(self) -> ProposalGold:
        if self.absent and (self.op is not None or self.value_contains):
            raise ValueError("an absent line takes no op or value_contains")
        if self.absent and self.optional:
            raise ValueError("a line is either absent or optional")
        return self


EXPORTED_MODELS: dict[str, type[BaseModel]] = {
    "article": Article,
    "mention": Mention,
    "fact": Fact,
    "proposal": Proposal,
    "ledger_entry": LedgerEntry,
    "decision": Decision,
    "country_record": CountryRecord,
    "record_field": RecordField,
    "mention_gold": MentionGold,
    "proposal_gold": ProposalGold,
}
