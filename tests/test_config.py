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
