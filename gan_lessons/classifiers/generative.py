"""Generative classifiers: Gaussian class-conditionals, their posterior by Bayes' rule, their fit.

Model how each class makes its data, :math:`p(x \\mid C_k) = \\mathcal N(x; \\mu_k, \\Sigma_k)`,
and how common each class is, :math:`p(C_k) = \\pi_k`; then invert with Bayes' theorem,

.. math:: p(C_k \\mid x) = \\frac{p(x \\mid C_k)\\, \\pi_k}{\\sum_j p(x \\mid C_j)\\, \\pi_j}
          = \\mathrm{softmax}(a)_k, \\qquad a_k = \\ln p(x \\mid C_k) + \\ln \\pi_k .

:class:`GenerativeClassifier` holds the parameters and gives the posterior, the
log-odds, the data density :math:`p(x) = \\sum_k \\pi_k\\, p(x \\mid C_k)` and new
labelled samples: a generative model is a full model of the data.
:func:`fit_generative` finds the maximum-likelihood parameters in closed form:
class frequencies, class means, and class covariances (or their pooled average).

Every method validates its arguments and calls a module-level jitted core; an
evaluation core returns every quantity the methods report at once, so a new shape
of ``x`` compiles once, not once per method. Parameter and data values are traced;
shapes, ``num_classes`` and ``shared_covariance`` are static.

References:
  Bishop, *Pattern Recognition and Machine Learning* (2006), section 4.2
  (probabilistic generative models, Gaussian class-conditionals and their maximum-
  likelihood solution).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import logsumexp
from jax.typing import ArrayLike

from gan_lessons._numerics import safe_log
from gan_lessons._validate import (
    as_float32,
    check_int,
    check_key,
    is_traced,
    show_numbers,
)
from gan_lessons.classifiers._common import as_labels, as_points, class_parameters, spd_problem

__all__ = ["LabelledData", "GenerativeClassifier", "fit_generative"]

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


class LabelledData(NamedTuple):
    """Labelled points.

    Attributes:
      x: the points, float32 ``(n, d)``.
      y: their class labels, int32 ``(n,)`` in ``0 .. K-1``.
    """

    x: jax.Array
    y: jax.Array


@jax.tree_util.register_pytree_node_class
class GenerativeClassifier:
    """Gaussian classes with priors, :math:`p(x, C_k) = \\pi_k \\mathcal N(x; \\mu_k, \\Sigma_k)`.

    A generative classifier, and at the same time a model of the data: it gives the
    posterior :math:`p(C_k \\mid x)` by Bayes' rule, the density
    :math:`p(x) = \\sum_k \\pi_k \\mathcal N(x; \\mu_k, \\Sigma_k)` and new samples.
    :func:`fit_generative` builds one from labelled data; the constructor takes
    known parameters.

    It is an immutable JAX pytree with float32 leaves ``means``, ``covariances`` and
    ``priors``: pass it to ``jax.jit`` functions as an argument, and new values with
    the same ``K`` and ``d`` do not recompile.

    Args:
      means: :math:`\\mu_k`, shape ``(K, d)``; or ``(K,)`` for 1-D data.
      covariances: :math:`\\Sigma_k`, symmetric positive definite, shape ``(K, d, d)``,
        or one shared ``(d, d)`` matrix; for 1-D means, ``K`` variances or one
        shared variance.
      priors: :math:`\\pi_k`, a probability vector of length ``K``.

    Attributes:
      means: float32 ``(K, d)``.
      covariances: float32 ``(K, d, d)`` (a shared matrix is repeated ``K`` times).
      priors: float32 ``(K,)``.

    Example:
      >>> model = GenerativeClassifier([-1.0, 1.0], 1.0, [0.5, 0.5])
      >>> model
      GenerativeClassifier(num_classes=2, dim=1, priors=[0.5, 0.5])
      >>> np.asarray(model.posterior([0.0, 1.0]), float).round(4).tolist()  # sigma(2x), class 1
      [[0.5, 0.5], [0.1192, 0.8808]]
      >>> model.predict([-3.0, 0.5]).tolist()
      [0, 1]
    """

    __slots__ = ("means", "covariances", "priors")
    means: jax.Array
    covariances: jax.Array
    priors: jax.Array

    def __init__(self, means: ArrayLike, covariances: ArrayLike, priors: ArrayLike) -> None:
        if any(is_traced(v) for v in (means, covariances, priors)):
            leaves = [jnp.asarray(v, jnp.float32) for v in (means, covariances, priors)]
            k, d = leaves[0].shape if leaves[0].ndim == 2 else (-1, -1)
            if leaves[1].shape != (k, d, d) or leaves[2].shape != (k,):
                raise ValueError(
                    "inside traced code means, covariances and priors must have shapes "
                    f"(K, d), (K, d, d) and (K,); got {[leaf.shape for leaf in leaves]}")
        else:
            mu, cov, pi = class_parameters(means, covariances, priors)
            leaves = [as_float32("means", mu), as_float32("covariances", cov),
                      jnp.asarray(pi, jnp.float32)]
        for name, leaf in zip(self.__slots__, leaves):
            object.__setattr__(self, name, leaf)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"GenerativeClassifier is immutable; cannot set {name!r}")

    # pytree protocol: unflattening never validates (the leaves may be tracers).
    def tree_flatten(self) -> tuple[tuple[jax.Array, jax.Array, jax.Array], None]:
        return (self.means, self.covariances, self.priors), None

    @classmethod
    def tree_unflatten(cls, aux_data: None, children: Any) -> GenerativeClassifier:
        obj = object.__new__(cls)
        for name, leaf in zip(cls.__slots__, children):
            object.__setattr__(obj, name, leaf)
        return obj

    def __repr__(self) -> str:
        if is_traced(self.priors):
            return f"GenerativeClassifier(num_classes={self.num_classes}, dim={self.dim})"
        return (f"GenerativeClassifier(num_classes={self.num_classes}, dim={self.dim}, "
                f"priors={show_numbers(self.priors, digits=4)})")

    @property
    def num_classes(self) -> int:
        """The number of classes :math:`K` (static: part of the shapes)."""
        return self.means.shape[0]

    @property
    def dim(self) -> int:
        """The dimension :math:`d` of the data (static)."""
        return self.means.shape[1]

    # --- the maths (plain jnp, also used inside the jitted cores) ---
    def _log_joint(self, x: jax.Array) -> jax.Array:
        chol = jnp.linalg.cholesky(self.covariances)                     # (K, d, d)
        diff = x[None, :, :] - self.means[:, None, :]                      # (K, n, d)

        def whiten(lower, rows):  # L^{-1} (x - mu) for every point
            return jax.scipy.linalg.solve_triangular(lower, rows.T, lower=True)

        z = jax.vmap(whiten)(chol, diff)                                   # (K, d, n)
        half_log_det = jnp.sum(jnp.log(jnp.diagonal(chol, axis1=1, axis2=2)), axis=1)
        log_density = (-0.5 * jnp.sum(z * z, axis=1) - half_log_det[:, None]
                       - self.dim * _HALF_LOG_2PI)                         # (K, n)
        return (log_density + safe_log(self.priors)[:, None]).T

    def _sample(self, key: jax.Array, n: int) -> LabelledData:
        label_key, noise_key = jax.random.split(key)
        y = jax.random.categorical(label_key, safe_log(self.priors), shape=(n,))
        z = jax.random.normal(noise_key, (n, self.dim), jnp.float32)
        chol = jnp.linalg.cholesky(self.covariances)
        x = self.means[y] + jnp.einsum("nij,nj->ni", chol[y], z)
        return LabelledData(x, y.astype(jnp.int32))

    # --- public methods ---
    def log_joint(self, x: ArrayLike) -> jax.Array:
        """:math:`a_k(x) = \\ln p(x \\mid C_k) + \\ln \\pi_k`, float32 ``(n, K)``.

        Args:
          x: points of shape ``(n, d)``, or ``(n,)`` when ``d`` is 1.
        """
        return _evaluate_core(self, as_points("x", x, self.dim)).log_joint

    def posterior(self, x: ArrayLike) -> jax.Array:
        """:math:`p(C_k \\mid x) = \\mathrm{softmax}_k(a(x))`, float32 ``(n, K)``; rows sum to 1."""
        return _evaluate_core(self, as_points("x", x, self.dim)).posterior

    def predict(self, x: ArrayLike) -> jax.Array:
        """The most probable class :math:`\\arg\\max_k p(C_k \\mid x)`, int32 ``(n,)``.

        Ties go to the lowest label.
        """
        return _evaluate_core(self, as_points("x", x, self.dim)).predictions

    def log_odds(self, x: ArrayLike) -> jax.Array:
        """For two classes, :math:`a = \\ln p(x, y{=}1) - \\ln p(x, y{=}0)`, float32 ``(n,)``.

        ``posterior(x)[:, 1]`` equals :math:`\\sigma(a)`.
        """
        if self.num_classes != 2:
            raise ValueError(f"log_odds needs exactly 2 classes; this model has "
                             f"{self.num_classes}: use posterior or log_joint")
        a = self.log_joint(x)
        return a[:, 1] - a[:, 0]

    def log_marginal(self, x: ArrayLike) -> jax.Array:
        """The data log-density :math:`\\ln p(x) = \\mathrm{logsumexp}_k a_k(x)`, float32 ``(n,)``.

        A discriminative classifier has no counterpart: it never models :math:`p(x)`.
        """
        return _evaluate_core(self, as_points("x", x, self.dim)).log_marginal

    def sample(self, key: jax.Array, n: int) -> LabelledData:
        """Draw ``n`` labelled points: first :math:`y \\sim \\pi`, then
        :math:`x \\sim \\mathcal N(\\mu_y, \\Sigma_y)`.

        Args:
          key: a JAX random key (``jax.random.key(seed)``); the same key gives the
            same sample.
          n: number of points, an int >= 1 (static: a new value compiles once).

        Returns:
          A :class:`LabelledData` with ``x`` float32 ``(n, d)`` and ``y`` int32 ``(n,)``.
        """
        key = check_key("key", key, allow_legacy=True)
        n = check_int("n", n, minimum=1)
        return _sample_core(self, key, n=n)


# --------------------------------------------------------------------------- jitted cores


class _Evaluation(NamedTuple):
    log_joint: jax.Array
    posterior: jax.Array
    log_marginal: jax.Array
    predictions: jax.Array


def _evaluate(model: GenerativeClassifier, x: jax.Array) -> _Evaluation:
    """Everything the methods report, from one pass (one compilation per shape)."""
    a = model._log_joint(x)
    log_marginal = logsumexp(a, axis=1)
    return _Evaluation(a, jnp.exp(a - log_marginal[:, None]), log_marginal,
                       jnp.argmax(a, axis=1).astype(jnp.int32))


def _sample(model: GenerativeClassifier, key: jax.Array, n: int) -> LabelledData:
    return model._sample(key, n)


def _fit_generative(x: jax.Array, y: jax.Array, *, num_classes: int,
                    shared_covariance: bool) -> tuple[jax.Array, jax.Array, jax.Array]:
    n, d = x.shape
    member = jax.nn.one_hot(y, num_classes, dtype=x.dtype)                 # (n, K)
    counts = jnp.sum(member, axis=0)
    means = (member.T @ x) / counts[:, None]
    diff = x[None, :, :] - means[:, None, :]                                # (K, n, d)
    scatter = jnp.einsum("nk,kni,knj->kij", member, diff, diff)             # (K, d, d)
    if shared_covariance:
        covariances = jnp.broadcast_to(jnp.sum(scatter, axis=0) / n, (num_classes, d, d))
    else:
        covariances = scatter / counts[:, None, None]
    covariances = 0.5 * (covariances + jnp.swapaxes(covariances, 1, 2))
    return means, covariances, counts / n


_evaluate_core = jax.jit(_evaluate)
_sample_core = jax.jit(_sample, static_argnames=("n",))
_fit_generative_core = jax.jit(_fit_generative,
                               static_argnames=("num_classes", "shared_covariance"))


def fit_generative(x: ArrayLike, y: ArrayLike, num_classes: int, *,
                   shared_covariance: bool = False) -> GenerativeClassifier:
    """Fit Gaussian classes to labelled data by maximum likelihood (closed form).

    Maximising :math:`\\sum_i \\ln [\\pi_{y_i} \\mathcal N(x_i; \\mu_{y_i}, \\Sigma_{y_i})]`
    gives, with :math:`n_k` points in class :math:`k`,

    .. math:: \\hat\\pi_k = \\frac{n_k}{n}, \\qquad
              \\hat\\mu_k = \\frac1{n_k} \\sum_{y_i = k} x_i, \\qquad
              \\hat\\Sigma_k = \\frac1{n_k} \\sum_{y_i = k}
              (x_i - \\hat\\mu_k)(x_i - \\hat\\mu_k)^\\top,

    the biased (divide by :math:`n_k`) class covariances. With
    ``shared_covariance=True`` every class uses the pooled matrix
    :math:`\\hat\\Sigma = \\sum_k \\frac{n_k}{n} \\hat\\Sigma_k`, and the decision
    boundary between two classes is a hyperplane (a point in 1-D); otherwise it is
    a quadric.

    Args:
      x: points, float ``(n, d)``, or ``(n,)`` for 1-D data.
      y: labels, integers in ``0 .. num_classes-1``, shape ``(n,)``.
      num_classes: :math:`K`, an int >= 2 (static). Every class needs at least one
        point, and enough points for its covariance to be non-singular (``d + 1``
        points not all on one hyperplane; pooled, ``n - K >= d``).
      shared_covariance: pool the covariances (static).

    Returns:
      A :class:`GenerativeClassifier` (float32).

    Raises:
      TypeError: arguments of the wrong type.
      ValueError: bad shapes, non-finite values, labels out of range, an empty class,
        or a fitted covariance that is singular.

    Example:
      >>> model = fit_generative([[0.0], [2.0], [5.0], [7.0]], [0, 0, 1, 1], 2,
      ...                        shared_covariance=True)
      >>> model.means.tolist(), model.covariances[:, 0, 0].tolist(), model.priors.tolist()
      ([[1.0], [6.0]], [1.0, 1.0], [0.5, 0.5])
    """
    points = as_points("x", x, None)
    num_classes = check_int("num_classes", num_classes, minimum=2)
    labels = as_labels("y", y, size=points.shape[0], num_classes=num_classes)
    if not isinstance(shared_covariance, (bool, np.bool_)):
        raise TypeError(f"shared_covariance must be True or False, got {shared_covariance!r:.60}")
    counts = np.bincount(labels, minlength=num_classes)
    if np.any(counts == 0):
        empty = np.flatnonzero(counts == 0).tolist()
        raise ValueError(f"y must contain every class 0..{num_classes - 1}; classes {empty} have "
                         "no points (their mean and prior cannot be estimated)")
    means, covariances, priors = _fit_generative_core(
        points, jnp.asarray(labels, jnp.int32), num_classes=num_classes,
        shared_covariance=bool(shared_covariance))
    cov64 = np.asarray(covariances, np.float64)
    for k in range(num_classes):
        problem = spd_problem(cov64[k])
        if problem is not None:
            who = "the pooled covariance" if shared_covariance else f"the covariance of class {k}"
            raise ValueError(
                f"x gives a singular fit: {who} {problem}; class counts {counts.tolist()} in "
                f"d = {points.shape[1]} dimensions (each covariance needs points spread in "
                "every direction)")
    return GenerativeClassifier.tree_unflatten(None, (means, covariances, priors))
