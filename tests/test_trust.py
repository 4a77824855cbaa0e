"""Trust (issue 15, sections 1-2): the framing dates, the status notice, the feedback
route and the publisher settings, on every page and printout, in every language."""
from __future__ import annotations

import io
import json
import re
import urllib.parse
import zipfile
from pathlib import Path

import pytest
import yaml

from scripts import ROOT, facts, publisher
from scripts.languages import load_languages
from scripts.problems import ContentError
from tests.html_tools import without_readings

EXTRA = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["extra"]
LANGS = {lang.code: lang.path for lang in load_languages(EXTRA)}
PUB = publisher.load()
FRAMED_PAGES = ["index.html", "plan/index.html", "about/index.html", "news/2026/11/29/site-launch/index.html"]
STALE = ["まだ決まった計画ではありません", "まだ決まった計画ではない", "新しい技術基本計画", "新しい「技術基本計画」",
         "not yet a decided plan", "not the final plan yet", "new Technology Basic Plan of MLIT", "MLIT's new Technology"]


def built(built_site: Path, lang: str, rel: str) -> str:
    return (built_site / LANGS[lang] / rel).read_text(encoding="utf-8")


def framing(lang: str) -> dict:
    return facts.framing(lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("rel", FRAMED_PAGES)
def test_framing_dates_and_final_plan_link_on_named_pages(built_site, lang, rel):
    path = built_site / LANGS[lang] / rel
    if not path.exists():  # the post's address comes from its date: find it
        path = next((built_site / LANGS[lang] / "news").rglob("site-launch/index.html"))
    html = without_readings(path.read_text(encoding="utf-8"))
    article = html[html.index("<article"):html.index("</article>")]
    f = framing(lang)
    for key in ("compiled", "adopted"):
        assert f[key] in article, (rel, key)
    if rel != "news/2026/11/29/site-launch/index.html" or f["first_year"] in article:
        assert f["first_year"] in article and f["last_year"] in article, rel
    assert f'href="{f["plan_url"]}"' in article, rel
    for stale in STALE:
        assert stale not in article, (rel, stale)


def test_framing_facts_cite_their_outside_sources():
    registry = facts.load_registry()
    for ident in facts.FRAMING.values():
        fact = registry[ident]
        assert fact.external and fact.external.url.startswith("https://"), ident
        assert fact.external.url in facts.source_text(fact, "ja", link=True)
    assert registry["final-plan-adopted"].external.url == "https://www.mlit.go.jp/tec/gijutu/index.html"
    assert facts.framing("ja")["compiled"] == "2021年9月" and facts.framing("en")["adopted"] == "April 2022"
    assert facts.format_fact(registry["final-plan-last-year"], "en") == "FY2026"


@pytest.mark.parametrize("lang", LANGS)
def test_status_notice_and_feedback_on_every_page(built_site, lang):
    root = built_site / LANGS[lang]
    others = [built_site / path.rstrip("/") for code, path in LANGS.items() if path and code != lang]
    pages = [p for p in root.rglob("*.html") if not any(other in p.parents for other in others)]
    assert len(pages) > 30
    unofficial = {"ja": "骨子（案）の解説・非公式", "en": "Explains a draft · unofficial"}[lang]
    report = {"ja": "このページについてのご意見・誤りの報告", "en": "Report a problem with this page"}[lang]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if "<html" not in html[:500] or 'http-equiv="refresh"' in html:
            continue  # redirects
        status = html.index('class="site-status"')
        assert status < html.index("<main"), page  # at the top, before the content
        assert unofficial in html and framing(lang)["compiled"] in html[status:status + 2000], page
        feedback = re.search(r'<a class="page-feedback__report" href="([^"]+)">' + re.escape(report), html)
        assert feedback, page
        href = feedback.group(1).replace("&amp;", "&")
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)
        if canonical:  # the report carries the page's own address
            assert urllib.parse.quote(canonical.group(1), safe="") in href, page
        assert framing(lang)["plan_url"] in html[html.index("page-feedback"):], page


@pytest.mark.parametrize("lang", LANGS)
def test_preview_is_marked_while_settings_are_placeholders(built_site, lang):
    assert PUB.preview, "the repository keeps placeholder settings (README, Before you publish)"
    html = built(built_site, lang, "index.html")
    assert '<meta name="robots" content="noindex">' in html
    assert {"ja": "プレビュー（公開用ではありません）", "en": "Preview — not for publication"}[lang] in html


@pytest.mark.parametrize("lang", LANGS)
def test_footer_and_about_take_the_publisher_settings(built_site, lang):
    home = built(built_site, lang, "index.html")
    footer = home[home.index('class="md-copyright"'):]
    assert PUB.name(lang) in footer and f'href="{PUB.contact_href}"' in footer
    assert f'href="{PUB.repository}"' in footer and 'about/#contact' not in footer
    about = built(built_site, lang, "about/index.html")
    for value in (PUB.name(lang), PUB.email, PUB.repository, PUB.site_url):
        assert value in about, value
    assert "[[publisher:" not in about


@pytest.mark.parametrize("lang", LANGS)
def test_license_and_json_ld_take_the_publisher_settings(built_site, lang):
    zips = sorted((built_site / LANGS[lang] / "teachers" / "downloads").rglob("*.zip"))
    assert zips
    with zipfile.ZipFile(zips[0]) as z:
        license_text = next(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith("LICENSE.txt"))
    f = framing(lang)
    for value in (PUB.name(lang), PUB.email, PUB.repository, PUB.site_url, f["compiled"], f["adopted"], f["plan_url"]):
        assert value in license_text, value
    lesson = next((built_site / LANGS[lang] / "teachers").glob("*/index.html"))
    html = lesson.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["publisher"] == {"@type": "Organization", **{k: v for k, v in PUB.json_ld(lang).items() if k != "@type"}}
    assert data["publisher"]["name"] == PUB.name(lang) and data["publisher"]["email"] == PUB.email


def pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["worksheet", "teacher-guide", "slides", "poster-a4", "poster-a3"])
def test_every_kind_of_printout_carries_the_framing(built_site, lang, kind):
    root = built_site / LANGS[lang] / "teachers" / "downloads"
    pdfs = sorted(p for p in root.rglob(f"*-{kind}-{lang}.pdf"))
    assert pdfs, kind
    f = framing(lang)
    for path in pdfs[:2]:
        text = re.sub(r"\s+", "", pdf_text(path))  # PDF text breaks lines anywhere
        for value in (f["compiled"], f["adopted"], f["plan_url"], PUB.name(lang)):
            assert re.sub(r"\s+", "", value) in text, (path.name, value)
        assert re.sub(r"\s+", "", {"ja": "骨子（案）の解説・非公式", "en": "Explains a draft · unofficial"}[lang]) in text
        assert re.sub(r"\s+", "", {"ja": "プレビュー（公開用ではありません）", "en": "Preview — not for publication"}[lang]) in text
        assert "mlit-plan" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_infographics_carry_the_framing(lang):
    """Infographics are published as PNG only: check the HTML they are drawn from."""
    from scripts.lessons import documents, downloads

    info = downloads.site_info(dict(EXTRA, site_root_url=PUB.site_url))
    chart_id = next(iter(documents.charts_config()))
    html = documents.infographic(chart_id, lang, info)
    f = framing(lang)
    for value in (f["compiled"], f["adopted"], f["plan_url"], PUB.name(lang), PUB.site_url):
        assert value in html, value
    assert {"ja": "プレビュー（公開用ではありません）", "en": "Preview — not for publication"}[lang] in html


@pytest.mark.parametrize("lang", LANGS)
def test_poster_headers_say_draft_outline(built_site, lang):
    posters = sorted((built_site / LANGS[lang] / "teachers" / "downloads").rglob(f"*poster-a4-{lang}.pdf"))
    assert posters
    for path in posters:
        text = re.sub(r"\s+", "", pdf_text(path))
        assert {"ja": "技術基本計画骨子（案）の重点分野", "en": "inthedraftoutline"}[lang] in text, path.name
        if not PUB.official:  # the header band itself says it is not the Ministry's
            assert {"ja": "非公式の解説", "en": "unofficialexplainer"}[lang] in text[:200], path.name


# --- the settings themselves ---------------------------------------------------------------

def config(tmp_path: Path, body: str) -> Path:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    start, end = text.index("  publisher:\n"), text.index("\nnav:")
    path = tmp_path / "mkdocs.yml"
    path.write_text(text[:start] + body + text[end:], encoding="utf-8")
    (tmp_path / "mkdocs.en.yml").write_text((ROOT / "mkdocs.en.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


GOOD = """  publisher:
    name: {ja: やさしく読む会, en: Plain Reading Group}
    official: false
    contact: {email: team@plain-plan.internal}
    repository: https://git.plain-plan.internal/plain-plan
"""


def test_the_repository_keeps_placeholders_and_a_production_build_refuses_them(monkeypatch):
    settings = {p.message.split(":")[0] for p in PUB.placeholders}
    assert {"site_url", "extra.publisher.contact.email", "extra.publisher.name.ja"} <= settings
    monkeypatch.setenv(publisher.PRODUCTION_ENV, "1")
    with pytest.raises(ContentError) as error:
        publisher.check_production(PUB)
    assert "mkdocs.yml:" in str(error.value) and "--production" in str(error.value)
    monkeypatch.setenv(publisher.PRODUCTION_ENV, "")
    publisher.check_production(PUB)  # a local build goes on, as a preview


def test_real_looking_settings_are_no_preview(tmp_path):
    pub = publisher.load(config(tmp_path, GOOD).resolve())
    if pub.site_url.startswith("https://plain-plan.example.org"):
        assert [p.message.split(":")[0] for p in pub.placeholders] == ["site_url"]
    assert pub.name("en") == "Plain Reading Group" and pub.contact_href == "mailto:team@plain-plan.internal"
    assert pub.new_issue_url == ""  # not a github.com repository and no `issues` setting


@pytest.mark.parametrize("name", ["国土交通省 解説チーム", "MLIT explainer team"])
def test_a_name_that_reads_as_the_ministry_is_refused(tmp_path, name):
    body = GOOD.replace("Plain Reading Group", name) if name.startswith("MLIT") else GOOD.replace("やさしく読む会", name)
    with pytest.raises(ContentError) as error:
        publisher.load(config(tmp_path, body).resolve())
    assert "publisher-misleading-name" in str(error.value) and "mkdocs.yml:" in str(error.value)


def test_names_are_keyed_by_language_code(tmp_path):
    with pytest.raises(ContentError) as error:
        publisher.load(config(tmp_path, GOOD.replace("en: Plain Reading Group", "fr: x")).resolve())
    assert "publisher-setting" in str(error.value) and "'en'" in str(error.value)


def test_report_links_carry_the_page_address_and_title():
    pub = publisher.Publisher(names={"ja": "a"}, official=False, email="team@plain-plan.internal", contact_url="",
                              repository="https://github.com/someone/site", issues="", site_url="https://x.internal/")
    mail = pub.report_mailto("https://x.internal/plan/", "計画", "ご意見：", "ページ：")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(mail).query)
    assert mail.startswith("mailto:team@plain-plan.internal?")
    assert query["subject"] == ["ご意見：計画"] and "https://x.internal/plan/" in query["body"][0]
    issue = pub.report_issue("https://x.internal/plan/", "計画", "Page: ")
    assert issue.startswith("https://github.com/someone/site/issues/new?title=")


def test_publisher_placeholders_in_page_text():
    text = publisher.render("運営：[[publisher:name]]、[[publisher:repository]]", "ja", "docs/ja/about/index.md")
    assert PUB.name("ja") in text and f"]({PUB.repository})" in text
    with pytest.raises(ContentError) as error:
        publisher.render("x\n[[publisher:phone]]", "ja", "docs/ja/about/index.md")
    assert "docs/ja/about/index.md:2" in str(error.value)


@pytest.mark.parametrize("lang", LANGS)
def test_social_cards_carry_the_status_line(lang, tmp_path):
    """The card says it explains a draft and is unofficial: drawn (pixels differ) and part of the cache key."""
    from scripts import cards, catalogs

    status = catalogs.translate(catalogs.read_catalog(catalogs.po_path(lang), lang), "Explains a draft · unofficial")
    assert status == {"ja": "骨子（案）の解説・非公式", "en": "Explains a draft · unofficial"}[lang]
    plain = cards.render("題名", "サイト", "plain-plan.example.org", lang)
    marked = cards.render("題名", "サイト", "plain-plan.example.org", lang, status=status)
    assert plain.tobytes() != marked.tobytes()
    a = cards.CardSet(tmp_path / "a", "サイト", PUB.site_url, lang).add("x/", "題名", "")
    b = cards.CardSet(tmp_path / "b", "サイト", PUB.site_url, lang, status=status)
    b.add("x/", "題名", "")
    assert b.cards["assets/cards/x.png"][-2] == status and a["image"].endswith("x.png")


VALID = """  publisher:
    name:
      ja: 技術基本計画をやさしく読む会
      en: Plain Reading Group
    official: false
    contact:
      email: team@plain-plan.internal
    repository: https://git.plain-plan.internal/plain-plan
    issues: https://git.plain-plan.internal/plain-plan/issues/new
"""


def test_a_production_build_with_real_settings_passes_and_is_no_preview(project):
    """`python -m scripts build --production` with settings that are not placeholders (names under the
    reserved .internal domain, so nothing here is a real address). Every printout is drawn again for
    the new address, hence its own, longer time limit."""
    import os
    import subprocess
    import sys

    from tests.conftest import SHARED_CACHE

    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    start, end = text.index("  publisher:\n"), text.index("\nnav:")
    text = text[:start] + VALID + text[end:]
    text = re.sub(r"^site_url: .*$", "site_url: https://plain-plan.internal/", text, count=1, flags=re.M)
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1",
               SITE_CACHE_DIR=os.environ.get("SITE_CACHE_DIR") or str(SHARED_CACHE))
    result = subprocess.run([sys.executable, "-m", "scripts", "build", "--production"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=1200)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in output, output[-3000:]
    for lang, marks in {"ja": ("プレビュー（公開用ではありません）", "技術基本計画をやさしく読む会"),
                        "en": ("Preview — not for publication", "Plain Reading Group")}.items():
        html = (project / "site" / LANGS[lang] / "index.html").read_text(encoding="utf-8")
        assert 'name="robots" content="noindex"' not in html and marks[0] not in html
        assert marks[1] in html and "mailto:team@plain-plan.internal?subject=" in html
        assert "https://git.plain-plan.internal/plain-plan/issues/new?title=" in html
        pdf = next((project / "site" / LANGS[lang] / "teachers" / "downloads").rglob(f"*-worksheet-{lang}.pdf"))
        printed = re.sub(r"\s+", "", pdf_text(pdf))
        assert "plain-plan.internal" in printed and re.sub(r"\s+", "", marks[0]) not in printed
