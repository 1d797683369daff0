import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.errors import InvalidValue
from claims.values import (
    MAX_FIGURE,
    SCALE_PATTERN,
    Figure,
    fold,
    parse_country,
    parse_date,
    parse_figure,
    parse_language,
    parse_range,
    parse_url,
    plain_number,
    read_amount,
)


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
        # thousands separators: space, no-break space, narrow no-break space, underscore, apostrophes
        ("protesters=25 000", Figure("protesters", "exact", 25000, 25000)),
        ("protesters=25\u00a0000", Figure("protesters", "exact", 25000, 25000)),
        ("protesters=25\u202f000 people", Figure("protesters", "exact", 25000, 25000, "people")),
        ("protesters=1 234 567", Figure("protesters", "exact", 1234567, 1234567)),
        ("protesters=1_234_567", Figure("protesters", "exact", 1234567, 1234567)),
        ("protesters=10’000", Figure("protesters", "exact", 10000, 10000)),
        ("protesters=1 234,5", Figure("protesters", "exact", 1234.5, 1234.5)),
        ("protesters=1,234.5", Figure("protesters", "exact", 1234.5, 1234.5)),
        # a decimal comma, unless exactly three digits follow it
        ("distance=2,5 km", Figure("distance", "exact", 2.5, 2.5, "km")),
        ("share=1,50 %", Figure("share", "exact", 1.5, 1.5, "%")),
        ("killed=1,500", Figure("killed", "exact", 1500, 1500)),
        ("share=0.125", Figure("share", "exact", 0.125, 0.125)),
        # scale words, multiplied exactly
        ("displaced=1,2 million", Figure("displaced", "exact", 1200000, 1200000)),
        ("displaced=1.2 million", Figure("displaced", "exact", 1200000, 1200000)),
        ("cost=1,5 milliard", Figure("cost", "exact", 1500000000, 1500000000)),
        ("cost=1.5 billion dollars", Figure("cost", "exact", 1500000000, 1500000000, "dollars")),
        ("displaced=3 millions de personnes", Figure("displaced", "exact", 3000000, 3000000, "personnes")),
        ("cost=20 millions d'euros", Figure("cost", "exact", 20000000, 20000000, "euros")),
        ("displaced=2 mille", Figure("displaced", "exact", 2000, 2000)),
        ("displaced=5 thousand people", Figure("displaced", "exact", 5000, 5000, "people")),
        ("protesters=25k", Figure("protesters", "exact", 25000, 25000)),
        ("protesters=25K", Figure("protesters", "exact", 25000, 25000)),
        ("protesters=1.5k", Figure("protesters", "exact", 1500, 1500)),
        ("height=1.2 m", Figure("height", "exact", 1.2, 1.2, "m")),
        # ranges, with symbols or words
        ("sent=1 500-12 000", Figure("sent", "range", 1500, 12000)),
        ("protesters=2 000 à 3 000", Figure("protesters", "range", 2000, 3000)),
        ("protesters=2,000 to 3,000", Figure("protesters", "range", 2000, 3000)),
        ("sent=between 1,500 and 12,000 troops", Figure("sent", "range", 1500, 12000, "troops")),
        ("sent=entre 1 500 et 12 000 soldats", Figure("sent", "range", 1500, 12000, "soldats")),
        ("protesters=de 2 000 à 3 000", Figure("protesters", "range", 2000, 3000)),
        ("killed=From 20 to 30", Figure("killed", "range", 20, 30)),
        ("displaced=1-2 million", Figure("displaced", "range", 1000000, 2000000)),
        ("displaced=1,5 million à 2 millions", Figure("displaced", "range", 1500000, 2000000)),
        ("protesters=20k-30k", Figure("protesters", "range", 20000, 30000)),
        # qualifiers in words
        ("killed=about 600", Figure("killed", "about", 600, 600)),
        ("killed=environ 600 soldats", Figure("killed", "about", 600, 600, "soldats")),
        ("troops_sent=more than 10 000 soldiers", Figure("troops_sent", "more_than", 10000, None, "soldiers")),
        ("troops_sent=plus de 10 000", Figure("troops_sent", "more_than", 10000, None)),
        ("wounded=at least 1,000", Figure("wounded", "at_least", 1000, None)),
        ("wounded=Au moins 1 000", Figure("wounded", "at_least", 1000, None)),
        ("missing=less than 500", Figure("missing", "less_than", None, 500)),
        ("missing=moins de 500", Figure("missing", "less_than", None, 500)),
        ("missing=up to 500", Figure("missing", "up_to", None, 500)),
        ("missing=jusqu'à 500", Figure("missing", "up_to", None, 500)),
        ("missing=jusqu’à 500", Figure("missing", "up_to", None, 500)),
        ("killed=~ 600", Figure("killed", "about", 600, 600)),
        ("killed=about 1,2 million", Figure("killed", "about", 1200000, 1200000)),
    ],
)
def test_parse_figure(spec, expected):
    assert parse_figure(spec) == expected
    assert parse_figure(expected.spec()) == expected


def test_figures_keep_their_exact_value_and_type():
    for spec, value in [
        ("x=1,2 million", 1200000),
        ("x=4,1 millions", 4100000),
        ("x=2.05 million", 2050000),
        ("x=25 000", 25000),
        ("x=1.5k", 1500),
    ]:
        figure = parse_figure(spec)
        assert (figure.low, type(figure.low)) == (value, int), spec  # 4.1 * 10**6 is 4099999.9999999995
    assert type(parse_figure("x=2,5").low) is float
    assert parse_figure("x=1234.5678 million").low == 1234567800


def test_spec_writes_plain_digits():
    assert parse_figure("protesters=25 000").spec() == "protesters=25000"
    assert parse_figure("protesters=entre 1 500 et 12 000 soldats").spec() == "protesters=1500-12000 soldats"
    assert parse_figure("protesters=plus de 10\u202f000").spec() == "protesters=>10000"
    assert parse_figure("share=2,5 %").spec() == "share=2.5 %"
    assert Figure("share", "exact", 2.125, 2.125).spec() == "share=2.1250"  # "2.125" would be refused as ambiguous
    assert Figure("share", "exact", 1e-7, 1e-7).spec() == "share=0.0000001"  # never an exponent
    assert [plain_number(n) for n in (0, 25000, 2.5, 1234.5, 10.0)] == ["0", "25000", "2.5", "1234.5", "10.0"]


@pytest.mark.parametrize(
    "spec,message",
    [
        ("killed", "use MEASURE=VALUE"),
        ("killed=", "use MEASURE=VALUE"),
        ("=600", "use MEASURE=VALUE"),
        ("Killed Soldiers=600", "lowercase snake_case"),
        ("killed=abc", "the value must be"),
        ("killed=~", "the value must be"),
        ("sent=12000-1500", "low end is above its high end"),
        ("killed=600 " + "x" * 41, "longer than 40"),
        # a group after a thousands separator is exactly three digits: never 25 with a unit "00"
        ("protesters=25 00", "'25 00' is not a number: digits after a thousands separator come in groups of three"),
        ("protesters=2 5000", "'2 5000' is not a number"),
        ("protesters=25\u00a000", "is not a number"),
        ("protesters=1,234 567", "with the same separator throughout"),
        ("protesters=25'00 people", '"25\'00" is not a number'),
        ("protesters=600 2nd division", "a unit cannot start with a digit"),
        ("protesters=25  000", "a unit cannot start with a digit ('000')"),
        ("protesters=1,500,5", "'1,500,5' uses ',' both between thousands and before the decimals"),
        ("protesters=0,500", "a comma before exactly three digits separates thousands"),
        (
            "protesters=10.000",
            (
                "'10.000' is ambiguous (a dot also separates thousands in many languages): "
                "write 10000 for the whole number, or 10.0000 for the decimal"
            ),
        ),
        ("protesters=1.500.000", "'1.500' is ambiguous"),
        (
            "cost=1,5 billion",
            ("'1,5 billion' is ambiguous (a French billion is a million millions): write 1.5 billion, or 1,5 milliard"),
        ),
        ("displaced=1.2m", "m is not read as million (it could be metres): write 1.2 million, or 1.2 m"),
        ("displaced=500 to 2 million", "low end is above its high end (a scale word after the high end only"),
        ("killed=between 600", "the value must be"),
        ("killed=between 600 to 700", "the value must be"),
        ("killed=~600-700", "the value must be"),
        ("killed=600soldiers", "the value must be"),
        ("killed=99999999999999999999", "is larger than 1,000,000,000,000,000"),
        ("share=1.23456789012345678", "has more digits than a figure keeps exactly"),
    ],
)
def test_parse_figure_rejects(spec, message):
    with pytest.raises(InvalidValue) as e:
        parse_figure(spec)
    assert message in str(e.value)
    assert str(e.value).startswith(f"invalid figure {spec!r}: ")
    assert "\n" not in str(e.value)


def test_read_amount_and_range_for_running_text():
    assert read_amount("25 000 soldats", 0) == (25000, 6)
    assert read_amount("environ 1,2 million de personnes", 8) == (1200000, 19)
    assert read_amount("10.000 soldats", dot_groups=True) == (10000, 6)  # a French or German article
    with pytest.raises(InvalidValue, match="ambiguous"):
        read_amount("10.000 soldiers")
    assert parse_range("1", "2 millions") == (1000000, 2000000)
    with pytest.raises(InvalidValue, match="low end is above its high end"):
        parse_range("3 000", "2 000")


_UNIT = (
    st.text(st.sampled_from("abcdeéxyzKMÀ%'’.- "), min_size=1, max_size=40)
    .map(str.strip)
    .filter(lambda unit: unit and not re.match(rf"(?:{SCALE_PATTERN})(?!\w)", unit, re.I))
)  # a unit that begins with a scale word ("million people") is read as the scale: no parsed figure has one
_NUMBER = st.integers(0, MAX_FIGURE) | st.floats(0, MAX_FIGURE, allow_nan=False, allow_infinity=False)


@st.composite
def figures(draw):
    measure = draw(st.from_regex(r"[a-z][a-z0-9_]{0,63}", fullmatch=True))
    qualifier = draw(st.sampled_from(["exact", "about", "more_than", "at_least", "less_than", "up_to", "range"]))
    low, high = sorted([draw(_NUMBER), draw(_NUMBER)])
    low, high = {
        "exact": (low, low),
        "about": (low, low),
        "more_than": (low, None),
        "at_least": (low, None),
        "less_than": (None, high),
        "up_to": (None, high),
    }.get(qualifier, (low, high))
    return Figure(measure, qualifier, low, high, draw(st.none() | _UNIT))


@given(figures())
def test_spec_round_trips(figure):
    spec = figure.spec()
    assert parse_figure(spec) == figure
    assert re.fullmatch(r"[a-z0-9_]+=(?:~|>=|<=|>|<)?[0-9.]+(?:-[0-9.]+)?(?: .+)?", spec)  # plain digits


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
