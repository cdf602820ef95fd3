"""Checks for the exercises of lesson 00 ("Start here"): JAX keys, jit and grad."""

from __future__ import annotations

import numpy as np

from gan_lessons.exercises.feedback import (
    Feedback,
    as_array,
    correct,
    is_unanswered,
    unanswered,
    wrong,
)

__all__ = ["check_key_sample", "check_gradient", "check_heat_map_player"]


def check_key_sample(sample) -> Feedback:
    """Exercise 1: three standard-normal numbers drawn with ``jax.random.key(42)``."""
    if is_unanswered(sample):
        return unanswered("jax.random.normal(jax.random.key(42), (3,))")
    import jax

    values = as_array(sample)
    if values is None:
        return wrong(f"expected an array of 3 numbers, got {sample!r}.")
    if values.shape != (3,):
        return wrong(f"expected shape (3,), got {values.shape}: pass the shape (3,) to jax.random.normal.")
    expected = np.asarray(jax.random.normal(jax.random.key(42), (3,)))
    if np.allclose(values, expected, atol=1e-6):
        return correct("the same key always gives the same numbers, on any machine: runs are "
                       "reproducible from a seed.")
    split = np.asarray(jax.random.normal(jax.random.split(jax.random.key(42))[0], (3,)))
    if np.allclose(values, split, atol=1e-6):
        return wrong("these numbers come from a key split off key 42; the exercise asks for key 42 itself.")
    return wrong("these are not the numbers key 42 gives. Use jax.random.key(42) (not numpy's "
                 "random module, whose global state differs between runs).")


def check_gradient(gradient) -> Feedback:
    """Exercise 2: the gradient of f(x) = sum(x**2) at x = (1, 2, 3)."""
    if is_unanswered(gradient):
        return unanswered("jax.grad(f)(jnp.array([1.0, 2.0, 3.0]))")
    values = as_array(gradient)
    if values is None:
        return wrong(f"expected an array of 3 numbers, got {gradient!r}.")
    if values.shape == () and np.isclose(values, 14.0):
        return wrong("14 is f(x) itself, the value; the gradient is a vector of partial derivatives "
                     "df/dx_i = 2 x_i.")
    if values.shape != (3,):
        return wrong(f"the gradient of a function of 3 numbers has 3 components, got shape {values.shape}.")
    if np.allclose(values, [2.0, 4.0, 6.0]):
        return correct("df/dx_i = 2 x_i, so the gradient at (1, 2, 3) is (2, 4, 6).")
    if np.allclose(values, [1.0, 2.0, 3.0]):
        return wrong("that is x itself; differentiate x_i**2 to get 2 x_i.")
    return wrong("not (2, 4, 6). Check that f returns jnp.sum(x ** 2) and that you call jax.grad(f)(x).")


def check_heat_map_player(answer) -> Feedback:
    """Exercise 3: which player's output shades the background of the taste figure?"""
    if is_unanswered(answer):
        return unanswered("'generator' or 'discriminator'")
    text = str(answer).strip().lower()
    if text in {"discriminator", "d"}:
        return correct("the shading is D(x), the discriminator's probability that a point is real "
                       "data; the generator's samples are the red dots.")
    if text in {"generator", "g"}:
        return wrong("the generator produces the red dots. The shading is a probability assigned to "
                     "every point of the plane: which network outputs a probability?")
    return wrong(f"answer 'generator' or 'discriminator', not {answer!r}.")
