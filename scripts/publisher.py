"""Who publishes the site, and how to reach them: one place for it all.

The settings live in mkdocs.yml under `extra.publisher` (names per language
code from `extra.languages`, official or not, contact e-mail and/or web
address, repository address) plus `site_url`. The footer, the status notice,
the feedback link, About, every printout, the ZIP's LICENSE.txt and the
JSON-LD read them through `load()`.

The repository keeps clearly placeholder values (example.org …), because the
team has no real organisation or address yet. A local build accepts them and
marks every page and printout as a preview; a production build
(`python -m scripts build --production`, `make site PRODUCTION=1`, the deploy
workflow) refuses them, naming the setting and its line in mkdocs.yml.

Plain Python: nothing here knows MkDocs, so another engine can call it.
"""
from __future__ import annotations

import functools
import os
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scripts import ROOT, datafiles
from scripts.problems import ContentError, Problem, relative

CONFIG = ROOT / "mkdocs.yml"
# Set by `python -m scripts build --production`; read here so every language's
# build (some run in other processes) sees the same mode.
PRODUCTION_ENV = "SITE_PRODUCTION"

# A name that is not yet a name. Compared case-insensitively.
PLACEHOLDER_WORDS = ("example", "todo", "tbd", "placeholder", "未定", "仮の名前", "仮称", "xxx", "○○", "〇〇")
# An address that will never reach a reader.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "::1")
# Names that would read as the Ministry's own site (content audit F2), unless it really is.
OFFICIAL_PREFIXES = ("国土交通省", "国交省", "mlit", "ministry of land")


def production() -> bool:
    return os.environ.get(PRODUCTION_ENV, "") not in ("", "0", "false")


@dataclass(frozen=True)
class Publisher:
    names: dict[str, str]  # language code (extra.languages) -> the publisher's name in it
    official: bool
    email: str  # contact e-mail, or ""
    contact_url: str  # contact web address, or ""
    repository: str  # repository address, or ""
    issues: str  # the repository's new-issue page, or "" (GitHub's is found from the repository)
    site_url: str  # the public address of the site's root, ending in "/"
    site_names: dict[str, str] = field(default_factory=dict)  # site_name per language code
    placeholders: tuple[Problem, ...] = ()  # settings that still hold placeholder values

    @property
    def preview(self) -> bool:
        """Placeholders in a local build: every page and printout says it is a preview."""
        return bool(self.placeholders)

    def name(self, lang: str) -> str:
        return self.names.get(lang) or next(iter(self.names.values()), "")

    @property
    def contact_href(self) -> str:
        """Where "Contact us" leads: the web address if there is one, else the e-mail."""
        return self.contact_url or (f"mailto:{self.email}" if self.email else "")

    @property
    def new_issue_url(self) -> str:
        """The new-issue page: the `issues` setting, else GitHub's beside a github.com repository."""
        if self.issues:
            return self.issues
        if self.repository and urllib.parse.urlsplit(self.repository).hostname == "github.com":
            return self.repository.rstrip("/") + "/issues/new"
        return ""

    def report_mailto(self, page_url: str, title: str, subject: str, body: str) -> str:
        """A pre-filled e-mail about one page: subject with its title, body with its address."""
        if not self.email:
            return ""
        query = urllib.parse.urlencode({"subject": f"{subject}{title}", "body": f"{body}{page_url}\n\n"},
                                       quote_via=urllib.parse.quote)
        return f"mailto:{self.email}?{query}"

    def report_issue(self, page_url: str, title: str, body: str) -> str:
        """The repository's new-issue page with the page's title and address filled in."""
        if not self.new_issue_url:
            return ""
        query = urllib.parse.urlencode({"title": title, "body": f"{body}{page_url}\n\n"},
                                       quote_via=urllib.parse.quote)
        return f"{self.new_issue_url}?{query}"

    def view(self, lang: str) -> dict:
        """What the site's templates read, as plain values (they call no Python: scripts/page_data.py)."""
        return {"name": self.name(lang), "official": self.official, "preview": self.preview,
                "contact_href": self.contact_href, "repository": self.repository, "email": self.email}

    def json_ld(self, lang: str) -> dict:
        """schema.org Organization for JSON-LD."""
        data = {"@type": "Organization", "name": self.name(lang), "url": self.site_url}
        if self.email:
            data["email"] = self.email
        same = [u for u in (self.contact_url, self.repository) if u]
        if same:
            data["sameAs"] = same
        return data


# --- reading and checking -----------------------------------------------------------

class _Lines:
    """Line numbers of settings in mkdocs.yml, found on the YAML node tree."""

    def __init__(self, root):
        self.root = root

    def of(self, *keys) -> int | None:
        node, line = self.root, None
        for key in keys:
            if not isinstance(node, yaml.MappingNode):
                return line
            for k, v in node.value:
                if k.value == key:
                    node, line = v, k.start_mark.line + 1
                    break
            else:
                return line
        return line


def _setting_problem(rule: str, lines: _Lines, keys: tuple, message: str, fix: str, path: Path) -> Problem:
    setting = ".".join(keys)
    return Problem(rule=rule, severity="error", file=relative(path), line=lines.of(*keys),
                   message=f"{setting}: {message}", fix=fix)


def is_placeholder_address(url: str) -> tuple[str, str] | None:
    """Why an address cannot be published, (ja, en); None when it can."""
    parts = urllib.parse.urlsplit(url if "//" in url else "//" + url)
    host = (parts.hostname or "").lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return "このコンピューターの中のアドレス（localhost）です", "it is a local address (localhost)"
    labels = host.split(".")
    if "example" in labels or labels[-1] in ("invalid", "test", "example"):
        return "説明用のドメイン（example.*）です", "it is an example domain (example.*)"
    if any(word in parts.path.lower() for word in ("example", "placeholder", "todo")):
        return "アドレスに example / placeholder / todo があります", "it contains example, placeholder or todo"
    return None


def _placeholder_name(name: str) -> str:
    lowered = name.lower()
    for word in PLACEHOLDER_WORDS:
        if word in lowered:
            return word
    return ""


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def load(config_file: Path = CONFIG) -> Publisher:
    """Read and check the settings. Errors in their shape stop every build (publisher-setting,
    publisher-misleading-name); placeholders are kept in `placeholders` (see check_production)."""
    return _load_cached(Path(config_file), Path(config_file).stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load_cached(path: Path, _mtime: int) -> Publisher:
    text = path.read_text(encoding="utf-8")
    try:
        root = datafiles.compose(text)  # composing ignores mkdocs.yml's !!python tags
    except yaml.YAMLError as e:
        raise datafiles.syntax_error(e, path, "publisher-setting") from None
    data = _plain(root) or {}
    lines = _Lines(root)
    extra = data.get("extra") or {}
    codes = [str((item or {}).get("code")) for item in extra.get("languages") or [] if isinstance(item, dict)]
    raw = extra.get("publisher")
    errors: list[Problem] = []
    placeholders: list[Problem] = []

    def error(keys, message, fix, rule="publisher-setting"):
        errors.append(_setting_problem(rule, lines, keys, message, fix, path))

    def placeholder(keys, message, fix):
        placeholders.append(_setting_problem("publisher-placeholder", lines, keys, message, fix, path))

    if not isinstance(raw, dict):
        error(("extra", "publisher"), "発行者の設定がありません。 / the publisher settings are missing.",
              "mkdocs.yml の extra: に publisher: を書いてください（README「公開する前に」）。 / "
              "add publisher: under extra: in mkdocs.yml (README, \"Before you publish\").")
        raise ContentError(errors)
    names = raw.get("name")
    if not isinstance(names, dict):
        error(("extra", "publisher", "name"),
              "名前は言語ごとに書きます。 / the name is given per language.",
              "name: の下に " + ", ".join(f"{c}: …" for c in codes) + " と書いてください。 / "
              "write one line per language code under name:.")
        names = {}
    names = {str(k): str(v or "").strip() for k, v in names.items()}
    for code in codes:
        if not names.get(code):
            error(("extra", "publisher", "name"), f"言語「{code}」の名前がありません。 / no name for language '{code}'.",
                  f"name: の下に {code}: 名前 を加えてください。 / add `{code}: <name>` under name:.")
    official = raw.get("official")
    if not isinstance(official, bool):
        error(("extra", "publisher", "official"),
              "true か false で書きます。 / write true or false.",
              "国土交通省そのものが発行するときだけ true にします。 / true only if the Ministry itself publishes the site.")
        official = False
    contact = raw.get("contact") or {}
    if not isinstance(contact, dict):
        error(("extra", "publisher", "contact"), "email: と url: を分けて書きます。 / give email: and/or url:.",
              "contact: の下に email: と url: のどちらか、または両方を書いてください。 / "
              "write email: and/or url: under contact:.")
        contact = {}
    email = str(contact.get("email") or "").strip()
    contact_url = str(contact.get("url") or "").strip()
    repository = str(raw.get("repository") or "").strip()
    issues = str(raw.get("issues") or "").strip()
    site_url = str(data.get("site_url") or "").strip()
    if email and not EMAIL.fullmatch(email):
        error(("extra", "publisher", "contact", "email"), f"「{email}」はメールアドレスの形ではありません。 / "
              f"'{email}' is not an e-mail address.", "name@domain の形で書いてください。 / write it as name@domain.")
    for keys, value in ((("extra", "publisher", "contact", "url"), contact_url),
                        (("extra", "publisher", "repository"), repository),
                        (("extra", "publisher", "issues"), issues), (("site_url",), site_url)):
        if value and not re.match(r"https?://[^/\s]+", value):
            error(keys, f"「{value}」は https:// で始まるアドレスではありません。 / '{value}' is not an https:// address.",
                  "https:// から始まる完全なアドレスを書いてください。 / write the full address, starting with https://.")
    if not site_url:
        error(("site_url",), "サイトのアドレスがありません。 / the site's address is missing.",
              "site_url: に公開するアドレスを書いてください。 / set site_url: to the public address.")

    # The names must not read as the Ministry's own (content audit F2) unless it is.
    site_names = {}
    for code, config_name in _site_names(path, extra).items():
        site_names[code] = config_name
    if not official:
        for code, name in names.items():
            if name.lower().startswith(OFFICIAL_PREFIXES):
                error(("extra", "publisher", "name"),
                      f"発行者の名前「{name}」が国土交通省の名前で始まっていて、省の公式サイトに見えます。 / "
                      f"the publisher name '{name}' begins with the Ministry's name and reads as MLIT's own site.",
                      "省の名前で始まらない名前にしてください（official: true は省が発行するときだけ）。 / "
                      "choose a name that does not begin with the Ministry's name (official: true only if MLIT "
                      "publishes it).", rule="publisher-misleading-name")
        for code, name in site_names.items():
            if name.lower().startswith(OFFICIAL_PREFIXES):
                config_file = _config_for(extra, code)
                errors.append(Problem(
                    rule="publisher-misleading-name", severity="error", file=config_file,
                    line=_site_name_line(path.parent / config_file), message=f"site_name: サイト名「{name}」が国土交通省の名前で始まっていて、省の公式サイトに見えます。 / "
                    f"the site name '{name}' begins with the Ministry's name and reads as MLIT's own site.",
                    fix="省の名前で始まらないサイト名にしてください。 / choose a site name that does not begin with "
                    "the Ministry's name."))
    if errors:
        raise ContentError(errors)

    # Placeholders: fine for a local preview, refused by a production build.
    for code, name in names.items():
        word = _placeholder_name(name)
        if word:
            placeholder(("extra", "publisher", "name", code),
                        f"「{name}」は仮の名前です（「{word}」をふくむ）。 / '{name}' is a placeholder (it contains '{word}').",
                        "チームや団体の本当の名前を書いてください。 / write the team's or organisation's real name.")
    if not email and not contact_url:
        placeholder(("extra", "publisher", "contact"), "連絡先がありません。 / there is no contact.",
                    "contact: の下に email: か url:（または両方）を書いてください。 / "
                    "give contact.email and/or contact.url.")
    addresses = ((("extra", "publisher", "contact", "email"), email.split("@", 1)[-1], email),
                 (("extra", "publisher", "contact", "url"), contact_url, contact_url),
                 (("extra", "publisher", "repository"), repository, repository),
                 (("extra", "publisher", "issues"), issues, issues),
                 (("site_url",), site_url, site_url))
    for keys, address, shown in addresses:
        why = is_placeholder_address(address) if address else None
        if why:
            placeholder(keys, f"「{shown}」は公開できません。{why[0]}。 / '{shown}' cannot be published: {why[1]}.",
                        "公開する本当のアドレスを書いてください（README「公開する前に」）。 / "
                        "write the real address (README, \"Before you publish\").")
    return Publisher(names=names, official=official, email=email, contact_url=contact_url, repository=repository, issues=issues,
                     site_url=site_url.rstrip("/") + "/", site_names=site_names, placeholders=tuple(placeholders))


def check_production(pub: Publisher) -> None:
    """A production build stops on any placeholder."""
    if production() and pub.placeholders:
        raise ContentError([
            Problem(rule=p.rule, severity="error", file=p.file, line=p.line, fix=p.fix,
                    message=p.message + " 本番ビルド（--production）では使えません。 / "
                    "A production build (--production) refuses it.")
            for p in pub.placeholders])


def _plain(node):
    """A composed node as plain data (unknown tags read as their plain value)."""
    if isinstance(node, yaml.MappingNode):
        return {_plain(k): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":bool") or (node.tag == "tag:yaml.org,2002:bool"):
            return node.value.lower() == "true"
        if node.style is None and node.value in ("true", "false", "True", "False"):
            return node.value.lower() == "true"
        return node.value
    return None


def _config_for(extra: dict, code: str) -> str:
    for item in extra.get("languages") or []:
        if isinstance(item, dict) and str(item.get("code")) == code:
            return str(item.get("config") or "mkdocs.yml")
    return "mkdocs.yml"


def _site_name_line(path: Path) -> int | None:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith("site_name:"):
                return number
    except OSError:
        pass
    return None


def _site_names(path: Path, extra: dict) -> dict[str, str]:
    """site_name per language code, from each language's config (INHERIT falls back to the first)."""
    names = {}
    first = None
    for item in extra.get("languages") or []:
        if not isinstance(item, dict):
            continue
        config = path.parent / str(item.get("config") or "")
        try:
            data = _plain(datafiles.compose(config.read_text(encoding="utf-8"))) or {}
        except (OSError, yaml.YAMLError):
            data = {}
        name = str(data.get("site_name") or first or "")
        first = first or name
        names[str(item.get("code"))] = name
    return names


# --- page text ----------------------------------------------------------------------------

PAGE_PLACEHOLDER = re.compile(r"\[\[publisher:([a-z-]+)\]\]")
PAGE_KEYS = ("name", "contact", "email", "repository", "site")


def render(markdown: str, lang: str, path: Path | str, pub: Publisher | None = None) -> str:
    """[[publisher:name|contact|email|repository|site]] in a page: the setting, as text or a link.
    A setting that is empty shows as a dash; an unknown key stops the build with the line."""
    if "[[publisher:" not in markdown:
        return markdown
    pub = pub or load()
    problems = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        for match in PAGE_PLACEHOLDER.finditer(line):
            if match.group(1) not in PAGE_KEYS:
                problems.append(Problem(
                    rule="publisher-setting", severity="error", line=number,
                    file=relative(path) if isinstance(path, Path) else str(path),
                    message=f"「[[publisher:{match.group(1)}]]」という発行者の設定はありません。 / "
                    f"there is no publisher setting '{match.group(1)}'.",
                    fix=f"次のどれかを使ってください：{', '.join(PAGE_KEYS)}。 / use one of: {', '.join(PAGE_KEYS)}."))
    if problems:
        raise ContentError(problems)

    def link(url: str, text: str | None = None) -> str:
        return f"[{text or url}]({url})" if url else "—"

    values = {
        "name": pub.name(lang),
        "email": link(f"mailto:{pub.email}", pub.email) if pub.email else "—",
        "contact": " / ".join(v for v in (link(f"mailto:{pub.email}", pub.email) if pub.email else "",
                                          link(pub.contact_url) if pub.contact_url else "") if v) or "—",
        "repository": link(pub.repository),
        "site": link(pub.site_url),
    }
    return PAGE_PLACEHOLDER.sub(lambda m: values[m.group(1)], markdown)
