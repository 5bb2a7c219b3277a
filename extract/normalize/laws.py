"""Laws in text: find mentions of laws, codes, acts and regulations, and give each its canonical name.

Each match records the rule family that found it:
  law_on       Law on <Title>, Constitutional Law on …, Law of Ukraine on …
  quoted_law   Law “On <Title>”, the “<Title>” law
  subject_law  <Title> Law, and <Title> law with two or more capitalised title words
  code         <Subject> Code for the code subjects in patterns/laws.json, Code of <Title>
  act          <Title> Act / Ordinance, Act on <Title>
  regulation   <Title> Regulation/Directive/Rules (two or more title words), AIFC Rules on <Title>
  law_number   Federal Law No. 259-FZ, Regulation (EU) 2023/1114, Executive Order 14067
  vocabulary   aliases of well-known laws (MiCA, DORA, GENIUS Act …) from patterns/laws.json

Canonical names: "Law on <Title>" for a law named by its subject, with quotes, leading articles and the
generic qualifiers national/new/federal dropped, a trailing "of <country>" dropped and the title words
as written. A law in the vocabulary takes its vocabulary name (also when found by its official number);
a name close to one of the `known` laws takes the known name. The year comes from "(2022)", "of 2022",
"2022 Law on …", or a bare year after an Act, Regulations, Rules or Code ("Act 2000", "Act, 2002"); a date
inside parentheses is not the law's year. A law named again in parentheses right after a law is a
second mention of the same law: both take the vocabulary's or else the fuller name, and share year and
number ("New Banking Law (Law on Banks and Banking Activities)", "the Markets in Crypto-Assets Regulation
(MiCA)": two mentions each, one name). The span of a subject law keeps a qualifier the name drops
("New Banking Law"), but not an article ("the").
On title-case lines (headlines) every word is capitalised, so there the rules whose title is an open run
of capitalised words stay silent; quoted, numbered, code and vocabulary matches still count.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import NamedTuple

from rapidfuzz import fuzz

from extract.models import LawValue
from extract.normalize.vocabulary import alternation

_DATA = json.loads(resources.files("extract").joinpath("patterns/laws.json").read_text(encoding="utf-8"))
_BODY_HEADS = json.loads(
    resources.files("extract").joinpath("patterns/bodies.json").read_text(encoding="utf-8")
)["heads"]

# A name whose subject is this close (0-100) to a known law's, with the same kind words, takes the known
# name: "Virtual Asset law" joins "Law on Virtual Assets" (96); "Digital Assets" stays apart (79).
KNOWN_NAME_THRESHOLD = 90


class LawMatch(NamedTuple):
    start: int
    end: int
    value: LawValue
    rule: str


def _words(key: str) -> frozenset[str]:
    return frozenset(word.lower() for word in _DATA[key])


_LEADING_WORDS = _words("leading_words")
_LAW_LEADING_WORDS = _words("law_leading_words")
_LAW_GENERIC_HEADS = _words("law_generic_heads")
_LAW_FOLLOWERS = _words("law_followers_not_law")
_ACT_HEADS = _words("act_heads_not_law")
_ORG_WORDS = _words("org_words")
_CODE_OF_EXCLUDED = _words("code_of_excluded")
_NUMBER_QUALIFIERS_DROPPED = _words("numbered_qualifiers_dropped_with_title")
_BARE_YEAR_KINDS = frozenset(_DATA["bare_year_kinds"])
_STATUTE_KINDS = frozenset(_DATA["statute_kinds"])
_CONNECTORS = frozenset({"of", "and", "the", "for", "in", "on", "to", "&"})
_KEPT_QUALIFIERS = _words("law_qualifiers_kept")
_STATE_FORMS = frozenset(_DATA["state_forms"])  # "in the Republic of Mongolia": a country
_KIND_WORDS = _words("kind_words")  # what a name is, as against what it is about

# --- grammar ------------------------------------------------------------------------------------

_S = r"[^\S\n]+"  # spaces within one line
_KIND_NAMES = [*_STATUTE_KINDS, *_DATA["instrument_kinds"], "Code", "Laws", "Law", "Decree"]
_KIND = rf"(?:{alternation(_KIND_NAMES)})(?![\w-])"  # never a title word
_CALENDAR = rf"(?:{alternation(w for w in (*calendar.day_name, *calendar.month_name) if w)})(?![\w-])"
_CAP = (
    rf"(?!{_KIND}|{_CALENDAR})"  # one capitalised title word: U.S., Crypto-Assets, 21st
    r"(?:[A-Z](?:\.[A-Z])+\.?|[A-Z][A-Za-z0-9]*(?:[-–][A-Za-z0-9]+)*|\d+(?:st|nd|rd|th))(?![\w'’])"
)
_CONN = r"(?:of|and|the|for|in|on|to|&)"
_TITLE = rf"{_CAP}(?:{_S}(?:{_CONN}{_S})*{_CAP})*"
_JURISDICTION = rf"(?:of{_S}(?:the{_S})?{_TITLE}{_S})?"  # "Law of the Kyrgyz Republic on …"
_OPEN, _CLOSE, _NOT_QUOTE = '[“"«„]', '[”"»“]', '[^“”"«»„\n]'
_KEPT = alternation(_DATA["law_qualifiers_kept"])
_LAW = rf"(?P<law>(?:(?P<qualifier>(?i:{_KEPT})){_S})?(?P<law_word>[Ll]aw))"
_NUM = r"(?:[A-Z]{1,4}-)?\d+(?:[.,]\d{3})*(?:[-/][0-9A-Za-z]+)*"
_MONTHS = alternation(m for m in calendar.month_name if m)
_YEAR = r"(?:1[89]|20)\d{2}"
# "September 16, 2022", "16 September 2022", "16.09.2022": the year is the last group's
_DATE = (
    rf"(?:(?:\d{{1,2}}{_S})?(?:{_MONTHS})\.?{_S}(?:\d{{1,2}},?{_S})?|\d{{1,2}}[./]\d{{1,2}}[./])(?P<dated>{_YEAR})"
    r"(?![\d/-])"
)
_START = r"(?<![\w'’.-])"

_LAW_ON = re.compile(rf"{_START}{_LAW}{_S}{_JURISDICTION}[Oo]n{_S}(?P<title>(?:the{_S})?{_TITLE})")
_QUOTED_AFTER = re.compile(rf"{_START}{_LAW}{_S}{_JURISDICTION}(?P<open>{_OPEN})")
_QUOTED_BEFORE = re.compile(
    rf"{_OPEN}(?P<title>[A-Z]{_NOT_QUOTE}{{1,150}}?){_CLOSE}{_S}(?P<law_word>[Ll]aw)(?![\w-])"
)
_NAMED_BEFORE = re.compile(
    rf"{_START}(?P<title>{_TITLE}){_S}"
    rf"(?P<kind>{alternation([*_DATA['statute_kinds'], *_DATA['instrument_kinds']])}|Law|law)(?![\w-])"
)
_NAMED_ON = re.compile(
    rf"{_START}(?:(?P<pre>{_TITLE}){_S})?(?P<kind>{alternation(_DATA['named_kinds_on'])}|Act)"
    rf"{_S}on{_S}(?P<title>(?:the{_S})?{_TITLE})"
)
_CODE = re.compile(
    rf"{_START}(?:(?P<title>{alternation(_DATA['code_subjects'])}){_S}Code"
    rf"|(?P<lower>{alternation(_DATA['code_subjects_lowercase'])}){_S}code)(?![\w-])"
)
_CODE_OF = re.compile(rf"{_START}Code{_S}(?:of|on){_S}(?P<title>(?:the{_S})?{_TITLE})")
# "decree-law No. 6", "resolution dated March 6, 2025, No. 117": lower case only with a number sign
_NUMBERED_KINDS = {kind: kind for kind in _DATA["numbered_kinds"]} | {
    kind[0].lower() + kind[1:].lower(): kind for kind in _DATA["numbered_kinds"]
}
_NUMBERED = re.compile(
    rf"{_START}(?:(?P<qual>(?i:{alternation(_DATA['numbered_qualifiers'])})){_S})?"
    rf"(?P<kind>{alternation(_NUMBERED_KINDS)})(?:{_S}of{_S}(?:the{_S})?{_TITLE})?"
    rf"(?:{_S}?\((?P<org>[A-Z]{{2,8}})\))?(?:,?{_S}dated{_S}{_DATE},?)?"
    rf"{_S}(?P<no>(?:No|Nr|N°|№|nº)\.?{_S}?)?(?:\((?P<bracketed>\d+)\)|(?P<num>{_NUM}))(?![\w-])"
)
# "[Financial Market Regulation] and Supervision Service": the kind word is part of a body's name
_BODY_CONTINUES = re.compile(
    rf"{_S}(?:and|&){_S}(?:[A-Z][\w-]*{_S}){{0,4}}(?:{alternation(_BODY_HEADS)})(?![\w-])"
)
_TITLE_FOLLOWS = re.compile(rf"{_S}(?:on|of){_S}(?:the{_S})?{_CAP}")
_PLAIN_QUOTED = re.compile(rf"(?P<title>{_NOT_QUOTE}{{2,250}}?){_CLOSE}")
_NUMBER_DATE = re.compile(  # "of 2022", "of July 31, 2020", "dated 31 July 2020"
    rf",?{_S}(?:of|dated|from){_S}(?:(?:\d{{1,2}}{_S})?(?:{_MONTHS})\.?{_S}(?:\d{{1,2}},?{_S})?)?"
    r"(?P<year>(?:1[89]|20)\d{2})(?![\d/-])"
)
_NUMBER_TITLE = re.compile(
    rf"{_S}?(?:{_OPEN}[Oo]n{_S}(?P<quoted>{_NOT_QUOTE}{{2,250}}?){_CLOSE}"
    rf"|[Oo]n{_S}(?P<title>(?:the{_S})?{_TITLE})"
    rf"|(?P<participle>[A-Z][a-z]{{3,}}ing{_S}{_TITLE}))"  # "Law No. 7 of 2023 Regulating Digital Tokens"
)
_VOCABULARY = re.compile(
    rf"{_START}(?:{alternation(alias for law in _DATA['laws'] for alias in law['aliases'])})(?![\w])"
)

_YEAR_AFTER = re.compile(
    rf"[^\S\n]*\((?P<paren>{_YEAR})\)|,?{_S}of{_S}(?P<of>{_YEAR})(?![\d/-])|,?{_S}dated{_S}{_DATE}"
    rf"|,?{_S}(?P<bare>{_YEAR})(?![\d/-]|[.,]\d)"
)
_YEAR_BEFORE = re.compile(rf"(?:^|(?P<word>\w+){_S}|[^\w\s,./-])(?P<year>{_YEAR}){_S}$")
_NUMBER_AFTER = re.compile(rf",?{_S}(?:No|Nr|№)\.?{_S}?(?P<num>{_NUM})(?![\w-])")
_AMENDMENTS_CLAUSE = re.compile(  # "… and on Amendments to Certain Legislative Acts"
    r",?\s+and\s+(?:on\s+)?(?:the\s+)?(?:introduction\s+of\s+)?amendments?\s+to\b.*",
    re.IGNORECASE | re.DOTALL,
)
_PREPOSITIONS = _words("prepositions")  # "in 2022 Law on …": the year is not the law's
_SMALL_WORDS = _PREPOSITIONS | _CONNECTORS | {"a", "an", "as", "at", "with", "via", "vs", "into"}

_VOCAB_BY_KEY: dict[str, str] = {}
_VOCAB_BY_NUMBER: dict[str, str] = {}


def _key(name: str) -> str:
    """Case, punctuation and spacing folded: "Markets in Crypto-Assets" → "markets in crypto assets"."""
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


for _law in _DATA["laws"]:
    _VOCAB_BY_KEY.update({_key(alias): _law["name"] for alias in [_law["name"], *_law["aliases"]]})
    _VOCAB_BY_NUMBER.update({number: _law["name"] for number in _law["numbers"]})


# --- jurisdictions ------------------------------------------------------------------------------


@cache
def _jurisdictions() -> frozenset[str]:
    """Lower-cased names and demonyms of countries and multi-word regions, plus the data file's extras."""
    import pycountry
    from countryinfo import all_countries

    names: set[str] = set(_words("jurisdictions") | _words("region_words"))
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name:
                names.update({name.lower(), name.split(",")[0].lower()})
    names.update(s.name.lower() for s in pycountry.subdivisions if " " in s.name)
    for info in all_countries():
        names.add(info.name().lower())
        names.update(a.lower() for a in info.alt_spellings() if not a.isupper())
        names.update(d.strip().lower() for d in re.split(r"[,/]", info.demonym() or "") if d.strip())
    singles = [n for n in names if " " not in n and n.isalpha()]
    # Demonyms the data lacks: Kyrgyz, Uzbek (…stan); Korean, Nigerian (+n, +an …).
    names.update(n.removesuffix("stan") for n in singles if n.endswith("stan") and len(n) > 7)
    names.update(n + suffix for n in singles for suffix in ("n", "an", "ian", "ese", "i"))
    names.discard("")
    return frozenset(names)


def _jurisdiction_length(words: Sequence[str]) -> int:
    """How many of the leading `words` name a country, region or its people (0 if they do not)."""
    for size in range(min(len(words), 6), 0, -1):
        if " ".join(words[:size]).lower() in _jurisdictions():
            return size
    return 0


def _strip_leading(title: str, start: int, qualifiers: frozenset[str] = frozenset()) -> tuple[str, int]:
    """Drop leading articles, prepositions, `qualifiers` and country names from a title starting at
    `start`; the rest, and where its span starts (qualifiers right before the rest stay in the span)."""
    tokens = [(m.group(), m.start()) for m in re.finditer(r"\S+", title)]
    i = 0
    while i < len(tokens):
        size = _jurisdiction_length([word for word, _ in tokens[i : i + 6]])
        if not size and tokens[i][0].lower() not in _LEADING_WORDS | _CONNECTORS | qualifiers:
            first = i
            while first > 0 and tokens[first - 1][0].lower() in qualifiers:
                first -= 1
            return title[tokens[i][1] :], start + tokens[first][1]
        i += max(size, 1)
    return "", start + len(title)


def _clean_title(title: str) -> str:
    """A title without its "and on amendments to …" clause or trailing country: "Digital Assets in the
    Republic of Kazakhstan" → "Digital Assets"."""
    words = _AMENDMENTS_CLAUSE.sub("", title.strip().rstrip(",.;:")).split()
    for i in range(1, len(words) - 1):
        rest = words[i + 1 :]
        rest = rest[1:] if rest[0].lower() == "the" else rest
        rest = rest[2:] if len(rest) > 2 and rest[0] in _STATE_FORMS and rest[1] == "of" else rest
        if words[i].lower() in ("of", "in") and rest and _jurisdiction_length(rest) == len(rest):
            return " ".join(words[:i])
    return " ".join(words)


def _official_number(num: str) -> str:
    """The number without thousands separators: "14,478/2022" → "14478/2022"."""
    return re.sub(r"(?<=\d)[.,](?=\d{3}(?!\d))", "", num)


def _content_words(title: str) -> list[str]:
    return [w for w in title.split() if w.lower() not in _CONNECTORS]


def _is_title(text: str) -> bool:
    """Capitalised words and connectors only, as a law's title is written: "Virtual Assets"."""
    words = text.split()
    return 0 < len(words) <= 12 and all(w[0].isupper() or w[0].isdigit() or w in _CONNECTORS for w in words)


def _next_word(text: str, end: int) -> str:
    m = re.match(r"[^\S\n]*([\w'’-]+)", text[end : end + 40])
    return m.group(1).lower() if m else ""


# --- candidates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    name: str
    rule: str
    year: int | None = None
    number: str | None = None
    bare_year: bool = False  # a bare year may follow the name: "Act 2000", "Act, 2002"


def _headlines(text: str) -> list[tuple[int, int]]:
    """Spans of lines written in title case, where capitalisation marks no names.

    A table row is a value and a line ending in a full stop is a sentence, neither a headline.
    """
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line.group()) if w.lower() not in _SMALL_WORDS]
        is_running_text = line.group().lstrip().startswith("|") or line.group().rstrip().endswith(".")
        if not is_running_text and len(words) >= 4 and all(w[0].isupper() for w in words):
            spans.append(line.span())
    return spans


def _law_kind(m: re.Match[str]) -> str:
    """"Law", or "Constitutional Law" however the qualifier is written."""
    return f"{m['qualifier'].capitalize()} Law" if m["qualifier"] else "Law"


def _law_on(text: str) -> Iterable[_Found]:
    for m in _LAW_ON.finditer(text):
        name = f"{_law_kind(m)} on {_clean_title(m['title'])}"
        yield _Found(m.start("law"), m.end("title"), name, "law_on")


def _quoted_title(text: str, start: int, opener: str) -> tuple[str, int] | None:
    """The title in the quotes opened right before `start`, and where they close. Guillemets nest
    («On Amendments to the Law «On Banks»»); when the text leaves out the outer closing guillemet, the
    title ends with the inner one. Inner quotes are dropped and "Law «On" reads "Law on"."""
    if opener != "«":
        m = _PLAIN_QUOTED.match(text, start)
        return (m["title"], m.end()) if m else None
    depth, last_close = 1, -1
    for i in range(start, min(len(text), start + 400)):
        if text[i] == "\n":
            break
        if text[i] == "«":
            depth += 1
        elif text[i] == "»":
            depth, last_close = depth - 1, i
            if depth == 0:
                break
    if last_close < start:
        return None
    title = re.sub(r"\s*[“”\"«»„]\s*", " ", text[start:last_close]).strip()
    return re.sub(r"\b(Law|Code) On\b", r"\1 on", title), last_close + 1


def _quoted_law(text: str) -> Iterable[_Found]:
    for m in _QUOTED_AFTER.finditer(text):
        quoted = _quoted_title(text, m.end(), m["open"])
        if quoted is None:
            continue
        title = _clean_title(quoted[0])
        subject = title[3:] if re.match(r"[Oo]n\s", title) else title if _is_title(title) else ""
        if subject.removeprefix("the ")[:1].isupper():
            yield _Found(m.start("law"), quoted[1], f"{_law_kind(m)} on {subject}", "quoted_law")
    for m in _QUOTED_BEFORE.finditer(text):
        title = _clean_title(m["title"]).removeprefix("On ")
        if _is_title(title) and _next_word(text, m.end()) not in _LAW_FOLLOWERS:
            yield _Found(m.start(), m.end(), f"Law on {title}", "quoted_law")


def _introduced(text: str, start: int) -> bool:
    """Whether an article, possessive or qualifier comes right before `start`: "the/Kazakhstan's Banking"."""
    before = re.search(r"(?:['’]s|\b(\w+))[^\S\n]+$", text[max(0, start - 30) : start])
    if before is None:
        return False
    return before[1] is None or before[1].lower() in _LEADING_WORDS | _LAW_LEADING_WORDS


def _named_before(text: str) -> Iterable[_Found]:
    """<Title> Law / Act / Ordinance / Regulation / Directive / Rules."""
    for m in _NAMED_BEFORE.finditer(text):
        kind = m["kind"]
        is_law = kind.lower() == "law"
        qualifiers = _LAW_LEADING_WORDS if is_law else frozenset()
        title, start = _strip_leading(m["title"], m.start("title"), qualifiers)
        words = _content_words(title)
        if not words or _BODY_CONTINUES.match(text, m.end()):
            continue
        if is_law:
            # One capitalised word needs an article or possessive before it: "the Banking Law", not "John Law"
            one_word_ok = kind == "Law" and (title != m["title"] or _introduced(text, m.start("title")))
            tail = title.lower().split()
            ends_with_country = any(" ".join(tail[-k:]) in _jurisdictions() for k in range(1, 4))
            # "… Law on X" is law_on's; "… Law on 5 May 2024", "… Law of 2022" are this law's
            title_follows = _TITLE_FOLLOWS.match(text, m.end()) is not None
            if (
                title.lower() in _LAW_GENERIC_HEADS
                # "Provisions of the New Law", "amendments to the Constitutional Law": a generic law
                or words[-1].lower() in _LAW_LEADING_WORDS | _KEPT_QUALIFIERS
                or ends_with_country
                or title_follows
                or (len(words) < 2 and not one_word_ok)
                or _next_word(text, m.end()) in _LAW_FOLLOWERS
            ):
                continue
            yield _Found(start, m.end(), f"Law on {title}", "subject_law")
        elif kind in _STATUTE_KINDS:
            if title.lower() not in _ACT_HEADS:
                yield _Found(start, m.end(), f"{title} {kind}", "act", bare_year=True)
        elif len(words) >= 2 and not any(w.lower() in _ORG_WORDS for w in words):
            yield _Found(start, m.end(), f"{title} {kind}", "regulation", bare_year=kind in _BARE_YEAR_KINDS)


def _named_on(text: str) -> Iterable[_Found]:
    """Act on <Title>, AIFC Rules on <Title>, Presidential Decree on <Title>."""
    for m in _NAMED_ON.finditer(text):
        title = _clean_title(m["title"])
        pre, pre_start = _strip_leading(m["pre"], m.start("pre")) if m["pre"] else ("", 0)
        start = pre_start if pre else m.start("kind")
        name = " ".join(part for part in (pre, m["kind"], "on", title) if part)
        yield _Found(start, m.end("title"), name, "act" if m["kind"] == "Act" else "regulation")


def _codes(text: str) -> Iterable[_Found]:
    for m in _CODE.finditer(text):
        subject = m["title"] or m["lower"].capitalize()
        yield _Found(m.start(), m.end(), f"{subject} Code", "code", bare_year=True)


def _code_of(text: str) -> Iterable[_Found]:
    """Code of <Title>, Code on <Title>, Code of the Republic of X on <Title>: one name, "Code of <Title>"."""
    for m in _CODE_OF.finditer(text):
        title = _clean_title(_strip_leading(m["title"], 0)[0])
        words = _content_words(title)
        if words and words[0].lower() not in _CODE_OF_EXCLUDED:
            yield _Found(m.start(), m.end("title"), f"Code of {title}", "code")


def _numbered(text: str) -> Iterable[_Found]:
    """Federal Law No. 259-FZ [of July 31, 2020] [“On …”], Regulation (EU) 2023/1114, Law 14,478/2022."""
    for m in _NUMBERED.finditer(text):
        num = m["num"] or m["bracketed"]
        official = re.search(r"\d/\d|\d-[A-Z]", num) or re.match(r"[A-Z]{1,4}-\d", num)
        if m["no"] is None and (m["bracketed"] or m["kind"][0].islower()):
            continue
        if not (m["no"] or official or (m["qual"] and len(num) >= 4 and num.isdigit())):
            continue
        number = _official_number(num)
        end, year = m.end(), int(m["dated"]) if m["dated"] else None
        if date := _NUMBER_DATE.match(text, end):
            end, year = date.end(), year or int(date["year"])
        qual, kind = (m["qual"] or "").capitalize(), _NUMBERED_KINDS[m["kind"]]
        if subject := _NUMBER_TITLE.match(text, end):
            kind = f"{'' if qual.lower() in _NUMBER_QUALIFIERS_DROPPED else qual} {kind}".strip()
            if subject["participle"]:
                name = f"{kind} {_clean_title(subject['participle'])}"
            else:
                name = f"{kind} on {_clean_title(subject['quoted'] or subject['title'])}"
            end = subject.end()
        else:
            org = f" ({m['org']})" if m["org"] else ""
            name = f"{qual} {kind}{org}{' No.' if m['no'] else ''} {number}".strip()
        yield _Found(m.start(), end, name, "law_number", year=year, number=number)


def _vocabulary(text: str) -> Iterable[_Found]:
    for m in _VOCABULARY.finditer(text):
        name = _VOCAB_BY_KEY[_key(m.group())]
        yield _Found(m.start(), m.end(), name, "vocabulary", bare_year=name.split()[-1] in _BARE_YEAR_KINDS)


_OPEN_RUN_RULES = (_law_on, _named_before, _named_on, _code_of)  # silent on headlines
_BOUNDED_RULES = (_numbered, _quoted_law, _codes, _vocabulary)
_PRIORITY = ("law_number", "law_on", "quoted_law", "code", "act", "regulation", "subject_law", "vocabulary")


def _candidates(text: str, in_headlines: bool) -> list[_Found]:
    """All matches of all rules, overlapping; `in_headlines` also runs the open-run rules on headlines."""
    headlines = [] if in_headlines else _headlines(text)
    found = [f for rule in _BOUNDED_RULES for f in rule(text)]
    found += [
        f
        for rule in _OPEN_RUN_RULES
        for f in rule(text)
        if not any(start <= f.start < end for start, end in headlines)
    ]
    return [_complete(text, f) for f in found]


def _complete(text: str, f: _Found) -> _Found:
    """Take in the year or number written after or before the name."""
    if f.year is None and (m := _YEAR_AFTER.match(text, f.end)) and (m["bare"] is None or f.bare_year):
        f = replace(f, end=m.end(), year=int(m["paren"] or m["of"] or m["dated"] or m["bare"]))
    if f.number is None and (m := _NUMBER_AFTER.match(text, f.end)):
        f = replace(f, end=m.end(), number=_official_number(m["num"]))
    before = max(0, f.start - 40)
    m = _YEAR_BEFORE.search(text, before, f.start) if f.year is None else None
    if m and (m["word"] or "").lower() not in _PREPOSITIONS:
        f = replace(f, start=m.start("year"), year=int(m["year"]))
    return f


def _resolve(found: list[_Found]) -> list[_Found]:
    """Longest first, then by rule priority; keep those that overlap nothing kept; in text order."""
    kept: list[_Found] = []
    for f in sorted(found, key=lambda f: (f.start - f.end, _PRIORITY.index(f.rule), f.start)):
        if all(f.end <= k.start or k.end <= f.start for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def _join_parenthesised(text: str, found: list[_Found]) -> list[_Found]:
    """A law named again in parentheses right after a law: both mentions get one name, year and number."""
    joined = list(found)
    for i in range(len(joined) - 1):
        a, b = joined[i], joined[i + 1]
        if re.fullmatch(r"[^\S\n]*\([^\S\n]*", text[a.end : b.start]) and re.match(
            r"[^\S\n]*\)", text[b.end :]
        ):
            in_vocabulary = [n for n in (a.name, b.name) if _key(n) in _VOCAB_BY_KEY]
            name = in_vocabulary[0] if in_vocabulary else max(a.name, b.name, key=len)
            year, number = a.year or b.year, a.number or b.number
            joined[i] = replace(a, name=name, year=year, number=number)
            joined[i + 1] = replace(b, name=name, year=year, number=number)
    return joined


# --- names --------------------------------------------------------------------------------------


def _frame_and_subject(name: str) -> tuple[tuple[str, ...], str]:
    words = re.findall(r"[a-z0-9]+", name.lower())
    frame = tuple(w for w in words if w in _KIND_WORDS)
    return frame, " ".join(w for w in words if w not in _KIND_WORDS and w not in _CONNECTORS)


def _as_known(value: LawValue, known: Sequence[LawValue]) -> LawValue:
    """`value` under the known law's name when it names the same law in other words; the known law's
    year and number fill those the text leaves out (a record's "Law on Virtual Assets (2022)" is the
    Law “On Virtual Assets” an article cites without its year)."""
    frame, subject = _frame_and_subject(value.name)
    best: LawValue | None = None
    best_score = float(KNOWN_NAME_THRESHOLD)
    for law in known:
        if value.number and law.number and value.number != law.number:
            continue
        if value.year and law.year and value.year != law.year:
            continue
        known_frame, known_subject = _frame_and_subject(law.name)
        score = fuzz.ratio(subject, known_subject) if known_frame == frame else 0.0
        if score >= best_score:
            best, best_score = law, score
    if best is None:
        return value
    return LawValue(name=best.name, year=value.year or best.year, number=value.number or best.number)


def join_law_values(values: Sequence[LawValue]) -> list[LawValue]:
    """The laws one article cites, each under one value: a law cited by its number alone ("Law No.
    193-VII") takes the title the article gives it elsewhere ("Law No. 193-VII on Digital Assets"), and
    mentions of one name share the year the article states once."""
    titled: dict[str, LawValue] = {}
    for value in values:
        if value.number and not value.name.endswith(value.number):
            titled.setdefault(value.number, value)
    joined = []
    for value in values:
        other = titled.get(value.number or "")
        if other is not None:
            value = LawValue(name=other.name, year=value.year or other.year, number=value.number)
        joined.append(value)
    years: dict[str, set[int]] = {}
    for value in joined:
        if value.year:
            years.setdefault(value.name, set()).add(value.year)
    return [
        value.model_copy(update={"year": next(iter(years[value.name]))})
        if value.year is None and len(years.get(value.name, ())) == 1
        else value
        for value in joined
    ]


def find_laws(text: str, known: Sequence[LawValue] = (), in_headlines: bool = False) -> list[LawMatch]:
    """Every law mentioned in `text`, sorted and non-overlapping, with canonical values.

    `in_headlines` also reads title-case lines as running text (for a span that is only a law's name).
    """
    matches = []
    for f in _join_parenthesised(text, _resolve(_candidates(text, in_headlines))):
        name = _VOCAB_BY_KEY.get(_key(f.name)) or _VOCAB_BY_NUMBER.get(f.number or "") or f.name
        value = LawValue(name=name, year=f.year, number=f.number)
        if known:
            value = _as_known(value, known)
        matches.append(LawMatch(f.start, f.end, value, f.rule))
    return matches


def normalize_law(text: str, known: Sequence[LawValue] = ()) -> LawValue | None:
    """The value of the longest law named in `text` (a span such as spaCy's LAW entity), or None."""
    matches = find_laws(text, known, in_headlines=True)
    return max(matches, key=lambda m: m.end - m.start).value if matches else None


def canonical_law_name(text: str) -> str:
    """The canonical name of the law `text` names; text that names none comes back tidied (no quotes)."""
    value = normalize_law(text)
    if value is not None:
        return value.name
    tidy = " ".join(re.sub(r"[“”\"«»„]", "", text).split())
    return re.sub(r"^(?:(?:the|national|new)\s+)+", "", tidy, flags=re.IGNORECASE)
