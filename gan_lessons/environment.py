"""What the course is running on: package versions and the devices JAX sees.

Lesson 00 calls :func:`environment_report` so a student (or a lecturer before
class) can see at a glance whether the set-up is complete.
"""

from __future__ import annotations

import importlib.metadata
import platform
import sys
from dataclasses import dataclass, field

import jax

__all__ = ["PACKAGES", "EnvironmentReport", "environment_report", "package_version"]

#: The distributions the course depends on, in the order they are shown.
PACKAGES = ("gan-lessons", "jax", "jaxlib", "flax", "optax", "numpy", "scipy", "matplotlib",
            "ipywidgets", "jupyterlab")


def package_version(name: str) -> str | None:
    """The installed version of distribution ``name``, or ``None`` if it is not installed."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty distribution name, got {name!r}")
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@dataclass(frozen=True)
class EnvironmentReport:
    """Versions, platform and devices; renders as a table in a notebook."""

    python: str
    platform: str
    versions: dict[str, str | None]
    backend: str
    devices: tuple[str, ...]
    missing: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when every package the course needs is installed."""
        return not self.missing

    def rows(self) -> list[tuple[str, str]]:
        rows = [("Python", self.python), ("platform", self.platform)]
        rows += [(name, version or "NOT INSTALLED") for name, version in self.versions.items()]
        rows += [("JAX backend", self.backend), ("JAX devices", ", ".join(self.devices))]
        return rows

    def __str__(self) -> str:
        width = max(len(name) for name, _ in self.rows())
        lines = [f"{name:<{width}}  {value}" for name, value in self.rows()]
        if self.missing:
            lines.append("missing: " + ", ".join(self.missing) + " -> run: pip install -e .")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cells = "".join(f"<tr><td style='text-align:left'><b>{n}</b></td>"
                        f"<td style='text-align:left'><code>{v}</code></td></tr>"
                        for n, v in self.rows())
        verdict = ("<p style='color:#1a7f37'><b>Everything the course needs is installed.</b></p>"
                   if self.ok else
                   f"<p style='color:#b3261e'><b>Missing: {', '.join(self.missing)}.</b> "
                   "Run <code>pip install -e .</code> in the course folder, then restart the kernel.</p>")
        return f"<table>{cells}</table>{verdict}"


def environment_report() -> EnvironmentReport:
    """Collect the versions of the course's packages and the devices JAX sees."""
    versions = {name: package_version(name) for name in PACKAGES}
    devices = tuple(f"{d.platform}:{d.id} ({getattr(d, 'device_kind', d.platform)})"
                    for d in jax.devices())
    return EnvironmentReport(
        python=sys.version.split()[0],
        platform=f"{platform.system()} {platform.machine()}",
        versions=versions,
        backend=jax.default_backend(),
        devices=devices,
        missing=tuple(name for name, version in versions.items() if version is None),
    )
