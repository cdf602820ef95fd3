"""Discriminative classifiers: logistic and softmax regression, trained with optax.

Model :math:`p(C \\mid x)` directly and nothing else. Logistic regression takes the
family that Gaussian classes with a shared covariance produce,
:math:`p(C_1 \\mid x) = \\sigma(w^\\top x + b)` (a softmax of linear logits for
:math:`K > 2`), and fits :math:`w, b` by minimising the cross-entropy
(:func:`fit_logistic`, gradient descent with optax). It has far fewer parameters
(:math:`d + 1` against :math:`d(d+5)/2 + 1` for two Gaussian classes with a shared
covariance) and makes no assumption about how :math:`x` is distributed, but it knows
nothing about :math:`p(x)` and cannot generate data.

For two classes the positive class is the one labelled ``1``: :func:`fit_logistic`
models :math:`p(y{=}1 \\mid x)`, as a GAN discriminator models
:math:`D(x) = p(\\text{real} \\mid x)` with real samples labelled 1.

Data values, the learning rate and ``l2`` are traced; shapes, ``num_classes``,
``steps`` and ``optimizer`` are static.

References:
  Bishop, *Pattern Recognition and Machine Learning* (2006), section 4.3
  (probabilistic discriminative models, logistic regression and its multiclass form).
  Ng and Jordan, "On discriminative vs. generative classifiers: a comparison of
  logistic regression and naive Bayes", NIPS 14 (2001).
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.typing import ArrayLike

from gan_lessons._validate import check_choice, check_int, check_positive_float
from gan_lessons.classifiers._common import as_labels, as_points

__all__ = ["OPTIMIZERS", "LogisticFit", "fit_logistic", "accuracy"]

OPTIMIZERS = ("adam", "sgd")


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
        return _logistic_evaluate_core(self.w, self.b, as_points("x", x, self.w.shape[0]))[0]

    def posterior(self, x: ArrayLike) -> jax.Array:
        """:math:`p(y{=}k \\mid x)`, float32 ``(n, K)`` (also ``(n, 2)`` for two classes)."""
        return _logistic_evaluate_core(self.w, self.b, as_points("x", x, self.w.shape[0]))[1]

    def predict(self, x: ArrayLike) -> jax.Array:
        """The most probable class, int32 ``(n,)``; ties go to the lowest label."""
        return _logistic_evaluate_core(self.w, self.b, as_points("x", x, self.w.shape[0]))[2]


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
    points = as_points("x", x, None)
    num_classes = check_int("num_classes", num_classes, minimum=2)
    labels = as_labels("y", y, size=points.shape[0], num_classes=num_classes)
    steps = check_int("steps", steps, minimum=1)
    rate = check_positive_float("learning_rate", learning_rate)
    decay = check_positive_float("l2", l2, allow_zero=True)
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
    guessed = as_labels("predictions", predictions)
    truth = as_labels("y", y, size=guessed.shape[0])
    return float(np.mean(guessed == truth))
