"""Lesson packs for teachers (scripts/lessons): the files the build publishes,
read back the way a teacher's computer would read them, and the checks that
stop a bad lesson file."""
from __future__ import annotations

import hashlib
import io
import json
import re
import textwrap
import zipfile
from pathlib import Path

import pytest
import yaml
from PIL import Image
from pypdf import PdfReader

from scripts import ROOT, plain_language, publisher
from scripts import ROOT, plain_language
from scripts import facts as facts_module
from scripts.lessons import documents, downloads, model, render, site
from scripts.lessons import text as T
from scripts.problems import ContentError
from tests.html_tools import without_readings

LESSONS = model.load_lessons()
POSTERS = model.load_posters()
LANGS = ("ja", "en")
PREFIX = {"ja": "", "en": "en/"}
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
TABLE = model.load_code_table()


def lesson_dir(built: Path, lesson: model.Lesson, lang: str) -> Path:
    return built / PREFIX[lang] / "teachers" / "downloads" / lesson.id


def pdf_text(path: Path) -> tuple[PdfReader, str]:
    reader = PdfReader(path)
    return reader, "".join(page.extract_text() or "" for page in reader.pages)


# --- the data itself -------------------------------------------------------------------

def test_seven_or_more_lessons_cover_every_priority_field_and_trust():
    fields = {lesson.field for lesson in LESSONS}
    assert len(LESSONS) >= 7
    assert set(model.PRIORITY_FIELDS) | {"trust"} <= fields
    for lesson in LESSONS:
        for row in lesson.code_rows:  # every code is a row of the table, for one of the lesson's classes
            assert any(row.fits(g, s) for g, s in lesson.uses), (lesson.id, row.code)
        assert sum(a.minutes for a in lesson.activities) == lesson.periods * lesson.period_minutes


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.id)
def test_lesson_text_is_plain_language(lesson, lang):
    texts = [lesson.summary[lang], lesson.question[lang]]
    texts += [o[lang] for o in lesson.objectives] + [a.text[lang] for a in lesson.activities]
    texts += [q[lang] for q in lesson.questions] + [a[lang] for a in lesson.assessment]
    texts += [b.text[lang] for b in lesson.background] + [t.prompt[lang] for t in lesson.worksheet]
    texts += [c[lang] for c in lesson.care] + [lesson.placement[lang]]
    figures = plain_language.measure("\n\n".join(texts), lang)
    if lang == "ja":
        assert figures.mean <= 40 and figures.max <= 60, (figures.mean, figures.longest)
        assert figures.polite_share >= 0.85, figures.polite_share
    else:
        assert figures.mean <= 20 and figures.max <= 35, (figures.mean, figures.longest)
    assert not figures.problems(), figures.problems()
    # Model answers are written as a pupil would write them (plain form is fine), just as short.
    answers = plain_language.measure("\n\n".join(t.answer[lang] for t in lesson.worksheet), lang)
    assert answers.max <= (60 if lang == "ja" else 35), answers.longest


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "lessons").glob("*.yml")), ids=lambda p: p.name)
def test_numbers_in_lesson_text_come_from_the_facts_registry(path):
    """Statistics are written [[fact:ID]]; only small counts (2つ, 問い1, 5G) appear as digits."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not re.match(r"\s*(-\s*)?(ja|en|[a-z]+: \{ja)", line):
            continue
        prose = re.sub(r"\[\[fact:[^\]]+\]\]|COVID-19|Society ?5\.0|\b5G\b|1年あたり", "", line.split(":", 1)[1])  # names, not numbers
        assert not re.search(r"\d{2,}|\d\s*(割|%|万|億|年|per ?cent)", prose), f"{path.name}:{number}: {line.strip()}"


# --- bad lesson files fail with file, line and a fix --------------------------------------

GOOD = (ROOT / "data" / "lessons" / "decarbonization.yml").read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    assert old in GOOD
    path = tmp_path / "bad-lesson.yml"
    text = GOOD.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if new.splitlines()[0] in l) if new else None
    return path, line


def parse(path: Path) -> list:
    from scripts import facts

    with pytest.raises(ContentError) as caught:
        model.parse_lesson(path, facts.load_registry(), documents.charts_config().keys())
    return caught.value.problems


@pytest.mark.parametrize("old,new,rule,words", [
    ("grades: [小5]", "grades: [小3]", "lesson-grade", "outside the school range"),
    ("grades: [小5]", "grades: [高1]", "lesson-grade", "outside the school range"),
    ("subject: 社会", "subject: 体育", "lesson-subject", "not a school subject"),
    ("period_minutes: 45", "period_minutes: 40", "lesson-time", "45 (primary) or 50"),
    ("  - minutes: 5\n", "  - minutes: 15\n", "lesson-time", "add up to 55 minutes"),
])
def test_bad_metadata_names_file_line_and_fix(tmp_path, old, new, rule, words):
    path, line = broken(tmp_path, old, new)
    problems = [p for p in parse(path) if p.rule == rule]
    assert problems, parse(path)
    problem = problems[0]
    assert problem.file.endswith("bad-lesson.yml") and problem.fix
    assert words in problem.message + " " + problem.fix
    if rule == "lesson-time" and "add up" in words:
        assert problem.line == next(i for i, l in enumerate(path.read_text().splitlines(), 1) if l == "activities:")
    else:
        assert problem.line == line, (problem, line)


DISASTER = (ROOT / "data" / "lessons" / "disaster-resilience.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("old,new,rule,words", [
    ('"8220243300000000"', '"822024330000000"', "lesson-code-format", "16"),        # one character short
    ('"8220243300000000"', '"8220243300000009"', "lesson-code-unknown", "data/curriculum-codes.yml"),
    ('"8220243300000000"', '"8362213214000000"', "lesson-code-mismatch", "中1 理科"),  # a real code, wrong class
    ('"8220243300000000"', "8220243300000000", None, None),  # unquoted is fine: YAML reads it as a number, same digits
    ("  - {grades: [小5], subject: 社会}\n", "  - {grades: [小6], subject: 社会}\n", "lesson-code-mismatch", "小5 社会"),
])
def test_course_of_study_codes_are_checked_against_the_table(tmp_path, old, new, rule, words):
    """A wrong or unknown code, or one for another grade or subject, stops the build with file, line and fix."""
    from scripts import facts

    assert old in DISASTER
    text = DISASTER.replace(old, new, 1)
    path = tmp_path / "bad-lesson.yml"
    path.write_text(text, encoding="utf-8")
    if rule is None:
        lesson = model.parse_lesson(path, facts.load_registry(), documents.charts_config().keys())
        assert lesson.codes[0] == "8220243300000000"
        return
    problems = [p for p in parse(path) if p.rule == rule]
    assert len(problems) == 1, parse(path)
    problem = problems[0]
    code_line = next(i for i, l in enumerate(text.splitlines(), 1)
                     if (new.strip() in l if rule != "lesson-code-mismatch" or "grades" not in new
                         else "8220253511000000" in l))
    assert problem.file.endswith("bad-lesson.yml") and problem.line == code_line, (problem, code_line)
    assert words in problem.message + problem.fix and " / " in problem.message and " / " in problem.fix


def test_code_table_rows_are_well_formed_and_sourced():
    raw = yaml.safe_load((ROOT / "data" / "curriculum-codes.yml").read_text(encoding="utf-8"))
    assert raw["licence"] == "CC BY 4.0" and "文部科学省" in raw["source"]["ja"] and "MEXT" in raw["source"]["en"]
    for code, row in TABLE.items():
        assert re.fullmatch(r"[0-9A-Z]{16}", code)
        # The second digit is the school: 2 primary, 3 lower secondary (MEXT's code layout).
        assert {"2": "小学校", "3": "中学校"}[code[1]] == row.school, code
        assert re.fullmatch(r"\d{3}/\d{13}\.ttl@[0-9a-f]{40}", row.ttl.replace("83C/", "830/")), row.ttl
        assert row.ttl.split("/")[0] + row.ttl.split("/")[1][:13] == code[:3] + code[3:], code  # file named after the code


def test_a_broken_code_table_stops_with_its_line(tmp_path):
    path = tmp_path / "curriculum-codes.yml"
    text = (ROOT / "data" / "curriculum-codes.yml").read_text(encoding="utf-8")
    text = text.replace("    school: 中学校\n    subject: 理科", "    school: 高校\n    subject: 理科", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        model.load_code_table(path)
    problem = caught.value.problems[0]
    assert problem.rule == "curriculum-table" and problem.line == next(
        i for i, l in enumerate(text.splitlines(), 1) if l.startswith('  "8362213200000000"'))


def test_missing_objectives_fail(tmp_path):
    start = GOOD.index("objectives:")
    end = GOOD.index("activities:")
    path = tmp_path / "no-objectives.yml"
    path.write_text(GOOD[:start] + GOOD[end:], encoding="utf-8")
    problems = parse(path)
    assert any("no learning objectives" in p.message and p.line for p in problems), problems


def test_one_language_only_is_an_error(tmp_path):
    path, line = broken(tmp_path, "  ja: 地球温暖化と脱炭素のまちづくり\n  en: Global warming and building a carbon-free society\n",
                        "  ja: 地球温暖化と脱炭素のまちづくり\n")
    assert any("no en text" in p.message for p in parse(path))


def test_each_lesson_needs_a_page_in_each_language_with_its_title(tmp_path):
    for lang in LANGS:
        (tmp_path / lang / "teachers").mkdir(parents=True)
    lesson = LESSONS[0]
    (tmp_path / "ja" / "teachers" / f"{lesson.id}.md").write_text(
        f"---\ntitle: ちがう題名\ndescription: x\nlesson: {lesson.id}\n---\n\n[[lesson]]\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        site.check_pages(tmp_path, list(LANGS), [lesson])
    problems = caught.value.problems
    assert any(p.rule == "lesson-title" and p.line == 2 for p in problems), problems
    assert any(p.rule == "lesson-page" and "has no en page" in p.message for p in problems), problems


def test_build_stops_on_a_bad_lesson_with_file_and_line(project):
    from tests.conftest import run_build

    path = project / "data" / "lessons" / "decarbonization.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("subject: 社会", "subject: 体育"), encoding="utf-8")
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("subject:"))
    result = run_build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert f"data/lessons/decarbonization.yml:{line}" in output and "体育" in output, output
    assert not (project / "site").exists()


def test_build_stops_on_an_unknown_course_of_study_code(project):
    """A code that is not in MEXT's table (data/curriculum-codes.yml) stops the whole build."""
    from tests.conftest import run_build

    path = project / "data" / "lessons" / "disaster-resilience.yml"
    path.write_text(path.read_text(encoding="utf-8").replace('"8220243300000000"', '"8220243300000099"', 1),
                    encoding="utf-8")
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "8220243300000099" in l)
    result = run_build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert f"data/lessons/disaster-resilience.yml:{line}" in output and "lesson-code-unknown" in output, output
    assert "data/curriculum-codes.yml" in output and not (project / "site").exists()


# --- the published files -------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.id)
def test_pdfs_are_in_the_lessons_language_with_its_title_and_embedded_font(built_site, lesson, lang):
    folder = lesson_dir(built_site, lesson, lang)
    for kind in ("worksheet", "teacher-guide", "slides"):
        path = folder / f"{lesson.id}-{kind}-{lang}.pdf"
        reader, text = pdf_text(path)
        flat = re.sub(r"\s+", "" if lang == "ja" else " ", text)
        title = lesson.title[lang] if lang == "ja" else " ".join(lesson.title[lang].split())
        assert title in flat, f"{path.name}: title not in text"
        assert lesson.title[lang] in reader.metadata.title, reader.metadata.title
        assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata
        assert reader.trailer["/Root"]["/Lang"] == lang
        letters = len(re.findall(r"[A-Za-z]", text))
        cjk = len(CJK.findall(text))
        if lang == "ja":
            assert cjk > letters, f"{path.name}: {cjk} Japanese characters, {letters} Latin letters"
        else:
            assert cjk == 0, f"{path.name}: Japanese in the English file: {CJK.findall(text)[:10]}"
        fonts = {font.get_object()["/BaseFont"] for page in reader.pages
                 for font in page["/Resources"]["/Font"].values()}
        assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+BIZ-UDPGothic(-Bold)?", f) for f in fonts), fonts


def test_primary_worksheets_have_furigana_and_others_do_not(built_site):
    from scripts import furigana

    for lesson in LESSONS:
        _, text = pdf_text(lesson_dir(built_site, lesson, "ja") / f"{lesson.id}-worksheet-ja.pdf")
        tokens = set(text.split())
        # The readings a grade-3 reader needs for the tasks, as they print: each a word of its own.
        parts = [lesson.title["ja"], lesson.question["ja"]] + [t.prompt["ja"] for t in lesson.worksheet]
        parts += [o["ja"] for o in lesson.objectives]
        prompts = "。".join(p for p in parts if "[[" not in p)
        grade = T.furigana_grade(lesson) if lesson.primary else 3
        readings = set(re.findall(r"<rt>(.*?)</rt>", furigana.ruby_html(prompts, grade)))
        assert readings, lesson.id
        if lesson.primary:
            assert readings <= tokens, (lesson.id, readings - tokens)
            # The base text copies in reading order; readings come after it, not inside words.
            assert lesson.question["ja"] in re.sub(r"\s+", "", text), lesson.id
        else:
            assert not readings & tokens, (lesson.id, readings & tokens)


def answer_chunks(text: str, lang: str) -> list[str]:
    """Distinctive pieces of a model answer as they print, without its facts (those are on the sheet
    by design), no spaces."""
    plain = T.plain(T.PLACEHOLDER.sub("。", text), lang)
    pieces = re.split(r"[。、，,.:;：「」（）()]|例|For example", plain)
    return [re.sub(r"\s+", "", p) for p in pieces if len(re.sub(r"\s+", "", p)) >= 8]


def flat_text(path: Path) -> str:
    return re.sub(r"\s+", "", pdf_text(path)[1])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.id)
def test_model_answers_are_in_the_guide_and_never_on_the_pupils_sheet(built_site, lesson, lang):
    folder = lesson_dir(built_site, lesson, lang)
    sheet = flat_text(folder / f"{lesson.id}-worksheet-{lang}.pdf")
    # markers and the words-for-shares bridge (a 小4 guide) sit inside the printed answer
    guide = re.sub(r"〔注\d+〕|\[\d+\]|（10回のうち\d+回くらい）|\(about\d+timesin10\)", "",
                   flat_text(folder / f"{lesson.id}-teacher-guide-{lang}.pdf"))
    for number, task in enumerate(lesson.worksheet, 1):
        chunks = answer_chunks(task.answer[lang], lang)
        whole = re.sub(r"\s+", "", T.plain(task.answer[lang], lang))
        assert any(c in guide for c in chunks) or whole in guide, (lesson.id, number, chunks)
        # No piece of any answer that is not also in the task itself (or the sheet's own prompts) is on the sheet.
        own = re.sub(r"\s+", "", T.plain(" ".join([lesson.question[lang]] + [t.prompt[lang] for t in lesson.worksheet]
                                              + [i[lang] for h in lesson.handouts for i in h.items]), lang))
        registry = facts_module.load_registry()  # the sources under the sheet name the outline and its sections
        own += re.sub(r"\s+", "", "".join(facts_module.source_text(registry[f], lang) for f in lesson.facts))
        leaked = [c for c in chunks if c in sheet and c not in own]
        assert not leaked, (lesson.id, number, leaked)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.id)
def test_guides_give_criteria_board_placement_and_care(built_site, lesson, lang):
    guide = flat_text(lesson_dir(built_site, lesson, lang) / f"{lesson.id}-teacher-guide-{lang}.pdf")
    guide = re.sub(r"〔注\d+〕|\[\d+\]", "", guide)
    headings = {"ja": ["評価規準", "知識・技能", "思考・判断・表現", "主体的に学習に取り組む態度", "板書計画",
                       "配慮事項", "単元の中での位置", "解答例"],
                "en": ["Assessmentcriteria", "Knowledgeandskills", "Thinking,judgementandexpression",
                       "Attitudetolearning", "Boardplan", "Notesonsensitivetopics", "Wherethislessonsitsintheunit",
                       "Modelanswers"]}[lang]
    for heading in headings:
        assert heading in guide, (lesson.id, heading)
    for text in [*lesson.criteria.values(), lesson.placement, *lesson.board, *lesson.care]:
        assert re.sub(r"\s+", "", T.plain(text[lang], lang))[:20] in guide, (lesson.id, text[lang])
    for row in lesson.code_rows:  # the item's official text from MEXT's table (Japanese), and its code
        assert row.code in guide and (re.sub(r"\s+", "", row.text)[:20] in guide if lang == "ja" else row.uri in guide)


def test_no_lesson_says_none_applies_and_items_are_not_called_units(built_site):
    for lesson in LESSONS:
        for lang in LANGS:
            html = without_readings((built_site / PREFIX[lang] / "teachers" / lesson.id / "index.html")
                                    .read_text(encoding="utf-8"))
            guide = flat_text(lesson_dir(built_site, lesson, lang) / f"{lesson.id}-teacher-guide-{lang}.pdf")
            for text in (html, guide):
                assert "該当なし" not in text and "None applies" not in text and "単元：" not in text, lesson.id
            if not lesson.codes:
                assert ("コード未記載" if lang == "ja" else "No code given") in html, lesson.id
            for row in lesson.code_rows:
                assert (row.text in html or lang != "ja") and row.uri in html, (lesson.id, row.code)


FACT_VALUES = None


def _fact_values() -> dict[str, list[str]]:
    from scripts import facts

    registry = facts.load_registry()
    return {lang: sorted({facts.format_fact(f, lang) for f in registry.values()}, key=len, reverse=True)
            for lang in LANGS}


def test_no_fact_value_is_followed_by_a_digit_marker_in_any_pdf(built_site):
    """Notes are 〔注1〕 / [1]: never a digit right after 震度7 or 約2割 (read as 7², copied as 震度72)."""
    values = _fact_values()
    pdfs = sorted(built_site.glob("**/teachers/downloads/**/*.pdf"))
    kinds = {p.name.rsplit("-", 1)[0].split("-")[-1] for p in pdfs}
    assert {"worksheet", "guide", "slides"} <= kinds and any("poster" in str(p) for p in pdfs), kinds
    checked = 0
    for path in pdfs:
        lang = "en" if path.stem.endswith("-en") or "/en/" in str(path) and not path.stem.endswith("-ja") else "ja"
        text = pdf_text(path)[1]
        for value in (v for v in values[lang] if not v.isdigit() or len(v) >= 4):  # not a bare "4"
            flat_value = re.escape(value).replace("\\ ", r"\s*")
            # A marker is one or two digits (or a superscript) right after the value; a year or another
            # number that happens to follow on the next line (2,453万人 / 2015年から…) is not.
            for m in re.finditer(flat_value + r"[ \t]*(?:[\u00b2\u00b3\u00b9\u2070-\u2079]|\d{1,2}(?![\d年月,.%]))", text):
                raise AssertionError(f"{path.name}: {value!r} followed by a digit: {text[m.start():m.end() + 10]!r}")
            checked += 1
    assert checked


def test_young_pupils_get_readings_on_fact_values_and_a_bridge_for_shares(built_site):
    lesson = next(l for l in LESSONS if l.id == "disaster-resilience")
    assert T.needs_bridge(lesson) and lesson.grades[0] == "小4"
    text = flat_text(lesson_dir(built_site, lesson, "ja") / f"{lesson.id}-worksheet-ja.pdf")
    raw = pdf_text(lesson_dir(built_site, lesson, "ja") / f"{lesson.id}-worksheet-ja.pdf")[1]
    assert "約2割（10回のうち2回くらい）" in text
    tokens = set(raw.split())
    assert {"わり", "やく", "しんど"} <= tokens, tokens  # 割, 約 and 震 in the values have readings
    # The value is shown once where its label already holds it: no 「…震度7）：震度7」.
    assert "震度7）：震度7" not in text and "震度7）〔注" in text
    older = next(l for l in LESSONS if "小5" in l.grades[:1] and any(f == "large-earthquakes-share" for f in l.facts)) \
        if any("小5" in l.grades[:1] and "large-earthquakes-share" in l.facts for l in LESSONS) else None
    if older:
        assert "10回のうち" not in flat_text(lesson_dir(built_site, older, "ja") / f"{older.id}-worksheet-ja.pdf")
    middle = next(l for l in LESSONS if l.id == "earthquakes-and-volcanoes")
    assert "10回のうち" not in flat_text(lesson_dir(built_site, middle, "ja") / f"{middle.id}-worksheet-ja.pdf")


@pytest.mark.parametrize("lang", LANGS)
def test_a_task_that_asks_for_a_source_does_not_print_it_on_the_sheet(built_site, lang):
    lesson = next(l for l in LESSONS if any(not t.source_on_sheet for t in l.worksheet))
    folder = lesson_dir(built_site, lesson, lang)
    sheet = flat_text(folder / f"{lesson.id}-worksheet-{lang}.pdf")
    guide = flat_text(folder / f"{lesson.id}-teacher-guide-{lang}.pdf")
    from scripts import facts

    section = re.sub(r"\s+", "", facts.load_registry()["large-earthquakes-share"].source.split()[-1])
    assert section not in sheet and section in guide
    for handout in lesson.handouts:  # the checklist and example messages are in the pack
        assert re.sub(r"\s+", "", handout.items[0][lang])[:15] in sheet


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.id)
def test_zip_is_dated_from_git_and_has_a_plain_readme(built_site, lesson, lang):
    import subprocess

    path = lesson_dir(built_site, lesson, lang) / f"{lesson.id}-{lang}.zip"
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        readme = archive.read(f"{lesson.id}-{lang}/README.txt").decode("utf-8")
    stamp = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%cd", "--date=format-local:%Y %m %d",
                            "--", f"data/lessons/{lesson.id}.yml", "data/facts.yml", "data/charts.yml",
                            "data/curriculum-codes.yml", "scripts/lessons/templates"],
                           capture_output=True, text=True, env={"TZ": "UTC", "PATH": "/usr/bin:/bin"}).stdout.split()
    assert stamp, "git has no date for the lesson's sources"
    assert {i.date_time[:3] for i in infos} == {tuple(int(x) for x in stamp)}, (infos[0].date_time, stamp)
    assert f"{lesson.id}-worksheet-{lang}.pdf" in readme and f"{lesson.id}-teacher-guide-{lang}.pdf" in readme
    assert ("解答例" if lang == "ja" else "model answers") in readme
    assert not re.search(r"SHA|hash|checksum|ハッシュ", readme, re.I)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.id)
def test_zip_matches_its_manifest_and_licence(built_site, lesson, lang):
    path = lesson_dir(built_site, lesson, lang) / f"{lesson.id}-{lang}.zip"
    with zipfile.ZipFile(path) as archive:
        names = [i.filename for i in archive.infolist()]
        folder = f"{lesson.id}-{lang}/"
        manifest = json.loads(archive.read(folder + "manifest.json"))
        listed = {f["path"]: f for f in manifest["files"]}
        assert set(listed) == {n[len(folder):] for n in names} - {"manifest.json"}
        for name, entry in listed.items():
            data = archive.read(folder + name)
            assert len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"], name
        licence = archive.read(folder + "LICENSE.txt").decode("utf-8")
        kinds = {n.rsplit(".", 1)[-1] for n in listed}
        slides = [n for n in listed if n.startswith("slides/")]
    assert manifest["lesson"] == lesson.id and manifest["language"] == lang
    assert "PDL1.0" in licence and "CC BY 4.0" in licence and manifest["url"] in licence
    assert {"pdf", "png", "txt"} <= kinds and len(slides) >= 5
    assert sum(n.startswith("infographics/") for n in listed) == len(lesson.infographics)
    # The published files are the same bytes as in the ZIP.
    for name in listed:
        published = lesson_dir(built_site, lesson, lang) / Path(name).name
        if published.exists():
            assert hashlib.sha256(published.read_bytes()).hexdigest() == listed[name]["sha256"], name


SMALL_KANA_START = re.compile(r"^[ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々、。）」』]")


@pytest.mark.parametrize("kind", ["poster", "slides"])
def test_japanese_lines_never_start_with_small_kana_or_a_lone_su(built_site, kind):
    """Posters and slides break between BudouX phrases: no line starts with ゃ, ッ or ー, no lone 「す。」."""
    paths = sorted(p for p in built_site.glob("teachers/downloads/**/*.pdf")
                   if kind in p.name and ("-ja" in p.stem or "ja-en" in p.stem))
    assert paths
    lines = 0
    for path in paths:
        for line in pdf_text(path)[1].splitlines():
            line = line.strip()
            if not CJK.search(line):
                continue
            lines += 1
            assert not SMALL_KANA_START.match(line), f"{path.name}: line starts badly: {line!r}"
            assert line not in ("す。", "す", "ます。"), f"{path.name}: a lone {line!r} line"
    assert lines > 20


def test_bilingual_posters_label_their_chart_in_both_languages(built_site):
    from scripts import facts

    registry = facts.load_registry()
    posters = [p for p in POSTERS if p.chart]
    assert posters
    for poster in posters:
        text = pdf_text(built_site / "teachers" / "downloads" / "posters" / f"{poster.field}-poster-a4-ja-en.pdf")[1]
        flat = re.sub(r"\s+", " ", text)
        for fact_id in documents.charts_config()[poster.chart]["facts"]:
            label = registry[fact_id].label
            assert " ".join(label["en"].split()[:4]) in flat and label["ja"][:8] in text.replace("\n", ""), fact_id


def test_poster_links_on_the_teachers_page_say_what_they_are(built_site):
    for lang in LANGS:
        html = without_readings((built_site / PREFIX[lang] / "teachers" / "index.html").read_text(encoding="utf-8"))
        html = html.replace("<wbr>", "")
        labels = re.findall(r'<a href="downloads/posters/[^"]+"[^>]*>([^<]+)</a>', html)
        assert labels
        pattern = (r"A[34]判 (PDF、1ページ、[\d,.]+ (KB|MB)|画像（PNG、300 dpi）、[\d,.]+ (KB|MB))" if lang == "ja" else
                   r"A[34] (PDF, 1 page, [\d,.]+ (KB|MB)|image \(PNG, 300 dpi\), [\d,.]+ (KB|MB))")
        assert all(re.fullmatch(pattern, label) for label in labels), labels
        assert "SHA-256" not in html


def test_slides_are_16_9_full_hd(built_site):
    for lesson in LESSONS:
        for lang in LANGS:
            slides = sorted(lesson_dir(built_site, lesson, lang).glob(f"{lesson.id}-slide-*-{lang}.png"))
            assert len(slides) >= 5
            for path in slides + sorted(lesson_dir(built_site, lesson, lang).glob("*-infographic-*.png")):
                with Image.open(path) as image:
                    assert image.size == (1920, 1080), path.name


PAPER_PX = {"a4": (2480, 3508), "a3": (3508, 4961)}  # at 300 dpi
PAPER_PT = {"a4": (595.3, 841.9), "a3": (841.9, 1190.6)}


@pytest.mark.parametrize("poster", POSTERS, ids=lambda p: p.field)
def test_posters_are_a4_and_a3_at_300_dpi_in_every_variant(built_site, poster):
    seen = set()
    for lang in LANGS:
        folder = built_site / PREFIX[lang] / "teachers" / "downloads" / "posters"
        for variant in (lang, "ja-en"):
            for paper in ("a4", "a3"):
                stem = folder / f"{poster.field}-poster-{paper}-{variant}"
                with Image.open(stem.with_suffix(".png")) as image:
                    assert image.size == PAPER_PX[paper], stem.name
                    assert [round(d) for d in image.info["dpi"]] == [300, 300], stem.name
                reader, text = pdf_text(stem.with_suffix(".pdf"))
                assert len(reader.pages) == 1
                box = reader.pages[0].mediabox
                assert (round(float(box.width), 1), round(float(box.height), 1)) == PAPER_PT[paper], stem.name
                main = variant.split("-")[0]
                title = T.explainer(model.FIELDS[poster.field], main)["title"]
                assert title in re.sub(r"\s+", "" if main == "ja" else " ", text), stem.name
                if variant == "ja-en":
                    assert CJK.search(text) and re.search(r"[A-Za-z]{4,}", text), stem.name
                seen.add((variant, paper))
    assert seen == {(v, p) for v in ("ja", "en", "ja-en") for p in ("a4", "a3")}


@pytest.mark.parametrize("lang", LANGS)
def test_lesson_pages_carry_learning_resource_json_ld(built_site, lang):
    for lesson in LESSONS:
        html = (built_site / PREFIX[lang] / "teachers" / lesson.id / "index.html").read_text(encoding="utf-8")
        blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
        data = next(b for b in blocks if b.get("@type") == "LearningResource")
        assert data["@context"] == "https://schema.org"
        assert data["name"] == lesson.title[lang] and data["inLanguage"] == lang
        assert re.fullmatch(r"PT(\d+)M", data["timeRequired"]).group(1) == str(lesson.minutes)
        assert data["educationalLevel"] and len(data["teaches"]) == len(lesson.objectives)
        assert all(isinstance(t, str) and "[[" not in t for t in data["teaches"])
        assert "lesson plan" in data["learningResourceType"]
        assert data["license"].startswith("https://www.digital.go.jp/") and "public_data_license" in data["license"]
        assert data["url"].endswith(f"{PREFIX[lang]}teachers/{lesson.id}/")
        alignments = data["educationalAlignment"]
        assert all(a["@type"] == "AlignmentObject" for a in alignments)
        codes = [a.get("targetName") for a in alignments if a.get("alignmentType") == "teaches"]
        assert codes == list(lesson.codes), codes
        for a in (a for a in alignments if a.get("alignmentType") == "teaches"):
            assert a["targetUrl"] == f"https://w3id.org/jp-cos/{a['targetName']}"
            assert a["targetDescription"] == TABLE[a["targetName"]].text
        for media in data["associatedMedia"]:
            path = built_site / media["contentUrl"][len(publisher.load().site_url):]
            assert path.is_file() and f"{path.stat().st_size} B" == media["contentSize"], media


@pytest.mark.parametrize("lang", LANGS)
def test_lesson_page_shows_metadata_and_links_every_download(built_site, lang):
    lesson = next(l for l in LESSONS if l.codes)
    page = built_site / PREFIX[lang] / "teachers" / lesson.id / "index.html"
    html = without_readings(page.read_text(encoding="utf-8"))
    assert all(c in html for c in lesson.codes) and T.grades_label(lesson.grades, lang) in html
    for activity in lesson.activities:
        assert activity.title[lang] in html
    hrefs = re.findall(r'href="(\.\./downloads/[^"]+)"', html)
    assert len(hrefs) >= 10
    for href in hrefs:
        assert (page.parent / href).resolve().is_file(), href


# --- same input, same bytes; no change, no rendering -----------------------------------------

def test_rendering_is_reproducible_and_cached(tmp_path, monkeypatch, built_site):
    """A fresh cache renders byte-identical files to the site's; a second run renders nothing."""
    monkeypatch.setenv("LESSON_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LESSON_WORKERS", "1")
    lesson = next(l for l in LESSONS if l.field == "trust")  # no poster: the smallest pack
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=downloads._AnyTagLoader)
    extra = dict(config["extra"], site_root_url=config["site_url"])
    info = downloads.site_info(extra)
    first = downloads.prepare([lesson], [], info, ["en"])
    assert first.made > 0
    again = downloads.prepare([lesson], [], info, ["en"])
    assert again.made == 0 and again.cached == first.made
    for item in first.lessons[(lesson.id, "en")]:
        published = built_site / "en" / item.path
        assert item.source.read_bytes() == published.read_bytes(), item.filename


def test_same_html_gives_the_same_pdf_bytes():
    html = "<html lang=ja><title>t</title><body style=\"font-family: 'BIZ UDPGothic'\">防災の授業</body></html>"
    first, _ = render.pdf_bytes(html)
    second, _ = render.pdf_bytes(html)
    assert first == second and b"CreationDate" not in first


def test_print_ruby_places_readings_after_the_word():
    html = T.print_ruby("自然<ruby>災害<rp>(</rp><rt>さいがい</rt><rp>)</rp></ruby>から")
    assert html == '自然<ruby>災害<rt style="width: 4em; margin-left: -4em">さいがい</rt></ruby>から'
    wide = T.print_ruby("<ruby>家<rp>(</rp><rt>いえ</rt><rp>)</rp></ruby>")
    assert 'width: 2em; margin-left: -2em' in wide
    long = T.print_ruby("<ruby>承<rp>(</rp><rt>うけたまわ</rt><rp>)</rp></ruby>")
    assert 'width: 5em; margin-left: -3.5em' in long


def _poster_site() -> dict:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=downloads._AnyTagLoader)
    return downloads.site_info(dict(config["extra"], site_root_url=config["site_url"]))


@pytest.mark.parametrize("variant", documents.poster_variants(model.lesson_languages()))
def test_a_poster_too_full_to_print_is_found(variant, monkeypatch):
    """A poster is one fixed sheet: too much text makes its blocks overlap instead of adding a page,
    so the build looks at the layout (the real poster fits; the same with its themes three times does not)."""
    site_values = _poster_site()
    poster = next(p for p in model.load_posters() if p.chart)
    fits: list[str] = []
    pdf, _ = render.pdf_bytes(documents.poster(poster, variant, "A4", site_values), fits)
    assert fits == [] and len(PdfReader(io.BytesIO(pdf)).pages) == 1
    explainer = T.explainer

    def longer(page, lang):
        info = dict(explainer(page, lang))
        info["themes"] = list(info["themes"] or []) * 3
        return info

    monkeypatch.setattr(T, "explainer", longer)
    crowded: list[str] = []
    pdf, _ = render.pdf_bytes(documents.poster(poster, variant, "A4", site_values), crowded)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    # Either its blocks overlap, or the sheet runs onto a second page: the build reports both (lesson-overflow).
    assert (crowded and "overlaps" in crowded[0]) or pages > 1, (crowded, pages)
