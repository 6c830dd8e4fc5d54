"""Partial dates: parsing, the order across precisions, and formatting per language."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.content.dates import DateError, PartialDate, Precision, parse_full_date, parse_partial_date
from dossier.pages.i18n import Messages


@pytest.mark.parametrize(
    "text,expected,precision",
    [
        ("2019", PartialDate(2019), Precision.YEAR),
        ("2022-08", PartialDate(2022, 8), Precision.MONTH),
        ("2022-02-24", PartialDate(2022, 2, 24), Precision.DAY),
        ("2024-02-29", PartialDate(2024, 2, 29), Precision.DAY),
    ],
)
def test_parse(text, expected, precision):
    date = parse_partial_date(text)
    assert date == expected
    assert date.precision is precision
    assert date.iso() == text


@pytest.mark.parametrize("text", ["2022-02-30", "2023-02-29", "2022-13", "2022-00", "2022-04-31", "22-01-01", "2022/01/01", "2022-1-1", "", "heute"])
def test_parse_refuses(text):
    with pytest.raises(DateError):
        parse_partial_date(text)


def test_full_date_needs_a_day():
    with pytest.raises(DateError, match="full date"):
        parse_full_date("2022-09")


def test_year_sorts_before_its_months_and_a_month_before_its_days():
    dates = [parse_partial_date(t) for t in ["2022-09-05", "2022-09", "2023", "2022", "2022-01-31", "2021-12-31"]]
    assert [d.iso() for d in sorted(dates)] == ["2021-12-31", "2022", "2022-01-31", "2022-09", "2022-09-05", "2023"]


@pytest.mark.parametrize(
    "language,text,expected",
    [
        ("de", "2022-02-24", "24. Februar 2022"),
        ("en", "2022-02-24", "24 February 2022"),
        ("en-US", "2022-02-24", "February 24, 2022"),
        ("de", "2022-08", "August 2022"),
        ("en", "2022-03", "March 2022"),
        ("de", "2022-03", "März 2022"),
        ("de", "2019", "2019"),
    ],
)
def test_format(language, text, expected):
    assert Messages.for_language(language).date(parse_partial_date(text)) == expected


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)), st.sampled_from([1, 2, 3]))
def test_every_real_date_round_trips_and_orders_like_the_calendar(day, precision):
    text = day.isoformat()[: {1: 4, 2: 7, 3: 10}[precision]]
    date = parse_partial_date(text)
    assert date.iso() == text
    assert date.first_day() <= day
    assert date <= PartialDate(day.year, day.month, day.day)
