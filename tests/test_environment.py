"""The environment report of lesson 00."""

import importlib.metadata

import jax
import pytest

from gan_lessons.runtime import PACKAGES, environment_report, package_version


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
