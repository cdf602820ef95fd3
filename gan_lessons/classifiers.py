"""Generative and discriminative classifiers: Bayes' rule, Gaussian classes, logistic regression.

Lesson 04 steps from classification to the GAN discriminator. There are two ways
to build a probabilistic classifier for classes :math:`C_1, \\dots, C_K`.

**Generative.** Model how each class makes its data, :math:`p(x \\mid C_k)`, and how
common each class is, :math:`p(C_k) = \\pi_k`; then invert with Bayes' theorem,

.. math:: p(C_k \\mid x) = \\frac{p(x \\mid C_k)\\, \\pi_k}{\\sum_j p(x \\mid C_j)\\, \\pi_j}
          = \\frac{e^{a_k}}{\\sum_j e^{a_j}} = \\mathrm{softmax}(a)_k,
          \\qquad a_k = \\ln p(x \\mid C_k) + \\ln \\pi_k .

With two classes the softmax collapses to a logistic sigmoid of the log-odds,

.. math:: p(C_1 \\mid x) = \\frac{1}{1 + e^{-a}} = \\sigma(a), \\qquad
          a = \\ln \\frac{p(x \\mid C_1)\\, \\pi_1}{p(x \\mid C_2)\\, \\pi_2}.

Here the class-conditional densities are Gaussians,
:math:`p(x \\mid C_k) = \\mathcal N(x; \\mu_k, \\Sigma_k)`. When every class shares one
covariance :math:`\\Sigma`, the quadratic terms :math:`x^\\top \\Sigma^{-1} x` cancel in
:math:`a` and the log-odds is *linear* in :math:`x`:

.. math:: a(x) = w^\\top x + b, \\qquad w = \\Sigma^{-1}(\\mu_1 - \\mu_2), \\qquad
          b = -\\tfrac12 \\mu_1^\\top \\Sigma^{-1} \\mu_1
          + \\tfrac12 \\mu_2^\\top \\Sigma^{-1} \\mu_2 + \\ln \\frac{\\pi_1}{\\pi_2}

(:func:`linear_log_odds_coefficients`). With a covariance per class the boundary is
quadratic. The maximum-likelihood fit is closed form (:func:`fit_generative`):
class frequencies, class means, and class covariances (or their pooled average).
A generative model is a full model of the data: it also gives the density
:math:`p(x) = \\sum_k \\pi_k\\, p(x \\mid C_k)` and can *sample* new labelled points.

**Discriminative.** Model :math:`p(C \\mid x)` directly and nothing else. Logistic
regression takes the family the shared-covariance Gaussians produced,
:math:`p(C_1 \\mid x) = \\sigma(w^\\top x + b)` (a softmax of linear logits for
:math:`K > 2`), and fits :math:`w, b` by minimising the cross-entropy
(:func:`fit_logistic`, gradient descent with optax). It has far fewer parameters
(:math:`d + 1` against :math:`d(d+5)/2 + 1` for two Gaussian classes with a shared
covariance) and makes no assumption about how :math:`x` is distributed, but it knows
nothing about :math:`p(x)` and cannot generate data.

**Labels and the two-class convention.** Labels are the integers ``0 .. K-1``. For
two classes the "positive" class :math:`C_1` is the one labelled ``1`` and
:math:`C_2` the one labelled ``0``: :func:`log_odds` is
:math:`\\ln p(x, y{=}1) - \\ln p(x, y{=}0)`, ``posterior(x)[:, 1]`` is
:math:`\\sigma(a)`, and :func:`fit_logistic` models :math:`p(y{=}1 \\mid x)`, as a GAN
discriminator models :math:`D(x) = p(\\text{real} \\mid x)` with real samples labelled 1.

**The GAN link.** Label real samples 1 and generated samples 0, in equal numbers.
The mean log-likelihood of a classifier :math:`D` on the pooled sample is

.. math:: \\tfrac12 \\big( \\mathbb E_{x \\sim p_{data}} \\ln D(x)
          + \\mathbb E_{x \\sim p_g} \\ln (1 - D(x)) \\big) = \\tfrac12 V(D, G)

in the limit of many samples, so the discriminator's cross-entropy loss is
:math:`-\\tfrac12 V(D, G)`: training the discriminator by maximum likelihood is the
inner maximisation of the GAN game (Goodfellow et al. 2014).

**Implementation.** Arrays are float32 inside JAX. Every public function validates
its arguments and then calls a module-level jitted core (``_evaluate_core``,
``_sample_core``, ``_fit_generative_core``, ``_fit_logistic_core``,
``_logistic_evaluate_core``), whose compile caches tests and widgets inspect. An
evaluation core returns every quantity the methods report at once, so a new shape
of ``x`` compiles once, not once per method. Data values, parameter values, the
learning rate and ``l2`` are traced; only shapes, ``num_classes``, ``steps``,
``shared_covariance`` and ``optimizer`` are static.

References:
  Bishop, *Pattern Recognition and Machine Learning* (2006), section 4.2
  (probabilistic generative models, Gaussian class-conditionals and their maximum-
  likelihood solution) and section 4.3 (probabilistic discriminative models,
  logistic regression and its multiclass form).
  Ng and Jordan, "On discriminative vs. generative classifiers: a comparison of
  logistic regression and naive Bayes", NIPS 14 (2001).
  Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.scipy.special import logsumexp
from jax.typing import ArrayLike

from gan_lessons._validate import (
    as_finite_array,
    as_probability_vector,
    check_choice,
    check_int,
    check_key,
    check_positive_float,
)

__all__ = [
    "LabelledData",
    "GenerativeClassifier",
    "LogisticFit",
    "OPTIMIZERS",
    "gaussian_classes",
    "posterior",
    "log_odds",
    "linear_log_odds_coefficients",
    "fit_generative",
    "fit_logistic",
    "accuracy",
]

OPTIMIZERS = ("adam", "sgd")

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
# A covariance is accepted when its smallest eigenvalue exceeds this fraction of its
# largest (condition number <= 1e6): float32 Cholesky factors stay accurate.
_MIN_EIGEN_RATIO = 1e-6


# --------------------------------------------------------------------------- private helpers


def _is_traced(value: Any) -> bool:
    return isinstance(value, jax.core.Tracer)


def _short(array: Any) -> str:
    flat = np.ravel(np.asarray(array, dtype=np.float64))
    parts = [f"{v:.4g}" for v in flat]
    if len(parts) > 6:
        parts = parts[:3] + ["..."] + parts[-2:]
    return "[" + ", ".join(parts) + "]"


def _scalar(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """check_positive_float, also accepting a concrete 0-d JAX array (as a widget may pass)."""
    if isinstance(value, jax.Array) and not _is_traced(value):
        value = np.asarray(value)
    return check_positive_float(name, value, allow_zero=allow_zero)


def _float32(name: str, array: np.ndarray) -> jax.Array:
    """A float32 JAX array from a checked float64 one, refusing values that overflow."""
    single = array.astype(np.float32)
    if not np.all(np.isfinite(single)):
        raise ValueError(f"{name} must fit in float32 (|value| < 3.4e38), got {_short(array)}")
    return jnp.asarray(single)


def _spd_problem(matrix: np.ndarray) -> str | None:
    """Why ``matrix`` (d, d) is not a usable covariance, or None when it is."""
    if not np.allclose(matrix, matrix.T, rtol=1e-6, atol=1e-6 * max(1.0, np.abs(matrix).max())):
        return "is not symmetric"
    eig = np.linalg.eigvalsh(0.5 * (matrix + matrix.T))
    if eig[0] <= 0.0:
        return f"is not positive definite (smallest eigenvalue {eig[0]:.4g})"
    if eig[0] <= _MIN_EIGEN_RATIO * eig[-1]:
        return (f"is too close to singular (eigenvalues {eig[0]:.4g} and {eig[-1]:.4g}; "
                f"expected a ratio above {_MIN_EIGEN_RATIO:g})")
    return None


def _class_parameters(means: Any, covariances: Any,
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
        problem = _spd_problem(cov[j])
        if problem is not None:
            raise ValueError(f"covariances[{j}] must be symmetric positive definite, but it "
                             f"{problem}: {_short(cov[j])}")
    pi = as_probability_vector("priors", priors)
    if pi.shape[0] != k:
        raise ValueError(f"priors must have one entry per class ({k}, the rows of means), "
                         f"got {pi.shape[0]}: {_short(pi)}")
    return mu, 0.5 * (cov + np.swapaxes(cov, 1, 2)), pi


def _points(name: str, value: Any, dim: int | None) -> jax.Array:
    """Data points as float32 ``(n, d)``; a 1-D array is ``n`` points when ``d`` is 1.

    Tracers are accepted with a shape check only (their values cannot be inspected).
    """
    if _is_traced(value):
        x = jnp.asarray(value, jnp.float32)
        if x.ndim == 1 and dim in (None, 1):
            x = x[:, None]
        if x.ndim != 2 or (dim is not None and x.shape[1] != dim):
            raise ValueError(f"{name} must have shape (n, {dim or 'd'}), got {x.shape}")
        return x
    x = as_finite_array(name, value)
    if x.ndim == 1 and dim in (None, 1):
        x = x[:, None]
    expected = f"(n, {dim})" + (" or (n,)" if dim == 1 else "") if dim else "(n, d) or (n,)"
    if x.ndim != 2 or (dim is not None and x.shape[1] != dim) or x.shape[1] == 0:
        raise ValueError(f"{name} must be an array of points of shape {expected}; got shape "
                         f"{x.shape}")
    return _float32(name, x)


def _labels(name: str, value: Any, *, size: int | None = None,
            num_classes: int | None = None) -> np.ndarray:
    """Integer class labels as int64 ``(n,)``, checked against ``size`` and ``num_classes``."""
    if isinstance(value, jax.Array) and not _is_traced(value):
        value = np.asarray(value)
    labels = as_finite_array(name, value, ndim=1)
    if not np.all(labels == np.round(labels)):
        raise ValueError(f"{name} must hold integer class labels, got {_short(labels)}")
    if size is not None and labels.shape[0] != size:
        raise ValueError(f"{name} must have one label per point ({size}), got {labels.shape[0]}")
    if num_classes is not None and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"{name} must hold labels in 0..{num_classes - 1} (num_classes={num_classes}), "
            f"got values from {labels.min():g} to {labels.max():g}")
    return labels.astype(np.int64)


def _safe_log(p: jax.Array) -> jax.Array:
    """log(p) with log(0) = -inf and no NaN in the gradient at p = 0."""
    positive = p > 0
    return jnp.where(positive, jnp.log(jnp.where(positive, p, 1.0)), -jnp.inf)


# --------------------------------------------------------------------------- data


class LabelledData(NamedTuple):
    """Labelled points.

    Attributes:
      x: the points, float32 ``(n, d)``.
      y: their class labels, int32 ``(n,)`` in ``0 .. K-1``.
    """

    x: jax.Array
    y: jax.Array


# --------------------------------------------------------------------------- generative model


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
        if any(_is_traced(v) for v in (means, covariances, priors)):
            leaves = [jnp.asarray(v, jnp.float32) for v in (means, covariances, priors)]
            k, d = leaves[0].shape if leaves[0].ndim == 2 else (-1, -1)
            if leaves[1].shape != (k, d, d) or leaves[2].shape != (k,):
                raise ValueError(
                    "inside traced code means, covariances and priors must have shapes "
                    f"(K, d), (K, d, d) and (K,); got {[leaf.shape for leaf in leaves]}")
        else:
            mu, cov, pi = _class_parameters(means, covariances, priors)
            leaves = [_float32("means", mu), _float32("covariances", cov),
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
        if _is_traced(self.priors):
            return f"GenerativeClassifier(num_classes={self.num_classes}, dim={self.dim})"
        return (f"GenerativeClassifier(num_classes={self.num_classes}, dim={self.dim}, "
                f"priors={_short(self.priors)})")

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
        return (log_density + _safe_log(self.priors)[:, None]).T

    def _sample(self, key: jax.Array, n: int) -> LabelledData:
        label_key, noise_key = jax.random.split(key)
        y = jax.random.categorical(label_key, _safe_log(self.priors), shape=(n,))
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
        return _evaluate_core(self, _points("x", x, self.dim)).log_joint

    def posterior(self, x: ArrayLike) -> jax.Array:
        """:math:`p(C_k \\mid x) = \\mathrm{softmax}_k(a(x))`, float32 ``(n, K)``; rows sum to 1."""
        return _evaluate_core(self, _points("x", x, self.dim)).posterior

    def predict(self, x: ArrayLike) -> jax.Array:
        """The most probable class :math:`\\arg\\max_k p(C_k \\mid x)`, int32 ``(n,)``.

        Ties go to the lowest label.
        """
        return _evaluate_core(self, _points("x", x, self.dim)).predictions

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
        return _evaluate_core(self, _points("x", x, self.dim)).log_marginal

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
# Module level, so that tests and widgets can inspect their compile caches.


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


# --------------------------------------------------------------------------- public: Bayes


def gaussian_classes(key: jax.Array, means: ArrayLike, covariances: ArrayLike,
                     priors: ArrayLike, n: int) -> LabelledData:
    """Sample ``n`` labelled points from ``K`` Gaussian classes.

    Each point first draws its class, :math:`y \\sim \\mathrm{Categorical}(\\pi)`, then
    its position, :math:`x \\mid y \\sim \\mathcal N(\\mu_y, \\Sigma_y)` (computed as
    :math:`\\mu_y + L_y z` with :math:`\\Sigma_y = L_y L_y^\\top` and
    :math:`z \\sim \\mathcal N(0, I)`). The class counts are therefore random, with
    expectations :math:`n \\pi_k`.

    Args:
      key: a JAX random key (``jax.random.key(seed)``); the same key gives the same data.
      means: :math:`\\mu_k`, shape ``(K, d)``; or ``(K,)`` for 1-D data.
      covariances: symmetric positive definite ``(K, d, d)`` or a shared ``(d, d)``;
        for 1-D means, ``K`` variances or one shared variance.
      priors: :math:`\\pi`, a probability vector of length ``K``.
      n: number of points, an int >= 1 (static).

    Returns:
      A :class:`LabelledData`: ``x`` float32 ``(n, d)``, ``y`` int32 ``(n,)``.

    Raises:
      TypeError: ``key`` is not a JAX key, or an argument has the wrong type.
      ValueError: inconsistent shapes, non-finite values, a covariance that is not
        symmetric positive definite, priors that are not a probability vector, ``n < 1``.

    Example:
      >>> data = gaussian_classes(jax.random.key(0), [[0.0, 0.0], [2.0, 1.0]],
      ...                         [[1.0, 0.3], [0.3, 0.5]], [0.3, 0.7], n=5)
      >>> data.x.shape, data.y.shape, data.y.dtype
      ((5, 2), (5,), dtype('int32'))
    """
    key = check_key("key", key, allow_legacy=True)
    model = GenerativeClassifier(means, covariances, priors)
    return model.sample(key, n)


def posterior(x: ArrayLike, means: ArrayLike, covariances: ArrayLike,
              priors: ArrayLike) -> jax.Array:
    """Bayes' rule for Gaussian classes: :math:`p(C_k \\mid x)` in closed form.

    .. math:: p(C_k \\mid x) = \\frac{\\exp a_k}{\\sum_j \\exp a_j}, \\qquad
              a_k = \\ln \\mathcal N(x; \\mu_k, \\Sigma_k) + \\ln \\pi_k,

    evaluated as :math:`\\exp(a_k - \\mathrm{logsumexp}_j a_j)` so that points far from
    every mean (where each :math:`p(x \\mid C_k)` underflows) still get a posterior.

    Args:
      x: points, ``(n, d)``, or ``(n,)`` for 1-D data.
      means, covariances, priors: the classes, as in :func:`gaussian_classes`.

    Returns:
      float32 ``(n, K)``; each row is a probability vector.

    Example:
      >>> np.asarray(posterior([[0.0], [10.0]], [[-1.0], [1.0]], [[1.0]], [0.5, 0.5]), float
      ...            ).round(4).tolist()
      [[0.5, 0.5], [0.0, 1.0]]
    """
    return GenerativeClassifier(means, covariances, priors).posterior(x)


def log_odds(x: ArrayLike, means: ArrayLike, covariances: ArrayLike,
             priors: ArrayLike) -> jax.Array:
    """The log-odds of two Gaussian classes: class 1 against class 0.

    .. math:: a(x) = \\ln \\frac{p(x \\mid y{=}1)\\, \\pi_1}{p(x \\mid y{=}0)\\, \\pi_0},
              \\qquad p(y{=}1 \\mid x) = \\sigma(a(x)) = \\frac{1}{1 + e^{-a(x)}}.

    In Bishop's notation :math:`C_1` is the class labelled 1 and :math:`C_2` the one
    labelled 0. The sign of :math:`a` decides the Bayes classification; with a
    shared covariance :math:`a` is linear in :math:`x`
    (:func:`linear_log_odds_coefficients`), otherwise quadratic.

    Args:
      x: points, ``(n, d)``, or ``(n,)`` for 1-D data.
      means, covariances, priors: two classes (``K = 2``), as in :func:`gaussian_classes`.

    Returns:
      float32 ``(n,)``.

    Example:
      >>> np.asarray(log_odds([0.0, 0.5], [-1.0, 1.0], 1.0, [0.5, 0.5]), float).round(5)
      array([0., 1.])
    """
    model = GenerativeClassifier(means, covariances, priors)
    if model.num_classes != 2:
        raise ValueError(f"means must describe exactly 2 classes for log_odds, got "
                         f"{model.num_classes}: use posterior for K classes")
    return model.log_odds(x)


def linear_log_odds_coefficients(mean1: ArrayLike, mean2: ArrayLike, cov: ArrayLike,
                                 prior1: float, prior2: float) -> tuple[jax.Array, jax.Array]:
    """The linear log-odds of two Gaussian classes with a shared covariance.

    For :math:`p(x \\mid C_i) = \\mathcal N(x; \\mu_i, \\Sigma)` the log-odds
    :math:`a(x) = \\ln [p(x \\mid C_1) \\pi_1 / (p(x \\mid C_2) \\pi_2)]` is exactly
    :math:`w^\\top x + b` with

    .. math:: w = \\Sigma^{-1}(\\mu_1 - \\mu_2), \\qquad
              b = -\\tfrac12 \\mu_1^\\top \\Sigma^{-1} \\mu_1
              + \\tfrac12 \\mu_2^\\top \\Sigma^{-1} \\mu_2 + \\ln\\frac{\\pi_1}{\\pi_2},

    so :math:`p(C_1 \\mid x) = \\sigma(w^\\top x + b)`: the model family of logistic
    regression. Computed in float64, returned as float32.

    To match :func:`log_odds` and :func:`fit_logistic` (class 1 against class 0), pass
    the class labelled 1 first: ``linear_log_odds_coefficients(means[1], means[0],
    cov, priors[1], priors[0])``.

    Args:
      mean1: :math:`\\mu_1`, shape ``(d,)`` (a scalar for 1-D data).
      mean2: :math:`\\mu_2`, shape ``(d,)``.
      cov: :math:`\\Sigma`, symmetric positive definite ``(d, d)`` (a scalar variance
        for 1-D data).
      prior1: :math:`\\pi_1 > 0`.
      prior2: :math:`\\pi_2 > 0`, with :math:`\\pi_1 + \\pi_2 = 1`.

    Returns:
      ``(w, b)``: float32 ``(d,)`` and a float32 scalar.

    Example:
      >>> w, b = linear_log_odds_coefficients([1.0, 0.0], [-1.0, 0.0], [[1.0, 0.0], [0.0, 4.0]],
      ...                                     0.5, 0.5)
      >>> w.tolist(), float(b)
      ([2.0, 0.0], 0.0)
    """
    mu1 = np.atleast_1d(as_finite_array("mean1", mean1))
    mu2 = np.atleast_1d(as_finite_array("mean2", mean2))
    if mu1.ndim != 1:
        raise ValueError(f"mean1 must be a vector of shape (d,), got shape {mu1.shape}")
    if mu2.shape != mu1.shape:
        raise ValueError(f"mean2 must have the shape of mean1 {mu1.shape}, got {mu2.shape}")
    d = mu1.shape[0]
    sigma = as_finite_array("cov", cov)
    if sigma.ndim == 0 and d == 1:
        sigma = sigma.reshape(1, 1)
    if sigma.shape != (d, d):
        raise ValueError(f"cov must be a ({d}, {d}) matrix to match the means, got shape "
                         f"{sigma.shape}")
    problem = _spd_problem(sigma)
    if problem is not None:
        raise ValueError(f"cov must be symmetric positive definite, but it {problem}: "
                         f"{_short(sigma)}")
    p1, p2 = _scalar("prior1", prior1), _scalar("prior2", prior2)
    if abs(p1 + p2 - 1.0) > 1e-6:
        raise ValueError(f"prior1 and prior2 must sum to 1, got {p1!r} + {p2!r} = {p1 + p2:.6g}")
    sigma = 0.5 * (sigma + sigma.T)
    s1, s2 = np.linalg.solve(sigma, mu1), np.linalg.solve(sigma, mu2)
    w = s1 - s2
    b = -0.5 * mu1 @ s1 + 0.5 * mu2 @ s2 + math.log(p1 / p2)
    return _float32("w", w), _float32("b", np.asarray(b))


# --------------------------------------------------------------------------- public: fitting


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
    points = _points("x", x, None)
    num_classes = check_int("num_classes", num_classes, minimum=2)
    labels = _labels("y", y, size=points.shape[0], num_classes=num_classes)
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
        problem = _spd_problem(cov64[k])
        if problem is not None:
            who = "the pooled covariance" if shared_covariance else f"the covariance of class {k}"
            raise ValueError(
                f"x gives a singular fit: {who} {problem}; class counts {counts.tolist()} in "
                f"d = {points.shape[1]} dimensions (each covariance needs points spread in "
                "every direction)")
    return GenerativeClassifier.tree_unflatten(None, (means, covariances, priors))


class LogisticFit(NamedTuple):
    """A trained logistic regression (:func:`fit_logistic`).

    Two classes: :math:`p(y{=}1 \\mid x) = \\sigma(w^\\top x + b)` with ``w`` of shape
    ``(d,)`` and a scalar ``b``. :math:`K > 2` classes:
    :math:`p(y{=}k \\mid x) = \\mathrm{softmax}(W^\\top x + b)_k` with ``w`` of shape
    ``(d, K)`` and ``b`` of shape ``(K,)``.

    Attributes:
      w: the weights, float32.
      b: the bias, float32.
      losses: the training loss after each update, float32 ``(steps,)``; the last
        entry is the loss at the returned ``w`` and ``b``.
    """

    w: jax.Array
    b: jax.Array
    losses: jax.Array

    @property
    def num_classes(self) -> int:
        """:math:`K`: 2 for the sigmoid model, else the number of softmax outputs."""
        return 2 if self.w.ndim == 1 else self.w.shape[1]

    def logits(self, x: ArrayLike) -> jax.Array:
        """The linear logits: the log-odds :math:`w^\\top x + b`, ``(n,)``, for two classes;
        :math:`W^\\top x + b`, ``(n, K)``, for more."""
        return _logistic_evaluate_core(self.w, self.b, _points("x", x, self.w.shape[0]))[0]

    def posterior(self, x: ArrayLike) -> jax.Array:
        """:math:`p(y{=}k \\mid x)`, float32 ``(n, K)`` (also ``(n, 2)`` for two classes)."""
        return _logistic_evaluate_core(self.w, self.b, _points("x", x, self.w.shape[0]))[1]

    def predict(self, x: ArrayLike) -> jax.Array:
        """The most probable class, int32 ``(n,)``; ties go to the lowest label."""
        return _logistic_evaluate_core(self.w, self.b, _points("x", x, self.w.shape[0]))[2]


def _linear_logits(w: jax.Array, b: jax.Array, x: jax.Array) -> jax.Array:
    return x @ w + b


def _logistic_log_posterior(w: jax.Array, b: jax.Array, x: jax.Array) -> jax.Array:
    a = _linear_logits(w, b, x)
    if w.ndim == 1:  # two classes: log sigma(-a), log sigma(a)
        return jnp.stack([jax.nn.log_sigmoid(-a), jax.nn.log_sigmoid(a)], axis=1)
    return jax.nn.log_softmax(a, axis=1)


def _cross_entropy(params: tuple[jax.Array, jax.Array], x: jax.Array, y: jax.Array,
                   l2: jax.Array) -> jax.Array:
    """Mean negative log-likelihood plus :math:`\\tfrac{l_2}{2} \\|w\\|^2` (bias not penalised)."""
    w, b = params
    log_post = _logistic_log_posterior(w, b, x)
    nll = -jnp.mean(jnp.take_along_axis(log_post, y[:, None], axis=1))
    return nll + 0.5 * l2 * jnp.sum(w * w)


def _fit_logistic(x: jax.Array, y: jax.Array, learning_rate: jax.Array, l2: jax.Array, *,
                  num_classes: int, steps: int,
                  optimizer: str) -> tuple[jax.Array, jax.Array, jax.Array]:
    d = x.shape[1]
    shape = (d,) if num_classes == 2 else (d, num_classes)
    params = (jnp.zeros(shape, x.dtype), jnp.zeros(shape[1:], x.dtype))
    opt = optax.adam(learning_rate) if optimizer == "adam" else optax.sgd(learning_rate)
    loss_and_grad = jax.value_and_grad(_cross_entropy)

    def step(carry, _):
        params, opt_state = carry
        loss, grads = loss_and_grad(params, x, y, l2)
        updates, opt_state = opt.update(grads, opt_state, params)
        return (optax.apply_updates(params, updates), opt_state), loss

    (final, _), before = jax.lax.scan(step, (params, opt.init(params)), length=steps)
    # before[t] is the loss after t updates; report the loss after each update instead,
    # so that the last entry belongs to the returned parameters.
    losses = jnp.append(before[1:], _cross_entropy(final, x, y, l2))
    return final[0], final[1], losses


def _logistic_evaluate(w: jax.Array, b: jax.Array,
                       x: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Logits, posterior and predictions from one pass (one compilation per shape)."""
    logits = _linear_logits(w, b, x)
    log_post = _logistic_log_posterior(w, b, x)
    # Two classes: class 1 exactly where the log-odds is positive.
    predictions = logits > 0 if w.ndim == 1 else jnp.argmax(log_post, axis=1)
    return logits, jnp.exp(log_post), predictions.astype(jnp.int32)


_logistic_evaluate_core = jax.jit(_logistic_evaluate)
_fit_logistic_core = jax.jit(_fit_logistic,
                             static_argnames=("num_classes", "steps", "optimizer"))


def fit_logistic(x: ArrayLike, y: ArrayLike, *, num_classes: int = 2, steps: int = 2000,
                 learning_rate: float = 0.1, l2: float = 0.0,
                 optimizer: str = "adam") -> LogisticFit:
    """Logistic regression trained by full-batch gradient descent with optax.

    Two classes: :math:`p(y{=}1 \\mid x) = \\sigma(w^\\top x + b)`, and the loss is the
    mean cross-entropy (negative log-likelihood of the labels)

    .. math:: L(w, b) = -\\frac1n \\sum_i \\big[ y_i \\ln \\sigma(a_i)
              + (1 - y_i) \\ln \\sigma(-a_i) \\big] + \\frac{l_2}{2} \\|w\\|^2,
              \\qquad a_i = w^\\top x_i + b,

    written with ``jax.nn.log_sigmoid`` so it stays finite for logits of any size.
    :math:`K > 2` classes: a softmax of :math:`W^\\top x + b` and
    :math:`-\\frac1n \\sum_i \\ln \\mathrm{softmax}(a_i)_{y_i}` (``jax.nn.log_softmax``).
    Both losses are convex; the parameters start at zero (where the loss is
    :math:`\\ln K`) and take ``steps`` updates, all inside one jitted ``jax.lax.scan``.

    Without ``l2`` the minimiser does not exist when the classes can be separated
    by a hyperplane: :math:`\\|w\\|` then grows for ever and the posterior hardens
    to 0 and 1 (Bishop 2006, section 4.3.2). A small ``l2 > 0`` restores a unique
    minimum. Features of very different scales slow the descent; standardise them
    first if that happens.

    Args:
      x: points, ``(n, d)``, or ``(n,)`` for 1-D data (traced).
      y: labels in ``0 .. num_classes-1``, ``(n,)`` (traced).
      num_classes: :math:`K`, an int >= 2 (static); 2 gives the sigmoid model.
      steps: number of updates, an int >= 1 (static).
      learning_rate: the optimiser's step size, a finite float > 0 (traced: new
        values do not recompile).
      l2: weight decay on ``w``, a finite float >= 0 (traced).
      optimizer: ``"adam"`` (default) or ``"sgd"`` (plain gradient descent) (static).

    Returns:
      A :class:`LogisticFit` with ``w``, ``b`` and the loss after each update.

    Raises:
      TypeError: arguments of the wrong type.
      ValueError: bad shapes, non-finite values, labels out of range, ``steps < 1``,
        a learning rate that is not a finite positive number, a negative ``l2``, an
        unknown optimizer.

    Example:
      >>> fit = fit_logistic([-2.0, -1.0, 0.5, -0.5, 1.0, 2.0], [0, 0, 0, 1, 1, 1], steps=500)
      >>> fit.w.shape, fit.b.shape, fit.losses.shape
      ((1,), (), (500,))
      >>> fit.predict([-3.0, 3.0]).tolist()
      [0, 1]
      >>> bool(fit.losses[-1] < fit.losses[0])
      True
    """
    points = _points("x", x, None)
    num_classes = check_int("num_classes", num_classes, minimum=2)
    labels = _labels("y", y, size=points.shape[0], num_classes=num_classes)
    steps = check_int("steps", steps, minimum=1)
    rate = _scalar("learning_rate", learning_rate)
    decay = _scalar("l2", l2, allow_zero=True)
    optimizer = check_choice("optimizer", optimizer, OPTIMIZERS)
    w, b, losses = _fit_logistic_core(
        points, jnp.asarray(labels, jnp.int32), jnp.asarray(rate, jnp.float32),
        jnp.asarray(decay, jnp.float32), num_classes=num_classes, steps=steps,
        optimizer=optimizer)
    return LogisticFit(w, b, losses)


def accuracy(predictions: ArrayLike, y: ArrayLike) -> float:
    """The fraction of predictions equal to the labels, :math:`\\frac1n \\sum_i [\\hat y_i = y_i]`.

    Args:
      predictions: predicted labels, integers, shape ``(n,)``.
      y: true labels, integers, shape ``(n,)``.

    Returns:
      A Python float in ``[0, 1]``.

    Example:
      >>> accuracy([0, 1, 1, 2], [0, 1, 2, 2])
      0.75
    """
    guessed = _labels("predictions", predictions)
    truth = _labels("y", y, size=guessed.shape[0])
    return float(np.mean(guessed == truth))
