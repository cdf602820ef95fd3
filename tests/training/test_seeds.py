"""Seeds side by side with mode coverage over time, the Table 1 comparison, 1-D snapshots,
and the lesson-07 figures."""


import jax
import numpy as np
import pytest
import scipy.stats

from gan_lessons.data import RING
from gan_lessons.training.gan import GANConfig, make_trainer
from gan_lessons.training.seeds import (
    EVAL_SAMPLES,
    PACGAN_TABLE1,
    SeedRun,
    Table1,
    score_seeds,
    seed_state,
    snapshots_1d,
    summarise,
    train_seeds,
)
from gan_lessons.evaluation.metrics import histogram_density, kde, mode_coverage
from gan_lessons.plots import new_figure
from gan_lessons.plots.training import (
    draw_diagnostics,
    draw_figure1,
    draw_run_curves,
    draw_d_star_check,
    draw_seed_samples,
    seed_figure,
)

SMALL = GANConfig(dataset="ring", generator_hidden=(32, 32), discriminator_hidden=(32, 32),
                  batch_size=64)
SMALL_1D = GANConfig(dataset="gaussian_1d", latent_dim=1, generator_hidden=(16,),
                     discriminator_hidden=(16,), batch_size=64)


@pytest.fixture(scope="module")
def run() -> SeedRun:
    return train_seeds(make_trainer(SMALL), jax.random.split(jax.random.key(0), 2), 60, every=20,
                       n=500)


def test_train_seeds_scores_equal_a_direct_computation(run):
    trainer = make_trainer(SMALL)
    keys = jax.random.split(jax.random.key(0), 2)
    assert list(run.steps) == [20, 40, 60] and len(run.coverage) == 3
    assert run.metrics["d_loss"].shape == (2, 60) and run.samples.shape == (2, 500, 2)
    assert run.diverged_at == [None, None]
    for i in range(2):
        # seed i trained alone, sampled with the evaluation key, scored directly
        single, metrics = trainer.train(trainer.init(keys[i]), keys[i], 60)
        np.testing.assert_allclose(run.metrics["g_loss"][i], metrics["g_loss"], rtol=1e-5, atol=1e-6)
        samples = np.asarray(trainer.sample(single, jax.random.key(2500), 500))
        np.testing.assert_allclose(run.samples[i], samples, rtol=1e-4, atol=1e-5)
        direct = mode_coverage(samples, RING.means, RING.std)
        assert run.final()[i].modes == direct.modes
        assert run.final()[i].high_quality == pytest.approx(direct.high_quality, abs=2 / 500)
    assert run.series("modes").shape == (3, 2)
    assert np.all((run.series("high_quality") >= 0) & (run.series("high_quality") <= 1))
    with pytest.raises(ValueError, match="field"):
        run.series("accuracy")


def test_score_seeds_and_seed_state(run):
    trainer = make_trainer(SMALL)
    scores = score_seeds(trainer, run.states, jax.random.key(3), n=300)
    for i, score in enumerate(scores):
        state = seed_state(run.states, i)
        assert int(state.step) == 60
        direct = mode_coverage(np.asarray(trainer.sample(state, jax.random.key(3), 300)),
                               RING.means, RING.std)
        assert score.modes == direct.modes and score.num_samples == 300
    assert int(seed_state(run.states, -1).step) == 60
    with pytest.raises(ValueError, match="i must be"):
        seed_state(run.states, 2)
    with pytest.raises(ValueError, match="seed axis"):
        seed_state(trainer.init(jax.random.key(0)), 0)


def test_train_seeds_validates():
    trainer = make_trainer(SMALL)
    keys = jax.random.split(jax.random.key(0), 2)
    with pytest.raises(ValueError, match="multiple of every"):
        train_seeds(trainer, keys, 50, every=20)
    with pytest.raises(ValueError, match="every"):
        train_seeds(trainer, keys, 50, every=0)
    with pytest.raises(ValueError, match="2-D mixture"):
        train_seeds(make_trainer(SMALL_1D), keys, 20, every=20)
    with pytest.raises(ValueError, match="keys"):
        train_seeds(trainer, jax.random.key(0), 20, every=20)


def test_summarise_against_scipy():
    means = np.asarray(RING.means)
    results = [mode_coverage(means[:k], means, RING.std) for k in (8, 6, 3)]
    s = summarise(results)
    assert s.seeds == 3 and s.modes == pytest.approx(17 / 3)
    assert s.modes_std == pytest.approx(np.std([8, 6, 3], ddof=1))
    assert s.modes_sem == pytest.approx(scipy.stats.sem([8, 6, 3]))
    assert s.high_quality == 1.0
    # reverse KL of k equally filled modes out of 8 is ln(8 / k)
    assert s.reverse_kl == pytest.approx(np.mean([np.log(8 / k) for k in (8, 6, 3)]))
    assert summarise(results[:1]).modes_sem == 0.0
    with pytest.raises(ValueError):
        summarise([])


def test_table1_sets_our_figures_beside_the_paper():
    means = np.asarray(RING.means)
    table = Table1({"ring": summarise([mode_coverage(means, means, RING.std)] * 2)}, steps=1234)
    text = str(table)
    assert "6.3 ± 0.5" in text and "98.2 %" in text and "0.45" in text and "10 x 400,000" in text
    assert "8.0 ± 0.0" in text and "100.0 %" in text and "2 x 1,234" in text
    assert "<table>" in table._repr_html_()
    assert PACGAN_TABLE1["grid"].modes == 17.3 and PACGAN_TABLE1["grid"].reverse_kl == 0.70
    assert EVAL_SAMPLES == 2500


def test_snapshots_1d_record_the_state_at_each_moment():
    trainer = make_trainer(SMALL_1D)
    xs = np.linspace(-1, 3, 41)
    fresh = trainer.init(jax.random.key(0))
    expected_d0 = np.asarray(trainer.discriminator_probabilities(fresh, xs[:, None]))
    expected_step30, _ = trainer.train(trainer.init(jax.random.key(0)), jax.random.key(1), 30)
    state, snaps = snapshots_1d(trainer, trainer.init(jax.random.key(0)), jax.random.key(1),
                                [0, 30], xs=xs, n=500, lines=7, chunk=10)
    assert [s.step for s in snaps] == [0, 30] and int(state.step) == 30
    np.testing.assert_allclose(snaps[0].d, expected_d0, rtol=1e-6)
    np.testing.assert_allclose(snaps[1].d, trainer.discriminator_probabilities(expected_step30,
                                                                               xs[:, None]),
                               rtol=1e-5, atol=1e-6)
    assert snaps[1].fake.shape == (500,) and snaps[1].z.shape == snaps[1].gz.shape == (7,)
    # z are the normal quantiles (i + 1/2) / L and gz = G(z)
    np.testing.assert_allclose(snaps[1].z, scipy.stats.norm.ppf((np.arange(7) + 0.5) / 7), rtol=1e-5)
    np.testing.assert_allclose(snaps[1].gz, np.asarray(trainer.generate(
        expected_step30, snaps[1].z[:, None]))[:, 0], rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="multiples of chunk"):
        snapshots_1d(trainer, trainer.init(jax.random.key(0)), jax.random.key(1), [5], xs=xs)
    with pytest.raises(ValueError, match="increasing"):
        snapshots_1d(trainer, trainer.init(jax.random.key(0)), jax.random.key(1), [100, 0], xs=xs)
    with pytest.raises(ValueError, match="1-D data set"):
        snapshots_1d(make_trainer(SMALL), None, jax.random.key(1), [0], xs=xs)


def test_kde_integrates_to_one_and_handles_a_collapsed_generator():
    xs = np.linspace(-5, 5, 2001)
    dx = xs[1] - xs[0]
    p = kde(np.random.default_rng(1).normal(0.5, 1.0, 5000), xs)
    assert np.sum(p) * dx == pytest.approx(1.0, abs=2e-3)
    assert np.max(np.abs(p - scipy.stats.norm(0.5, 1).pdf(xs))) < 0.03
    spike = kde(np.full(100, 0.25), xs)
    assert np.sum(spike) * dx == pytest.approx(1.0, abs=1e-2) and xs[np.argmax(spike)] == 0.25
    with pytest.raises(ValueError, match="2 finite samples"):
        kde([1.0], xs)


def test_figures_draw(run):
    trainer = make_trainer(SMALL_1D)
    xs = np.linspace(-1, 3, 41)
    _, snaps = snapshots_1d(trainer, trainer.init(jax.random.key(0)), jax.random.key(1), [0],
                            xs=xs, n=200, lines=5, chunk=10)
    figure, axes = new_figure(12, 3, ncols=4)
    draw_figure1(axes[0], snaps[0], scipy.stats.norm(1, 0.5).pdf(xs))
    assert len(axes[0].lines) == 3 and len(axes[0].texts) >= 2 + 5  # 3 curves; labels and arrows
    draw_seed_samples(axes[1:3], np.asarray(RING.means), run.samples, run.final(),
                      extent=(-2, 2, -2, 2))
    assert "modes" in axes[1].get_title()
    draw_run_curves(axes[3], {"a": run}, "modes")
    assert [ax.get_title()[:6] for ax in seed_figure(run, RING.means, extent=(-2, 2, -2, 2)).axes] \
        == ["seed 0", "seed 1"]
    assert len(axes[3].lines) == 3  # two seeds and their mean
    with pytest.raises(ValueError, match="one axes"):
        draw_seed_samples(axes[1:2], np.zeros((1, 2)), run.samples, run.final(), extent=(0, 1, 0, 1))
    figure, axes = new_figure(12, 3, ncols=3)
    draw_diagnostics(axes, {name: values[0] for name, values in run.metrics.items()}, smooth=5)
    assert axes[2].get_yscale() == "log" and axes[1].get_ylim() == (0, 1)
    assert figure._repr_png_()[:4] == b"\x89PNG"


def test_histogram_density_against_scipy():
    edges = np.linspace(-3, 3, 61)
    x = np.random.default_rng(2).normal(size=200_000)
    p = histogram_density(x, edges)
    mass = np.diff(scipy.stats.norm.cdf(edges))
    exact = mass / np.diff(edges)  # mean density per bin
    sigma = np.sqrt(mass * (1 - mass) / x.size) / np.diff(edges)  # binomial error per bin
    assert np.all(np.abs(p - exact) < 5 * sigma)
    assert np.sum(p * np.diff(edges)) == pytest.approx(scipy.stats.norm.cdf(3) - scipy.stats.norm.cdf(-3),
                                                       abs=2e-3)
    with pytest.raises(ValueError, match="increasing"):
        histogram_density(x, [1.0, 0.0])
    figure, ax = new_figure(4, 3)
    xs = (edges[1:] + edges[:-1]) / 2
    draw_d_star_check(ax, xs, exact, exact, np.full(xs.size, 0.5))
    assert len(ax.lines) == 4
    np.testing.assert_allclose(ax.lines[2].get_ydata(), 0.5)  # D* = 1/2 where p_g = p_data


def test_a_discriminator_trained_against_a_frozen_generator_reaches_d_star():
    """Lesson 07's Figure 1(b) check: freeze a half-trained G (learning rate 0), train D alone,
    and compare D with D* = p_data / (p_data + p_g), p_data in closed form (scipy) and p_g from
    a histogram of a million samples. The mean error under (p_data + p_g) / 2 is small."""
    trainer = make_trainer(GANConfig(dataset="gaussian_1d", latent_dim=1, generator_hidden=(32, 32),
                                     discriminator_hidden=(32, 32), batch_size=128))
    state, _ = trainer.train(trainer.init(jax.random.key(3)), jax.random.key(4), 100)
    state = trainer.set_learning_rates(state, generator_lr=0.0)
    g_before = np.asarray(trainer.sample(state, jax.random.key(6), 1000))
    state, _ = trainer.train(state, jax.random.key(5), 2000)
    np.testing.assert_array_equal(trainer.sample(state, jax.random.key(6), 1000), g_before)  # frozen
    edges = np.linspace(-1.0, 3.0, 201)
    centres = (edges[1:] + edges[:-1]) / 2
    p_g = histogram_density(trainer.sample(state, jax.random.key(6), 1_000_000), edges)
    p_data = scipy.stats.norm(1.0, 0.5).pdf(centres)
    d_star = p_data / (p_data + p_g)
    d = np.asarray(trainer.discriminator_probabilities(state, centres[:, None]))
    weight = (p_data + p_g) / 2 * np.diff(edges)
    assert np.sum(weight) > 0.95  # the bins hold almost all of both distributions
    assert np.sum(weight * np.abs(d - d_star)) < 0.04


def test_with_a_strong_discriminator_the_saturating_loss_collapses():
    """Lesson 07, section 4: with k = 3 the saturating generator loses (D(G(z)) -> 0) and covers
    fewer modes than the non-saturating one trained from the same seeds."""
    keys = jax.random.split(jax.random.key(0), 2)
    runs = {loss: train_seeds(make_trainer(GANConfig(dataset="ring", d_steps=3, loss=loss)), keys,
                              2000, every=1000)
            for loss in ("non_saturating", "saturating")}
    late = slice(-200, None)
    assert runs["saturating"].metrics["d_fake"][:, late].mean() < 0.1
    assert runs["non_saturating"].metrics["d_fake"][:, late].mean() > 0.2
    assert runs["saturating"].series("modes")[-1].mean() < runs["non_saturating"].series("modes")[-1].mean()
    assert runs["saturating"].series("high_quality")[-1].mean() < 0.1


def test_scoring_reuses_one_compiled_sampler(run, compilations):
    trainer = make_trainer(SMALL)
    score_seeds(trainer, run.states, jax.random.key(3), n=300)
    mark = compilations.mark()
    score_seeds(trainer, run.states, jax.random.key(4), n=300)
    assert compilations.since(mark) == []  # the second call compiled nothing
