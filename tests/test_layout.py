"""The package's layout, read from its source with ``ast`` (nothing is imported).

* Private names stay in their module: no module imports another module's ``_name``, reaches
  one through an imported module (``module._name``), or uses a private attribute that only
  another module defines (``trainer._train_jit`` outside the trainer's module). A shared helper
  module may itself be private (``_validate``, ``training/_kit``); the names it offers are
  public.
* JAX is used through its public API only: its private source tree appears nowhere.
* No package sits more than one level below ``gan_lessons/``.
* Imports run one way, down the layers of :data:`LAYERS`; a module may import from its own
  layer or a lower one, never a higher one, lazily (inside a function) or not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ROOT = REPO / "gan_lessons"
JAX_PRIVATE = "jax" + "._src"  # spelled in two parts so that this file does not contain it

# The layers, lowest first: each top-level module or subpackage of gan_lessons and its layer.
# Private top-level modules (shared helpers such as _validate) are in layer 0 as well. The losses
# are a concept (the value V(G, D) of lesson 05 and the losses on logits of lesson 07, built on
# nothing but _validate): the optimal discriminator's generator gradients differentiate them.
# The package root (gan_lessons/__init__.py) is in no layer: it is the entry point that
# configures the session, and switches on the lecture style (plots) when asked to.
LAYERS = {
    "runtime": 0,
    "games": 1, "densities": 1, "divergences": 1, "fitting": 1, "classifiers": 1,
    "optimal_discriminator": 1, "dynamics": 1, "losses": 1,
    "models": 2, "data": 2,
    "training": 3, "evaluation": 3,
    "plots": 4,
    "widgets": 5,
    "exercises": 6,
}
LAYER_NAMES = ["_validate / runtime", "concepts, games/, dynamics/, classifiers/, losses",
               "models / data", "training / evaluation", "plots", "widgets",
               "exercises"]

# Private-looking attributes that are public API: the namedtuple methods.
NAMEDTUPLE_API = {"_replace", "_asdict", "_fields", "_field_defaults", "_make"}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    """Whether ``dotted`` (``gan_lessons.x.y``) names a module or package of gan_lessons."""
    base = REPO.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


SOURCES = sorted(p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts)


class _Scan(ast.NodeVisitor):
    """Imports of gan_lessons modules, names bound to them, and private-name uses of one file."""

    def __init__(self, path: Path):
        self.path = path
        self.name = _module_name(path)
        self.package = self.name if path.name == "__init__.py" else self.name.rpartition(".")[0]
        self.imports: list[tuple[int, str]] = []  # (line, module imported)
        self.private_imports: list[tuple[int, str]] = []
        self.root_names: list[tuple[int, str]] = []  # non-module names imported from the root
        self.aliases: dict[str, str] = {}  # local name -> gan_lessons module
        self.tree = ast.parse(path.read_text(), filename=str(path))
        self.defined = self._private_names_defined()
        self.visit(self.tree)

    def _private_names_defined(self) -> set[str]:
        names = set()
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
        return {name for name in names if _is_private(name)}

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] != "gan_lessons":
                continue
            self.imports.append((node.lineno, alias.name))
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                self.aliases["gan_lessons"] = "gan_lessons"

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:  # relative: resolve against this module's package
            base = self.package.split(".")
            base = base[:len(base) - node.level + 1]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        if source.split(".")[0] != "gan_lessons":
            return
        for alias in node.names:
            target = f"{source}.{alias.name}"
            if _is_module(target):
                self.imports.append((node.lineno, target))
                self.aliases[alias.asname or alias.name] = target
                continue
            self.imports.append((node.lineno, source))
            if _is_private(alias.name):
                self.private_imports.append((node.lineno, f"from {source} import {alias.name}"))
            if source == "gan_lessons" and self.name != "gan_lessons":
                self.root_names.append((node.lineno, alias.name))

    def module_of(self, node: ast.AST) -> str | None:
        """The gan_lessons module an expression names (``alias`` or ``alias.sub.sub``), if any."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            parent = self.module_of(node.value)
            if parent and _is_module(f"{parent}.{node.attr}"):
                return f"{parent}.{node.attr}"
        return None

    def private_uses(self) -> list[tuple[int, str]]:
        hits = list(self.private_imports)
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Attribute) or not _is_private(node.attr):
                continue
            if node.attr in NAMEDTUPLE_API:
                continue
            module = self.module_of(node.value)
            if module is not None:
                if not _is_module(f"{module}.{node.attr}"):
                    hits.append((node.lineno, f"{module}.{node.attr}"))
            elif isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            elif node.attr not in self.defined:
                hits.append((node.lineno, f"{ast.unparse(node.value)}.{node.attr} (defined in "
                                          f"another module)"))
        return hits


SCANS = {path: _Scan(path) for path in SOURCES}


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(REPO)}:{line}"


def test_no_module_uses_another_modules_private_names():
    hits = [f"{_where(path, line)} {what}" for path, scan in SCANS.items()
            for line, what in scan.private_uses()]
    assert not hits, f"{len(hits)} uses of another module's private names:\n" + "\n".join(hits)


def test_names_come_from_their_modules_not_from_the_package_root():
    hits = [f"{_where(path, line)} from gan_lessons import {name}" for path, scan in SCANS.items()
            for line, name in scan.root_names]
    assert not hits, "\n".join(hits)


@pytest.mark.parametrize("folder", ["gan_lessons", "tests", "benchmarks", "tools"])
def test_jax_is_used_through_its_public_api_only(folder):
    hits = [str(path.relative_to(REPO)) for path in sorted((REPO / folder).rglob("*.py"))
            if JAX_PRIVATE in path.read_text()]
    assert not hits, f"{JAX_PRIVATE} appears in {hits}"


def test_no_package_is_deeper_than_one_level():
    deep = sorted({str(path.parent.relative_to(REPO)) for path in SOURCES
                   if len(path.relative_to(ROOT).parts) > 2})
    assert not deep, f"packages nested below gan_lessons/<package>/: {deep}"


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) == 1:
        return None  # the package root, the entry point: it configures the session
    top = parts[1]
    if _is_private(top):
        return 0
    return LAYERS.get(top)


def test_every_top_level_module_has_a_layer():
    tops = {path.relative_to(ROOT).parts[0].removesuffix(".py") for path in SOURCES}
    unknown = sorted(top for top in tops
                     if top != "__init__" and not _is_private(top) and top not in LAYERS)
    assert not unknown, f"add these to LAYERS in {Path(__file__).name}: {unknown}"


def test_imports_run_down_the_layers():
    hits = []
    for path, scan in SCANS.items():
        mine = _layer(scan.name)
        if mine is None:
            continue
        for line, target in sorted(set(scan.imports)):
            theirs = _layer(target)
            if theirs is not None and theirs > mine:
                hits.append(f"{_where(path, line)} {scan.name} ({LAYER_NAMES[mine]}) imports "
                            f"{target} ({LAYER_NAMES[theirs]})")
    assert not hits, "imports that run back up the layers:\n" + "\n".join(hits)
