"""The run time: quick mode, CPU devices, the compilation cache, the lecture style, what
``import gan_lessons`` changes, and the environment report of lesson 00.

Everything that happens at import is checked in a fresh Python (a subprocess), since this
process imported the package long ago.
"""

import importlib.metadata
import json
import os
import subprocess
import sys

import jax
import pytest

from gan_lessons import by_mode, quick_mode
from gan_lessons.runtime import PACKAGES, environment_report, package_version


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("ON", True), ("0", False),
                                             ("", False), ("no", False)])
def test_quick_mode_reads_environment(monkeypatch, value, expected):
    monkeypatch.setenv("GAN_LESSONS_QUICK", value)
    assert quick_mode() is expected
    assert by_mode(full=1000, quick=10) == (10 if expected else 1000)


def test_quick_mode_off_by_default(monkeypatch):
    monkeypatch.delenv("GAN_LESSONS_QUICK", raising=False)
    assert not quick_mode()


# Variables that would change what the import does, removed before each fresh Python.
_SETTINGS = ("XLA_FLAGS", "GAN_LESSONS_CPU_DEVICES", "GAN_LESSONS_CPU_DOTS", "GAN_LESSONS_LECTURE", "JAX_NUM_CPU_DEVICES",
             "JAX_COMPILATION_CACHE_DIR")


def _devices_in_fresh_python(env_update, code="import gan_lessons, jax; print(len(jax.devices()))"):
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS}
    env.update(env_update)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                            timeout=120)
    return result


def test_import_gives_jax_the_requested_cpu_devices():
    assert _devices_in_fresh_python({"GAN_LESSONS_CPU_DEVICES": "3"}).stdout.strip() == "3"
    assert _devices_in_fresh_python({"GAN_LESSONS_CPU_DEVICES": "1"}).stdout.strip() == "1"


def test_an_explicit_xla_flag_wins():
    flags = {"XLA_FLAGS": "--xla_force_host_platform_device_count=4",
             "GAN_LESSONS_CPU_DEVICES": "2"}
    assert _devices_in_fresh_python(flags).stdout.strip() == "4"


def test_nothing_changes_once_jax_has_started():
    code = "import jax; jax.numpy.ones(1); import gan_lessons; print(len(jax.devices()))"
    assert _devices_in_fresh_python({"GAN_LESSONS_CPU_DEVICES": "3"}, code).stdout.strip() == "1"
    # Called again by hand, it reports that it changed nothing and JAX's option stays unset (-1).
    code = ("import jax; jax.numpy.ones(1); from gan_lessons.runtime import configure_cpu_devices; "
            "print(configure_cpu_devices(), jax.config.jax_num_cpu_devices, len(jax.devices()))")
    result = _devices_in_fresh_python({"GAN_LESSONS_CPU_DEVICES": "3"}, code)
    assert result.stdout.split() == ["None", "-1", "1"], result.stderr[-2000:]


def test_a_bad_device_count_names_the_variable():
    result = _devices_in_fresh_python({"GAN_LESSONS_CPU_DEVICES": "lots"})
    assert result.returncode != 0
    assert "GAN_LESSONS_CPU_DEVICES" in result.stderr and "'lots'" in result.stderr


_COMPILE = ("import gan_lessons, jax; from gan_lessons.training.gan import GANConfig, make_trainer; "
            "t = make_trainer(GANConfig()); t.train(t.init(jax.random.key(0)), jax.random.key(1), 5); "
            "print(jax.config.jax_compilation_cache_dir)")


def test_compiled_code_is_kept_in_the_cache_folder(tmp_path):
    folder = tmp_path / "cache"
    result = _devices_in_fresh_python({"GAN_LESSONS_COMPILATION_CACHE": str(folder),
                                       "GAN_LESSONS_CPU_DEVICES": "1"}, _COMPILE)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == str(folder)
    assert any(folder.iterdir())  # the training loop took > 0.2 s to compile and was stored


def test_the_cache_can_be_switched_off_and_a_users_folder_wins(tmp_path):
    off = _devices_in_fresh_python({"GAN_LESSONS_COMPILATION_CACHE": "0"},
                                   "import gan_lessons, jax; print(jax.config.jax_compilation_cache_dir)")
    assert off.stdout.strip() == "None"
    mine = tmp_path / "mine"
    code = (f"import jax; jax.config.update('jax_compilation_cache_dir', {str(mine)!r}); "
            "import gan_lessons; print(jax.config.jax_compilation_cache_dir)")
    assert _devices_in_fresh_python({"GAN_LESSONS_COMPILATION_CACHE": str(tmp_path / "other")},
                                    code).stdout.strip() == str(mine)


def test_default_cache_folder_follows_xdg(monkeypatch, tmp_path):
    from gan_lessons.runtime import default_cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == str(tmp_path / "gan-lessons" / "jax")


@pytest.mark.parametrize("value, expected", [(None, False), ("", False), ("off", False),
                                             ("0", False), ("1", True), ("ON", True),
                                             ("yes", True)])
def test_lecture_style_request_reads_the_variable(monkeypatch, value, expected):
    from gan_lessons.runtime import lecture_style_requested

    if value is None:
        monkeypatch.delenv("GAN_LESSONS_LECTURE", raising=False)
    else:
        monkeypatch.setenv("GAN_LESSONS_LECTURE", value)
    assert lecture_style_requested() is expected


def test_lecture_style_for_a_whole_session():
    """GAN_LESSONS_LECTURE=1 switches every figure to the lecture sizes at import."""
    code = ("import gan_lessons, matplotlib as m; from gan_lessons.plots.style import LECTURE_RC; "
            "print(all(m.rcParams[k] == v for k, v in LECTURE_RC.items() if k in m.rcParams), "
            "m.rcParams['font.size'])")
    result = _devices_in_fresh_python({"GAN_LESSONS_LECTURE": "1"}, code)
    assert result.stdout.split() == ["True", "17.0"], result.stderr[-2000:]


def test_a_bad_lecture_value_names_the_variable():
    result = _devices_in_fresh_python({"GAN_LESSONS_LECTURE": "big"}, "import gan_lessons")
    assert result.returncode != 0
    assert "GAN_LESSONS_LECTURE" in result.stderr and "'big'" in result.stderr


# --------------------------------------------------------------------------- what import changes

_OPTIONS_AROUND_IMPORT = """
import json, os, sys
import jax

def options():
    return {name: repr(getattr(jax.config, name)) for name in dir(jax.config)
            if name.startswith("jax_")}

before, environ, modules = options(), dict(os.environ), set(sys.modules)
import gan_lessons
after = options()
print(json.dumps({"changed": sorted(k for k in after if after[k] != before.get(k)),
                  "environ_changed": dict(os.environ) != environ,
                  "new_top_level": sorted({m.split(".")[0] for m in set(sys.modules) - modules})}))
"""


def _import_report(env_update):
    result = _devices_in_fresh_python(env_update, _OPTIONS_AROUND_IMPORT)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_import_changes_only_what_the_readme_states(tmp_path):
    """README, "What importing the package does": the CPU device count, the compilation cache
    (its folder and its minimum compile time), and the lecture style only when asked for."""
    report = _import_report({"GAN_LESSONS_CPU_DEVICES": "2", "XDG_CACHE_HOME": str(tmp_path),
                             "GAN_LESSONS_COMPILATION_CACHE": "1"})
    assert report["changed"] == ["jax_compilation_cache_dir", "jax_num_cpu_devices",
                                 "jax_persistent_cache_min_compile_time_secs"]
    assert (tmp_path / "gan-lessons" / "jax").is_dir()
    assert not report["environ_changed"]
    assert "matplotlib" not in report["new_top_level"]


def test_import_with_everything_switched_off_changes_nothing():
    report = _import_report({"GAN_LESSONS_CPU_DEVICES": "1", "GAN_LESSONS_COMPILATION_CACHE": "0",
                             "GAN_LESSONS_LECTURE": "0"})
    assert report["changed"] == []
    assert not report["environ_changed"]
    assert "matplotlib" not in report["new_top_level"]


# --------------------------------------------------------------------------- environment report

def test_report_lists_packages_and_devices():
    report = environment_report()
    assert report.ok and not report.missing
    assert set(report.versions) == set(PACKAGES)
    assert report.versions["jax"] == importlib.metadata.version("jax") == jax.__version__
    assert len(report.devices) == len(jax.devices())
    assert report.backend == jax.default_backend()
    assert "jax" in str(report) and "<table>" in report._repr_html_()


def test_missing_package_is_reported():
    assert package_version("surely-not-an-installed-package-xyz") is None
    with pytest.raises(TypeError, match="name"):
        package_version("")


# --------------------------------------------------------------------------- compiler options

def _compiled_dot_text(**env):
    code = ("import jax, jax.numpy as jnp; from gan_lessons.runtime import compiler_options, jit; "
            "x = jnp.ones((64, 32)); w = jnp.ones((32, 32)); "
            "print(compiler_options()); "
            "print(jit(lambda x, w: jnp.tanh(x @ w) @ w).lower(x, w).compile().as_text())")
    result = _devices_in_fresh_python(env, code)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_compiled_functions_send_cpu_matrix_products_to_eigen():
    """By default the package's jit asks XLA for no YNNPACK fusions: the compiled module keeps
    plain dot instructions and no ynn fusion."""
    text = _compiled_dot_text()
    assert text.splitlines()[0] == "{'xla_cpu_experimental_ynn_fusion_type': ''}"
    assert " dot(" in text and "ynn" not in text.split("\n", 1)[1]
    assert _compiled_dot_text(GAN_LESSONS_CPU_DOTS="xla").splitlines()[0] == "{}"


def test_cpu_dots_setting_is_validated(monkeypatch):
    from gan_lessons.runtime import CPU_DOTS_ENV, compiler_options

    monkeypatch.setenv(CPU_DOTS_ENV, "mkl")
    with pytest.raises(ValueError, match="GAN_LESSONS_CPU_DOTS.*'mkl'"):
        compiler_options()
    monkeypatch.setenv(CPU_DOTS_ENV, "EIGEN")
    assert compiler_options() == {"xla_cpu_experimental_ynn_fusion_type": ""}
    options = compiler_options()
    options["changed"] = "1"  # each call returns a fresh dict
    assert "changed" not in compiler_options()
