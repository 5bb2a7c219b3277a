"""Russian articles (issue 9): language detection, and the Russian mentions stage on sentences of our own
writing — money, percentages, dates, laws, regulators, countries — with values written in English."""

import subprocess
import sys

import pytest

from extract.lang import detect_language
from extract.models import Article

PUBLISHED = "2025-05-01"

# (sentence, [(kind, span, value fields that must match)], countries of the sentence's mentions)
SENTENCES = [
    # --- money -------------------------------------------------------------------------------------
    (
        "Минимальный капитал биржи в Кыргызстане составит 10 млрд сомов.",
        [("money", "10 млрд сомов", {"amount": 10_000_000_000, "currency": "KGS"})],
        "KG",
    ),
    (
        "В Казахстане штраф для майнеров составил около 5 млн тенге.",
        [("money", "5 млн тенге", {"amount": 5_000_000, "currency": "KZT", "qualifier": "about"})],
        "KZ",
    ),
    (
        "Узбекистан установил сбор в размере 150 тыс. сумов.",
        [("money", "150 тыс. сумов", {"amount": 150_000, "currency": "UZS"})],
        "UZ",
    ),
    (
        "Банк России оценил рынок в 3,5 трлн рублей.",
        [("money", "3,5 трлн рублей", {"amount": 3_500_000_000_000, "currency": "RUB"})],
        "RU",
    ),
    (
        "Тариф для майнеров в Кыргызстане — 2,5 сома за кВт·ч.",
        [("money", "2,5 сома за кВт·ч", {"amount": 2.5, "currency": "KGS", "per": "kWh"})],
        "KG",
    ),
    (
        "Казахстан ввёл сбор 1 тенге за киловатт-час электроэнергии.",
        [("money", "1 тенге за киловатт-час", {"amount": 1, "currency": "KZT", "per": "kWh"})],
        "KZ",
    ),
    (
        "Биржа в Кыргызстане привлекла $5 млн.",
        [("money", "$5 млн", {"amount": 5_000_000, "currency": "USD"})],
        "KG",
    ),
    (
        "Сделки в Казахстане превысили 100 млн долларов.",
        [("money", "100 млн долларов", {"amount": 100_000_000, "currency": "USD"})],
        "KZ",
    ),
    (
        "Взнос в Кыргызстане составит не менее 500 000 сомов.",
        [("money", "500 000 сомов", {"amount": 500_000, "currency": "KGS", "qualifier": "at_least"})],
        "KG",
    ),
    (
        "Казахстан получил более 20 млрд тенге налогов от майнинга.",
        [("money", "20 млрд тенге", {"amount": 20_000_000_000, "currency": "KZT", "qualifier": "over"})],
        "KZ",
    ),
    (
        "Стоимость лицензии в Казахстане — 50 евро.",
        [("money", "50 евро", {"amount": 50, "currency": "EUR"})],
        "KZ",
    ),
    (
        "Пошлина в Кыргызстане составляет 75 тыйын.",
        [("money", "75 тыйын", {"amount": 0.75, "currency": "KGS"})],
        "KG",
    ),
    # --- percentages and quantities ------------------------------------------------------------------
    (
        "Налог на майнинг в Кыргызстане составит 15 процентов.",
        [("percent", "15 процентов", {"amount": 15})],
        "KG",
    ),
    ("В Казахстане 70% криптовалюты пойдёт в резерв.", [("percent", "70%", {"amount": 70})], "KZ"),
    ("Ставка налога в Узбекистане снижена до 1 %.", [("percent", "1 %", {"amount": 1})], "UZ"),
    (
        "Доля Казахстана в хешрейте составила 13,2 процента.",
        [("percent", "13,2 процента", {"amount": 13.2})],
        "KZ",
    ),
    (
        "В Кыргызстане майнинговые фермы потребляют 500 МВт.",
        [("quantity", "500 МВт", {"amount": 500, "unit": "MW"})],
        "KG",
    ),
    (
        "Казахстан конфисковал 120 биткоинов.",
        [("quantity", "120 биткоинов", {"amount": 120, "unit": "BTC"})],
        "KZ",
    ),
    (
        "Кыргызстан выработал 1,5 млрд кВт·ч электроэнергии.",
        [("quantity", "1,5 млрд кВт·ч", {"amount": 1_500_000_000, "unit": "kWh"})],
        "KG",
    ),
    # --- dates ---------------------------------------------------------------------------------------
    (
        "Закон в Кыргызстане вступит в силу 1 января 2026 года.",
        [("date", "1 января 2026 года", {"iso": "2026-01-01", "granularity": "day"})],
        "KG",
    ),
    (
        "Национальный банк Казахстана 17 апреля 2025 года выдал лицензию.",
        [("date", "17 апреля 2025 года", {"iso": "2025-04-17", "granularity": "day"})],
        "KZ",
    ),
    (
        "В Узбекистане реестр заработает в марте 2026 года.",
        [("date", "марте 2026 года", {"iso": "2026-03", "granularity": "month"})],
        "UZ",
    ),
    (
        "Пилот в Казахстане завершится в первом квартале 2026 года.",
        [("date", "первом квартале 2026 года", {"iso": "2026-Q1", "granularity": "quarter"})],
        "KZ",
    ),
    (
        "Отчёт Кыргызстана опубликован 05.03.2025.",
        [("date", "05.03.2025", {"iso": "2025-03-05", "granularity": "day"})],
        "KG",
    ),
    (
        "Правила в Казахстане приняты в 2023 году.",
        [("date", "2023 году", {"iso": "2023", "granularity": "year"})],
        "KZ",
    ),
    (
        "Кыргызстан утвердил план 9 сентября.",
        [("date", "9 сентября", {"iso": "2025-09-09", "granularity": "day"})],
        "KG",
    ),
    (
        "Во втором полугодии 2025 года Казахстан запустит цифровой тенге.",
        [("date", "втором полугодии 2025 года", {"iso": "2025", "granularity": "year", "qualifier": "late"})],
        "KZ",
    ),
    (
        "Вчера Национальный банк Кыргызской Республики провёл совещание.",
        [("date", "Вчера", {"iso": "2025-04-30", "granularity": "day"})],
        "KG",
    ),
    (
        "В прошлом году Казахстан закрыл 36 бирж.",
        [("date", "В прошлом году", {"iso": "2024", "granularity": "year"})],
        "KZ",
    ),
    # --- laws ----------------------------------------------------------------------------------------
    (
        "Закон Кыргызской Республики «О виртуальных активах» регулирует биржи.",
        [("law", "Закон Кыргызской Республики «О виртуальных активах»", {"name": "Law on Virtual Assets"})],
        "KG",
    ),
    (
        "В Таджикистане действует Закон «О цифровых активах в Республике Таджикистан».",
        [
            (
                "law",
                "Закон «О цифровых активах в Республике Таджикистан»",
                {"name": "Law on Digital Assets in the Republic of Tajikistan"},
            )
        ],
        "TJ",
    ),
    (
        "Казахстан принял Закон № 193-VII о цифровых активах.",
        [("law", "Закон № 193-VII", {"name": "Law No. 193-VII", "number": "193-VII"})],
        "KZ",
    ),
    (
        "Конституционный закон «О Национальном банке Кыргызской Республики» изменён.",
        [
            (
                "law",
                "Конституционный закон «О Национальном банке Кыргызской Республики»",
                {"name": "Constitutional Law on National Bank of the Kyrgyz Republic"},
            )
        ],
        "KG",
    ),
    (
        "Налоговый кодекс Казахстана вводит сбор за майнинг.",
        [("law", "Налоговый кодекс", {"name": "Tax Code"})],
        "KZ",
    ),
    (
        "Закон «О банках и банковской деятельности» принят в Казахстане.",
        [
            (
                "law",
                "Закон «О банках и банковской деятельности»",
                {"name": "Law on Banks and Banking Activity"},
            )
        ],
        "KZ",
    ),
    # --- regulators and countries ----------------------------------------------------------------------
    (
        "Национальным банком Кыргызской Республики выпущен стейблкоин.",
        [
            (
                "entity",
                "Национальным банком Кыргызской Республики",
                {"id": "entity--nbkr", "type": "regulator"},
            )
        ],
        "KG",
    ),
    (
        "Агентство по финансовому мониторингу закрыло 36 бирж.",
        [("entity", "Агентство по финансовому мониторингу", {"id": "entity--afm-kz", "type": "regulator"})],
        "KZ",
    ),
    (
        "Госфиннадзор выдал первые лицензии биржам.",
        [("entity", "Госфиннадзор", {"id": "entity--kg-fmrss", "type": "regulator"})],
        "KG",
    ),
    (
        "Майнинг в Кыргызстане растёт.",
        [("entity", "Кыргызстане", {"id": "country--kyrgyzstan", "type": "country"})],
        "KG",
    ),
    (
        "Киргизия и Казахстан обсудили стейблкоины.",
        [
            ("entity", "Киргизия", {"id": "country--kyrgyzstan"}),
            ("entity", "Казахстан", {"id": "country--kazakhstan"}),
        ],
        None,
    ),
    (
        "Биржи Узбекистана получили лицензии.",
        [("entity", "Узбекистана", {"name": "Uzbekistan", "type": "country"})],
        "UZ",
    ),
    (
        "Садыр Жапаров подписал закон о майнинге.",
        [("entity", "Садыр Жапаров", {"name": "Sadyr Japarov", "type": "person"})],
        "KG",
    ),
    (
        "Касым-Жомарт Токаев поручил создать криптохаб.",
        [("entity", "Касым-Жомарт Токаев", {"name": "Kassym-Jomart Tokayev", "type": "person"})],
        "KZ",
    ),
    # --- claims-bearing sentences: the parse is there for the claims stage ----------------------------
    (
        "Национальный банк Казахстана запретил деятельность незарегистрированных бирж с 1 июля 2025 года.",
        [
            ("entity", "Национальный банк Казахстана", {"id": "entity--nbk"}),
            ("date", "1 июля 2025 года", {"iso": "2025-07-01"}),
        ],
        "KZ",
    ),
    (
        "Правительство Кыргызстана не будет запрещать майнинг.",
        [("entity", "Кыргызстана", {"id": "country--kyrgyzstan"})],
        "KG",
    ),
]


@pytest.fixture(scope="module")
def analyzed(pipeline):
    articles = [
        Article(id=f"ru-{i}", text=text, published=PUBLISHED) for i, (text, _, _) in enumerate(SENTENCES)
    ]
    return list(pipeline.analyze(articles))


def test_forty_sentences():
    assert len(SENTENCES) >= 40


@pytest.mark.parametrize("index", range(len(SENTENCES)), ids=[text[:40] for text, _, _ in SENTENCES])
def test_russian_mentions(analyzed, index):
    _, expected, country = SENTENCES[index]
    result = analyzed[index]
    assert result.article.language == "ru"
    found = {(m.kind, m.text): m for m in result.mentions}
    for kind, span, fields in expected:
        assert (kind, span) in found, sorted(found)
        mention = found[(kind, span)]
        value = mention.value.model_dump()
        assert {key: value[key] for key in fields} == fields
        if country is not None:
            assert country in mention.countries


def test_sentences_carry_the_parse(analyzed):
    """Every Russian sentence has UD tokens whose heads stay inside it, for the claims stage."""
    negated = analyzed[-1].sentences[0]
    lemmas = [token.lemma for token in negated.tokens]
    assert "запрещать" in lemmas and "не" in lemmas
    for result in analyzed:
        for sentence in result.sentences:
            assert sentence.tokens
            assert all(0 <= token.head < len(sentence.tokens) for token in sentence.tokens)
            assert sum(token.dep == "root" for token in sentence.tokens) >= 1
            text = result.article.text
            assert all(
                sentence.start <= t.start < t.end <= sentence.end and text[t.start : t.end]
                for t in sentence.tokens
            )


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The National Bank of Kazakhstan licensed an exchange.", "en"),
        ("Kazakhstan's regulator cited «17 апреля 2025» in its note to the exchanges.", "en"),
        ("Национальный банк Казахстана выдал лицензию бирже.", "ru"),
        ("Café owners in Zürich accept bitcoin.", "en"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_english_runs_load_no_second_pipeline(tmp_path):
    """An English-only run imports neither the detector nor the Russian pipeline."""
    code = (
        "import sys\n"
        "from extract.pipeline import build_pipeline\n"
        "from extract.models import Article\n"
        "p = build_pipeline(None)\n"
        "list(p.analyze([Article(id='a', text='Kyrgyzstan raised exchange capital to 10 billion soms.')]))\n"
        "print(sorted(m for m in ('natasha', 'py3langid', 'pymorphy3', 'slovnet') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_headline_and_list_items_are_paragraphs_of_their_own(pipeline):
    text = (
        "Кыргызстан поднял капитал бирж до 10 млрд сомов\n\n"
        "Национальный банк Кыргызской Республики опубликовал правила.\n"
        "- сбор: 50 000 сомов\n"
        "- срок: 1 января 2026 года"
    )
    (result,) = pipeline.analyze([Article(id="ru-lines", text=text, published=PUBLISHED)])
    assert [s.paragraph for s in result.sentences] == [0, 1, 2, 3]
    assert all("\n" not in text[s.start : s.end] for s in result.sentences)
    found = {(m.kind, m.text) for m in result.mentions}
    assert {("money", "10 млрд сомов"), ("money", "50 000 сомов"), ("date", "1 января 2026 года")} <= found


def test_russian_claims_read_the_parse(pipeline):
    """The claims stage reads a Russian sentence's UD parse through lang/ru/claims.json."""
    from extract.claims import claims_for_article

    texts = [
        "Национальный банк Казахстана запретил деятельность незарегистрированных бирж.",
        "Правительство Кыргызстана не будет запрещать майнинг.",
    ]
    articles = [Article(id=f"ru-claim-{i}", text=text, published=PUBLISHED) for i, text in enumerate(texts)]
    claims = [claims_for_article(result) for result in pipeline.analyze(articles)]
    (ban,) = claims[0]
    assert (ban.action, ban.polarity, ban.country) == ("ban", "positive", "KZ")
    assert ban.actor is not None and ban.actor.text == "Национальный банк Казахстана"
    assert ban.object is not None and ban.object.text.startswith("деятельность")
    (negated,) = claims[1]
    assert (negated.action, negated.polarity, negated.country) == ("ban", "negated", "KG")
