"""Float64 oracles for 1-D Gaussian mixtures, from scipy: densities, log-densities, quadrature
over both densities' mass, and the Jensen-Shannon divergence by its definition."""

import math

import numpy as np
from scipy import integrate, special, stats

from gan_lessons.densities import GaussianMixture

def params(density):
    mix = density.as_mixture()
    return (np.asarray(mix.means, np.float64), np.asarray(mix.stds, np.float64),
            np.asarray(mix.weights, np.float64))


def logpdf(density, x):
    """ln p(x) in float64 from scipy.stats.norm, for a Gaussian or a mixture."""
    means, stds, weights = params(density)
    x = np.asarray(x, np.float64)[..., None]
    return special.logsumexp(stats.norm.logpdf(x, means, stds), b=weights, axis=-1)


def pdf(density, x):
    means, stds, weights = params(density)
    return np.sum(weights * stats.norm.pdf(np.asarray(x, np.float64)[..., None], means, stds),
                  axis=-1)


def quad(f, p, q):
    """scipy.integrate.quad of a scalar function over the mass of both densities."""
    centres = np.concatenate([params(p)[0], params(q)[0]])
    spread = np.concatenate([params(p)[1], params(q)[1]])
    lo, hi = np.min(centres - 14 * spread), np.max(centres + 14 * spread)
    return integrate.quad(f, lo, hi, points=sorted(set(centres.tolist())), limit=500,
                          epsabs=1e-12, epsrel=1e-10)[0]


def jsd_by_quad(p, q):
    """JSD(p, q) = 1/2 KL(p || m) + 1/2 KL(q || m), m = (p + q)/2, from its definition."""
    def f(x):
        lp, lq = logpdf(p, x), logpdf(q, x)
        lm = np.logaddexp(lp, lq) - math.log(2.0)
        return 0.5 * np.exp(lp) * (lp - lm) + 0.5 * np.exp(lq) * (lq - lm)
    return quad(f, p, q)


def random_mixture(rng):
    k = int(rng.integers(1, 4))
    return GaussianMixture(rng.uniform(-3, 3, k), rng.uniform(0.3, 2.0, k),
                           rng.dirichlet(np.ones(k)))


RANDOM_PAIRS = [(random_mixture(rng), random_mixture(rng))
                for rng in (np.random.default_rng(seed) for seed in range(5))]
