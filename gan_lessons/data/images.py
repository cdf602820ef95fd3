"""Image data sets that ship with the course or are generated: nothing is downloaded.

* :func:`load_digits`: the 1,797 handwritten digits of 8 x 8 pixels bundled with scikit-learn
  (originally from the UCI repository), scaled from their 0..16 grey levels to [-1, 1].
* :func:`make_galaxies`: procedural galaxy-like images (disk, bulge, spiral arms, noise), a pure
  JAX function of a random key.
* :func:`load_mnist`: MNIST (or Fashion-MNIST, same file names) from IDX files you already have;
  :func:`load_idx` and :func:`write_idx` read and write the IDX format (plain or gzip).
* :func:`image_dataset`: the built-in sets by name; :func:`check_images` validates image arrays.

Every image array is float32 of shape (N, H, W) with values in [-1, 1], -1 being the background.
"""

from __future__ import annotations

import functools
import gzip
import os
import struct
import zlib
from pathlib import Path
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from gan_lessons._validate import (  # check_images is re-exported: lessons import it from here
    check_choice,
    check_images,
    check_int,
    check_key,
    check_positive_float,
)

__all__ = ["Digits", "GalaxyParams", "IMAGE_DATASETS", "check_images", "image_dataset",
           "load_digits", "load_idx", "load_mnist", "make_galaxies", "write_idx"]


class Digits(NamedTuple):
    """Images and labels of an image data set.

    Attributes:
      images: float32 array of shape (N, H, W), values in [-1, 1] (-1 is the background).
      labels: int64 array of shape (N,), the class of each image (0..9 for digits).
    """

    images: np.ndarray
    labels: np.ndarray


def load_digits() -> Digits:
    """The scikit-learn digits: 1,797 images of 8 x 8 pixels, scaled to [-1, 1], and labels.

    The raw grey levels g in 0..16 become ``g / 8 - 1``.

    Example:
      >>> digits = load_digits()
      >>> digits.images.shape, digits.images.dtype, float(digits.images.min()), float(digits.images.max())
      ((1797, 8, 8), dtype('float32'), -1.0, 1.0)
    """
    from sklearn.datasets import load_digits as sklearn_digits

    raw = sklearn_digits()
    images = (np.asarray(raw.images, dtype=np.float32) / 8.0 - 1.0)
    return Digits(images, np.asarray(raw.target, dtype=np.int64))


# ------------------------------------------------------------------------------- galaxies
class GalaxyParams(NamedTuple):
    """The random parameters of :func:`make_galaxies`, each a float32 array of shape (n,).

    Lengths are in pixels; x is the column index and y the row index (pixel centres at integers).
    """

    center_x: jax.Array        # (size - 1)/2 + U(-0.08, 0.08) size
    center_y: jax.Array        # likewise
    angle: jax.Array           # theta ~ U(0, pi): major axis, from +x towards +y
    axis_ratio: jax.Array      # q = b/a ~ U(0.3, 1)
    scale: jax.Array           # h ~ U(0.07, 0.14) size, disk scale length along the major axis
    bulge_fraction: jax.Array  # B ~ U(0.15, 0.5), the bulge's share of the central brightness
    bulge_scale: jax.Array     # s ~ U(0.04, 0.07) size, the bulge's standard deviation
    arm_amplitude: jax.Array   # A ~ U(0, arms)
    arm_winding: jax.Array     # w, |w| ~ U(1.5, 3.5), sign = handedness
    arm_phase: jax.Array       # phi_0 ~ U(0, 2 pi)


_OVERSAMPLE = 2  # disk and bulge: the mean over 2 x 2 points per pixel (the arms: its centre)


def make_galaxies(key: jax.Array, n: int, size: int = 16, *, noise: float = 0.04,
                  arms: float = 0.6, return_params: bool = False):
    """n procedural galaxy-like images of size x size pixels, float32 in [-1, 1].

    Each galaxy is a disk and a bulge sharing one elliptical radius, with two spiral arms:

    .. math::

        x' = \\Delta x\\cos\\theta + \\Delta y\\sin\\theta, \\quad
        y' = -\\Delta x\\sin\\theta + \\Delta y\\cos\\theta, \\quad
        \\rho = \\sqrt{x'^2 + (y'/q)^2}, \\quad \\phi = \\operatorname{atan2}(y'/q, x'),

        I = (1 - B)\\, \\langle e^{-\\rho/h} \\rangle\\,\\bigl[1 + A\\,(1 - e^{-\\rho^2/h^2})
            \\cos(2\\phi - 2w\\ln(\\rho/h) - \\phi_0)\\bigr]
            + B\\, \\langle e^{-\\rho^2 / 2s^2} \\rangle,

    with :math:`\\Delta = (x - c_x, y - c_y)` and the :class:`GalaxyParams`; brackets average
    over 2 x 2 points per pixel. I is divided by its brightest pixel, gets Gaussian noise, is
    clipped to [0, 1] and mapped by 2I - 1 (-1 is dark sky). Without arms and noise, isophotes
    are ellipses of axis ratio q at angle theta. Pure; jittable with ``n``, ``size`` and
    ``return_params`` static (new ``noise`` or ``arms`` values do not recompile). Parameters
    and noise use separate keys: ``noise`` and ``arms`` change the images, not the parameters.

    Args:
      key: a JAX random key, ``jax.random.key(seed)``.
      n: the number of images (>= 1).
      size: the side in pixels (>= 4); lengths scale with it.
      noise: the pixel noise standard deviation, on the [0, 1] scale (>= 0).
      arms: the largest spiral-arm contrast A (in [0, 1]; 0 gives smooth ellipticals).
      return_params: also return the :class:`GalaxyParams`.

    Returns:
      The images, a float32 ``jax.Array`` of shape (n, size, size); with ``return_params``, the
      pair ``(images, params)``.

    Example:
      >>> images = make_galaxies(jax.random.key(0), 3)
      >>> images.shape, images.dtype, bool(images.min() >= -1.0), float(images.max())
      ((3, 16, 16), dtype('float32'), True, 1.0)
    """
    check_key("key", key)
    n = check_int("n", n, minimum=1)
    size = check_int("size", size, minimum=4)
    noise = check_positive_float("noise", noise, allow_zero=True)
    arms = check_positive_float("arms", arms, allow_zero=True)
    if arms > 1.0:
        raise ValueError(f"arms must be in [0, 1] (a contrast; 1 + A cos >= 0), got {arms}")
    images, params = _galaxies(key, n, size, jnp.float32(noise), jnp.float32(arms))
    return (images, params) if return_params else images


@functools.partial(jax.jit, static_argnums=(1, 2))
def _galaxies(key, n, size, noise, arms):
    param_key, noise_key = jax.random.split(key)
    u = jax.random.uniform(param_key, (10, n), dtype=jnp.float32)
    centre = (size - 1) / 2 + (2 * u[:2] - 1) * 0.08 * size
    winding = jnp.where(u[8] < 0.5, -1.0, 1.0) * (1.5 + 4.0 * jnp.abs(u[8] - 0.5))
    params = GalaxyParams(centre[0], centre[1], jnp.pi * u[2], 0.3 + 0.7 * u[3],
                          (0.07 + 0.07 * u[4]) * size, 0.15 + 0.35 * u[5],
                          (0.04 + 0.03 * u[6]) * size, arms * u[7], winding, 2 * jnp.pi * u[9])
    fine = (jnp.arange(size * _OVERSAMPLE, dtype=jnp.float32) + 0.5) / _OVERSAMPLE - 0.5
    coarse = jnp.arange(size, dtype=jnp.float32)
    grids = jnp.meshgrid(fine, fine, indexing="ij") + jnp.meshgrid(coarse, coarse, indexing="ij")
    clean = jax.vmap(lambda p: _render(p, *grids, size))(params)
    pixels = clean + noise * jax.random.normal(noise_key, clean.shape, jnp.float32)
    return 2.0 * jnp.clip(pixels, 0.0, 1.0) - 1.0, params


def _ellipse(p: GalaxyParams, y, x):
    """Coordinates along the major axis and the stretched minor axis: rho^2 = a^2 + b^2."""
    dx, dy = x - p.center_x, y - p.center_y
    cos, sin = jnp.cos(p.angle), jnp.sin(p.angle)
    return dx * cos + dy * sin, (-dx * sin + dy * cos) / p.axis_ratio


def _render(p: GalaxyParams, y_fine, x_fine, y, x, size):
    """One noise-free image in [0, 1] with its brightest pixel at 1."""
    def pixel_mean(values):
        return values.reshape(size, _OVERSAMPLE, size, _OVERSAMPLE).mean(axis=(1, 3))

    a, b = _ellipse(p, y_fine, x_fine)
    rho2 = a * a + b * b
    disk = pixel_mean(jnp.exp(-jnp.sqrt(rho2) / p.scale))
    bulge = pixel_mean(jnp.exp(-rho2 / (2 * p.bulge_scale ** 2)))
    a, b = _ellipse(p, y, x)  # the spiral varies slowly: once per pixel (atan2, cos are costly)
    r = jnp.sqrt(a * a + b * b) / p.scale
    phase = 2 * jnp.arctan2(b, a) - 2 * p.arm_winding * jnp.log(r + 1e-6) - p.arm_phase
    disk = disk * (1 + p.arm_amplitude * (1 - jnp.exp(-r ** 2)) * jnp.cos(phase))
    image = (1 - p.bulge_fraction) * disk + p.bulge_fraction * bulge
    return image / image.max()


# ------------------------------------------------------------------------------------ IDX
_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_IDX_CODES = {np.dtype(t).newbyteorder("="): c for c, t in _IDX_TYPES.items()}


def load_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (the format of MNIST), plain or gzip-compressed (detected from its bytes).

    The format: two zero bytes, a type byte (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
    0x0D float32, 0x0E float64), the number of dimensions d, d big-endian uint32 sizes, then the
    values in big-endian C order. MNIST's images start 00 00 08 03 (2051), its labels 00 00 08 01.

    Returns a NumPy array of that shape and type (native byte order). Raises ValueError,
    naming the file, for a bad magic number or type code, corrupt gzip, or fewer or more data
    bytes than the header promises; FileNotFoundError if ``path`` does not exist.
    """
    path = Path(path)
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(f"{path}: corrupt or truncated gzip data ({err})") from err
    if len(data) < 4 or data[:2] != b"\x00\x00":
        raise ValueError(f"{path}: not an IDX file: the magic number must start with two zero "
                         f"bytes, got {data[:4].hex(' ') or 'an empty file'}")
    code, ndim = data[2], data[3]
    if code not in _IDX_TYPES:
        known = ", ".join(f"0x{c:02X}" for c in _IDX_TYPES)
        raise ValueError(f"{path}: unknown IDX type code 0x{code:02X}; expected one of {known}")
    start = 4 + 4 * ndim
    if len(data) < start:
        raise ValueError(f"{path}: truncated header: {ndim} dimensions need {start} bytes, "
                         f"the file has {len(data)}")
    shape = struct.unpack(f">{ndim}I", data[4:start])
    dtype = np.dtype(_IDX_TYPES[code])
    expected, found = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize, len(data) - start
    if found != expected:
        what = "truncated" if found < expected else "has extra bytes"
        raise ValueError(f"{path}: {what}: the header promises shape {shape} of {dtype.name}, "
                         f"{expected} data bytes, but the file holds {found}")
    return np.frombuffer(data, dtype, offset=start).reshape(shape).astype(dtype.newbyteorder("="))


def write_idx(path: str | os.PathLike, array: Any) -> Path:
    """Write ``array`` as an IDX file (gzip-compressed if ``path`` ends in ``.gz``).

    The dtype must be one IDX stores (uint8, int8, int16, int32, float32, float64); nothing is
    cast silently. Returns the path.

    Example:
      >>> import tempfile
      >>> with tempfile.TemporaryDirectory() as folder:
      ...     path = write_idx(Path(folder) / "a-idx2-ubyte", np.arange(6, dtype=np.uint8).reshape(2, 3))
      ...     path.read_bytes().hex(" "), load_idx(path).tolist()
      ('00 00 08 02 00 00 00 02 00 00 00 03 00 01 02 03 04 05', [[0, 1, 2], [3, 4, 5]])
    """
    array = np.asarray(array)
    code = _IDX_CODES.get(array.dtype.newbyteorder("="))
    if code is None:
        raise TypeError(f"array must have an IDX dtype (uint8, int8, int16, int32, float32, "
                        f"float64), got {array.dtype}; cast it first, e.g. array.astype(np.int32)")
    if array.ndim > 255 or any(d >= 2 ** 32 for d in array.shape):
        raise ValueError(f"array must have at most 255 dimensions of fewer than 2**32 entries, "
                         f"got shape {array.shape}")
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    data = header + np.ascontiguousarray(array, dtype=_IDX_TYPES[code]).tobytes()
    path = Path(path)
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
    return path


def load_mnist(folder: str | os.PathLike, split: str = "train") -> Digits:
    """MNIST from the four standard IDX files in ``folder``, scaled to [-1, 1].

    Reads ``train-images-idx3-ubyte`` and ``train-labels-idx1-ubyte`` (``split="train"``) or
    ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte`` (``split="test"``), each with or
    without ``.gz`` (the ``train-images.idx3-ubyte`` spelling also works). Fashion-MNIST uses the
    same names. Grey levels g in 0..255 become ``g / 127.5 - 1``. Nothing is downloaded.

    Returns ``Digits(images, labels)``: float32 (N, 28, 28) and int64 (N,). Raises
    FileNotFoundError naming the folder or the missing files, and ValueError for an unknown
    split, a malformed file (:func:`load_idx`), images not (N, H, W) uint8, or unequal counts.
    """
    prefix = {"train": "train", "test": "t10k"}[check_choice("split", split, ("train", "test"))]
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"folder {str(folder)!r} is not an existing directory; it should "
                                "hold the MNIST IDX files (gan_lessons downloads nothing)")
    found, missing = {}, []
    for kind, rank in (("images", 3), ("labels", 1)):
        stems = (f"{prefix}-{kind}-idx{rank}-ubyte", f"{prefix}-{kind}.idx{rank}-ubyte")
        paths = [folder / (s + gz) for s in stems for gz in ("", ".gz")]
        hits = [p for p in paths if p.is_file()]
        if hits:
            found[kind] = hits[0]
        else:
            missing.append(str(paths[0]))
    if missing:
        raise FileNotFoundError(
            f"MNIST {split} files not found: {', '.join(missing)} (nor with .gz or the "
            f"'.idx' spelling). gan_lessons downloads nothing: put {prefix}-images-idx3-ubyte and "
            f"{prefix}-labels-idx1-ubyte (optionally .gz) from the MNIST distribution there")
    images, labels = load_idx(found["images"]), load_idx(found["labels"])
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError(f"{found['images']}: expected images of shape (N, H, W) and type uint8 "
                         f"(0x08), got shape {images.shape} and type {images.dtype}")
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(f"{found['labels']}: expected labels of shape (N,) of integers, got "
                         f"shape {labels.shape} and type {labels.dtype}")
    if len(images) != len(labels):
        raise ValueError(f"{found['images']} holds {len(images)} images but {found['labels']} "
                         f"holds {len(labels)} labels; they must match")
    return Digits(images.astype(np.float32) / np.float32(127.5) - np.float32(1.0),
                  labels.astype(np.int64))


# ------------------------------------------------------------------------------- by name
GALAXY_SEED, GALAXY_COUNT, GALAXY_SIZE = 0, 2000, 16
IMAGE_DATASETS = ("digits", "galaxies")
"""The names :func:`image_dataset` knows."""


def image_dataset(name: str) -> np.ndarray:
    """The images of a built-in data set: float32, shape (N, H, W), values in [-1, 1].

    * ``"digits"``: :func:`load_digits`, 1,797 images of 8 x 8.
    * ``"galaxies"``: :func:`make_galaxies` with ``jax.random.key(0)``: 2,000 images of 16 x 16
      (8 x 8 leaves a galaxy a blob of a few pixels, so the arms and ellipticity would be lost).

    An unknown ``name`` raises ValueError listing the known names.

    Example:
      >>> image_dataset("galaxies").shape
      (2000, 16, 16)
    """
    if check_choice("name", name, IMAGE_DATASETS) == "digits":
        return load_digits().images
    return np.array(make_galaxies(jax.random.key(GALAXY_SEED), GALAXY_COUNT, GALAXY_SIZE))
