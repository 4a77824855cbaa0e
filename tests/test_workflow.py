"""The GitHub Actions workflow cannot run here, so check what can be checked:
the YAML parses, it builds, tests and publishes to Pages, and every command it
runs exists in this repository (make targets, the scripts they call)."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scripts import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"
# Programs of the runner image itself, not of this repository.
SYSTEM = {"git", "echo", "test", "cd", "mkdir", "ls", "true"}


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(data: dict) -> dict:
    return data.get("on") or data.get(True)  # YAML 1.1 reads a bare `on` as true


def run_commands(data: dict) -> list[str]:
    commands = []
    for job in data["jobs"].values():
        for step in job.get("steps", []):
            for line in str(step.get("run", "")).splitlines():
                for part in re.split(r"&&|\|\||;|\|", line):
                    if part.strip() and not part.strip().startswith("#"):
                        commands.append(part.strip())
    return commands


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_.-]+):(?!=)", text, re.M))


def test_workflow_parses_and_publishes_to_pages():
    data = workflow()
    on = triggers(data)
    assert on["push"]["branches"] == ["main"] and "pull_request" in on
    assert on["schedule"][0]["cron"] == "5 15 * * *"  # 00:05 in Japan: scheduled posts appear on their day
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in build["steps"]]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "pull_request" in deploy["if"]  # pull requests are built and tested, never published


def test_checkout_fetches_the_whole_history_for_last_updated_dates():
    checkout = next(s for s in workflow()["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0


def test_the_workflow_builds_and_tests():
    commands = run_commands(workflow())
    assert "make test" in commands and "make site" in commands and "make check" in commands
    assert commands.index("make site") > commands.index("make test")


@pytest.mark.parametrize("command", run_commands(workflow()))
def test_every_command_exists_in_the_repository(command):
    words = shlex.split(command)
    program = words[0]
    if program == "make":
        targets = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        assert targets, command
        for target in targets:
            assert target in make_targets(), f"{command}: no target '{target}' in the Makefile"
            _check_recipe(target)
    elif program in ("bash", "sh"):
        assert (ROOT / words[1]).is_file(), command
    elif program.startswith(("./", ".ci/", "scripts/")):
        assert (ROOT / program).is_file(), command
    else:
        assert program in SYSTEM, f"{command}: '{program}' is neither in this repository nor a system program"


def _check_recipe(target: str) -> None:
    """What `make TARGET` runs: its scripts exist and its `python -m scripts X` subcommands answer --help."""
    dry = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    for line in dry.stdout.splitlines():
        for path in re.findall(r"\b(?:bash|sh)\s+(\S+\.sh)\b", line):
            assert (ROOT / path).is_file(), f"make {target} runs {path}, which does not exist"
        match = re.search(r"-m scripts (\S+)", line)
        if match:
            sub = match.group(1)
            helped = subprocess.run([sys.executable, "-m", "scripts", sub, "--help"], cwd=ROOT,
                                    capture_output=True, text=True, timeout=120)
            assert helped.returncode == 0, f"make {target}: `python -m scripts {sub}` does not exist"
        match = re.search(r"-m (pytest|pip)\b", line)
        if match:
            __import__(match.group(1))


def test_every_make_target_the_docs_mention_exists():
    """README and CONTRIBUTING tell staff to run these."""
    text = (ROOT / "README.md").read_text(encoding="utf-8") + (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    mentioned = set(re.findall(r"\bmake ([a-z][a-z0-9-]*)", text))
    assert {"check", "serve", "new-post"} <= mentioned
    assert mentioned <= make_targets(), mentioned - make_targets()


# --------------------------------------------------------------------------- a fresh machine (issue 16 §4)

def recipe(target: str) -> list[str]:
    dry = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    return dry.stdout.splitlines()


@pytest.mark.parametrize("target, group", [("site", "site"), ("serve", "site"), ("test", "test")])
def test_make_installs_the_system_packages_before_it_builds(target, group):
    """`make site` is a newcomer's first command: it must get the fonts and libraries itself."""
    lines = recipe(target)
    deps = [i for i, line in enumerate(lines) if "scripts/system-deps.sh" in line]
    assert [lines[i].split()[-1] for i in deps] == [group], lines
    runs = [i for i, line in enumerate(lines) if re.search(r"-m (scripts (build|serve)|pytest)\b", line)]
    assert runs and deps[0] < runs[0], lines


def bare_machine(tmp_path: Path) -> dict:
    """An environment with no fonts, no libraries, no Chromium, no npm, no apt-get and no sudo."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("grep", "find", "id"):
        (tools / tool).symlink_to(shutil.which(tool))
    (tmp_path / "fonts").mkdir()
    return {"PATH": str(tools), "LDCONFIG": "false", "FONT_DIR": str(tmp_path / "fonts"),
            "CHROMIUM": str(tmp_path / "no-chromium")}


@pytest.mark.parametrize("group, packages", [
    ("site", ["fonts-morisawa-bizud-gothic", "libraqm0", "libpango-1.0-0", "libpangoft2-1.0-0"]),
    ("test", ["fonts-morisawa-bizud-gothic", "libraqm0", "libpango-1.0-0", "libpangoft2-1.0-0",
              "chromium", "fonts-noto-cjk", "nodejs", "npm"]),
])
def test_without_apt_the_system_step_prints_the_exact_command(tmp_path, group, packages):
    result = subprocess.run([shutil.which("bash"), str(ROOT / "scripts/system-deps.sh"), group],
                            env=bare_machine(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert f"  sudo apt-get install {' '.join(packages)}\n" in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("ERROR: ") and re.search("[ぁ-ん]", first.split(" / ")[0]), first


def test_on_this_machine_the_build_packages_are_present():
    # The same script finds what the build here uses (a control for the bare-machine test above).
    result = subprocess.run(["bash", str(ROOT / "scripts/system-deps.sh"), "site"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr
