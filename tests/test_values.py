import datetime

import pytest

from claims.errors import InvalidValue
from claims.values import Figure, fold, parse_country, parse_date, parse_figure, parse_language, parse_url


@pytest.mark.parametrize(
    "spec,expected",
    [
        ("killed=~600", Figure("killed", "about", 600, 600)),
        ("troops_sent=>10000", Figure("troops_sent", "more_than", 10000, None)),
        ("wounded=>=1000", Figure("wounded", "at_least", 1000, None)),
        ("sent=1500-12000", Figure("sent", "range", 1500, 12000)),
        ("missing=<500", Figure("missing", "less_than", None, 500)),
        ("missing=<=500", Figure("missing", "up_to", None, 500)),
        ("killed=600", Figure("killed", "exact", 600, 600)),
        ("troops_sent=>10'000 soldiers", Figure("troops_sent", "more_than", 10000, None, "soldiers")),
        ("troops_sent=>10,000 soldiers", Figure("troops_sent", "more_than", 10000, None, "soldiers")),
        ("share=~2.5 %", Figure("share", "about", 2.5, 2.5, "%")),
        ("sent = 1,500 – 12,000 troops", Figure("sent", "range", 1500, 12000, "troops")),
    ],
)
def test_parse_figure(spec, expected):
    assert parse_figure(spec) == expected
    assert parse_figure(expected.spec()) == expected


@pytest.mark.parametrize(
    "spec,message",
    [
        ("killed", "use MEASURE=VALUE"),
        ("killed=", "use MEASURE=VALUE"),
        ("=600", "use MEASURE=VALUE"),
        ("Killed Soldiers=600", "lowercase snake_case"),
        ("killed=abc", "the value must be"),
        ("killed=~", "the value must be"),
        ("killed=1,50", "the value must be"),
        ("sent=12000-1500", "low end is above its high end"),
        ("killed=600 " + "x" * 41, "longer than 40"),
    ],
)
def test_parse_figure_rejects(spec, message):
    with pytest.raises(InvalidValue) as e:
        parse_figure(spec)
    assert message in str(e.value)
    assert repr(spec) in str(e.value)


def test_figure_describe():
    assert parse_figure("troops_sent=>10000 soldiers").describe() == "more than 10,000 soldiers"
    assert parse_figure("killed=~600").describe() == "about 600"
    assert parse_figure("sent=1500-12000").describe() == "1,500–12,000"
    assert parse_figure("killed=12").describe() == "12"
    assert parse_figure("missing=<=500 people").describe() == "up to 500 people"


def test_fold_ignores_case_accents_and_punctuation():
    assert fold("Séoul") == fold("seoul") == fold("  SEOUL ") == "seoul"
    assert fold("Kim Jong-un") == fold("kim jong un")
    assert fold("Corée du Nord") == "coree du nord"
    assert fold("ÉTATS-UNIS") == "etats unis"
    assert fold("Seoul") != fold("Seo ul")


def test_parse_date():
    today = datetime.date(2026, 1, 1)
    assert parse_date("2025-08-30", today=today) == "2025-08-30"
    assert parse_date("2024-06", today=today) == "2024-06"
    assert parse_date("2024", today=today) == "2024"


@pytest.mark.parametrize(
    "value,message",
    [
        ("31/12/2025", "use YYYY-MM-DD"),
        ("yesterday", "use YYYY-MM-DD"),
        ("20250830", "use YYYY-MM-DD"),
        ("2025-02-30", "day is out of range for month"),
        ("2025-13-01", "month must be in 1..12"),
        ("2099-01-01", "in the future"),
        ("", "use YYYY-MM-DD"),
    ],
)
def test_parse_date_rejects(value, message):
    with pytest.raises(InvalidValue) as e:
        parse_date(value, today=datetime.date(2026, 1, 1))
    assert message in str(e.value)


def test_parse_url():
    assert parse_url(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    for bad in ["javascript:alert(1)", "example.org", "ftp://example.org", "https://", "https://a.org/x y"]:
        with pytest.raises(InvalidValue):
            parse_url(bad)


def test_parse_language_and_country():
    assert parse_language("FR") == "fr"
    assert parse_language("pt-BR") == "pt-BR"
    assert parse_country("kr") == "KR"
    with pytest.raises(InvalidValue, match="ISO 639"):
        parse_language("French")
    with pytest.raises(InvalidValue, match="ISO 3166"):
        parse_country("KOR")
