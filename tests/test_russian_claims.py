"""Russian news gives the proposals the same facts give in English (issue 9, issue 13).

The claims stage reads the Russian parse through lang/ru/claims.json (UD labels, pymorphy3 lemmas, a
glossary into the field rules' English words), so one set of field rules serves both languages. Every text
here is our own writing. Each run is the real pipeline (natasha for Russian, spaCy for English) and the
real reduce step (`propose`) at the default `--min-confidence`, against the claims-table records.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.models import Article
from extract.propose import DEFAULT_MIN_CONFIDENCE, propose

RECORDS = Path(__file__).resolve().parent / "claims_table" / "records"
PUBLISHED = "2026-11-01"  # after the records were last updated: not stale

# Five short articles, each in English and in Russian, with the proposals both must give.
ARTICLES = [
    (
        "capital",
        "The National Bank of the Kyrgyz Republic raised the minimum authorised capital of crypto exchanges "
        "to 10 billion soms from January 1, 2026. Exchanges that fail to meet the requirement will lose "
        "their licences.",
        "Национальный банк Кыргызской Республики повысил минимальный уставный капитал криптобирж до 10 млрд "
        "сомов с 1 января 2026 года. Биржи, которые не выполнят требование, лишатся лицензий.",
        {
            ("KG", "licensing.cost", "append", "minimum capital KGS 10,000,000,000 from 2026-01-01"),
            ("KG", "licensing.regulator", "confirm", "[[entity--nbkr|NBKR]]"),  # the acting regulator
        },
    ),
    (
        "cbdc-pilot",
        "The National Bank of the Kyrgyz Republic launched a pilot project of the digital som. Five "
        "commercial banks take part in the pilot.",
        "Национальный банк Кыргызской Республики запустил пилотный проект цифрового сома. В пилоте участвуют "
        "пять коммерческих банков.",
        {("KG", "cbdc.status", "set", "pilot")},
    ),
    (
        "licensing",
        "The NSSMC issues licences to crypto exchanges in Ukraine. Crypto exchanges in Ukraine must obtain a "
        "licence.",
        "НКЦПФР выдаёт лицензии криптобиржам в Украине. Криптобиржи в Украине обязаны получить лицензию.",
        {("UA", "licensing.regulator", "set", "NSSMC"), ("UA", "licensing.required", "set", "Yes")},
    ),
    (
        "mining-ban",
        "The government of Kazakhstan banned crypto mining from January 1, 2027. Miners have six months to "
        "sell their equipment.",
        "Правительство Казахстана запретило майнинг криптовалют с 1 января 2027 года. У майнеров есть шесть "
        "месяцев, чтобы продать оборудование.",
        {("KZ", "mining.legal", "set", "No")},
    ),
    (
        "draft",
        "The Mazhilis of Kazakhstan is considering a draft law that would ban crypto mining. The draft also "
        "sets a fine of 5 million tenge.",
        "Мажилис Казахстана рассматривает законопроект, который запретит майнинг криптовалют. Проект также "
        "устанавливает штраф в 5 млн тенге.",
        set(),  # a draft is at most a low-confidence note: nothing at the default threshold
    ),
]

NOTE = "…"  # any value: a note's words are checked by test_russian_notes_are_statements_in_english

# Russian claim sentences of our own: (text, the proposals at the default threshold).
SENTENCES = [
    # positives
    ("Правительство Кыргызстана запретило криптовалюты.", {("KG", "overview.status", "set", "Banned")}),
    ("В Кыргызстане майнинг криптовалют запрещён.", {("KG", "mining.legal", "set", "No")}),
    ("Майнинг криптовалют в Казахстане легализован.", {("KZ", "mining.legal", "confirm", "Yes")}),
    ("Майнинг криптовалют в Украине легализован.", {("UA", "mining.legal", "set", "Yes")}),
    (
        "Криптобиржи в Кыргызстане должны иметь минимальный капитал в размере 5 млрд сомов.",
        {("KG", "licensing.cost", "append", "minimum capital KGS 5,000,000,000")},
    ),
    (
        "Национальный банк Кыргызской Республики запустил цифровой сом.",
        {("KG", "cbdc.status", "set", "launched")},
    ),
    (
        "Криптобиржи в Украине обязаны пройти лицензирование.",
        {("UA", "licensing.required", "set", "Yes")},
    ),
    ("Казахстан ввёл запрет на майнинг криптовалют.", {("KZ", "mining.legal", "set", "No")}),
    ("Майнинг криптовалют был запрещён правительством Казахстана.", {("KZ", "mining.legal", "set", "No")}),
    ("Нигерия запретила криптовалюты.", {("NG", "overview.status", "set", "Banned")}),
    ("Центральный банк Нигерии снял запрет на криптовалюты.", {("NG", "overview.status", "set", "Legal")}),
    (  # the record's own framework, joined by its English name
        "Президент Кыргызстана подписал Закон «О виртуальных активах».",
        {("KG", "licensing.framework", "confirm", "Law on Virtual Assets (2022)")},
    ),
    # negatives: negation, lifting, drafts and plans, crackdowns on illegal actors, other countries
    ("Национальный банк Казахстана не запрещает криптовалюты.", set()),
    ("Правительство Кыргызстана не будет запрещать майнинг.", set()),
    ("Парламент Кыргызстана может запретить майнинг криптовалют.", set()),
    ("Министерство финансов Украины разработало законопроект о налоге на криптовалюты.", set()),
    ("Национальный банк Кыргызской Республики изучает возможность выпуска цифрового сома.", set()),
    # a crackdown on illegal actors is enforcement (a note written from the sentence), never a ban
    (
        "Полиция Кыргызстана закрыла 30 незаконных криптообменников в Бишкеке.",
        {("KG", "enforcement.note", "append", NOTE)},
    ),
    (
        "Власти Казахстана заблокировали 40 нелегальных криптобирж.",
        {("KZ", "enforcement.note", "append", NOTE)},
    ),
    ("Депутаты Жогорку Кенеша предложили запретить майнинг криптовалют.", set()),
    ("Курс биткоина вырос до 100 тысяч долларов.", set()),
    ("Работа криптобирж без лицензии в Украине запрещена.", set()),
]

# The same facts in both languages where the facts stage reads words of the clause beyond the claim's
# parts (facts.py: a fee's kind, a tax's base: a Russian genitive reads with "of").
GAPS = [
    (
        "licence-fee",
        "Crypto exchanges in Ukraine pay a licence fee of 2 million hryvnias.",
        "Криптобиржи в Украине платят лицензионный сбор в размере 2 млн гривен.",
    ),
    (
        "mining-tax",
        "Kazakhstan set a tax on crypto mining of 10% of the cost of electricity.",
        "Казахстан установил налог на майнинг криптовалют в размере 10% от стоимости электроэнергии.",
    ),
]

Proposed = set[tuple[str, str, str, str]]


@pytest.fixture(scope="module")
def table_pipeline():
    from extract.pipeline import build_pipeline

    return build_pipeline(RECORDS)


@pytest.fixture(scope="module")
def run(table_pipeline):
    """articles → (country, field, op, new value) of the proposals shown at the default threshold."""
    from extract.records import load_records

    records = load_records(RECORDS)

    def proposals_of(texts: dict[str, str]) -> dict[str, Proposed]:
        articles = [Article(id=key, text=text, published=PUBLISHED) for key, text in texts.items()]
        found: dict[str, Proposed] = {}
        for result in table_pipeline.process(articles):  # one article at a time: its proposals are its own
            proposals, _ = propose(result.facts, records, min_confidence=DEFAULT_MIN_CONFIDENCE)
            found[result.article] = {(p.country, p.field, p.op, p.new_value) for p in proposals}
        return found

    return proposals_of


@pytest.fixture(scope="module")
def articles(run):
    texts = {f"en-{key}": english for key, english, _, _ in ARTICLES}
    texts |= {f"ru-{key}": russian for key, _, russian, _ in ARTICLES}
    return run(texts)


def test_every_article_is_read_in_its_language(table_pipeline):
    texts = [text for _, english, russian, _ in ARTICLES for text in (english, russian)]
    analyzed = table_pipeline.analyze([Article(id=str(i), text=text) for i, text in enumerate(texts)])
    assert [a.article.language for a in analyzed] == ["en", "ru"] * len(ARTICLES)


@pytest.mark.parametrize(("key", "english", "russian", "expected"), ARTICLES, ids=[a[0] for a in ARTICLES])
def test_english_and_russian_give_the_same_proposals(articles, key, english, russian, expected):
    assert articles[f"en-{key}"] == expected
    assert articles[f"ru-{key}"] == articles[f"en-{key}"]


@pytest.mark.parametrize(("text", "expected"), SENTENCES, ids=[text[:40] for text, _ in SENTENCES])
def test_russian_claim_sentences(run, text, expected):
    noted = {(country, field) for country, field, _, value in expected if value == NOTE}
    found = {
        (country, field, op, NOTE if (country, field) in noted else value)
        for country, field, op, value in run({"ru": text})["ru"]
    }
    assert found == expected


def test_below_the_threshold_too(table_pipeline):
    """Every fact of both versions, whatever its confidence: the same fields, modes and confidences (a
    draft's notes included); only a note's words differ, written from the article's own sentence."""
    texts = [(f"{language}-{article[0]}", text) for article in ARTICLES for language, text in zip(
        ("en", "ru"), article[1:3], strict=True
    )]
    results = table_pipeline.process([Article(id=key, text=text, published=PUBLISHED) for key, text in texts])
    facts = {
        result.article: {(f.country, f.field, f.mode, f.confidence, f.stage) for f in result.facts}
        for result in results
    }
    for key, *_ in ARTICLES:
        assert facts[f"en-{key}"] == facts[f"ru-{key}"]


def test_russian_values_are_written_in_english(articles):
    for key, *_ in ARTICLES:
        for _, _, _, value in articles[f"ru-{key}"]:
            assert value.isascii(), value


@pytest.mark.parametrize(("key", "english", "russian"), GAPS, ids=[g[0] for g in GAPS])
def test_facts_read_from_the_text_in_both_languages(run, key, english, russian):
    found = run({"en": english, "ru": russian})
    assert found["en"]
    assert found["ru"] == found["en"]


def test_russian_notes_are_statements_in_english(run):
    """A note from a Russian sentence is built from the claim in English (the regulator's short name,
    the action's English verb, the object's glossed words); a firm's name stays as written."""
    found = run({"ru": "Национальный банк Кыргызской Республики оштрафовал криптобиржу «Ала-Тоо Коин» "
                       "на 2 млн сомов за нарушение правил идентификации клиентов."})["ru"]
    notes = {value for _, field, _, value in found if field == "enforcement.note"}
    assert notes == {"NBKR fined crypto exchange Ала-Тоо Коин (KGS 2,000,000)."}
