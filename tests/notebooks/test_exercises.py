"""The exercise checks accept the right answers and name the typical mistakes.

Expected answers are derived by hand here (fractions, logarithms), or taken from
an independent oracle (scipy's LP for the games), not from the checks themselves.
"""

from __future__ import annotations

import math

import jax
import numpy as np
import pytest
from scipy.optimize import linprog

from gan_lessons.exercises import Feedback
from gan_lessons.exercises import lesson00, lesson01


def _lp_value(a: np.ndarray) -> float:
    """The value of the zero-sum game a (row player maximises), by scipy's linprog directly."""
    m, n = a.shape
    c = np.zeros(m + 1)
    c[-1] = -1.0
    res = linprog(c, A_ub=np.hstack([-a.T, np.ones((n, 1))]), b_ub=np.zeros(n),
                  A_eq=np.hstack([np.ones((1, m)), np.zeros((1, 1))]), b_eq=[1.0],
                  bounds=[(0, None)] * m + [(None, None)], method="highs")
    return -res.fun


def test_feedback_renders_and_is_truthy():
    ok, bad = Feedback(True, "fine"), Feedback(False, "oops")
    assert ok and not bad
    assert "Correct" in str(ok) and "Correct" in ok._repr_html_()
    assert "Not yet" in str(bad)


@pytest.mark.parametrize("check, n", [
    (lesson00.check_key_sample, 1), (lesson00.check_gradient, 1), (lesson00.check_heat_map_player, 1),
    (lesson01.check_donut_matrix_for_m, 1), (lesson01.check_security_levels, 3),
    (lesson01.check_mixed_equilibrium, 3), (lesson01.check_batch_value, 1),
])
def test_placeholders_are_reported_as_unanswered(check, n):
    feedback = check(*([...] * n))
    assert not feedback.passed and not feedback.answered
    assert "placeholder" in feedback.message


# -- lesson 00 ---------------------------------------------------------------------------------
def test_key_sample():
    right = jax.random.normal(jax.random.key(42), (3,))
    assert lesson00.check_key_sample(right)
    assert lesson00.check_key_sample(np.asarray(right).tolist())
    other = lesson00.check_key_sample(jax.random.normal(jax.random.key(1), (3,)))
    assert not other and "key 42" in other.message
    assert "shape" in lesson00.check_key_sample(np.zeros(4)).message


def test_gradient():
    assert lesson00.check_gradient([2.0, 4.0, 6.0])
    assert "value" in lesson00.check_gradient(14.0).message
    assert "x itself" in lesson00.check_gradient([1, 2, 3]).message


def test_heat_map_player():
    assert lesson00.check_heat_map_player("Discriminator")
    assert "red dots" in lesson00.check_heat_map_player("generator").message


# -- lesson 01 ---------------------------------------------------------------------------------
S_VIEW = np.array([[2.0, -2.0], [-1.0, 2.0]])  # worked out from the story in the lesson


def test_donut_matrix_for_m():
    right = [[-2, 1], [2, -2]]
    assert lesson01.check_donut_matrix_for_m(right)
    # M's view of the game has value minus S's value, 2/7, by the 2 x 2 closed form.
    assert math.isclose(_lp_value(np.array(right, float)), -2 / 7, abs_tol=1e-9)
    assert "S's side" in lesson01.check_donut_matrix_for_m(S_VIEW).message
    assert "Transpose" in lesson01.check_donut_matrix_for_m(-S_VIEW).message
    assert "flip the signs" in lesson01.check_donut_matrix_for_m(S_VIEW.T).message
    assert "shape" in lesson01.check_donut_matrix_for_m([1, 2, 3]).message


def test_security_levels():
    a = lesson01.SECURITY_GAME
    assert lesson01.check_security_levels(2, 2, (2, 1))
    # the game really has value 2 (LP oracle) and a saddle at (2, 1)
    assert math.isclose(_lp_value(np.array(a)), 2.0, abs_tol=1e-9)
    assert a[2, 1] == a[2].min() == a[:, 1].max()
    assert "each row's minimum" in lesson01.check_security_levels(3, 2, (2, 1)).message
    assert "each column's maximum" in lesson01.check_security_levels(2, 4, (2, 1)).message
    assert "(row, column)" in lesson01.check_security_levels(2, 2, (1, 2)).message
    assert "from 0" in lesson01.check_security_levels(2, 2, (3, 2)).message


def test_mixed_equilibrium():
    assert math.isclose(_lp_value(np.array(lesson01.MIXED_GAME)), 1 / 7, abs_tol=1e-9)
    assert lesson01.check_mixed_equilibrium(3 / 7, 2 / 7, 1 / 7)
    assert "swapped" in lesson01.check_mixed_equilibrium(2 / 7, 3 / 7, 1 / 7).message
    assert "1 - p" in lesson01.check_mixed_equilibrium(4 / 7, 2 / 7, 1 / 7).message
    assert "sign" in lesson01.check_mixed_equilibrium(3 / 7, 2 / 7, -1 / 7).message


def test_batch_value():
    v = (math.log(0.9) + math.log(0.6) + math.log(0.8) + math.log(0.8) + math.log(0.5)
         + math.log(0.9)) / 6
    assert lesson01.check_batch_value(v)
    assert "mean" in lesson01.check_batch_value(6 * v).message
    assert "Goodfellow" in lesson01.check_batch_value(2 * v).message
    assert "ln(1 - D(x))" in lesson01.check_batch_value(
        (math.log(0.9) + math.log(0.6) + math.log(0.8) + math.log(0.2) + math.log(0.5)
         + math.log(0.1)) / 6).message
    assert "cross-entropy" in lesson01.check_batch_value(-v).message


# -- lesson 02 ---------------------------------------------------------------------------------
from gan_lessons.exercises import lesson02, lesson03  # noqa: E402


def test_entropy_exercise_against_scipy():
    from scipy.stats import entropy

    h = entropy(lesson02.ENTROPY_P)
    assert lesson02.check_entropy(h)
    assert "bits" in lesson02.check_entropy(entropy(lesson02.ENTROPY_P, base=2)).message
    assert "sign" in lesson02.check_entropy(-h).message
    assert "uniform" in lesson02.check_entropy(math.log(3)).message


def test_gaussian_kl_exercise_against_quadrature():
    from scipy.integrate import quad
    from scipy.stats import norm

    def kl(mp, sp, mq, sq):
        f = lambda x: norm.pdf(x, mp, sp) * (norm.logpdf(x, mp, sp) - norm.logpdf(x, mq, sq))  # noqa: E731
        return quad(f, -30, 30, limit=200)[0]

    assert lesson02.check_gaussian_kl(kl(0, 1, 1, 2))
    assert "other direction" in lesson02.check_gaussian_kl(kl(1, 2, 0, 1)).message
    assert "variances" in lesson02.check_gaussian_kl(math.log(4) - 0.25).message


def test_disjoint_js_exercise_against_scipy():
    from scipy.spatial.distance import jensenshannon

    js = jensenshannon([0.5, 0.5, 0, 0], [0, 0, 0.3, 0.7]) ** 2
    assert lesson02.check_disjoint_js(js)
    assert "bits" in lesson02.check_disjoint_js(1.0).message
    assert "finite" in lesson02.check_disjoint_js(float("inf")).message


def test_ks_exercise_against_scipy():
    from scipy.stats import ks_2samp

    ks = ks_2samp(lesson02.KS_X, lesson02.KS_Y).statistic
    assert lesson02.check_ks(ks)
    assert "largest gap" in lesson02.check_ks(1 / 6).message


# -- lesson 03 ---------------------------------------------------------------------------------
def test_mle_exercise_against_numpy():
    data = np.array(lesson03.MLE_DATA)
    assert lesson03.check_mle(data.mean(), data.std())
    assert "n - 1" in lesson03.check_mle(data.mean(), data.std(ddof=1)).message
    assert "square root" in lesson03.check_mle(data.mean(), data.var()).message


def test_moment_matching_exercise_against_quadrature():
    from scipy.integrate import quad
    from scipy.stats import norm

    pdf = lambda x: 0.5 * norm.pdf(x, -2, 0.5) + 0.5 * norm.pdf(x, 2, 0.5)  # noqa: E731
    mean = quad(lambda x: x * pdf(x), -20, 20)[0]
    var = quad(lambda x: (x - mean) ** 2 * pdf(x), -20, 20)[0]
    assert lesson03.check_moment_matching(mean, math.sqrt(var))
    assert "within each" in lesson03.check_moment_matching(0.0, 2.0).message
    assert "reverse KL" in lesson03.check_moment_matching(0.0, 0.5).message


def test_mode_choice_and_density_ratio():
    assert lesson03.check_mode_choice("right")
    assert "forward KL" in lesson03.check_mode_choice("both").message
    # D = r / (1 + r) = 0.8 -> r = 4, by hand
    assert lesson03.check_density_ratio(4.0, math.log(4.0))
    assert "p_model / p_data" in lesson03.check_density_ratio(0.25, math.log(0.25)).message
    assert "logit" in lesson03.check_density_ratio(4.0, 0.8).message


# -- lessons 04 and 05 -------------------------------------------------------------------------
from gan_lessons.exercises import lesson04, lesson05  # noqa: E402


def test_lesson04_checks():
    from scipy.special import softmax
    from scipy.stats import norm

    post = 0.3 * 0.25 / (0.3 * 0.25 + 0.1 * 0.75)
    assert lesson04.check_posterior(post)
    assert "priors" in lesson04.check_posterior(0.3 / 0.4).message
    # log-odds of N(1,1) vs N(-1,1) at two points fixes w and b
    a = lambda x: norm.logpdf(x, 1, 1) - norm.logpdf(x, -1, 1)  # noqa: E731
    w, b = a(1.0) - a(0.0), a(0.0)
    assert lesson04.check_linear_log_odds(w, b)
    assert "flipped" in lesson04.check_linear_log_odds(-w, b).message
    assert "1/2" in lesson04.check_linear_log_odds(2 * w, b).message
    assert lesson04.check_softmax(softmax([1.0, 2.0, 3.0])[2])
    assert "exponentiate" in lesson04.check_softmax(0.5).message
    assert lesson04.check_real_vs_fake(0.2 / 0.8)
    assert "density ratio" in lesson04.check_real_vs_fake(1 / 3).message


def test_lesson05_checks():
    from scipy.optimize import minimize_scalar

    best = minimize_scalar(lambda y: -(2 * np.log(y) + 3 * np.log(1 - y)), bounds=(1e-9, 1 - 1e-9),
                           method="bounded").x
    assert lesson05.check_pointwise_maximum(best)
    assert "b / (a + b)" in lesson05.check_pointwise_maximum(0.6).message
    assert lesson05.check_criterion_at_equilibrium(2 * np.log(0.5))
    assert "JSD" in lesson05.check_criterion_at_equilibrium(0.0).message
    assert lesson05.check_js_from_criterion((-1.0 + np.log(4)) / 2)
    assert "divide by 2" in lesson05.check_js_from_criterion(-1.0 + np.log(4)).message
    d = 0.01  # sigmoid'(l) = d (1 - d); d/dl ln(1 - d) = -d, d/dl -ln d = -(1 - d)
    assert lesson05.check_gradient_ratio((1 - d) / d)
    assert "upside down" in lesson05.check_gradient_ratio(d / (1 - d)).message


# -- lesson 06 ---------------------------------------------------------------------------------
from gan_lessons.exercises import lesson06  # noqa: E402


def test_lesson06_checks():
    step = np.array([[1.0, -0.1], [0.1, 1.0]])  # one simultaneous step on v = ab, eta = 0.1
    factor = float(np.abs(np.linalg.eigvals(step)).max())
    assert lesson06.check_radius_factor(factor)
    assert "SQUARED" in lesson06.check_radius_factor(factor ** 2).message
    n = next(k for k in range(1, 1000) if factor ** k >= 2)
    assert lesson06.check_doubling_steps(n)
    assert "round UP" in lesson06.check_doubling_steps(n - 1).message
    jac = np.array([[0.0, -0.5], [0.5, -2.0]])  # Dirac-GAN Jacobian with R1, gamma = 2, f'(0) = 1/2
    top = float(np.max(np.linalg.eigvals(jac).real))
    assert lesson06.check_r1_eigenvalue(top)
    assert "other eigenvalue" in lesson06.check_r1_eigenvalue(float(np.min(np.linalg.eigvals(jac).real))).message
    assert lesson06.check_optimistic_threshold(1 / np.sqrt(3))
    assert "extragradient" in lesson06.check_optimistic_threshold(1.0).message


# --------------------------------------------------------------------------- lesson 07
from gan_lessons.exercises import lesson07  # noqa: E402


def test_lesson07_checks_accept_the_right_answers_from_independent_oracles():
    from scipy.special import expit
    from scipy.stats import chi2, entropy

    assert lesson07.check_loss_at_half(-np.log(0.5) - np.log(1 - 0.5))
    # the derivative of ln(1 - sigmoid(l)) at sigmoid(l) = 0.05, by a central difference
    l, h = np.log(0.05 / 0.95), 1e-6
    derivative = (np.log(1 - expit(l + h)) - np.log(1 - expit(l - h))) / (2 * h)
    assert lesson07.check_saturating_gradient(derivative)
    assert lesson07.check_high_quality_fraction(chi2(df=2).cdf(9.0))
    assert lesson07.check_reverse_kl(entropy([0.25] * 4 + [0] * 4, [1 / 8] * 8))


def test_lesson07_checks_name_the_likely_mistake():
    assert "negative" in lesson07.check_loss_at_half(-2 * np.log(2)).message
    assert "two terms" in lesson07.check_loss_at_half(np.log(2)).message
    assert "nats" in lesson07.check_loss_at_half(2.0).message
    assert "sign" in lesson07.check_saturating_gradient(0.05).message
    assert "non-saturating" in lesson07.check_saturating_gradient(-0.95).message
    assert "chain rule" in lesson07.check_saturating_gradient(-0.0475).message
    assert "ONE dimension" in lesson07.check_high_quality_fraction(0.9973).message
    assert "percentage" in lesson07.check_high_quality_fraction(98.89).message
    assert "entropy" in lesson07.check_reverse_kl(np.log(4)).message
    assert "ONE mode" in lesson07.check_reverse_kl(np.log(8)).message
    for check in (lesson07.check_loss_at_half, lesson07.check_saturating_gradient,
                  lesson07.check_high_quality_fraction, lesson07.check_reverse_kl):
        assert not check(...).answered and not check(...)
        assert not check("lots") and check("lots").answered
        assert not check(123.0)


# --------------------------------------------------------------------------- lesson 08
from gan_lessons.exercises import lesson08  # noqa: E402


def test_lesson08_checks_accept_answers_from_independent_oracles():
    import jax
    from scipy.linalg import sqrtm

    # two stride-2 transposed convolutions applied by JAX to a 7 x 7 map give 28 x 28
    x = np.zeros((1, 7, 7, 1), np.float32)
    w = np.ones((3, 3, 1, 1), np.float32)
    for _ in range(2):
        x = jax.lax.conv_transpose(x, w, (2, 2), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"))
    assert x.shape[1] == 28 and lesson08.check_first_side(7)
    s1, s2 = np.array([[1.0]]), np.array([[4.0]])
    frechet = 9.0 + np.trace(s1 + s2 - 2 * np.real(sqrtm(s1 @ s2)))
    assert lesson08.check_frechet(frechet)
    assert lesson08.check_score_of_one_class(np.exp(0.0))


def test_lesson08_checks_name_the_likely_mistake():
    assert "ONE transposed" in lesson08.check_first_side(14).message
    assert "DOUBLE" in lesson08.check_first_side(56).message
    assert "SQUARED" in lesson08.check_frechet(np.sqrt(10)).message
    assert "spreads differ" in lesson08.check_frechet(9).message
    assert "maximum" in lesson08.check_score_of_one_class(10).message
    for check in (lesson08.check_first_side, lesson08.check_frechet,
                  lesson08.check_score_of_one_class):
        assert not check(...).answered
        assert not check("x") and check("x").answered


# --------------------------------------------------------------------------- lesson 09
from gan_lessons.exercises import lesson09  # noqa: E402


def test_lesson09_checks():
    from scipy.integrate import quad
    from scipy.stats import norm

    # KL(N(1,1) || N(0,1)) by quadrature
    kl = quad(lambda z: norm.pdf(z, 1, 1) * (norm.logpdf(z, 1, 1) - norm.logpdf(z)), -12, 14)[0]
    assert lesson09.check_kl(kl)
    assert "1/2" in lesson09.check_kl(2 * kl).message
    assert lesson09.check_gap(-3.2 - (-3.5))
    assert "never negative" in lesson09.check_gap(-0.3).message
    assert lesson09.check_iwae_one("ELBO") and lesson09.check_iwae_one(" elbo ")
    assert "K grows" in lesson09.check_iwae_one("log-likelihood").message
    assert not lesson09.check_iwae_one("banana")
    for check in (lesson09.check_kl, lesson09.check_gap, lesson09.check_iwae_one):
        assert not check(...).answered
