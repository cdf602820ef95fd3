"""Game dynamics: gradient methods on the bilinear game and on the Dirac-GAN.

Two small games show why GAN training circles instead of converging.

**The bilinear game** :math:`\\min_a \\max_b\\, v(a, b) = ab`
(:mod:`~gan_lessons.dynamics.bilinear`). Player ``a`` descends, player ``b``
ascends, so the vector field of the game is
:math:`F(a, b) = (-\\partial_a v, \\partial_b v) = (-b, a)`, a rotation. The flow
:math:`\\dot z = F(z)` circles the origin at a constant radius
(:func:`bilinear_flow`); the discrete methods of :func:`bilinear_trajectory`
spiral out, cycle or converge, with the per-step factors of
:func:`radius_factor` and the spectral radii of :func:`spectral_radius`.

**The Dirac-GAN** of Mescheder, Geiger and Nowozin (2018)
(:mod:`~gan_lessons.dynamics.dirac`): data :math:`\\delta_0`, generator
:math:`\\delta_\\theta`, discriminator :math:`D(x) = \\psi x`. In the paper's
convention the objective is

.. math:: L(\\theta, \\psi) = f(\\psi\\theta) + f(0),

maximised by the discriminator (in :math:`\\psi`) and minimised by the generator
(in :math:`\\theta`), with :math:`f(t) = -\\log(1 + e^{-t})` for the GAN. Its
field is :math:`v = (-\\psi f'(\\psi\\theta),\\ \\theta f'(\\psi\\theta))` and the
Jacobian at the equilibrium :math:`(0, 0)` has eigenvalues :math:`\\pm i f'(0)`.

**The gradient methods** (:mod:`~gan_lessons.dynamics.integrators`):
simultaneous and alternating steps, extragradient, optimistic and consensus
steps, written once for any 2-D field, and classical Runge-Kutta for the flow.

Every iteration runs in a module-level jitted ``lax.scan`` core with the step
count and the method/loss/regulariser names static and every number traced, so
moving a slider never recompiles. Iterates never become NaN or infinite: once a
step leaves the disc of radius :data:`DIVERGENCE_RADIUS` (or overflows) the run
is frozen and marked, and :func:`diverged` reports where.

References:
  Mescheder, Geiger, Nowozin, "Which Training Methods for GANs do actually
  Converge?", ICML 2018. Mescheder, Nowozin, Geiger, "The Numerics of GANs",
  NeurIPS 2017 (consensus optimisation). Korpelevich 1976 (extragradient).
  Daskalakis et al., "Training GANs with Optimism", ICLR 2018.
"""

from gan_lessons.dynamics.bilinear import (
    BILINEAR_METHODS,
    RADIUS_FACTOR_METHODS,
    alternating_invariant,
    bilinear_flow,
    bilinear_trajectory,
    radius_factor,
    spectral_radius,
)
from gan_lessons.dynamics.dirac import (
    DIRAC_LOSSES,
    DIRAC_METHODS,
    DIRAC_REGULARISERS,
    dirac_eigenvalues,
    dirac_flow,
    dirac_jacobian,
    dirac_spectral_radius,
    dirac_trajectory,
    dirac_vector_field,
)
from gan_lessons.dynamics.integrators import (
    DIVERGENCE_RADIUS,
    METHODS,
    alternating_step,
    consensus_step,
    diverged,
    extragradient_step,
    guarded_scan,
    iterate,
    optimistic_step,
    rk4,
    simultaneous_step,
)
__all__ = [
    "BILINEAR_METHODS", "DIRAC_LOSSES", "DIRAC_METHODS", "DIRAC_REGULARISERS",
    "DIVERGENCE_RADIUS", "RADIUS_FACTOR_METHODS",
    "bilinear_trajectory", "bilinear_flow", "radius_factor", "alternating_invariant",
    "spectral_radius", "diverged",
    "dirac_vector_field", "dirac_trajectory", "dirac_flow", "dirac_jacobian",
    "dirac_eigenvalues", "dirac_spectral_radius",
    "METHODS", "simultaneous_step", "alternating_step", "extragradient_step", "optimistic_step",
    "consensus_step", "guarded_scan", "iterate", "rk4",
]
