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
# # Lesson 05 — The optimal discriminator
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/gan-lessons/gan-lessons/blob/main/notebooks/05_optimal_discriminator.ipynb)
#
# This lesson contains the central theorem of the original GAN paper. Fix the generator. Then the best
# possible discriminator has a simple closed form, $D^* = p_\text{data}/(p_\text{data} + p_g)$, and the
# value of the game at that discriminator is, up to constants, the **Jensen–Shannon divergence**
# between the data and the generator. So a generator that plays against a perfect discriminator is
# minimising the JSD of lesson 02. We derive both facts, check them numerically, and then train a real
# (small) Flax network as a discriminator and watch it approach $D^*$. We end with a practical
# matter: which loss the *generator* should use.
#
# **After this lesson you can**
# - derive $D^*(x)$ by maximising the value function point by point;
# - derive $C(G) = \max_D V(G, D) = -\ln 4 + 2\,\mathrm{JSD}(p_\text{data}\,\|\,p_g)$ and its minimum;
# - train a Flax NNX discriminator with a jitted, scanned Optax loop and compare it with $D^*$;
# - explain why GANs train the generator with the non-saturating loss $-\ln D(G(z))$.

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
import math

import numpy as np
import jax

from gan_lessons import optimal_discriminator as disc
from gan_lessons.training import discriminator as disc_training
from gan_lessons import divergences as dv
from gan_lessons.runtime import by_mode
from gan_lessons.densities import Gaussian, GaussianMixture
from gan_lessons.plots import new_figure
from gan_lessons.plots.style import PALETTE

p_data = GaussianMixture(means=[-1.5, 1.5], stds=[0.6, 0.8], weights=[0.4, 0.6])
p_g = Gaussian(1.0, 1.2)
x = np.linspace(-6, 6, 601)
figure, ax = new_figure(9, 3.8)
ax.plot(x, p_data.prob(x), color=PALETTE["blue"], label="p_data")
ax.plot(x, p_g.prob(x), color=PALETTE["vermillion"], label="p_g")
ax.plot(x, disc.optimal_discriminator(p_data, p_g, x), color=PALETTE["black"], lw=2.5, label="D*(x)")
ax.axhline(0.5, color=PALETTE["grey"], ls=":")
ax.set(xlabel="x", title="The optimal discriminator is the posterior P(real | x)")
ax.legend(fontsize="small")
figure

# %% [markdown]
# ## 1. The value function
#
# The generator $G$ maps noise $z \sim p_z$ to samples $G(z)$, whose distribution we call $p_g$. The
# discriminator outputs $D(x) \in (0, 1)$. Goodfellow et al. (2014) define the game's value as
#
# $$ V(G, D) = \mathbb E_{x\sim p_\text{data}}[\ln D(x)] + \mathbb E_{z\sim p_z}[\ln(1 - D(G(z)))]
#            = \int \big[p_\text{data}(x)\ln D(x) + p_g(x)\ln(1 - D(x))\big]\,dx, $$
#
# twice the mean label log-likelihood of lesson 04. The discriminator maximises $V$; the generator
# minimises it: $\min_G \max_D V(G, D)$.
#
# ## 2. The best discriminator, point by point
#
# For a fixed $G$, the integral is maximised by maximising the integrand at every $x$ separately. With
# $a = p_\text{data}(x)$, $b = p_g(x)$ and $y = D(x)$, the function $f(y) = a\ln y + b\ln(1-y)$ has
# $f'(y) = a/y - b/(1-y)$, zero at $y = a/(a+b)$, and $f'' < 0$: a maximum. Hence
#
# $$ D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}. $$
#
# It is exactly Bayes' posterior $P(\text{real}\mid x)$ with equal priors (lesson 04). Where
# $p_g = p_\text{data}$ it is $1/2$: the discriminator cannot tell. A numerical check against SciPy's
# densities:

# %%
from scipy.stats import norm

pd_scipy = 0.4 * norm.pdf(x, -1.5, 0.6) + 0.6 * norm.pdf(x, 1.5, 0.8)
pg_scipy = norm.pdf(x, 1.0, 1.2)
print("max |D* - p_data/(p_data+p_g)| :", np.max(np.abs(np.asarray(disc.optimal_discriminator(p_data, p_g, x))
                                                     - pd_scipy / (pd_scipy + pg_scipy))))
print("D* when p_g = p_data           :", np.unique(np.round(np.asarray(disc.optimal_discriminator(p_data, p_data, x)), 6)))

# %% [markdown]
# ## 3. The criterion C(G) is a Jensen–Shannon divergence
#
# Substitute $D^*$ into $V$. With the mixture $m = (p_\text{data} + p_g)/2$,
#
# $$ C(G) = \max_D V(G, D) = \mathbb E_{p_\text{data}}\Big[\ln\frac{p_\text{data}}{2m}\Big] + \mathbb E_{p_g}\Big[\ln\frac{p_g}{2m}\Big]
#        = -\ln 4 + \mathrm{KL}(p_\text{data}\,\|\,m) + \mathrm{KL}(p_g\,\|\,m) = -\ln 4 + 2\,\mathrm{JSD}(p_\text{data}, p_g). $$
#
# Since $0 \le \mathrm{JSD} \le \ln 2$: $-\ln 4 \le C(G) \le 0$, with the **global minimum $-\ln 4$
# exactly when $p_g = p_\text{data}$** (Theorem 1 of the paper), and $C(G) \to 0$ when the supports
# separate. Checks: the criterion by quadrature against the JSD of lesson 02.

# %%
cases = {"the lesson's pair": (p_data, p_g), "p_g = p_data": (p_data, p_data),
         "far apart": (Gaussian(0.0, 0.3), Gaussian(20.0, 0.3))}
for name, (a, b) in cases.items():
    c, js = float(disc.criterion(a, b)), float(dv.js_quadrature(a, b))
    print(f"{name:18s} C(G) = {round(c, 6) + 0.0:+.6f}   "
          f"-ln 4 + 2 JSD = {round(-math.log(4) + 2 * js, 6) + 0.0:+.6f}")
print(f"{'':18s} -ln 4 = {-math.log(4):+.6f}")

# %% [markdown]
# Explore: slide $p_g$ across $p_\text{data}$ and watch $D^*$ and the criterion. Where is $C(G)$
# smallest? Press **Retrain D** to fit a small neural network to samples of the two distributions
# (section 4) and compare it with $D^*$.

# %%
from gan_lessons.widgets import OptimalDiscriminatorExplorer

explorer = OptimalDiscriminatorExplorer()
explorer

# %% [markdown]
# ## 4. Learning D from samples
#
# In a real GAN nobody knows $p_\text{data}$ or $p_g$; we only have samples. The discriminator is a
# neural network trained on them: minibatches of real and generated points, the cross-entropy loss
# $-\big[\frac1m\sum\ln D(x_i) + \frac1m\sum\ln(1 - D(\tilde x_j))\big] = -\hat V$, and Adam steps. Here
# `gan_lessons.training.discriminator` does it the way every trainer in the course does: a Flax NNX MLP split
# once into its structure and parameters, and one `jax.jit` over a `lax.scan` that samples the data and
# runs all the steps. As training proceeds, the loss falls towards $-C(G)$ and the network approaches
# $D^*$ where the densities have mass. (Far from both densities there are no samples, and the network
# may say anything.)

# %%
fit = disc_training.train_discriminator(jax.random.key(0), p_data, p_g, steps=by_mode(4000, 1500), grid=x)
print(f"V(G, trained D) = {float(fit.value):.4f}   C(G) = {float(fit.criterion):.4f}")
d_star = np.asarray(disc.optimal_discriminator(p_data, p_g, x))
figure, axes = new_figure(12, 3.8, ncols=2)
axes[0].plot(x, d_star, color=PALETTE["black"], lw=2.5, label="D*")
axes[0].plot(fit.grid, fit.probabilities, color=PALETTE["green"], ls="--", lw=2, label="trained D")
axes[0].set(xlabel="x", ylim=(0, 1), title="Trained discriminator against D*")
axes[0].legend(fontsize="small")
axes[1].plot(np.asarray(fit.losses), color=PALETTE["green"], lw=0.8, label="minibatch loss")
axes[1].axhline(-float(fit.criterion), color=PALETTE["black"], ls="--", label="-C(G): the best possible")
axes[1].set(xlabel="step", title="Discriminator loss")
axes[1].legend(fontsize="small")
figure

# %% [markdown]
# ## 5. Saturating and non-saturating generator losses
#
# The generator minimises $\mathbb E_z[\ln(1 - D(G(z)))]$, the part of $V$ it controls. Early in
# training the generator is poor and the discriminator rejects its samples confidently:
# $D(G(z)) \approx 0$. There, $\ln(1 - D)$ is nearly flat. Writing $D = \sigma(l)$ with logit $l$,
#
# $$ \frac{\partial}{\partial l}\ln(1 - \sigma(l)) = -\sigma(l) = -D \;\to\; 0, \qquad
#    \frac{\partial}{\partial l}\big(-\ln \sigma(l)\big) = -(1 - \sigma(l)) = -(1-D) \;\to\; -1. $$
#
# The **saturating** loss gives the generator almost no gradient exactly when it most needs one. The
# fix from the same paper (section 3): let the generator *maximise* $\ln D(G(z))$ instead, i.e.
# minimise the **non-saturating** loss $-\ln D(G(z))$. It has the same fixed point ($D = 1/2$) but strong
# gradients when the generator is losing. (The lecture notes call this the "reality check".) The
# course's losses are written on logits with `jax.nn.log_sigmoid`, so they stay finite even for logits
# of $\pm 10^4$.

# %%
from gan_lessons.widgets import GeneratorGradientExplorer

GeneratorGradientExplorer()

# %%
for d in (0.5, 0.1, 0.01, 0.001):
    saturating, non_saturating = disc.generator_gradients(d)
    print(f"D(G(z)) = {d:<6}: saturating {float(saturating):+.4f}, non-saturating {float(non_saturating):+.4f}")

# %% [markdown]
# ## Exercises
#
# **Exercise 1 (the pointwise maximum).** Which $y \in (0,1)$ maximises $2\ln y + 3\ln(1-y)$?

# %%
from gan_lessons.exercises import lesson05 as ex

y = ...  # your answer
ex.check_pointwise_maximum(y)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $2/y = 3/(1-y)$ gives $y = 2/5$: $a/(a+b)$ with $a = 2$, $b = 3$.
# </details>
#
# **Exercise 2 (at equilibrium).** What is $C(G)$ when $p_g = p_\text{data}$?

# %%
c = ...  # your answer
ex.check_criterion_at_equilibrium(c)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $D^* = 1/2$ everywhere, so $C = \ln\frac12 + \ln\frac12 = -\ln 4 \approx -1.386$.
# </details>
#
# **Exercise 3 (reading the JSD off C(G)).** A discriminator trained to optimality reaches
# $V = C(G) = -1.0$. What is $\mathrm{JSD}(p_\text{data}, p_g)$?

# %%
js = ...  # your answer
ex.check_js_from_criterion(js)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $\mathrm{JSD} = (C + \ln 4)/2 = (\ln 4 - 1)/2 \approx 0.193$ nats.
# </details>
#
# **Exercise 4 (how much stronger?).** At $D(G(z)) = 0.01$, how many times larger (in absolute value)
# is the non-saturating generator gradient than the saturating one, both taken with respect to the logit?

# %%
ratio = ...  # your answer
ex.check_gradient_ratio(ratio)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $(1 - D)/D = 0.99/0.01 = 99$.
# </details>
#
# ## Summary
#
# - For a fixed generator the best discriminator is $D^* = p_\text{data}/(p_\text{data}+p_g)$, the
#   posterior of "real" with equal priors.
# - At $D^*$ the value is $C(G) = -\ln 4 + 2\,\mathrm{JSD}(p_\text{data}, p_g)$: minimised, at $-\ln 4$,
#   only by $p_g = p_\text{data}$. Against a perfect discriminator, the generator minimises the JSD.
# - A neural discriminator trained on samples approaches $D^*$ where there are samples, and its value
#   approaches $C(G)$ from below.
# - The saturating generator loss $\ln(1-D)$ has vanishing gradients when $D(G(z)) \to 0$; the
#   non-saturating $-\ln D$ does not, and is what GANs use in practice.
#
# **Next:** lesson 06 asks whether alternating gradient steps of the two players actually reach this
# equilibrium.
#
# ## References
#
# - I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014: the value function, Proposition 1
#   ($D^*$), Theorem 1 ($C(G) = -\ln 4 + 2\,\mathrm{JSD}$), section 3 (the non-saturating loss).
# - I. Goodfellow, "NIPS 2016 Tutorial: Generative Adversarial Networks", arXiv:1701.00160, section 3.2
#   (saturating vs non-saturating costs).
# - Lecture notes: physics lecture 24 ($D^*$ and $V(G, D^*) = 2\,\mathrm{JSD} - \ln 4$); applied physics
#   lecture 22 ($C(G)$); "Deep Learning Systems" lecture 13 (D = 1/2 at the Nash equilibrium); study notes
#   on *Deep Learning* ch. 20 (the non-saturating loss and its gradient).
