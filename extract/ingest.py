"""Article files and folders → Article: formats, encodings, publication dates.

Formats, by extension:
- `.txt`: the text as is.
- `.md`: optional YAML front matter (`title`, `published` or `date`, `url`, `source`); the text, and
  so every offset, is the body after the front matter's closing `---` line.
- `.html` / `.htm`: the main text as trafilatura extracts it (menus, footers, sidebars dropped); title,
  date, url and site name from the page's metadata.
- `.jsonl`: one article per line, `{"id", "text", "title", "published", "url", "source"}`; only `text`
  is required, other keys are ignored. The id is the line's `id`, else `FILE.jsonl#N`. A UTF-8 file
  (a folder of shards too) is read a line at a time, never whole, so its size is not limited.

Encodings: UTF-8 (a BOM is dropped), UTF-16 with a BOM, an HTML page's declared charset, and cp1251
when the bytes read as plausible Cyrillic text that way. Anything else is skipped with a message, never
mis-decoded. Line endings are kept as in the file. A bad file (or JSONL line) becomes a `Skipped`
and the batch goes on.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from extract.errors import InputError
from extract.jsonl import MAX_LINE_BYTES, check_unicode, loads
from extract.models import Article

FORMATS = (".txt", ".md", ".html", ".htm", ".jsonl")
HTML_FORMATS = (".html", ".htm")
MIN_PAGE_WORDS = 20  # a page whose main text is shorter is a menu, a login or an error page
HEAD_LINES = 15  # bylines sit in the first non-blank lines; dates further down are the story's
MONTH_LOCALES = ("en", "ru", "uk", "kk", "de", "fr", "es", "pt", "tr")
# Limits (README, Limits): beyond them an article or a file is skipped with one warning line.
MAX_ARTICLE_CHARS = 8_000_000  # the text of one article
MAX_FILE_BYTES = 32 * MAX_ARTICLE_CHARS  # one file read whole (an article; a .jsonl not in UTF-8)
MAX_JSONL_ARTICLES = 100_000  # lines of one .jsonl read whole (not UTF-8); a UTF-8 one streams, unlimited
STREAM_BLOCK = 1 << 20  # bytes read at a time when checking that a .jsonl streams


class Skipped(NamedTuple):
    """A file or JSONL line that was not ingested, and why; printed as one warning line."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"

    @classmethod
    def from_error(cls, error: InputError, where: str) -> Skipped:
        return cls(error.where or where, f"{error.what} — {error.fix}" if error.fix else error.what)


# --- files and folders ------------------------------------------------------------------------


def articles_only(items: Iterable[Article | Skipped], skipped: list[Skipped]) -> Iterator[Article]:
    """The articles of `iter_articles`, collecting what was skipped into `skipped` on the way."""
    for item in items:
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            yield item


def iter_articles(paths: Sequence[Path], *,
                  default_published: str | None = None) -> Iterator[Article | Skipped]:
    """Every article under `paths` (folders walked recursively in sorted order, hidden entries and
    other extensions ignored), or a Skipped for each file or line that cannot be read.

    `default_published` (YYYY-MM-DD) is the date of articles that carry none themselves.
    """
    default = _default_date(default_published)
    first_seen: dict[str, str] = {}
    for path in paths:
        for item in _read_path(path, default):
            if isinstance(item, Skipped):
                yield item
                continue
            where, article = item
            if article.id in first_seen:
                yield Skipped(where, f"article id {article.id!r} is already used by {first_seen[article.id]}"
                                     " — give each article a unique id")
            else:
                first_seen[article.id] = where
                yield article


def read_article(path: Path, *, root: Path | None = None, default_published: str | None = None,
                 article_id: str | None = None) -> Article:
    """One article: a file, a line `FILE.jsonl#N` (N 1-based), or the line of a `.jsonl` whose id is
    `article_id`. Its id is relative to `root` if given, else the file name. Raises InputError."""
    default = _default_date(default_published)
    line_ref = None if path.exists() else re.fullmatch(r"(.+\.jsonl)#(\d+)", str(path), re.IGNORECASE)
    if line_ref:
        path = Path(line_ref[1])
    file_id = path.relative_to(root).as_posix() if root else path.name
    suffix = path.suffix.lower()
    if suffix != ".jsonl":
        if article_id is not None:
            raise InputError("an id picks a line of a .jsonl file", where=str(path),
                             fix="leave the id out for other files")
        if suffix not in FORMATS:
            raise InputError("not an article file", where=str(path), fix=f"use one of {', '.join(FORMATS)}")
        return _read_document(path, file_id, default)
    if not line_ref and article_id is None:
        raise InputError("holds one article per line", where=str(path),
                         fix="name one: FILE.jsonl#N (N the line number) or give its id")
    wanted_line = int(line_ref[2]) if line_ref else None
    for number, line in _jsonl_lines(_decode(_read_bytes(path), str(path))):
        where = f"{path}:{number}"
        if number == wanted_line:
            return _jsonl_article(line, f"{file_id}#{number}", default, where)
        if wanted_line is None:
            try:
                article = _jsonl_article(line, f"{file_id}#{number}", default, where)
            except InputError:
                continue  # a bad line is not the one asked for
            if article.id == article_id:
                return article
    what = f"no article on line {wanted_line}" if wanted_line else f"no article with id {article_id!r}"
    raise InputError(what, where=str(path), fix="check the line number or id")


def _read_path(path: Path, default: str | None) -> Iterator[tuple[str, Article] | Skipped]:
    if not path.is_dir():
        if path.exists() and path.suffix.lower() not in FORMATS:
            yield Skipped(str(path), f"not an article file — use one of {', '.join(FORMATS)}")
        else:
            yield from _read_file(path, path.name, default)
        return
    for item in _walk(path):
        if isinstance(item, Skipped):
            yield item
        else:
            yield from _read_file(item, item.relative_to(path).as_posix(), default)


def _walk(folder: Path) -> Iterator[Path | Skipped]:
    """Article files under `folder`, depth first in sorted order; hidden entries skipped."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield Skipped(str(folder), f"cannot read the folder ({exc.strerror})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif Path(entry.name).suffix.lower() in FORMATS:
            yield Path(entry.path)


def _read_file(path: Path, file_id: str, default: str | None) -> Iterator[tuple[str, Article] | Skipped]:
    try:
        if path.suffix.lower() != ".jsonl":
            yield str(path), _read_document(path, file_id, default)
            return
        if _plain_utf8(path):
            yield from _jsonl_articles(_streamed_lines(path), path, file_id, default, limit=None)
            return
        text = _decode(_read_bytes(path), str(path))
    except InputError as exc:
        yield Skipped.from_error(exc, str(path))
        return
    yield from _jsonl_articles(_jsonl_lines(text), path, file_id, default, limit=MAX_JSONL_ARTICLES)


def _jsonl_articles(lines: Iterable[tuple[int, str]], path: Path, file_id: str, default: str | None, *,
                    limit: int | None) -> Iterator[tuple[str, Article] | Skipped]:
    for count, (number, line) in enumerate(lines, start=1):
        where = f"{path}:{number}"
        if limit is not None and count > limit:
            yield Skipped(where, f"more than {MAX_JSONL_ARTICLES:,} articles in one file; this line and "
                                 "the ones after it are not read — split the file")
            return
        try:
            yield where, _jsonl_article(line, f"{file_id}#{number}", default, where)
        except InputError as exc:
            yield Skipped.from_error(exc, where)


def _plain_utf8(path: Path) -> bool:
    """Whether a .jsonl file is UTF-8 text (a BOM allowed) with something in it: such a file is read a
    line at a time however large. One pass over the bytes, a block at a time; any other file (other
    encodings, binary, empty, unreadable) is read whole by `_decode`, which names what is wrong."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    content = False
    try:
        with path.open("rb") as handle:
            first = True
            while block := handle.read(STREAM_BLOCK):
                if first and block.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    return False
                first = False
                if b"\x00" in block:
                    return False
                decoder.decode(block)
                content = content or bool(block.strip(b" \t\r\n\x0b\x0c" + codecs.BOM_UTF8))
            decoder.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return False
    return content


def _streamed_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of a UTF-8 file checked by `_plain_utf8`, split on "\\n" only, blank ones
    left out, as `_jsonl_lines` gives them from the decoded text; a line too long to read is given
    as far as MAX_LINE_BYTES (and is refused as too long), its rest skipped."""
    with path.open("rb") as handle:
        number = 0
        while raw := handle.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := handle.readline(MAX_LINE_BYTES + 1)) and not rest.endswith(b"\n"):
                    pass
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8", errors="replace").removesuffix("\n")
            if line.strip():
                yield number, line


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1_000_000
            raise InputError(f"{size / 1e6:,.0f} MB, more than the {limit} MB a file may have",
                             where=str(path),
                             fix="split it into smaller files")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file or folder", where=str(path), fix="check the path") from None
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror})", where=str(path),
                         fix="check the file's permissions") from None


# --- formats ----------------------------------------------------------------------------------


def _read_document(path: Path, file_id: str, default: str | None) -> Article:
    """A .txt, .md or .html file as one Article."""
    raw, where = _read_bytes(path), str(path)
    suffix = path.suffix.lower()
    if suffix in HTML_FORMATS:
        metadata, text = _html_main_text(_decode(raw, where, declared=_declared_charset(raw)), where)
    elif suffix == ".md":
        metadata, text = _split_front_matter(_decode(raw, where), where)
    else:
        metadata, text = {}, _decode(raw, where)
    return _article(file_id, text, metadata, default, where,
                    source_of_metadata="front matter" if suffix == ".md" else "page metadata")


def _jsonl_article(line: str, fallback_id: str, default: str | None, where: str) -> Article:
    if len(line) > MAX_LINE_BYTES:
        raise InputError(f"line longer than {MAX_LINE_BYTES // 1_000_000:,} MB", where=where,
                         fix="split the article, or remove the line")
    data = loads(line, where=where)
    if not isinstance(data, dict):
        raise InputError("not a JSON object", where=where, fix='write each article as {"text": ...}')
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("no `text`", where=where, fix="give each line the article's text")
    article_id = _text_field(data, "id", where, "line") or fallback_id
    return _article(article_id, text, data, default, where, source_of_metadata="line")


def _jsonl_lines(text: str) -> Iterator[tuple[int, str]]:
    # JSON strings may hold U+2028 and friends raw, so split on "\n" only, not str.splitlines()
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield number, line


def _article(article_id: str, text: str, metadata: Mapping[str, object], default: str | None,
             where: str, *, source_of_metadata: str) -> Article:
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(f"{len(text):,} characters, more than the {MAX_ARTICLE_CHARS:,} an article may have",
                         where=where, fix="split it into several articles")
    check_unicode(text, where=where)
    published_value = metadata.get("published", metadata.get("date"))
    published = _iso_date(published_value)
    if published_value is not None and published is None:
        raise InputError(f"{source_of_metadata} `published` is not a date: {published_value!r}", where=where,
                         fix="write it as YYYY-MM-DD")
    return Article(
        id=article_id,
        text=text,
        title=_text_field(metadata, "title", where, source_of_metadata),
        published=published or find_published(text) or default,
        url=_text_field(metadata, "url", where, source_of_metadata),
        source=_text_field(metadata, "source", where, source_of_metadata),
    )


def _text_field(metadata: Mapping[str, object], key: str, where: str, source_of_metadata: str) -> str | None:
    value = metadata.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InputError(f"{source_of_metadata} `{key}` is not text", where=where, fix="quote the value")
    check_unicode(value, where=where)
    return value.strip()


def _split_front_matter(text: str, where: str) -> tuple[dict[str, object], str]:
    """(front matter, body) of a Markdown file; the body is what offsets index."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text
    closing = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "...")), None)
    if closing is None:
        raise InputError("the front matter opened on line 1 is never closed", where=f"{where}:1",
                         fix="end it with a line of ---")
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from extract.records.frontmatter import bad_value_line

    try:
        data = YAML(typ="safe", pure=True).load("".join(lines[1:closing]))
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 2 if exc.problem_mark else 1
        raise InputError(f"front matter is not valid YAML ({exc.problem})", where=f"{where}:{line}",
                         fix="fix the front matter") from None
    except YAMLError as exc:
        raise InputError(f"front matter is not valid YAML ({str(exc).splitlines()[0]})", where=f"{where}:1",
                         fix="fix the front matter") from None
    except (ValueError, OverflowError, RecursionError) as exc:
        # A value YAML reads as a date or number that is not one: 2025-02-30.
        line = bad_value_line([text.rstrip("\r\n") for text in lines[:closing]])
        raise InputError(f"front matter value is not valid ({exc})", where=f"{where}:{line}",
                         fix="write a real date as YYYY-MM-DD, or quote the value") from None
    if data is not None and not isinstance(data, dict):
        raise InputError("front matter is not a mapping", where=f"{where}:2",
                         fix="write it as `key: value` lines")
    body = "".join(lines[closing + 1:])
    if not body.strip():
        raise InputError("no text after the front matter", where=where, fix="add the article's text")
    return data or {}, body


def _html_main_text(html: str, where: str) -> tuple[dict[str, object], str]:
    """(metadata, main text) of a web page, through trafilatura."""
    from trafilatura import bare_extraction
    from trafilatura.settings import Document

    # no extensive date search: it would take a date from the story's body for the publication date
    page = bare_extraction(html, with_metadata=True, include_comments=False,
                           date_extraction_params={"extensive_search": False, "original_date": True})
    if not isinstance(page, Document) or len((page.text or "").split()) < MIN_PAGE_WORDS:
        raise InputError("no article text found in the page", where=where,
                         fix="save the article's page itself, or its text as .txt")
    metadata = {"title": page.title, "published": page.date, "url": page.url, "source": page.sitename}
    return {key: value for key, value in metadata.items() if value}, page.text or ""


# --- encodings --------------------------------------------------------------------------------


def _decode(raw: bytes, where: str, *, declared: str | None = None) -> str:
    """The text of a file's bytes, or InputError when it is empty, binary or of unknown encoding."""
    if not raw:
        raise InputError("empty file", where=where, fix="add the article's text or remove the file")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decoded(raw, "utf-16")  # the codec reads and drops the BOM
    elif b"\x00" in raw:
        raise InputError("binary file (NUL bytes), not text", where=where, fix="give articles as text files")
    else:
        text = _decoded(raw, "utf-8-sig") or (declared and _decoded(raw, declared)) or _as_cyrillic(raw)
    if text is None:
        raise InputError("cannot tell the encoding", where=where, fix="save it as UTF-8")
    if "\x00" in text:
        raise InputError("binary file (NUL characters), not text", where=where,
                         fix="give articles as text files")
    if not text.strip():
        raise InputError("no text, only whitespace", where=where,
                         fix="add the article's text or remove the file")
    return text


def _decoded(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _declared_charset(raw: bytes) -> str | None:
    found = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", raw[:4096], re.IGNORECASE)
    return found[1].decode("ascii") if found else None


_LETTER_RUN = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїєў")


def _as_cyrillic(raw: bytes) -> str | None:
    """The bytes as cp1251, if that reads as Cyrillic text; else None.

    Other 8-bit encodings decode as cp1251 too, into tell-tale nonsense: words that mix Latin and
    Cyrillic letters (Latin-1 "allé à" → "allи а"), or too few vowels (Greek "Τράπεζα" → "ФсЬрежб",
    Hebrew "בנק ישראל" → "брч йщшам"). One mixed word in fifty is tolerated: a typo such as
    "Bитcoин" typed with a Latin B in a real Russian text.
    """
    text = _decoded(raw, "cp1251")
    if text is None:
        return None
    words = [word for word in _LETTER_RUN.findall(text) if _CYRILLIC.search(word)]
    mixed_words = sum(1 for word in words if _LATIN.search(word))
    letters = _CYRILLIC.findall("".join(words).lower())
    vowels = sum(letter in _CYRILLIC_VOWELS for letter in letters)
    if not words or mixed_words > len(words) // 50 or vowels < 0.3 * len(letters):
        return None
    return text


# --- publication dates ------------------------------------------------------------------------

_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATE_FORMS = (  # (pattern at the start of a string, order of its groups)
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), "ymd"),
    (re.compile(rf"{_DAY}\s+([^\W\d_]{{3,}})\.?,?\s+(\d{{4}})(?!\d)"), "dMy"),
    (re.compile(rf"([^\W\d_]{{3,}})\.?\s+{_DAY},?\s+(\d{{4}})(?!\d)"), "Mdy"),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)"), "dmy"),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)"), "ymd"),
)
# what may follow a date on a line of its own: a time, a time zone, then a separator and anything
_DATE_TAIL = re.compile(r"""
    (?:\s*(?:г\.|года))?                                          # Russian "10 сентября 2025 г."
    (?:T\d{2}:\d{2}[\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?               # ISO time
    (?:\s*,?\s*(?i:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*(?i:[ap]\.?m\.?))?)?  # clock time
    (?:\s*\(?(?:[A-Z]{2,5}|UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?\)?)?              # time zone
    \s*(?:[|·•—–/-].*)?
    """, re.VERBOSE)
_DATED_LINE = re.compile(r"""
    (?i:(?:first\s+|originally\s+|last\s+)?(?:generated|published|posted|updated|created|dated?)
       |опубликовано|обновлено|дата\s+публикации)\b
    [\s:*_]*(?:(?P<on>(?i:on|by\s.{1,60}?\son)\b)|(?i:at)\b)?[\s:*_]*  # "Published:", "… by X on"
    """, re.VERBOSE)
_BYLINE = re.compile(r"(?i:by)\s")
_LEADING_MARKUP = re.compile(r"^[\W_]+")


def find_published(text: str) -> str | None:
    """The publication date a dated line of the text gives, as YYYY-MM-DD, else None.

    A byline among the first non-blank lines ("Published: 10 September 2025", "Updated: 2025-09-10",
    "September 10, 2025 | 3 min read", "10.09.2025 14:02", "By Ana Torres | Sep 10, 2025"), or a line
    anywhere that says "Generated/Published/Posted/Updated … on DATE". A date inside the story is
    never taken, and no part of a date is filled in from today.
    """
    lines = [_LEADING_MARKUP.sub("", line.strip()) for line in text.splitlines()]
    for line in [line for line in lines if line][:HEAD_LINES]:
        found = _dated_line(line) or (_lone_date(line) if len(line) <= 80 else None) or _byline_date(line)
        if found:
            return found
    return next((found for line in lines if len(line) <= 200 and (found := _dated_line(line, on=True))),
                None)


def _dated_line(line: str, *, on: bool = False) -> str | None:
    """The date of a line such as "Published: 10 Sep 2025" or (`on`) "Generated by X on 2026-04-11"."""
    match = _DATED_LINE.match(line)
    if not match or (on and not match["on"]):
        return None
    found = _date_at(line[match.end():])
    return found[0] if found else None


def _lone_date(text: str) -> str | None:
    """The date `text` starts with, if only a time, a time zone or a separator follows it."""
    found = _date_at(text)
    return found[0] if found and _DATE_TAIL.fullmatch(text[found[1]:]) else None


def _byline_date(line: str) -> str | None:
    if not _BYLINE.match(line) or len(line) > 120:
        return None
    for separator in re.finditer(r"[|·•—–,]\s*", line):
        rest = line[separator.end():]
        if found := _dated_line(rest) or _lone_date(rest):
            return found
    return None


def _date_at(text: str) -> tuple[str, int] | None:
    """(YYYY-MM-DD, end) of a full date at the start of `text`; a date missing a part is no date."""
    for pattern, order in _DATE_FORMS:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = _month_number(parts["M"]) if "M" in parts else int(parts["m"])
        try:
            if month:
                return date(int(parts["y"]), month, int(parts["d"])).isoformat(), match.end()
        except ValueError:
            pass  # 31 February and the like: not a date
    return None


@functools.cache
def _month_names() -> dict[str, int]:
    from babel.dates import get_month_names

    return {name.lower(): number for locale in MONTH_LOCALES for context in ("format", "stand-alone")
            for number, name in get_month_names("wide", context, locale).items()}


def _month_number(token: str) -> int | None:
    """The month a name or unambiguous abbreviation names ("Sep", "Sept", "сент."), else None."""
    token = token.lower().rstrip(".")
    numbers = {number for name, number in _month_names().items() if name.startswith(token)}
    return numbers.pop() if len(numbers) == 1 else None


def _iso_date(value: object) -> str | None:
    """A metadata date (a date, or text such as "2025-09-10T14:02Z" or "10 September 2025") as
    YYYY-MM-DD; None if it is not one."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return _lone_date(value.strip()) if isinstance(value, str) else None


def _default_date(value: str | None) -> str | None:
    if value is None:
        return None
    if not (iso := _iso_date(value)):
        raise InputError(f"{value!r} is not a date", where="--published", fix="give it as YYYY-MM-DD")
    return iso
