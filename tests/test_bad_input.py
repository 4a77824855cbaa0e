"""Broken input stops the build with a message that names the file and the fix,
and a failed build leaves the previous site/ as it was."""
from __future__ import annotations

import shutil

from tests.conftest import run_build, tree_hashes


def assert_fails_clearly(result, *needles):
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    for needle in needles:
        assert needle in output, f"{needle!r} not in:\n{output}"


def test_good_build_succeeds_and_writes_both_languages(project):
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site/index.html").is_file() and (project / "site/en/index.html").is_file()


def test_typo_in_a_config_key(project):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("use_directory_urls:", "use_directroy_urls:"),
                      encoding="utf-8")
    assert_fails_clearly(run_build(project), "mkdocs.yml", "use_directroy_urls", "How to fix")


def test_typo_in_the_english_config(project):
    config = project / "mkdocs.en.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsite_nmae: oops\n", encoding="utf-8")
    assert_fails_clearly(run_build(project), "site_nmae")


def test_missing_catalog(project):
    (project / "locales/en/LC_MESSAGES/messages.po").unlink()
    assert_fails_clearly(run_build(project), "locales/en/LC_MESSAGES/messages.po", "make i18n-init")


def test_untranslated_ui_string_fails_the_strict_build(project):
    po = project / "locales/ja/LC_MESSAGES/messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "お問い合わせ"', 'msgstr ""'), encoding="utf-8")
    assert_fails_clearly(run_build(project), "locales/ja/LC_MESSAGES/messages.po", "Contact us", "no translation")


def test_page_missing_in_english(project):
    # Required by data/site-map.yml; other untranslated pages fall back (tests/test_translations.py).
    (project / "docs/en/plan/directions.md").unlink()
    assert_fails_clearly(run_build(project), "docs/en/plan/directions.md", "copy docs/ja/plan/directions.md")


def test_page_missing_in_japanese(project):
    (project / "docs/en/plan/extra.md").write_text("# Extra\n", encoding="utf-8")
    assert_fails_clearly(run_build(project), "docs/ja/plan/extra.md")


def test_broken_link_is_a_warning_that_fails_strict_mode(project):
    page = project / "docs/en/plan/index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [nowhere](../no-such-page.md).\n", encoding="utf-8")
    assert_fails_clearly(run_build(project), "plan/index.md", "no-such-page.md")


def test_failed_build_keeps_the_previous_site_and_sources(project):
    assert run_build(project).returncode == 0
    before_site = tree_hashes(project, ["site"])
    page = project / "docs/ja/plan/follow-up.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[[fact:no-such-fact]]\n", encoding="utf-8")
    before_sources = tree_hashes(project)
    assert run_build(project).returncode != 0
    assert tree_hashes(project, ["site"]) == before_site
    assert tree_hashes(project) == before_sources
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")], "staging folder left behind"
    shutil.rmtree(project / "site")
