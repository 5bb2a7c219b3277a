"""Field paths of country records (`section.field`) and the field vocabulary kept as data.

The vocabulary lives in `extract/rules/record_fields.json`: the usual sections in their usual order
(with their titles as records write them), and for each known field its label, how it is written
(`row`, `status`, `heading`, `note` …), its type and, for enumerations, the values records use.
A curator extends it by editing the JSON; no code changes.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import ValidationError

from extract.errors import ConfigError
from extract.models import Contract, RecordFieldKind

FieldType = Literal["enum", "yesno", "score", "percent", "money", "date", "text"]

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower case, every run of characters other than a-z0-9 → one `_`, trimmed.

    "Capital Gains (Personal)" → "capital_gains_personal", "AML / KYC" → "aml_kyc".
    """
    return _NON_SLUG.sub("_", text.lower()).strip("_")


def split_path(path: str) -> tuple[str, str]:
    """"licensing.cost" → ("licensing", "cost"); "summary" → ("", "summary")."""
    section, _, name = path.rpartition(".")
    return section, name


class SectionSpec(Contract):
    slug: str
    title: str
    header: tuple[str, str] = ("Field", "Value")


class FieldSpec(Contract):
    path: str
    label: str
    kind: RecordFieldKind = "row"
    type: FieldType = "text"
    values: tuple[str, ...] = ()

    def allows(self, value: str) -> bool:
        """Whether `value` is in the vocabulary; spelling variants (case, `_`, `-`, spaces) agree."""
        return not self.values or slug(value) in {slug(allowed) for allowed in self.values}


class _FieldSpecIn(Contract):
    label: str
    kind: RecordFieldKind = "row"
    type: FieldType = "text"
    values: tuple[str, ...] = ()


class _RulesIn(Contract):
    yesno: tuple[str, ...]
    sections: tuple[SectionSpec, ...]
    fields: dict[str, _FieldSpecIn]


class FieldRules(Contract):
    sections: tuple[SectionSpec, ...]
    fields: dict[str, FieldSpec]


RULES_FILE = "record_fields.json"


@cache
def field_rules() -> FieldRules:
    """The vocabulary from `extract/rules/record_fields.json`, checked once."""
    source = resources.files("extract") / "rules" / RULES_FILE
    where = f"extract/rules/{RULES_FILE}"
    try:
        raw = _RulesIn.model_validate(json.loads(source.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as exc:
        first_line = str(exc).splitlines()[0]
        raise ConfigError(f"invalid field rules: {first_line}", where=where,
                          fix="fix the JSON to the layout schemas/record-fields.md describes") from exc
    fields = {}
    for path, spec in raw.fields.items():
        if path != slug_path(path):
            raise ConfigError(f"field path {path!r} is not made of slugs", where=where,
                              fix=f"write it as {slug_path(path)!r}")
        values = raw.yesno if spec.type == "yesno" and not spec.values else spec.values
        fields[path] = FieldSpec(path=path, label=spec.label, kind=spec.kind, type=spec.type, values=values)
    return FieldRules(sections=raw.sections, fields=fields)


def slug_path(path: str) -> str:
    """Each part of a dotted path as a slug: "Tax.Capital Gains" → "tax.capital_gains"."""
    return ".".join(slug(part) for part in path.split("."))


def field_spec(path: str) -> FieldSpec | None:
    """The vocabulary entry of a field path, or None for a field the rules do not know."""
    return field_rules().fields.get(path)


def section_spec(section: str) -> SectionSpec:
    """A section's title and table header; an unknown section gets a title made from its slug."""
    for spec in field_rules().sections:
        if spec.slug == section:
            return spec
    return SectionSpec(slug=section, title=section.replace("_", " ").title())


def section_rank(section: str) -> int | None:
    """Position of a section in the usual order, None for a section outside it."""
    for rank, spec in enumerate(field_rules().sections):
        if spec.slug == section:
            return rank
    return None
