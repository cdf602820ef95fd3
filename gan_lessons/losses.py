"""GAN losses written on discriminator logits.

The discriminator outputs a logit l(x) and :math:`D(x) = \\sigma(l(x))`, the probability
it assigns to "x is real". Every loss here is written with

.. math::

    \\log D(x) = \\log \\sigma(l), \\qquad \\log(1 - D(x)) = \\log \\sigma(-l),

computed by ``jax.nn.log_sigmoid``, which stays finite (with finite gradients) for logits
as large as :math:`\\pm 10^4`, where ``log(sigmoid(l))`` would return ``-inf``.

The GAN game of Goodfellow et al. (2014) is :math:`\\min_G \\max_D V(D, G)` with

.. math::

    V(D, G) = \\mathbb{E}_{x \\sim p_{data}}[\\log D(x)]
            + \\mathbb{E}_{z \\sim p_z}[\\log(1 - D(G(z)))],

estimated on a batch by :func:`value_function`. The discriminator minimises
:func:`discriminator_loss` :math:`= -V`; the generator minimises :func:`generator_loss`,
either the *saturating* loss of the minimax game, :math:`\\mathbb{E}[\\log(1 - D(G(z)))]`,
or the *non-saturating* heuristic :math:`-\\mathbb{E}[\\log D(G(z))]` that the same paper
recommends because its gradient does not vanish when D confidently rejects the fakes.

References:
  Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Sections 3 and 4.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from gan_lessons._validate import check_choice

__all__ = [
    "GENERATOR_LOSSES",
    "discriminator_loss",
    "generator_loss",
    "value_function",
]

GENERATOR_LOSSES = ("non_saturating", "saturating")
"""The names accepted by :func:`generator_loss`."""


def value_function(real_logits: ArrayLike, fake_logits: ArrayLike) -> jax.Array:
    """The batch estimate of the GAN value V(D, G).

    .. math::

        \\hat V = \\frac{1}{n}\\sum_i \\log \\sigma(l(x_i))
                + \\frac{1}{m}\\sum_j \\log \\sigma(-l(G(z_j))).

    :math:`\\hat V \\le 0`; it equals :math:`-2 \\ln 2` when D outputs 1/2 everywhere.

    Args:
      real_logits: the discriminator's logits on real samples, any shape.
      fake_logits: its logits on generated samples, any shape.

    Returns:
      A scalar.

    Example::

        >>> float(value_function(jnp.zeros(3), jnp.zeros(3)))  # -2 ln 2
        -1.386...
    """
    real_logits = jnp.asarray(real_logits)
    fake_logits = jnp.asarray(fake_logits)
    return jnp.mean(jax.nn.log_sigmoid(real_logits)) + jnp.mean(jax.nn.log_sigmoid(-fake_logits))


def discriminator_loss(real_logits: ArrayLike, fake_logits: ArrayLike) -> jax.Array:
    """The discriminator's loss, :math:`-\\hat V`: binary cross-entropy with labels 1 and 0.

    .. math::

        L_D = -\\frac{1}{n}\\sum_i \\log D(x_i) - \\frac{1}{m}\\sum_j \\log(1 - D(G(z_j)))

    with :math:`\\log D = \\log\\sigma(l)` and :math:`\\log(1 - D) = \\log\\sigma(-l)`. It is the
    sum of the mean cross-entropies of the real batch (label 1) and the fake batch (label 0).

    Args:
      real_logits: logits on real samples, any shape.
      fake_logits: logits on generated samples, any shape.

    Returns:
      A scalar, >= 0; :math:`2 \\ln 2` when all logits are 0.
    """
    return -value_function(real_logits, fake_logits)


def generator_loss(fake_logits: ArrayLike, kind: str = "non_saturating") -> jax.Array:
    """The generator's loss, to be minimised over G.

    .. math::

        \\text{saturating:}\\quad L_G = \\frac{1}{m}\\sum_j \\log(1 - D(G(z_j)))
                                     = \\frac{1}{m}\\sum_j \\log\\sigma(-l_j),

        \\text{non-saturating:}\\quad L_G = -\\frac{1}{m}\\sum_j \\log D(G(z_j))
                                         = -\\frac{1}{m}\\sum_j \\log\\sigma(l_j).

    Per sample, the derivatives with respect to the logit are :math:`-\\sigma(l)` (saturating)
    and :math:`-(1 - \\sigma(l))` (non-saturating). When D rejects a fake confidently
    (:math:`l \\to -\\infty`, :math:`D \\to 0`) the first vanishes and the second tends to -1:
    this is why the non-saturating loss learns early in training.

    Args:
      fake_logits: the discriminator's logits on generated samples, any shape.
      kind: ``"non_saturating"`` (default) or ``"saturating"``.

    Returns:
      A scalar. At logit 0 both losses have magnitude ln 2 (saturating: -ln 2,
      non-saturating: +ln 2).

    Raises:
      ValueError: if ``kind`` is not one of :data:`GENERATOR_LOSSES`.
    """
    kind = check_choice("kind", kind, GENERATOR_LOSSES)
    fake_logits = jnp.asarray(fake_logits)
    if kind == "saturating":
        return jnp.mean(jax.nn.log_sigmoid(-fake_logits))
    return -jnp.mean(jax.nn.log_sigmoid(fake_logits))
