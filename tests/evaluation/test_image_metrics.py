"""Tests for gan_lessons.evaluation.image_metrics: oracles are closed forms, scipy and brute force."""

import jax
import numpy as np
import pytest
import scipy.stats

from gan_lessons.evaluation import image_metrics as im
from gan_lessons.evaluation.image_metrics import (
    DigitClassifier,
    ImageReport,
    PixelKS,
    classifier_score,
    evaluate_images,
    frechet_distance,
    frechet_from_stats,
    nearest_training_distance,
    pixel_ks,
    train_digit_classifier,
)
from gan_lessons.data.images import load_digits


@pytest.fixture(scope="module")
def digits():
    return load_digits()


@pytest.fixture(scope="module")
def clf(digits):
    return train_digit_classifier(jax.random.key(0), digits.images, digits.labels)


# --------------------------------------------------------------------------- classifier


def test_held_out_accuracy_and_stratified_disjoint_split(clf, digits):
    assert clf.held_out_accuracy >= 0.95
    train, held = clf.train_indices, clf.held_out_indices
    assert np.intersect1d(train, held).size == 0
    np.testing.assert_array_equal(np.union1d(train, held), np.arange(len(digits.labels)))
    per_class = np.bincount(digits.labels[held], minlength=10)
    np.testing.assert_array_equal(per_class, np.round(0.2 * np.bincount(digits.labels)))
    assert clf.accuracy(digits.images[held], digits.labels[held]) == clf.held_out_accuracy
    assert clf.losses.shape == (600,) and clf.losses[-50:].mean() < 0.1 * clf.losses[:10].mean()
    assert "held_out_accuracy=" in repr(clf)


def test_same_key_same_classifier_without_recompiling(clf, digits, compilations):
    keys = jax.random.key(0), jax.random.key(1)
    mark = compilations.mark()
    again = train_digit_classifier(keys[0], digits.images, digits.labels)
    assert compilations.since(mark) == []
    np.testing.assert_array_equal(again.held_out_indices, clf.held_out_indices)
    for a, b in zip(jax.tree.leaves(again.params), jax.tree.leaves(clf.params)):
        np.testing.assert_array_equal(a, b)
    assert again.held_out_accuracy == clf.held_out_accuracy
    mark = compilations.mark()
    other = train_digit_classifier(keys[1], digits.images, digits.labels)
    assert compilations.since(mark) == []
    assert not np.array_equal(other.held_out_indices, clf.held_out_indices)
    assert other.held_out_accuracy >= 0.95


def test_forward_passes_batch_shapes_and_compile_once(clf, digits, compilations):
    images = digits.images  # 1797 rows: two padded chunks of 1024
    probs, feats = clf.probabilities(images), clf.features(images)
    assert probs.shape == (1797, 10) and feats.shape == (1797, 64)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    mark = compilations.mark()
    np.testing.assert_allclose(clf.features(images[:7]), feats[:7], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(clf.probabilities(images[1500:, :, :, None]), probs[1500:],
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(clf.predict(images[:9].reshape(9, 64)), probs[:9].argmax(1))
    assert compilations.since(mark) == []
    assert clf.accuracy(images, digits.labels) == np.mean(probs.argmax(1) == digits.labels)


# --------------------------------------------------------------------------- Fréchet distance


def _oracle(mu_a, cov_a, mu_b, cov_b):
    """Tr sqrt(A B) = sum of sqrt(eig(A^1/2 B A^1/2)), with eigh only (no sqrtm)."""
    w, v = np.linalg.eigh(cov_a)
    root_a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    middle = np.clip(np.linalg.eigvalsh(root_a @ cov_b @ root_a), 0, None)
    diff = np.asarray(mu_a) - np.asarray(mu_b)
    return diff @ diff + np.trace(cov_a) + np.trace(cov_b) - 2 * np.sqrt(middle).sum()


def test_frechet_from_stats_diagonal_closed_form():
    mu1, mu2 = np.array([0.0, 1.0, -2.0]), np.array([1.0, -1.0, 0.5])
    s1, s2 = np.array([1.0, 0.5, 2.0]), np.array([0.3, 0.5, 1.0])
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((s1 - s2) ** 2)
    got = frechet_from_stats(mu1, np.diag(s1 ** 2), mu2, np.diag(s2 ** 2))
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("rank_b", [6, 3])  # full rank, and a singular covariance
def test_frechet_from_stats_non_commuting_against_eigen_oracle(rank_b):
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(6, 6)), rng.normal(size=(6, rank_b))
    cov_a, cov_b = a @ a.T + 0.1 * np.eye(6), b @ b.T
    assert not np.allclose(cov_a @ cov_b, cov_b @ cov_a)
    mu_a, mu_b = rng.normal(size=6), rng.normal(size=6)
    got = frechet_from_stats(mu_a, cov_a, mu_b, cov_b)
    assert got == pytest.approx(_oracle(mu_a, cov_a, mu_b, cov_b), rel=1e-7)
    assert got == pytest.approx(frechet_from_stats(mu_b, cov_b, mu_a, cov_a), rel=1e-7)
    assert frechet_from_stats(mu_a, cov_a, mu_a, cov_a) == pytest.approx(0.0, abs=1e-9)


def test_frechet_distance_of_large_samples_matches_closed_form():
    rng = np.random.default_rng(2)
    mu1, mu2 = np.array([0.0, 1.0, 2.0]), np.array([0.5, 1.0, 0.0])
    s1, s2 = np.array([1.0, 2.0, 0.5]), np.array([1.5, 1.0, 0.5])
    x = mu1 + s1 * rng.normal(size=(200_000, 3))
    y = mu2 + s2 * rng.normal(size=(200_000, 3))
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((s1 - s2) ** 2)  # 4.25 + 1.25
    assert frechet_distance(x, y) == pytest.approx(expected, abs=0.03)
    assert frechet_distance(x, x) == pytest.approx(0.0, abs=1e-10)
    assert frechet_distance(x[:, :1], y[:, :1]) == pytest.approx(0.25 + 0.25, abs=0.02)


def test_frechet_real_halves_small_against_noise(clf, digits):
    rng = np.random.default_rng(3)
    order = rng.permutation(len(digits.images))
    half_a, half_b = digits.images[order[:898]], digits.images[order[898:]]
    noise = rng.uniform(-1, 1, size=(899, 8, 8))
    real = frechet_distance(clf.features(half_a), clf.features(half_b))
    fake = frechet_distance(clf.features(noise), clf.features(half_b))
    assert 0 < real < 0.05 * fake


# --------------------------------------------------------------------------- classifier score


def test_classifier_score_closed_forms():
    one_hot = np.zeros((50, 10))
    one_hot[:, 3] = 1
    assert classifier_score(one_hot) == 1.0
    for k in (2, 5, 10):
        assert classifier_score(np.eye(10)[np.arange(40) % k]) == pytest.approx(k, rel=1e-12)
    assert classifier_score(np.full((7, 10), 0.1)) == pytest.approx(1.0)


def test_classifier_score_matches_scipy_entropy():
    p = np.random.default_rng(4).dirichlet(np.full(10, 0.3), size=500)
    marginal = p.mean(axis=0)
    expected = np.exp(np.mean([scipy.stats.entropy(row, marginal) for row in p]))
    assert classifier_score(p) == pytest.approx(expected, rel=1e-10)
    assert 1.0 <= classifier_score(p) <= 10.0


# --------------------------------------------------------------------------- pixel KS


def test_pixel_ks_matches_scipy(digits):
    rng = np.random.default_rng(5)
    real = digits.images[:400]
    fake = np.clip(digits.images[400:700] + 0.3 * rng.normal(size=(300, 8, 8)), -1, 1)
    got = pixel_ks(real, fake, ink_threshold=0.25)
    stats = [lambda x: x.ravel(), lambda x: x.reshape(len(x), -1).mean(1),
             lambda x: x.reshape(len(x), -1).std(1),
             lambda x: (x.reshape(len(x), -1) > 0.25).mean(1)]
    expected = [scipy.stats.ks_2samp(f(real), f(fake)).statistic for f in stats]
    np.testing.assert_allclose([got.pixels, got.mean, got.std, got.ink], expected, rtol=1e-12)
    assert pixel_ks(real, real) == PixelKS(0.0, 0.0, 0.0, 0.0)


# --------------------------------------------------------------------------- nearest neighbours


def test_nearest_finds_exact_copy_and_matches_brute_force(digits, monkeypatch):
    rng = np.random.default_rng(6)
    train = digits.images[:500]
    generated = rng.uniform(-1, 1, size=(40, 8, 8))
    generated[7] = train[123]
    reference = digits.images[500:560]
    monkeypatch.setattr(im, "_PAIRS", 3 * 500)  # blocks of 3 rows: exercise the chunking
    result = nearest_training_distance(generated, train, reference=reference)
    assert result.distances[7] == 0.0 and result.indices[7] == 123
    brute = np.linalg.norm(generated.reshape(40, 1, 64) - train.reshape(1, 500, 64), axis=2)
    np.testing.assert_array_equal(result.indices, brute.argmin(axis=1))
    np.testing.assert_allclose(result.distances, brute.min(axis=1), rtol=1e-12)
    ref = np.linalg.norm(reference.reshape(60, 1, 64) - train.reshape(1, 500, 64), axis=2).min(1)
    np.testing.assert_allclose(result.reference_distances, ref, rtol=1e-6)
    assert result.ratio == pytest.approx(np.median(brute.min(1)) / np.median(ref))
    assert nearest_training_distance(generated, train).ratio is None
    distances, indices = result
    assert distances is result.distances and indices is result.indices


# --------------------------------------------------------------------------- report


def test_evaluate_images_baselines_and_table(clf, digits):
    train = digits.images[clf.train_indices]
    test = digits.images[clf.held_out_indices]
    noise = np.random.default_rng(7).uniform(-1, 1, size=(360, 8, 8))
    real = evaluate_images(clf, train[:1000], test, train[1000:])
    bad = evaluate_images(clf, train, test, noise)
    copies = evaluate_images(clf, train, test, train[:360])
    assert isinstance(real, ImageReport) and real.num_generated == len(train) - 1000
    assert real.frechet < 3 * real.frechet_real_baseline < bad.frechet / 10
    assert real.score > 9 and bad.score < real.score - 3
    assert bad.pixel.mean > 0.5 > 0.2 > real.pixel.mean
    assert 0.8 < real.memorisation_ratio < 1.25 < bad.memorisation_ratio
    assert copies.memorisation_ratio == 0.0
    assert real.num_baseline == real.num_generated == 1000 - 1000 + len(train) - 1000
    rows = np.linspace(0, 999, real.num_baseline).round().astype(int)
    assert real.frechet_real_baseline == pytest.approx(
        frechet_distance(clf.features(train[rows]), clf.features(test)))
    assert real.pixel_real_baseline == pixel_ks(test, train[rows])
    text, page = str(real), real._repr_html_()
    assert "real vs real" in text and "Fréchet distance" in text and "<table>" in page
    assert f"{real.frechet:.3f}" in text and f"{real.frechet_real_baseline:.3f}" in page


# --------------------------------------------------------------------------- validation

_IMG = np.zeros((5, 8, 8))


@pytest.mark.parametrize("call, error, name", [
    (lambda: train_digit_classifier(0, _IMG, np.zeros(5)), TypeError, "key"),
    (lambda: train_digit_classifier(jax.random.key(0), np.zeros((5, 8)), np.zeros(5)),
     ValueError, "images"),
    (lambda: train_digit_classifier(jax.random.key(0), _IMG, np.full(5, 10)), ValueError,
     "labels"),
    (lambda: train_digit_classifier(jax.random.key(0), _IMG, np.zeros(4)), ValueError, "labels"),
    (lambda: train_digit_classifier(jax.random.key(0), _IMG, np.zeros(5), held_out=1.0),
     ValueError, "held_out"),
    (lambda: train_digit_classifier(jax.random.key(0), _IMG, np.zeros(5), steps=0), ValueError,
     "steps"),
    (lambda: frechet_distance(np.zeros((1, 3)), np.zeros((5, 3))), ValueError, "features_a"),
    (lambda: frechet_distance(np.zeros((5, 3)), np.zeros((5, 2))), ValueError, "width"),
    (lambda: frechet_distance(np.zeros(5), np.zeros((5, 1))), ValueError, "features_a"),
    (lambda: frechet_distance(np.zeros((5, 2)), np.full((5, 2), np.nan)), ValueError,
     "features_b"),
    (lambda: frechet_from_stats(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3)), ValueError,
     "mean_b"),
    (lambda: frechet_from_stats(np.zeros(2), [[1, 1], [0, 1]], np.zeros(2), np.eye(2)),
     ValueError, "cov_a"),
    (lambda: frechet_from_stats(np.zeros(2), np.eye(2), np.zeros(2), -np.eye(2)), ValueError,
     "cov_b"),
    (lambda: classifier_score([[0.5, 0.6]]), ValueError, "probabilities"),
    (lambda: classifier_score([0.5, 0.5]), ValueError, "probabilities"),
    (lambda: classifier_score("x"), TypeError, "probabilities"),
    (lambda: pixel_ks(_IMG, np.zeros((5, 7, 7))), ValueError, "fake"),
    (lambda: pixel_ks(np.zeros(5), _IMG), ValueError, "real"),
    (lambda: pixel_ks(_IMG, _IMG, ink_threshold=np.inf), ValueError, "ink_threshold"),
    (lambda: nearest_training_distance(_IMG, np.zeros((5, 4))), ValueError, "training"),
    (lambda: nearest_training_distance(_IMG, _IMG, reference=np.zeros((2, 3))), ValueError,
     "reference"),
    (lambda: evaluate_images("clf", _IMG, _IMG, _IMG), TypeError, "classifier"),
])
def test_validation_names_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_classifier_methods_validate(clf):
    with pytest.raises(ValueError, match="images"):
        clf.features(np.zeros((3, 7, 7)))
    with pytest.raises(ValueError, match="generated"):
        evaluate_images(clf, _IMG, _IMG, _IMG[:1])
    with pytest.raises(ValueError, match="labels"):
        clf.accuracy(_IMG, np.zeros(4))
    assert isinstance(clf, DigitClassifier)
