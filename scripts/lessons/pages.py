"""What a teacher sees on the site: lesson pages, the lesson finder, JSON-LD.

A lesson page is docs/<lang>/teachers/<id>.md with `lesson: <id>` in its front
matter; the build writes its body from data/lessons/<id>.yml here, before the
facts and glossary steps, so [[fact:ID]] works in lesson text as on any page.
The finder is the full list in HTML (it works without JavaScript);
lesson-finder.js only hides the lessons that do not match the filters.
"""
from __future__ import annotations

import html
import json

from scripts import languages
from scripts.lessons import text as T
from scripts.lessons.model import CRITERIA, FIELDS, GRADES, SUBJECTS, Lesson

FINDER = "[[lesson-finder]]"
POSTERS = "[[lesson-posters]]"


def _esc(value: str) -> str:
    return html.escape(value, quote=True)


def _cell(value: str) -> str:
    """Text safe inside a Markdown table cell."""
    return value.replace("|", "\\|").replace("\n", " ")


def lesson_markdown(lesson: Lesson, lang: str, downloads: list, poster_downloads: list, intro: str = "") -> str:
    """The whole body of a lesson page, in Markdown (headings feed the TOC and search)."""
    _ = T.gettext(lang)
    field = T.explainer(FIELDS[lesson.field], lang)
    out = [f"# {lesson.title[lang]}", "", lesson.summary[lang], ""]
    if intro.strip():
        out += [intro.strip(), ""]
    facts = [
        (_("Grade"), T.grades_label(lesson.all_grades, lang) if lesson.also else T.grades_label(lesson.grades, lang)),
        (_("Subject"), T.uses_label(lesson, lang) if lesson.also else T.subject_label(lesson.subject, lang)),
        (_("Time"), T.time_label(lesson, lang)),
        (_("Course of Study code"), T.codes_label(lesson, lang)),
    ]
    out.append('<dl class="lesson-facts">')
    code_class = ' class="lesson-facts__code"'
    out += [f"<div{code_class if i == 3 else ''}><dt>{_esc(k)}</dt><dd>{_esc(v)}</dd></div>"
            for i, (k, v) in enumerate(facts)]
    out += ["</dl>", ""]
    big_question = _("The big question")
    out += [f'!!! question "{big_question}"', "", f"    {lesson.question[lang]}", ""]

    heading = _("Downloads")
    out += [f"## {heading}", ""] + _downloads_markdown(lesson, lang, downloads, poster_downloads, field) + [""]

    heading = _("Learning objectives")
    out += [f"## {heading}", ""]
    out += [f"{i}. {o[lang]}" for i, o in enumerate(lesson.objectives, 1)] + [""]

    heading = _("Course of Study")
    out += [f"## {heading}", ""]
    for item in T.code_items(lesson, lang):
        out.append("- " + _("Item: %(for)s %(section)s “%(short)s” (code [%(code)s](%(uri)s))") % item)
        out.append("    - " + _("Official text: %(text)s") % item)
    if not lesson.codes:
        out.append(_("No code given. Use it as %(uses)s.") % {"uses": T.uses_label(lesson, lang)})
    out.append("")
    if lesson.code_note:
        out += [lesson.code_note[lang], ""]
    if lesson.codes:
        out += [f"<small>{_esc(T.codes_source(lang))}</small>", ""]

    heading = _("Lesson flow")
    out += [f"## {heading}", ""]
    columns = (_("Minutes"), _("Activity"), _("What students do"))
    for period in range(1, lesson.periods + 1):
        if lesson.periods > 1:
            out += ["### " + _("Period %(n)d (%(minutes)d minutes)") % {"n": period, "minutes": lesson.period_minutes}, ""]
        out += ["| " + " | ".join(columns) + " |", "| --- | --- | --- |"]
        for a in (a for a in lesson.activities if a.period == period):
            out.append(f"| {T.minutes_label(a.minutes, lang)} | {_cell(a.title[lang])} | {_cell(a.text[lang])} |")
        out.append("")

    if lesson.placement:
        out += ["## " + _("Where this lesson sits in the unit"), "", lesson.placement[lang], ""]
    for heading, items in ((_("Materials"), lesson.materials), (_("Discussion questions"), lesson.questions)):
        out += [f"## {heading}", ""] + [f"- {item[lang]}" for item in items] + [""]
    # 評価規準: one line per 観点 (the model answers are in the teacher guide only).
    aspects = (_("Knowledge and skills"), _("Thinking, judgement and expression"), _("Attitude to learning"))
    out += ["## " + _("Assessment criteria"), ""]
    colon = languages.get(lang).colon
    out += [f"- **{name}**{colon}{lesson.criteria[key][lang]}"
            for key, name in zip(CRITERIA, aspects) if key in lesson.criteria] + [""]
    for heading, items in ((_("Assessment ideas"), lesson.assessment), (_("Board plan"), lesson.board),
                           (_("Notes on sensitive topics"), lesson.care)):
        out += [f"## {heading}", ""] + [f"- {item[lang]}" for item in items] + [""]
    out += [_("Model answers for every worksheet question are in the teacher guide (PDF)."), ""]

    heading = _("Background for the teacher")
    out += [f"## {heading}", ""]
    for item in lesson.background:
        title = T.explainer(item.page, lang)["title"]
        more = _("More: [%(title)s](%(link)s)") % {"title": title, "link": f"../{item.page}"}
        out += [f"{item.text[lang]} {more}", ""]
    out += [_("What the draft outline says about this field:"), ""] + [f"- {p[lang]}" for p in lesson.key_points] + [""]

    heading = _("Reuse and attribution")
    out += [f"## {heading}", ""]
    out.append(_("You may copy, share and adapt these materials, also for commercial use, under the Public Data "
                 "License 1.0 ([PDL1.0](%(pdl)s)), which is compatible with CC BY 4.0. Each ZIP has the "
                 "attribution text to copy in LICENSE.txt.") % {"pdl": T.pdl_url(lang)})
    out.append("")
    return "\n".join(out)


def _link(label: str, download) -> str:
    return f"[{label}](downloads/{download.path.split('teachers/downloads/', 1)[1]})"


def _downloads_markdown(lesson: Lesson, lang: str, downloads: list, poster_downloads: list, field: dict) -> list[str]:
    _ = T.gettext(lang)
    by_kind: dict[str, list] = {}
    for d in downloads:
        by_kind.setdefault(d.kind, []).append(d)
    size = lambda d: T.size_label(d.size, lang)  # noqa: E731
    out = []
    for d in by_kind.get("zip", []):
        out.append("- " + _link(_("Everything in one ZIP (%(size)s)") % {"size": size(d)}, d) + " "
                   + _("— all the files below, a short README, and the terms of use with the credit line to copy."))
    for kind, label in (("worksheet", _("Worksheet (PDF, A4, %(pages)s, %(size)s)")),
                        ("guide", _("Teacher guide (PDF, A4, %(pages)s, %(size)s)")),
                        ("slides-pdf", _("Slides (PDF, 16:9, %(pages)s, %(size)s)"))):
        for d in by_kind.get(kind, []):
            pages = _("1 page") if d.pages == 1 else _("%(n)d pages") % {"n": d.pages}
            out.append("- " + _link(label % {"pages": pages, "size": size(d)}, d))
    slides = by_kind.get("slide", [])
    if slides:
        links = ", ".join(_link(_("Slide %(n)d") % {"n": i}, d) for i, d in enumerate(slides, 1))
        out.append("- " + _("Slide images (PNG, 1920 × 1080): %(links)s") % {"links": links})
    for d in by_kind.get("infographic", []):
        out.append("- " + _link(_("Infographic: %(title)s (PNG, %(size)s)") % {"title": d.title, "size": size(d)}, d))
    if poster_downloads:
        out.append("- " + _("Poster “%(title)s”:") % {"title": field["title"]})
        for variant in sorted({d.variant for d in poster_downloads}, key=lambda v: (v != lang, v)):
            items = [d for d in poster_downloads if d.variant == variant]
            brackets = languages.get(lang).brackets
            links = ", ".join(_link(f"{d.paper} {d.format}{brackets(size(d))}", d) for d in items)
            name = variant_name(variant, lang)
            out.append(f"    - {name}: {links}")
    return out


def variant_name(variant: str, lang: str) -> str:
    """A poster's language, for the download list: 英語 / English, or bilingual (ja-en)."""
    if "-" in variant:
        _ = T.gettext(lang)
        return _("bilingual")
    return languages.display_name(variant, lang)


# --- the finder ---------------------------------------------------------------------

def topic_label(field: str, lang: str) -> str:
    """A short name for a field in the finder: 防災 rather than the field's full title."""
    _ = T.gettext(lang)
    names = {"disaster-resilience": _("Disasters"), "infrastructure-maintenance": _("Looking after infrastructure"),
             "livable-communities": _("Communities"), "economic-foundations": _("Supply chains and the economy"),
             "digital-transformation": _("Digital technology"), "decarbonization": _("Climate and decarbonization"),
             "trust": _("Trust and information")}
    return names[field]


def finder_html(lessons: list[Lesson], lang: str, url_of) -> str:
    """All lessons as a list, with filters that lesson-finder.js switches on.

    Filters are groups of radio buttons, so each choice is one click (a teacher finds
    the 小5 社会 disaster lesson in three: 小5, 防災, the lesson). A lesson that suits
    several classes lists each (grade, subject) pair in data-uses.
    url_of(lesson) gives the lesson page's URL relative to the finder page."""
    _ = T.gettext(lang)
    lessons = T.lesson_ids_sorted(lessons)
    grades = [g for g in GRADES if any(g in l.all_grades for l in lessons)]
    subjects = [s for s in SUBJECTS if any(s in l.all_subjects for l in lessons)]
    topics = [f for f in FIELDS if any(l.field == f for l in lessons)]
    periods = sorted({l.periods for l in lessons})

    def group(name: str, label: str, options: list[tuple[str, str]], all_label: str) -> str:
        choices = [("", all_label), *options]
        inputs = "".join(
            f'<label class="lesson-finder__choice"><input type="radio" name="{name}" value="{_esc(v)}"'
            f'{" checked" if not v else ""}> {_esc(t)}</label>' for v, t in choices)
        return (f'<fieldset class="lesson-finder__field" data-filter="{name}">'
                f'<legend>{_esc(label)}</legend>{inputs}</fieldset>')

    label = {"filter": _("Filter lessons"), "reset": _("Show all lessons"), "grade": _("Grade"),
             "subject": _("Subject"), "time": _("Time"), "field": _("Topic"), "code": _("Course of Study code"),
             "empty": _("No lesson matches these filters. Choose “All” in one of them.")}
    label = {key: _esc(value) for key, value in label.items()}
    form = "".join([
        f'<form class="lesson-finder__form" hidden aria-label="{label["filter"]}">',
        group("grade", _("Grade"), [(g, T.grade_label(g, lang)) for g in grades], _("All grades")),
        group("subject", _("Subject"), [(SUBJECTS[s]["slug"], T.subject_label(s, lang)) for s in subjects],
              _("All subjects")),
        group("topic", _("Topic"), [(f, topic_label(f, lang)) for f in topics], _("All topics")),
        group("periods", _("Time"), [(str(p), T.periods_label(p, lang)) for p in periods], _("Any length")),
        f'<button type="reset" class="md-button">{label["reset"]}</button>',
        "</form>",
        # Shown before the first paint when scripts run, so the list below does not jump
        # down when lesson-finder.js loads (layout shift, Lighthouse CLS; browser gate).
        "<script>document.currentScript.previousElementSibling.hidden = false;</script>",
    ])
    cards = []
    for lesson in lessons:
        uses = " ".join(f"{g}|{SUBJECTS[s]['slug']}" for grades_, s in lesson.uses for g in grades_)
        cards.append(
            f'<li class="lesson-card" data-uses="{_esc(uses)}" data-topic="{_esc(lesson.field)}" '
            f'data-periods="{lesson.periods}">'
            f'<h3 class="lesson-card__title"><a href="{_esc(url_of(lesson))}">{_esc(lesson.title[lang])}</a></h3>'
            f'<p class="lesson-card__summary">{_esc(lesson.summary[lang])}</p>'
            f'<dl class="lesson-card__meta">'
            f'<div><dt>{label["grade"]}</dt><dd>{_esc(T.uses_label(lesson, lang))}</dd></div>'
            f'<div><dt>{label["time"]}</dt><dd>{_esc(T.time_label(lesson, lang))}</dd></div>'
            f'<div><dt>{label["field"]}</dt><dd>{_esc(topic_label(lesson.field, lang))}</dd></div>'
            f'<div><dt>{label["code"]}</dt><dd>{_esc(T.codes_label(lesson, lang))}</dd></div>'
            f"</dl></li>")
    count_one = _("1 lesson matches.")
    count_other = _("%(count)s lessons match.")
    return "".join([
        f'<div class="lesson-finder" data-lesson-finder data-count-one="{_esc(count_one)}" '
        f'data-count-other="{_esc(count_other)}">',
        form,
        '<p class="lesson-finder__status" role="status" aria-live="polite"></p>',
        f'<ul class="lesson-finder__list">{"".join(cards)}</ul>',
        f'<p class="lesson-finder__empty" hidden>{label["empty"]}</p>',
        "</div>",
    ])


def poster_label(download, lang: str) -> str:
    """A4 PDF, 1 page, 230 KB: what the link gives, before anyone clicks it."""
    _ = T.gettext(lang)
    size = T.size_label(download.size, lang)
    if download.format == "PDF":
        pages = _("1 page") if download.pages == 1 else _("%(n)d pages") % {"n": download.pages}
        return _("%(paper)s PDF, %(pages)s, %(size)s") % {"paper": download.paper, "pages": pages, "size": size}
    return _("%(paper)s image (PNG, 300 dpi), %(size)s") % {"paper": download.paper, "size": size}


def posters_markdown(posters: list, lang: str, downloads_by_field: dict) -> str:
    """The poster list on the teachers' page: one line per priority field."""
    _ = T.gettext(lang)
    out = []
    for poster in posters:
        title = T.explainer(FIELDS[poster.field], lang)["title"]
        items = downloads_by_field.get(poster.field, [])
        parts = []
        for variant in sorted({d.variant for d in items}, key=lambda v: (v != lang, v)):
            name = variant_name(variant, lang)
            links = ", ".join(f"[{poster_label(d, lang)}](downloads/{d.path.split('teachers/downloads/', 1)[1]})"
                              for d in items if d.variant == variant)
            parts.append(f"{name}: {links}")
        out.append(f"- **{title}** — " + "; ".join(parts))
    return "\n".join(out) + "\n"


# --- JSON-LD --------------------------------------------------------------------------

def json_ld(lesson: Lesson, lang: str, url: str, downloads: list, publisher: dict | str) -> str:
    """schema.org LearningResource for a lesson page, safe inside <script>."""
    _ = T.gettext(lang)
    level = T.grades_long(lesson.grades, lang)
    subject = T.subject_label(lesson.subject, lang)
    alignment = [
        {"@type": "AlignmentObject", "alignmentType": "educationalSubject", "targetName": subject},
        {"@type": "AlignmentObject", "alignmentType": "educationalLevel", "targetName": level},
    ]
    for row in lesson.code_rows:
        alignment.append({
            "@type": "AlignmentObject", "alignmentType": "teaches",
            "educationalFramework": _("Course of Study (Japan, MEXT)"),
            "targetName": row.code, "targetDescription": row.text, "targetUrl": row.uri,
        })
    data = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "name": lesson.title[lang],
        "description": lesson.summary[lang],
        "url": url,
        "inLanguage": lang,
        "educationalLevel": level,
        "timeRequired": f"PT{lesson.minutes}M",
        "teaches": [T.plain(o[lang], lang) for o in lesson.objectives],
        "learningResourceType": ["lesson plan", "worksheet", "presentation", "infographic"],
        "educationalUse": "instruction",
        "audience": {"@type": "EducationalAudience", "educationalRole": "teacher"},
        "about": subject,
        "educationalAlignment": alignment,
        "license": T.pdl_url(lang),
        "isAccessibleForFree": True,
        # An Organization from the publisher settings (scripts/publisher.py: name, url, email).
        "publisher": publisher if isinstance(publisher, dict) else {"@type": "Organization", "name": publisher},
        "associatedMedia": [
            {"@type": "MediaObject", "name": d.filename, "contentUrl": d.url,
             "encodingFormat": d.media_type, "contentSize": f"{d.size} B"}
            for d in downloads if d.kind in ("zip", "worksheet", "guide", "slides-pdf")
        ],
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    return text.replace("</", "<\\/")  # never closes the <script> early
