"""Quick mode is read from GAN_LESSONS_QUICK at call time."""

import pytest

from gan_lessons import by_mode, quick_mode


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("ON", True), ("0", False),
                                             ("", False), ("no", False)])
def test_quick_mode_reads_environment(monkeypatch, value, expected):
    monkeypatch.setenv("GAN_LESSONS_QUICK", value)
    assert quick_mode() is expected
    assert by_mode(full=1000, quick=10) == (10 if expected else 1000)


def test_quick_mode_off_by_default(monkeypatch):
    monkeypatch.delenv("GAN_LESSONS_QUICK", raising=False)
    assert not quick_mode()


def _devices_in_fresh_python(env_update, code="import gan_lessons, jax; print(len(jax.devices()))"):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("XLA_FLAGS", "GAN_LESSONS_CPU_DEVICES")}
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


def test_lecture_style_for_a_whole_session(monkeypatch):
    """GAN_LESSONS_LECTURE=1 switches every figure to the lecture sizes at import; in-process
    (monkeypatched) so that the rcParams can be read back, then restored."""
    import matplotlib as mpl

    from gan_lessons.runtime import configure_lecture_style
    from gan_lessons.plots.style import COURSE_RC, LECTURE_RC

    with mpl.rc_context(COURSE_RC):
        monkeypatch.delenv("GAN_LESSONS_LECTURE", raising=False)
        assert configure_lecture_style() is False
        assert mpl.rcParams["font.size"] == COURSE_RC["font.size"]
        monkeypatch.setenv("GAN_LESSONS_LECTURE", "off")
        assert configure_lecture_style() is False
        assert mpl.rcParams["font.size"] == COURSE_RC["font.size"]
        monkeypatch.setenv("GAN_LESSONS_LECTURE", "1")
        assert configure_lecture_style() is True
        assert mpl.rcParams["font.size"] == LECTURE_RC["font.size"]
        assert mpl.rcParams["lines.linewidth"] == LECTURE_RC["lines.linewidth"]


def test_a_bad_lecture_value_names_the_variable():
    code = "import gan_lessons"
    result = _devices_in_fresh_python({"GAN_LESSONS_LECTURE": "big"}, code)
    assert result.returncode != 0
    assert "GAN_LESSONS_LECTURE" in result.stderr and "'big'" in result.stderr
    result = _devices_in_fresh_python({"GAN_LESSONS_LECTURE": "1"},
                                      "import gan_lessons, matplotlib as m; print(m.rcParams['font.size'])")
    assert result.stdout.strip() == "17.0", result.stderr
