"""Checks for the exercises of lesson 03 ("Maximum likelihood and the direction of KL")."""

from __future__ import annotations

import math

import numpy as np

from gan_lessons.exercises.feedback import (
    Feedback,
    as_numbers,
    correct,
    is_unanswered,
    unanswered,
    wrong,
)

__all__ = ["MLE_DATA", "check_mle", "check_moment_matching", "check_mode_choice", "check_density_ratio"]

_TOL = 1e-3

# Exercise 1: sample mean (2 + 4 + 4 + 6) / 4 = 4; squared deviations 4, 0, 0, 4 -> mean 2,
# so the maximum-likelihood std is sqrt(2) (dividing by n, not n - 1; that would give sqrt(8/3)).
MLE_DATA = (2.0, 4.0, 4.0, 6.0)


def check_mle(mean, std) -> Feedback:
    """Exercise 1: the maximum-likelihood Gaussian for ``MLE_DATA``."""
    if is_unanswered(mean) or is_unanswered(std):
        return unanswered("two numbers: the mean and the standard deviation")
    numbers = as_numbers(mean, std)
    if numbers is None:
        return wrong("the mean and the standard deviation are numbers.")
    mean, std = numbers
    messages = []
    if abs(mean - 4.0) > _TOL:
        messages.append("the MLE of the mean is the sample mean, (2 + 4 + 4 + 6) / 4.")
    if abs(std - math.sqrt(2)) > _TOL:
        if abs(std - math.sqrt(8 / 3)) < _TOL:
            messages.append("you divided by n - 1 (the unbiased variance, numpy's ddof=1). Maximising "
                            "the likelihood gives the mean squared deviation: divide by n.")
        elif abs(std - 2.0) < _TOL:
            messages.append("2 is the variance; the standard deviation is its square root.")
        else:
            messages.append("the MLE of the variance is the mean squared deviation from the sample mean.")
    if messages:
        return wrong(" ".join(messages))
    return correct("mean 4, std sqrt(2) = 1.4142: maximum likelihood matches the sample's moments.")


# Exercise 2: p = 1/2 N(-2, 0.5^2) + 1/2 N(2, 0.5^2). Forward KL is minimised by moment matching:
# mu = 0, sigma^2 = E[X^2] - 0 = 0.25 + 4 = 4.25, sigma = sqrt(4.25) = 2.0616.
def check_moment_matching(mean, std) -> Feedback:
    """Exercise 2: the forward-KL Gaussian for the mixture of N(-2, 0.5^2) and N(2, 0.5^2)."""
    if is_unanswered(mean) or is_unanswered(std):
        return unanswered("two numbers: the mean and the standard deviation")
    numbers = as_numbers(mean, std)
    if numbers is None:
        return wrong("the mean and the standard deviation are numbers.")
    mean, std = numbers
    ok_mean, ok_std = abs(mean) < _TOL, abs(std - math.sqrt(4.25)) < _TOL
    if ok_mean and ok_std:
        return correct("mu = 0 and sigma = sqrt(0.25 + 4) = 2.0616: the forward-KL (maximum-likelihood) "
                       "Gaussian matches the mixture's mean and variance, covering both modes and the "
                       "empty valley between them.")
    messages = []
    if not ok_mean:
        messages.append("the mixture is symmetric about 0, so its mean is 0.")
    if not ok_std:
        if abs(std - 2.0) < _TOL:
            messages.append("2 is only the spread of the component means; add the variance within each "
                            "component: sigma^2 = 0.25 + 4.")
        elif abs(std - 0.5) < _TOL:
            messages.append("0.5 is one component's std: that is what reverse KL would pick. Forward KL "
                            "matches the variance of the whole mixture.")
        elif abs(std - 4.25) < _TOL:
            messages.append("4.25 is the variance; take its square root.")
        else:
            messages.append("the mixture's variance is E[X^2] - E[X]^2 = (0.25 + 4) - 0.")
    return wrong(" ".join(messages))


def check_mode_choice(answer) -> Feedback:
    """Exercise 3: a reverse-KL fit started at x = +3 on a symmetric two-mode target: which mode?"""
    if is_unanswered(answer):
        return unanswered("'left', 'right' or 'both'")
    text = str(answer).strip().lower()
    if text == "right":
        return correct("reverse KL penalises q for putting mass where p has none, so q shrinks onto a "
                       "single mode, and gradient descent keeps it in the basin where it started.")
    if text == "both":
        return wrong("covering both modes is forward KL's behaviour. Reverse KL, E_q[ln q/p], is large "
                     "when q puts mass in the valley where p is tiny: it prefers one mode.")
    if text == "left":
        return wrong("the fit starts on the right; gradient descent moves downhill locally and has no "
                     "reason to cross the valley.")
    return wrong(f"answer 'left', 'right' or 'both', not {answer!r}.")


# Exercise 4: D = p_data / (p_data + p_model) = 0.8  =>  p_data / p_model = D / (1 - D) = 4,
# so ln(p_data / p_model) = ln 4 = logit(0.8).
def check_density_ratio(ratio, log_ratio) -> Feedback:
    """Exercise 4: p_data/p_model and its logarithm where the optimal discriminator says 0.8."""
    if is_unanswered(ratio) or is_unanswered(log_ratio):
        return unanswered("two numbers: the ratio and its natural logarithm")
    numbers = as_numbers(ratio, log_ratio)
    if numbers is None:
        return wrong("both answers are numbers.")
    ratio, log_ratio = numbers
    messages = []
    if abs(ratio - 4.0) > _TOL:
        if abs(ratio - 0.25) < _TOL:
            messages.append("0.25 is p_model / p_data; the question asks for p_data / p_model.")
        elif abs(ratio - 0.8) < _TOL:
            messages.append("0.8 is D itself. Solve D = r / (r + 1) for the ratio r.")
        else:
            messages.append("from D = p_data / (p_data + p_model), the ratio is D / (1 - D).")
    if abs(log_ratio - math.log(4.0)) > _TOL and not np.isclose(log_ratio, math.log(ratio)):
        messages.append("the log-ratio is ln(D / (1 - D)), the logit of D.")
    elif abs(log_ratio - math.log(4.0)) > _TOL:
        messages.append("your log-ratio follows from your ratio; fix the ratio first.")
    if messages:
        return wrong(" ".join(messages))
    return correct("the ratio is 4 and its log ln 4 = 1.386 = logit(0.8): a discriminator's logit "
                   "estimates ln p_data - ln p_model, exactly what KL needs and what samples alone "
                   "cannot give.")
