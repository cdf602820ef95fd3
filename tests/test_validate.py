"""The shared input checks name the argument, show the value and say what was expected."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gan_lessons import _validate as v


@pytest.mark.parametrize("bad, error, words", [
    ([1.0, 2.0], ValueError, "2-D"),
    ([[1.0, 2.0], [3.0]], ValueError, "ragged"),
    (np.zeros((0, 3)), ValueError, "at least one"),
    ([[1.0, np.nan]], ValueError, "finite"),
    ([[1.0, np.inf]], ValueError, "finite"),
    ("abc", TypeError, "real numbers"),
    ([["a", "b"]], TypeError, "real numbers"),
    ([[1 + 2j]], TypeError, "complex"),
    (None, TypeError, "real numbers"),
])
def test_as_matrix_rejects(bad, error, words):
    with pytest.raises(error, match=words) as info:
        v.as_matrix("payoff", bad)
    assert "payoff" in str(info.value)


def test_as_matrix_accepts_ints_and_lists():
    out = v.as_matrix("payoff", [[1, 2], [3, 4]])
    assert out.dtype == np.float64 and out.shape == (2, 2)


@pytest.mark.parametrize("bad, words", [
    ([0.5, 0.6], "sum to 1"),
    ([1.5, -0.5], "negative"),
    ([], "empty"),
    ([[0.5, 0.5]], "1-D"),
    ([np.nan, 1.0], "finite"),
])
def test_probability_vector_rejects(bad, words):
    with pytest.raises(ValueError, match=words) as info:
        v.as_probability_vector("row_strategy", bad)
    assert "row_strategy" in str(info.value)


def test_probability_vector_size_and_no_renormalisation():
    with pytest.raises(ValueError, match="3 entries"):
        v.as_probability_vector("x", [0.5, 0.5], size=3)
    with pytest.raises(ValueError, match="sum to 1"):
        v.as_probability_vector("x", [0.5, 0.49])
    np.testing.assert_allclose(v.as_probability_vector("x", [0.25, 0.75]), [0.25, 0.75])


def test_scalars():
    assert v.check_positive_float("eta", 0.5) == 0.5
    assert v.check_positive_float("eta", 0, allow_zero=True) == 0.0
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="eta"):
            v.check_positive_float("eta", bad)
    for bad in ("1", None, True):
        with pytest.raises(TypeError, match="eta"):
            v.check_positive_float("eta", bad)
    assert v.check_int("steps", 3, minimum=1) == 3
    with pytest.raises(ValueError, match="steps"):
        v.check_int("steps", 0, minimum=1)
    with pytest.raises(TypeError, match="steps"):
        v.check_int("steps", 2.5)
    with pytest.raises(ValueError, match="'fictitious'"):
        v.check_choice("method", "gradient descent", ["fictitious", "gradient"])


# -- check_key ------------------------------------------------------------------------------------
KEY = jax.random.key(0)


def test_check_key_returns_a_typed_key_unchanged():
    assert v.check_key("key", KEY) is KEY
    assert v.check_key("key", KEY, allow_legacy=True) is KEY


def test_check_key_legacy_keys_only_when_allowed():
    legacy = jax.random.PRNGKey(0)
    assert v.check_key("key", legacy, allow_legacy=True) is legacy
    with pytest.raises(TypeError, match=r"seed.*legacy uint32|legacy uint32.*PRNGKey"):
        v.check_key("seed", legacy)


@pytest.mark.parametrize("allow_legacy", [False, True])
@pytest.mark.parametrize("bad, words", [
    (0, "got 0"),
    (None, "got None"),
    ("key", "got 'key'"),
    (np.array([0, 1], dtype=np.uint32), "numpy.ndarray of dtype uint32 and shape \\(2,\\)"),
    (jnp.zeros(2, jnp.uint32).reshape(1, 2), "shape \\(1, 2\\)"),
    (jnp.zeros(3), "jax.Array of dtype float32 and shape \\(3,\\)"),
    (jnp.zeros(2, jnp.int32), "int32"),
])
def test_check_key_rejects_non_keys(bad, words, allow_legacy):
    with pytest.raises(TypeError, match=words) as info:
        v.check_key("init_key", bad, allow_legacy=allow_legacy)
    message = str(info.value)
    assert message.startswith("init_key must be a single JAX random key")
    assert ("legacy" in message) == allow_legacy


@pytest.mark.parametrize("allow_legacy", [False, True])
def test_check_key_rejects_a_batch_of_keys(allow_legacy):
    batch = jax.random.split(KEY, 3)
    # TypeError (not one key) and ValueError (wrong shape, as jax.random says) alike.
    for error in (TypeError, ValueError):
        with pytest.raises(error, match=r"key must be a single JAX random key.*\(3,\)"):
            v.check_key("key", batch, allow_legacy=allow_legacy)


def test_check_key_accepts_traced_keys_without_recompiling(compilations):
    @jax.jit
    def draw(key):
        return jax.random.normal(v.check_key("key", key), (2,))

    other = jax.random.key(1)
    mark = compilations.mark()
    np.testing.assert_array_equal(draw(KEY), jax.random.normal(KEY, (2,)))
    draw(other)
    assert [name for name in compilations.since(mark) if "draw" in name] == ["jit(draw)"]


# -- formatting -----------------------------------------------------------------------------------


def test_show_is_one_short_line():
    assert v.show(np.zeros((2, 2))) == "array([[0., 0.], [0., 0.]])"  # the repr's newline is gone
    assert v.show([1, 2]) == "[1, 2]"
    long = v.show(list(range(100)))
    assert len(long) == 60 and long.endswith("...")


def test_show_numbers_formats_and_elides():
    assert v.show_numbers(np.float32(0.5)) == "0.5"
    assert v.show_numbers([1.0, 2.5, -3.0]) == "[1, 2.5, -3]"
    assert v.show_numbers([1 / 3], digits=4) == "[0.3333]"
    assert v.show_numbers(np.arange(9.0)) == "[0, 1, 2, ..., 6, 7, 8]"
    assert v.show_numbers(np.arange(8.0)) == "[0, 1, 2, 3, 4, 5, 6, 7]"
    assert v.show_numbers(jnp.array([np.inf, np.nan])) == "[inf, nan]"


def test_is_traced_only_inside_transformations():
    seen = []
    jax.jit(lambda x: seen.append(v.is_traced(x)) or x)(1.0)
    assert seen == [True]
    assert not v.is_traced(jnp.ones(2)) and not v.is_traced(np.ones(2)) and not v.is_traced(1.0)


# -- float32 arrays -------------------------------------------------------------------------------


def test_as_float32_converts_and_keeps_the_values():
    out = v.as_float32("x", [[1, 2], [3, 4]], ndim=2)
    assert out.dtype == jnp.float32 and out.shape == (2, 2)
    np.testing.assert_array_equal(out, np.float32([[1, 2], [3, 4]]))
    np.testing.assert_array_equal(v.as_float32("x", jnp.arange(3)), [0.0, 1.0, 2.0])
    assert v.as_float32("x", [], min_size=0).shape == (0,)
    assert v.as_float32("start", (0.5, -1.0), shape=(2,)).shape == (2,)


@pytest.mark.parametrize("value, kwargs, error, words", [
    ([1.0, np.nan], {}, ValueError, "finite"),
    ([1e39], {}, ValueError, "fit in float32"),
    ([1.0, 2.0, 3.0], dict(shape=(2,)), ValueError, r"shape \(2,\)"),
    ([[1.0, 2.0]], dict(ndim=1), ValueError, "1-D"),
    ([], {}, ValueError, "empty"),
    ("abc", {}, TypeError, "real numbers"),
    ([1 + 1j], {}, TypeError, "complex"),
])
def test_as_float32_rejects(value, kwargs, error, words):
    with pytest.raises(error, match=words) as info:
        v.as_float32("points", value, **kwargs)
    assert "points" in str(info.value)


def test_as_float32_lets_non_finite_values_through_when_asked():
    out = v.as_float32("x", [np.inf, -np.inf, np.nan, 1e39], finite=False)
    assert np.isposinf(out[0]) and np.isneginf(out[1]) and np.isnan(out[2]) and np.isposinf(out[3])
    with pytest.raises(TypeError, match="x"):
        v.as_float32("x", ["a"], finite=False)


def test_as_float32_checks_only_the_shape_and_dtype_of_a_tracer():
    @jax.jit
    def f(x):
        return v.as_float32("x", x, shape=(2,)) * 2

    np.testing.assert_array_equal(f(jnp.array([1, 2], jnp.int32)), [2.0, 4.0])
    assert f(jnp.array([1, 2], jnp.int32)).dtype == jnp.float32
    with pytest.raises(ValueError, match=r"x must have shape \(2,\)"):
        f(jnp.ones(3))
    with pytest.raises(TypeError, match="real numbers"):
        jax.jit(lambda x: v.as_float32("x", x))(jnp.ones(2, jnp.complex64))


def test_as_increasing_grid():
    np.testing.assert_array_equal(v.as_increasing_grid("grid", [0, 0.5, 2]), np.float32([0, 0.5, 2]))
    for bad, words in [([0.0], "at least 2"), ([0.0, 0.0, 1.0], "strictly increasing"),
                       ([1.0, 1.0 + 1e-12], "float32"), ([[0.0, 1.0]], "1-D"),
                       ([0.0, np.nan], "finite")]:
        with pytest.raises(ValueError, match=words):
            v.as_increasing_grid("grid", bad)


# -- scalars and bounds ---------------------------------------------------------------------------


def test_check_positive_float_takes_concrete_zero_d_arrays():
    assert v.check_positive_float("eta", jnp.float32(0.25)) == 0.25
    assert v.check_positive_float("eta", np.array(2.0)) == 2.0
    assert v.check_positive_float("eta", jnp.asarray(0), allow_zero=True) == 0.0
    with pytest.raises(ValueError, match="eta must be a finite number > 0"):
        v.check_positive_float("eta", jnp.float32(-1.0))
    with pytest.raises(ValueError, match="scalar"):
        v.check_positive_float("eta", jnp.ones(2))
    with pytest.raises(TypeError, match="eta"):
        jax.jit(lambda x: v.check_positive_float("eta", x))(1.0)


def test_as_positive_float32():
    out = v.as_positive_float32("eta", 0.1)
    assert out.dtype == jnp.float32 and out.shape == () and float(out) == np.float32(0.1)
    assert float(v.as_positive_float32("gamma", 0, allow_zero=True)) == 0.0
    with pytest.raises(ValueError, match="gamma"):
        v.as_positive_float32("gamma", 0.0)


def test_check_bounds():
    assert v.check_bounds(None, None) is None
    lo, hi = v.check_bounds(-1, np.float64(2.5))
    assert (float(lo), float(hi)) == (-1.0, 2.5) and lo.dtype == jnp.float32
    for lo, hi, words in [(0.0, None, "together"), (None, 1.0, "together"),
                          (1.0, 1.0, "greater than lo"), ([0.0, 1.0], 2.0, "scalar"),
                          (np.nan, 1.0, "finite")]:
        with pytest.raises(ValueError, match=words):
            v.check_bounds(lo, hi)
    traced = jax.jit(lambda a, b: v.check_bounds(a, b)[1] - v.check_bounds(a, b)[0])(3.0, 1.0)
    assert float(traced) == -2.0  # tracers are not compared


# -- images ---------------------------------------------------------------------------------------


def test_check_images_is_the_one_data_images_offers():
    from gan_lessons.data import images

    assert images.check_images is v.check_images


@pytest.mark.parametrize("value, shape", [
    (np.zeros((3, 4, 5)), None),
    (np.zeros((3, 4, 5, 1)), None),
    (np.zeros((3, 20)), (4, 5)),
    (np.zeros((3, 4, 5, 1)), (4, 5)),
])
def test_as_gray_images_accepts_the_three_layouts(value, shape):
    out = v.as_gray_images("images", value, shape)
    assert out.shape == (3, 4, 5) and out.dtype == np.float32


@pytest.mark.parametrize("value, shape, words", [
    (np.zeros((3, 20)), None, r"\(N, H, W\)"),
    (np.zeros((3, 4, 5, 3)), None, "trailing channel of 1"),
    (np.zeros((3, 4, 5)), (5, 4), r"\(N, 5, 4\)"),
    (np.full((1, 2, 2), np.nan), None, "finite"),
])
def test_as_gray_images_rejects(value, shape, words):
    with pytest.raises(ValueError, match=words) as info:
        v.as_gray_images("fake", value, shape)
    assert "fake" in str(info.value)
