"""Checks on the source files themselves, before anything reads them.

Staff edit in many tools: a file saved as Shift_JIS, front matter with a
stray bracket, or an image called 写真 1.JPG must stop the build with a
message that says which file and what to do, never a Python traceback.
UTF-8 with a BOM and Windows line endings (CRLF) are fine.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from scripts import datafiles
from scripts.problems import Problem, relative

PAGE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
FOLDER_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ASSET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
TEXT_FIELDS = ("title", "description")
FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*\r?\n", re.S)


def suggest_name(name: str) -> str:
    """写真 1.JPG -> photo-1.jpg is impossible to guess; give a safe ASCII shape instead."""
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    ascii_stem = re.sub(r"[^a-z0-9]+", "-", ascii_stem).strip("-") or "name-in-english"
    return ascii_stem + (dot + ext.lower() if dot else "")


def check_names(docs_dir: Path) -> list[Problem]:
    problems = []
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        name = path.name
        if path.is_dir():
            ok = FOLDER_NAME.match(name)
            kind = "folder"
        elif name.endswith(".md"):
            ok = PAGE_NAME.match(name)
            kind = "page"
        else:
            ok = ASSET_NAME.match(name)
            kind = "file"
        if not ok:
            problems.append(Problem(
                rule="file-name", severity="error", file=relative(path),
                message=f"名前「{name}」はアドレスの一部になるので、半角英数字で書きます（空白・日本語は使えません"
                        + ("。小文字・数字・ハイフンだけ）。" if kind != "file" else "）。")
                        + f" / The {kind} name '{name}' becomes part of a web address, so it must be plain ASCII "
                        "(no spaces, no Japanese characters" + (", lowercase letters, digits and hyphens)." if kind != "file" else ")."),
                fix=f"名前を変えて（例：{suggest_name(name)}）、そこへのリンクも直してください。"
                    f" / Rename it, for example to '{suggest_name(name)}', and update the links to it.",
            ))
    return problems


def check_page(path: Path) -> list[Problem]:
    """Encoding and front-matter syntax of one Markdown page."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return [Problem(
            rule="not-utf8", severity="error", file=relative(path), line=line,
            message="ファイルが UTF-8 で保存されていません（Shift_JIS かもしれません）。 / The file is not saved as UTF-8 (perhaps Shift_JIS).",
            fix="エディターで開き、文字コード「UTF-8」で保存し直してください。 / Open it in your editor and save it again with the encoding 'UTF-8'.",
        )]
    match = FRONT_MATTER.match(text)
    if not match:
        if text.lstrip("\ufeff").startswith("---"):
            return [Problem(
                rule="front-matter", severity="error", file=relative(path), line=1,
                message="front matter が --- で始まっていますが、終わりの --- がありません。 / The front matter starts with --- but never ends.",
                fix="最後の設定の行（title:, description:）のあとに、--- だけの行を書いてください。 / Add a line with only --- after the last front-matter line.",
            )]
        return check_characters(path, text)
    try:
        meta = datafiles.load(match.group(1) or "")
    except ValueError as e:  # a date YAML reads as one but the calendar lacks: 2026-02-30, 2026-13-45
        return [_impossible_date(path, match.group(1) or "", e)]
    except yaml.YAMLError as e:
        # Where an unclosed bracket or quote began is more useful than where YAML gave up.
        mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
        line = (mark.line + 2) if mark else 1  # +1 for 1-based, +1 for the opening ---
        return [Problem(
            rule="front-matter", severity="error", file=relative(path), line=line,
            message=f"front matter が YAML として読めません（{getattr(e, 'problem', None) or e}）。 / The front matter is not valid YAML: {getattr(e, 'problem', None) or e}.",
            fix="その行を確かめてください。: [ # をふくむ値は \" \" で囲みます。例：title: \"A: B\" / Check that line: a value containing ':' '[' or '#' must be in quotes, e.g. title: \"A: B\".",
        )]
    if meta is not None and not isinstance(meta, dict):
        return [Problem(
            rule="front-matter", severity="error", file=relative(path), line=2,
            message="front matter は「項目: 値」の行をならべて書きます。 / The front matter must be a list of 'key: value' lines.",
            fix="設定を1行に一つずつ書いてください。例：title: ページの題名 / Write each setting on its own line, e.g. title: Page title",
        )]
    problems = check_characters(path, text)
    lines = (match.group(1) or "").splitlines()
    for key in TEXT_FIELDS:
        value = (meta or {}).get(key)
        if value is not None and not isinstance(value, str):
            line = next((i + 2 for i, text in enumerate(lines) if text.startswith(f"{key}:")), 2)
            problems.append(Problem(
                rule="front-matter-type", severity="error", file=relative(path), line=line,
                message=f"「{key}:」は文字で書きます（今は {type(value).__name__}）。 / '{key}' must be plain text, but it is a {type(value).__name__}.",
                fix=f"「{key}: 」のあとに1行で書き、[ や {{ で始まるときや「: 」をふくむときは \" \" で囲んでください。"
                    f" / Write it on one line after '{key}: ', in quotes if it starts with [ or {{ or contains ': '.",
            ))
    return problems


DATE = re.compile(r"^([A-Za-z_]+):\s*['\"]?(\d{4})-(\d{1,2})-(\d{1,2})")


def _impossible_date(path: Path, front_matter: str, error: ValueError) -> Problem:
    """`date: 2026-02-30` is a date to YAML and an error to Python: name it, with its line."""
    import datetime as dt

    for i, text in enumerate(front_matter.splitlines(), start=2):
        m = DATE.match(text.strip())
        if not m:
            continue
        try:
            dt.date(int(m.group(2)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            return Problem(
                rule="fm-type", severity="error", file=relative(path), line=i,
                message=f"「{m.group(1)}:」の日付 {m.group(2)}-{m.group(3)}-{m.group(4)} はカレンダーにありません"
                        f"（{error}）。 / The date of '{m.group(1)}' does not exist ({error}).",
                fix="年-月-日 の順で、ある日付を書いてください（月は 1〜12、日はその月の日数まで）。例：date: 2026-11-29"
                    " / Write a real date as year-month-day, e.g. date: 2026-11-29.")
    return Problem(rule="fm-type", severity="error", file=relative(path), line=2,
                   message=f"front matter の値が読めません（{error}）。 / A front-matter value cannot be read ({error}).",
                   fix="日付や数字の書き方を確かめてください。例：date: 2026-11-29 / Check the dates and numbers, e.g. date: 2026-11-29.")


# Control characters other than tab and line ends: invisible, and NUL breaks tools that read the page.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_characters(path: Path, text: str) -> list[Problem]:
    problems = []
    for i, line in enumerate(text.split("\n"), start=1):
        m = CONTROL.search(line)
        if m:
            code = f"U+{ord(m.group(0)):04X}"
            problems.append(Problem(
                rule="control-character", severity="error", file=relative(path), line=i,
                message=f"{i} 行目の {m.start() + 1} 文字目に、見えない制御文字（{code}）があります。"
                        f" / Line {i}, column {m.start() + 1} holds an invisible control character ({code}).",
                fix="その行を消して打ち直すか、エディターで制御文字を表示して消してください（ほかの文書からの"
                    "貼り付けでよく入ります）。 / Retype the line or delete the character (it often comes with "
                    "text pasted from another document)."))
    return problems


def check_links(project: Path, folders: tuple[str, ...] = ("docs", "data")) -> list[Problem]:
    """Symbolic links under docs/ and data/ must stay inside the repository: the build
    copies what they point to, so docs/ja/assets/passwd.txt -> /etc/passwd would publish it."""
    import os

    root = Path(project).resolve()
    problems = []
    for folder in folders:
        top = Path(project) / folder
        if not top.exists():
            continue
        for dirpath, dirnames, filenames in os.walk(top):  # not followed: a link is judged, not entered
            for name in sorted(dirnames + filenames):
                path = Path(dirpath) / name
                if not path.is_symlink():
                    continue
                target = path.resolve()
                if target.is_relative_to(root) and target.exists():
                    continue
                shown = os.readlink(path)
                where = f"{Path(folder, path.relative_to(top)).as_posix()}"
                problems.append(Problem(
                    rule="symlink-outside", severity="error", file=where,
                    message=(f"シンボリックリンク {where} がリポジトリの外（{shown}）を指しています。そのまま公開されてしまいます。"
                             f" / The symbolic link {where} points outside the repository ({shown}); it would be published."
                             if target.exists() else
                             f"シンボリックリンク {where} の先（{shown}）がありません。 / The symbolic link {where} "
                             f"points to {shown}, which does not exist."),
                    fix=f"リンクを消して、公開してよいファイルそのものを置いてください：git rm {where}"
                        f" / Delete the link and put the file itself there: git rm {where}"))
    return problems


def page_url(rel: str) -> str:
    """plan/extra.md and plan/extra/index.md both become /plan/extra/."""
    stem = rel[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def check_duplicate_urls(docs_dir: Path) -> list[Problem]:
    seen: dict[str, Path] = {}
    problems = []
    for page in sorted(docs_dir.rglob("*.md")):
        url = page_url(page.relative_to(docs_dir).as_posix())
        if url in seen:
            problems.append(Problem(
                rule="duplicate-url", severity="error", file=relative(page),
                message=f"このページと {relative(seen[url])} が、同じアドレス /{url} で公開されてしまいます。"
                        f" / This page and {relative(seen[url])} would both be published at /{url}.",
                fix="どちらかの名前を変えるか、消してください。 / Rename or delete one of them.",
            ))
        else:
            seen[url] = page
    return problems


def check_sources(docs_dir: Path) -> list[Problem]:
    problems = check_names(docs_dir) + check_duplicate_urls(docs_dir)
    for page in sorted(docs_dir.rglob("*.md")):
        problems += check_page(page)
    return problems
