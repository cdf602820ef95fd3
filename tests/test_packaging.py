"""The project's packaging: pyproject, environment.yml, README quick start, notebook twins."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import gan_lessons

ROOT = Path(__file__).resolve().parents[1]


def _split_requirement(text: str) -> tuple[str, str]:
    """('jax', '>=0.6') from 'jax>=0.6'; names lower-cased with '_' -> '-'."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", text)
    assert match, f"cannot parse requirement {text!r}"
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def conda_dependencies() -> dict[str, str]:
    """The conda-forge dependencies of environment.yml (without python, pip and the pip block)."""
    deps: dict[str, str] = {}
    in_deps = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        if in_deps and re.match(r"^\S", line):
            break
        match = re.match(r"^  - ([^:]+)$", line)  # two-space items only: not the pip block
        if in_deps and match:
            name, spec = _split_requirement(match.group(1))
            if name not in {"python", "pip"}:
                deps[name] = spec
    return deps


def test_environment_yml_matches_pyproject():
    pip_deps = dict(_split_requirement(r) for r in pyproject()["project"]["dependencies"])
    assert conda_dependencies() == pip_deps


def test_environment_yml_python_range_matches_pyproject():
    text = (ROOT / "environment.yml").read_text()
    match = re.search(r"^  - python(.*)$", text, re.M)
    assert match and match.group(1).replace(" ", "") == pyproject()["project"]["requires-python"].replace(" ", "")


def test_required_dependencies_listed():
    names = {_split_requirement(r)[0] for r in pyproject()["project"]["dependencies"]}
    assert {"jax", "flax", "optax", "matplotlib", "jupyterlab", "ipywidgets", "numpy", "scipy"} <= names


def test_accelerator_extras_map_onto_jax_extras():
    extras = pyproject()["project"]["optional-dependencies"]
    assert extras["cuda12"] == ["jax[cuda12]"]
    assert extras["cuda13"] == ["jax[cuda13]"]
    assert extras["tpu"] == ["jax[tpu]"]


def test_version_matches_pyproject():
    assert gan_lessons.__version__ == pyproject()["project"]["version"]


def _block(name: str) -> list[str]:
    text = (ROOT / "README.md").read_text()
    match = re.search(rf"<!-- {name}:start -->(.*?)<!-- {name}:end -->", text, re.S)
    assert match, f"README.md lacks the {name} markers"
    return [line for line in match.group(1).splitlines()
            if line.strip() and not line.startswith("```")]


def test_readme_quick_start_is_two_command_lines():
    install, test = _block("quick-start"), _block("test-command")
    assert len(install) == 1 and len(test) == 1
    assert "pip install" in install[0] and "jupyter lab notebooks" in install[0]
    assert "pip install" in test[0] and "[test]" in test[0] and "pytest" in test[0]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "test-command:start" in ci and "eval" in ci


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"notebooks/{notebook.name}" in readme, f"README does not link {notebook.name}"


def test_notebooks_and_text_twins_agree():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "sync_notebooks.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("module", [
    "runtime", "games", "densities", "divergences", "fitting", "classifiers",
    "optimal_discriminator", "dynamics", "losses", "models",
    "data", "data.mixtures", "data.images",
    "training", "training.gan", "training.image_gan", "training.vae", "training.discriminator",
    "training.checkpoint", "training.loop", "training.seeds",
    "evaluation", "evaluation.metrics", "evaluation.image_metrics",
    "evaluation.digit_classifier",
    "plots", "widgets", "exercises"])
def test_modules_import(module):
    __import__(f"gan_lessons.{module}")
