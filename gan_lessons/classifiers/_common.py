"""Checks shared by the classifier modules: points, labels and Gaussian class parameters.

Nothing here is public API of the course; the names are public so that
:mod:`~gan_lessons.classifiers.generative`, :mod:`~gan_lessons.classifiers.bayes` and
:mod:`~gan_lessons.classifiers.logistic` can share them.
"""

from __future__ import annotations

from typing import Any

import jax
import numpy as np

from gan_lessons._validate import (
    as_finite_array,
    as_float32,
    as_probability_vector,
    show_numbers,
)

__all__ = ["MIN_EIGEN_RATIO", "spd_problem", "class_parameters", "as_points", "as_labels"]

# A covariance is accepted when its smallest eigenvalue exceeds this fraction of its
# largest (condition number <= 1e6): float32 Cholesky factors stay accurate.
MIN_EIGEN_RATIO = 1e-6


def spd_problem(matrix: np.ndarray) -> str | None:
    """Why ``matrix`` (d, d) is not a usable covariance, or None when it is."""
    if not np.allclose(matrix, matrix.T, rtol=1e-6, atol=1e-6 * max(1.0, np.abs(matrix).max())):
        return "is not symmetric"
    eig = np.linalg.eigvalsh(0.5 * (matrix + matrix.T))
    if eig[0] <= 0.0:
        return f"is not positive definite (smallest eigenvalue {eig[0]:.4g})"
    if eig[0] <= MIN_EIGEN_RATIO * eig[-1]:
        return (f"is too close to singular (eigenvalues {eig[0]:.4g} and {eig[-1]:.4g}; "
                f"expected a ratio above {MIN_EIGEN_RATIO:g})")
    return None


def class_parameters(means: Any, covariances: Any,
                     priors: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check Gaussian class parameters; return float64 ``(K, d)``, ``(K, d, d)``, ``(K,)``.

    ``means`` is ``(K, d)``, or ``(K,)`` for a 1-D problem (one number per class).
    ``covariances`` is ``(K, d, d)`` or one shared ``(d, d)`` matrix; for 1-D means,
    ``(K,)`` variances or one shared variance (a scalar).
    """
    mu = as_finite_array("means", means)
    one_d = mu.ndim == 1
    if one_d:
        mu = mu[:, None]
    elif mu.ndim != 2:
        raise ValueError(
            f"means must be a (K, d) array (one row per class), or (K,) for 1-D data; got "
            f"shape {mu.shape}")
    k, d = mu.shape
    cov = as_finite_array("covariances", covariances)
    if one_d and cov.ndim in (0, 1):  # variances: one per class, or one shared
        if cov.size not in (1, k):
            raise ValueError(
                f"covariances must hold one variance per class ({k}) or a single shared "
                f"variance for 1-D means; got {cov.size} values")
        cov = np.broadcast_to(cov.reshape(-1, 1, 1), (k, 1, 1))
    elif cov.ndim == 2:
        if cov.shape != (d, d):
            raise ValueError(
                f"covariances must be a shared ({d}, {d}) matrix or ({k}, {d}, {d}) matrices "
                f"for means of shape {mu.shape}; got shape {cov.shape}")
        cov = np.broadcast_to(cov, (k, d, d))
    elif cov.shape != (k, d, d):
        raise ValueError(
            f"covariances must have shape ({k}, {d}, {d}) (one matrix per class) or ({d}, {d}) "
            f"(shared) for means of shape {mu.shape}; got shape {cov.shape}")
    for j in range(k):
        problem = spd_problem(cov[j])
        if problem is not None:
            raise ValueError(f"covariances[{j}] must be symmetric positive definite, but it "
                             f"{problem}: {show_numbers(cov[j], digits=4)}")
    pi = as_probability_vector("priors", priors)
    if pi.shape[0] != k:
        raise ValueError(f"priors must have one entry per class ({k}, the rows of means), "
                         f"got {pi.shape[0]}: {show_numbers(pi, digits=4)}")
    return mu, 0.5 * (cov + np.swapaxes(cov, 1, 2)), pi


def as_points(name: str, value: Any, dim: int | None) -> jax.Array:
    """Data points as float32 ``(n, d)``; a 1-D array is ``n`` points when ``d`` is 1.

    Tracers are accepted with a shape check only (their values cannot be inspected).
    """
    x = as_float32(name, value)
    if x.ndim == 1 and dim in (None, 1):
        x = x[:, None]
    expected = f"(n, {dim})" + (" or (n,)" if dim == 1 else "") if dim else "(n, d) or (n,)"
    if x.ndim != 2 or (dim is not None and x.shape[1] != dim) or x.shape[1] == 0:
        raise ValueError(f"{name} must be an array of points of shape {expected}; got shape "
                         f"{x.shape}")
    return x


def as_labels(name: str, value: Any, *, size: int | None = None,
              num_classes: int | None = None) -> np.ndarray:
    """Integer class labels as int64 ``(n,)``, checked against ``size`` and ``num_classes``."""
    labels = as_finite_array(name, value, ndim=1)
    if not np.all(labels == np.round(labels)):
        raise ValueError(f"{name} must hold integer class labels, got {show_numbers(labels, digits=4)}")
    if size is not None and labels.shape[0] != size:
        raise ValueError(f"{name} must have one label per point ({size}), got {labels.shape[0]}")
    if num_classes is not None and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"{name} must hold labels in 0..{num_classes - 1} (num_classes={num_classes}), "
            f"got values from {labels.min():g} to {labels.max():g}")
    return labels.astype(np.int64)
