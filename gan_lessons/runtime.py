"""The run time: quick mode, devices, the compilation cache, the lecture style, and a report
of what the course is running on.

``GAN_LESSONS_QUICK=1`` switches the course to *quick mode*: every notebook cuts its training
lengths and sample counts (the test suite runs every notebook this way). Lessons never read
the variable themselves; they ask :func:`quick_mode` or :func:`by_mode`. Lesson 00 calls
:func:`environment_report` so a student (or a lecturer before class) can see at a glance
whether the set-up is complete.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import platform
import sys
from dataclasses import dataclass, field
from typing import TypeVar

__all__ = ["CACHE_ENV", "CPU_DEVICES_ENV", "CPU_DOTS_ENV", "LECTURE_ENV", "PACKAGES", "QUICK_ENV",
           "EnvironmentReport", "by_mode", "configure_compilation_cache", "configure_cpu_devices",
           "compiler_options", "default_cache_dir", "environment_report", "jit",
           "lecture_style_requested", "package_version", "quick_mode"]

QUICK_ENV = "GAN_LESSONS_QUICK"
_TRUE = {"1", "true", "yes", "on"}

T = TypeVar("T")


def quick_mode() -> bool:
    """True when the environment variable ``GAN_LESSONS_QUICK`` is set to 1/true/yes/on."""
    return os.environ.get(QUICK_ENV, "").strip().lower() in _TRUE


def by_mode(full: T, quick: T) -> T:
    """Return ``quick`` in quick mode and ``full`` otherwise.

    Example: ``steps = by_mode(full=5_000, quick=200)``.
    """
    return quick if quick_mode() else full


CPU_DEVICES_ENV = "GAN_LESSONS_CPU_DEVICES"
_MAX_CPU_DEVICES = 8


def configure_cpu_devices() -> int | None:
    """Give JAX one CPU device per core (at most 8), unless the user has chosen otherwise.

    XLA runs the small matrix products of a course-sized GAN on one core. Several seeds
    trained side by side (:meth:`gan_lessons.training.gan.GANTrainer.train_many`) are independent,
    so when JAX sees several CPU devices the engine places the seeds on different devices and
    every core works: on a 2-core machine this doubles the throughput of 8 seeds. Programs
    that use one device are unaffected (they run on device 0).

    Called once when :mod:`gan_lessons` is imported. It does nothing when

    * the environment variable ``GAN_LESSONS_CPU_DEVICES`` is ``1`` (opt out), or
    * ``XLA_FLAGS`` already sets ``--xla_force_host_platform_device_count``, or
      ``jax_num_cpu_devices`` was set, or
    * JAX has already started its backends (the setting can only be made before that).

    The last case is JAX's own rule: once a computation has run, ``jax.config.update`` refuses a
    new ``jax_num_cpu_devices`` with a ``RuntimeError`` and keeps the old value, so this function
    simply tries the update and treats that refusal as "too late, leave it be".

    ``GAN_LESSONS_CPU_DEVICES=N`` asks for N devices instead of one per core.

    Returns:
      The number of CPU devices requested, or ``None`` when nothing was changed.

    Raises:
      ValueError: if ``GAN_LESSONS_CPU_DEVICES`` is set to something other than an integer >= 1.
    """
    import jax  # imported here so that importing the runtime module alone stays cheap

    raw = os.environ.get(CPU_DEVICES_ENV, "").strip()
    if raw:
        try:
            count = int(raw)
        except ValueError:
            count = 0
        if count < 1:
            raise ValueError(f"environment variable {CPU_DEVICES_ENV} must be an integer >= 1, "
                             f"got {raw!r}")
    else:
        count = min(os.cpu_count() or 1, _MAX_CPU_DEVICES)
    if count <= 1 or "xla_force_host_platform_device_count" in os.environ.get("XLA_FLAGS", ""):
        return None
    # -1 is JAX's "not set"; a JAX without the option has no attribute (leave it be).
    if getattr(jax.config, "jax_num_cpu_devices", None) != -1:
        return None
    try:
        jax.config.update("jax_num_cpu_devices", count)
    except RuntimeError:  # the backends have started: JAX keeps its device count
        return None
    return count


CPU_DOTS_ENV = "GAN_LESSONS_CPU_DOTS"
_EIGEN_DOTS = {"xla_cpu_experimental_ynn_fusion_type": ""}


def compiler_options() -> dict[str, str]:
    """The XLA options the course compiles its training loops and networks with.

    On a CPU, current XLA hands matrix products to the YNNPACK library by default. For the
    course's products (a batch of 64 to 1,024 rows through layers 128 to 512 wide) its Eigen
    kernels are faster: about 25 % more training steps per second for the benchmark GAN on a
    2-core CPU (``benchmarks/README.md``). So the answer is ``{"xla_cpu_experimental_ynn_fusion_type":
    ""}`` (no YNNPACK fusions, every product to Eigen), which the package's compiled functions
    pass to ``jax.jit(..., compiler_options=...)``: it changes no global setting, no
    environment variable, and nothing on a GPU or TPU (the option is read by the CPU compiler
    only).

    The answer is ``{}`` (XLA's own choice) when ``GAN_LESSONS_CPU_DOTS=xla``, or when the
    installed XLA does not know the option (checked once, by compiling a tiny function with it).
    ``GAN_LESSONS_CPU_DOTS=eigen`` (or unset) asks for Eigen.

    Raises:
      ValueError: if ``GAN_LESSONS_CPU_DOTS`` is set to something else.
    """
    raw = os.environ.get(CPU_DOTS_ENV, "").strip().lower()
    if raw not in ("", "eigen", "xla"):
        raise ValueError(f"environment variable {CPU_DOTS_ENV} must be 'eigen' or 'xla', "
                         f"got {os.environ[CPU_DOTS_ENV]!r}")
    return dict(_EIGEN_DOTS) if raw != "xla" and _xla_knows_eigen_dots() else {}


@functools.cache
def _xla_knows_eigen_dots() -> bool:
    """Whether this XLA accepts the option (compiles a tiny function once per process)."""
    import jax
    import jax.numpy as jnp

    try:
        jax.jit(jnp.dot, compiler_options=_EIGEN_DOTS).lower(
            jnp.ones((2, 2)), jnp.ones((2, 2))).compile()
    except Exception:  # an XLA without the option (JAX raises its own runtime error type)
        return False
    return True


def jit(fun, **kwargs):
    """``jax.jit(fun, **kwargs)`` with the course's :func:`compiler_options`."""
    import jax

    return jax.jit(fun, compiler_options=compiler_options() or None, **kwargs)


CACHE_ENV = "GAN_LESSONS_COMPILATION_CACHE"
_OFF = {"0", "false", "no", "off"}


def default_cache_dir() -> str:
    """Where compiled code is kept between sessions: ``$XDG_CACHE_HOME/gan-lessons/jax``
    (``~/.cache/gan-lessons/jax`` when ``XDG_CACHE_HOME`` is not set)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "gan-lessons", "jax")


def configure_compilation_cache() -> str | None:
    """Switch on JAX's persistent compilation cache in a user cache folder.

    XLA compiles every training loop and panel function the first time a session uses it. With
    the cache, the compiled code is written to disk and reopening a notebook loads it instead of
    compiling again. Called once when :mod:`gan_lessons` is imported: it creates the folder if
    needed and sets two JAX options, ``jax_compilation_cache_dir`` and
    ``jax_persistent_cache_min_compile_time_secs`` (0.2, so that only functions whose compilation
    took at least that long are written).

    ``GAN_LESSONS_COMPILATION_CACHE=0`` switches it off; set to a folder, it uses that folder
    instead of :func:`default_cache_dir`. A cache folder the user already gave JAX
    (``jax_compilation_cache_dir``) is left alone, and so is a folder that cannot be created.

    Returns:
      The cache folder in use, or ``None`` when this function changed nothing.
    """
    import jax

    raw = os.environ.get(CACHE_ENV, "").strip()
    if raw.lower() in _OFF or jax.config.jax_compilation_cache_dir:
        return None
    folder = raw if raw and raw.lower() not in _TRUE else default_cache_dir()
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    jax.config.update("jax_compilation_cache_dir", folder)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.2)
    return folder


LECTURE_ENV = "GAN_LESSONS_LECTURE"


def lecture_style_requested() -> bool:
    """Whether ``GAN_LESSONS_LECTURE`` asks for the lecture style for the whole session.

    A lecturer who starts JupyterLab with ``GAN_LESSONS_LECTURE=1 jupyter lab notebooks/``
    gets large fonts and thick lines in every figure and panel of every lesson, without
    editing a notebook; in a single notebook, :func:`gan_lessons.plots.use_lecture_style`
    does the same. ``import gan_lessons`` asks this function once and, only when it answers
    True, imports the figures (and matplotlib) to switch the style on.

    Returns:
      True for 1/true/yes/on, False for 0/false/no/off or when the variable is unset or empty.

    Raises:
      ValueError: if the variable holds anything else.
    """
    raw = os.environ.get(LECTURE_ENV, "").strip().lower()
    if raw in _OFF or raw == "":
        return False
    if raw not in _TRUE:
        raise ValueError(f"environment variable {LECTURE_ENV} must be 1 or 0 (or true/false, "
                         f"yes/no, on/off), got {os.environ[LECTURE_ENV]!r}")
    return True


# --------------------------------------------------------------------------- environment report

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
    import jax

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
