"""Checks for the exercises of lesson 08 ("GANs on images")."""

from __future__ import annotations

import math

from gan_lessons.exercises.feedback import Feedback, correct, read_number, wrong

__all__ = ["check_first_side", "check_frechet", "check_score_of_one_class"]


# Exercise 1: two stride-2 transposed convolutions double the side twice: 7 -> 14 -> 28.
def check_first_side(answer) -> Feedback:
    """Exercise 1: the side of the first feature maps of a generator of 28 x 28 images."""
    value = read_number(answer, "a whole number of pixels")
    if isinstance(value, Feedback):
        return value
    if value == 7:
        return correct("28 / 2 / 2 = 7: the linear layer makes 7 x 7 feature maps, then 14, then 28.")
    if value == 14:
        return wrong("14 is after ONE transposed convolution; the generator has two.")
    if value == 56 or value == 112:
        return wrong("transposed convolutions of stride 2 DOUBLE each side; go backwards from 28.")
    if value == 49:
        return wrong("49 = 7 x 7 is the number of positions; the question asks for the side.")
    return wrong("each layer doubles the side: side x 2 x 2 = 28.")


# Exercise 2: (0 - 3)^2 + 1 + 4 - 2 sqrt(1 * 4) = 10.
def check_frechet(answer) -> Feedback:
    """Exercise 2: the Fréchet distance between N(0, 1) and N(3, 2^2)."""
    value = read_number(answer)
    if isinstance(value, Feedback):
        return value
    if math.isclose(value, 10.0, abs_tol=1e-3):
        return correct("(0 - 3)^2 + (1 - 2)^2 = 10: in 1-D the trace term is (sigma_1 - sigma_2)^2.")
    if math.isclose(value, math.sqrt(10.0), abs_tol=1e-3):
        return wrong("the Fréchet distance of the FID is the SQUARED 2-Wasserstein distance: no "
                     "square root.")
    if math.isclose(value, 14.0, abs_tol=1e-3):
        return wrong("Tr(S1 + S2 - 2 (S1 S2)^(1/2)) uses the variances 1 and 4 and the square root "
                     "of their product: 1 + 4 - 2 * 2 = 1.")
    if math.isclose(value, 9.0, abs_tol=1e-3):
        return wrong("the means differ by 3, but the spreads differ too: add (1 - 2)^2.")
    if math.isclose(value, 12.0, abs_tol=1e-3) or math.isclose(value, 13.0, abs_tol=1e-3):
        return wrong("use the standard deviations 1 and 2 in (sigma_1 - sigma_2)^2, not the "
                     "variances.")
    return wrong("in 1-D the formula is (mu_1 - mu_2)^2 + sigma_1^2 + sigma_2^2 - 2 sigma_1 sigma_2.")


# Exercise 3: p(y|x) = p(y) = one-hot, so every KL is 0 and the score is exp(0) = 1.
def check_score_of_one_class(answer) -> Feedback:
    """Exercise 3: the classifier score of a generator that makes only certain "3"s."""
    value = read_number(answer)
    if isinstance(value, Feedback):
        return value
    if math.isclose(value, 1.0, abs_tol=1e-6):
        return correct("p(y|x) equals p(y) for every image, so each KL is 0 and the score is "
                       "e^0 = 1, the minimum.")
    if math.isclose(value, 0.0, abs_tol=1e-6):
        return wrong("the KL is 0, but the score is exp of the mean KL: e^0.")
    if math.isclose(value, 10.0, abs_tol=1e-6):
        return wrong("10 is the maximum, for ten equally frequent classes each predicted with "
                     "certainty; here only one class appears.")
    return wrong("compute exp(E_x KL(p(y|x) || p(y))) with p(y|x) = p(y) = one-hot on 3.")
