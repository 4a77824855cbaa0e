"""Charts from the facts registry: drawn in both languages, with the data
as a table formatted like the facts in the text, accessible colours, and
clear errors for unknown or mismatched charts."""
from __future__ import annotations

import re

import pytest
from PIL import Image, ImageChops

from scripts import charts, facts
from scripts.problems import ContentError


def table_rows(figure: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', figure)


@pytest.mark.parametrize("chart_id, lang, expected", [
    ("population-change", "ja", ["454万人", "2,453万人", "518万人"]),
    ("population-change", "en", ["4.54 million people", "24.53 million people", "5.18 million people"]),
    ("earthquake-share", "ja", ["約2割"]),
    ("earthquake-share", "en", ["about 20%"]),
    ("disaster-timeline", "ja", ["2018年7月", "2019年", "2020年7月", "2021年8月"]),
    ("disaster-timeline", "en", ["July 2018", "2019", "July 2020", "August 2021"]),
])
def test_table_shows_the_figures_formatted_for_the_language(chart_id, lang, expected):
    figure = charts.figure_html(chart_id, lang, "plan/social-changes/")
    rows = table_rows(figure)
    assert [value for _, value in rows] == expected
    registry = facts.load_registry()
    chart = charts.load_charts()[chart_id]
    # The same words as the facts in the page text.
    assert [label for label, _ in rows] == [registry[i].label[lang].replace("'", "&#x27;") for i in chart.facts]
    assert [value for _, value in rows] == [facts.format_fact(registry[i], lang) for i in chart.facts]


def test_figure_structure_and_relative_image_urls():
    figure = charts.figure_html("population-change", "ja", "plan/social-changes/")
    assert figure.startswith('<figure class="chart chart--bar" id="chart-population-change"><figcaption>')
    assert "<figcaption>年齢別の人口の変化の見込み</figcaption><picture>" in figure
    assert '<source type="image/webp" srcset="../../assets/charts/population-change-' in figure
    # Phones get the narrow drawing (same text size on a narrower canvas), with its own size.
    assert re.search(r'<source type="image/webp" media="\(max-width: 37.5em\)" width="640" height="\d+" '
                     r'srcset="\.\./\.\./assets/charts/population-change-narrow-\w+-480w\.webp 480w, ', figure)
    assert re.search(r'<img src="\.\./\.\./assets/charts/population-change-\w+-960w\.png"', figure)
    assert 'alt="棒グラフ：年齢別の人口の変化の見込み。数値は下の表のとおりです。"' in figure
    assert '<th scope="col">項目</th><th scope="col">数値</th>' in figure
    assert "出典：新たな国土交通省技術基本計画骨子（案）（資料1-2） 第1章 1.(2)③" in figure
    home = charts.figure_html("population-change", "en", "")
    assert 'srcset="assets/charts/population-change-' in home
    assert "Source: Draft outline of the new MLIT Technology Basic Plan (Document 1-2), Chapter 1, 1.(2)③" in home
    assert 'alt="Bar chart: Expected change in population by age group. The figures are in the table below."' in home


def test_unknown_chart_is_a_content_error():
    with pytest.raises(ContentError) as err:
        charts.figure_html("no-such-chart", "ja", "")
    assert "data/charts.yml" in str(err.value) and "no-such-chart" in str(err.value)


def test_chart_of_the_wrong_kind_names_its_line(tmp_path):
    bad = tmp_path / "charts.yml"
    bad.write_text("ok:\n  type: share\n  facts: [large-earthquakes-share]\n  title: {ja: 割合, en: Share}\n"
                   "wrong:\n  type: timeline\n  facts: [large-earthquakes-share]\n  title: {ja: 年表, en: Timeline}\n",
                   encoding="utf-8")
    with pytest.raises(ContentError) as err:
        charts.load_charts(bad)
    (problem,) = err.value.problems
    assert problem.line == 5 and "cannot show large-earthquakes-share" in problem.message


@pytest.mark.parametrize("width", [charts.WIDTH, charts.NARROW])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_chart_draws_in_both_languages_inside_its_margins(lang, width):
    for chart in charts.load_charts().values():
        im = charts.draw(chart, lang, width)
        assert im.width == width and 150 < im.height < 2000, chart.id
        # Something is drawn in the text colour (labels) and the bar colours.
        colours = {c for _, c in im.getcolors(1 << 20)}
        assert charts.TEXT in colours and (charts.INCREASE in colours or charts.DECREASE in colours), chart.id
        left, top, right, bottom = ImageChops.difference(im, Image.new("RGB", im.size, charts.WHITE)).getbbox()
        margin = charts.PAD // 2
        assert left >= margin and top >= margin and right <= width - margin and bottom <= im.height - margin, \
            (chart.id, (left, top, right, bottom))


def test_chart_labels_are_the_formatted_numbers():
    """The number drawn on the bar chart is the Japanese formatting: a different
    string would draw different pixels."""
    chart = charts.load_charts()["population-change"]
    rows = charts.rows(chart, "ja")
    assert [r.chart_text for r in rows] == ["+454万人", "−2,453万人", "−518万人"]
    assert [r.chart_text for r in charts.rows(chart, "en")][1] == "−24.53 million people"


def contrast(a, b) -> float:
    def lum(c):
        channel = [v / 255 for v in c]
        channel = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in channel]
        return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_colours_are_accessible():
    assert contrast(charts.TEXT, charts.WHITE) >= 4.5 and contrast(charts.AXIS, charts.WHITE) >= 4.5
    for bar in (charts.INCREASE, charts.DECREASE):
        assert contrast(bar, charts.WHITE) >= 3
    assert contrast(charts.AXIS, charts.TRACK) >= 3  # the outline of a share bar's empty part


def test_decrease_is_not_shown_by_colour_alone():
    """In greyscale the decrease bars still differ from the increase bar (hatching)."""
    chart = charts.load_charts()["population-change"]
    grey = charts.draw(chart, "ja").convert("L")
    values = [grey.getpixel((x, y)) for x in range(0, grey.width, 3) for y in range(0, grey.height, 3)]
    increase = round(0.299 * charts.INCREASE[0] + 0.587 * charts.INCREASE[1] + 0.114 * charts.INCREASE[2])
    assert sum(1 for v in values if abs(v - increase) <= 2) > 50  # the solid bar
    hatch_tint = tuple(int(c + (255 - c) * 0.75) for c in charts.DECREASE)
    tint = Image.new("RGB", (1, 1), hatch_tint).convert("L").getpixel((0, 0))
    assert sum(1 for v in values if abs(v - tint) <= 2) > 50  # stripes' light ground


@pytest.mark.parametrize("lang, prefix", [("ja", ""), ("en", "en/")])
def test_built_page_shows_charts_with_existing_images(built_site, lang, prefix):
    page = built_site / prefix / "plan/social-changes/index.html"
    html = page.read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="chart.*?</figure>', html, re.S)
    assert len(figures) >= 5
    for figure in figures:
        assert "<table" in figure and "<picture>" in figure
        for url in re.findall(r'(?:src|srcset)="([^"]+)"', figure):
            for candidate in url.split(", "):
                target = (page.parent / candidate.split(" ")[0]).resolve()
                assert target.is_file(), candidate


def _span(value) -> tuple[float, float]:
    """The time a timeline value covers, in years: 2019 -> the whole year; "2018-07" -> July."""
    text = str(value)
    if "-" in text:
        year, month = map(int, text.split("-"))
        return year + (month - 1) / 12, year + month / 12
    return int(text), int(text) + 1


@pytest.mark.parametrize("chart_id", [c for c, chart in charts.load_charts().items() if chart.type == "timeline"])
def test_timelines_are_in_order_and_never_guess_a_month(chart_id):
    """Each event ends before the next begins: a year-only event beside a month of the same
    year (2018 and July 2018) cannot be ordered without a date the outline does not give."""
    registry = facts.load_registry()
    spans = [_span(registry[i].value) for i in charts.load_charts()[chart_id].facts]
    for (ids, earlier), later in zip(zip(charts.load_charts()[chart_id].facts, spans), spans[1:]):
        assert earlier[1] <= later[0], f"{chart_id}: {ids} is not clearly before the next event"


def test_the_order_check_catches_a_year_beside_a_month_of_that_year():
    assert not _span(2018)[1] <= _span("2018-07")[0]
    assert not _span("2018-07")[1] <= _span(2018)[0]
    assert _span("2018-07")[1] <= _span(2019)[0]
