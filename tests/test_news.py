"""News (お知らせ / News): posts in both languages, archive, categories, tags,
feeds, localized dates, ASCII addresses, single-language posts, scheduled posts."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scripts import ROOT, feeds, formats, news, scaffold
from scripts import publisher as _publisher
from tests.conftest import copy_project, run_build
from tests.html_tools import find, parse

LANGS = {"ja": "", "en": "en/"}
SITE_URL = _publisher.load().site_url  # site_url in mkdocs.yml
POSTS = sorted(p.stem for p in (ROOT / "docs/ja/news/posts").glob("*.md"))


def post_dir(site: Path, lang: str, src: Path) -> Path:
    meta, _, _ = news.read_front_matter(src)
    date = news.post_date(meta["date"])
    return site / LANGS[lang] / "news" / f"{date:%Y/%m/%d}" / meta["slug"]


def switcher(page: Path) -> dict[str, str]:
    return {a["hreflang"]: a["href"] for a in find(parse(page), "a") if a.get("class") == "md-select__link"}


def feed_items(site: Path, lang: str) -> tuple[list[dict], list[dict]]:
    rss = ET.parse(site / LANGS[lang] / "news/feed.xml").getroot()
    rss_items = [{child.tag: child.text for child in item} for item in rss.iter("item")]
    json_items = json.loads((site / LANGS[lang] / "news/feed.json").read_text(encoding="utf-8"))["items"]
    return rss_items, json_items


# --------------------------------------------------------------------------- the real site

def test_the_site_has_real_posts_in_both_languages():
    assert len(POSTS) >= 2
    for name in POSTS:
        assert (ROOT / "docs/en/news/posts" / f"{name}.md").is_file(), name


@pytest.mark.parametrize("lang", LANGS)
def test_every_post_is_built_with_its_localized_date(built_site, lang):
    for name in POSTS:
        src = ROOT / "docs" / lang / "news/posts" / f"{name}.md"
        page = post_dir(built_site, lang, src) / "index.html"
        assert page.is_file(), page
        date = news.post_date(news.read_front_matter(src)[0]["date"])
        text = page.read_text(encoding="utf-8").replace("<wbr>", "")  # phrase-break hints (scripts/phrases.py)
        shown = formats.format_date(date, lang)
        assert f">{shown}</time>" in text, shown
        assert (re.search(r"\d{4}年\d{1,2}月\d{1,2}日", shown) if lang == "ja" else re.search(r"[A-Z][a-z]+ \d{1,2}, \d{4}", shown))


@pytest.mark.parametrize("lang", LANGS)
def test_news_index_lists_every_post_and_links_the_feeds(built_site, lang):
    index = built_site / LANGS[lang] / "news/index.html"
    hrefs = {a.get("href") for a in find(parse(index), "a")}
    for name in POSTS:
        src = ROOT / "docs" / lang / "news/posts" / f"{name}.md"
        target = post_dir(built_site, lang, src).relative_to(built_site / LANGS[lang] / "news").as_posix() + "/"
        assert target in hrefs, (target, sorted(h for h in hrefs if h and "20" in h))
    assert {"feed.xml", "feed.json"} <= hrefs
    head_links = {a["type"]: a["href"] for a in find(parse(index), "link", rel="alternate") if a.get("type")}
    assert head_links == {"application/rss+xml": "feed.xml", "application/feed+json": "feed.json"}


@pytest.mark.parametrize("lang", LANGS)
def test_feeds_list_every_post_of_their_language(built_site, lang):
    rss, items = feed_items(built_site, lang)
    titles = {news.read_front_matter(ROOT / "docs" / lang / "news/posts" / f"{n}.md")[0]["title"] for n in POSTS}
    assert {i["title"] for i in rss} == titles
    assert {i["title"] for i in items} == titles
    for item in items:
        assert item["url"].startswith(SITE_URL + LANGS[lang] + "news/")
        assert dt.datetime.fromisoformat(item["date_published"]).utcoffset() == dt.timedelta(hours=9)
        assert 'href="../' not in item["content_html"] and "term__tip" not in item["content_html"]
    for item in rss:
        assert item["link"].startswith(SITE_URL + LANGS[lang] + "news/") and item["pubDate"].endswith("+0900")


def test_every_news_address_is_ascii(built_site):
    for page in built_site.rglob("*"):
        rel = page.relative_to(built_site).as_posix()
        if "news" in rel:
            assert rel.isascii(), rel


@pytest.mark.parametrize("lang", LANGS)
def test_archive_categories_and_tags_exist(built_site, lang):
    base = built_site / LANGS[lang] / "news"
    years = {news.post_date(news.read_front_matter(p)[0]["date"]).year
             for p in (ROOT / "docs" / lang / "news/posts").glob("*.md")}
    for year in years:
        assert (base / "archive" / str(year) / "index.html").is_file()
    for ident, names in news.categories().items():
        used = any(names[lang] in (news.read_front_matter(p)[0].get("categories") or [])
                   for p in (ROOT / "docs" / lang / "news/posts").glob("*.md"))
        assert (base / "category" / ident / "index.html").is_file() == used, ident
    tags_page = (base / "tags" / "index.html").read_text(encoding="utf-8")
    for p in (ROOT / "docs" / lang / "news/posts").glob("*.md"):
        for tag in news.read_front_matter(p)[0].get("tags") or []:
            assert tag in tags_page, tag


@pytest.mark.parametrize("lang", LANGS)
def test_post_switcher_leads_to_the_same_post_in_the_other_language(built_site, lang):
    other = "en" if lang == "ja" else "ja"
    for name in POSTS:
        page = post_dir(built_site, lang, ROOT / "docs" / lang / "news/posts" / f"{name}.md") / "index.html"
        target = (page.parent / switcher(page)[other] / "index.html").resolve()
        assert target == (post_dir(built_site, other, ROOT / "docs" / other / "news/posts" / f"{name}.md")
                          / "index.html").resolve()


def test_category_page_switcher_keeps_the_topic(built_site):
    page = built_site / "news/category/announcements/index.html"
    target = (page.parent / switcher(page)["en"] / "index.html").resolve()
    assert target == (built_site / "en/news/category/announcements/index.html").resolve()


def test_news_labels_are_ours_in_each_language(built_site):
    def text(path):  # Japanese phrases carry <wbr> line-break hints (scripts/phrases.py)
        return path.read_text(encoding="utf-8").replace("<wbr>", "")

    ja, en = text(built_site / "news/index.html"), text(built_site / "en/news/index.html")
    assert "話題ごとのお知らせ" in ja and "News by topic" in en
    post = text(next((built_site / "news").glob("20*/*/*/*/index.html")))
    assert "お知らせの一覧へ" in post and "ブログ" not in post


# --------------------------------------------------------------------------- unit

def test_category_addresses_are_the_same_ascii_id_in_every_language():
    for ident, names in news.categories().items():
        assert {news.category_slug(name) for name in names.values()} == {ident}
        assert ident.isascii()


def test_scheduled_means_after_today_in_japan():
    post = news.Post(Path("x.md"), "ja", "news/posts/x.md", {"date": dt.date(2026, 12, 1)}, {})
    assert news.is_scheduled(post, on=dt.date(2026, 11, 30))
    assert not news.is_scheduled(post, on=dt.date(2026, 12, 1))


def test_feed_links_become_absolute_and_page_furniture_goes():
    html = ('<h1 id="t">T<a class="headerlink" href="#t">¶</a></h1><p><a href="../../plan/">plan</a> '
            '<span class="term"><button type="button" class="term__word" data-term="x">word</button>'
            '<span class="term__tip" role="tooltip">tip</span></span> <a href="https://example.org/">x</a></p>')
    out = feeds.absolute_links(feeds.clean_html(html), "https://site.example/news/2026/11/29/a/")
    assert out == ('<p><a href="https://site.example/news/2026/11/plan/">plan</a> word '
                   '<a href="https://example.org/">x</a></p>')


# --------------------------------------------------------------------------- a scaffolded post, end to end

@pytest.fixture(scope="module")
def news_project(built_site, tmp_path_factory, compiled_scripts):
    """A copy of the project (with the warm caches of the session build) where staff
    made three posts with the scaffolding command: one in both languages, one in
    Japanese only, one dated in the future. Built once."""
    project = copy_project(tmp_path_factory.mktemp("news") / "project", compiled_scripts)
    if (ROOT / ".cache").is_dir():  # not the tests' own folders there (the built site, the shared caches)
        shutil.copytree(ROOT / ".cache", project / ".cache",
                        ignore=lambda folder, names: [n for n in names if folder == str(ROOT / ".cache")
                                                      and n.startswith("test-")])
    docs = project / "docs"
    made = {
        "both": scaffold.new_post("new-lesson-material", {"ja": "新しい教材をのせました", "en": "New lesson material"},
                                  {"ja": "先生方へのページに、新しい教材をのせました。", "en": "We have added new lesson material."},
                                  category="teachers", tags={"ja": ["教材"], "en": ["lessons"]}, docs=docs),
        "ja-only": scaffold.new_post("press-note", {"ja": "報道関係の方へ"}, {"ja": "報道関係の方へのお知らせです。"},
                                     only="ja", docs=docs),
        "future": scaffold.new_post("future-post", {"ja": "先のお知らせ", "en": "A later post"},
                                    {"ja": "まだ公開されないお知らせです。", "en": "A post that is not published yet."},
                                    date=dt.date(2999, 1, 1), docs=docs),
    }
    for paths in made.values():  # staff replace the TODO lines with their text
        for path in paths:
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"^TODO:.*$", "本文です。" if "/ja/" in path.as_posix() else "The text.", text, flags=re.M)
            path.write_text(text, encoding="utf-8")
    # A photo (with a GPS position in its EXIF) beside the post, as staff may save it.
    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (35.0, 40.0, 0.0)}  # GPSInfo
    for path in made["both"]:
        photo = path.parent / "images" / "lesson-photo.jpg"
        photo.parent.mkdir(exist_ok=True)
        Image.new("RGB", (800, 600), (40, 90, 160)).save(photo, exif=exif)
        alt = "教材の写真" if "/ja/" in path.as_posix() else "A photo of the lesson material"
        path.write_text(path.read_text(encoding="utf-8") + f"\n![{alt}](images/lesson-photo.jpg)\n", encoding="utf-8")
    result = run_build(project)
    return project, result, made


def test_scaffolded_posts_build(news_project):
    project, result, _ = news_project
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.parametrize("lang", LANGS)
def test_scaffolded_post_appears_in_both_languages_and_feeds_with_localized_dates(news_project, lang):
    project, result, made = news_project
    site = project / "site"
    src = [p for p in made["both"] if f"/{lang}/" in p.as_posix()][0]
    page = post_dir(site, lang, src) / "index.html"
    assert page.is_file()
    today = news.post_date(news.read_front_matter(src)[0]["date"])
    assert f">{formats.format_date(today, lang)}</time>" in page.read_text(encoding="utf-8")
    rss, items = feed_items(site, lang)
    title = news.read_front_matter(src)[0]["title"]
    assert title in {i["title"] for i in rss} and title in {i["title"] for i in items}
    category = (site / LANGS[lang] / "news/category/teachers/index.html").read_text(encoding="utf-8")
    assert title in category


def test_photo_beside_a_post_goes_through_the_image_pipeline(news_project):
    from PIL import Image

    project, _, made = news_project
    for lang, src in zip(LANGS, made["both"]):
        page = (post_dir(project / "site", lang, src) / "index.html").read_text(encoding="utf-8")
        assert "<picture>" in page and "images/lesson-photo-" in page
        published = project / "site" / LANGS[lang] / "news/images/lesson-photo.jpg"
        with Image.open(published) as im:
            assert not im.getexif(), "photo metadata was published"
        assert not (project / "site" / LANGS[lang] / "news/posts").exists()


def test_single_language_post_is_listed_only_in_its_language(news_project):
    project, result, made = news_project
    site = project / "site"
    page = post_dir(site, "ja", made["ja-only"][0]) / "index.html"
    assert page.is_file()
    assert not post_dir(site, "en", made["ja-only"][0]).exists()
    assert "報道関係の方へ" in {i["title"] for i in feed_items(site, "ja")[1]}
    assert "報道関係の方へ" not in (site / "en/news/feed.json").read_text(encoding="utf-8")
    assert "報道関係の方へ" not in (site / "en/news/index.html").read_text(encoding="utf-8")
    # The switcher leads to the English news index; no hreflang points to a missing page.
    target = (page.parent / switcher(page)["en"] / "index.html").resolve()
    assert target == (site / "en/news/index.html").resolve()
    hreflangs = {a["hreflang"] for a in find(parse(page), "link", rel="alternate") if a.get("hreflang")}
    assert hreflangs == {"ja", "x-default"}
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    entry = sitemap[sitemap.index("/news/" + post_dir(site, "ja", made["ja-only"][0]).relative_to(site / "news").as_posix()):]
    entry = entry[: entry.index("</url>")]
    assert 'hreflang="ja"' in entry and 'hreflang="en"' not in entry
    assert "press-note" not in (site / "en/sitemap.xml").read_text(encoding="utf-8")


def test_future_post_waits_for_its_day_with_a_note_in_the_log(news_project):
    project, result, made = news_project
    site = project / "site"
    for lang, src in zip(LANGS, made["future"]):
        assert not post_dir(site, lang, src).exists()
        assert "future-post" not in (site / LANGS[lang] / "news/feed.xml").read_text(encoding="utf-8")
    log = result.stderr
    notes = [line for line in log.splitlines() if "[post-scheduled]" in line]
    assert notes and all(line.startswith("INFO") for line in notes), log[-2000:]
    assert "2999-01-01" in notes[0] and "future-post.md" in notes[0]


def test_build_summary_reports_pages_images_and_warnings(news_project):
    _, result, _ = news_project
    summary = result.stderr[result.stderr.index("Build summary"):]
    assert re.search(r"pages / ページ: ja \d+, en \d+", summary)
    assert re.search(r"images / 画像: (\d+ encoded|none)", summary)
    assert "downloads / ダウンロード用ファイル:" in summary
    # The summary counts the warnings the build logged (the registry's warnings, e.g. terminology).
    logged = result.stderr[:result.stderr.index("Build summary")].count("注意 warning [")
    assert f"warnings / 注意: {logged}" in summary, (logged, summary)
    assert re.search(r"Markdown \(ja\): (\d+)/\1, [\d.]+ s \(done\)", result.stderr)  # plain progress lines


# --------------------------------------------------------------------------- broken posts stop the build

def _fails(result, *needles):
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert "Traceback" not in output, output[-3000:]
    for needle in needles:
        assert needle in output, f"{needle!r} not in:\n{output[-3000:]}"


def test_post_in_one_language_without_the_flag_stops_the_build(project):
    scaffold.new_post("only-japanese", {"ja": "日本語だけ"}, {"ja": "日本語だけのお知らせのれいです。"}, only="ja",
                      docs=project / "docs")
    path = project / "docs/ja/news/posts/only-japanese.md"
    text = re.sub(r"^TODO:.*$", "本文です。", path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(text.replace("single_language: true\n", ""), encoding="utf-8")
    _fails(run_build(project), "docs/ja/news/posts/only-japanese.md", "[post-translation]", "single_language: true")


def test_unfinished_scaffold_and_raw_script_stop_the_build_with_file_and_line(project):
    scaffold.new_post("half-done", {"ja": "書きかけ", "en": "Half done"}, docs=project / "docs")
    page = project / "docs/en/plan/index.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    lines.append('<script>alert("x")</script>')
    page.write_text("\n".join(lines), encoding="utf-8")
    _fails(run_build(project), "docs/ja/news/posts/half-done.md:3", "[unfinished]",
           f"docs/en/plan/index.md:{len(lines)}", "[unsafe-element]", "直し方")


# --------------------------------------------------------------------------- the build talks to people

class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_progress_redraws_one_line_in_a_terminal():
    import io

    from scripts import progress

    stream, clock = io.StringIO(), FakeClock()
    task = progress.Task("Images", 3, stream=stream, tty=True, clock=clock)
    for _ in range(3):
        clock.now += 1
        task.advance()
    out = stream.getvalue()
    assert "\r\033[KImages: 1/3, 1.0 s" in out and "\r\033[KImages: 3/3, 3.0 s" in out
    assert "\n" not in out and out.endswith("\r\033[K")  # the line is cleared when done


def test_progress_prints_plain_lines_in_ci(caplog):
    import io
    import logging

    from scripts import progress

    stream, clock = io.StringIO(), FakeClock()
    task = progress.Task("Cards", 100, stream=stream, tty=False, clock=clock)
    with caplog.at_level(logging.INFO, logger="mkdocs.site.progress"):
        for _ in range(100):
            clock.now += 0.2  # 20 s in all: a line every 5 s, and one at the end
            task.advance()
    lines = [r.getMessage() for r in caplog.records]
    assert stream.getvalue() == ""
    assert lines[-1] == "Cards: 100/100, 20.0 s (done)"
    assert 3 <= len(lines) <= 5 and all(re.fullmatch(r"Cards: \d+/100, [\d.]+ s( \(done\))?", x) for x in lines)


def test_summary_lists_warnings_with_their_files_and_image_counts():
    from scripts import progress

    summary = progress.Summary()
    summary.page("ja"), summary.page("en"), summary.page("en")
    summary.add_images({"encoded": 2, "cached": 5})
    summary.warning("Doc file 'plan/index.md' contains a link 'x.md', but the target is not found.")
    summary.warning("[heading-order] skipped level", "docs/ja/plan/index.md:12")
    text = summary.text()
    assert "pages / ページ: ja 1, en 2" in text and "2 encoded" in text and "5 from cache" in text
    assert "warnings / 注意: 2" in text
    assert summary.warnings[0][0] == "plan/index.md"  # the file is found in MkDocs' own message
    assert "    Doc file 'plan/index.md' contains" in text  # ...which already names it
    assert "    docs/ja/plan/index.md:12: [heading-order] skipped level" in text
