"""The `compilations` fixture (tests/conftest.py) sees every compilation, and only those."""

import jax
import numpy as np


def _double_plus_one(x):
    return 2.0 * x + 1.0


def test_a_new_shape_compiles_once_and_new_values_do_not(compilations):
    f = jax.jit(_double_plus_one)
    mark = compilations.mark()
    f(np.ones(3, np.float32))
    assert any("_double_plus_one" in name for name in compilations.since(mark))

    mark = compilations.mark()
    f(np.full(3, 5.0, np.float32))          # same shape and dtype: the cached executable
    assert compilations.since(mark) == []

    f(np.ones(7, np.float32))               # a new shape compiles again
    assert compilations.count == mark + 1
    assert "_double_plus_one" in compilations.since(mark)[0]

