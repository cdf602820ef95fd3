"""Lesson 04 and 05 explorers: right numbers, every control position, no recompilation.

Expected values are closed forms evaluated here with numpy/scipy.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.stats import norm

from gan_lessons.widgets import BayesExplorer, GeneratorGradientExplorer, OptimalDiscriminatorExplorer
from panel_helpers import assert_matches_full_render


def test_bayes_explorer_posterior_is_bayes_rule():
    panel = BayesExplorer()
    for m1, s1, m2, s2, prior in [(1.0, 1.0, -1.0, 1.0, 0.5), (0.5, 0.4, -2.0, 2.5, 0.2),
                                  (3.0, 3.0, -3.0, 0.3, 0.98)]:
        panel.mu_1.value, panel.s_1.value, panel.mu_2.value, panel.s_2.value = m1, s1, m2, s2
        panel.prior_1.value = prior
        x = panel.x
        joint_1 = norm.pdf(x, m1, s1) * prior
        joint_2 = norm.pdf(x, m2, s2) * (1 - prior)
        mass = joint_1 + joint_2 > 1e-30
        np.testing.assert_allclose(panel.result["posterior"][mass], (joint_1 / (joint_1 + joint_2))[mass],
                                   atol=1e-5)
        alpha, beta, gamma = panel.result["coefficients"]
        np.testing.assert_allclose(alpha * x ** 2 + beta * x + gamma,
                                   norm.logpdf(x, m1, s1) - norm.logpdf(x, m2, s2)
                                   + math.log(prior / (1 - prior)), atol=2e-3)
        assert panel.error is None
        assert_matches_full_render(panel)
    panel.s_1.value = panel.s_2.value = 1.3
    assert "straight line" in panel.status.value


@pytest.fixture(scope="module")
def discriminator_panel():
    return OptimalDiscriminatorExplorer(retrain_steps=600)


def test_optimal_discriminator_panel_numbers(discriminator_panel):
    panel = discriminator_panel
    panel.shift.value, panel.std.value = 0.5, 1.4
    x = panel.grid
    pd = 0.4 * norm.pdf(x, -1.5, 0.6) + 0.6 * norm.pdf(x, 1.5, 0.8)  # P_DATA, written out
    pg = norm.pdf(x, 0.5, 1.4)
    np.testing.assert_allclose(panel.result["d_star"], pd / (pd + pg), atol=1e-5)
    assert panel.result["criterion"] == pytest.approx(-math.log(4) + 2 * panel.result["js"], abs=1e-4)
    assert panel.result["stale"]            # the trained D belongs to the previous p_g
    panel.retrain()
    assert not panel.result["stale"]
    assert float(panel.trained.value) <= panel.result["criterion"] + 1e-3


def test_optimal_discriminator_panel_controls(discriminator_panel, compilations):
    panel = discriminator_panel
    mark = compilations.mark()  # the panel trained once already, when it was made
    for shift, std in itertools.product((-4.0, 0.0, 4.0), (0.3, 3.0)):
        panel.shift.value, panel.std.value = shift, std
        assert panel.error is None and np.isfinite(panel.result["criterion"])
        assert -math.log(4) - 1e-4 <= panel.result["criterion"] <= 1e-6
    panel.retrain_button.click()
    assert panel.error is None and not panel.result["stale"]
    assert compilations.since(mark) == []


def test_generator_gradient_panel_closed_forms():
    panel = GeneratorGradientExplorer()
    for d in (1e-4, 0.01, 0.5, 0.9, 0.999):
        panel.d.value = d
        d = panel.d.value
        # with respect to the logit: d/dl ln(1 - sigmoid(l)) = -D, d/dl -ln sigmoid(l) = -(1 - D)
        assert panel.result["saturating"] == pytest.approx(-d, rel=1e-4, abs=1e-7)
        assert panel.result["non_saturating"] == pytest.approx(-(1 - d), rel=1e-4, abs=1e-7)
        assert_matches_full_render(panel)
