"""Translation status (scripts/translations.py): fingerprints, git dates, notices, fallbacks, terminology.

Build tests use a copy of the project with its own git repository, so the
dates come from real commits; nothing here writes into the real docs/.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

from scripts import ROOT, translations
from scripts.glossary import Entry, Term
from scripts.problems import ContentError
from scripts import publisher as _publisher
from tests.conftest import copy_project, run_build
from tests.html_tools import without_readings

SITE = _publisher.load().site_url  # site_url in mkdocs.yml
PAGE = """---
title: 技術基本計画とは
description: この計画の説明です。
tags: [plan]
---

# 技術基本計画とは

この計画は、国土交通省が技術をどう使うかを決めます。
期間は5年です。
"""


# --- helpers ----------------------------------------------------------------------------------

def git(project: Path, *args: str, date: str = "2026-01-05T10:00:00+09:00") -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="Editor", GIT_AUTHOR_EMAIL="editor@example.jp",
               GIT_COMMITTER_NAME="Editor", GIT_COMMITTER_EMAIL="editor@example.jp",
               GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


def commit(project: Path, message: str, date: str) -> None:
    git(project, "add", "-A", date=date)
    git(project, "commit", "-q", "--allow-empty", "-m", message, date=date)  # marking may change nothing


def cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "scripts", "translations", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)


def status_of(project: Path) -> dict[str, dict]:
    result = cli(project, "status", "--json")
    assert result.stdout, result.stderr
    return {p["page"]: p for p in json.loads(result.stdout)["pages"]}


def adopt(project: Path) -> Path:
    """A git history like the real one: pages written on 5 January, translations marked on 1 February."""
    (project / ".gitignore").write_text("/site/\n/.site-*/\n/.cache/\n__pycache__/\n", encoding="utf-8")
    git(project, "init", "-q")
    commit(project, "pages", "2026-01-05T10:00:00+09:00")
    result = cli(project, "mark-reviewed", "--all")
    assert result.returncode == 0, result.stdout + result.stderr
    commit(project, "translations reviewed", "2026-02-01T10:00:00+09:00")
    return project


def notice_of(html: str) -> str | None:
    match = re.search(r'<div class="admonition warning translation-notice".*?</div>', html, re.S)
    return match.group(0) if match else None


def page_html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


# --- fingerprints: the documented rule -----------------------------------------------------------

def test_whitespace_of_any_kind_does_not_change_the_fingerprint():
    reflowed = (PAGE.replace("\n", "\r\n").replace("ます。\r\n期間", "ます。期間")
                .replace("# 技術", "#   技術").replace("国土交通省", "国土　交通省") + "\n\n  \n")
    assert translations.source_hash("\ufeff" + reflowed) == translations.source_hash(PAGE)


def test_a_changed_word_changes_the_fingerprint():
    assert translations.source_hash(PAGE.replace("5年", "10年")) != translations.source_hash(PAGE)


@pytest.mark.parametrize("key, counts", [("title", True), ("description", True), ("tags", False)])
def test_only_title_and_description_count_in_front_matter(key, counts):
    meta = yaml.safe_load(PAGE.split("---")[1])
    meta[key] = ["other"] if key == "tags" else "別の文"
    edited = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---" + PAGE.split("---", 2)[2]
    assert (translations.source_hash(edited) != translations.source_hash(PAGE)) is counts


def test_editor_comments_do_not_count():
    assert translations.source_hash(PAGE + "<!-- 確認中: 数字を見直す -->\n") == translations.source_hash(PAGE)


def test_the_recorded_hash_is_read_from_front_matter():
    text = "---\ntitle: X\ntranslation:\n  source_hash: sha256:abc\n---\n\n# X\n"
    assert translations.recorded_hash(text) == "sha256:abc"
    assert translations.recorded_hash("# no front matter\n") is None


# --- mark-reviewed edits one key and nothing else ---------------------------------------------------

NEW = "sha256:" + "1" * 64


def changed_lines(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    return [line for line in a if line not in b], [line for line in b if line not in a]


def test_marking_adds_the_key_and_keeps_every_other_byte():
    before = ("---\r\ntitle: 'About: the plan'   # quoted on purpose\r\ndescription: >-\r\n  Two\r\n  lines.\r\n"
              "hide: [toc]\r\n---\r\n\r\n# About\r\n\r\nText  \r\n").encode()
    after = translations.set_source_hash(before, NEW)
    removed, added = changed_lines(before, after)
    assert removed == [] and added == [b"translation:\r\n", f"  source_hash: {NEW}\r\n".encode()]
    assert after.index(b"translation:") > after.index(b"hide:")  # appended, keys not reordered


def test_marking_replaces_only_the_hash_line_of_an_existing_entry():
    before = ("\ufeff---\ntitle: About\ntranslation:\n    note: checked by Sato\n    source_hash: sha256:old\n"
              "description: D\n---\n# About\n").encode()
    after = translations.set_source_hash(before, NEW)
    assert changed_lines(before, after) == ([b"    source_hash: sha256:old\n"], [f"    source_hash: {NEW}\n".encode()])
    assert after.startswith("\ufeff".encode())


def test_marking_an_inline_entry_keeps_its_other_keys():
    after = translations.set_source_hash(b"---\ntitle: A\ntranslation: {note: ok, source_hash: x}\n---\n# A\n", NEW)
    meta, _, body = translations.split_front_matter(after.decode())
    assert meta == {"title": "A", "translation": {"note": "ok", "source_hash": NEW}} and body == "# A\n"


def test_marking_a_page_without_front_matter_adds_one():
    after = translations.set_source_hash(b"# Title\n\nText\n", NEW)
    assert after.endswith(b"---\n# Title\n\nText\n")
    assert translations.recorded_hash(after.decode()) == NEW


def test_mark_reviewed_refuses_source_pages_and_orphans(tmp_path):
    policy = translations.load_policy()
    for path in ["ja/a.md", "en/a.md", "en/orphan.md"]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("# A\n", encoding="utf-8")
    with pytest.raises(ContentError, match="only translations are marked"):
        translations.mark_reviewed(tmp_path / "ja/a.md", tmp_path, "ja", policy)
    with pytest.raises(ContentError, match="does not exist"):
        translations.mark_reviewed(tmp_path / "en/orphan.md", tmp_path, "ja", policy)
    assert translations.mark_reviewed(tmp_path / "en/a.md", tmp_path, "ja", policy)[1] == "marked"
    assert translations.mark_reviewed(tmp_path / "en/a.md", tmp_path, "ja", policy)[1] == "already current"


# --- statuses and policy, without git or a build -----------------------------------------------------

@pytest.fixture
def docs(tmp_path: Path) -> Path:
    pages = {"ja/index.md": "# ホーム\n", "en/index.md": "# Home\n", "ja/required.md": "# 必須\n",
             "ja/optional.md": "# 任意\n", "en/orphan.md": "# Orphan\n", "ja/news/posts/only-ja.md": "# 記事\n"}
    for path, text in pages.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    return tmp_path


def report_for(docs: Path, policy=None, terms=()):
    return translations.build_report(docs, "ja", ["en"], policy or translations.load_policy(),
                                     {"index.md", "required.md"}, list(terms), translations.History())


def test_every_state_and_what_the_policy_does_with_it(docs):
    report = report_for(docs)
    states = {p.page: (p.status, p.served_as) for p in report.pages}
    assert states == {"index.md": ("stale", "translation"), "required.md": ("missing", "fallback"),
                      "optional.md": ("missing", "fallback"), "orphan.md": ("orphaned", "translation")}
    errors = {(Path(p.file).name, p.rule) for p in report.errors()}
    assert errors == {("required.md", "missing-translation"), ("orphan.md", "orphaned-translation")}
    assert {Path(p.file).name for p in report.warnings()} == {"index.md", "optional.md"}
    assert report.single_language == ["ja/news/posts/only-ja.md"]  # news posts: scripts/news.py decides


def test_policy_is_read_from_one_file(docs, tmp_path):
    policy_file = tmp_path / "policy.yml"
    text = (ROOT / "data/translation-policy.yml").read_text(encoding="utf-8")
    policy_file.write_text(text.replace("orphaned: fail", "orphaned: warn")
                           .replace("missing_pages: fallback", "missing_pages: omit"), encoding="utf-8")
    report = report_for(docs, translations.load_policy(policy_file))
    assert {Path(p.file).name for p in report.errors()} == {"required.md"}
    assert report.fallbacks("en") == [] and report.page("en", "optional.md").served_as == "omitted"


def test_a_wrong_policy_value_names_the_line_and_the_choices(tmp_path):
    policy_file = tmp_path / "policy.yml"
    text = (ROOT / "data/translation-policy.yml").read_text(encoding="utf-8")
    policy_file.write_text(text.replace("stale: warn", "stale: sometimes"), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        translations.load_policy(policy_file)
    line = next(i for i, t in enumerate(policy_file.read_text(encoding="utf-8").splitlines(), 1) if "sometimes" in t)
    assert f"policy.yml:{line}" in str(error.value) and "fail, warn, ignore" in str(error.value)


def test_switcher_leads_to_a_fallback_page_but_hreflang_does_not(tmp_path):
    from scripts.languages import Language, alternates

    ja, en = Language("ja", "日本語", "mkdocs.yml", "", "Jpan"), Language("en", "English", "mkdocs.en.yml", "en/", "Latn")
    (tmp_path / "ja").mkdir()
    (tmp_path / "ja/only-ja.md").write_text("# x\n", encoding="utf-8")
    plain = {a.language.code: a for a in alternates("only-ja.md", "only-ja/", ja, [ja, en], tmp_path, SITE)}
    served = {a.language.code: a for a in alternates("only-ja.md", "only-ja/", ja, [ja, en], tmp_path, SITE,
                                                     {"en": ["only-ja.md"]})}
    assert plain["en"].href == "../en/" and served["en"].href == "../en/only-ja/"
    assert not served["en"].exists  # so main.html and sitemap.xml list no English alternate


# --- terminology ---------------------------------------------------------------------------------------

TERMS = [
    Term("national-resilience", {"ja": Entry("国土強靱化", "d", ("国土強靭化",)),
                                 "en": Entry("national resilience", "d", ("national land resilience",))}),
    Term("infrastructure", {"ja": Entry("インフラ", "d"), "en": Entry("infrastructure", "d")}),
    Term("infrastructure-maintenance", {"ja": Entry("インフラメンテナンス", "d"),
                                        "en": Entry("infrastructure maintenance", "d")}),
    Term("smart-city", {"ja": Entry("スマートシティ", "d"), "en": Entry("smart city", "d")}),
    Term("ai", {"ja": Entry("AI", "d"), "en": Entry("AI", "d", ("artificial intelligence",))}),
]


def missing_terms(ja: str, en: str) -> set[str]:
    return {term.id for term, _ in translations.terminology_problems(ja, en, TERMS, "ja", "en")}


def test_a_japanese_term_needs_its_english_term():
    assert missing_terms("国土強靭化を進めます。", "We make the country stronger.") == {"national-resilience"}
    assert missing_terms("国土強靭化を進めます。", "Work on National\nResilience.") == set()
    assert missing_terms("国土強靱化を進めます。", "national land resilience") == set()  # an alias


def test_longest_term_wins_and_plurals_count():
    assert missing_terms("インフラメンテナンスとスマートシティ", "infrastructure maintenance in smart cities") == set()


def test_terms_in_link_targets_and_inside_words_do_not_count():
    assert missing_terms("[説明](https://example.jp/ai/)を読む。maintain", "Read the explanation.") == set()
    assert missing_terms("AIで点検します。", "Inspections with artificial intelligence.") == set()
    assert missing_terms("AIで点検します。", "Inspections with machines; it is plain.") == {"ai"}


def test_terminology_warnings_appear_in_the_status(docs):
    (docs / "ja/index.md").write_text("# ホーム\n\n国土強靱化の話。\n", encoding="utf-8")
    report = report_for(docs, terms=TERMS)
    problems = [p for p in report.warnings() if p.rule == "terminology"]
    assert len(problems) == 1 and "national resilience" in problems[0].message


# --- git history --------------------------------------------------------------------------------------

def test_dates_come_from_the_last_change_that_counts(tmp_path):
    project = tmp_path / "repo"
    (project / "docs/ja").mkdir(parents=True)
    page = project / "docs/ja/page.md"
    page.write_text(PAGE, encoding="utf-8")
    git(project, "init", "-q")
    commit(project, "write", "2026-01-05T10:00:00+09:00")
    page.write_text(PAGE.replace("5年", "10年"), encoding="utf-8")
    commit(project, "edit", "2026-03-10T23:30:00+00:00")  # 11 March in Japan
    page.write_text(PAGE.replace("5年", "10年").replace("\n期間", "\n\n期間"), encoding="utf-8")
    commit(project, "whitespace", "2026-04-01T10:00:00+09:00")
    (project / "docs/ja/gone.md").write_text("# 消える\n", encoding="utf-8")
    commit(project, "add", "2026-04-02T10:00:00+09:00")
    (project / "docs/ja/gone.md").unlink()
    commit(project, "remove", "2026-04-03T10:00:00+09:00")
    history = translations.git_history(project, "docs/ja", ("title", "description"))
    assert history.available
    assert history.changed["page.md"].isoformat() == "2026-03-11"
    assert history.removed["gone.md"].isoformat() == "2026-04-03"
    assert history.versions["page.md"][translations.source_hash(PAGE)].isoformat() == "2026-01-05"


def test_without_git_dates_are_file_times(tmp_path):
    assert translations.git_history(tmp_path, "docs/ja", ()).available is False


# --- the real site follows the policy -----------------------------------------------------------------

def test_real_pages_have_no_missing_required_or_orphaned_translations():
    source, targets = translations._languages(ROOT)
    report = translations.build_report(ROOT / "docs", source, targets)
    assert not report.errors(), "\n".join(str(p) for p in report.errors())
    if report.warnings():  # stale pages and terms warn (policy): one entry in pytest's summary
        lines = [f"{p.file}: [{p.rule}] {p.message}" for p in report.warnings()]
        warnings.warn(f"{len(lines)} translation warnings (details: make translations):\n" + "\n".join(lines),
                      UserWarning, stacklevel=1)


# --- end to end: git history, command line, build ----------------------------------------------------

@pytest.fixture(scope="module")
def edited(tmp_path_factory, compiled_scripts) -> dict:
    """Translations adopted; then two Japanese pages edited and one added without a translation, one of
    the two translations updated and marked reviewed; then one build (builds are the slow part)."""
    project = adopt(copy_project(tmp_path_factory.mktemp("edited") / "project", compiled_scripts))
    for name in ("index", "follow-up"):
        page = project / f"docs/ja/plan/{name}.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n計画は毎年見直します。\n", encoding="utf-8")
    (project / "docs/ja/plan/extra.md").write_text(
        "---\ntitle: 追加のページ\ndescription: 追加のページの説明です。\n---\n\n"
        "# 追加のページ\n\nまだ英語にしていない追加の説明文です。\n", encoding="utf-8")
    commit(project, "edit and add", "2026-03-10T10:00:00+09:00")
    before_marking = status_of(project)
    table = cli(project, "status")
    reviewed = project / "docs/en/plan/follow-up.md"
    bytes_before = reviewed.read_bytes()
    marked = cli(project, "mark-reviewed", "docs/en/plan/follow-up.md")
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return {"project": project, "site": project / "site", "before": before_marking, "table": table,
            "marked": marked, "changed": changed_lines(bytes_before, reviewed.read_bytes())}


def test_editing_a_japanese_page_makes_its_translation_stale(edited):
    status = edited["before"]
    assert status["plan/index.md"]["status"] == "stale"
    assert status["plan/index.md"]["source_changed"] == "2026-03-10"
    assert status["plan/index.md"]["reviewed_version"] == "2026-01-05"
    assert status["plan/follow-up.md"]["status"] == "stale"
    assert status["plan/implementation.md"]["status"] == "current"
    table = edited["table"]
    assert table.returncode == 0, table.stderr  # stale and optional-missing only warn
    assert re.search(r"docs/en/plan/index\.md\s+stale\s+2026-03-10", table.stdout)
    assert "warning [stale-translation]" in table.stderr


def test_stale_page_shows_an_english_notice_with_the_date_and_a_link(edited):
    notice = notice_of(page_html(edited["site"], "en/plan"))
    assert notice is not None
    assert 'lang="en"' in notice and "This translation may be out of date" in notice
    assert '<time datetime="2026-03-10">March 10, 2026</time>' in notice
    assert '<a href="../../plan/" hreflang="ja">the Japanese original</a>' in notice
    assert notice_of(page_html(edited["site"], "en/plan/implementation")) is None  # current
    assert notice_of(page_html(edited["site"], "plan")) is None  # never on the Japanese site


def test_marking_reviewed_clears_the_status_and_the_notice(edited):
    assert edited["marked"].returncode == 0 and "marked" in edited["marked"].stdout, edited["marked"].stderr
    removed, added = edited["changed"]  # one line changed: the hash
    assert [line.strip().split(b":")[0] for line in removed + added] == [b"source_hash", b"source_hash"]
    assert status_of(edited["project"])["plan/follow-up.md"]["status"] == "current"
    assert notice_of(page_html(edited["site"], "en/plan/follow-up")) is None  # stale before marking


def test_untranslated_page_is_the_japanese_original_with_an_english_notice(edited):
    assert edited["before"]["plan/extra.md"]["status"] == "missing"
    html = without_readings(page_html(edited["site"], "en/plan/extra"))
    assert '<link rel="canonical" href="' + SITE + 'plan/extra/">' in html
    assert not re.search(r'<link rel="alternate" hreflang="en"', html)
    assert '<div lang="ja"><h1' in html and "まだ英語にしていない追加の説明文です" in html
    notice = notice_of(html)
    assert notice is not None and 'lang="en"' in notice and "Not yet translated" in notice
    assert 'href="../../../plan/extra/"' in notice


def test_untranslated_page_is_left_out_of_english_sitemap_and_search(edited):
    site = edited["site"]
    assert "plan/extra/" not in (site / "en/sitemap.xml").read_text(encoding="utf-8")
    assert SITE + "plan/extra/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    japanese = page_html(site, "plan/extra")
    assert not re.search(r'<link rel="alternate" hreflang="en"', japanese)  # no English alternate either
    assert re.search(r'href="../../en/plan/extra/" hreflang="en"', japanese)  # the switcher still leads there
    en_index = json.dumps(json.loads((site / "en/search/search_index.json").read_text(encoding="utf-8")),
                          ensure_ascii=False)
    assert "まだ英語にしていない" not in en_index


def test_deleting_a_japanese_page_reports_the_orphan_and_stops_the_build(project):
    adopt(project)
    (project / "docs/ja/about/terms.md").unlink()
    commit(project, "remove terms", "2026-04-06T10:00:00+09:00")
    assert status_of(project)["about/terms.md"]["status"] == "orphaned"
    result = cli(project, "status")
    assert result.returncode == 1
    assert "docs/en/about/terms.md: エラー error [orphaned-translation]" in result.stderr
    assert "deleted on 2026-04-06" in result.stderr
    build = run_build(project)
    assert build.returncode != 0 and "Traceback" not in build.stderr
    assert "docs/en/about/terms.md" in build.stderr and "delete docs/en/about/terms.md" in build.stderr


def test_whitespace_and_other_front_matter_edits_keep_translations_current(project):
    adopt(project)
    follow_up = project / "docs/ja/plan/follow-up.md"
    follow_up.write_bytes(follow_up.read_bytes().replace(b"\n", b"\r\n").replace("。".encode(), "。 ".encode()))
    implementation = project / "docs/ja/plan/implementation.md"
    implementation.write_text(implementation.read_text(encoding="utf-8").replace("---\n", "---\nhide: [toc]\n", 1),
                              encoding="utf-8")
    role = project / "docs/ja/plan/role-of-technology.md"
    text = role.read_text(encoding="utf-8")
    role.write_text(re.sub(r"^title: (.*)$", r"title: \1（改）", text, count=1, flags=re.M), encoding="utf-8")
    commit(project, "small edits", "2026-04-01T10:00:00+09:00")
    status = status_of(project)
    assert status["plan/follow-up.md"]["status"] == "current"
    assert status["plan/follow-up.md"]["source_changed"] == "2026-01-05"  # a whitespace commit is no change
    assert status["plan/implementation.md"]["status"] == "current"
    assert status["plan/role-of-technology.md"]["status"] == "stale"  # the title is translated
