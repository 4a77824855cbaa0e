"""A third language is configuration, not a refactor (issue 17): add Korean with one page,
its UI catalog and its settings file, change nothing under scripts/, and build the site."""
from __future__ import annotations

import re
import shutil

from tests.conftest import run_build

KO_CONFIG = """INHERIT: mkdocs.yml
site_name: 기술기본계획 쉽게 읽기
site_description: 기술기본계획 골자(안)을 쉬운 말로 설명하는 사이트입니다.
docs_dir: docs/ko
site_dir: site/ko
theme:
  language: ko
  locale: ko
plugins:
  - search:
      lang: en
  - blog:
      blog_dir: news
      post_date_format: long
      archive_date_format: yyyy
      archive_url_date_format: yyyy
      pagination_per_page: 10
  - tags:
      export: false
watch: []
nav:
  - 홈: index.md
"""
KO_HOME = """---
title: 홈
description: 기술기본계획 골자(안)을 쉬운 말로 설명하는 사이트의 한국어 첫 페이지입니다.
---

# 기술기본계획 쉽게 읽기

이 사이트는 계획의 골자(안)을 쉬운 말로 설명합니다.
"""


def add_korean(project):
    """Only settings, one page and a catalog: what a maintainer would add."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    languages = re.search(r"(  languages:\n(?:    - .*\n)+)", text).group(1)
    text = text.replace(languages, languages + "    - {code: ko, name: 한국어, config: mkdocs.ko.yml, path: ko/, script: Kore}\n")
    names = re.search(r"(    name: .*\n(?:      [a-z]{2}: .*\n)+)", text).group(1)
    text = text.replace(names, names + "      ko: 기술기본계획 쉽게 읽기 모임 (임시 이름)\n")
    config.write_text(text, encoding="utf-8")
    (project / "mkdocs.ko.yml").write_text(KO_CONFIG, encoding="utf-8")
    (project / "docs/ko").mkdir()
    (project / "docs/ko/index.md").write_text(KO_HOME, encoding="utf-8")
    catalog = project / "locales/ko/LC_MESSAGES/messages.po"
    catalog.parent.mkdir(parents=True)
    shutil.copy(project / "locales/en/LC_MESSAGES/messages.po", catalog)  # English words until translated
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('"Language: en', '"Language: ko'), encoding="utf-8")
    # A language being translated page by page: untranslated pages are left out, not errors.
    policy = project / "data/translation-policy.yml"
    policy.write_text(policy.read_text(encoding="utf-8")
                      + "\nlanguages:\n  ko:\n    missing_required: warn\n    missing_pages: omit\n", encoding="utf-8")


def test_a_third_language_builds_from_configuration_alone(project):
    scripts_before = {p.relative_to(project): p.read_bytes() for p in (project / "scripts").rglob("*.py")}
    add_korean(project)
    result = run_build(project)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in output, output[-4000:]
    assert {p.relative_to(project): p.read_bytes() for p in (project / "scripts").rglob("*.py")} == scripts_before
    site = project / "site"
    home = (site / "ko/index.html").read_text(encoding="utf-8")
    assert '<html lang="ko"' in home and "계획의 골자(안)을 쉬운 말로" in home
    # Locale details come from the language's settings and CLDR, not from a table of codes.
    assert '<meta property="og:locale" content="ko_KR">' in home
    # Every language's home names the others, and the switcher offers Korean.
    for page, code in ((site / "index.html", "ja"), (site / "en/index.html", "en"), (site / "ko/index.html", "ko")):
        html = page.read_text(encoding="utf-8")
        links = dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)"', html))
        assert links.get("ko", "").endswith("/ko/") and links.get("ja") and links.get("en"), (code, links)
        assert 'hreflang="ko" lang="ko"' in html and "한국어" in html, code
    assert "ko/sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    assert "/ko/</loc>" in (site / "ko/sitemap.xml").read_text(encoding="utf-8")
    # The other languages are as before: still every page.
    assert (site / "en/plan/index.html").is_file() and (site / "plan/index.html").is_file()
    assert not (site / "ko/plan").exists(), "an untranslated page was published in Korean"


def test_a_language_without_its_writing_system_is_a_clear_error(project):
    """`script` (ISO 15924) says how a language is written: furigana, phrase breaks, spacing, limits."""
    add_korean(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(", script: Kore}", "}"), encoding="utf-8")
    result = run_build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output[-4000:]
    assert "extra.languages[2] に script がありません" in output and "lacks script" in output, output[-4000:]
    assert not (project / "site").exists()
