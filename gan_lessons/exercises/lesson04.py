"""Checks for the exercises of lesson 04 ("Generative and discriminative models")."""

from __future__ import annotations

import math

from gan_lessons.exercises.feedback import (
    Feedback,
    as_numbers,
    correct,
    is_unanswered,
    unanswered,
    wrong,
)

__all__ = ["check_posterior", "check_linear_log_odds", "check_softmax", "check_real_vs_fake"]

_TOL = 1e-3


# Exercise 1: p(x|C1) = 0.3, p(x|C2) = 0.1, P(C1) = 0.25, P(C2) = 0.75:
# P(C1|x) = 0.3 * 0.25 / (0.3 * 0.25 + 0.1 * 0.75) = 0.075 / 0.15 = 0.5.
def check_posterior(p) -> Feedback:
    """Exercise 1: P(C1 | x) for p(x|C1) = 0.3, p(x|C2) = 0.1 and P(C1) = 0.25."""
    if is_unanswered(p):
        return unanswered("a probability")
    value = as_numbers(p)
    if value is None:
        return wrong("a posterior probability is a number.")
    (p,) = value
    if abs(p - 0.5) < _TOL:
        return correct("0.075 / (0.075 + 0.075) = 0.5: the likelihood favours C1 three to one, the prior "
                       "favours C2 three to one, and they cancel.")
    if abs(p - 0.75) < _TOL:
        return wrong("0.3 / (0.3 + 0.1) ignores the priors. Bayes' rule weighs each likelihood by its "
                     "prior: p(x|C1) P(C1) / [p(x|C1) P(C1) + p(x|C2) P(C2)].")
    if abs(p - 0.075) < _TOL:
        return wrong("0.075 is the joint p(x, C1); divide by p(x) = 0.075 + 0.075 to normalise.")
    return wrong("compute p(x|C1) P(C1) / [p(x|C1) P(C1) + p(x|C2) P(C2)].")


# Exercise 2: classes N(1, 1) and N(-1, 1), equal priors:
# a(x) = ln N(x; 1, 1) - ln N(x; -1, 1) = [(x + 1)^2 - (x - 1)^2] / 2 = 2x, so w = 2, b = 0.
def check_linear_log_odds(w, b) -> Feedback:
    """Exercise 2: a(x) = w x + b for classes N(1, 1) (C1) and N(-1, 1) (C2), equal priors."""
    if is_unanswered(w) or is_unanswered(b):
        return unanswered("two numbers, w and b")
    values = as_numbers(w, b)
    if values is None:
        return wrong("w and b are numbers.")
    w, b = values
    if abs(w - 2) < _TOL and abs(b) < _TOL:
        return correct("a(x) = [(x + 1)^2 - (x - 1)^2] / 2 = 2x: linear, so P(C1|x) = sigmoid(2x), a "
                       "logistic regression with w = 2, b = 0.")
    messages = []
    if abs(w + 2) < _TOL:
        messages.append("the sign of w is flipped: a(x) is ln p(x|C1) - ln p(x|C2), and C1 sits at +1, so "
                        "a grows with x.")
    elif abs(w - 4) < _TOL:
        messages.append("w = 4 forgets the 1/2 in the Gaussian exponent -(x - mu)^2 / 2.")
    elif abs(w - 2) >= _TOL:
        messages.append("expand -(x - 1)^2 / 2 + (x + 1)^2 / 2; the x^2 terms cancel.")
    if abs(b) >= _TOL:
        messages.append("with equal priors and equal spreads the constants cancel: b = 0.")
    return wrong(" ".join(messages))


# Exercise 3: scores a = (1, 2, 3): P(C3|x) = e^3 / (e + e^2 + e^3) = 1 / (e^-2 + e^-1 + 1).
_SOFTMAX_3 = math.exp(3) / (math.exp(1) + math.exp(2) + math.exp(3))


def check_softmax(p3) -> Feedback:
    """Exercise 3: P(C3 | x) when the scores a_k = ln p(x|C_k) P(C_k) are (1, 2, 3)."""
    if is_unanswered(p3):
        return unanswered("a probability")
    value = as_numbers(p3)
    if value is None:
        return wrong("a probability is a number.")
    (p3,) = value
    if abs(p3 - _SOFTMAX_3) < _TOL:
        return correct(f"softmax: e^3 / (e^1 + e^2 + e^3) = {_SOFTMAX_3:.4f}.")
    if abs(p3 - 0.5) < _TOL:
        return wrong("3 / (1 + 2 + 3) normalises the scores themselves; they are logarithms, so "
                     "exponentiate first: P(C_k|x) = e^{a_k} / sum_j e^{a_j}.")
    if abs(p3 - 1.0) < _TOL:
        return wrong("1 is the hard decision (argmax). The posterior is softer: every class keeps some "
                     "probability.")
    return wrong("compute e^3 / (e^1 + e^2 + e^3).")


# Exercise 4: half the batch real: prior 1/2. p_data(x) = 0.2, p_g(x) = 0.6:
# P(real | x) = 0.2 / (0.2 + 0.6) = 0.25.
def check_real_vs_fake(p_real) -> Feedback:
    """Exercise 4: the best possible P(real | x) where p_data(x) = 0.2 and p_g(x) = 0.6."""
    if is_unanswered(p_real):
        return unanswered("a probability")
    value = as_numbers(p_real)
    if value is None:
        return wrong("a probability is a number.")
    (p_real,) = value
    if abs(p_real - 0.25) < _TOL:
        return correct("with equal numbers of real and generated samples the priors are 1/2 and cancel: "
                       "D*(x) = p_data / (p_data + p_g) = 0.25. This is the optimal discriminator of "
                       "lesson 05.")
    if abs(p_real - 0.75) < _TOL:
        return wrong("that is P(generated | x). The real class has density 0.2 here.")
    if abs(p_real - 1 / 3) < _TOL:
        return wrong("0.2 / 0.6 is the density ratio, not a probability; the posterior divides by the sum.")
    return wrong("use Bayes' rule with priors 1/2: p_data / (p_data + p_g).")
