"""Social cards: a 1200×630 PNG for every page in each language, with the
site name and the page title, for Open Graph and Twitter (og:image).

Drawn offline with Pillow in a Japanese Universal Design face installed by
scripts/system-deps.sh (Debian fonts-morisawa-bizud-gothic: BIZ UDPGothic,
SIL OFL), falling back to Noto Sans CJK JP; fonts are never downloaded.

Japanese titles wrap between phrases found by BudouX, with kinsoku rules:
no line starts with 、。」）ー etc. and none ends with 「（ etc. English
titles wrap between words. A title that does not fit shrinks step by step,
and only at the smallest size is the last line cut with "…"; text never
leaves the title box (TITLE_BOX). Cards are cached in .cache/cards/ under a
hash of everything drawn on them.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from scripts import CACHE, languages
from scripts.images import run_pool
from scripts.problems import ContentError, Problem

log = logging.getLogger("mkdocs.site.cards")

SIZE = (1200, 630)
MARGIN = 80
TITLE_BOX = (MARGIN, 150, SIZE[0] - MARGIN, 520)  # left, top, right, bottom
TITLE_SIZES = tuple(range(72, 43, -4))  # 72 … 44 px
MAX_LINES = 4
LINE_HEIGHT = 1.3
CACHE_DIR = CACHE / "cards"
VERSION = 2  # bump when the design changes (2: the status line, bottom right)

# Colours: all text is at least 7:1 against the background (WCAG AAA).
BACKGROUND = (248, 249, 252)
ACCENT = (57, 73, 171)  # Material indigo 600, the site's primary colour
TEXT = (26, 26, 26)
MUTED = (74, 74, 74)

# Kinsoku shori (JIS X 4051): characters that may not start or end a line.
NO_START = set("、。，．,.・：；:;？！?!‼⁇⁈⁉ー～〜‐－-…‥」』）)］]｝}〕〉》】〙〗｣’”"
               "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻ゝゞヽヾ%％℃")
NO_END = set("「『（(［[｛{〔〈《【〘〖｢‘“")
ELLIPSIS = "…"

FONT_DIRS = [  # Debian's paths; elsewhere the font is found with fc-list
    "/usr/share/fonts/truetype/bizud-gothic",
    "/usr/share/fonts/truetype/morisawa",
]
FONT_PREFERENCE = ["BIZ UDPGothic", "BIZ UDGothic", "Noto Sans CJK JP", "Noto Sans JP"]


@dataclass(frozen=True)
class Font:
    path: str
    index: int = 0

    def at(self, size: int) -> ImageFont.FreeTypeFont:
        return _font(self.path, self.index, size)


@functools.lru_cache(maxsize=64)
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, size, index=index, layout_engine=engine)


@functools.lru_cache(maxsize=4)
def find_font(weight: str = "Bold") -> Font:
    """The Japanese face for cards and charts: BIZ UDPGothic, else Noto Sans CJK JP."""
    for folder in FONT_DIRS:
        path = Path(folder, f"BIZUDPGothic-{weight}.ttf")
        if path.is_file():
            return Font(str(path))
    try:
        listing = subprocess.run(["fc-list", "-f", "%{file}\t%{index}\t%{family}\t%{style}\n", ":lang=ja"],
                                 capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        listing = ""
    rows = [line.split("\t") for line in listing.splitlines() if line.count("\t") == 3]
    for family in FONT_PREFERENCE:
        for exact in (True, False):
            for path, index, families, style in rows:
                if family in families.split(",") and (weight in style.split(",")) == exact:
                    return Font(path, int(index or 0))
    raise ContentError([Problem(
        rule="no-japanese-font", severity="error", file="scripts/system-deps.sh",
        message="no Japanese font is installed, so social cards and charts cannot be drawn.",
        fix="run `bash scripts/system-deps.sh` (Debian: apt-get install fonts-morisawa-bizud-gothic fonts-noto-cjk).")])


# ---------------------------------------------------------------- title layout


def atoms(title: str, lang: str) -> list[str]:
    """Units that are never split if avoidable: BudouX phrases or words,
    glued so that none starts with a NO_START or ends with a NO_END character."""
    if languages.get(lang).writing.phrase_breaks or re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", title):
        parts = _ja_parser().parse(title)
    else:
        parts = re.findall(r"\S+\s*", title)
    glued: list[str] = []
    for part in parts:
        if glued and (part[0] in NO_START or glued[-1].rstrip()[-1:] in NO_END):
            glued[-1] += part
        else:
            glued.append(part)
    return glued


@functools.lru_cache(maxsize=1)
def _ja_parser():
    from budoux import load_default_japanese_parser

    return load_default_japanese_parser()


def _break_points(text: str) -> list[int]:
    """Where a too-long unit may be split by characters, with kinsoku."""
    return [i for i in range(1, len(text)) if text[i] not in NO_START and text[i - 1] not in NO_END
            and not (text[i - 1].isascii() and text[i - 1].isalnum() and text[i].isascii() and text[i].isalnum())]


def wrap(title: str, lang: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy line filling by atoms; an atom wider than a line is split at allowed points."""
    def fits(text):
        return font.getlength(text.rstrip()) <= width

    lines: list[str] = []
    current = ""
    for atom in atoms(title, lang):
        if fits(current + atom):
            current += atom
            continue
        if current:
            lines.append(current)
            current = ""
        while not fits(atom):
            cut = [i for i in _break_points(atom) if fits(atom[:i])]
            if not cut:  # no allowed point fits (a very long word): split where it must
                i = len(atom) - 1
                while i > 1 and not fits(atom[:i]):
                    i -= 1
                cut = [i]
            lines.append(atom[:cut[-1]])
            atom = atom[cut[-1]:]
        current = atom
    if current:
        lines.append(current)
    return [line.strip() for line in lines if line.strip()]


def _ellipsize(line: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    while line and font.getlength(line.rstrip() + ELLIPSIS) > width:
        line = line[:-1]
    line = line.rstrip()
    while line and line[-1] in NO_END:
        line = line[:-1]
    return line + ELLIPSIS


def layout_title(title: str, lang: str, font: Font | None = None,
                 box: tuple[int, int, int, int] = TITLE_BOX) -> tuple[int, list[str]]:
    """(font size, lines): the largest size whose lines fit the box; at the
    smallest size, the lines that fit with the last one ellipsised."""
    font = font or find_font()
    width, height = box[2] - box[0], box[3] - box[1]
    for size in TITLE_SIZES:
        face = font.at(size)
        lines = wrap(title, lang, face, width)
        if len(lines) <= min(MAX_LINES, _lines_that_fit(face, size, height)):
            return size, lines
    size = TITLE_SIZES[-1]
    face = font.at(size)
    keep = min(MAX_LINES, _lines_that_fit(face, size, height))
    lines = wrap(title, lang, face, width)
    return size, lines[:keep - 1] + [_ellipsize(lines[keep - 1], face, width)]


def _lines_that_fit(face: ImageFont.FreeTypeFont, size: int, height: int) -> int:
    ascent, descent = face.getmetrics()
    return max(1, int((height - ascent - descent) // (size * LINE_HEIGHT)) + 1)


# ---------------------------------------------------------------- drawing


def render(title: str, site_name: str, footer: str, lang: str, font: Font | None = None,
           status: str = "") -> Image.Image:
    """`status`: a small line that the page explains a draft and whether it is official
    ("骨子（案）の解説・非公式"), so a shared card does not read as the Ministry's."""
    font = font or find_font()
    im = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, 23, SIZE[1]), fill=ACCENT)  # the brand bar, in the left margin
    # Site name: one line, shrunk if a long name would leave the margin.
    for size in range(36, 19, -2):
        face = font.at(size)
        if face.getlength(site_name) <= SIZE[0] - 2 * MARGIN:
            break
    if title != site_name:  # the home card's title is the site name: not twice
        draw.text((MARGIN, 70), site_name, font=face, fill=ACCENT, anchor="la")
    draw.line((MARGIN, 128, MARGIN + 96, 128), fill=ACCENT, width=6)
    size, lines = layout_title(title, lang, font)
    face = font.at(size)
    ascent, descent = face.getmetrics()
    step = size * LINE_HEIGHT
    block = (len(lines) - 1) * step + ascent + descent
    top = TITLE_BOX[1] + (TITLE_BOX[3] - TITLE_BOX[1] - block) / 2
    for i, line in enumerate(lines):
        draw.text((TITLE_BOX[0], top + i * step), line, font=face, fill=TEXT, anchor="la")
    draw.text((MARGIN, SIZE[1] - 62), footer, font=font.at(26), fill=MUTED, anchor="ls")
    if status:
        draw.text((SIZE[0] - MARGIN, SIZE[1] - 62), status, font=font.at(26), fill=MUTED, anchor="rs")
    return im


def _render_job(job: tuple) -> str:
    title, site_name, footer, lang, font, status, out = job
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.stem}.{os.getpid()}.tmp")
    render(title, site_name, footer, lang, font, status).save(tmp, "PNG", optimize=True)
    tmp.replace(out)
    return str(out)


def is_home(page_url: str) -> bool:
    return page_url.strip("/") in ("", "index.html")


def card_path(page_url: str) -> str:
    """plan/role-of-technology/ -> assets/cards/plan/role-of-technology.png; home -> index.png."""
    name = re.sub(r"(/index)?\.html$", "", page_url.strip("/")) or "index"
    return f"assets/cards/{name}.png"


def _footer(site_url: str) -> str:
    parts = urllib.parse.urlsplit(site_url)
    return (parts.netloc + parts.path).rstrip("/")


def tags(site_name: str, site_url: str, lang: str, page_url: str, title: str, description: str,
         canonical_url: str | None = None) -> dict:
    """What a page's og:/twitter: tags say (overrides/partials/social.html reads these values)."""
    site_url = site_url.rstrip("/") + "/"
    if is_home(page_url):  # the home card names the site, not the page's nav label 「トップ」/"Home"
        title = site_name
    path = card_path(page_url)
    return {
        "title": title, "site_name": site_name, "description": description,
        "url": canonical_url or site_url + page_url,
        "image": site_url + urllib.parse.quote(path),
        "image_alt": title if title == site_name else f"{site_name}: {title}",
        "width": SIZE[0], "height": SIZE[1], "locale": languages.territory_locale(lang),
    }


class CardSet:
    """The cards of one language's build."""

    def __init__(self, site_dir, site_name: str, site_url: str, lang: str, cache_dir: Path | str = CACHE_DIR,
                 status: str = ""):
        self.site_dir, self.site_name, self.lang, self.status = Path(site_dir), site_name, lang, status
        self.site_url = site_url.rstrip("/") + "/"
        self.cache_dir = Path(cache_dir)
        self.cards: dict[str, tuple] = {}  # card path -> job

    def add(self, page_url: str, title: str, description: str, canonical_url: str | None = None) -> dict:
        """Register a page's card to draw; returns the og:/twitter: values (see tags())."""
        values = tags(self.site_name, self.site_url, self.lang, page_url, title, description, canonical_url)
        font = find_font()
        key = hashlib.sha256(json.dumps([VERSION, values["title"], self.site_name, _footer(self.site_url), self.lang,
                                         font.path, font.index, Path(font.path).stat().st_size,
                                         self.status]).encode()).hexdigest()
        self.cards[card_path(page_url)] = (values["title"], self.site_name, _footer(self.site_url), self.lang, font,
                                           self.status, str(self.cache_dir / f"{key}.png"))
        return values

    def write(self) -> dict:
        # Pages with the same title share one card file in the cache.
        todo = list({job[-1]: job for job in self.cards.values() if not Path(job[-1]).is_file()}.values())
        for result in run_pool(_render_job, todo, label="Social cards"):
            if isinstance(result, Exception):
                raise result
        for path, job in self.cards.items():
            dest = self.site_dir / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(job[-1], dest)
        stats = {"cards": len(self.cards), "drawn": len(todo), "cached": len(self.cards) - len(todo)}
        log.info(f"Social cards: {stats['drawn']} drawn, {stats['cached']} from cache")
        return stats
