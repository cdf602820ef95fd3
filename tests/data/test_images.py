"""Tests for gan_lessons.data.images: digits, procedural galaxies, the IDX format and MNIST loading."""

import gzip
import struct

import jax
import numpy as np
import pytest

from gan_lessons.data import images as im
from gan_lessons.data.images import (
    IMAGE_DATASETS,
    GalaxyParams,
    check_images,
    image_dataset,
    load_digits,
    load_idx,
    load_mnist,
    make_galaxies,
    write_idx,
)


def _moments(batch):
    """Centroid, axis ratio and major-axis angle from the intensity-weighted second moments.

    Plain numpy in float64, independent of the generator: weights are the pixel values mapped
    from [-1, 1] to [0, 1]; x is the column and y the row index.
    """
    w = (np.asarray(batch, np.float64) + 1.0) / 2.0
    y, x = np.mgrid[0:w.shape[1], 0:w.shape[2]].astype(np.float64)
    total = w.sum(axis=(1, 2))
    cx, cy = (w * x).sum(axis=(1, 2)) / total, (w * y).sum(axis=(1, 2)) / total
    dx, dy = x - cx[:, None, None], y - cy[:, None, None]
    mxx, myy, mxy = ((w * a * b).sum(axis=(1, 2)) / total for a, b in ((dx, dx), (dy, dy), (dx, dy)))
    eig = np.linalg.eigvalsh(np.stack([np.stack([mxx, mxy], -1), np.stack([mxy, myy], -1)], -2))
    angle = 0.5 * np.arctan2(2 * mxy, mxx - myy) % np.pi
    return cx, cy, np.sqrt(eig[:, 0] / eig[:, 1]), angle


def _params(params):
    return {k: np.asarray(v, np.float64) for k, v in params._asdict().items()}


# ---------------------------------------------------------------------------------- digits
def test_digits_shapes_range_and_labels():
    digits = load_digits()
    assert digits.images.shape == (1797, 8, 8) and digits.images.dtype == np.float32
    assert digits.labels.shape == (1797,) and digits.labels.dtype == np.int64
    assert digits.images.min() == -1.0 and digits.images.max() == 1.0
    assert set(digits.labels.tolist()) == set(range(10))
    np.testing.assert_array_equal(check_images("images", digits.images), digits.images)


# -------------------------------------------------------------------------------- galaxies
N = 200  # one batch size (and size 16) throughout, so the generator compiles once


@pytest.fixture(scope="module")
def galaxies():
    return make_galaxies(jax.random.key(0), N, return_params=True)


def test_galaxies_shape_dtype_range(galaxies):
    images, params = galaxies
    assert images.shape == (N, 16, 16) and images.dtype == np.float32
    assert float(images.min()) == -1.0 and float(images.max()) == 1.0
    assert np.all(np.asarray(images).max(axis=(1, 2)) > 0.5)  # peak 1, less some noise
    check_images("images", images)
    assert isinstance(params, GalaxyParams)
    assert all(v.shape == (N,) and v.dtype == np.float32 for v in params)


def test_galaxy_parameters_in_documented_ranges(galaxies):
    p, s = _params(galaxies[1]), 16
    assert np.all(np.abs(p["center_x"] - 7.5) <= 0.08 * s + 1e-5)
    assert np.all(np.abs(p["center_y"] - 7.5) <= 0.08 * s + 1e-5)
    for name, low, high in [("angle", 0, np.pi), ("axis_ratio", 0.3, 1.0),
                            ("scale", 0.07 * s, 0.14 * s), ("bulge_fraction", 0.15, 0.5),
                            ("bulge_scale", 0.04 * s, 0.07 * s), ("arm_amplitude", 0, 0.6),
                            ("arm_phase", 0, 2 * np.pi)]:
        assert low - 1e-5 <= p[name].min() and p[name].max() <= high + 1e-5, name
        assert p[name].max() - p[name].min() > 0.8 * (high - low), name  # really spread out
    w = np.abs(p["arm_winding"])
    assert w.min() >= 1.5 - 1e-5 and w.max() <= 3.5 + 1e-5
    assert 0.35 < np.mean(p["arm_winding"] > 0) < 0.65  # both handednesses


def test_galaxies_deterministic_and_key_dependent():
    a = make_galaxies(jax.random.key(7), N)
    np.testing.assert_array_equal(a, make_galaxies(jax.random.key(7), N))
    assert not np.allclose(a, make_galaxies(jax.random.key(8), N))
    assert not np.allclose(a[0], a[1])


def test_galaxies_jit_matches_eager_and_compiles_once():
    traces = []

    def generate(key):
        traces.append(1)
        return make_galaxies(key, N)

    jitted = jax.jit(generate)
    for seed in (1, 2):
        np.testing.assert_allclose(jitted(jax.random.key(seed)),
                                   make_galaxies(jax.random.key(seed), N), atol=1e-6)
    assert len(traces) == 1
    static = jax.jit(make_galaxies, static_argnums=(1, 2))
    np.testing.assert_allclose(static(jax.random.key(3), 2, 8),
                               make_galaxies(jax.random.key(3), 2, 8), atol=1e-6)
    assert make_galaxies(jax.random.key(0), 2, 8).shape == (2, 8, 8)


def test_new_noise_or_arms_do_not_recompile(compilations):
    make_galaxies(jax.random.key(0), N)
    keys = jax.random.key(1), jax.random.key(2)
    mark = compilations.mark()
    make_galaxies(keys[0], N, noise=0.1, arms=0.2)
    make_galaxies(keys[1], N, noise=0, arms=1)
    assert compilations.since(mark) == []


def test_noise_and_arms_leave_the_parameters_alone():
    key = jax.random.key(5)
    clean, p0 = make_galaxies(key, N, noise=0.0, arms=0.0, return_params=True)
    noisy, p1 = make_galaxies(key, N, noise=0.05, arms=0.0, return_params=True)
    for name in ("center_x", "axis_ratio", "angle", "scale"):
        np.testing.assert_array_equal(getattr(p0, name), getattr(p1, name))
    clean, noisy = np.asarray(clean, np.float64), np.asarray(noisy, np.float64)
    inside = (clean > -0.6) & (clean < 0.6) & (np.abs(noisy) < 1)  # far from both clips
    residual = (noisy - clean)[inside] / 2.0  # back on the [0, 1] scale
    assert residual.size > 1000
    assert abs(residual.mean()) < 0.005 and abs(residual.std() - 0.05) < 0.005


def test_brightest_pixel_near_sampled_centre(galaxies):
    images, params = galaxies
    images, p = np.asarray(images), _params(params)
    rows, cols = np.unravel_index(images.reshape(len(images), -1).argmax(axis=1), (16, 16))
    distance = np.hypot(cols - p["center_x"], rows - p["center_y"])
    assert distance.max() <= 1.5


def test_mean_brightness_falls_with_radius(galaxies):
    images, params = galaxies
    images, p = np.asarray(images, np.float64), _params(params)
    y, x = np.mgrid[0:16, 0:16]
    radius = np.hypot(x - p["center_x"][:, None, None], y - p["center_y"][:, None, None])
    profile = [images[(radius >= r) & (radius < r + 1)].mean() for r in range(7)]
    assert np.all(np.diff(profile) < 0), profile
    assert profile[0] > 0.5 and profile[-1] < -0.8


def test_second_moments_match_axis_ratio_and_angle():
    images, params = make_galaxies(jax.random.key(3), N, noise=0.0, arms=0.0,
                                   return_params=True)
    p = _params(params)
    cx, cy, q, angle = _moments(images)
    np.testing.assert_allclose(cx, p["center_x"], atol=0.3)
    np.testing.assert_allclose(cy, p["center_y"], atol=0.3)
    # Truncation at the frame edge trims the long axis most, so q reads a little high.
    assert np.all(np.abs(q - p["axis_ratio"]) < 0.12) and 0 <= np.mean(q - p["axis_ratio"]) < 0.06
    elongated = p["axis_ratio"] < 0.7
    error = (angle - p["angle"] + np.pi / 2) % np.pi - np.pi / 2
    assert elongated.sum() > 60 and np.degrees(np.abs(error[elongated])).max() < 5


@pytest.mark.parametrize("kwargs, error, words", [
    ({"key": 0}, TypeError, "key"),
    ({"n": 0}, ValueError, "n must"),
    ({"n": 2.5}, TypeError, "n must"),
    ({"size": 3}, ValueError, "size must"),
    ({"noise": -0.1}, ValueError, "noise"),
    ({"arms": 1.5}, ValueError, "arms"),
])
def test_make_galaxies_validates(kwargs, error, words):
    args = {"key": jax.random.key(0), "n": 2} | kwargs
    with pytest.raises(error, match=words):
        make_galaxies(**args)


# ------------------------------------------------------------------------------ IDX format
@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_round_trip(tmp_path, dtype, suffix):
    rng = np.random.default_rng(0)
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    array = (rng.integers(info.min, info.max, (3, 4, 5), endpoint=True) if info
             else rng.normal(size=(3, 4, 5))).astype(dtype)
    path = write_idx(tmp_path / f"a-idx3{suffix}", array)
    raw = path.read_bytes()
    assert raw[:2] == (b"\x1f\x8b" if suffix else b"\x00\x00")
    back = load_idx(path)
    assert back.dtype == np.dtype(dtype) and back.dtype.isnative
    np.testing.assert_array_equal(back, array)
    if suffix:
        assert gzip.decompress(raw) == write_idx(tmp_path / "plain", array).read_bytes()


def test_idx_hand_built_bytes_match_the_spec(tmp_path):
    # int16 (0x0B), 2 dims: 2 x 3, big-endian values 1, -2, 258, 0, 32767, -32768.
    int16 = bytes.fromhex("00 00 0B 02 00 00 00 02 00 00 00 03"
                          "00 01 FF FE 01 02 00 00 7F FF 80 00")
    expected = np.array([[1, -2, 258], [0, 32767, -32768]], np.int16)
    (tmp_path / "h.idx").write_bytes(int16)
    np.testing.assert_array_equal(load_idx(tmp_path / "h.idx"), expected)
    assert write_idx(tmp_path / "w.idx", expected).read_bytes() == int16
    # float32 (0x0D), 1 dim of 2: 1.0 = 3F800000, -2.5 = C0200000 (IEEE 754, big-endian).
    f32 = bytes.fromhex("00 00 0D 01 00 00 00 02 3F 80 00 00 C0 20 00 00")
    assert write_idx(tmp_path / "f.idx", np.array([1.0, -2.5], np.float32)).read_bytes() == f32
    # MNIST's published magic numbers: 2051 for (N, 28, 28) uint8 images, 2049 for labels.
    images = write_idx(tmp_path / "i", np.zeros((3, 28, 28), np.uint8)).read_bytes()
    assert struct.unpack(">4I", images[:16]) == (2051, 3, 28, 28) and len(images) == 16 + 3 * 784
    labels = write_idx(tmp_path / "l", np.arange(3, dtype=np.uint8)).read_bytes()
    assert labels == struct.pack(">2I", 2049, 3) + b"\x00\x01\x02"


@pytest.mark.parametrize("data, words", [
    (b"\x01\x00\x08\x01\x00\x00\x00\x01\x05", "magic"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x01\x05", "unknown IDX type code 0x07"),
    (b"\x00\x00\x08\x02\x00\x00\x00\x01", "truncated header"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x03\x05\x06", "truncated.*3 data bytes.*holds 2"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x01\x05\x06", "extra bytes"),
    (b"", "empty file"),
    (b"\x1f\x8b\x08\x00garbage", "gzip"),
])
def test_idx_rejects_malformed_files(tmp_path, data, words):
    path = tmp_path / "bad-idx"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=words) as info:
        load_idx(path)
    assert str(path) in str(info.value)


def test_idx_truncated_gzip_and_missing_file(tmp_path):
    path = write_idx(tmp_path / "x.gz", np.zeros((100,), np.uint8))
    path.write_bytes(path.read_bytes()[:-12])
    with pytest.raises(ValueError, match="gzip"):
        load_idx(path)
    with pytest.raises(FileNotFoundError, match="nowhere"):
        load_idx(tmp_path / "nowhere")


def test_write_idx_rejects_other_dtypes(tmp_path):
    with pytest.raises(TypeError, match="array must have an IDX dtype.*int64"):
        write_idx(tmp_path / "x", np.arange(3, dtype=np.int64))


# ----------------------------------------------------------------------------------- MNIST
def _fake_mnist(folder, prefix="train", n=5, labels=None, gz=""):
    pixels = np.arange(n * 784, dtype=np.int64).reshape(n, 28, 28) % 256
    pixels[0, 0, :2] = (0, 255)
    write_idx(folder / f"{prefix}-images-idx3-ubyte{gz}", pixels.astype(np.uint8))
    labels = np.arange(n) % 10 if labels is None else labels
    write_idx(folder / f"{prefix}-labels-idx1-ubyte{gz}", np.asarray(labels, np.uint8))
    return pixels


@pytest.mark.parametrize("split, prefix, gz", [("train", "train", ""), ("test", "t10k", ".gz")])
def test_load_mnist_scales_fake_files(tmp_path, split, prefix, gz):
    pixels = _fake_mnist(tmp_path, prefix, gz=gz)
    digits = load_mnist(tmp_path, split)
    assert digits.images.shape == (5, 28, 28) and digits.images.dtype == np.float32
    assert digits.labels.dtype == np.int64 and digits.labels.tolist() == [0, 1, 2, 3, 4]
    np.testing.assert_allclose(digits.images, pixels / 127.5 - 1.0, atol=1e-6)
    assert digits.images[0, 0, 0] == -1.0 and digits.images[0, 0, 1] == 1.0


def test_load_mnist_missing_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="downloads nothing") as info:
        load_mnist(tmp_path)
    message = str(info.value)
    assert str(tmp_path / "train-images-idx3-ubyte") in message
    assert str(tmp_path / "train-labels-idx1-ubyte") in message
    _fake_mnist(tmp_path)
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
        load_mnist(tmp_path, "test")
    with pytest.raises(FileNotFoundError, match="not an existing directory"):
        load_mnist(tmp_path / "absent")


def test_load_mnist_errors(tmp_path):
    _fake_mnist(tmp_path, labels=[1, 2, 3])
    with pytest.raises(ValueError, match="5 images but .* 3 labels"):
        load_mnist(tmp_path)
    with pytest.raises(ValueError, match="split must be one of 'train', 'test'; got 'valid'"):
        load_mnist(tmp_path, "valid")
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(ValueError, match="truncated"):
        load_mnist(tmp_path)
    write_idx(path, np.zeros((3, 28, 28), np.float32))
    with pytest.raises(ValueError, match="uint8"):
        load_mnist(tmp_path)


# ---------------------------------------------------------------------------- by name, checks
def test_image_dataset_by_name():
    assert IMAGE_DATASETS == ("digits", "galaxies")
    np.testing.assert_array_equal(image_dataset("digits"), load_digits().images)
    galaxies = image_dataset("galaxies")
    assert isinstance(galaxies, np.ndarray) and galaxies.shape == (2000, 16, 16)
    assert galaxies.dtype == np.float32
    np.testing.assert_array_equal(galaxies[:5], make_galaxies(jax.random.key(im.GALAXY_SEED),
                                                               2000)[:5])
    with pytest.raises(ValueError, match="name must be one of 'digits', 'galaxies'; got 'cifar'"):
        image_dataset("cifar")


@pytest.mark.parametrize("value, kwargs, error, words", [
    (np.zeros((8, 8)), {}, ValueError, r"3-D array of shape \(N, H, W\), got shape \(8, 8\)"),
    (np.zeros((2, 8, 8)), {"ndim": 4}, ValueError, r"\(N, H, W, C\)"),
    (np.zeros((0, 8, 8)), {}, ValueError, "at least one image"),
    (np.full((2, 3, 3), np.nan), {}, ValueError, r"finite.*18 non-finite.*\(0, 0, 0\)"),
    (np.array([[[0.0, 1.5]]]), {}, ValueError, r"values in \[-1, 1\].*1\.5.*\(0, 0, 1\)"),
    (np.array([[[0.0, 3.0]]]), {"value_range": (0, 2)}, ValueError, r"\[0, 2\]"),
    ("abc", {}, TypeError, "array of images"),
    (np.array([[["a"]]]), {}, TypeError, "real numbers"),
    ([[[1.0, 2.0]], [[3.0]]], {}, ValueError, "rectangular array"),
])
def test_check_images_rejects(value, kwargs, error, words):
    with pytest.raises(error, match=words) as info:
        check_images("fake_images", value, **kwargs)
    assert "fake_images" in str(info.value)


def test_check_images_accepts():
    out = check_images("x", np.ones((2, 4, 4, 3), np.float64), ndim=4)
    assert out.dtype == np.float32 and out.shape == (2, 4, 4, 3)
    out = check_images("x", np.array([[[0, 255]]], np.uint8), value_range=None)
    assert out.tolist() == [[[0.0, 255.0]]]
    with pytest.raises(ValueError, match="ndim must be 3"):
        check_images("x", np.zeros((1, 2, 2)), ndim=2)
