"""Colab support: each notebook's "Open in Colab" badge and its first cell, the Colab-only install.

The repository address is read from ``[project.urls]`` in pyproject.toml, so the badges, the
install cell and the README are checked against that one value. No network, no real pip: the
install cell is executed with ``subprocess.run`` replaced by a recorder.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BRANCH = "main"  # the branch the badges open
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
BADGE = re.compile(r"\[!\[Open In Colab\]\((?P<image>[^)]*)\)\]\((?P<target>[^)]*)\)")


def repository_url() -> str:
    """``https://github.com/OWNER/NAME`` from pyproject's ``[project.urls]``."""
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    url = urls["Repository"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url), url
    assert urls["Homepage"] == url and urls["Issues"] == f"{url}/issues"
    return url


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def install_cell(path: Path) -> str:
    return next(cell.source for cell in read(path).cells if cell.cell_type == "code")


def test_there_are_ten_lessons():
    assert [p.name[:3] for p in NOTEBOOKS] == [f"{n:02d}_" for n in range(10)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_badge_under_the_title_opens_this_notebook(path: Path):
    notebook = read(path)
    badges = [m for cell in notebook.cells for m in BADGE.finditer(cell.source)]
    everywhere = sum(cell.source.count("colab.research.google.com/github/") for cell in notebook.cells)
    assert len(badges) == 1 and everywhere == 1, f"{path.name}: expected exactly one Colab badge"
    owner_name = repository_url().removeprefix("https://github.com/")
    assert badges[0]["image"] == BADGE_IMAGE
    assert badges[0]["target"] == (f"https://colab.research.google.com/github/{owner_name}"
                                   f"/blob/{BRANCH}/notebooks/{path.name}")
    first = notebook.cells[0]
    lines = [line for line in first.source.splitlines() if line.strip()]
    assert first.cell_type == "markdown"
    assert re.fullmatch(rf"# Lesson {path.name[:2]} — .+", lines[0]), lines[0]
    assert lines[1] == badges[0].group(0), "the badge is not the line under the title"


def test_first_code_cell_is_the_same_install_cell_everywhere():
    sources = {path.name: install_cell(path) for path in NOTEBOOKS}
    assert len(set(sources.values())) == 1, "the notebooks' first code cells differ"
    source = sources[NOTEBOOKS[0].name]
    assert f'"gan-lessons @ git+{repository_url()}"' in source
    assert source.startswith("# "), "the install cell should open with a comment saying what it does"
    for path in NOTEBOOKS:  # and it is the second cell, right after the title
        cells = read(path).cells
        assert cells[1].cell_type == "code" and cells[1].source == source, path.name


def test_text_twins_hold_the_same_install_cell():
    """The authors edit the text twins: the cell is there too (sync --check covers the rest)."""
    source = install_cell(NOTEBOOKS[0])
    for path in NOTEBOOKS:
        text = (ROOT / "notebooks" / "text" / f"{path.stem}.py").read_text()
        assert f"# %%\n{source}\n" in text, path.name


class Recorder:
    """Stands in for ``subprocess.run`` and friends: records the calls, runs nothing."""

    def __init__(self):
        self.calls: list[tuple[tuple, dict]] = []

    def __call__(self, *args, **kwargs):
        self.calls.append((args, kwargs))
        return subprocess.CompletedProcess(args[0] if args else kwargs.get("args"), 0)


@pytest.fixture
def recorder(monkeypatch) -> Recorder:
    record = Recorder()
    for name in ("run", "Popen", "call", "check_call", "check_output"):
        monkeypatch.setattr(subprocess, name, record)
    monkeypatch.setattr(os, "system", record)
    return record


def run_cell(source: str) -> dict:
    namespace: dict = {"__name__": "__main__"}
    exec(compile(source, "<install cell>", "exec"), namespace)
    return namespace


def test_install_cell_does_nothing_outside_colab(monkeypatch, recorder):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.delitem(sys.modules, "google.colab.output", raising=False)
    modules_before = set(sys.modules)
    namespace = run_cell(install_cell(NOTEBOOKS[0]))
    assert recorder.calls == []
    assert set(sys.modules) == modules_before, "the install cell imported modules outside Colab"
    assert set(namespace) - {"__builtins__"} == {"__name__", "sys"}


@pytest.fixture
def fake_colab(monkeypatch) -> list[str]:
    """A fake ``google.colab`` (with ``output``) in sys.modules; returns the hook calls."""
    hook_calls: list[str] = []
    output = types.ModuleType("google.colab.output")
    output.enable_custom_widget_manager = lambda: hook_calls.append("enable_custom_widget_manager")
    colab = types.ModuleType("google.colab")
    colab.output = output
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.output", output)
    return hook_calls


def test_install_cell_on_colab_pins_the_installed_jax(fake_colab, recorder):
    run_cell(install_cell(NOTEBOOKS[0]))
    jax, jaxlib = importlib.metadata.version("jax"), importlib.metadata.version("jaxlib")
    assert recorder.calls == [(
        ([sys.executable, "-m", "pip", "install", "--quiet",
          f"gan-lessons @ git+{repository_url()}", f"jax=={jax}", f"jaxlib=={jaxlib}"],),
        {"check": True},
    )]
    assert fake_colab == ["enable_custom_widget_manager"]


def test_install_cell_on_colab_pins_whatever_jax_is_there(fake_colab, recorder, monkeypatch):
    """The pins come from the installed distributions, not from a version written in the cell."""
    versions = {"jax": "0.7.1", "jaxlib": "0.7.1+cuda12"}
    monkeypatch.setattr(importlib.metadata, "version", lambda name: versions[name])
    run_cell(install_cell(NOTEBOOKS[0]))
    (args, _), = recorder.calls
    assert args[0][-2:] == ["jax==0.7.1", "jaxlib==0.7.1+cuda12"]


def test_readme_colab_section_uses_the_repository_url():
    readme = (ROOT / "README.md").read_text()
    section = re.search(r"^### Colab\n(.*?)(?=^#{1,3} )", readme, re.S | re.M)
    assert section, "README.md lacks its ### Colab section"
    text = section.group(1)
    assert "<owner>" not in text
    assert f'pip install "gan-lessons @ git+{repository_url()}"' in text
