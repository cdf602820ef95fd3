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


def test_check_key_accepts_traced_keys_without_recompiling():
    @jax.jit
    def draw(key):
        return jax.random.normal(v.check_key("key", key), (2,))

    np.testing.assert_array_equal(draw(KEY), jax.random.normal(KEY, (2,)))
    draw(jax.random.key(1))
    assert draw._cache_size() == 1
