"""Dates and numbers come from Babel's locale data for each language."""
import datetime as dt

import pytest

from scripts.formats import format_compact, format_date, format_number, format_share


@pytest.mark.parametrize("locale, expected", [("ja", "2026年11月29日"), ("en", "November 29, 2026")])
def test_dates(locale, expected):
    assert format_date(dt.date(2026, 11, 29), locale) == expected
    assert format_date("2026-11-29", locale) == expected


@pytest.mark.parametrize("value, ja, en", [
    (100_000_000, "1億", "100 million"),
    (24_530_000, "2,453万", "24.53 million"),
    (4_540_000, "454万", "4.54 million"),
    (5_180_000, "518万", "5.18 million"),
])
def test_compact_counts(value, ja, en):
    assert format_compact(value, "ja") == ja
    assert format_compact(value, "en") == en


def test_plain_numbers_and_shares():
    assert format_number(24530000, "ja") == "24,530,000"
    assert format_share(0.2, "en") == "20%"
    assert format_share(0.5, "ja") == "50%"
