"""HTML for every printed or projected file: worksheet, teacher guide, slides,
infographics and posters. Each function returns one self-contained HTML
document (CSS inlined, no external files), so the HTML text alone decides the
PDF and PNG bytes: downloads.py hashes it to find the file in the cache.
"""
from __future__ import annotations

import functools
from pathlib import Path

import jinja2
from markupsafe import Markup

from scripts import datafiles
from scripts import ROOT
from scripts import facts as facts_module
from scripts.lessons import text as T
from scripts.lessons.model import CRITERIA, FIELDS, PRIORITY_FIELDS, Lesson, Poster

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT_FAMILY = "BIZ UDPGothic"  # fonts-morisawa-bizud-gothic; embeds cleanly as a subset


@functools.lru_cache(maxsize=4)
def _env(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    _ = T.gettext(lang)
    env.install_gettext_callables(gettext=_, ngettext=lambda s, p, n: _(s) if n == 1 else _(p), newstyle=False)
    env.filters["css_string"] = _css_string
    return env


def _css_string(value) -> Markup:
    """A CSS string literal that can never end the <style> element early."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return Markup(f'"{text}"')


def _render(template: str, lang: str, **context) -> str:
    return _env(lang).get_template(template).render(lang=lang, font=FONT_FAMILY, **context)


def charts_config() -> dict:
    return datafiles.load((ROOT / "data" / "charts.yml").read_text(encoding="utf-8")) or {}


def chart(chart_id: str, notes: T.Notes) -> dict:
    """A chart from data/charts.yml as plain data for templates/_chart.html."""
    spec = charts_config()[chart_id]
    _ = T.gettext(notes.lang)
    registry = facts_module.load_registry()
    items = []
    facts = [registry[f] for f in spec["facts"]]
    biggest = max((abs(f.number) for f in facts), default=1) or 1
    for fact in facts:
        value = facts_module.format_fact(fact, notes.lang)
        item = {"label": Markup(notes._words(fact.label[notes.lang])), "note": notes.number(fact.id),
                "value": value}
        if spec["type"] == "share":
            item["filled"] = round(float(fact.value) * 10)
        elif spec["type"] == "bar":
            up = float(fact.value) >= 0
            item["up"] = up
            item["width"] = round(abs(fact.number) / biggest * 100, 1)
            item["value"] = (_("up %(value)s") if up else _("down %(value)s")) % {"value": value}
        items.append(item)
    if spec["type"] == "timeline":
        items = [i for _n, i in sorted(zip((f.number for f in facts), items), key=lambda p: p[0])]
    return {"id": chart_id, "type": spec["type"], "title": Markup(notes._words(spec["title"][notes.lang])),
            "items": items}


def _common(lesson: Lesson | None, lang: str, site: dict) -> dict:
    return {"site_name": site["name"][lang], "publisher": site["publisher"][lang], "official": site["official"],
            "pdl_url": T.pdl_url(lang),
            # Framing lines (templates/_framing.html): dates, the final plan, contact, preview mark.
            "framing": site["framing"][lang], "preview": site["preview"], "contact": site["contact"],
            "site_url": site["root_url"] + site["paths"][lang]}


def _lesson_context(lesson: Lesson, lang: str, notes: T.Notes, site: dict) -> dict:
    h = lambda s: Markup(notes.html(s))  # noqa: E731
    field_page = FIELDS[lesson.field]
    return {
        **_common(lesson, lang, site),
        "lesson": lesson,
        "title": lesson.title[lang],
        "title_html": Markup(notes._words(lesson.title[lang]) if notes.grade is not None
                             else T.phrase_html(lesson.title[lang], lang)),
        "summary": h(lesson.summary[lang]),
        "question": h(lesson.question[lang]),
        "grades": T.grades_label(lesson.grades, lang),
        "subject": T.subject_label(lesson.subject, lang),
        "uses": T.uses_label(lesson, lang),
        "code_items": T.code_items(lesson, lang),
        "code_note": lesson.code_note[lang] if lesson.code_note else None,
        "codes_label": T.codes_label(lesson, lang),
        "codes_source": T.codes_source(lang),
        "time": T.time_label(lesson, lang),
        "objectives": [h(o[lang]) for o in lesson.objectives],
        "url": site["root_url"] + site["paths"][lang] + f"teachers/{lesson.id}/",
        "field_title": T.explainer(field_page, lang)["title"],
        "field_url": site["root_url"] + site["paths"][lang] + T.page_url(field_page),
    }


def worksheet(lesson: Lesson, lang: str, site: dict) -> str:
    """The pupil's sheet. Model answers are never on it (they are in the guide), and a task
    that asks for a source does not have that source printed as a note on the same sheet."""
    # Phrases too: a line never breaks inside a word (「資料か/ら」), which matters most for young readers.
    notes = T.Notes(lang, T.furigana_grade(lesson), bridge=T.needs_bridge(lesson), phrases=True)
    hidden = {m for t in lesson.worksheet if not t.source_on_sheet for m in T.PLACEHOLDER.findall(t.prompt[lang])}
    # Notes are numbered in reading order: the question, the facts box, the tasks, then the rest.
    question = Markup(notes.html(lesson.question[lang]))
    facts = [notes.fact(f) for f in lesson.facts if f not in hidden]
    tasks = [{"prompt": Markup(notes.html(t.prompt[lang], notes=t.source_on_sheet)), "lines": t.lines}
             for t in lesson.worksheet]
    handouts = [{"title": Markup(notes.html(h.title[lang])), "items": [Markup(notes.html(i[lang])) for i in h.items]}
                for h in lesson.handouts]
    ctx = _lesson_context(lesson, lang, notes, site)
    ctx.update(question=question, facts=facts, tasks=tasks, handouts=handouts)
    ctx["furigana"] = notes.grade is not None
    ctx["sources"] = notes.sources()  # last: every fact above has its number now
    return _render("worksheet.html", lang, **ctx)


def guide(lesson: Lesson, lang: str, site: dict, files: list[str]) -> str:
    notes = T.Notes(lang, bridge=T.needs_bridge(lesson))
    ctx = _lesson_context(lesson, lang, notes, site)
    h = lambda s: Markup(notes.html(s))  # noqa: E731
    ctx["periods"] = [
        {"number": p, "activities": [{"minutes": T.minutes_label(a.minutes, lang), "title": a.title[lang],
                                      "text": h(a.text[lang])}
                                     for a in lesson.activities if a.period == p]}
        for p in range(1, lesson.periods + 1)]
    ctx["period_minutes"] = lesson.period_minutes
    ctx["materials"] = [h(m[lang]) for m in lesson.materials]
    ctx["questions"] = [h(q[lang]) for q in lesson.questions]
    ctx["assessment"] = [h(a[lang]) for a in lesson.assessment]
    _ = T.gettext(lang)
    ctx["placement"] = h(lesson.placement[lang]) if lesson.placement else None
    ctx["criteria"] = [{"aspect": name, "text": h(lesson.criteria[key][lang])}
                       for key, name in zip(CRITERIA, (_("Knowledge and skills"), _("Thinking, judgement and expression"),
                                                       _("Attitude to learning")))
                       if key in lesson.criteria]
    ctx["answers"] = [{"prompt": h(t.prompt[lang]), "answer": h(t.answer[lang])} for t in lesson.worksheet]
    ctx["board"] = [h(b[lang]) for b in lesson.board]
    ctx["care"] = [h(c[lang]) for c in lesson.care]
    ctx["handouts"] = [{"title": h(x.title[lang]), "items": [h(i[lang]) for i in x.items]} for x in lesson.handouts]
    ctx["key_points"] = [h(k[lang]) for k in lesson.key_points]
    ctx["background"] = [
        {"text": h(b.text[lang]), "title": T.explainer(b.page, lang)["title"],
         "url": site["root_url"] + site["paths"][lang] + T.page_url(b.page)} for b in lesson.background]
    ctx["files"] = files
    ctx["attribution"] = attribution(lesson, lang, site)
    ctx["sources"] = notes.sources()
    return _render("guide.html", lang, **ctx)


def slides(lesson: Lesson, lang: str, site: dict) -> tuple[str, int]:
    """The deck as HTML, and how many slides it has (each must fit one page)."""
    notes = T.Notes(lang, T.furigana_grade(lesson), bridge=T.needs_bridge(lesson), phrases=True)
    ctx = _lesson_context(lesson, lang, notes, site)
    h = lambda s: Markup(notes.html(s, notes=False))  # noqa: E731
    _ = T.gettext(lang)
    deck = [{"kind": "title"},
            {"kind": "question", "heading": _("The big question"), "body": ctx["question"]},
            {"kind": "list", "heading": _("Today's goals"), "items": [h(o[lang]) for o in lesson.objectives]}]
    registry = facts_module.load_registry()
    for fact_id in lesson.facts:
        fact = notes.fact(fact_id)
        deck.append({"kind": "fact", "heading": _("From the plan"), "fact": fact,
                     "long": len(facts_module.format_fact(registry[fact_id], lang)) > 9,
                     "source": T.source_line([fact_id], lang)})
    for chart_id in lesson.infographics:
        data = chart(chart_id, notes)
        deck.append({"kind": "chart", "heading": data["title"], "chart": data,
                     "sources": [T.source_line(charts_config()[chart_id]["facts"], lang)]})
    deck.append({"kind": "list", "heading": _("What the draft outline says"), "items": [h(k[lang]) for k in lesson.key_points]})
    deck.append({"kind": "list", "heading": _("Let's discuss"), "items": [h(q[lang]) for q in lesson.questions],
                 "numbered": True})
    deck.append({"kind": "end"})
    ctx["deck"] = deck
    ctx["furigana"] = notes.grade is not None
    ctx["attribution"] = attribution(lesson, lang, site)
    return _render("slides.html", lang, **ctx), len(deck)


def infographic(chart_id: str, lang: str, site: dict, grade: int | None = None) -> str:
    notes = T.Notes(lang, grade)
    data = chart(chart_id, notes)
    sources = [T.source_line(charts_config()[chart_id]["facts"], lang)]
    return _render("infographic.html", lang, chart=data, title=charts_config()[chart_id]["title"][lang],
                   sources=sources, furigana=notes.grade is not None, **_common(None, lang, site))


POSTER_PAPERS = {"A4": (210, 297), "A3": (297, 420)}
def poster_variants(codes) -> tuple[str, ...]:
    """One poster per language, and the source language beside each other one (ja, en, ja-en)."""
    codes = tuple(codes)
    return (*codes, *(f"{codes[0]}-{code}" for code in codes[1:]))


def poster(item: Poster, variant: str, paper: str, site: dict) -> str:
    """variant: ja, en, or ja-en (bilingual: the source language first, the other beneath)."""
    langs = variant.split("-")
    blocks = []
    for lang in langs:
        notes = T.Notes(lang, phrases=True)
        page = FIELDS[item.field]
        info = T.explainer(page, lang)
        themes = [Markup(T.phrase_html(t, lang)) for t in (info["themes"] or [notes.plain(t[lang]) for t in item.themes])]
        _ = T.gettext(lang)
        blocks.append({
            "lang": lang,
            "number": PRIORITY_FIELDS.index(item.field) + 1,
            # The header says draft and (unless official) unofficial: a wall poster must not read as MLIT's.
            "kicker": _("Priority field %(n)d in the draft outline of the Technology Basic Plan") % {
                "n": PRIORITY_FIELDS.index(item.field) + 1} + ("" if site["official"] else " · " + _("unofficial explainer")),
            "title": info["title"],
            "title_html": Markup(T.phrase_html(info["title"], lang)),
            "summary": Markup(T.phrase_html(info["summary"] or info["description"], lang)),
            "themes_heading": _("What the draft outline says"),
            "themes": themes,
            "facts": [notes.fact(f) for f in item.facts],
            "chart": chart(item.chart, notes) if item.chart else None,
            "url": site["root_url"] + site["paths"][lang] + T.page_url(page),
            "source": T.source_line(list(item.facts) + (charts_config()[item.chart]["facts"] if item.chart else []),
                                    lang),
        })
    if len(blocks) > 1 and blocks[0]["chart"] and blocks[1]["chart"]:
        # The bilingual poster draws one chart: every label in both languages, English beneath.
        other = blocks[1]
        merged = dict(blocks[0]["chart"])
        merged["items"] = [{**item, "label": Markup(f'{item["label"]}<span class="en" lang="{other["lang"]}">'
                                                      f'{theirs["label"]}</span>')}
                           for item, theirs in zip(blocks[0]["chart"]["items"], other["chart"]["items"])]
        blocks[0] = {**blocks[0], "chart": merged}
    main = blocks[0]["lang"]
    width, height = POSTER_PAPERS[paper]
    # A bilingual poster says what it is in both languages: the framing lines again, in the other one.
    others = [Markup(_render("_framing.html", b["lang"], **_common(None, b["lang"], site))) for b in blocks[1:]]
    return _render("poster.html", main, blocks=blocks, paper=paper, width=width, height=height,
                   bilingual=len(blocks) > 1, other_framing=others, **_common(None, main, site))


def attribution(lesson: Lesson, lang: str, site: dict) -> str:
    """The credit line teachers copy (PDL1.0's own example format)."""
    url = site["root_url"] + site["paths"][lang] + f"teachers/{lesson.id}/"
    _ = T.gettext(lang)
    return _("Source: %(site)s, “%(title)s” (%(url)s), PDL1.0 (%(pdl)s)") % {
        "site": site["name"][lang], "title": lesson.title[lang], "url": url, "pdl": T.pdl_url(lang)}


README_NAME = "README.txt"  # in every language: an ASCII name, as old unzip tools garble others


def readme_text(lesson: Lesson, lang: str, site: dict) -> str:
    """A short note for the teacher who opens the ZIP: which file is for what, in plain words."""
    _ = T.gettext(lang)
    url = site["root_url"] + site["paths"][lang] + f"teachers/{lesson.id}/"
    file = {kind: f"{lesson.id}-{kind}-{lang}.pdf" for kind in ("worksheet", "teacher-guide", "slides")}
    lines = [
        _("Lesson pack “%(title)s”: read me first") % {"title": lesson.title[lang]},
        "",
        _("For: %(uses)s. Time: %(time)s.") % {"uses": T.uses_label(lesson, lang), "time": T.time_label(lesson, lang)},
        "",
        _("What is in this folder"),
        _("- %(file)s: the worksheet. Print one A4 copy per student.") % {"file": file["worksheet"]},
        _("- %(file)s: the teacher guide, with goals, lesson flow, assessment criteria,") % {
            "file": file["teacher-guide"]},
        _("  a board plan, notes on sensitive topics and model answers. The model answers are for you only."),
        _("- %(file)s: slides to show in class. The slides folder has each slide as an image.") % {
            "file": file["slides"]},
        _("- infographics folder: the plan's numbers as pictures."),
    ]
    if lesson.field != "trust":
        lines.append(_("- poster folder: an A4 poster for the classroom. A3 is on the lesson page."))
    lines += [
        _("- LICENSE.txt: how you may use the files, and how to credit them."),
        _("- manifest.json: a list of the files. You do not need to read it."),
        "",
        _("Lesson page: %(url)s") % {"url": url},
    ]
    return "\n".join(lines) + "\n"


def license_text(lesson: Lesson, lang: str, site: dict) -> str:
    """LICENSE.txt in each ZIP: the terms, the credit line to copy, the content's source."""
    _ = T.gettext(lang)
    url = site["root_url"] + site["paths"][lang] + f"teachers/{lesson.id}/"
    lines = [
        _("Lesson pack “%(title)s”: terms of use") % {"title": lesson.title[lang]},
        "",
        _("The worksheet, teacher guide, slides, infographics and poster in this pack"),
        _("are published under the Public Data License 1.0 (PDL1.0). Anyone may copy,"),
        _("share, translate and adapt them, also for commercial use."),
        _("PDL1.0 is compatible with Creative Commons Attribution 4.0 International (CC BY 4.0)."),
        _("Licence text: %(url)s") % {"url": T.pdl_url(lang)},
        _("CC BY 4.0: %(url)s") % {"url": T.CC_BY_URL},
        "",
        _("When you use them, credit the source like this (copy it as it is):"),
        attribution(lesson, lang, site),
        "",
        _("If you change them, say so as well, for example:"),
        _("Adapted by [your name] from %(site)s, “%(title)s” (%(url)s)") % {
            "site": site["name"][lang], "title": lesson.title[lang], "url": url},
        "",
    ] + _license_framing(site, lang)
    lines.append(_("Font: BIZ UDPGothic (SIL Open Font License 1.1), embedded in the PDFs."))
    return "\n".join(lines) + "\n"


def _license_framing(site: dict, lang: str) -> list[str]:
    """LICENSE.txt: who made the pack, how to reach them, and what it explains (scripts/publisher.py,
    data/facts.yml). Every language comes from the same settings."""
    _ = T.gettext(lang)
    f = site["framing"][lang]
    site_url = site["root_url"] + site["paths"][lang]
    lines = [_("Made by: %(publisher)s (%(url)s)") % {"publisher": site["publisher"][lang], "url": site_url}]
    if site["contact"]:
        lines.append(_("Contact: %(contact)s") % {"contact": site["contact"]})
    if site["repository"]:
        lines.append(_("Repository: %(url)s") % {"url": site["repository"]})
    lines += [_("Content source: %(document)s (Document 1-2), compiled at MLIT's technical committee in %(compiled)s.")
              % {"document": _(facts_module.DOCUMENT), "compiled": f["compiled"]},
              _("The final plan (the 5th MLIT Technology Basic Plan) was adopted in %(adopted)s for "
                "%(first_year)s to %(last_year)s: %(plan_url)s") % f]
    if not site["official"]:
        lines.append(_("This is not an official website of the Ministry of Land, Infrastructure, Transport and "
                       "Tourism (MLIT)."))
    if site["preview"]:
        lines.append(_("Preview - not for publication: the publisher settings are still placeholders."))
    return lines
