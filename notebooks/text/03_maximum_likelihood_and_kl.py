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
# # Lesson 03 — Maximum likelihood and the direction of KL
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/gan-lessons/gan-lessons/blob/main/notebooks/03_maximum_likelihood_and_kl.ipynb)
#
# The classical way to fit a model to data is **maximum likelihood**. This lesson shows that maximum
# likelihood is secretly the minimisation of one particular divergence, the *forward* KL, and what
# that choice does when the model is too simple for the data: it **covers** every mode, filling the
# valleys in between. The *reverse* KL would instead **seek** a single mode. We watch both (and the
# Jensen–Shannon divergence, in between) fit one Gaussian to two bumps, and end with the reason GANs
# exist: the reverse direction cannot be computed from data samples alone, but a discriminator can
# supply what is missing.
#
# **After this lesson you can**
# - derive "maximum likelihood = minimum KL(p_data‖p_model)";
# - predict, and explain, mode covering (forward KL) and mode seeking (reverse KL);
# - fit a model by gradient descent on a divergence with Optax in a jitted, scanned loop;
# - say why KL(p_model‖p_data) needs the data density, and how a discriminator's output gives
#   the density ratio.

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

from gan_lessons import divergences as dv
from gan_lessons.runtime import by_mode
from gan_lessons.densities import Gaussian, two_mode_mixture
from gan_lessons.fitting import fit_gaussian, fit_gaussian_many, maximum_likelihood_gaussian
from gan_lessons.plots import new_figure
from gan_lessons.plots.divergences import draw_fit

target = two_mode_mixture(6.0, weight=0.5, std=1.0)
x = np.linspace(-9, 9, 721)
names = {"forward_kl": "forward KL(p||q)", "reverse_kl": "reverse KL(q||p)", "js": "JSD(p, q)"}
fits = {name: fit_gaussian(target, name, init_mean=2.0, steps=by_mode(600, 300)) for name in names}
figure, axes = new_figure(13, 3.6, ncols=3)
for ax, (name, fit) in zip(axes, fits.items()):
    history = [Gaussian(m, s).prob(x) for m, s in zip(fit.means[::40], fit.stds[::40])]
    draw_fit(ax, x, target.prob(x), Gaussian(fit.means[-1], fit.stds[-1]).prob(x), label=names[name],
             history=history)
figure

# %% [markdown]
# *One Gaussian (red) fitted to a two-mode target (blue) by minimising three divergences; grey curves
# are earlier iterates. Forward KL spreads over both modes; reverse KL picks one; the JSD fit, from this
# start, also covers both (from further out it would pick a mode too: try the explorer below).*
#
# ## 1. Maximum likelihood minimises the forward KL
#
# A model $p_\theta$ and data $x_1, \dots, x_n$ drawn from an unknown $p_\text{data}$. Maximum
# likelihood chooses the $\theta$ that makes the data most probable, i.e. maximises the average
# log-likelihood $\frac1n\sum_i \ln p_\theta(x_i)$. As $n$ grows this average tends to an expectation,
# which we can rewrite with the definition of KL from lesson 02:
#
# $$ \mathbb E_{x\sim p_\text{data}}[\ln p_\theta(x)]
#    = \underbrace{\mathbb E_{p_\text{data}}[\ln p_\text{data}(x)]}_{-H(p_\text{data}),\ \text{independent of }\theta}
#    \; - \; \mathrm{KL}(p_\text{data}\,\|\,p_\theta). $$
#
# The entropy of the data does not depend on $\theta$, so
#
# $$ \arg\max_\theta \mathbb E_{p_\text{data}}[\ln p_\theta] = \arg\min_\theta \mathrm{KL}(p_\text{data}\,\|\,p_\theta). $$
#
# Check it numerically: the average log-likelihood of a Gaussian $q$ on many samples of our target,
# against $-H(p) - \mathrm{KL}(p\|q)$ computed by quadrature.

# %%
samples = target.sample(jax.random.key(0), by_mode(200_000, 50_000))
q = Gaussian(0.5, 2.0)
xs = np.linspace(-15, 15, 20_001)
entropy = -np.trapezoid(np.asarray(target.prob(xs) * target.log_prob(xs)), xs)
print(f"average log-likelihood on samples : {float(np.mean(q.log_prob(samples))):.4f}")
print(f"-H(p) - KL(p||q) by quadrature    : {-entropy - float(dv.kl_quadrature(target, q)):.4f}")

# %% [markdown]
# The two numbers agree to Monte-Carlo accuracy.
#
# **Maximum likelihood for a Gaussian is moment matching.** For $q = \mathcal N(\mu, \sigma^2)$,
# $\mathbb E_p[\ln q] = -\ln\sigma - \frac{\mathbb E_p[(x-\mu)^2]}{2\sigma^2} - \frac12\ln 2\pi$.
# Setting the derivatives to zero gives $\mu = \mathbb E_p[x]$ and $\sigma^2 = \mathrm{Var}_p[x]$: the
# model copies the mean and variance of the data, *whatever its shape*. On samples, that is the sample
# mean and the (biased, divide-by-$n$) sample variance. Three routes to the same Gaussian:

# %%
print("closed form (mixture moments):", float(target.mean_value), float(np.sqrt(target.variance)))
print("MLE on the samples           :", maximum_likelihood_gaussian(samples))
fit = fits["forward_kl"]
print("gradient descent on KL(p||q) :", float(fit.means[-1]), float(fit.stds[-1]))

# %% [markdown]
# ## 2. Mode covering and mode seeking
#
# Our target has two well-separated modes and our model only one bump. What is the "best" single
# Gaussian? It depends on the divergence:
#
# - **Forward KL**, $\mathrm{KL}(p\|q) = \mathbb E_p[\ln p/q]$, averages over the *data*. Wherever the data
#   has mass and $q$ is tiny, $\ln(p/q)$ is huge: the model is punished for **missing** any data. So it
#   stretches to **cover** both modes, and puts plenty of mass in the empty valley between them (where it
#   is not punished, since $p \approx 0$ there). The lecture notes put it as: likelihood "fills in"
#   between peaks.
# - **Reverse KL**, $\mathrm{KL}(q\|p) = \mathbb E_q[\ln q/p]$, averages over the *model*. Wherever the model
#   puts mass and the data has none, it is punished; missing data costs nothing. So it **seeks** one mode
#   and fits it snugly, ignoring the other.
# - **JSD** compares both with their mixture and behaves in between.
#
# The fits in the figure at the top are jitted `lax.scan` loops of Optax Adam steps on the divergence
# computed by quadrature (`gan_lessons.fitting`). Explore them below: move the separation, the weights
# and the starting point; replay the fits with the ▶ button.

# %%
from gan_lessons.widgets import FitExplorer

explorer = FitExplorer()
explorer

# %% [markdown]
# ## 3. The answer depends on where you start, and on the separation
#
# Forward KL has a single answer (moment matching). Reverse KL can have several *local* minima, one on
# each mode, and for modes that are far apart also a broad one in the middle; gradient descent ends in
# the basin it started in. For modes that are close, a single broad Gaussian wins. Below, reverse-KL
# fits from many starting means (run side by side with `jax.vmap`), for three separations.

# %%
starts = np.linspace(-4, 4, 33)
figure, ax = new_figure(7, 3.8)
for separation in (3.0, 6.0, 8.0):
    fits_many = fit_gaussian_many(two_mode_mixture(separation), "reverse_kl", starts, steps=by_mode(600, 300))
    ax.plot(starts, np.asarray(fits_many.means)[:, -1], "o-", ms=4, label=f"modes at ±{separation / 2:g}")
ax.set_xlabel("starting mean")
ax.set_ylabel("mean after fitting")
ax.set_title("Reverse KL: where each fit ends")
ax.legend(fontsize="small")
figure

# %% [markdown]
# With modes at ±1.5 every start ends in the middle (the modes overlap enough that one broad Gaussian
# is best). With modes at ±3 there are three basins: starts near a mode lock onto it, starts near 0
# stay on a broad compromise. With modes at ±4 the side basins reach further in.
#
# ## 4. Why GANs: the reverse direction needs the data density
#
# To estimate $\mathrm{KL}(p_\text{data}\|p_\theta) = \mathbb E_{p_\text{data}}[\ln p_\text{data}] -
# \mathbb E_{p_\text{data}}[\ln p_\theta]$ from data we only need $\ln p_\theta$ at the data points: the
# first term is a constant. That is why maximum likelihood works with samples. But
#
# $$ \mathrm{KL}(p_\theta\,\|\,p_\text{data}) = \mathbb E_{x\sim p_\theta}\big[\ln p_\theta(x) - \ln p_\text{data}(x)\big] $$
#
# needs $\ln p_\text{data}$ **at the model's samples**, and nobody knows the data density: we only have
# data points. (The JSD needs it too.) A GAN's way out is a **discriminator**: a classifier trained to
# tell data from model samples. Lesson 05 shows that the best possible one is
#
# $$ D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_\theta(x)}, \qquad\text{so}\qquad
#    \ln\frac{D^*(x)}{1 - D^*(x)} = \ln p_\text{data}(x) - \ln p_\theta(x): $$
#
# its logit is exactly the missing log density ratio. With it, the reverse KL becomes an average over
# model samples only: $\mathrm{KL}(p_\theta\|p_\text{data}) = -\mathbb E_{p_\theta}[\operatorname{logit} D^*(x)]$.
# Here we can compute $D^*$ from the known densities and check that identity; a GAN *learns* $D$ from
# samples instead.

# %%
model = Gaussian(2.0, 1.5)
d_star = lambda points: target.prob(points) / (target.prob(points) + model.prob(points))  # noqa: E731
model_samples = model.sample(jax.random.key(1), by_mode(400_000, 100_000))
logit = np.log(d_star(model_samples)) - np.log1p(-d_star(model_samples))
print(f"-E_q[logit D*] on model samples only: {-np.mean(logit):.4f} "
      f"+- {np.std(logit) / np.sqrt(len(logit)):.4f}")
print(f"KL(q||p) by quadrature             : {float(dv.kl_quadrature(model, target)):.4f}")

# %% [markdown]
# ## Exercises
#
# **Exercise 1 (maximum likelihood by hand).** Find the maximum-likelihood Gaussian (mean and standard
# deviation) for the data `MLE_DATA` = (2, 4, 4, 6).

# %%
from gan_lessons.exercises import lesson03 as ex

mean, std = ..., ...  # your answers
ex.check_mle(mean, std)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# Mean $= 16/4 = 4$; squared deviations 4, 0, 0, 4, mean 2; so $\sigma = \sqrt 2 \approx 1.414$
# (divide by $n$: `np.std(data)` with its default `ddof=0`).
# </details>
#
# **Exercise 2 (moment matching).** Without running code: which Gaussian minimises the forward KL to
# $p = \tfrac12\mathcal N(-2, 0.5^2) + \tfrac12\mathcal N(2, 0.5^2)$?

# %%
mean, std = ..., ...  # your answers
ex.check_moment_matching(mean, std)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# Moment matching: $\mu = 0$; $\sigma^2 = \mathbb E[x^2] = 0.5^2 + 2^2 = 4.25$, so $\sigma \approx 2.062$.
# </details>
#
# **Exercise 3 (which mode?).** The target has two equal, well-separated modes at $\pm 3$. A reverse-KL
# fit starts at mean $+3$. Where does it end: `"left"`, `"right"` or `"both"`? Check with the explorer.

# %%
answer = ...  # "left", "right" or "both"
ex.check_mode_choice(answer)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# `"right"`: reverse KL is mode seeking, and gradient descent stays in the basin of the mode it
# started on.
# </details>
#
# **Exercise 4 (the density ratio).** At some point $x$ the optimal discriminator says $D^*(x) = 0.8$.
# What are $p_\text{data}(x)/p_\theta(x)$ and its natural logarithm?

# %%
ratio, log_ratio = ..., ...  # your answers
ex.check_density_ratio(ratio, log_ratio)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# From $D = r/(r+1)$: $r = D/(1-D) = 0.8/0.2 = 4$, and $\ln 4 \approx 1.386$ (the logit of 0.8).
# </details>
#
# ## Summary
#
# - Maximising the expected log-likelihood is minimising the forward KL, KL(p_data‖p_model); for a
#   Gaussian model the answer is moment matching.
# - Forward KL covers all modes (and fills the valleys); reverse KL seeks one mode; JSD is in between.
#   With several local minima, the starting point decides.
# - The reverse KL and the JSD need the data density at the model's samples; a discriminator's logit
#   estimates exactly that log ratio. This is the idea behind adversarial training.
#
# **Next:** lesson 04 turns the discriminator into a classifier and the GAN objective into a
# log-likelihood.
#
# ## References
#
# - I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, 2016, section 5.5 (maximum likelihood as
#   minimising KL) and figure 3.6 (the two directions of KL).
# - C. M. Bishop, *Pattern Recognition and Machine Learning*, 2006, section 10.1.2 (the two KL
#   directions on a bimodal target).
# - I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014 (the optimal discriminator).
# - Lecture notes: applied physics lecture 22 (limits of maximum likelihood, forward vs reverse KL,
#   why KL(p_model‖p_data) cannot be computed, adversarial learning); physics lecture 24 (MLE as
#   minimising KL).
