"""Lesson data: read data/lessons/*.yml and check it, naming file and line.

One YAML file per lesson holds both languages side by side (`{ja: …, en: …}`),
so the minutes, grades and codes are written once and the two languages can
never disagree about them. data/lessons/posters.yml holds one poster per
priority field. See data/lessons/README.md for the fields staff edit.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scripts import datafiles
from scripts import ROOT, languages
from scripts.catalogs import N_
from scripts.problems import STAFF_LANGUAGES, ContentError, Problem, relative

LESSONS_DIR = ROOT / "data" / "lessons"
POSTERS_FILE = "posters.yml"  # the one file in data/lessons/ that is not a lesson
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The school years the site writes for: primary grade 4 to lower secondary grade 3.
GRADES = ("小4", "小5", "小6", "中1", "中2", "中3")
# The year of schooling, counted from the first year of primary school (中1 is year 7);
# each language names the grades from it (scripts/lessons/text.py, the catalogs).
GRADE_YEAR = {"小4": 4, "小5": 5, "小6": 6, "中1": 7, "中2": 8, "中3": 9}
PRIMARY = ("小4", "小5", "小6")

# Subjects as Japanese schools name them; `name` is the catalog's msgid (locales/), `slug` is
# used in the lesson finder.
SUBJECTS = {
    "社会": {"name": N_("Social studies"), "slug": "social-studies"},
    "理科": {"name": N_("Science"), "slug": "science"},
    "総合的な学習の時間": {"name": N_("Integrated studies"), "slug": "integrated-studies"},
    "技術・家庭": {"name": N_("Technology and home economics"), "slug": "technology-home-economics"},
    "算数": {"name": N_("Mathematics (primary)"), "slug": "arithmetic"},
    "数学": {"name": N_("Mathematics"), "slug": "mathematics"},
    "特別活動": {"name": N_("Special activities"), "slug": "special-activities"},
}
PERIOD_MINUTES = (45, 50)

# Course of Study (学習指導要領) codes: checked against data/curriculum-codes.yml, a copy
# of the rows of MEXT's code table that the lessons use (source and licence in the file).
CODES_FILE = ROOT / "data" / "curriculum-codes.yml"
CODE_PATTERN = re.compile(r"^[0-9A-Z]{16}$")  # 16 characters: digits and capital letters (83C1203400000000)
SCHOOLS = {"小学校": PRIMARY, "中学校": ("中1", "中2", "中3")}

# Each lesson belongs to a priority field (its explainer page) or to trust.
FIELDS = {
    "disaster-resilience": "fields/disaster-resilience.md",
    "infrastructure-maintenance": "fields/infrastructure-maintenance.md",
    "livable-communities": "fields/livable-communities.md",
    "economic-foundations": "fields/economic-foundations.md",
    "digital-transformation": "fields/digital-transformation.md",
    "decarbonization": "fields/decarbonization.md",
    "trust": "trust/index.md",
}
PRIORITY_FIELDS = tuple(f for f in FIELDS if f != "trust")


# --- YAML with line numbers -------------------------------------------------

class LineDict(dict):
    """A mapping that remembers the line of itself and of each key."""
    line: int = 0
    lines: dict


class LineList(list):
    line: int = 0
    lines: list


class _Loader(datafiles.Loader):  # libyaml when present: same data and line marks, ~8x faster
    pass


class _PureLoader(yaml.SafeLoader):  # a file libyaml rejects is read again for the usual error message
    pass


def _mapping(loader, node):
    loader.flatten_mapping(node)
    out = LineDict()
    out.line, out.lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _sequence(loader, node):
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line, out.lines = node.start_mark.line + 1, [child.start_mark.line + 1 for child in node.value]
    return out


for _loader in (_Loader, _PureLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def read_yaml(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(text, Loader=_PureLoader)
    except yaml.YAMLError as e:
        raise datafiles.syntax_error(e, path, "bad-lesson",
                                     "check the indentation and quotes on that line (and the line above it).") from None


def _line(node: Any, key: Any = None, default: int | None = None) -> int | None:
    if key is not None and isinstance(node, LineDict) and key in node.lines:
        return node.lines[key]
    if key is not None and isinstance(node, LineList) and isinstance(key, int) and key < len(node.lines):
        return node.lines[key]
    return getattr(node, "line", None) or default


# --- The Course of Study code table ------------------------------------------------

@dataclass(frozen=True)
class CodeRow:
    """One row of MEXT's code table: the official item text and whom it is for."""
    code: str
    school: str
    subject: str
    grade: str  # "" where the item has no grade (e.g. 技術・家庭 技術分野)
    section: str
    text: str  # the official text, exactly as in the table
    short: Text  # a short name for pages ({ja, en}; the English is the site's translation)
    ttl: str  # where the row was read (file@commit in jp-cos/jp-cos.github.io)

    @property
    def uri(self) -> str:
        return f"https://w3id.org/jp-cos/{self.code}"

    def fits(self, grades: tuple[str, ...], subject: str) -> bool:
        if subject != self.subject:
            return False
        if self.grade:
            return self.grade in grades
        return any(g in SCHOOLS.get(self.school, ()) for g in grades)

    def section_label(self, lang: str) -> str:
        """(5)ア(ア) as printed (the Course of Study is written in the source language); in the
        others the kana enumerators become letters: (5) A (a)."""
        if languages.is_source(lang):
            return self.section
        from scripts.catalogs import gettext

        _ = gettext(lang)
        text = self.section.replace("技術分野", _("Technology")).replace("第2分野", _("Field 2")) \
            .replace("第1分野", _("Field 1"))
        kana = "アイウエオカキク"
        text = re.sub(r"\(([ア-ク])\)", lambda m: f" ({'abcdefgh'[kana.index(m.group(1))]})", text)
        text = re.sub(r"([ア-ク])", lambda m: f" {'ABCDEFGH'[kana.index(m.group(1))]}", text)
        return " ".join(text.split())

    def for_whom(self, lang: str) -> str:
        """小5 社会 / Grade 5 social studies; 中学校 技術・家庭 where the item has no grade."""
        from scripts.lessons import text

        who = text.grade_name(self.grade, lang) if self.grade else text.school_label(self.school, lang)
        return f"{who} {text.subject_label(self.subject, lang).lower()}"


def load_code_table(path: Path | None = None) -> dict[str, CodeRow]:
    """data/curriculum-codes.yml, checked; raises ContentError naming the line."""
    path = path or CODES_FILE
    return dict(_code_table(path, path.stat().st_mtime_ns if path.is_file() else 0))


@functools.lru_cache(maxsize=4)
def _code_table(path: Path, _mtime: int) -> tuple:
    check = _Checker(path)
    if not path.is_file():
        check.add("学習指導要領コードの表がありません。 / The Course of Study code table is missing.",
                  f"{relative(path)} を元に戻してください（git で復元できます）。 / Restore {relative(path)} "
                  "(git can bring it back).", None, rule="curriculum-table")
        raise ContentError(check.problems)
    data = read_yaml(path)
    codes = data.get("codes") if isinstance(data, dict) else None
    if not isinstance(codes, dict) or not codes or not str(data.get("licence") or "").strip() \
            or not isinstance(data.get("source"), dict):
        check.add("表に source・licence・codes のどれかがありません。 / The table lacks its source, licence or codes.",
                  "ファイルの先頭の説明のとおりに書いてください。 / Write them as the comment at the top of the file shows.",
                  1, rule="curriculum-table")
        raise ContentError(check.problems)
    rows = []
    for code, row in codes.items():
        line = _line(codes, code, 1)
        code = str(code)
        fields = ("school", "subject", "section", "text", "short", "ttl")
        if not CODE_PATTERN.match(code) or not isinstance(row, dict) or any(not row.get(k) for k in fields) \
                or row.get("school") not in SCHOOLS or row.get("subject") not in SUBJECTS \
                or (row.get("grade") or "") not in ("", *SCHOOLS.get(row.get("school"), ())):
            check.add(f"表の行 {code} の書き方がちがいます。 / Row {code} of the table is not written correctly.",
                      "16文字のコードの下に school, subject, grade, section, text, short {ja, en}, ttl を書いてください。 / "
                      "Under the 16-character code write school, subject, grade, section, text, short {ja, en} and ttl.",
                      line, rule="curriculum-table")
            continue
        short = check.text(row["short"], f"the short name of row {code}", _line(row, "short", line))
        if short:
            rows.append((code, CodeRow(code, row["school"], row["subject"], row.get("grade") or "",
                                       str(row["section"]), " ".join(str(row["text"]).split()), short, str(row["ttl"]))))
    if check.problems:
        raise ContentError(check.problems)
    return tuple(rows)


# --- The lesson ---------------------------------------------------------------

Text = dict  # {language code: str} for every configured language


@dataclass(frozen=True)
class Activity:
    minutes: int
    period: int
    title: Text
    text: Text


@dataclass(frozen=True)
class Background:
    page: str  # docs-relative path of an explainer page, e.g. fields/disaster-resilience.md
    text: Text


@dataclass(frozen=True)
class Task:
    prompt: Text
    lines: int
    answer: Text  # model answer: printed in the teacher guide only, never on the pupil's sheet
    source_on_sheet: bool = True  # False where the task asks for the source itself


@dataclass(frozen=True)
class Handout:
    """Material printed for pupils with the worksheet (a checklist, example messages)."""
    title: Text
    items: tuple[Text, ...]


CRITERIA = ("knowledge", "thinking", "attitude")  # 知識・技能／思考・判断・表現／主体的に学習に取り組む態度


@dataclass(frozen=True)
class Lesson:
    id: str
    path: Path
    title: Text
    summary: Text
    field: str
    grades: tuple[str, ...]
    subject: str
    periods: int
    period_minutes: int
    codes: tuple[str, ...]  # Course of Study codes (data/curriculum-codes.yml); () where none is given
    question: Text
    objectives: tuple[Text, ...]
    activities: tuple[Activity, ...]
    materials: tuple[Text, ...]
    questions: tuple[Text, ...]
    assessment: tuple[Text, ...]
    background: tuple[Background, ...]
    key_points: tuple[Text, ...]
    worksheet: tuple[Task, ...]
    facts: tuple[str, ...] = ()
    infographics: tuple[str, ...] = ()
    also: tuple[tuple[tuple[str, ...], str], ...] = ()  # other (grades, subject) the lesson suits
    placement: Text | None = None  # where the lesson sits in the unit (単元)
    criteria: dict = field(default_factory=dict)  # 評価規準: CRITERIA -> Text
    board: tuple[Text, ...] = ()  # 板書計画
    care: tuple[Text, ...] = ()  # 配慮事項
    handouts: tuple[Handout, ...] = ()
    code_note: Text | None = None  # why no code is given, or how the codes fit
    line: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def minutes(self) -> int:
        return self.periods * self.period_minutes

    @property
    def primary(self) -> bool:
        """Any primary grade in the band: the worksheet gets furigana."""
        return any(g in PRIMARY for g in self.grades)

    @property
    def uses(self) -> tuple[tuple[tuple[str, ...], str], ...]:
        """Every (grades, subject) the lesson suits: its own first, then `also`."""
        return ((self.grades, self.subject), *self.also)

    @property
    def all_grades(self) -> tuple[str, ...]:
        return tuple(g for g in GRADES if any(g in grades for grades, _s in self.uses))

    @property
    def all_subjects(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for _g, s in self.uses))

    @property
    def code_rows(self) -> tuple[CodeRow, ...]:
        table = load_code_table()
        return tuple(table[c] for c in self.codes)


@dataclass(frozen=True)
class Poster:
    field: str
    themes: tuple[Text, ...]
    facts: tuple[str, ...]
    chart: str | None


class _Checker:
    """Collects problems for one file so staff see them all at once."""

    def __init__(self, path: Path):
        self.path, self.problems = path, []
        self.languages = lesson_languages()  # once per file, not per text (each call reads the folder)

    def add(self, message: str, fix: str, line: int | None, rule: str = "bad-lesson") -> None:
        self.problems.append(Problem(rule, "error", relative(self.path), message, fix, line))

    def text(self, node: Any, what: str, line: int | None) -> Text | None:
        """A {ja, en} pair; both languages are required."""
        if isinstance(node, str):
            self.add(f"{what} is written in one language only.",
                     "write it as {ja: …, en: …} with both languages.", line)
            return None
        if not isinstance(node, dict):
            self.add(f"{what} is missing.", "add it with both languages: {ja: …, en: …}.", line)
            return None
        missing = [lang for lang in self.languages if not str(node.get(lang) or "").strip()]
        if missing:
            self.add(f"{what} has no {' or '.join(missing)} text.",
                     f"add the {' and '.join(missing)} text beside the other language.", _line(node, default=line))
            return None
        return {lang: " ".join(str(node[lang]).split()) for lang in self.languages}

    def texts(self, data: dict, key: str, what: str, required: bool = True) -> tuple[Text, ...]:
        items = data.get(key)
        if items is None or (isinstance(items, list) and not items):
            if required:
                self.add(f"the lesson has no {what}.", f"add `{key}:` with at least one item ({{ja: …, en: …}}).",
                         _line(data, key, 1))
            return ()
        if not isinstance(items, list):
            self.add(f"`{key}` must be a list.", "start each item on its own line with '- '.", _line(data, key))
            return ()
        out = []
        for i, item in enumerate(items):
            text = self.text(item, f"{what} item {i + 1}", _line(items, i))
            if text:
                out.append(text)
        return tuple(out)


def lesson_languages(folder: Path = LESSONS_DIR) -> tuple[str, ...]:
    """The configured languages the lesson data is written in (a lesson's `title` has that
    language): lesson packs are made in these, and every lesson text needs each of them. A newly
    added site language gets none until data/lessons has its text."""
    files = sorted(p for p in folder.glob("*.yml") if p.name != POSTERS_FILE)
    return _lesson_languages(tuple((p, p.stat().st_mtime_ns) for p in files), languages.codes())


@functools.lru_cache(maxsize=4)
def _lesson_languages(key: tuple, configured: tuple[str, ...]) -> tuple[str, ...]:
    written = set()
    for path, _ in key:
        try:
            data = read_yaml(path)
        except ContentError:
            continue  # parse_lesson reports it
        title = data.get("title") if isinstance(data, dict) else None
        written |= set(title) if isinstance(title, dict) else set()
    # Always the source language: the lessons are written in it first.
    return tuple(code for i, code in enumerate(configured) if i == 0 or code in written)


def load_lessons(folder: Path = LESSONS_DIR) -> list[Lesson]:
    """Every lesson in data/lessons/, checked; raises ContentError listing all problems."""
    files = sorted(p for p in folder.glob("*.yml") if p.name != POSTERS_FILE)
    shared = [ROOT / "data" / "facts.yml", ROOT / "data" / "charts.yml"]  # lessons name their ids
    key = tuple((p, p.stat().st_mtime_ns) for p in files)
    return list(_load_cached(key, tuple(s.stat().st_mtime_ns for s in shared if s.is_file())))


@functools.lru_cache(maxsize=4)
def _load_cached(key: tuple, _shared: tuple) -> tuple[Lesson, ...]:
    from scripts import facts as facts_module

    registry = facts_module.load_registry()
    charts = _chart_ids()
    problems, lessons = [], []
    for path, _ in key:
        try:
            lesson = parse_lesson(path, registry, charts)
        except ContentError as e:
            problems += e.problems
            continue
        lessons.append(lesson)
    if problems:
        raise ContentError(problems)
    return tuple(lessons)


def _chart_ids() -> set[str]:
    path = ROOT / "data" / "charts.yml"
    return set((datafiles.load(path.read_text(encoding="utf-8")) or {}).keys()) if path.is_file() else set()


def _int(check: _Checker, data: dict, key: str, what: str) -> int | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        check.add(f"{what} (`{key}`) is {value!r}, not a whole number of minutes or periods.",
                  f"write `{key}:` followed by a whole number, e.g. `{key}: 1`.", _line(data, key, 1))
        return None
    return value


def parse_lesson(path: Path, registry: dict, charts: set[str]) -> Lesson:
    check = _Checker(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        check.add("the file does not describe a lesson.", "see data/lessons/README.md for the fields a lesson needs.", 1)
        raise ContentError(check.problems)
    lesson_id = path.stem
    if not ID_PATTERN.match(lesson_id):
        check.add(f"the file name '{path.name}' cannot be a lesson id.",
                  "name the file with lowercase letters, digits and hyphens, e.g. disaster-resilience.yml.", 1)

    title = check.text(data.get("title"), "the title", _line(data, "title", 1))
    summary = check.text(data.get("summary"), "the summary", _line(data, "summary", 1))
    question = check.text(data.get("question"), "the lesson's big question (`question`)", _line(data, "question", 1))

    field_name = data.get("field")
    if field_name not in FIELDS:
        check.add(f"the field '{field_name}' is not one of the plan's priority fields or 'trust'.",
                  f"use one of: {', '.join(FIELDS)}.", _line(data, "field", 1))

    # Grades: one grade or a band, all inside the school range the site serves.
    grades = data.get("grades")
    grades = [grades] if isinstance(grades, str) else grades
    if not grades or not isinstance(grades, list):
        check.add("the lesson has no grade band (`grades`).", "add e.g. `grades: [小4]` or `grades: [小5, 小6]`.",
                  _line(data, "grades", 1))
        grades = []
    bad = [str(g) for g in grades if g not in GRADES]
    if bad:
        check.add(f"grade {', '.join(bad)} is outside the school range this site serves ({GRADES[0]}–{GRADES[-1]}).",
                  f"use grades from: {', '.join(GRADES)}.", _line(data, "grades", 1), rule="lesson-grade")
    grades = tuple(sorted({g for g in grades if g in GRADES}, key=GRADES.index))
    if grades and GRADES.index(grades[-1]) - GRADES.index(grades[0]) + 1 != len(grades):
        check.add(f"the grades {', '.join(grades)} are not one continuous band.",
                  "list neighbouring grades only, e.g. [小5, 小6]; make two lessons for separate grades.",
                  _line(data, "grades", 1), rule="lesson-grade")

    subject = data.get("subject")
    if subject not in SUBJECTS:
        check.add(f"the subject '{subject}' is not a school subject this site knows.",
                  f"use one of: {', '.join(SUBJECTS)} (ask a developer to add another to scripts/lessons/model.py).",
                  _line(data, "subject", 1), rule="lesson-subject")

    periods = _int(check, data, "periods", "the number of periods")
    period_minutes = _int(check, data, "period_minutes", "the length of a period")
    if period_minutes and period_minutes not in PERIOD_MINUTES:
        check.add(f"a period is {period_minutes} minutes; school periods here are 45 (primary) or 50 (lower secondary).",
                  "write `period_minutes: 45` or `period_minutes: 50`.", _line(data, "period_minutes", 1),
                  rule="lesson-time")
        period_minutes = None

    # Other classes the lesson suits (e.g. the disaster lesson in 小5 社会 as well).
    also = []
    raw_also = data.get("also") or []
    if not isinstance(raw_also, list):
        check.add("`also` must be a list.", "write `also:` then `- {grades: [小5], subject: 社会}` lines.",
                  _line(data, "also", 1), rule="lesson-grade")
        raw_also = []
    for i, item in enumerate(raw_also):
        line = _line(raw_also, i, _line(data, "also", 1))
        a_grades = item.get("grades") if isinstance(item, dict) else None
        a_grades = [a_grades] if isinstance(a_grades, str) else a_grades
        a_subject = item.get("subject") if isinstance(item, dict) else None
        if not isinstance(a_grades, list) or not a_grades or any(g not in GRADES for g in a_grades) \
                or a_subject not in SUBJECTS:
            check.add(f"`also` item {i + 1} does not name grades from {GRADES[0]}–{GRADES[-1]} and a known subject.",
                      f"write e.g. `- {{grades: [小5], subject: 社会}}` (subjects: {', '.join(SUBJECTS)}).",
                      line, rule="lesson-grade")
            continue
        also.append((tuple(sorted(set(a_grades), key=GRADES.index)), a_subject))
    uses = ([(grades, subject)] if grades and subject in SUBJECTS else []) + also

    codes, code_note = _course_of_study(check, data, uses)

    objectives = check.texts(data, "objectives", "learning objectives")

    # Activities: minutes must add up to the stated time, period by period.
    activities = []
    raw_activities = data.get("activities")
    if not isinstance(raw_activities, list) or not raw_activities:
        check.add("the lesson has no activities.", "add `activities:` with minutes, title and text for each step.",
                  _line(data, "activities", 1))
        raw_activities = []
    for i, item in enumerate(raw_activities):
        line = _line(raw_activities, i)
        if not isinstance(item, dict):
            check.add(f"activity {i + 1} is not written as minutes, title and text.",
                      "write `- minutes: 10` then `title:` and `text:` indented below it.", line)
            continue
        minutes = item.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            check.add(f"activity {i + 1} has minutes {minutes!r}.", "write a whole number of minutes, e.g. `minutes: 10`.",
                      _line(item, "minutes", line), rule="lesson-time")
            minutes = 0
        period = item.get("period", 1)
        if periods and (not isinstance(period, int) or not 1 <= period <= periods):
            check.add(f"activity {i + 1} is in period {period!r}, but the lesson has {periods} period(s).",
                      f"write `period:` with a number from 1 to {periods}.", _line(item, "period", line), rule="lesson-time")
            period = 1
        a_title = check.text(item.get("title"), f"the title of activity {i + 1}", _line(item, "title", line))
        a_text = check.text(item.get("text"), f"the text of activity {i + 1}", _line(item, "text", line))
        if a_title and a_text:
            activities.append(Activity(minutes, period, a_title, a_text))
    if periods and period_minutes and raw_activities:
        total = sum(a.get("minutes") or 0 for a in raw_activities if isinstance(a, dict)
                    and isinstance(a.get("minutes"), int))
        stated = periods * period_minutes
        if total != stated:
            check.add(f"the activities add up to {total} minutes, but the lesson is {periods} × {period_minutes} = "
                      f"{stated} minutes.",
                      "change the activities' minutes (or `periods` / `period_minutes`) so they match.",
                      _line(data, "activities", 1), rule="lesson-time")
        elif periods > 1:
            for p in range(1, periods + 1):
                in_period = sum(a.minutes for a in activities if a.period == p)
                if in_period != period_minutes:
                    check.add(f"period {p} has {in_period} minutes of activities, not {period_minutes}.",
                              "move activities between periods (`period:`) or change their minutes.",
                              _line(data, "activities", 1), rule="lesson-time")

    materials = check.texts(data, "materials", "materials")
    questions = check.texts(data, "questions", "discussion questions")
    assessment = check.texts(data, "assessment", "assessment ideas")
    key_points = check.texts(data, "key_points", "key points (what the plan will do)")

    background = []
    raw_background = data.get("background")
    if not isinstance(raw_background, list) or not raw_background:
        check.add("the lesson has no background for the teacher.",
                  "add `background:` items, each with `page:` (an explainer page) and `text:`.",
                  _line(data, "background", 1))
        raw_background = []
    for i, item in enumerate(raw_background):
        line = _line(raw_background, i)
        page = item.get("page") if isinstance(item, dict) else None
        if not page or not all((ROOT / "docs" / lang / str(page)).is_file() for lang in lesson_languages()):
            check.add(f"background item {i + 1} links to '{page}', which is not a page in both docs/ja and docs/en.",
                      "use a path such as fields/disaster-resilience.md (see data/site-map.yml).",
                      _line(item, "page", line), rule="lesson-link")
            continue
        text = check.text(item.get("text"), f"background item {i + 1}", _line(item, "text", line))
        if text:
            background.append(Background(str(page), text))

    worksheet = []
    raw_tasks = data.get("worksheet")
    if not isinstance(raw_tasks, list) or not raw_tasks:
        check.add("the lesson has no worksheet tasks.", "add `worksheet:` items with `prompt:` and `lines:`.",
                  _line(data, "worksheet", 1))
        raw_tasks = []
    for i, item in enumerate(raw_tasks):
        line = _line(raw_tasks, i)
        prompt = check.text(item.get("prompt") if isinstance(item, dict) else None,
                            f"worksheet task {i + 1}", line)
        lines = item.get("lines", 2) if isinstance(item, dict) else 2
        if not isinstance(lines, int) or not 0 <= lines <= 12:
            check.add(f"worksheet task {i + 1} asks for {lines!r} answer lines.", "use a number from 0 to 12.",
                      _line(item, "lines", line))
            lines = 2
        answer = check.text(item.get("answer") if isinstance(item, dict) else None,
                            f"the model answer of worksheet task {i + 1} (`answer:`, for the teacher guide)",
                            _line(item, "answer", line) if isinstance(item, dict) else line)
        on_sheet = item.get("source_on_sheet", True) if isinstance(item, dict) else True
        if prompt and answer:
            worksheet.append(Task(prompt, lines, answer, on_sheet is not False))

    # For the teacher guide: where the hour sits, 評価規準 in the three 観点, 板書, 配慮事項.
    placement = check.text(data.get("placement"), "where the lesson sits in the unit (`placement`)",
                           _line(data, "placement", 1))
    criteria = {}
    raw_criteria = data.get("criteria")
    if not isinstance(raw_criteria, dict):
        check.add("the lesson has no assessment criteria (`criteria`).",
                  f"add `criteria:` with {', '.join(CRITERIA)} (知識・技能／思考・判断・表現／主体的に学習に取り組む態度), "
                  "each {ja: …, en: …}.", _line(data, "criteria", 1))
        raw_criteria = {}
    for key in CRITERIA if raw_criteria else ():
        text = check.text(raw_criteria.get(key), f"the assessment criterion `{key}`",
                          _line(raw_criteria, key, _line(data, "criteria", 1)))
        if text:
            criteria[key] = text
    board = check.texts(data, "board", "board plan (板書計画)")
    care = check.texts(data, "care", "notes on sensitive topics (配慮事項)")
    handouts = []
    for i, item in enumerate(data.get("handouts") or []):
        line = _line(data.get("handouts"), i, _line(data, "handouts", 1))
        h_title = check.text(item.get("title") if isinstance(item, dict) else None, f"the title of handout {i + 1}", line)
        h_items = check.texts(item, "items", f"handout {i + 1} items") if isinstance(item, dict) else ()
        if h_title and h_items:
            handouts.append(Handout(h_title, h_items))

    fact_ids = _ids(check, data, "facts", registry, "data/facts.yml", "fact")
    chart_ids = _ids(check, data, "infographics", charts, "data/charts.yml", "chart")

    # [[fact:ID]] inside any text must name a fact in the registry.
    for number, text_line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for ident in re.findall(r"\[\[fact:([^\]\s]*)\]\]", text_line):
            if ident not in registry:
                check.add(f"there is no fact called '{ident}'.",
                          "use an id defined in data/facts.yml, or add it there with its plan section.", number,
                          rule="unknown-fact")

    if check.problems:
        raise ContentError(check.problems)
    return Lesson(
        id=lesson_id, path=path, title=title, summary=summary, field=field_name, grades=grades, subject=subject,
        periods=periods, period_minutes=period_minutes, codes=codes, question=question, objectives=objectives,
        activities=tuple(activities), materials=materials, questions=questions, assessment=assessment,
        background=tuple(background), key_points=key_points, worksheet=tuple(worksheet), facts=fact_ids,
        infographics=chart_ids, also=tuple(also), code_note=code_note, placement=placement, criteria=criteria,
        board=board, care=care, handouts=tuple(handouts), line=dict(data.lines),
    )


def _course_of_study(check: _Checker, data: dict, uses: list) -> tuple[tuple[str, ...], Text | None]:
    """`course_of_study:` a list of `- code: "…"` (or one `{code: …}`), or `none`; each code must be a
    row of data/curriculum-codes.yml for one of the lesson's grades and subjects."""
    cos = data.get("course_of_study")
    where = _line(data, "course_of_study", 1)
    note = None
    if isinstance(cos, dict) and "note" in cos:
        note = check.text(cos.get("note"), "the Course of Study note", _line(cos, "note", where))
    if cos is None:
        check.add("学習指導要領コードがあるかどうかが書かれていません。 / The lesson does not say whether a Course of "
                  "Study code applies.",
                  "`course_of_study:` の下に `- code: \"…\"`（data/curriculum-codes.yml の表のコード）か、"
                  "`course_of_study: none` を書いてください。 / Add `course_of_study:` with `- code: \"…\"` lines "
                  "(codes from data/curriculum-codes.yml), or `course_of_study: none`.",
                  where, rule="lesson-course-of-study")
        return (), None
    if cos == "none" or (isinstance(cos, dict) and cos.get("code") in (None, "none") and "codes" not in cos):
        return (), note
    if isinstance(cos, dict):
        items = cos.get("codes") if "codes" in cos else [cos]
    else:
        items = cos
    if not isinstance(items, list):
        items = [items]
    table = load_code_table()
    codes = []
    for i, item in enumerate(items):
        raw = item.get("code") if isinstance(item, dict) else item
        line = (_line(item, "code", where) if isinstance(item, dict) else None) or \
            (_line(items, i, where) if isinstance(items, LineList) else where)
        code = str(raw).strip() if raw is not None else ""
        table_file = relative(CODES_FILE)
        if not CODE_PATTERN.match(code):
            check.add(f"学習指導要領コード「{code}」は16文字ではありません（数字と英大文字で16文字です）。 / "
                      f"The Course of Study code '{code}' is not 16 characters (digits and capital letters).",
                      f"文部科学省のコード表から16文字をそのまま写してください（例：83C1203400000000）。先頭の0も必要です。"
                      f"引用符で囲みます。 / Copy all 16 characters from MEXT's table, e.g. \"83C1203400000000\", in "
                      "quotes so leading zeros stay.", line, rule="lesson-code-format")
            continue
        if code not in table:
            check.add(f"コード {code} は {table_file} の表にありません。 / Code {code} is not in the table "
                      f"{table_file}.",
                      f"コードを確かめてください。正しいコードなら、文部科学省の表（学習指導要領LOD）で確かめてから"
                      f"{table_file} に行を足します。作ったコードは使えません。 / Check the code. If it is right, read "
                      f"its row in MEXT's table (the jp-cos Linked Data) and add it to {table_file}. Never make up a code.",
                      line, rule="lesson-code-unknown")
            continue
        row = table[code]
        if not any(row.fits(g, s) for g, s in uses):
            mine = "; ".join(f"{'・'.join(g)} {s}" for g, s in uses) or "?"
            staff_ja, staff_en = STAFF_LANGUAGES
            check.add(f"コード {code} は {row.for_whom(staff_ja)}（{row.section}）の内容ですが、この授業は {mine} です。 / "
                      f"Code {code} is for {row.for_whom(staff_en)} ({row.section}), but the lesson is for {mine}.",
                      "学年・教科（`grades`・`subject`・`also`）かコードを直してください。 / Fix the grades or "
                      "subject (`grades`, `subject`, `also`) or the code.", line, rule="lesson-code-mismatch")
            continue
        if code in codes:
            check.add(f"コード {code} が2回書かれています。 / Code {code} is listed twice.",
                      "1つ消してください。 / Remove one of them.", line, rule="lesson-course-of-study")
            continue
        codes.append(code)
    return tuple(codes), note


def _ids(check: _Checker, data: dict, key: str, known, where: str, kind: str) -> tuple[str, ...]:
    items = data.get(key) or []
    if not isinstance(items, list):
        check.add(f"`{key}` must be a list of {kind} ids.", f"write `{key}: [id-one, id-two]`.", _line(data, key, 1))
        return ()
    for i, ident in enumerate(items):
        if ident not in known:
            check.add(f"「{ident}」は {where} にありません。 / There is no {kind} called '{ident}'.",
                      f"{where} にある id を使ってください。 / Use an id defined in {where}.",
                      _line(items, i, _line(data, key)), rule="unknown-fact" if kind == "fact" else "unknown-chart")
    return tuple(str(i) for i in items if i in known)


def load_posters(folder: Path = LESSONS_DIR) -> list[Poster]:
    """One poster per priority field, from data/lessons/posters.yml."""
    from scripts import facts as facts_module

    path = folder / POSTERS_FILE
    check = _Checker(path)
    if not path.is_file():
        check.add("the poster list is missing.", f"create {relative(path)} with one entry per priority field.", None)
        raise ContentError(check.problems)
    data = read_yaml(path) or {}
    registry, charts = facts_module.load_registry(), _chart_ids()
    posters = []
    for name in PRIORITY_FIELDS:
        if name not in data:
            check.add(f"there is no poster for the priority field '{name}'.", f"add `{name}:` with themes and facts.", 1)
    for name, spec in data.items():
        line = _line(data, name)
        if name not in PRIORITY_FIELDS:
            check.add(f"'{name}' is not a priority field.", f"use one of: {', '.join(PRIORITY_FIELDS)}.", line)
            continue
        if not isinstance(spec, dict):
            check.add(f"the poster for '{name}' is empty.", "add `themes:` and `facts:` below it.", line)
            continue
        themes = check.texts(spec, "themes", f"themes for the '{name}' poster")
        fact_ids = _ids(check, spec, "facts", registry, "data/facts.yml", "fact")
        chart = spec.get("chart")
        if chart is not None and chart not in charts:
            check.add(f"there is no chart called '{chart}'.", "use an id defined in data/charts.yml.",
                      _line(spec, "chart", line), rule="unknown-chart")
            chart = None
        posters.append(Poster(name, themes, fact_ids, chart))
    if check.problems:
        raise ContentError(check.problems)
    return sorted(posters, key=lambda p: PRIORITY_FIELDS.index(p.field))
