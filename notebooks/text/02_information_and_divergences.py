# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 02 — Information and divergences
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/gan-lessons/gan-lessons/blob/main/notebooks/02_information_and_divergences.ipynb)
#
# A generator is good when the distribution of its samples is close to the distribution of the data.
# To train it we need a number that says *how close*. This lesson builds those numbers from the ground
# up: the information carried by an event, entropy, the Kullback–Leibler (KL) divergence, the
# Jensen–Shannon divergence (the one a GAN secretly minimises, lesson 05), and the Kolmogorov–Smirnov
# statistic, which compares two *samples* rather than two formulas. Every formula is checked
# numerically, against closed forms, quadrature and SciPy.
#
# **After this lesson you can**
# - compute the information of an event and the entropy of a distribution, in nats;
# - compute KL(p‖q) for discrete distributions and for two Gaussians, and say why it is ≥ 0 and not
#   symmetric;
# - estimate a divergence by Monte Carlo and by quadrature, and predict how the Monte-Carlo error shrinks;
# - use the Jensen–Shannon divergence and its bounds, and compute a two-sample KS statistic.

# %%
# On Colab only: install the course package, keeping Colab's own JAX (elsewhere this does nothing).
import sys

if "google.colab" in sys.modules:
    import subprocess
    from importlib.metadata import version

    from google.colab import output

    # Pinning the installed jax and jaxlib: pip keeps Colab's GPU/TPU build or stops with an error.
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "gan-lessons @ git+https://github.com/gan-lessons/gan-lessons",
                    f"jax=={version('jax')}", f"jaxlib=={version('jaxlib')}"], check=True)
    # Colab ships ipywidgets 7; the course brings 8, which Colab renders with this widget manager.
    output.enable_custom_widget_manager()

# %%
import numpy as np
import jax
import scipy.stats

from gan_lessons import divergences as dv
from gan_lessons.densities import Gaussian, GaussianMixture
from gan_lessons.plots import new_figure
from gan_lessons.plots.divergences import draw_kl_integrands, draw_two_densities

p, q = Gaussian(0.0, 1.0), Gaussian(1.5, 0.7)
x = np.linspace(-5, 5, 801)
figure, axes = new_figure(12, 3.8, ncols=2)
draw_two_densities(axes[0], x, p.prob(x), q.prob(x))
draw_kl_integrands(axes[1], x, dv.kl_integrand(p, q, x), dv.kl_integrand(q, p, x))
figure

# %% [markdown]
# *Two Gaussians and the integrands of the two KL divergences between them. The shaded areas are
# KL(p‖q) and KL(q‖p): different numbers for the same pair. By the end of the lesson you will know why.*
#
# ## 1. Information
#
# How surprised should we be when an event $x$ of probability $p(x)$ happens? We want a quantity
# $h(x)$ that is large for rare events, zero for a certain event, and **additive for independent
# events**: learning two unrelated facts gives the sum of their information,
# $h(x, y) = h(x) + h(y)$ whenever $p(x, y) = p(x)\,p(y)$. Since the probability multiplies and the
# information adds, $h$ must be a logarithm:
#
# $$ h(x) = -\ln p(x). $$
#
# The minus sign makes it non-negative, because $0 \le p(x) \le 1$. With the natural logarithm the
# unit is the **nat**; with $\log_2$ it would be the bit (1 bit = ln 2 nats). This course uses nats
# throughout.

# %%
p_heads, p_six = 0.5, 1 / 6
h = lambda prob: -np.log(prob)  # noqa: E731
print(f"h(heads) = {h(p_heads):.4f}, h(six) = {h(p_six):.4f}")
print(f"h(heads and six) = {h(p_heads * p_six):.4f} = h(heads) + h(six) = {h(p_heads) + h(p_six):.4f}")

# %% [markdown]
# ## 2. Entropy
#
# The **entropy** of a distribution is its average information, the expected surprise of a draw:
#
# $$ H(p) = \sum_x p(x)\,h(x) = -\sum_x p(x) \ln p(x), \qquad\text{or}\qquad H(p) = -\int p(x)\ln p(x)\,dx $$
#
# for a density (the *differential* entropy). By convention $0 \ln 0 = 0$: impossible outcomes add
# nothing. A peaked distribution has low entropy; a spread-out one, high entropy. Among distributions
# on $K$ outcomes the **uniform** one has the largest entropy, $\ln K$. For a coin with
# $P(\text{heads}) = \theta$, $H = -\theta\ln\theta - (1-\theta)\ln(1-\theta)$, largest ($\ln 2$) for a
# fair coin. `dv.entropy` agrees with SciPy on random distributions:

# %%
rng = np.random.default_rng(0)
batch = rng.dirichlet(np.ones(6), size=1000)
print("largest difference from scipy.stats.entropy:",
      np.max(np.abs(np.asarray(dv.entropy(batch)) - scipy.stats.entropy(batch, axis=-1))))
print(f"uniform on 6 outcomes: H = {float(dv.entropy(np.full(6, 1 / 6))):.4f} = ln 6 = {np.log(6):.4f}")
print("largest entropy among the 1000 random distributions:", float(np.max(dv.entropy(batch))))

# %% [markdown]
# ## 3. The Kullback–Leibler divergence
#
# Suppose outcomes come from $p$ but we *believe* they come from $q$. Our average surprise is then
# $-\sum_x p(x)\ln q(x)$ (the **cross-entropy**), more than the $H(p)$ we would have with the right
# beliefs. The excess is the **KL divergence**:
#
# $$ \mathrm{KL}(p\,\|\,q) = \sum_x p(x) \ln\frac{p(x)}{q(x)} = -\sum_x p(x)\ln q(x) - H(p). $$
#
# Before proving anything, explore. The panel below draws two Gaussians; move their means and
# standard deviations, and watch the two integrands and the numbers. Try: equal Gaussians (both KLs
# 0); a narrow $q$ inside a wide $p$ and the reverse (which KL explodes?); far-apart means (what does
# the JSD do?).

# %%
from gan_lessons.widgets import DivergenceExplorer

explorer = DivergenceExplorer()
explorer

# %% [markdown]
# **Three properties** you may have noticed:
#
# 1. **KL(p‖q) ≥ 0, with equality only if p = q** (Gibbs' inequality). Proof: $\ln t \le t - 1$ for
#    all $t > 0$, with equality only at $t = 1$. With $t = q(x)/p(x)$,
#    $-\mathrm{KL}(p\|q) = \sum_x p(x)\ln\frac{q(x)}{p(x)} \le \sum_x p(x)\big(\frac{q(x)}{p(x)} - 1\big) = \sum_x q(x) - 1 \le 0.$
# 2. **It is not symmetric**: KL(p‖q) averages $\ln(p/q)$ over $p$, KL(q‖p) averages $\ln(q/p)$ over $q$.
# 3. **It is infinite when q = 0 where p > 0**: believing something impossible that then happens is
#    infinitely surprising. Terms with $p(x) = 0$ contribute nothing, whatever $q(x)$ is.
#
# Let us check all three, and SciPy's `entropy(p, q)` (which computes KL), on random inputs.

# %%
p_batch, q_batch = rng.dirichlet(np.ones(5), size=(2, 1000))
kl = np.asarray(dv.kl_divergence(p_batch, q_batch))
print("max |KL - scipy|          :", np.max(np.abs(kl - scipy.stats.entropy(p_batch, q_batch, axis=-1))))
print("smallest KL(p||q)         :", kl.min(), " (>= 0)")
print("max KL(p||p)              :", float(np.max(np.abs(dv.kl_divergence(p_batch, p_batch)))))
print("KL(p||q) vs KL(q||p), one pair:", kl[0], float(dv.kl_divergence(q_batch[0], p_batch[0])))
print("q = 0 where p > 0         :", float(dv.kl_divergence([0.5, 0.5], [1.0, 0.0])))
print("p = 0 where q > 0         :", float(dv.kl_divergence([1.0, 0.0], [0.5, 0.5])), "= ln 2")

# %% [markdown]
# ## 4. KL between two Gaussians, three ways
#
# For densities the sum becomes an integral. For $p = \mathcal N(\mu_p, \sigma_p^2)$ and
# $q = \mathcal N(\mu_q, \sigma_q^2)$, write $\ln p(x) - \ln q(x) = \ln\frac{\sigma_q}{\sigma_p}
# - \frac{(x-\mu_p)^2}{2\sigma_p^2} + \frac{(x-\mu_q)^2}{2\sigma_q^2}$ and average over $x \sim p$, using
# $\mathbb E_p[(x-\mu_p)^2] = \sigma_p^2$ and $\mathbb E_p[(x-\mu_q)^2] = \sigma_p^2 + (\mu_p-\mu_q)^2$:
#
# $$ \mathrm{KL}(p\,\|\,q) = \ln\frac{\sigma_q}{\sigma_p} + \frac{\sigma_p^2 + (\mu_p - \mu_q)^2}{2\sigma_q^2} - \frac12. $$
#
# Two independent numerical checks: **quadrature** (the integral evaluated on a fine grid) and
# **Monte Carlo** (the average of $\ln p(X) - \ln q(X)$ over samples $X \sim p$). The Monte-Carlo
# estimate is random; its standard error is $s/\sqrt n$, where $s$ is the standard deviation of
# $\ln p(X) - \ln q(X)$. So to halve the error we need four times as many samples. The plot checks
# this rate over many seeds.

# %%
from gan_lessons.runtime import by_mode
from gan_lessons.plots.divergences import draw_convergence

p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)
exact = float(dv.gaussian_kl(0.0, 1.0, 1.0, 2.0))
mc = dv.kl_monte_carlo(jax.random.key(0), p, q, 10_000)
print(f"closed form {exact:.5f} | quadrature {float(dv.kl_quadrature(p, q)):.5f} | "
      f"Monte Carlo {float(mc.estimate):.5f} +- {float(mc.stderr):.5f}")
sizes, seeds = [100, 400, 1600, 6400], by_mode(200, 40)
keys = jax.random.split(jax.random.key(1), seeds)
rms = [np.sqrt(np.mean([(float(dv.kl_monte_carlo(k, p, q, n).estimate) - exact) ** 2 for k in keys]))
       for n in sizes]
figure, ax = new_figure(6, 3.6)
draw_convergence(ax, sizes, {"RMS error of the Monte-Carlo KL": rms}, reference=1.0)
figure

# %% [markdown]
# Each fourfold increase of $n$ halves the error: the points follow the dashed $1/\sqrt n$ line.
#
# ## 5. The Jensen–Shannon divergence
#
# KL's asymmetry and its infinities are awkward for comparing a model with data. The
# **Jensen–Shannon divergence** compares each distribution with their average
# $m = \tfrac12(p+q)$:
#
# $$ \mathrm{JSD}(p, q) = \tfrac12\,\mathrm{KL}(p\,\|\,m) + \tfrac12\,\mathrm{KL}(q\,\|\,m). $$
#
# It is **symmetric**, **always finite** ($m > 0$ wherever $p$ or $q$ is), and
# $0 \le \mathrm{JSD} \le \ln 2$: the upper bound holds because $m \ge p/2$, so
# $\ln(p/m) \le \ln 2$; it is reached when $p$ and $q$ do not overlap at all. Moreover
# $\sqrt{\mathrm{JSD}}$ is a **metric** (Endres and Schindelin, 2003): it satisfies the triangle
# inequality. SciPy's `jensenshannon` returns that square root.

# %%
a, b, c = rng.dirichlet(np.ones(4), size=(3, 2000))
js_ab = np.asarray(dv.js_divergence(a, b))
print("max |JSD - scipy^2|    :", np.max(np.abs(js_ab - scipy.spatial.distance.jensenshannon(a, b, axis=-1) ** 2)))
print("max |JSD(a,b)-JSD(b,a)|:", np.max(np.abs(js_ab - np.asarray(dv.js_divergence(b, a)))))
print("largest JSD / ln 2     :", js_ab.max() / np.log(2), "; disjoint supports:",
      float(dv.js_divergence([0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5])) / np.log(2))
root = lambda u, v: np.sqrt(np.asarray(dv.js_divergence(u, v)))  # noqa: E731
print("triangle inequality violations:", int(np.sum(root(a, c) > root(a, b) + root(b, c) + 1e-12)))

# %% [markdown]
# ## 6. Comparing samples: the Kolmogorov–Smirnov statistic
#
# KL and JSD need the densities. Often we only have **samples**, say $n$ data points and $m$ generated
# points. Their **empirical cumulative distribution functions** are
# $F_n(t) = \frac1n\#\{i : x_i \le t\}$ and $G_m(t) = \frac1m\#\{j : y_j \le t\}$, and the
# two-sample **Kolmogorov–Smirnov statistic** is their largest vertical gap,
#
# $$ \mathrm{KS} = \sup_t \,\big|F_n(t) - G_m(t)\big| \in [0, 1]. $$
#
# As the samples grow, $F_n$ and $G_m$ approach the true CDFs $F$ and $G$. If the two samples come from
# the **same** distribution, KS shrinks towards 0 like $1/\sqrt n$; if not, it approaches
# $\sup_t |F(t) - G(t)| > 0$. Below: samples from $p = \mathcal N(0,1)$ against a second sample from $p$,
# and against samples from $q = \mathcal N(0.3, 1)$.

# %%
p, q = Gaussian(0.0, 1.0), Gaussian(0.3, 1.0)
t = np.linspace(-6, 6, 4001)
limit = float(np.max(np.abs(p.cdf(t) - q.cdf(t))))
sizes = [30, 100, 300, 1000, 3000, 10000]
keys = jax.random.split(jax.random.key(2), 3)
same = [float(dv.ks_statistic(p.sample(keys[0], n), p.sample(keys[1], n))) for n in sizes]
other = [float(dv.ks_statistic(p.sample(keys[0], n), q.sample(keys[2], n))) for n in sizes]
print("scipy agrees:", np.isclose(other[-1], scipy.stats.ks_2samp(
    np.asarray(p.sample(keys[0], sizes[-1])), np.asarray(q.sample(keys[2], sizes[-1]))).statistic))
figure, ax = new_figure(6.5, 3.6)
draw_convergence(ax, sizes, {"p vs another sample of p": same, "p vs q": other}, reference=1.0,
                 ylabel="KS statistic")
ax.axhline(limit, color="grey", ls=":", label=f"sup |F - G| = {limit:.3f}")
ax.legend(fontsize="small")
figure

# %% [markdown]
# ## Exercises
#
# **Exercise 1 (entropy).** Compute, in nats, the entropy of the distribution `ENTROPY_P` = (1/2, 1/4, 1/4).

# %%
from gan_lessons.exercises import lesson02 as ex

h = ...  # your answer
ex.check_entropy(h)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $H = -\tfrac12\ln\tfrac12 - 2\cdot\tfrac14\ln\tfrac14 = \tfrac12\ln 2 + \tfrac12\ln 4 = 1.5\ln 2 \approx 1.0397$ nats
# (1.5 bits). `h = 1.5 * np.log(2)`.
# </details>
#
# **Exercise 2 (Gaussian KL).** Compute KL(p‖q) for $p = \mathcal N(0, 1)$ and $q = \mathcal N(1, 2^2)$
# (standard deviation 2) with the closed form, by hand.

# %%
kl = ...  # your answer
ex.check_gaussian_kl(kl)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $\ln\frac{2}{1} + \frac{1 + (0-1)^2}{2\cdot 4} - \frac12 = \ln 2 - \frac14 \approx 0.4431$.
# </details>
#
# **Exercise 3 (JSD at its maximum).** $p$ and $q$ have disjoint supports (no outcome is possible under
# both). What is JSD(p, q)?

# %%
js = ...  # your answer
ex.check_disjoint_js(js)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# Where $p > 0$, $q = 0$ and $m = p/2$, so $\mathrm{KL}(p\|m) = \sum p \ln 2 = \ln 2$; likewise for $q$.
# JSD $= \ln 2 \approx 0.693$, however far apart the supports are.
# </details>
#
# **Exercise 4 (KS by hand).** Compute the KS statistic of the samples `KS_X` = (1, 3, 5) and
# `KS_Y` = (2, 4). Check yourself with `dv.ks_statistic` afterwards.

# %%
ks = ...  # your answer
ex.check_ks(ks)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# | t | 1 | 2 | 3 | 4 | 5 |
# |---|---|---|---|---|---|
# | $F_3(t)$ | 1/3 | 1/3 | 2/3 | 2/3 | 1 |
# | $G_2(t)$ | 0 | 1/2 | 1/2 | 1 | 1 |
# | gap | 1/3 | 1/6 | 1/6 | 1/3 | 0 |
#
# KS = 1/3.
# </details>
#
# ## Summary
#
# - Information $h = -\ln p$ adds for independent events; entropy is its average, largest for the
#   uniform distribution.
# - $\mathrm{KL}(p\|q) = \mathbb E_p[\ln p/q] \ge 0$, zero only for $p = q$, not symmetric, infinite where
#   $q = 0 < p$. For Gaussians it has a closed form; quadrature and Monte Carlo (error $\propto 1/\sqrt n$)
#   confirm it.
# - JSD is symmetric, finite and bounded by $\ln 2$; its square root is a metric.
# - KS compares two samples through their empirical CDFs: no densities needed.
#
# **Next:** lesson 03 asks which direction of KL a model should minimise, and finds that maximum
# likelihood already made the choice.
#
# ## References
#
# - C. E. Shannon, "A mathematical theory of communication", *Bell System Technical Journal*, 1948.
# - S. Kullback and R. A. Leibler, "On information and sufficiency", *Ann. Math. Statist.*, 1951.
# - J. Lin, "Divergence measures based on the Shannon entropy", *IEEE Trans. Inf. Theory*, 1991 (JSD).
# - D. M. Endres and J. E. Schindelin, "A new metric for probability distributions",
#   *IEEE Trans. Inf. Theory*, 2003 ($\sqrt{\mathrm{JSD}}$ is a metric).
# - I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, 2016, section 3.13 (information theory).
# - Lecture notes: physics lecture 24 on GANs (information, entropy, KL, the Gaussian example, JSD,
#   Kolmogorov–Smirnov); applied physics lecture 22 (KL and JS divergences).
