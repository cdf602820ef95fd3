"""Checks for the exercises of lesson 06 ("Game dynamics: why GAN training circles")."""

from __future__ import annotations

import math

from gan_lessons.exercises.feedback import Feedback, as_number, correct, is_unanswered, unanswered, wrong

__all__ = ["check_radius_factor", "check_doubling_steps", "check_r1_eigenvalue",
           "check_optimistic_threshold"]


# Exercise 1: simultaneous steps multiply (a, b) by [[1, -eta], [eta, 1]], a rotation scaled by
# sqrt(1 + eta^2): for eta = 0.1 the radius grows by sqrt(1.01) = 1.004988 per step.
def check_radius_factor(factor) -> Feedback:
    """Exercise 1: the per-step radius factor of simultaneous steps with eta = 0.1."""
    if is_unanswered(factor):
        return unanswered("a number")
    factor = as_number(factor)
    if factor is None:
        return wrong("the factor is a number.")
    if abs(factor - math.sqrt(1.01)) < 1e-5:
        return correct("sqrt(1 + eta^2) = sqrt(1.01) = 1.00499: a little more than 1, every step.")
    if abs(factor - 1.01) < 1e-5:
        return wrong("1.01 is the factor of the SQUARED radius: |z_{t+1}|^2 = (1 + eta^2) |z_t|^2.")
    if abs(factor - 1.0) < 1e-5:
        return wrong("the continuous flow keeps the radius; a discrete simultaneous step overshoots "
                     "along the tangent and moves outward.")
    return wrong("compute |(a - eta b, b + eta a)|^2 / |(a, b)|^2.")


# Exercise 2: sqrt(1.01)^n >= 2  <=>  n >= 2 ln 2 / ln 1.01 = 139.3, so 140 steps.
_DOUBLING = 2 * math.log(2) / math.log(1.01)


def check_doubling_steps(steps) -> Feedback:
    """Exercise 2: the number of simultaneous steps (eta = 0.1) after which the radius has doubled."""
    if is_unanswered(steps):
        return unanswered("a whole number of steps")
    steps = as_number(steps)
    if steps is None:
        return wrong("a number of steps is a number.")
    if steps == math.ceil(_DOUBLING):
        return correct(f"sqrt(1.01)^n >= 2 first holds at n = {math.ceil(_DOUBLING)} "
                       f"(2 ln 2 / ln 1.01 = {_DOUBLING:.1f}).")
    if abs(steps - _DOUBLING) < 0.5:
        return wrong("round UP: after 139 steps the radius is still a little short of double.")
    if abs(steps - math.log(2) / math.log(1.01)) < 1:
        return wrong("the per-step factor is sqrt(1.01), not 1.01: twice as many steps are needed.")
    return wrong("solve sqrt(1.01)^n = 2 for n and round up.")


# Exercise 3: R1 with gamma = 2, f'(0) = 1/2: -gamma/2 +- sqrt(gamma^2/4 - f'(0)^2) = -1 +- sqrt(0.75).
_R1 = -1.0 + math.sqrt(0.75)


def check_r1_eigenvalue(eigenvalue) -> Feedback:
    """Exercise 3: the eigenvalue with the larger real part, GAN loss with R1 (gamma = 2)."""
    if is_unanswered(eigenvalue):
        return unanswered("a number")
    value = as_number(eigenvalue)
    if value is None:
        return wrong("with gamma = 2 both eigenvalues are real: give a real number.")
    if abs(value - _R1) < 1e-3:
        return correct(f"-1 + sqrt(0.75) = {_R1:.4f} < 0: both eigenvalues are negative, so the "
                       "regularised dynamics converge.")
    if abs(value - (-1.0 - math.sqrt(0.75))) < 1e-3:
        return wrong("that is the other eigenvalue, with the smaller real part.")
    if abs(value - (-1.0 + 0.75)) < 1e-3:
        return wrong("take the square root: sqrt(gamma^2/4 - f'(0)^2) = sqrt(0.75).")
    if abs(value - (-1.0 + math.sqrt(1 - 1))) < 1e-3 or abs(value) < 1e-3:
        return wrong("f'(0) = 1/2 for the GAN loss f(t) = -ln(1 + e^-t), so f'(0)^2 = 1/4.")
    return wrong("use -gamma/2 + sqrt(gamma^2/4 - f'(0)^2) with gamma = 2 and f'(0) = 1/2.")


def check_optimistic_threshold(eta) -> Feedback:
    """Exercise 4: the largest step size for which optimistic steps converge on v = ab."""
    if is_unanswered(eta):
        return unanswered("a number")
    eta = as_number(eta)
    if eta is None:
        return wrong("a step size is a number.")
    if abs(eta - 1 / math.sqrt(3)) < 2e-3:
        return correct("1/sqrt(3) = 0.577: below it the spectral radius of the optimistic step is < 1.")
    if abs(eta - 1.0) < 2e-3:
        return wrong("eta < 1 is extragradient's condition; optimism's is stricter.")
    return wrong("find where the spectral radius of the optimistic step (the explorer shows it) "
                 "crosses 1.")
