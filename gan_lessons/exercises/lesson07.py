"""Checks for the exercises of lesson 07 ("Training a GAN")."""

from __future__ import annotations

import math

from gan_lessons.exercises.feedback import Feedback, correct, read_number, wrong

__all__ = ["check_loss_at_half", "check_saturating_gradient", "check_high_quality_fraction",
           "check_reverse_kl"]


def _near(value: float, target: float, tol: float = 2e-3) -> bool:
    return abs(value - target) <= tol * max(1.0, abs(target))


# Exercise 1: -ln(1/2) - ln(1 - 1/2) = 2 ln 2 = 1.3863 nats.
def check_loss_at_half(answer) -> Feedback:
    """Exercise 1: the discriminator's loss when D = 1/2 everywhere."""
    value = read_number(answer, "a number of nats")
    if isinstance(value, Feedback):
        return value
    if _near(value, 2 * math.log(2)):
        return correct("2 ln 2 = 1.386 nats: -V at the equilibrium, where V = -ln 4.")
    if _near(value, -2 * math.log(2)):
        return wrong("that is V itself; the loss is its negative, -V = 2 ln 2.")
    if _near(value, math.log(2)):
        return wrong("the loss has two terms, one for the data and one for the fakes; each is ln 2.")
    if _near(value, 2.0):
        return wrong("2 bits: the course measures in nats (natural logarithm). Multiply by ln 2.")
    if _near(value, 1.0):
        return wrong("in bits each term is 1, but in nats each term is ln 2 = 0.693.")
    return wrong("put D = 1/2 in -ln D(x) - ln(1 - D(G(z))).")


# Exercise 2: d/dl ln(1 - sigmoid(l)) = -sigmoid(l) = -D = -0.05.
def check_saturating_gradient(answer) -> Feedback:
    """Exercise 2: d/dl of ln(1 - D) at D = sigmoid(l) = 0.05."""
    value = read_number(answer)
    if isinstance(value, Feedback):
        return value
    if _near(value, -0.05):
        return correct("-D = -0.05: the gradient fades as the discriminator wins. The "
                       "non-saturating loss would give -(1 - D) = -0.95.")
    if _near(value, 0.05):
        return wrong("mind the sign: ln(1 - sigmoid(l)) decreases as the logit l grows.")
    if _near(value, -0.95) or _near(value, 0.95):
        return wrong("that is the non-saturating loss -ln D, whose derivative is -(1 - D). "
                     "The saturating one is ln(1 - D).")
    if _near(value, -0.0475) or _near(value, 0.0475):
        return wrong("0.05 * 0.95 is sigmoid'(l) = D(1 - D); the chain rule also divides by 1 - D.")
    if _near(value, -1 / 0.95) or _near(value, -0.05 / 0.95):
        return wrong("that is the derivative with respect to D, not to the logit l; multiply by "
                     "dD/dl = D(1 - D).")
    return wrong("differentiate ln(1 - sigmoid(l)) with respect to l: sigmoid' = sigmoid (1 - sigmoid).")


# Exercise 3: a 2-D Gaussian sample has |x - mu|^2 / sigma^2 ~ chi^2_2, P(chi^2_2 <= 9) = 1 - e^-4.5.
_HQ = 1 - math.exp(-4.5)


def check_high_quality_fraction(answer) -> Feedback:
    """Exercise 3: the high-quality fraction of perfect 2-D Gaussian samples (3-std radius)."""
    value = read_number(answer, "a fraction between 0 and 1")
    if isinstance(value, Feedback):
        return value
    if 1 < value <= 100 and _near(value / 100, _HQ, 1e-3):
        return wrong("that is a percentage; give the fraction (between 0 and 1).")
    if _near(value, _HQ, 1e-3):
        return correct(f"1 - exp(-9/2) = {_HQ:.4f}: the squared distance over sigma^2 is chi-squared "
                       "with 2 degrees of freedom.")
    if _near(value, 0.9973, 1e-3):
        return wrong("0.9973 is the 3-sigma rule in ONE dimension; in 2-D the radius is "
                     "chi-distributed with 2 degrees of freedom.")
    if _near(value, 0.9973 ** 2, 1e-3):
        return wrong("a square of side 6 sigma is not a disc of radius 3 sigma: use "
                     "P(chi^2_2 <= 9) = 1 - exp(-9/2).")
    if _near(value, 1.0, 1e-4):
        return wrong("even perfect samples sometimes fall more than 3 std from their mean.")
    return wrong("for a 2-D Gaussian, P(|x - mu| <= r sigma) = 1 - exp(-r^2 / 2); take r = 3.")


# Exercise 4: q = 1/4 on 4 of 8 modes: KL(q || u) = sum q ln(q / (1/8)) = ln 2.
def check_reverse_kl(answer) -> Feedback:
    """Exercise 4: reverse KL of the protocol when good samples cover 4 of 8 modes evenly."""
    value = read_number(answer, "a number of nats")
    if isinstance(value, Feedback):
        return value
    if _near(value, math.log(2)):
        return correct("ln(8/4) = ln 2 = 0.693: in general ln(K / covered) for an even spread.")
    if _near(value, math.log(4)):
        return wrong("ln 4 is the entropy of q; the protocol's KL compares q with the uniform over "
                     "all 8 modes: sum q ln(q / (1/8)).")
    if _near(value, math.log(8)):
        return wrong("ln 8 is the value for a generator on ONE mode; here 4 modes are covered.")
    if _near(value, 1.0):
        return wrong("1 is log base 2 of 2 (bits); the course uses nats: ln 2.")
    if value < 0:
        return wrong("a KL divergence is never negative.")
    return wrong("q_j = 1/4 on 4 modes and 0 elsewhere; compute sum_j q_j ln(8 q_j).")
