"""The built bilingual site: layout, languages, hreflang, sitemaps, privacy."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from scripts import ROOT
from scripts import publisher as _publisher
from tests.html_tools import find, parse

ROOT_URL = _publisher.load().site_url  # site_url in mkdocs.yml
REQUIRED = [p["path"] for p in yaml.safe_load((ROOT / "data/site-map.yml").read_text(encoding="utf-8"))["pages"]]
LANGS = {"ja": "", "en": "en/"}


def html_path(site: Path, lang: str, src: str) -> Path:
    url = src[:-3]
    if url == "index" or url.endswith("/index"):
        url = url[:-5]
    else:
        url += "/"
    return site / LANGS[lang] / url / "index.html"


def page_url(lang: str, src: str, site: Path) -> str:
    rel = html_path(site, lang, src).parent.relative_to(site).as_posix()
    return ROOT_URL + ("" if rel == "." else rel + "/")


def all_pages(site: Path):
    return sorted(p for p in site.rglob("index.html") if "search" not in p.parts)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("src", REQUIRED)
def test_every_required_page_exists_in_both_languages(built_site, lang, src):
    path = html_path(built_site, lang, src)
    assert path.is_file(), f"{src} was not built for {lang}"
    tags = parse(path)
    assert find(tags, "html")[0]["lang"] == lang


def nav_files(config: Path) -> set[str]:
    def walk(items):
        for item in items:
            value = list(item.values())[0] if isinstance(item, dict) else item
            if isinstance(value, list):
                yield from walk(value)
            else:
                yield value

    data = yaml.load(config.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return set(walk(data["nav"]))


@pytest.mark.parametrize("config", ["mkdocs.yml", "mkdocs.en.yml"])
def test_every_required_page_is_in_the_navigation(config):
    files = nav_files(ROOT / config)
    assert set(REQUIRED) <= files, set(REQUIRED) - files


def test_both_navigations_list_the_same_pages():
    assert nav_files(ROOT / "mkdocs.yml") == nav_files(ROOT / "mkdocs.en.yml")


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_absolute_hreflang_for_both_languages_and_x_default(built_site, lang):
    pages = [p for p in all_pages(built_site) if (p.relative_to(built_site).parts[0] == "en") == (lang == "en")]
    assert len(pages) >= len(REQUIRED)
    for page in pages:
        links = {a["hreflang"]: a["href"] for a in find(parse(page), "link", rel="alternate") if a.get("hreflang")}
        rel = page.parent.relative_to(built_site).as_posix()
        ja_rel = rel[3:] if rel.startswith("en") else rel
        ja_rel = "" if ja_rel in (".", "") else ja_rel.strip("/") + "/"
        if ja_rel.startswith("news/") and not (built_site / ("en/" if lang == "ja" else "") / ja_rel).is_dir():
            continue  # a single-language news post (CONTRIBUTING.md): tests/test_news.py checks its links
        assert set(links) == {"ja", "en", "x-default"}, page
        assert links["ja"] == ROOT_URL + ja_rel
        assert links["en"] == ROOT_URL + "en/" + ja_rel
        assert links["x-default"] == links["ja"]


@pytest.mark.parametrize("lang", LANGS)
def test_switcher_leads_to_the_same_page_in_the_other_language(built_site, lang):
    other = "en" if lang == "ja" else "ja"
    for src in REQUIRED:
        page = html_path(built_site, lang, src)
        links = [a for a in find(parse(page), "a") if a.get("class") == "md-select__link"]
        target = {a["hreflang"]: a["href"] for a in links}[other]
        resolved = (page.parent / target / "index.html").resolve()
        assert resolved == html_path(built_site, other, src).resolve(), (src, target)


@pytest.mark.parametrize("lang", LANGS)
def test_sitemap_lists_pages_with_alternates(built_site, lang):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(built_site / LANGS[lang] / "sitemap.xml")
    urls = tree.findall("s:url", ns)
    locs = {u.find("s:loc", ns).text for u in urls}
    for src in REQUIRED:
        assert page_url(lang, src, built_site) in locs
    for url in urls:
        langs = {link.get("hreflang") for link in url.findall("x:link", ns)}
        if "/news/" in url.find("s:loc", ns).text and len(langs) == 1:
            continue  # a single-language news post (CONTRIBUTING.md): tests/test_news.py checks it
        assert langs == {"ja", "en", "x-default"}, url.find("s:loc", ns).text
    robots = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {ROOT_URL}{LANGS[lang]}sitemap.xml" in robots


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!""" + re.escape(ROOT_URL.split("//", 1)[1].rstrip("/")) + ")")


def test_no_page_loads_anything_from_another_origin(built_site):
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        for tag, attrs in parse(page).tags:
            url = attrs.get("src") if tag in ("script", "img", "iframe") else (
                attrs.get("href") if tag == "link" and attrs.get("rel") in ("stylesheet", "preconnect", "preload", "icon") else None)
            assert not (url and re.match(r"(https?:)?//", url)), f"{page}: {tag} loads {url}"


def test_ui_strings_come_from_the_catalogs(built_site):
    ja = (built_site / "index.html").read_text(encoding="utf-8")
    en = (built_site / "en" / "index.html").read_text(encoding="utf-8")
    assert "お問い合わせ" in ja and "Contact us" not in ja
    assert "Contact us" in en and "お問い合わせ" not in en
    assert 'title="この見出しへのリンク"' in ja and 'title="Link to this section"' in en


def test_japanese_headings_get_meaningful_anchors(built_site):
    for page in all_pages(built_site):
        for tag, attrs in parse(page).tags:
            if tag in ("h2", "h3", "h4") and attrs.get("id"):
                assert not re.fullmatch(r"_\d+", attrs["id"]), f"{page}: anchor #{attrs['id']}"


def test_material_client_side_language_switch_is_disabled(built_site):
    for lang in LANGS:
        bundles = list((built_site / LANGS[lang] / "assets/javascripts").glob("bundle.*.min.js"))
        text = bundles[0].read_text(encoding="utf-8")
        assert 'M("link[rel=alternate]")' not in text
        assert "sourceMappingURL" not in text


def test_published_output_has_ascii_urls(built_site):
    for path in built_site.rglob("*"):
        assert path.relative_to(built_site).as_posix().isascii(), path
