"""Currency lookup: symbols, ISO codes and names → ISO 4217, shared names resolved by the local currency."""

import pytest
from babel.numbers import get_currency_name
from hypothesis import given
from hypothesis import strategies as st

from extract.normalize.currency import currency_candidates, currency_tables, resolve_currency


@pytest.mark.parametrize(
    ("token", "local", "expected"),
    [
        # symbols
        ("$", None, "USD"),
        ("$", "AUD", "AUD"),  # an Australian sentence writes its own dollar "$" (CLDR en_AU)
        ("$", "KGS", "USD"),  # elsewhere a bare "$" is the US dollar
        ("US$", "AUD", "USD"),
        ("R", "ZAR", "ZAR"),  # en_ZA's symbol, in a South African sentence
        ("R", None, None),  # … and nothing elsewhere ("R2", "R&D")
        ("R", "BRL", None),
        ("Ksh", "KES", "KES"),
        ("TSh", "TZS", "TZS"),
        ("Sh", "KES", "KES"),  # an abbreviation of every shilling
        ("Sh", "UGX", "UGX"),
        ("Sh", None, None),
        ("£", "GIP", "GIP"),
        ("US$", None, "USD"),
        ("A$", None, "AUD"),
        ("C$", None, "CAD"),
        ("C$", "NIO", "NIO"),
        ("S$", None, "SGD"),
        ("HK$", None, "HKD"),
        ("NZ$", None, "NZD"),
        ("R$", None, "BRL"),
        ("€", None, "EUR"),
        ("£", None, "GBP"),
        ("¥", None, "JPY"),
        ("¥", "CNY", "CNY"),
        ("₸", None, "KZT"),
        ("₽", None, "RUB"),
        ("₴", None, "UAH"),
        ("₺", None, "TRY"),
        ("₹", None, "INR"),
        ("₦", None, "NGN"),
        ("Rs", None, None),  # India, Pakistan, Sri Lanka, Nepal …: unknown without context
        ("Rs.", "PKR", "PKR"),
        ("Rs", "INR", "INR"),
        ("kr", "SEK", "SEK"),
        ("kr", None, None),
        # ISO codes
        ("KZT", None, "KZT"),
        ("KGS", None, "KGS"),
        ("USD", None, "USD"),
        ("TRY", None, "TRY"),
        ("TOP", None, None),  # "TOP 10 exchanges"
        ("PHP", None, None),  # "PHP 8"
        ("usd", None, None),  # codes are upper case
        # names: shared ones resolve to the sentence's currency, else the default, else unknown
        ("som", "KGS", "KGS"),
        ("soms", "KGS", "KGS"),
        ("soms", "UZS", "UZS"),
        ("som", None, None),
        ("soms", "KZT", None),
        ("dollar", None, "USD"),
        ("dollars", "AUD", "AUD"),
        ("dollars", "KGS", "USD"),
        ("US dollars", "AUD", "USD"),
        ("U.S. dollars", None, "USD"),
        ("Hong Kong dollars", None, "HKD"),
        ("tenge", None, "KZT"),
        ("tenges", None, "KZT"),
        ("rouble", None, "RUB"),
        ("roubles", "BYN", "BYN"),
        ("rubles", None, "RUB"),
        ("rupees", "PKR", "PKR"),
        ("rupees", None, None),
        ("pounds", None, "GBP"),
        ("pounds", "EGP", "EGP"),
        ("euros", None, "EUR"),
        ("yuan", None, "CNY"),
        ("renminbi", None, "CNY"),
        ("hryvnias", None, "UAH"),
        ("lira", None, "TRY"),
        ("naira", None, "NGN"),
        ("francs", None, None),
        ("Swiss francs", None, "CHF"),
        ("reais", None, "BRL"),
        ("dirhams", "MAD", "MAD"),
        ("won", None, "KRW"),  # a currency only after an amount (test_normalize_amounts)
        ("won", "KPW", "KPW"),
        ("Korean won", None, "KRW"),  # the head of ISO's "Korea, Republic of"
        ("Tanzanian shillings", None, "TZS"),
        ("Iranian rial", None, "IRR"),
        # an adjective narrows a shared name to the countries it names
        ("Kyrgyz soms", None, "KGS"),
        ("Uzbek som", None, "UZS"),
        ("Kazakh tenge", None, "KZT"),
        ("Indian rupees", None, "INR"),
        ("Pakistani rupees", "INR", "PKR"),
        ("Russian rubles", "BYN", "RUB"),
        ("Turkmen manat", None, "TMT"),
        ("Australian dollars", None, "AUD"),
        ("Nigerian naira", None, "NGN"),
        # Cyrillic spellings
        ("сом", None, "KGS"),
        ("тенге", None, "KZT"),
        ("руб.", None, "RUB"),
        # words that are not currencies here
        ("real", None, None),
        ("Big dollars", None, None),
        ("bitcoin", None, None),
        ("USDT", None, None),
    ],
)
def test_resolve_currency(token, local, expected):
    assert resolve_currency(token, local_currency=local) == expected


@pytest.mark.parametrize("token", ["real", "sol", "Big dollars", "ALL", "TOP", "crypto", ""])
def test_not_currencies_have_no_candidates(token):
    assert currency_candidates(token) == frozenset()


def test_shared_names_keep_every_currency():
    assert currency_candidates("som") == {"KGS", "UZS"}
    assert {"USD", "AUD", "CAD", "SGD"} <= currency_candidates("dollars")
    assert {"GBP", "EGP"} <= currency_candidates("pound")


_CODES = sorted(code for code, codes in currency_tables().symbols.items() if codes == {code})


@given(st.sampled_from(_CODES), st.sampled_from([1, 2]))
def test_every_cldr_english_name_resolves_to_its_code(code, count):
    name = get_currency_name(code, count=count, locale="en")
    assert resolve_currency(name) == code
    assert resolve_currency(name.upper()) == code


@given(st.sampled_from(_CODES))
def test_every_code_resolves_to_itself_whatever_the_local_currency(code):
    assert resolve_currency(code, local_currency="KGS") == code
