"""Property tests: generated records round-trip byte for byte and parse into the fields they were made of."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.fieldpath import slug
from extract.records import parse_record, render_record, set_field

# Letters records really hold: Latin, Cyrillic, Kazakh and Kyrgyz letters, accents, emoji, digits,
# and the punctuation of amounts and dates. Characters that start Markdown structure at the head of
# a line (#, >, |, *, -, +) and backslashes are left out of words; pipes come only inside wiki links.
LETTERS = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" "абвгдежзийклмнопрстуфхцчшщыэюяКЫРГЗСТАН"
           "ҚқӘәҮүҢңӨөҒғІіҰұҺһ" "éüçñøßİı" "0123456789")
PUNCT = "$€₸%.,:;()/'\"?!&=@~^"
TOKENS = ["📈", "🪙", "⚡", "🇰🇿", "🏦",
          "$5,000", "KZT 2/kWh", "2026-01-01", "10%", "Law on Virtual Assets (2022)"]

word = st.text(alphabet=LETTERS + PUNCT, min_size=1, max_size=10).filter(lambda w: w[0] in LETTERS) | (
    st.sampled_from(TOKENS))
link_target = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=20).map(
    lambda target: f"entity--{target}")
link_label = st.text(alphabet=LETTERS + " ", min_size=1, max_size=15).map(str.strip).filter(bool)
wiki_link = st.builds(lambda target, label: f"[[{target}|{label}]]", link_target, link_label)
phrase = st.lists(word | wiki_link, min_size=1, max_size=8).map(" ".join)
sentence = phrase.map(lambda text: text + ".")
# A long cell: several sentences, like KZ's Mining Tax and Cost.
cell_value = phrase | st.lists(sentence, min_size=2, max_size=5).map(" ".join)
paragraph = st.lists(st.lists(sentence, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=3).map(
    "\n".join)
note = st.lists(paragraph, min_size=1, max_size=3).map("\n\n".join)
label = st.builds(lambda head, tail: f"{head} {tail}".strip(),
                  st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=1,
                          max_size=9),
                  st.sampled_from(["", "(Personal)", "Cost", "Қазақ", "📈", "on Crypto", "Rate 2"])).filter(
    lambda text: slug(text) not in ("status", "note") and not slug(text).startswith("note_"))
spaces = st.sampled_from(["", " ", " ", "  ", "\t"])
TITLES = ["Overview", "Tax", "Licensing", "AML / KYC", "DeFi", "Stablecoins", "NFTs", "Mining", "Geopolitics",
          "Enforcement", "Sanctions", "Market Data 📈", "Regional Notes Қазақ"]


@dataclass
class Doc:
    """A record being generated: its lines (without endings) and the fields it should parse into."""

    lines: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    def block(self, draw: st.DrawFn, lines: list[str]) -> int:
        """Append a block after one or two blank lines (some holding spaces); return its first line number."""
        self.lines.extend(draw(st.lists(st.sampled_from(["", " "]), min_size=1, max_size=2)))
        self.lines.extend(lines)
        return len(self.lines) - len(lines) + 1


def _section(draw: st.DrawFn, doc: Doc, title: str) -> None:
    section = slug(title)
    shape = draw(st.sampled_from(["table", "table+note", "status+note", "status", "heading", "note"]))
    if shape == "heading":
        value = draw(phrase)
        doc.block(draw, [f"## {title} Status:{draw(spaces)} {value}"])
        doc.fields[f"{section}.status"] = value
    else:
        doc.block(draw, [f"##{draw(spaces.filter(bool))}{title}"])
    if shape.startswith("status"):
        value = draw(phrase)
        doc.block(draw, [f"**Status:**{draw(spaces)}{value}"])
        doc.fields[f"{section}.status"] = value
    if shape.startswith("table"):
        labels = draw(st.lists(label, min_size=0, max_size=6, unique_by=slug))
        rows = []
        for row_label in labels:
            value = draw(cell_value)
            rows.append(f"|{draw(spaces)}{row_label}{draw(spaces)}|{draw(spaces)}{value}{draw(spaces)}|")
            doc.fields[f"{section}.{slug(row_label)}"] = value
        doc.block(draw, ["| Field | Value |", "|-------|-------|", *rows])
    if shape.endswith("note") or (shape == "heading" and draw(st.booleans())):
        text = draw(note)
        doc.block(draw, text.split("\n"))
        doc.fields[f"{section}.note"] = text


@st.composite
def records(draw: st.DrawFn) -> tuple[str, dict[str, str], tuple[str, str]]:
    """(record text, expected field texts, (name, code))."""
    name, code, local = draw(st.sampled_from([
        ("Kyrgyzstan", "KG", "Кыргызстан"), ("Kazakhstan", "KZ", "Қазақстан"),
        ("Georgia", "GE", "საქართველო"), ("Chile", "CL", "Chile"), ("Viet Nam", "VN", "Việt Nam")]))
    created, updated = draw(st.dates()).isoformat(), draw(st.dates()).isoformat()  # updated may be older
    doc = Doc(["---", "type: country", f'aliases: ["{code}", "{local}"]', f"created: {created}",
               f"updated: {updated}", "---"])
    doc.fields.update({"meta.type": "country", "meta.created": created, "meta.updated": updated})
    doc.block(draw, [f"#{' ' * draw(st.integers(1, 3))}{name} ({code}) — Crypto Regulation"])
    if draw(st.booleans()):
        summary = draw(paragraph)
        doc.block(draw, [f"> {line}" for line in summary.split("\n")])
        doc.fields["summary"] = summary
    for title in draw(st.permutations(TITLES).flatmap(lambda titles: st.integers(0, len(titles)).map(
            lambda count: titles[:count]))):
        _section(draw, doc, title)
    questions = draw(st.lists(st.lists(word, min_size=1, max_size=6).map(lambda words: " ".join(words) + "?")
                              .filter(lambda question: slug(question)), max_size=3, unique_by=slug))
    if questions:
        doc.block(draw, ["## FAQ"])
        for question in questions:
            answer = draw(note)
            doc.block(draw, [f"### {question}"])
            doc.block(draw, answer.split("\n"))
            doc.fields[f"faq.{slug(question)}"] = answer
    if draw(st.booleans()):
        reviewed = draw(st.dates()).isoformat()
        doc.block(draw, ["---"])
        doc.block(draw, [f"*Data source: [Map](https://example.org/map/). Last reviewed: {reviewed}.*"])
        doc.fields["meta.last_reviewed"] = reviewed
        urls = draw(st.lists(st.sampled_from(["https://a.kz", "https://b.kg/x", "https://c.org"]),
                             unique=True))
        if urls:
            doc.block(draw, ["**Sources:**", *(f"- [{url}]({url})" for url in urls)])
            doc.fields["meta.source_links"] = "\n".join(f"- [{url}]({url})" for url in urls)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(doc.lines) + draw(st.sampled_from([newline, ""]))
    return ("\ufeff" if draw(st.booleans()) else "") + text, doc.fields, (name, code)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_generated_records_round_trip_and_parse_into_their_fields(
        generated: tuple[str, dict[str, str], tuple[str, str]]) -> None:
    text, expected, (name, code) = generated
    record = parse_record(text, file="generated.md")
    assert render_record(record) == text
    assert (record.name, record.code) == (name, code)
    parsed = {path: found.text for path, found in record.fields.items()
              if path in expected or not path.startswith("meta.")}
    assert parsed == expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), st.data())
def test_setting_a_field_changes_only_its_own_lines(
        generated: tuple[str, dict[str, str], tuple[str, str]], data: st.DataObject) -> None:
    record = parse_record(generated[0], file="generated.md")
    editable = sorted(path for path, found in record.fields.items()
                      if found.kind in ("row", "status", "note", "faq"))
    if not editable:
        return
    path = data.draw(st.sampled_from(editable))
    target = record.fields[path]
    value = data.draw(phrase)
    edited = set_field(record, path, value)
    assert edited.field(path).text == value  # type: ignore[union-attr]
    # Lines outside the field's own are byte for byte the same, and so is every other field.
    tail = len(record.lines) - target.end_line
    assert edited.lines[: target.line - 1] == record.lines[: target.line - 1]
    assert edited.lines[len(edited.lines) - tail :] == record.lines[len(record.lines) - tail :]
    assert {other: found.text for other, found in edited.fields.items() if other != path} == {
        other: found.text for other, found in record.fields.items() if other != path}
