"""Checks for the exercises of lesson 09 ("VAEs and GANs")."""

from __future__ import annotations

import math

from gan_lessons.exercises.feedback import Feedback, correct, is_unanswered, read_number, unanswered, wrong

__all__ = ["check_kl", "check_gap", "check_iwae_one"]


# Exercise 1: KL(N(1, 1) || N(0, 1)) = (mu^2 + sigma^2 - 1 - ln sigma^2) / 2 = 0.5.
def check_kl(answer) -> Feedback:
    """Exercise 1: KL(N(1, 1) || N(0, 1)) in nats."""
    value = read_number(answer, "a number of nats")
    if isinstance(value, Feedback):
        return value
    if math.isclose(value, 0.5, abs_tol=1e-3):
        return correct("(1 + 1 - 1 - ln 1) / 2 = 0.5 nats: only the shifted mean costs anything.")
    if math.isclose(value, 1.0, abs_tol=1e-3):
        return wrong("you forgot the factor 1/2 in front of the sum.")
    if math.isclose(value, 0.0, abs_tol=1e-3):
        return wrong("the variances agree, but the means differ by 1: the mu^2 term is 1.")
    if value < 0:
        return wrong("a KL divergence is never negative.")
    return wrong("use KL = (mu^2 + sigma^2 - 1 - ln sigma^2) / 2 with mu = 1, sigma = 1.")


# Exercise 2: gap = ln p(x) - ELBO = -3.2 - (-3.5) = 0.3.
def check_gap(answer) -> Feedback:
    """Exercise 2: KL(q(z|x) || p(z|x)) when ln p(x) = -3.2 and ELBO = -3.5."""
    value = read_number(answer, "a number of nats")
    if isinstance(value, Feedback):
        return value
    if math.isclose(value, 0.3, abs_tol=1e-6):
        return correct("ln p(x) - ELBO = 0.3 nats: the encoder's Gaussian is that far from the "
                       "true posterior.")
    if math.isclose(value, -0.3, abs_tol=1e-6):
        return wrong("the gap is ln p(x) - ELBO, and a KL is never negative: the ELBO is the smaller.")
    if math.isclose(value, 6.7, abs_tol=1e-6) or math.isclose(value, -6.7, abs_tol=1e-6):
        return wrong("subtract the two numbers, do not add them.")
    return wrong("ln p(x) = ELBO + KL(q(z|x) || p(z|x)); solve for the KL.")


_ANSWERS = {"elbo": "ELBO", "log-likelihood": "log-likelihood", "log likelihood": "log-likelihood",
            "ln p(x)": "log-likelihood", "kl": "KL"}


def check_iwae_one(answer) -> Feedback:
    """Exercise 3: what the IWAE estimate equals with K = 1 ("ELBO", "log-likelihood" or "KL")."""
    if is_unanswered(answer):
        return unanswered('one of "ELBO", "log-likelihood" or "KL"')
    if not isinstance(answer, str) or answer.strip().lower() not in _ANSWERS:
        return wrong(f'answer with one of "ELBO", "log-likelihood" or "KL"; got {answer!r}.')
    choice = _ANSWERS[answer.strip().lower()]
    if choice == "ELBO":
        return correct("with one sample, ln of the single weight p(x, z) / q(z|x) is the ELBO's "
                       "estimator; more samples tighten it towards ln p(x).")
    if choice == "log-likelihood":
        return wrong("only as K grows does IWAE approach ln p(x); with K = 1 nothing is averaged "
                     "inside the logarithm.")
    return wrong("the KL is the gap between the two, not what the estimate equals.")
