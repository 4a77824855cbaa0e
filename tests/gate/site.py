"""Which pages the built site has, and one page of each template to test closely."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LANGS = ("ja", "en")
LANG_PREFIX = {"ja": "", "en": "en/"}
# Folders of the built site that hold no pages of their own.
NOT_PAGES = {"assets", "search", "stylesheets", "javascripts", "images", "downloads"}


@dataclass(frozen=True)
class Template:
    name: str
    # A fixed page ("fields/disaster-resilience/"), or a section ending in "*"
    # whose first page with `marker` in its HTML stands for the template: lesson
    # and news pages are written by other people over time.
    path: str
    marker: str = ""

    def page(self, site: Path, lang: str) -> str | None:
        """The template's page in lang, relative to the server root, or None while none exists."""
        prefix = LANG_PREFIX[lang]
        if not self.path.endswith("*"):
            return prefix + self.path if (site / prefix / self.path / "index.html").is_file() else None
        section = site / prefix / self.path.rstrip("*")
        for index in sorted(section.rglob("index.html")) if section.is_dir() else []:
            if index.parent == section or NOT_PAGES & set(index.relative_to(section).parts):
                continue
            if self.marker in index.read_text(encoding="utf-8"):
                return prefix + index.parent.relative_to(site / prefix).as_posix() + "/"
        return None


# One page of each template (issue 9). Keep in step with the site's sections.
TEMPLATES = [
    Template("home", ""),
    Template("explainer", "fields/disaster-resilience/"),
    # Lesson pages carry schema.org LearningResource JSON-LD (issue 7).
    Template("lesson", "teachers/*", marker="LearningResource"),
    # Material's blog plugin marks a post's own page (not the lists of posts).
    Template("news post", "news/*", marker="md-content--post"),
    Template("glossary", "glossary/"),
    Template("teachers' finder", "teachers/"),
]
# Pages that must print cleanly on A4 (explainers and lessons).
PRINT_TEMPLATES = ["explainer", "lesson"]


def template(name: str) -> Template:
    return next(t for t in TEMPLATES if t.name == name)


def pages(site: Path) -> list[str]:
    """Every page of the built site, as paths below the server root ("", "en/plan/", "404.html")."""
    found = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site)
        if NOT_PAGES & set(rel.parts):
            continue
        found.append("" if rel.as_posix() == "." else rel.as_posix() + "/")
    for lang in LANGS:
        if (site / LANG_PREFIX[lang] / "404.html").is_file():
            found.append(LANG_PREFIX[lang] + "404.html")
    return sorted(found)


def language_of(path: str) -> str:
    return "en" if path.startswith("en/") else "ja"


def counterpart(path: str, lang: str) -> str:
    """The same page in another language ("plan/" -> "en/plan/")."""
    bare = path[len(LANG_PREFIX[language_of(path)]):]
    return LANG_PREFIX[lang] + bare
