"""What the finish stage needs to know about one language's build: plain values.

Made from the engine's configuration (`from_mkdocs`), so the finish stage itself
never imports the engine.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts import catalogs, languages, publisher


@dataclass(frozen=True)
class Settings:
    site_dir: Path  # this language's output folder (the source language's is the site root)
    language: languages.Language
    languages: tuple[languages.Language, ...]
    site_name: str
    site_url: str  # this language's address, ending in / (…/en/)
    root_url: str  # the site's address, ending in /
    docs_dir: Path | None = None  # this language's docs (docs/<code>/): its images

    @property
    def is_source(self) -> bool:
        return self.language == self.languages[0]

    def ui(self, msgid: str) -> str:
        """This language's interface string (locales/, gettext)."""
        return catalogs.gettext(self.language.code)(msgid)

    def other_paths(self) -> tuple[str, ...]:
        """Folders below this site_dir that belong to the other languages (en/ below the root)."""
        if self.language.path:
            return ()
        return tuple(lang.path for lang in self.languages[1:] if lang.path)

    def card_status(self) -> str:
        official = publisher.load().official
        return self.ui(catalogs.N_("Explains a draft") if official else catalogs.N_("Explains a draft · unofficial"))


def from_mkdocs(config) -> Settings:
    """From a MkDocs config after its on_config (site_url is this language's, extra.site_root_url is set)."""
    langs = languages.load_languages(config.extra)
    lang = languages.current_language(langs, config.theme["language"])
    return Settings(
        site_dir=Path(config.site_dir),
        language=lang,
        languages=tuple(langs),
        site_name=config.site_name,
        site_url=config.site_url.rstrip("/") + "/",
        root_url=config.extra["site_root_url"],
        docs_dir=Path(config.docs_dir),
    )
