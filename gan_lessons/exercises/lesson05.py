"""Checks for the exercises of lesson 05 ("The optimal discriminator")."""

from __future__ import annotations

import math

from gan_lessons.exercises.feedback import (
    Feedback,
    as_number,
    correct,
    is_unanswered,
    unanswered,
    wrong,
)

__all__ = ["check_pointwise_maximum", "check_criterion_at_equilibrium", "check_js_from_criterion",
           "check_gradient_ratio"]

_TOL = 1e-3


# Exercise 1: f(y) = 2 ln y + 3 ln(1 - y); f'(y) = 2/y - 3/(1 - y) = 0 at y = 2/5.
def check_pointwise_maximum(y) -> Feedback:
    """Exercise 1: the y in (0, 1) maximising 2 ln y + 3 ln(1 - y)."""
    if is_unanswered(y):
        return unanswered("a number in (0, 1)")
    y = as_number(y)
    if y is None:
        return wrong("y is a number.")
    if abs(y - 0.4) < _TOL:
        return correct("y = a / (a + b) = 2/5. With a = p_data(x) and b = p_g(x) this is D*(x).")
    if abs(y - 0.6) < _TOL:
        return wrong("that is b / (a + b). Set the derivative 2/y - 3/(1 - y) to zero and solve for y.")
    return wrong("differentiate: 2/y - 3/(1 - y) = 0.")


# Exercise 2: p_g = p_data: D* = 1/2 everywhere, C = ln(1/2) + ln(1/2) = -ln 4.
def check_criterion_at_equilibrium(c) -> Feedback:
    """Exercise 2: C(G) when p_g = p_data."""
    if is_unanswered(c):
        return unanswered("a number")
    c = as_number(c)
    if c is None:
        return wrong("C(G) is a number.")
    if abs(c + math.log(4)) < _TOL:
        return correct("D* = 1/2 everywhere, so C = E[ln 1/2] + E[ln 1/2] = -ln 4 = -1.386, the global "
                       "minimum of C(G).")
    if abs(c) < _TOL:
        return wrong("0 is the JSD at equilibrium; C(G) = -ln 4 + 2 JSD.")
    if abs(c + math.log(2)) < _TOL:
        return wrong("there are two expectations, each equal to ln(1/2): their sum is -ln 4.")
    if abs(c - math.log(4)) < _TOL:
        return wrong("the sign: ln(1/2) is negative.")
    return wrong("with p_g = p_data, D*(x) = 1/2 everywhere; plug it into V(G, D).")


# Exercise 3: C = -ln 4 + 2 JSD = -1.0  =>  JSD = (ln 4 - 1) / 2.
_JS = (math.log(4) - 1.0) / 2


def check_js_from_criterion(js) -> Feedback:
    """Exercise 3: JSD(p_data, p_g) when C(G) = -1.0."""
    if is_unanswered(js):
        return unanswered("a number")
    js = as_number(js)
    if js is None:
        return wrong("the JSD is a number.")
    if abs(js - _JS) < _TOL:
        return correct(f"JSD = (C + ln 4) / 2 = {_JS:.4f} nats.")
    if abs(js - 2 * _JS) < _TOL:
        return wrong("C(G) = -ln 4 + 2 JSD: divide by 2.")
    if abs(js + _JS) < _TOL or abs(js - (-1.0 - math.log(4)) / 2) < _TOL:
        return wrong("solve C = -ln 4 + 2 JSD for JSD: (C + ln 4) / 2.")
    return wrong("rearrange C(G) = -ln 4 + 2 JSD.")


# Exercise 4: at D = 0.01 the gradients with respect to the logit are -D = -0.01 (saturating)
# and -(1 - D) = -0.99 (non-saturating): a ratio of 99.
def check_gradient_ratio(ratio) -> Feedback:
    """Exercise 4: |non-saturating gradient| / |saturating gradient| at D(G(z)) = 0.01."""
    if is_unanswered(ratio):
        return unanswered("a number")
    ratio = as_number(ratio)
    if ratio is None:
        return wrong("the ratio is a number.")
    if abs(ratio - 99.0) < 1e-2:
        return correct("(1 - D) / D = 0.99 / 0.01 = 99: when fakes are easy to spot, the non-saturating "
                       "loss pushes the generator 99 times harder.")
    if abs(ratio - 1 / 99) < 1e-4:
        return wrong("upside down: the question asks non-saturating over saturating.")
    if abs(ratio - 100.0) < 1e-2:
        return wrong("the non-saturating gradient is 1 - D = 0.99, not 1.")
    return wrong("with respect to the logit, d/dl ln(1 - D) = -D and d/dl (-ln D) = -(1 - D).")
