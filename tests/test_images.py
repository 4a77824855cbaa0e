"""The image pipeline with real Pillow: clean outputs (bytes checked), sRGB,
orientation, reduced-scale decode, cache, <picture> markup, alt text, and a
clear message for every kind of bad image. Builds of a project copy check
the wiring end to end."""
from __future__ import annotations

import io
import logging
import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from scripts import images
from scripts.problems import ContentError
from tests.conftest import SHARED_CACHE, run_build
from tests.fixtures import images as fx

# Markers of metadata. (Not a bare b"GPS": three bytes that compressed pixels contain by chance.)
FORBIDDEN = [b"Exif", b"EXIF", b"exif", fx.DATUM, fx.SECRET, b"xmpmeta", b"xpacket", b"ns.adobe.com",
             b"ExampleCam", b"GPSLatitude"]


def assert_clean(data: bytes, where: str):
    for marker in FORBIDDEN:
        assert marker not in data, f"{where} contains {marker!r}"
    with Image.open(io.BytesIO(data)) as im:
        assert not im.getexif(), f"{where} has EXIF"
        assert "xmp" not in im.info and "icc_profile" not in im.info and "exif" not in im.info, where


@pytest.fixture
def docs(tmp_path):
    """A docs folder, a site folder and a private cache for one ImageSet."""
    (tmp_path / "docs/assets").mkdir(parents=True)
    (tmp_path / "site").mkdir()
    return tmp_path


def image_set(root: Path) -> images.ImageSet:
    """What the hooks do for one build: every file under docs/, by its site path."""
    s = images.ImageSet(root / "site", root / "docs", root / "cache")
    for path in (root / "docs").rglob("*"):
        if path.is_file():
            s.add(path, path.relative_to(root / "docs").as_posix())
    return s


def page(src: str, alt: str = "写真") -> str:
    return f'<p><img alt="{alt}" src="{src}"></p>'


# ---------------------------------------------------------------- clean, correct outputs


def test_gps_photo_is_published_without_any_metadata(docs):
    fx.save_gps_jpeg(docs / "docs/assets/gps.jpg", size=(2000, 1500), icc=fx.linear_icc())
    source_bytes = (docs / "docs/assets/gps.jpg").read_bytes()
    assert fx.DATUM in source_bytes and b"Exif" in source_bytes  # the test can fail
    s = image_set(docs)
    s.rewrite(page("assets/gps.jpg"), "", "docs/index.md")
    # MkDocs copies the original into the site; the pipeline must replace it.
    (docs / "site/assets").mkdir()
    shutil.copyfile(docs / "docs/assets/gps.jpg", docs / "site/assets/gps.jpg")
    stats = s.write()
    assert stats == {"images": 1, "encoded": 1, "cached": 0, "files": 9}
    outputs = sorted((docs / "site/assets").iterdir())
    assert len(outputs) == 10
    assert {p.suffix for p in outputs} == {".avif", ".webp", ".jpg"}
    for path in outputs:
        assert_clean(path.read_bytes(), path.name)
    assert (docs / "docs/assets/gps.jpg").read_bytes() == source_bytes, "the source was modified"


def test_colours_are_converted_to_srgb(docs):
    # 128 in a linear-light profile is mid-grey, which sRGB writes as about 188.
    Image.new("RGB", (600, 400), (128, 64, 200)).save(docs / "docs/assets/linear.png", icc_profile=fx.linear_icc())
    s = image_set(docs)
    s.rewrite(page("assets/linear.png"), "", "docs/index.md")
    s.write()
    (png,) = (docs / "site/assets").glob("linear-*-480w.png")
    pixel = Image.open(png).convert("RGB").getpixel((10, 10))
    assert all(abs(a - b) <= 2 for a, b in zip(pixel, (188, 137, 229))), pixel


def test_orientation_is_applied_before_the_exif_is_dropped(docs):
    stored = Image.new("RGB", (1000, 500), (0, 0, 255))
    stored.paste((255, 0, 0), (0, 0, 200, 100))  # red in the stored top-left corner
    fx.save_gps_jpeg(docs / "docs/assets/turned.jpg", orientation=6, image=stored)  # 6: turn 90° clockwise
    plan = images.plan(docs / "docs/assets/turned.jpg")
    assert (plan.width, plan.height) == (500, 1000)
    s = image_set(docs)
    html = s.rewrite(page("assets/turned.jpg"), "", "docs/index.md")
    assert 'width="500" height="1000"' in html
    s.write()
    (jpeg,) = (docs / "site/assets").glob("turned-*-480w.jpg")
    im = Image.open(jpeg).convert("RGB")
    assert im.size == (480, 960)
    red, blue = im.getpixel((470, 10)), im.getpixel((10, 10))  # stored top-left is now top-right
    assert red[0] > 200 and red[2] < 60 and blue[2] > 200, (red, blue)


def test_jpeg_is_decoded_at_reduced_scale(tmp_path):
    fx.photo((4000, 3000)).save(tmp_path / "big.jpg", quality=85)
    plan = images.plan(tmp_path / "big.jpg")
    assert plan.widths == (480, 960, 1600)
    decoded = images.decode(plan)
    # libjpeg's 1/2 scale is the smallest that still gives 1600 px: no full 12-megapixel decode.
    assert decoded.size == (2000, 1500)


def test_widths_never_upscale():
    assert images.output_widths(4000) == (480, 960, 1600)
    assert images.output_widths(1000) == (480, 960, 1000)
    assert images.output_widths(700) == (480, 700)
    assert images.output_widths(300) == (300,)


def test_transparent_png_keeps_alpha_and_gets_a_png_fallback(docs):
    im = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    im.paste((57, 73, 171, 255), (100, 100, 700, 300))
    im.save(docs / "docs/assets/logo.png")
    s = image_set(docs)
    html = s.rewrite(page("assets/logo.png"), "", "docs/index.md")
    assert re.search(r'<img src="assets/logo-\w+-800w.png"', html)
    s.write()
    for path in (docs / "site/assets").glob("logo-*"):
        with Image.open(path) as out:
            assert "A" in out.mode, path.name


# ---------------------------------------------------------------- cache


def test_rebuild_encodes_nothing_and_a_changed_image_alone_is_encoded(docs):
    for n in (1, 2, 3):
        fx.photo((900, 600), seed=n).save(docs / f"docs/assets/p{n}.jpg", quality=88)
    first = image_set(docs).write()
    assert (first["encoded"], first["cached"]) == (3, 0)
    again = image_set(docs).write()
    assert (again["encoded"], again["cached"]) == (0, 3)
    fx.photo((900, 600), seed=99).save(docs / "docs/assets/p2.jpg", quality=88)
    changed = image_set(docs).write()
    assert (changed["encoded"], changed["cached"]) == (1, 2)


def test_settings_are_part_of_the_cache_key(tmp_path):
    fx.photo((600, 400)).save(tmp_path / "a.jpg")
    assert images.plan(tmp_path / "a.jpg").key != images.plan(tmp_path / "a.jpg", images.Settings(webp_quality=60)).key


def _process_id(_item) -> int:
    return os.getpid()


def test_pool_runs_jobs_in_worker_processes(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_IMAGE_WORKERS", "2")
    # The jobs really run in other processes (the single-process path would give our own id).
    pids = images.run_pool(_process_id, list(range(4)))
    assert all(isinstance(pid, int) for pid in pids), pids
    assert os.getpid() not in pids and len(set(pids)) >= 1
    plans = []
    for n in range(3):
        fx.photo((700, 500), seed=n).save(tmp_path / f"{n}.jpg")
        plans.append(images.plan(tmp_path / f"{n}.jpg"))
    manifests, failures, encoded = images.encode_all(plans, tmp_path / "cache")
    assert not failures and encoded == 3 and len(manifests) == 3


# ---------------------------------------------------------------- markup


def test_picture_markup_first_image_eager_others_lazy(docs):
    for name in ("a", "b"):
        fx.photo((2000, 1000), seed=len(name)).save(docs / f"docs/assets/{name}.jpg")
    s = image_set(docs)
    html = s.rewrite(page("../../assets/a.jpg", "一枚目") + page("../../assets/b.jpg", "二枚目"), "plan/x/", "docs/plan/x.md")
    first, second = re.findall(r"<picture>.*?</picture>", html)
    for pic in (first, second):
        assert '<source type="image/avif" srcset="../../assets/' in pic
        assert '<source type="image/webp"' in pic
        assert re.search(r'srcset="[^"]*-480w\.jpg 480w, [^"]*-960w\.jpg 960w, [^"]*-1600w\.jpg 1600w"', pic)
        assert 'sizes="' in pic and 'width="1600" height="800"' in pic
    assert 'loading="lazy"' not in first and 'decoding="async"' not in first
    assert 'loading="lazy"' in second and 'decoding="async"' in second
    assert 'alt="二枚目"' in second


def test_decorative_image_gets_empty_alt(docs):
    fx.photo((600, 300)).save(docs / "docs/assets/line.jpg")
    html = image_set(docs).rewrite('<p><img alt="" class="decorative" src="assets/line.jpg"></p>', "", "docs/index.md")
    assert 'alt=""' in html and "<picture>" in html


def test_svg_is_checked_and_kept(docs):
    shutil.copy(fx.svg("clean.svg"), docs / "docs/assets/clean.svg")
    html = image_set(docs).rewrite(page("x.png") + page("assets/clean.svg", "図"), "", "docs/index.md")
    assert '<img alt="図" src="assets/clean.svg" width="120" height="60" loading="lazy" decoding="async">' in html


def test_external_image_is_an_error(docs):
    with pytest.raises(ContentError) as err:
        image_set(docs).rewrite(page("https://cdn.example.com/a.png"), "", "docs/ja/index.md")
    assert "docs/ja/index.md" in str(err.value) and "another site" in str(err.value)


# ---------------------------------------------------------------- bad images


def bad(docs, name: str, write) -> str:
    path = docs / "docs/assets" / name
    write(path)
    s = image_set(docs)
    with pytest.raises(ContentError) as err:
        s.rewrite(page(f"assets/{name}"), "", "docs/ja/plan/page.md")
        s.write()
    message = str(err.value)
    assert f"assets/{name}" in message, message
    assert "docs/ja/plan/page.md" in message, message  # the page that uses it
    assert "How to fix" in message
    return message


def test_not_an_image(docs):
    assert "not an image" in bad(docs, "fake.jpg", lambda p: p.write_bytes(b"this is a text file\n" * 20))


def test_truncated_image(docs):
    assert "damaged or cut short" in bad(docs, "cut.jpg", fx.truncated_jpeg)


@pytest.mark.parametrize("size", [(9000, 9000), (10000, 10000), (20000, 20000)])
def test_decompression_bomb(docs, size):
    # 81 MP: our limit; 100 MP: Pillow's warning, made an error; 400 MP: Pillow's own error.
    message = bad(docs, "bomb.png", lambda p: fx.bomb_png(p, *size))
    assert "decompression bomb" in message


@pytest.mark.parametrize("name, needle", [
    ("script.svg", "<script>"),
    ("onload.svg", "event handler (onload)"),
    ("external-href.svg", "https://tracker.example.com/pixel.png"),
    ("external-style.svg", "<style> loads something outside"),
    ("entity.svg", "DOCTYPE"),
])
def test_unsafe_svg(docs, name, needle):
    message = bad(docs, name, lambda p: shutil.copy(fx.svg(name), p))
    assert needle in message


def test_unsupported_type(docs):
    assert "'.gif' images are not published" in bad(
        docs, "anim.gif", lambda p: Image.new("P", (10, 10)).save(p, "GIF"))


def test_unreferenced_bad_image_still_fails(docs):
    fx.truncated_jpeg(docs / "docs/assets/lost.jpg")
    with pytest.raises(ContentError) as err:
        image_set(docs).write()
    assert "assets/lost.jpg" in str(err.value) and "no page yet" in str(err.value)


def test_oversized_source_warns_with_its_size(docs, caplog):
    Image.new("1", (8000, 5100)).save(docs / "docs/assets/huge.png")
    logger = logging.getLogger("mkdocs.site.images")
    logger.addHandler(caplog.handler)  # the CLI stops "mkdocs" logs from reaching the root logger
    try:
        image_set(docs).rewrite(page("assets/huge.png"), "", "docs/ja/index.md")
    finally:
        logger.removeHandler(caplog.handler)
    (record,) = {id(r): r for r in caplog.records}.values()
    assert record.levelno == logging.WARNING
    assert "8000×5100" in record.getMessage() and "assets/huge.png" in record.getMessage()
    assert "3200 px" in record.getMessage()


# ---------------------------------------------------------------- alt text in Markdown


PAGE = """---
title: テスト
---

# 見出し

![川の堤防の写真](assets/a.jpg)

![](assets/b.jpg)

```markdown
![](assets/in-code.jpg)
```

`![](inline-code.jpg)` ![](assets/line.png){ .decorative }

<img src="assets/c.jpg">

![levee.jpg](assets/d.jpg)

![A levee](assets/e.jpg)

![飾り](assets/f.png){ .decorative }
"""


def test_alt_text_problems_name_their_line():
    problems = images.check_alt(PAGE, "docs/ja/x.md", "ja")
    found = [(p.line, p.message) for p in problems]
    assert [line for line, _ in found] == [9, 17, 19, 21, 23], found
    assert "assets/b.jpg has no alt text" in found[0][1]
    assert "assets/c.jpg has no alt text" in found[1][1]
    assert "is a file name" in found[2][1]
    assert "not in Japanese" in found[3][1]
    assert "marked decorative but has alt text" in found[4][1]
    assert all(p.file == "docs/ja/x.md" for p in problems)


def test_english_page_needs_english_alt():
    text = "![橋の写真](a.jpg)\n\n![A bridge over the 隅田川](b.jpg)\n"
    problems = images.check_alt(text, "docs/en/x.md", "en")
    assert [(p.line, "not in English" in p.message) for p in problems] == [(1, True)]


# ---------------------------------------------------------------- the real build


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory, built_site):
    """A copy of the cache the real build just filled (built_site builds with the tests'
    shared cache, SHARED_CACHE), so these builds redraw only what the tests add (the
    real cache itself is left alone)."""
    cache = tmp_path_factory.mktemp("cache")
    for part in ("images", "cards", "charts"):
        if (SHARED_CACHE / part).is_dir():
            shutil.copytree(SHARED_CACHE / part, cache / part)
    return cache


def add_image(project: Path, lang: str, name: str, markdown: str):
    page_file = project / f"docs/{lang}/plan/implementation.md"
    page_file.write_text(page_file.read_text(encoding="utf-8") + f"\n\n{markdown}\n", encoding="utf-8")


def test_build_publishes_gps_photo_stripped_and_rebuild_uses_cache(project, shared_cache, monkeypatch, tmp_path):
    # No image cache: another test of this module may have encoded the same photo already.
    cache = tmp_path / "cache"
    shutil.copytree(shared_cache, cache, ignore=lambda folder, names: ["images"] if Path(folder) == shared_cache else [])
    monkeypatch.setenv("SITE_CACHE_DIR", str(cache))
    for lang, alt in (("ja", "港に並ぶクレーンの写真"), ("en", "Cranes lined up at a port")):
        fx.save_gps_jpeg(project / f"docs/{lang}/assets/port.jpg", size=(1800, 1200), icc=fx.linear_icc())
        add_image(project, lang, "port.jpg", f"![{alt}](../assets/port.jpg)")
    first = run_build(project)
    assert first.returncode == 0, first.stderr
    # The languages build in parallel and share the work: the summary has the total.
    assert re.findall(r"images / 画像: (\d+) encoded", first.stderr) == ["2"], first.stderr
    for lang, prefix in (("ja", ""), ("en", "en/")):
        html = (project / f"site/{prefix}plan/implementation/index.html").read_text(encoding="utf-8")
        assert re.search(r'<source type="image/avif" srcset="\.\./\.\./assets/port-\w+-480w\.avif 480w', html), lang
        published = sorted((project / f"site/{prefix}assets").glob("port*"))
        assert len(published) == 10  # 3 widths × 3 formats, and the original's name
        for path in published:
            assert_clean(path.read_bytes(), f"{lang}: {path.name}")
    assert fx.DATUM in (project / "docs/ja/assets/port.jpg").read_bytes()
    second = run_build(project)
    assert second.returncode == 0, second.stderr
    assert re.findall(r"Images: (\d+) encoded", second.stderr) == ["0", "0"], second.stderr
    assert re.findall(r"Social cards: (\d+) drawn", second.stderr) == ["0", "0"], second.stderr


def test_build_fails_on_a_damaged_image_naming_the_file(project, shared_cache, monkeypatch):
    monkeypatch.setenv("SITE_CACHE_DIR", str(shared_cache))
    fx.truncated_jpeg(project / "docs/ja/assets/broken.jpg")
    add_image(project, "ja", "broken.jpg", "![壊れた写真](../assets/broken.jpg)")
    result = run_build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    # The registry's image check stops the build before any page is made (as make check does).
    assert "docs/ja/assets/broken.jpg" in output and "[bad-image]" in output, output
    assert "damaged or cut short" in output
    assert not (project / "site").exists()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_real_page_uses_the_pipeline(built_site, prefix):
    html = (built_site / prefix / "plan/role-of-technology/index.html").read_text(encoding="utf-8")
    (picture,) = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert '<source type="image/avif" srcset="../../assets/bridge-illustration-' in picture
    assert 'width="1600" height="900"' in picture
    assert 'loading="lazy"' not in picture  # the page's first image
    for name in re.findall(r"assets/(bridge-illustration[^\" ,]+)", picture):
        assert_clean((built_site / prefix / "assets" / name).read_bytes(), name)
    assert_clean((built_site / prefix / "assets/bridge-illustration.jpg").read_bytes(), "the original's name")
