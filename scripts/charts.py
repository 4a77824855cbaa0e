"""Charts drawn from the facts registry: bar, share and timeline (line).

data/charts.yml says which facts a chart shows (its schema is at the top of
that file); the numbers, labels and sources come only from data/facts.yml.
A page writes [[chart:ID]] on a line of its own; scripts/facts.py calls
figure_html() for it, which returns a <figure> with the chart as a
responsive image (scripts/images.py), a caption, and the same data as an
HTML table with numbers formatted exactly as facts are in the text
(約2割 / about 20%, 2,453万人 / 24.53 million people). The image is drawn
at 1200 px in BIZ UDPGothic with the same formatting (Babel via
scripts/formats.py), and write_images() publishes it under assets/charts/.

Accessibility: the table is the text alternative and is always shown;
bars are ≥ 3:1 against the background and text ≥ 4.5:1 (WCAG 1.4.11,
1.4.3); decreases differ from increases by a hatch pattern and a minus
sign, not only by colour (1.4.1).
"""
from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from scripts import datafiles
from scripts import CACHE, ROOT, cards, catalogs, facts, formats, images, languages
from scripts.problems import ContentError, Problem, relative

log = logging.getLogger("mkdocs.site.charts")

CHARTS_FILE = ROOT / "data" / "charts.yml"
CACHE_DIR = CACHE / "charts"
TYPES = ("bar", "share", "timeline")
VERSION = 1  # bump when the drawing changes

WIDTH = 1200  # drawn for screens up to the content column's 720 CSS px at 1.67× density
NARROW = 640  # the same text on a narrower canvas, for phones: twice as large on screen
PHONE = "(max-width: 37.5em)"  # 600 CSS px
PAD = 48
LABEL_SIZE = 30
VALUE_SIZE = 32
WHITE = (255, 255, 255)
TEXT = (26, 26, 26)  # 17:1 on white
AXIS = (89, 89, 89)  # #595959, 7:1 on white
INCREASE = (57, 73, 171)  # indigo 600, 7.3:1 on white
DECREASE = (168, 62, 0)  # #a83e00, 6.3:1 on white, drawn hatched
TRACK = (232, 234, 246)  # the empty part of a share bar, always outlined in AXIS

MINUS, PLUS = "−", "+"  # the sign of a change, in every language


def chart_words(lang: str) -> dict[str, str]:
    """The words around a chart, from the language's catalog (locales/)."""
    pgettext = catalogs.pgettext(lang)
    return {"bar": pgettext("chart", "Bar chart"), "share": pgettext("chart", "Share chart"), "timeline": pgettext("chart", "Timeline"),
            "alt": pgettext("chart", "%(kind)s: %(title)s. The figures are in the table below."),
            "item": pgettext("chart", "Item"), "value": pgettext("chart", "Figure"), "event": pgettext("chart", "Event"),
            "when": pgettext("chart", "When"), "table": pgettext("chart", "%(title)s (table)")}


@dataclass(frozen=True)
class Chart:
    id: str
    type: str
    facts: tuple[str, ...]
    title: dict[str, str]
    line: int


def load_charts(path: Path = CHARTS_FILE, facts_file: Path = facts.FACTS_FILE) -> dict[str, Chart]:
    """Read and check data/charts.yml against the facts registry; problems name their line."""
    return _load_cached(path, path.stat().st_mtime_ns, facts_file, facts_file.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _load_cached(path: Path, _mtime: int, facts_file: Path, _facts_mtime: int) -> dict[str, Chart]:
    registry = facts.load_registry(facts_file)
    text = path.read_text(encoding="utf-8")
    data, root = datafiles.parse(text, path, "bad-chart")
    lines = {key.value: key.start_mark.line + 1 for key, _ in (root.value if root else [])}
    charts, problems = {}, []
    langs = languages.written_in(key for spec in data.values() if isinstance(spec, dict)
                                 and isinstance(spec.get("title"), dict) for key in spec["title"])
    for chart_id, spec in data.items():
        line = lines.get(chart_id)
        spec = spec if isinstance(spec, dict) else {}
        kind, ids, title = spec.get("type"), spec.get("facts") or [], spec.get("title") or {}
        if kind not in TYPES:
            problems.append(_problem(path, line, f"chart '{chart_id}' has type '{kind}'.", f"use one of: {', '.join(TYPES)}."))
            continue
        if not isinstance(title, dict) or not all(title.get(lang) for lang in langs):
            problems.append(_problem(path, line, f"chart '{chart_id}' needs a title in every language ({', '.join(langs)}).",
                                     "add title: {ja: …, en: …}."))
            continue
        missing = [i for i in ids if i not in registry]
        if not ids or missing:
            problems.append(_problem(path, line, f"chart '{chart_id}' lists facts that do not exist: "
                                     f"{', '.join(map(str, missing)) or '(none listed)'}.",
                                     "list fact ids defined in data/facts.yml."))
            continue
        wanted = {"share": ("share",), "timeline": ("year", "month"), "bar": ("number", "compact")}[kind]
        wrong = [i for i in ids if registry[i].format not in wanted]
        if wrong:
            problems.append(_problem(path, line, f"chart '{chart_id}' ({kind}) cannot show {', '.join(wrong)} "
                                     f"(format {registry[wrong[0]].format}).",
                                     f"a {kind} chart shows facts with format {' or '.join(wanted)}."))
            continue
        charts[chart_id] = Chart(chart_id, kind, tuple(ids), dict(title), line or 0)
    if problems:
        raise ContentError(problems)
    return charts


def _problem(path: Path, line: int | None, message: str, fix: str) -> Problem:
    return Problem(rule="bad-chart", severity="error", file=relative(path), line=line, message=message, fix=fix)


def _chart(chart_id: str) -> Chart:
    charts = load_charts()
    if chart_id not in charts:
        raise ContentError([Problem(
            rule="unknown-chart", severity="error", file=relative(CHARTS_FILE),
            message=f"there is no chart called '{chart_id}'.",
            fix=f"use one of: {', '.join(charts)}; or add it to data/charts.yml.")])
    return charts[chart_id]


# ---------------------------------------------------------------- data as people read it


@dataclass(frozen=True)
class Row:
    label: str
    number: float  # for drawing
    text: str  # as in the page text: 約2割 / about 20%
    chart_text: str  # as on the chart: with a sign for changes


def rows(chart: Chart, lang: str) -> list[Row]:
    registry = facts.load_registry()
    out = []
    for fact_id in chart.facts:
        fact = registry[fact_id]
        text = facts.format_fact(fact, lang)
        chart_text = text
        if chart.type == "bar":
            sign = MINUS if fact.number < 0 else PLUS if fact.number > 0 else ""
            chart_text = sign + text
        out.append(Row(fact.label[lang], fact.number, text, chart_text))
    return out


def sources(chart: Chart, lang: str) -> str:
    registry = facts.load_registry()
    return facts.source_line((registry[i].source for i in chart.facts), lang)


# ---------------------------------------------------------------- drawing


def _wrap(text: str, lang: str, face, width: float) -> list[str]:
    return cards.wrap(text, lang, face, width)


def draw(chart: Chart, lang: str, width: int = WIDTH) -> Image.Image:
    """The chart at a canvas width: WIDTH for screens, NARROW (same text size) for phones."""
    data = rows(chart, lang)
    regular, bold = cards.find_font("Regular"), cards.find_font("Bold")
    label_face, value_face = regular.at(LABEL_SIZE), bold.at(VALUE_SIZE)
    return {"bar": _draw_bar, "share": _draw_share, "timeline": _draw_timeline}[chart.type](
        data, lang, label_face, value_face, width)


def _canvas(width: int, height: float):
    im = Image.new("RGB", (width, int(height)), WHITE)
    return im, ImageDraw.Draw(im)


def _hatch(im: Image.Image, box, colour):
    """Fill with diagonal stripes of colour on a light tint, so it reads without colour."""
    x0, y0, x1, y1 = (int(v) for v in box)
    if x1 - x0 < 1:
        return
    tile = Image.new("RGB", (x1 - x0, y1 - y0), tuple(int(c + (255 - c) * 0.75) for c in colour))
    g = ImageDraw.Draw(tile)
    for x in range(-(y1 - y0), x1 - x0, 14):
        g.line((x, y1 - y0, x + (y1 - y0), 0), fill=colour, width=6)
    im.paste(tile, (x0, y0))
    ImageDraw.Draw(im).rectangle((x0, y0, x1 - 1, y1 - 1), outline=colour, width=3)


def _draw_bar(data: list[Row], lang, label_face, value_face, width: int) -> Image.Image:
    inner = width - 2 * PAD
    label_lines = [_wrap(r.label, lang, label_face, inner) for r in data]
    bar_h, gap, line_h = 56, 36, LABEL_SIZE * 1.4
    text_room = max(value_face.getlength(r.chart_text) for r in data) + 16
    left = max([-r.number for r in data] + [0])
    right = max([r.number for r in data] + [0])
    span = (left + right) or 1
    # Values beside the bars when they leave the bars half the width; else on a line above each bar.
    beside = inner - text_room * ((left > 0) + (right > 0)) >= inner / 2
    value_h = 0 if beside else VALUE_SIZE * 1.4
    height = PAD + sum(len(ls) * line_h + 10 + value_h + bar_h + gap for ls in label_lines) - gap + PAD
    im, d = _canvas(width, height)
    bars = inner - text_room * ((left > 0) + (right > 0)) if beside else inner
    zero = PAD + (text_room if beside and left > 0 else 0) + bars * left / span
    y = PAD
    for r, ls in zip(data, label_lines):
        for line in ls:
            d.text((PAD, y), line, font=label_face, fill=TEXT, anchor="la")
            y += line_h
        y += 10
        length = bars * abs(r.number) / span
        if not beside:  # start the value at the bar's outer end, kept inside the canvas
            start = zero if r.number >= 0 else zero - length
            x = min(max(PAD, start), width - PAD - value_face.getlength(r.chart_text))
            d.text((x, y), r.chart_text, font=value_face, fill=TEXT, anchor="la")
            y += value_h
        if r.number >= 0:
            d.rectangle((zero, y, zero + length, y + bar_h), fill=INCREASE)
            if beside:
                d.text((zero + length + 12, y + bar_h / 2), r.chart_text, font=value_face, fill=TEXT, anchor="lm")
        else:
            _hatch(im, (zero - length, y, zero, y + bar_h), DECREASE)
            if beside:
                d.text((zero - length - 12, y + bar_h / 2), r.chart_text, font=value_face, fill=TEXT, anchor="rm")
        d.line((zero, y - 8, zero, y + bar_h + 8), fill=AXIS, width=3)  # zero, beside each bar only
        y += bar_h + gap
    return im


def _draw_share(data: list[Row], lang, label_face, value_face, width: int) -> Image.Image:
    inner = width - 2 * PAD
    label_lines = [_wrap(r.label, lang, label_face, inner) for r in data]
    bar_h, gap, line_h, tick_h = 56, 40, LABEL_SIZE * 1.4, 44
    height = PAD + sum(len(ls) * line_h + 10 + bar_h + tick_h + gap for ls in label_lines) - gap + PAD
    im, d = _canvas(width, height)
    text_room = max(value_face.getlength(r.chart_text) for r in data) + 20
    track = inner - text_room
    tick_face = label_face.font_variant(size=24)
    y = PAD
    for r, ls in zip(data, label_lines):
        for line in ls:
            d.text((PAD, y), line, font=label_face, fill=TEXT, anchor="la")
            y += line_h
        y += 10
        filled = track * max(0.0, min(1.0, r.number))
        d.rectangle((PAD, y, PAD + track, y + bar_h), fill=TRACK)
        d.rectangle((PAD, y, PAD + filled, y + bar_h), fill=INCREASE)
        d.rectangle((PAD, y, PAD + track, y + bar_h), outline=AXIS, width=3)
        d.line((PAD + filled, y, PAD + filled, y + bar_h), fill=AXIS, width=3)
        d.text((PAD + track + 20, y + bar_h / 2), r.chart_text, font=value_face, fill=TEXT, anchor="lm")
        for share in (0, 0.5, 1):
            x = PAD + track * share
            d.line((x, y + bar_h, x, y + bar_h + 10), fill=AXIS, width=3)
            anchor = {0: "la", 0.5: "ma", 1: "ra"}[share]
            d.text((x, y + bar_h + 12), formats.format_share(share, lang), font=tick_face, fill=AXIS, anchor=anchor)
        y += bar_h + tick_h + gap
    return im


def _draw_timeline(data: list[Row], lang, label_face, value_face, width: int) -> Image.Image:
    date_room = max(value_face.getlength(r.chart_text) for r in data) + 24
    # Dates left of the line when there is room; on a narrow canvas, above each label instead.
    stacked = width - 2 * PAD - date_room < width * 0.6
    axis_x = PAD + 13 if stacked else PAD + date_room + 16
    text_x = axis_x + 40
    label_lines = [_wrap(r.label, lang, label_face, width - PAD - text_x) for r in data]
    lines = [len(ls) + stacked for ls in label_lines]  # a stacked date takes a line
    line_h = LABEL_SIZE * 1.4
    # Space grows with the time between events (up to 10 years), so the line reads as time.
    ys, y = [], PAD + 10
    for i, r in enumerate(data):
        if i:
            years = max(0.0, r.number - data[i - 1].number)
            y += max(lines[i - 1] * line_h + 28, 70 + min(years, 10) * 18)
        ys.append(y)
    height = ys[-1] + lines[-1] * line_h + PAD
    im, d = _canvas(width, height)
    d.line((axis_x, ys[0] + 18, axis_x, ys[-1] + 18), fill=AXIS, width=4)
    for r, ls, y in zip(data, label_lines, ys):
        mid = y + 18
        d.ellipse((axis_x - 13, mid - 13, axis_x + 13, mid + 13), fill=INCREASE, outline=WHITE, width=4)
        if stacked:
            d.text((text_x, mid), r.chart_text, font=value_face, fill=TEXT, anchor="lm")
        else:
            d.text((axis_x - 28, mid), r.chart_text, font=value_face, fill=TEXT, anchor="rm")
        for j, line in enumerate(ls, start=int(stacked)):
            d.text((text_x, mid + j * line_h), line, font=label_face, fill=TEXT, anchor="lm")
    return im


def chart_png(chart: Chart, lang: str, width: int = WIDTH, cache_dir: Path = CACHE_DIR) -> Path:
    """The drawn chart, cached under a hash of everything drawn on it."""
    fonts = [cards.find_font(w) for w in ("Regular", "Bold")]
    spec = [VERSION, chart.type, chart.title[lang], lang, width, [r.__dict__ for r in rows(chart, lang)],
            [(f.path, f.index) for f in fonts]]
    key = hashlib.sha256(json.dumps(spec, ensure_ascii=False).encode()).hexdigest()
    path = cache_dir / f"{chart.id}.{lang}.{width}.{key[:16]}.png"
    if not path.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
        draw(chart, lang, width).save(tmp, "PNG", compress_level=6)
        tmp.replace(path)
    return path


# ---------------------------------------------------------------- HTML and files


def image_stem(chart_id: str) -> str:
    return f"assets/charts/{chart_id}"


def relative_url(target: str, page_url: str) -> str:
    """A site path as seen from a page (page_url as MkDocs gives it: "" or "plan/x/")."""
    base = "/" + page_url if page_url.endswith("/") or not page_url else posixpath.dirname("/" + page_url)
    return posixpath.relpath("/" + target, base)


def figure_html(chart_id: str, lang: str, page_url: str) -> str:
    """The chart for one page: <figure> with <picture>, caption, data table and source."""
    chart = _chart(chart_id)
    words = chart_words(lang)
    title = chart.title[lang]
    wide, narrow = (images.plan(chart_png(chart, lang, width), profile=images.FLAT) for width in (WIDTH, NARROW))
    alt = words["alt"] % {"kind": words[chart.type], "title": title}
    stem = relative_url(image_stem(chart_id), page_url)
    # Phones get the narrow drawing: the same text, twice as large on screen.
    phone = images.sources_html(narrow, stem + "-narrow", "100vw", PHONE, narrow.formats)
    picture = images.picture_html(wide, stem, {"alt": alt}, before=phone)
    head = (words["event"], words["when"]) if chart.type == "timeline" else (words["item"], words["value"])
    body = "".join(f'<tr><th scope="row">{html.escape(r.label)}</th><td>{html.escape(r.text)}</td></tr>'
                   for r in rows(chart, lang))
    e = html.escape
    # Caption first (read before the chart), then the chart, then its data and source.
    return (f'<figure class="chart chart--{chart.type}" id="chart-{e(chart_id)}">'
            f'<figcaption>{e(title)}</figcaption>'
            f'{picture}'
            f'<table class="chart__data"><caption>{e(words["table"] % {"title": title})}</caption>'
            f'<thead><tr><th scope="col">{e(head[0])}</th><th scope="col">{e(head[1])}</th></tr></thead>'
            f'<tbody>{body}</tbody></table>'
            f'<p class="chart__source">{e(sources(chart, lang))}</p></figure>')


def write_images(site_dir: Path | str, lang: str, cache_dir: Path | str = images.CACHE_DIR) -> dict:
    """Publish every chart for one language under site_dir/assets/charts/ (wide and narrow)."""
    plans = {}
    for chart_id, chart in load_charts().items():
        if lang not in chart.title:  # data/charts.yml has no wording in this language yet
            continue
        plans[image_stem(chart_id)] = images.plan(chart_png(chart, lang, WIDTH), profile=images.FLAT)
        plans[image_stem(chart_id) + "-narrow"] = images.plan(chart_png(chart, lang, NARROW), profile=images.FLAT)
    _, failures, encoded = images.encode_all(list(plans.values()), cache_dir, label="Charts")
    if failures:
        raise next(iter(failures.values()))
    for stem, plan in plans.items():
        images.publish(plan, cache_dir, site_dir, stem)
    log.info(f"Charts: {encoded} images encoded, {len(plans) - encoded} from cache")
    return {"images": len(plans), "encoded": encoded}
