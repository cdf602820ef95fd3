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
