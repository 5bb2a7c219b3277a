"""extract.ingest: formats, encodings, article ids, bad files, publication dates, `extract text`."""

from __future__ import annotations

import codecs
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from extract.errors import InputError
from extract.ingest import Skipped, find_published, iter_articles, read_article
from extract.models import Article

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "articles"
CORPUS = ROOT / "corpus" / "articles"

RUSSIAN = (
    "Национальный банк Казахстана выдал лицензию криптобирже.\n"
    "Закон «О цифровых активах» вступает в силу 1 января 2026 года; штраф — до 500 МРП.\n"
)
UKRAINIAN = "Національний банк України оголосив нові правила для криптовалютних бірж.\n"
BULGARIAN = "Българската народна банка публикува нови правила за криптовалутите.\n"
SERBIAN = "Народна банка Србије објавила је нова правила за дигиталну имовину.\n"
ENGLISH = "Brazil's central bank set the rules — “licences from 2026” — for exchanges. Ünïcode: ₿, €.\n"


def articles_and_skips(*paths: Path, **options: str) -> tuple[list[Article], list[Skipped]]:
    items = list(iter_articles(list(paths), **options))
    return ([item for item in items if isinstance(item, Article)],
            [item for item in items if isinstance(item, Skipped)])


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8"))
    else:
        path.write_bytes(data)
    return path


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "encode"), [
    (ENGLISH, lambda text: text.encode("utf-8")),
    (ENGLISH, lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),
    (ENGLISH, lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
    (ENGLISH, lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
    (RUSSIAN, lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
    (RUSSIAN, lambda text: text.encode("cp1251")),
    (UKRAINIAN, lambda text: text.encode("cp1251")),
    (BULGARIAN, lambda text: text.encode("cp1251")),
    (SERBIAN, lambda text: text.encode("cp1251")),
    ("Bitcoin rose 5% on Monday.\n" * 5 + RUSSIAN, lambda text: text.encode("cp1251")),
    (RUSSIAN * 30 + "Курс Bиткоина вырос.\n", lambda text: text.encode("cp1251")),
    ("Привет, мир", lambda text: text.encode("cp1251")),
], ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-russian", "cp1251-russian",
        "cp1251-ukrainian", "cp1251-bulgarian", "cp1251-serbian", "cp1251-with-english",
        "cp1251-with-a-latin-letter-typo", "cp1251-short"])
def test_encodings_decode_to_the_original_text(tmp_path, text, encode):
    article = read_article(write(tmp_path / "a.txt", encode(text)))
    assert article.text == text


@pytest.mark.parametrize("raw", [
    "Grüße aus München: die Börse öffnet um neun Uhr für Kryptowährungen.".encode("latin-1"),
    "Le régulateur a publié ses règles le 3 février.".encode("cp1252"),
    "Il est allé à Paris à midi pour signer l'accord à la Banque de France.".encode("cp1252"),
    "Café owner says bitcoin is the future of payments in the city.".encode("latin-1"),
    "Национальный банк Казахстана выдал лицензию криптобирже.".encode("koi8-r"),
    "Η Τράπεζα της Ελλάδος ανακοίνωσε νέους κανόνες για τα κρυπτοστοιχεία.".encode("cp1253"),
    "בנק ישראל פרסם כללים חדשים לנכסים דיגיטליים".encode("cp1255"),
    "Sermaye Piyasası Kurulu kripto varlık hizmet sağlayıcılarına lisans verdi.".encode("cp1254"),
    random.Random(7).randbytes(600).replace(b"\x00", b"\x01"),
    bytes(random.Random(7).choices([*range(0x20, 0x7F), *range(0xC0, 0x100)], k=600)),
], ids=["latin-1-german", "cp1252-french", "cp1252-french-a-grave", "latin-1-one-word", "koi8-r",
        "greek-cp1253", "hebrew-cp1255", "turkish-cp1254", "random-bytes", "random-printable-bytes"])
def test_an_unknown_encoding_is_skipped_not_misdecoded(tmp_path, raw):
    path = write(tmp_path / "a.txt", raw)
    assert list(iter_articles([path])) == [
        Skipped(str(path), "cannot tell the encoding — save it as UTF-8")]


def test_line_endings_are_kept(tmp_path):
    txt = read_article(write(tmp_path / "a.txt", b"First line.\r\nSecond line.\r\n"))
    md = read_article(write(tmp_path / "a.md", b"---\r\ntitle: T\r\n---\r\nBody one.\r\nBody two.\r\n"))
    assert txt.text == "First line.\r\nSecond line.\r\n"
    assert md.text == "Body one.\r\nBody two.\r\n"
    assert md.title == "T"


# --- article ids ------------------------------------------------------------------------------


def test_a_folder_is_walked_in_sorted_order_with_ids_relative_to_it(tmp_path):
    write(tmp_path / "b.txt", "Second by name.")
    write(tmp_path / "a.txt", "First by name.")
    write(tmp_path / "sub" / "deeper" / "story.md", "---\ntitle: Deep\n---\nA nested story.")
    write(tmp_path / "sub" / "feed.jsonl",
          '{"id": "custom-id", "text": "Has an id."}\n{"text": "Has no id."}\n')
    write(tmp_path / "sub" / "page.HTM", (DATA / "news-page.html").read_bytes())
    write(tmp_path / ".hidden.txt", "Hidden file.")
    write(tmp_path / ".cache" / "x.txt", "In a hidden folder.")
    write(tmp_path / "notes.csv", "not,an,article")

    articles, skipped = articles_and_skips(tmp_path)

    assert skipped == []
    assert [article.id for article in articles] == [
        "a.txt", "b.txt", "sub/deeper/story.md", "custom-id", "sub/feed.jsonl#2", "sub/page.HTM"]
    assert [article.id for article in articles_and_skips(tmp_path / "sub")[0]] == [
        "deeper/story.md", "custom-id", "feed.jsonl#2", "page.HTM"]


def test_a_file_given_directly_is_named_by_its_file_name(tmp_path):
    story = write(tmp_path / "sub" / "deeper" / "story.md", "A nested story.")
    feed = write(tmp_path / "sub" / "feed.jsonl", '{"text": "Line one."}\n\n{"text": "Line three."}\n')
    articles, skipped = articles_and_skips(story, feed)
    assert skipped == []
    assert [article.id for article in articles] == ["story.md", "feed.jsonl#1", "feed.jsonl#3"]


def test_a_file_given_directly_with_another_extension_is_skipped(tmp_path):
    path = write(tmp_path / "notes.csv", "a,b")
    [skipped] = list(iter_articles([path]))
    assert isinstance(skipped, Skipped)
    assert skipped.where == str(path)
    assert skipped.reason.startswith("not an article file")


def test_a_repeated_id_is_skipped(tmp_path):
    write(tmp_path / "one" / "a.txt", "First.")
    write(tmp_path / "two" / "a.txt", "Second.")
    articles, skipped = articles_and_skips(tmp_path / "one", tmp_path / "two")
    assert [article.text for article in articles] == ["First."]
    assert [item.where for item in skipped] == [str(tmp_path / "two" / "a.txt")]
    assert "article id 'a.txt' is already used" in skipped[0].reason


def test_the_shipped_corpus_is_ingested_whole():
    articles, skipped = articles_and_skips(CORPUS)
    assert skipped == []
    assert [article.id for article in articles] == sorted(path.name for path in CORPUS.glob("*.txt"))
    for article in articles:
        assert article.text == (CORPUS / article.id).read_text(encoding="utf-8")


# --- formats ----------------------------------------------------------------------------------


def test_front_matter_gives_metadata_and_the_body_is_the_text():
    article = read_article(DATA / "front-matter.md")
    raw = (DATA / "front-matter.md").read_text(encoding="utf-8")
    assert article.text == raw[raw.index("# Brazil"):]
    assert (article.title, article.published, article.url, article.source) == (
        "Brazil's central bank opens consultation on crypto exchange licences", "2025-11-28",
        "https://example.org/brazil-vasp-consultation", "Example Wire")


@pytest.mark.parametrize(("front_matter", "published"), [
    ("published: 2025-11-28", "2025-11-28"),
    ("published: 2025-11-28T09:30:00Z", "2025-11-28"),
    ('published: "28 November 2025"', "2025-11-28"),
    ("date: 2025-11-28", "2025-11-28"),
    ("title: No date here", None),
])
def test_front_matter_published(tmp_path, front_matter, published):
    article = read_article(write(tmp_path / "a.md", f"---\n{front_matter}\n---\nBody text.\n"))
    assert article.published == published


@pytest.mark.parametrize(("content", "where", "reason"), [
    ("---\npublished: soon\n---\nBody.\n", "a.md",
     "front matter `published` is not a date: 'soon' — write it as YYYY-MM-DD"),
    ("---\ntitle: [unclosed\n---\nBody.\n", "a.md:3", "front matter is not valid YAML"),
    ("---\ntitle: Never closed\nBody.\n", "a.md:1", "the front matter opened on line 1 is never closed"),
    ("---\n- a\n- list\n---\nBody.\n", "a.md:2", "front matter is not a mapping"),
    ("---\ntitle: 2025\n---\nBody.\n", "a.md", "front matter `title` is not text"),
    ("---\ntitle: Only metadata\n---\n\n", "a.md", "no text after the front matter"),
])
def test_bad_front_matter_is_skipped_naming_the_line(tmp_path, content, where, reason):
    path = write(tmp_path / "a.md", content)
    [skipped] = list(iter_articles([path]))
    assert isinstance(skipped, Skipped)
    assert skipped.where == str(tmp_path / where)
    assert skipped.reason.startswith(reason)


def test_html_gives_the_main_text_without_boilerplate_and_the_page_metadata():
    article = read_article(DATA / "news-page.html")
    assert article.text.startswith("Chile sets stablecoin reserve rules\n")
    assert "hold reserves equal to 100% of the tokens in circulation" in article.text
    assert "minimum capital of CLP 500 million" in article.text
    for boilerplate in ("Home", "Subscribe now", "Accept all cookies", "Share on", "morning briefing",
                        "Most read", "Bitcoin falls below", "All rights reserved", "Privacy policy"):
        assert boilerplate not in article.text
    assert (article.title, article.published, article.url, article.source) == (
        "Chile sets stablecoin reserve rules", "2025-11-03",
        "https://andesfinance.example/news/chile-stablecoin-rules", "Andes Finance Daily")


def test_html_in_its_declared_charset(tmp_path):
    html = (DATA / "news-page.html").read_text(encoding="utf-8")
    html = html.replace('charset="utf-8"', 'charset="windows-1252"').replace("Santiago", "Valparaíso")
    article = read_article(write(tmp_path / "page.html", html.encode("cp1252")))
    assert "told reporters in Valparaíso." in article.text


def test_html_without_a_body_date_takes_none_from_the_story(tmp_path):
    html = (DATA / "news-page.html").read_text(encoding="utf-8")
    html = html.replace('<meta property="article:published_time" content="2025-11-03T08:15:00-03:00">', "")
    html = html.replace("By Ana Torres | November 3, 2025", "By Ana Torres")
    article = read_article(write(tmp_path / "page.html", html))
    assert "1 March 2026" in article.text
    assert article.published is None


def test_a_page_without_an_article_is_skipped(tmp_path):
    path = write(tmp_path / "login.html", "<html><head><title>Sign in</title></head><body><nav><a href='/'>"
                 "Home</a> <a href='/news'>News</a></nav><form><input name='user'><button>Sign in</button>"
                 "</form><footer>© 2025 Example Media</footer></body></html>")
    assert list(iter_articles([path])) == [Skipped(
        str(path), "no article text found in the page — save the article's page itself, or its text as .txt")]


def test_jsonl_bad_lines_are_skipped_and_the_others_ingested():
    articles, skipped = articles_and_skips(DATA / "batch.jsonl")
    assert [(article.id, article.published) for article in articles] == [
        ("ng-sec-rules", "2025-01-17"), ("batch.jsonl#2", "2025-03-16"), ("batch.jsonl#6", "2025-06-02")]
    assert articles[0].title == "Nigeria raises exchange capital"
    assert articles[1].text.endswith("\nThe rules apply from 16 March 2025.")
    assert [str(item) for item in skipped] == [
        f"{DATA / 'batch.jsonl'}:3: not valid JSON (Expecting ',' delimiter at column 53)"
        " — fix or delete this line",
        f"{DATA / 'batch.jsonl'}:5: no `text` — give each line the article's text",
    ]


@pytest.mark.parametrize(("line", "reason"), [
    ('["a list"]', "not a JSON object"),
    ('{"text": "   "}', "no `text`"),
    ('{"id": 7, "text": "Body."}', "line `id` is not text"),
    ('{"text": "Body.", "published": "next week"}', "line `published` is not a date: 'next week'"),
])
def test_a_bad_jsonl_line(tmp_path, line, reason):
    path = write(tmp_path / "feed.jsonl", '{"text": "Good."}\n' + line + "\n")
    articles, skipped = articles_and_skips(path)
    assert [article.text for article in articles] == ["Good."]
    assert [item.where for item in skipped] == [f"{path}:2"]
    assert skipped[0].reason.startswith(reason)


def test_read_article_picks_one_jsonl_line():
    batch = DATA / "batch.jsonl"
    assert read_article(Path(f"{batch}#2")).id == "batch.jsonl#2"
    assert read_article(batch, article_id="ng-sec-rules").published == "2025-01-17"
    assert read_article(batch, article_id="batch.jsonl#6").text.startswith("Published on 2 June 2025")
    for path, article_id, message in [
        (batch, None, "holds one article per line"),
        (Path(f"{batch}#3"), None, "not valid JSON"),
        (Path(f"{batch}#4"), None, "no article on line 4"),
        (batch, "missing", "no article with id 'missing'"),
        (DATA / "front-matter.md", "x", "an id picks a line of a .jsonl file"),
    ]:
        with pytest.raises(InputError, match=message):
            read_article(path, article_id=article_id)


# --- bad files --------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "reason"), [
    (b"", "empty file"),
    (b" \n\t\r\n  \n", "no text, only whitespace"),
    (codecs.BOM_UTF8 + b"\n\n", "no text, only whitespace"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file (NUL bytes), not text"),
    (codecs.BOM_UTF32_LE + "Text".encode("utf-32-le"), "binary file (NUL characters), not text"),
], ids=["empty", "whitespace", "bom-and-newlines", "png", "utf-32"])
def test_a_bad_file_is_skipped_and_the_batch_goes_on(tmp_path, raw, reason):
    write(tmp_path / "a-bad.txt", raw)
    write(tmp_path / "b-good.txt", "A good article.")
    articles, skipped = articles_and_skips(tmp_path)
    assert [article.id for article in articles] == ["b-good.txt"]
    assert [item.where for item in skipped] == [str(tmp_path / "a-bad.txt")]
    assert skipped[0].reason.startswith(reason)


def test_an_unreadable_file_is_skipped(tmp_path):
    path = write(tmp_path / "locked.txt", "Secret.")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read a mode-000 file (root)")
        assert list(iter_articles([path])) == [
            Skipped(str(path), "cannot read it (Permission denied) — check the file's permissions")]
    finally:
        path.chmod(0o644)


def test_a_missing_path_is_skipped(tmp_path):
    assert list(iter_articles([tmp_path / "gone"])) == [
        Skipped(str(tmp_path / "gone"), "no such file or folder — check the path")]


# --- publication dates ------------------------------------------------------------------------


def test_the_shipped_articles_dates():
    published = {article.id: article.published for article in articles_and_skips(CORPUS)[0]}
    assert published == {"kg-bitcoin-reserve-state-mining.txt": None,
                         "kg-virtual-assets-amendments.txt": None,
                         "kz-regulatory-status.txt": "2026-04-11"}


@pytest.mark.parametrize(("byline", "published"), [
    ("Published: 10 September 2025", "2025-09-10"),
    ("Published on Sep 10, 2025 at 14:02", "2025-09-10"),
    ("Updated: 2025-09-10", "2025-09-10"),
    ("September 10, 2025 | 3 min read", "2025-09-10"),
    ("10.09.2025 14:02", "2025-09-10"),
    ("**Published:** 4 Sept. 2025", "2025-09-04"),
    ("_Posted 3rd March, 2024_", "2024-03-03"),
    ("Last updated on 1 Feb 2026, 09:15 GMT", "2026-02-01"),
    ("By Wanjiru Kamau, Nation Africa | Jul 21, 2025 8:15 AM EAT", "2025-07-21"),
    ("By Ana Torres · 2025-11-03T08:15:00Z", "2025-11-03"),
    ("12 ноября 2025 г., 10:30", "2025-11-12"),
    ("Опубликовано: 12 ноября 2025", "2025-11-12"),
    ("Generated by ai-lab-1 on 2026-04-11T17:05:55.843Z Source: justfixit.AI Worker Lab", "2026-04-11"),
])
def test_a_byline_near_the_top_gives_the_date(byline, published):
    text = f"Thailand tightens crypto advertising rules\n\n{byline}\n\nThe SEC said on Tuesday that...\n"
    assert find_published(text) == published


@pytest.mark.parametrize("text", [
    "Kenya passes VASP bill\n\nThe law takes effect on 1 January 2026, the Treasury said.\n",
    "Kenya passes VASP bill\nBy January 1, 2026, exchanges must hold a licence.\n",
    "Kenya passes VASP bill\nBy law, March 3, 2026 is the deadline for exchanges to register.\n",
    "12 May 2025 — the day the Central Bank of Kenya finally published its rules for crypto exchanges.\n",
    "1 January 2026: the day Kenya's crypto law takes effect\nThe Treasury said ...\n",
    "Updated rules published by the CMA on 1 March 2026 require exchanges to report trades.\n",
    "Exchanges must report by 9 September, the regulator said.\n",
    "Published: 31 February 2025\n",
    "Date: 09/10/2025\n",  # day or month first? not guessed
    "".join(f"Paragraph {n} of the story.\n" for n in range(20)) + "March 3, 2026 | the deadline\n",
])
def test_a_date_in_the_story_is_not_the_publication_date(text):
    assert find_published(text) is None


def test_an_explicit_dated_line_counts_anywhere():
    story = "".join(f"Paragraph {n} of the story, which mentions 1 March 2026.\n" for n in range(30))
    assert find_published(story + "Posted by the editors on 12 May 2025\n") == "2025-05-12"
    assert find_published(story + "Posted: 12 May 2025\n") is None  # no "on DATE": only near the top


def test_publication_date_sources_in_order(tmp_path):
    dated_body = "Published: 10 September 2025\n\nThe story."
    front = read_article(write(tmp_path / "a.md", f"---\npublished: 2025-09-01\n---\n{dated_body}"),
                         default_published="2020-01-01")
    text = read_article(write(tmp_path / "b.txt", dated_body), default_published="2020-01-01")
    default = read_article(write(tmp_path / "c.txt", "The story."), default_published="2020-01-01")
    assert (front.published, text.published, default.published) == ("2025-09-01", "2025-09-10", "2020-01-01")
    with pytest.raises(InputError, match="'last week' is not a date"):
        read_article(tmp_path / "c.txt", default_published="last week")


# --- extract text -----------------------------------------------------------------------------


def run_text(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "extract", "text", *args], capture_output=True, check=False)


def test_extract_text_prints_the_text_exactly(tmp_path):
    txt = write(tmp_path / "a.txt", codecs.BOM_UTF8 + "Line one.\r\nСтрока два.".encode())
    md = write(tmp_path / "a.md", "---\ntitle: T\n---\nThe body.\n\nLast line, no newline.")
    assert run_text(str(txt)).stdout == "Line one.\r\nСтрока два.".encode()
    assert run_text(str(md)).stdout == b"The body.\n\nLast line, no newline."
    assert run_text(f"{DATA / 'batch.jsonl'}#2").stdout == (
        b"Thailand's SEC approved two stablecoins, USDT and USDC, for trading on licensed venues.\n"
        b"The rules apply from 16 March 2025.")
    assert run_text(str(DATA / "batch.jsonl"), "--id", "ng-sec-rules").stdout.startswith(b"Nigeria's SEC")


def test_extract_text_of_a_missing_file_is_a_one_line_error(tmp_path):
    result = run_text(str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode() == (
        f"error: {tmp_path / 'missing.txt'}: no such file or folder — check the path\n")
