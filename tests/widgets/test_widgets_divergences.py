"""Lesson 02 and 03 explorers: right numbers, every control position, no recompilation.

Expected values come from closed forms evaluated here with numpy and from
scipy quadrature, not from the package under test.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.stats import norm

from gan_lessons.widgets import DivergenceExplorer, FitExplorer
from panel_helpers import assert_matches_full_render


def _closed_form_kl(mp, sp, mq, sq):
    return math.log(sq / sp) + (sp ** 2 + (mp - mq) ** 2) / (2 * sq ** 2) - 0.5


@pytest.fixture(scope="module")
def divergence_panel():
    return DivergenceExplorer()


def test_divergence_panel_numbers_match_closed_forms(divergence_panel):
    panel = divergence_panel
    panel.mu_p.value, panel.sigma_p.value, panel.mu_q.value, panel.sigma_q.value = -0.5, 0.8, 1.0, 1.6
    r = panel.result
    assert r["kl_pq"] == pytest.approx(_closed_form_kl(-0.5, 0.8, 1.0, 1.6), rel=1e-5)
    assert r["kl_qp"] == pytest.approx(_closed_form_kl(1.0, 1.6, -0.5, 0.8), rel=1e-5)
    assert r["kl_pq_quadrature"] == pytest.approx(r["kl_pq"], abs=1e-4)
    for name in ("kl_pq", "kl_qp"):
        estimate, stderr = r[name + "_mc"]
        assert abs(estimate - r[name]) < 5 * stderr
    # JSD by scipy quadrature of its definition
    p, q = norm(-0.5, 0.8), norm(1.0, 1.6)
    m = lambda x: 0.5 * (p.pdf(x) + q.pdf(x))  # noqa: E731
    js = 0.5 * quad(lambda x: p.pdf(x) * math.log(p.pdf(x) / m(x)) if p.pdf(x) > 0 else 0.0, -15, 15)[0] \
        + 0.5 * quad(lambda x: q.pdf(x) * math.log(q.pdf(x) / m(x)) if q.pdf(x) > 0 else 0.0, -15, 15)[0]
    assert r["js_quadrature"] == pytest.approx(js, abs=1e-4)
    assert 0.0 <= r["ks"] <= 1.0
    assert "KL(p||q)" in panel.status.value


def test_divergence_panel_never_recompiles_or_raises(divergence_panel, compilations):
    panel = divergence_panel
    mark = compilations.mark()
    for mu_p, mu_q in itertools.product((panel.mu_p.min, 0.0, panel.mu_p.max), repeat=2):
        for sp, sq in itertools.product((panel.sigma_p.min, panel.sigma_p.max), repeat=2):
            panel.mu_p.value, panel.mu_q.value = mu_p, mu_q
            panel.sigma_p.value, panel.sigma_q.value = sp, sq
            assert panel.error is None
            assert all(np.isfinite(v) for v in (panel.result["kl_pq"], panel.result["js_quadrature"]))
            assert_matches_full_render(panel)
    assert compilations.since(mark) == []
    for n in panel.sample_size.options:  # KS sample sizes only slice fixed arrays
        panel.sample_size.value = n
        assert panel.result["n"] == n
    assert compilations.since(mark) == []


@pytest.fixture(scope="module")
def fit_panel():
    return FitExplorer()


def test_fit_panel_forward_kl_matches_moments(fit_panel):
    panel = fit_panel
    panel.separation.value, panel.weight.value, panel.init_mean.value = 4.0, 0.3, -1.0
    # mixture 0.3 N(-2, 1) + 0.7 N(2, 1): mean 0.3*-2 + 0.7*2 = 0.8, E[x^2] = 1 + 4 = 5
    mean, var = 0.8, 5.0 - 0.8 ** 2
    fit = panel.fits["forward_kl"]
    assert fit["means"][-1] == pytest.approx(mean, abs=0.02)
    assert fit["stds"][-1] == pytest.approx(math.sqrt(var), abs=0.02)


def test_fit_panel_reverse_kl_seeks_the_mode_it_starts_near(fit_panel):
    panel = fit_panel
    panel.separation.value, panel.weight.value = 6.0, 0.5
    panel.init_mean.value = 2.5
    assert panel.fits["reverse_kl"]["means"][-1] == pytest.approx(3.0, abs=0.1)
    panel.init_mean.value = -2.5
    assert panel.fits["reverse_kl"]["means"][-1] == pytest.approx(-3.0, abs=0.1)


def test_fit_panel_controls_never_recompile_or_raise(fit_panel, compilations):
    panel = fit_panel
    mark = compilations.mark()
    for separation, weight, start in itertools.product((0.0, 8.0), (0.1, 0.9), (-5.0, 5.0)):
        panel.separation.value, panel.weight.value, panel.init_mean.value = separation, weight, start
        assert panel.error is None
        for fit in panel.fits.values():
            assert np.all(np.isfinite(fit["means"])) and np.all(fit["stds"] > 0)
    for name in ("forward KL", "reverse KL", "JSD"):
        panel.divergence.value = name
    for step in (0, 5, 200, panel.step.max):
        panel.step.value = step
        assert f"after {step} of" in panel.axes[0].get_title()
        assert_matches_full_render(panel)
    assert compilations.since(mark) == []
