"""Dates and numbers for each page's locale, from Babel's CLDR data.

Used by templates (as Jinja filters) and by the facts registry, so the same
number reads "2,453万" on the Japanese page and "24.53 million" in English.
"""
from __future__ import annotations

import datetime as dt
import re

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_compact_decimal, format_decimal, format_percent

_LEADING_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?")


def format_date(value: dt.date | dt.datetime | str, locale: str, fmt: str = "long") -> str:
    """2026年11月29日 / November 29, 2026."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return _babel_date(value, format=fmt, locale=locale)


def format_number(value: float, locale: str) -> str:
    """Plain number with the locale's grouping: 1,234 / 1,234."""
    return format_decimal(value, locale=locale)


def format_compact(value: float, locale: str, fraction_digits: int = 2) -> str:
    """Large counts in words: 1億 / 100 million, 2,453万 / 24.53 million.

    CLDR's Japanese compact pattern is "0万" without grouping, so the leading
    number is formatted again with the locale's grouping (2453万 -> 2,453万).
    """
    # Words where the locale has them (100 million); CJK locales have only the short form (1億).
    fmt_type = "long" if "long" in Locale.parse(locale, sep="-").compact_decimal_formats else "short"
    text = format_compact_decimal(value, locale=locale, format_type=fmt_type, fraction_digits=fraction_digits)
    match = _LEADING_NUMBER.match(text)
    if not match:
        return text
    number = float(match.group(0))
    grouped = format_decimal(number, locale=locale, decimal_quantization=False)
    return grouped + text[match.end():]


def format_share(value: float, locale: str) -> str:
    """A share given as a fraction: 0.2 -> 20%."""
    return format_percent(value, locale=locale)


def format_month(value: dt.date, locale: str) -> str:
    """A month: 2018年7月 / July 2018 (CLDR's yMMMM skeleton)."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", value, locale=locale)


def format_share_words(value: float, locale: str) -> str:
    """Shares as people say them: 2割 in Japanese (tenths), 20% in English. A whole number of
    tenths is said the language's way (its catalog, locales/: "%(tenths)s割"), else as a percentage."""
    tenths = value * 10
    percent = format_percent(value, locale=locale)
    if abs(tenths - round(tenths)) < 1e-9 and 0 < round(tenths) < 10:
        from scripts import catalogs

        pgettext = catalogs.pgettext(locale)
        return pgettext("share in tenths", "%(percent)s") % {
            "percent": percent, "tenths": format_decimal(round(tenths), locale=locale)}
    return percent
