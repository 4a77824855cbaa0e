"""Words around the lesson data: labels, UI strings, facts and furigana.

UI strings are English msgids translated through the site's gettext catalogs
(locales/<lang>/LC_MESSAGES/messages.po), the same ones the templates use.
"""
from __future__ import annotations

import functools
import html
import re
from pathlib import Path


from scripts import datafiles
from scripts import ROOT, catalogs, languages
from scripts.catalogs import N_
from scripts import facts as facts_module
from scripts.lessons.model import GRADE_YEAR, GRADES, PRIMARY, SUBJECTS, Lesson

PLACEHOLDER = re.compile(r"\[\[fact:([^\]\s]+)\]\]")
# The licence's text in each language (the catalogs: the Digital Agency publishes it in Japanese and English).
PDL_URL = N_("https://www.digital.go.jp/en/resources/open_data/public_data_license_v1.0")
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/"

gettext = catalogs.gettext  # `_` for a language: English msgid -> translated string
pgettext = catalogs.pgettext


def pdl_url(lang: str) -> str:
    return gettext(lang)(PDL_URL)


# --- labels -------------------------------------------------------------------

def _grade_args(grade: str) -> dict:
    year = GRADE_YEAR[grade]
    return {"year": year, "school_year": year - 6 if grade not in PRIMARY else year}


def grade_name(grade: str, lang: str) -> str:
    """小4 / Grade 4; 中1 / Grade 7: a grade by itself (the catalogs name them)."""
    pgettext = catalogs.pgettext(lang)
    if grade in PRIMARY:
        return pgettext("grade", "Grade %(year)d") % _grade_args(grade)
    return pgettext("grade, lower secondary", "Grade %(year)d") % _grade_args(grade)


def grade_label(grade: str, lang: str) -> str:
    """小4 / Grade 4; lower secondary in English says so: Grade 7 (junior high 1)."""
    if grade in PRIMARY:
        return grade_name(grade, lang)
    _ = gettext(lang)
    return _("%(grade)s (junior high %(school_year)d)") % {"grade": grade_name(grade, lang),
                                                          **_grade_args(grade)}


def _range_args(grades: tuple[str, ...], lang: str, label) -> dict:
    return {"first": label(grades[0], lang), "last": label(grades[-1], lang),
            "first_year": GRADE_YEAR[grades[0]], "last_year": GRADE_YEAR[grades[-1]]}


def grades_label(grades: tuple[str, ...], lang: str) -> str:
    """小4, 小5・小6, 中1〜中3 / Grade 4, Grades 5–6, Grades 7–9."""
    if len(grades) == 1:
        return grade_label(grades[0], lang)
    pgettext = catalogs.pgettext(lang)
    if len(grades) == 2:
        return pgettext("two grades", "Grades %(first_year)d–%(last_year)d") % _range_args(grades, lang, grade_name)
    return pgettext("grades", "Grades %(first_year)d–%(last_year)d") % _range_args(grades, lang, grade_name)


def _grade_long(grade: str, lang: str) -> str:
    pgettext = catalogs.pgettext(lang)
    if grade in PRIMARY:
        return pgettext("school year", "Grade %(year)d") % _grade_args(grade)
    return pgettext("school year, lower secondary", "Grade %(year)d") % _grade_args(grade)


def grades_long(grades: tuple[str, ...], lang: str) -> str:
    """For schema.org educationalLevel: 小学5年〜小学6年 / Grades 5–6."""
    if len(grades) == 1:
        return _grade_long(grades[0], lang)
    pgettext = catalogs.pgettext(lang)
    return pgettext("school years", "Grades %(first_year)d–%(last_year)d") % _range_args(grades, lang, _grade_long)


def subject_label(subject: str, lang: str) -> str:
    return gettext(lang)(SUBJECTS[subject]["name"])


def school_label(school: str, lang: str) -> str:
    """小学校 / Primary."""
    _ = gettext(lang)
    return {"小学校": _("Primary"), "中学校": _("Lower secondary")}[school]


def time_label(lesson: Lesson, lang: str) -> str:
    """2時間（45分×2） / 2 periods (2 × 45 minutes)."""
    _ = gettext(lang)
    if lesson.periods == 1:
        return _("1 period (%(minutes)d minutes)") % {"minutes": lesson.period_minutes}
    return _("%(periods)d periods (%(periods)d × %(minutes)d minutes)") % {
        "periods": lesson.periods, "minutes": lesson.period_minutes}


def uses_label(lesson: Lesson, lang: str) -> str:
    """小4 社会（小5 社会でも） / Grade 4 social studies (also Grade 5 social studies)."""
    first = f"{grades_label(lesson.grades, lang)} {subject_label(lesson.subject, lang)}"
    if not lesson.also:
        return first
    _ = gettext(lang)
    others = languages.get(lang).comma.join(
        f"{grades_label(g, lang)} {subject_label(s, lang)}" for g, s in lesson.also)
    return _("%(first)s (also %(others)s)") % {"first": first, "others": others}


def codes_label(lesson: Lesson, lang: str) -> str:
    """The codes for the metadata line, or 「コード未記載」 / "No code given"."""
    _ = gettext(lang)
    return ", ".join(lesson.codes) if lesson.codes else _("No code given")


def code_items(lesson: Lesson, lang: str) -> list[dict]:
    """One entry per code: for whom, the item number, the official text, the code and its URI."""
    _ = gettext(lang)
    # The official text exists in Japanese only: other languages link to it.
    return [{"code": row.code, "for": row.for_whom(lang), "section": row.section_label(lang),
             "text": row.text if languages.is_source(lang) else _("in Japanese at %(uri)s") % {"uri": row.uri},
             "short": row.short[lang], "uri": row.uri} for row in lesson.code_rows]


def codes_source(lang: str) -> str:
    _ = gettext(lang)
    return _("Codes and item texts: MEXT Course of Study codes (CC BY 4.0), via the Course of Study Linked Data "
             "(jp-cos).")


def periods_label(periods: int, lang: str) -> str:
    _ = gettext(lang)
    return _("1 period") if periods == 1 else _("%(periods)d periods") % {"periods": periods}


def minutes_label(minutes: int, lang: str) -> str:
    _ = gettext(lang)
    return _("%(minutes)d min") % {"minutes": minutes}


def size_label(size: int, lang: str) -> str:
    """123 KB / 1.2 MB, numbers formatted for the language."""
    from scripts.formats import format_number

    if size < 1000 * 1000:
        return f"{format_number(max(1, round(size / 1000)), lang)} KB"
    return f"{format_number(round(size / 1000 / 1000, 1), lang)} MB"


# --- explainer pages -------------------------------------------------------------

def page_url(page: str) -> str:
    """fields/x.md -> fields/x/ ; trust/index.md -> trust/ (directory URLs)."""
    stem = page[:-3] if page.endswith(".md") else page
    if stem == "index":
        return ""
    return (stem[: -len("index")] if stem.endswith("/index") else stem + "/")


def explainer(page: str, lang: str) -> dict:
    """Title, description, one-sentence summary and 'what the plan will do'
    bullets of an explainer page, as plain text with facts filled in."""
    path = ROOT / "docs" / lang / page
    return _explainer(path, lang, path.stat().st_mtime_ns)


# Headings of every explainer page (their text, without the {#id}), as each language writes them.
SECTION_ONE_SENTENCE = N_("In one sentence")
SECTION_PLAN = N_("What the draft outline says")


@functools.lru_cache(maxsize=64)
def _explainer(path: Path, lang: str, _mtime: int) -> dict:
    source = path.read_text(encoding="utf-8")
    meta, body = {}, source
    match = re.match(r"\A---\n(.*?)\n---\n(.*)\Z", source, re.S)
    if match:
        meta, body = datafiles.load(match.group(1)) or {}, match.group(2)
    sections = _sections(body)
    _ = gettext(lang)
    summary = _first_paragraph(sections.get(_(SECTION_ONE_SENTENCE), ""))
    bullets = _first_list(sections.get(_(SECTION_PLAN), ""))
    registry = facts_module.load_registry()
    return {
        "title": str(meta.get("title") or ""),
        "description": plain(str(meta.get("description") or ""), lang, registry),
        "summary": plain(summary, lang, registry) if summary else "",
        "themes": [plain(b, lang, registry) for b in bullets],
    }


def _sections(body: str) -> dict[str, str]:
    out, current, lines = {}, None, []
    for line in body.splitlines():
        heading = re.match(r"^##\s+(.*?)\s*(\{[^}]*\})?\s*$", line)
        if heading:
            if current:
                out[current] = "\n".join(lines)
            current, lines = heading.group(1).strip(), []
        elif current:
            lines.append(line)
    if current:
        out[current] = "\n".join(lines)
    return out


def _first_paragraph(text: str) -> str:
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [l.strip() for l in block.splitlines() if l.strip()]
        if lines and not lines[0].startswith(("-", "*", "<", "[[", "|", "!!!", "#")):
            return "".join(lines) if not re.search(r"[A-Za-z]$", lines[0]) else " ".join(lines)
    return ""


def _first_list(text: str) -> list[str]:
    items = []
    for line in text.splitlines():
        m = re.match(r"^\s*[-*]\s+(.*)", line)
        if m:
            items.append(m.group(1).strip())
        elif items and line.strip() == "":
            break
    return items


def plain(markdown: str, lang: str, registry=None) -> str:
    """Markdown snippet -> plain text: facts formatted, links and marks removed."""
    registry = registry or facts_module.load_registry()
    text = PLACEHOLDER.sub(lambda m: facts_module.format_fact(registry[m.group(1)], lang)
                           if m.group(1) in registry else "", markdown)
    text = re.sub(r"\{([^{}|\s]+)(?:\|[^{}|\s]*)+\}", r"\1", text)  # {漢字|かんじ} readings
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`]", "", text)
    # Where words are not spaced, a line break in the source is no space.
    return " ".join(text.split()) if languages.get(lang).spaced else re.sub(r"\s*\n\s*", "", text).strip()


# --- facts and furigana in printed documents ----------------------------------------

def note_marker(number: int, lang: str) -> str:
    """〔注1〕 / [1]: a note marker that can never read as an exponent ("震度7²") or run
    into the number when copied ("震度71"), unlike a superscript digit."""
    _ = gettext(lang)
    return _("[%(number)d]") % {"number": number}


def bridge_text(fact, lang: str) -> str:
    """For pupils who have not met shares yet (割合 is 小5 算数): 約2割 -> 10回のうち2回くらい.
    Worked out from the fact's own value, so it can never disagree with it."""
    tenths = round(float(fact.value) * 10)
    _ = gettext(lang)
    return _("about %(tenths)d times in 10") % {"tenths": tenths}


class Notes:
    """Facts used in one document, numbered in order of first use, with sources.

    furigana_grade: readings over kanji above that grade (primary worksheets and slides);
    bridge: shares also said as "so many times in ten" (a class below 小5)."""

    def __init__(self, lang: str, furigana_grade: int | None = None, bridge: bool = False, phrases: bool = False):
        self.lang = lang
        # Large type (posters, slides): Japanese breaks only between BudouX phrases, so no line starts
        # with a small kana or ー and no line is a lone 「す。」 (WeasyPrint has no strict kinsoku).
        writing = languages.get(lang).writing
        self.phrases = phrases and writing.phrase_breaks
        self.grade = furigana_grade if writing.furigana else None  # readings are for Japanese text only
        self.writing = writing
        self.bridge = bridge
        self.registry = facts_module.load_registry()
        self.ids: list[str] = []

    def number(self, fact_id: str) -> int:
        if fact_id not in self.ids:
            self.ids.append(fact_id)
        return self.ids.index(fact_id) + 1

    def marker(self, fact_id: str) -> str:
        return f'<span class="note-ref">{note_marker(self.number(fact_id), self.lang)}</span>'

    def _words(self, text: str) -> str:
        if self.phrases and text:
            from scripts import phrases

            cuts = [0, *phrases.boundaries(text), len(text)]
            return "".join(f'<span class="phrase">{self._plain_words(text[a:b])}</span>'
                           for a, b in zip(cuts, cuts[1:]))
        return self._plain_words(text)

    def _plain_words(self, text: str) -> str:
        if self.grade is None:
            return html.escape(text, quote=False)
        from scripts import furigana

        return print_ruby(furigana.ruby_html(text, self.grade))

    def _value(self, fact) -> str:
        """The fact's value as HTML: with readings for young pupils (割, 震 in 約2割, 震度7)
        and, below 小5, a share also said in words they know."""
        out = self._words(facts_module.format_fact(fact, self.lang))
        if self.bridge and fact.format == "share":
            words = self._words(bridge_text(fact, self.lang))
            out += self.writing.brackets(words)
        return out

    def html(self, text: str, notes: bool = True) -> str:
        """Escaped HTML: facts as <span class="fact">約2割</span><span class="note-ref">〔注1〕</span>."""
        out, last = [], 0
        for m in PLACEHOLDER.finditer(text):
            out.append(self._words(text[last:m.start()]))
            fact = self.registry[m.group(1)]
            out.append(f'<span class="fact">{self._value(fact)}</span>')
            if notes:
                out.append(self.marker(fact.id))
            last = m.end()
        out.append(self._words(text[last:]))
        return "".join(out)

    def plain(self, text: str) -> str:
        return plain(text, self.lang, self.registry)

    def fact(self, fact_id: str) -> dict:
        fact = self.registry[fact_id]
        value = facts_module.format_fact(fact, self.lang)
        label = fact.label[self.lang]
        # A label that already holds the value (「…震度（北海道で初めての震度7）」) shows it once, in place,
        # instead of repeating it after a colon.
        inline = value in label
        if inline:
            before, after = label.split(value, 1)
            label_html = (self._words(before) + f'<span class="fact">{self._value(fact)}</span>'
                          + self._words(after))
        else:
            label_html = self._words(label)
        return {"value": self._value(fact), "long": len(value) > 9, "label": label_html, "inline": inline,
                "note": self.number(fact_id), "marker": note_marker(self.number(fact_id), self.lang)}

    def sources(self) -> list[str]:
        """Each source, led by its marker: 〔注1〕出典：… / [1] Source: …"""
        return [f"{note_marker(n, self.lang)}{self.writing.space}"
                f"{facts_module.source_text(self.registry[i], self.lang)}" for n, i in enumerate(self.ids, 1)]


def source_line(fact_ids, lang: str) -> str:
    """One short source line for a chart or slide: the document and its sections."""
    registry = facts_module.load_registry()
    return facts_module.source_line((registry[fact_id].source for fact_id in fact_ids), lang)


def phrase_html(text: str, lang: str) -> str:
    """Escaped HTML where a Japanese title breaks only between phrases (BudouX,
    scripts/phrases.py): each phrase is an inline block (print.css .phrase)."""
    if not languages.get(lang).writing.phrase_breaks:
        return html.escape(text, quote=False)
    from scripts import phrases

    cuts = [0, *phrases.boundaries(text), len(text)]
    return "".join(f'<span class="phrase">{html.escape(text[a:b], quote=False)}</span>' for a, b in zip(cuts, cuts[1:]))


RUBY = re.compile(r"<ruby>(.*?)<rp>\(</rp><rt>(.*?)</rt><rp>\)</rp></ruby>")


def print_ruby(markup: str) -> str:
    """Ruby that WeasyPrint prints well and that copies as plain text.

    WeasyPrint has no ruby layout, so each reading is an absolutely positioned
    box at its static place (right after its word) moved back over the word:
    the widths are whole characters (kana and kanji are full-width), so the
    offset is known here. The <ruby> itself is not positioned, so the base
    text is drawn in reading order and copy-paste gives 自然災害から…, with the
    readings after the text rather than inside words (print.css: rt)."""
    def place(match: re.Match) -> str:
        base, reading = match.group(1), match.group(2)
        word = 2 * len(html.unescape(base))  # in reading-size em (readings are half size)
        width = max(word, len(html.unescape(reading)))
        return (f'<ruby>{base}<rt style="width: {width}em; margin-left: {-(width + word) / 2:g}em">'
                f"{reading}</rt></ruby>")

    return RUBY.sub(place, markup)


def needs_bridge(lesson: Lesson) -> bool:
    """Shares (割合) are taught in 小5 算数: a lesson for a younger class says them in words too."""
    return GRADES.index(lesson.grades[0]) < GRADES.index("小5")


def furigana_grade(lesson: Lesson) -> int | None:
    """Primary worksheets: readings on kanji not yet learnt by the youngest grade
    in the band (a 小4 class knows the kanji of grades 1–3)."""
    if not lesson.primary:
        return None
    return int(lesson.grades[0][1]) - 1


def lesson_ids_sorted(lessons: list[Lesson]) -> list[Lesson]:
    """Youngest grade first, then by title."""
    return sorted(lessons, key=lambda l: (GRADES.index(l.grades[0]), len(l.grades), l.id))
