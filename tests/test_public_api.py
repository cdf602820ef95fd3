"""The public API, by concept path.

Most of it is read from the package itself: every module's ``__all__`` must name things that
exist, and every subpackage's ``__all__`` must gather its modules' public names, so that
``from gan_lessons.<family> import <name>`` works for everything the family offers. The
concept paths the lessons teach are pinned by hand below.
"""

import importlib
import pkgutil

import pytest

import gan_lessons

# name -> the import path a lesson teaches for it
PINNED = {
    "solve_zero_sum": "gan_lessons.games",
    "kl_divergence": "gan_lessons.divergences",
    "GaussianMixture": "gan_lessons.densities",
    "bilinear_trajectory": "gan_lessons.dynamics",
    "optimal_discriminator": "gan_lessons.optimal_discriminator",
    "criterion": "gan_lessons.optimal_discriminator",
    "mode_coverage": "gan_lessons.evaluation",
    "make_trainer": "gan_lessons.training",
    "quick_mode": "gan_lessons",
    "by_mode": "gan_lessons",
    "environment_report": "gan_lessons.runtime",
}

# Subpackages whose modules are themselves the public unit, imported as modules by the lessons
# (``from gan_lessons.exercises import lesson07 as ex``, ``from gan_lessons.plots.training import
# seed_figure``): their ``__init__`` re-exports a selection, not everything.
MODULES_ARE_THE_UNIT = {"gan_lessons.exercises", "gan_lessons.plots", "gan_lessons.widgets"}


def _is_private(name: str) -> bool:
    return any(part.startswith("_") for part in name.split("."))


MODULES = sorted(info.name for info in pkgutil.walk_packages(gan_lessons.__path__, "gan_lessons.")
                 if not _is_private(info.name))
PACKAGES = sorted(info.name for info in pkgutil.walk_packages(gan_lessons.__path__, "gan_lessons.")
                  if info.ispkg and not _is_private(info.name))


@pytest.mark.parametrize("name, path", sorted(PINNED.items()))
def test_pinned_concept_paths_import(name, path):
    module = importlib.import_module(path)
    assert name in module.__all__, f"{path}.__all__ does not list {name}"
    assert getattr(module, name) is not None


@pytest.mark.parametrize("path", ["gan_lessons", *MODULES])
def test_every_public_module_declares_an_all_that_resolves(path):
    module = importlib.import_module(path)
    names = getattr(module, "__all__", None)
    assert isinstance(names, (list, tuple)), f"{path} has no __all__"
    assert len(set(names)) == len(names), f"{path}.__all__ repeats a name"
    missing = [name for name in names if not hasattr(module, name)]
    assert not missing, f"{path}.__all__ names what it does not define: {missing}"
    assert not [name for name in names if name.startswith("_") and not name.startswith("__")]


def _submodules(package):
    return [importlib.import_module(info.name)
            for info in pkgutil.iter_modules(package.__path__, package.__name__ + ".")
            if not _is_private(info.name)]


@pytest.mark.parametrize("path", PACKAGES)
def test_a_subpackage_gathers_its_modules_public_names(path):
    package = importlib.import_module(path)
    offered = {name: module.__name__ for module in _submodules(package)
               for name in getattr(module, "__all__", ())}
    if path in MODULES_ARE_THE_UNIT:
        # The selection it re-exports comes from its modules, under the same objects.
        stray = [name for name in package.__all__ if name not in offered]
        assert not stray, f"{path}.__all__ names things none of its modules offers: {stray}"
    else:
        missing = sorted(f"{module}.{name}" for name, module in offered.items()
                         if name not in package.__all__)
        assert not missing, f"{path}.__all__ leaves out its modules' public names: {missing}"
    for name in package.__all__:
        if name in offered:
            source = importlib.import_module(offered[name])
            assert getattr(package, name) is getattr(source, name), f"{path}.{name}"

