"""Checks for the exercises of lesson 02 ("Information and divergences").

Every expected value is worked out by hand in the comments.
"""

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

__all__ = ["ENTROPY_P", "KS_X", "KS_Y", "check_entropy", "check_gaussian_kl", "check_disjoint_js",
           "check_ks"]

_TOL = 1e-3


# Exercise 1: H(1/2, 1/4, 1/4) = 1/2 ln 2 + 1/4 ln 4 + 1/4 ln 4 = (1/2 + 1/2 + 1/2) ln 2 = 1.5 ln 2.
ENTROPY_P = (0.5, 0.25, 0.25)
_ENTROPY = 1.5 * math.log(2)


def check_entropy(h) -> Feedback:
    """Exercise 1: the entropy, in nats, of ``ENTROPY_P``."""
    if is_unanswered(h):
        return unanswered("a number: -sum p ln p")
    h = as_number(h)
    if h is None:
        return wrong("the entropy is a number.")
    if abs(h - _ENTROPY) < _TOL:
        return correct(f"H = 1.5 ln 2 = {_ENTROPY:.4f} nats (= 1.5 bits): less than ln 3 = 1.0986 of "
                       "the uniform distribution on 3 outcomes, the maximum.")
    if abs(h - 1.5) < _TOL:
        return wrong("1.5 is the entropy in bits (log base 2). The course uses nats: natural logarithms.")
    if abs(h + _ENTROPY) < _TOL:
        return wrong("the sign is off: H = -sum p ln p is >= 0, since every ln p <= 0.")
    if abs(h - math.log(3)) < _TOL:
        return wrong("ln 3 is the entropy of the uniform distribution on 3 outcomes, the maximum; this "
                     "distribution is not uniform.")
    return wrong("compute -(0.5 ln 0.5 + 0.25 ln 0.25 + 0.25 ln 0.25).")


# Exercise 2: KL(N(0, 1) || N(1, 2^2)) = ln(2/1) + (1 + (0 - 1)^2) / (2 * 4) - 1/2 = ln 2 - 1/4.
_KL = math.log(2) + 2 / 8 - 0.5
_KL_REVERSED = math.log(1 / 2) + (4 + 1) / 2 - 0.5      # KL(N(1, 4) || N(0, 1))
_KL_VARIANCE_IN_LOG = math.log(4) + 2 / 8 - 0.5          # ln(sigma_q^2 / sigma_p^2) by mistake
_KL_STD_NOT_SQUARED = math.log(2) + 2 / 4 - 0.5          # 2 sigma_q instead of 2 sigma_q^2


def check_gaussian_kl(kl) -> Feedback:
    """Exercise 2: KL(p || q) for p = N(0, 1) and q = N(1, 2^2) (standard deviation 2)."""
    if is_unanswered(kl):
        return unanswered("a number: ln(s_q/s_p) + (s_p^2 + (m_p - m_q)^2) / (2 s_q^2) - 1/2")
    kl = as_number(kl)
    if kl is None:
        return wrong("KL is a number.")
    if abs(kl - _KL) < _TOL:
        return correct(f"KL(p||q) = ln 2 - 1/4 = {_KL:.4f} nats.")
    if abs(kl - _KL_REVERSED) < _TOL:
        return wrong("that is KL(q||p), the other direction. KL is not symmetric: here p = N(0, 1) "
                     "comes first, so the expectation is taken under p.")
    if abs(kl - _KL_VARIANCE_IN_LOG) < _TOL:
        return wrong("the logarithm term is ln(sigma_q / sigma_p), with standard deviations, not "
                     "variances: ln(2/1) = ln 2.")
    if abs(kl - _KL_STD_NOT_SQUARED) < _TOL:
        return wrong("the denominator is 2 sigma_q^2 = 8 (the variance of q is 4), not 2 sigma_q.")
    if kl < 0:
        return wrong("KL is never negative (Gibbs' inequality); recheck the signs.")
    return wrong("plug m_p = 0, s_p = 1, m_q = 1, s_q = 2 into the closed form.")


# Exercise 3: disjoint supports: m = (p + q)/2 is p/2 where p > 0, so KL(p||m) = sum p ln 2 = ln 2,
# likewise KL(q||m) = ln 2, and JSD = ln 2.
def check_disjoint_js(js) -> Feedback:
    """Exercise 3: the JSD of two distributions with disjoint supports."""
    if is_unanswered(js):
        return unanswered("a number")
    js = as_number(js)
    if js is None:
        return wrong("JSD is a number.")
    if abs(js - math.log(2)) < _TOL:
        return correct("JSD = ln 2 = 0.6931, its maximum: wherever p > 0, m = p/2, so every term is "
                       "ln 2. It does not grow however far apart the supports are, which is why "
                       "gradients of the JSD vanish when a generator misses the data entirely.")
    if abs(js - 1.0) < _TOL:
        return wrong("1 is the maximum in bits (log base 2); in nats it is ln 2.")
    if math.isinf(js):
        return wrong("that is KL's behaviour (q = 0 where p > 0). The JSD compares each distribution "
                     "with the mixture m = (p + q)/2, which is positive wherever p or q is: it stays finite.")
    if abs(js - 2 * math.log(2)) < _TOL:
        return wrong("the JSD averages the two KL terms: 1/2 KL(p||m) + 1/2 KL(q||m).")
    return wrong("where p > 0, m = p/2; so KL(p||m) = sum p ln(p / (p/2)).")


# Exercise 4: x = (1, 3, 5), y = (2, 4). ECDFs at the pooled points 1..5:
#   F: 1/3, 1/3, 2/3, 2/3, 1 ;  G: 0, 1/2, 1/2, 1, 1 ;  |F - G|: 1/3, 1/6, 1/6, 1/3, 0  -> KS = 1/3.
KS_X = (1.0, 3.0, 5.0)
KS_Y = (2.0, 4.0)


def check_ks(ks) -> Feedback:
    """Exercise 4: the two-sample KS statistic of ``KS_X`` and ``KS_Y``, by hand."""
    if is_unanswered(ks):
        return unanswered("a number between 0 and 1")
    ks = as_number(ks)
    if ks is None:
        return wrong("KS is a number.")
    if abs(ks - 1 / 3) < _TOL:
        return correct("KS = 1/3, reached just after x = 1 (F = 1/3, G = 0) and just after x = 4 "
                       "(F = 2/3, G = 1).")
    if abs(ks - 1 / 6) < _TOL:
        return wrong("1/6 is the gap at x = 2 or x = 3; the statistic is the largest gap over all x.")
    if not 0 <= ks <= 1:
        return wrong("KS compares two cumulative distribution functions, so it lies in [0, 1].")
    return wrong("tabulate F (steps of 1/3 at 1, 3, 5) and G (steps of 1/2 at 2, 4) at every data "
                 "point and take the largest |F - G|.")
