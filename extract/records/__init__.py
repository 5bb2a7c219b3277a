"""Country records: a lossless Markdown ↔ CountryRecord model, minimal edits, and validation.

A record (corpus/countries/country--kyrgyzstan.md) is, in order:

    ---                                   YAML front matter: meta.<key>
    aliases: ["KG", "KGZ", "Кыргызстан"]
    ---
    #  Kyrgyzstan (KG) — Crypto Regulation  title: name and ISO alpha-2 code
    > One-paragraph summary.                summary
    ## Licensing                            a section; its slug is the first part of a path
    | Field | Value |                       two-column table: licensing.<label slug>
    |-------|-------|                       (a pipe inside [[target|label]] does not split cells)
    | Cost | $5,000 - $20,000 |             licensing.cost
    **Status:** regulated                   <section>.status
    Prose paragraphs.                       <section>.note (a later run of prose: note_2 …)
    ## CBDC Status: research                heading value: cbdc.status
    ## FAQ / ### Question? / answer         faq.<question slug>
    ---                                     footer: meta.data_source, meta.last_reviewed,
    *Data source: … Last reviewed: 2026-04-13.*
    **Sources:** / - [url](url)             meta.source_links

schemas/record-fields.md gives the full rules. Parsing keeps every line as written, so
`render_record(parse_record(text)) == text` byte for byte (BOM, CRLF, no final newline, odd spacing).
"""

from extract.models import CountryRecord, RecordField, RecordSection
from extract.records.edit import (
    UnknownFieldError,
    add_field,
    add_source,
    append_to_field,
    mark_reviewed,
    set_field,
)
from extract.records.parse import load_records, parse_record, read_record, record_files, render_record
from extract.records.problems import Problem
from extract.records.validate import validate_record_bytes, validate_records

__all__ = [
    "CountryRecord",
    "Problem",
    "RecordField",
    "RecordSection",
    "UnknownFieldError",
    "add_field",
    "add_source",
    "append_to_field",
    "load_records",
    "mark_reviewed",
    "parse_record",
    "read_record",
    "record_files",
    "render_record",
    "set_field",
    "validate_record_bytes",
    "validate_records",
]
