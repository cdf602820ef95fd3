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
# # Lesson 09 — VAEs and GANs
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/gan-lessons/gan-lessons/blob/main/notebooks/09_vaes_and_gans.ipynb)
#
# GANs are not the only way to train a generator $x = g(z)$. The **variational autoencoder**
# (Kingma and Welling, 2014) trains one by (approximately) maximum likelihood, the objective of
# lesson 03. The lecture slides list its drawbacks, a bound that may be loose and a prior that may
# not fit, as one motivation for GANs. In this last lesson we derive the VAE's objective, the
# **evidence lower bound** (ELBO), measure how tight it is, and train a VAE on the same data as
# our GANs, to see what each objective rewards.
#
# **After this lesson you can**
# - derive $\ln p(x) = \mathrm{ELBO}(x) + \mathrm{KL}(q(z\mid x)\,\|\,p(z\mid x))$ and say why the ELBO is a
#   lower bound;
# - compute the KL term of a Gaussian encoder in closed form and estimate the gap with importance
#   sampling;
# - compare a VAE and a GAN trained on the same data: samples, mode coverage, digit metrics;
# - explain the blur of VAE samples and the mode dropping of GANs from their objectives.
#
# A first look: the ring of lesson 07, modelled by a VAE and by a GAN.

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
import jax
import numpy as np

from gan_lessons.runtime import by_mode
from gan_lessons.data import RING, sample_dataset
from gan_lessons.training.gan import GANConfig, make_trainer
from gan_lessons.evaluation.metrics import mode_coverage
from gan_lessons.plots import new_figure
from gan_lessons.plots.gan2d import draw_gan_2d
from gan_lessons.training.vae import VAEConfig, make_vae_trainer

RING_STEPS = by_mode(4000, 200)
real = np.asarray(sample_dataset(jax.random.key(0), RING, 2500))
vae = make_vae_trainer(VAEConfig(data="ring"))
vae_state, vae_metrics = vae.train(vae.init(jax.random.key(1)), jax.random.key(2), RING_STEPS)
gan = make_trainer(GANConfig(dataset="ring"))
gan_state, _ = gan.train(gan.init(jax.random.key(1)), jax.random.key(2), RING_STEPS)
samples = {"VAE (decoder means)": np.asarray(vae.sample(vae_state, jax.random.key(3), 2500)),
           "GAN": np.asarray(gan.sample(gan_state, jax.random.key(3), 2500))}
figure, axes = new_figure(10, 4.6, ncols=2)
for ax, (name, fake) in zip(axes, samples.items()):
    score = mode_coverage(fake, RING.means, RING.std)
    draw_gan_2d(ax, real[:1000], fake[:1000], extent=(-1.6, 1.6, -1.6, 1.6),
                title=f"{name}: {score.modes}/8 modes, {100 * score.high_quality:.0f} % HQ")
figure

# %% [markdown]
# ## 1. The evidence lower bound
#
# A latent-variable model has a prior $p(z) = \mathcal N(0, I)$ and a decoder $p_\theta(x\mid z)$; the
# likelihood of a data point, the **evidence**, is $p(x) = \int p(x\mid z)\,p(z)\,dz$, an integral we
# cannot compute for a neural decoder. Introduce any density $q(z\mid x)$ (the **encoder**) and write
#
# $$ \ln p(x) = \mathbb E_{q(z\mid x)}\Big[\ln \frac{p(x, z)}{q(z\mid x)}\Big]
#             + \mathbb E_{q(z\mid x)}\Big[\ln \frac{q(z\mid x)}{p(z\mid x)}\Big], $$
#
# which holds because $p(x, z) = p(x)\,p(z\mid x)$: the two logarithms add up to $\ln p(x)$, a
# constant under $q$. The second term is $\mathrm{KL}(q(z\mid x)\,\|\,p(z\mid x)) \ge 0$ (lesson 02), so
# the first term is a lower bound on the evidence:
#
# $$ \mathrm{ELBO}(x) = \mathbb E_{q(z\mid x)}[\ln p(x\mid z)] - \mathrm{KL}(q(z\mid x)\,\|\,p(z))
#    = \ln p(x) - \mathrm{KL}(q(z\mid x)\,\|\,p(z\mid x)) \;\le\; \ln p(x). $$
#
# A VAE maximises the ELBO over the decoder **and** the encoder together: raising it either raises
# the evidence or closes the **gap** $\mathrm{KL}(q\,\|\,p(z\mid x))$. Two tricks make it trainable:
# the encoder is a Gaussian $q(z\mid x) = \mathcal N(\mu(x), \mathrm{diag}\,\sigma(x)^2)$, whose KL to
# $\mathcal N(0, I)$ is in closed form,
#
# $$ \mathrm{KL} = \tfrac12 \sum_j \big(\mu_j^2 + \sigma_j^2 - 1 - \ln \sigma_j^2\big), $$
#
# and the expectation is estimated with $z = \mu + \sigma \odot \varepsilon$, $\varepsilon \sim \mathcal N(0, I)$
# (the **reparameterisation**), through which gradients flow to $\mu$ and $\sigma$.
#
# **The KL formula, checked** against a Monte-Carlo estimate of $\mathbb E_q[\ln q(z) - \ln p(z)]$ with
# SciPy's densities:

# %%
from scipy.stats import norm

from gan_lessons.training.vae import kl_to_standard_normal

mu, sigma = np.array([0.8, -1.5]), np.array([0.5, 1.7])
closed = float(kl_to_standard_normal(mu, np.log(sigma ** 2)))
z = mu + sigma * np.random.default_rng(0).normal(size=(400_000, 2))
monte_carlo = np.mean(np.sum(norm.logpdf(z, mu, sigma) - norm.logpdf(z), axis=1))
print(f"closed form {closed:.4f}   Monte Carlo {monte_carlo:.4f}")

# %% [markdown]
# ## 2. How tight is the bound?
#
# The gap $\ln p(x) - \mathrm{ELBO}(x)$ is how far the encoder's Gaussian is from the true posterior.
# We cannot compute $\ln p(x)$ exactly, but **importance sampling** estimates it: with $K$ samples
# $z_k \sim q(z\mid x)$,
#
# $$ \mathrm{IWAE}_K(x) = \mathbb E\Big[\ln \frac1K \sum_{k=1}^K \frac{p(x\mid z_k)\,p(z_k)}{q(z_k\mid x)}\Big], $$
#
# which equals the ELBO for $K = 1$, grows with $K$ and tends to $\ln p(x)$ (Burda et al., 2016). On
# the trained ring VAE, averaged over 500 data points (nats per point):

# %%
x = real[:500]
elbo = float(np.mean(vae.elbo(vae_state, jax.random.key(4), x, num_samples=64)))
iwae = {k: float(np.mean(vae.log_likelihood(vae_state, jax.random.key(5), x, num_samples=k)))
        for k in (1, 10, 100, by_mode(2000, 200))}
print(f"ELBO {elbo:.3f}")
for k, value in iwae.items():
    print(f"IWAE with K = {k:>4}: {value:.3f}")
print(f"estimated gap KL(q(z|x) || p(z|x)) ~ {iwae[max(iwae)] - elbo:.3f} nats")

# %% [markdown]
# The estimates increase with $K$, as the theory says, and the difference between the largest and
# the ELBO estimates the gap: the price of a Gaussian encoder.
#
# ## 3. What each objective rewards, on the ring
#
# The ELBO is (a bound on) the log-likelihood, so maximising it is close to minimising the
# **forward** KL, $\mathrm{KL}(p_{data}\,\|\,p_\theta)$, of lesson 03: the model must put density
# wherever there is data, so it **covers every mode**, and when it cannot fit eight sharp modes it
# spreads density between them. Its samples (decoder means) are smooth averages: on the ring they
# smear along the circle. The GAN's objective is closer to the Jensen-Shannon divergence, which a
# generator can lower by making **sharp** samples, even at the price of dropping modes. The
# mode-coverage scores above say this in numbers; the VAE's reconstruction and KL terms show how it
# spends its nats:

# %%
figure, ax = new_figure(7, 3.4)
for name in ("loss", "recon", "kl"):
    ax.plot(np.asarray(vae_metrics[name]), lw=1, label=name)
ax.set(xlabel="training step", ylabel="nats per point", ylim=(-4, 6))
ax.legend(fontsize="small")
figure

# %% [markdown]
# ## 4. Digits: a VAE beside a GAN
#
# The same comparison on the digits: a VAE with a Gaussian decoder on the pixels, and the image GAN
# of lesson 08, judged by the classifier of lesson 08 against real held-out digits.

# %%
from gan_lessons.training.image_gan import ImageGANConfig, make_image_trainer
from gan_lessons.evaluation.image_metrics import evaluate_images, train_digit_classifier
from gan_lessons.data.images import load_digits
from gan_lessons.plots.images import draw_image_grid

digits = load_digits()
classifier = train_digit_classifier(jax.random.key(6), digits.images, digits.labels)
train_images = digits.images[classifier.train_indices]
test_images = digits.images[classifier.held_out_indices]

DIGIT_STEPS = by_mode(3000, 100)
digit_vae = make_vae_trainer(VAEConfig(data="digits", latent_dim=8, encoder_hidden=(256,),
                                       decoder_hidden=(256,), batch_size=128, sigma_init=1.0))
digit_vae_state, _ = digit_vae.train(digit_vae.init(jax.random.key(7)), jax.random.key(8), DIGIT_STEPS)
image_gan = make_image_trainer(ImageGANConfig(dataset="digits"))
image_gan_state, _ = image_gan.train(image_gan.init(jax.random.key(7)), jax.random.key(8), DIGIT_STEPS)

n = len(test_images)
generated = {"VAE": np.asarray(digit_vae.sample(digit_vae_state, jax.random.key(9), n)),
             "GAN": np.asarray(image_gan.sample(image_gan_state, jax.random.key(9), n))}
figure, axes = new_figure(12, 4.4, ncols=2)
for ax, (name, images) in zip(axes, generated.items()):
    draw_image_grid(ax, images[:48], columns=8, title=f"{name} samples after {DIGIT_STEPS:,} steps")
figure

# %%
for name, images in generated.items():
    print(f"--- {name}")
    print(evaluate_images(classifier, train_images, test_images, np.clip(images, -1, 1)))

# %% [markdown]
# The VAE's digits are blurred averages (each is the decoder's mean for its $z$), and its
# pixel statistics differ from the data's; the GAN's are sharper. Neither matches the real-data
# baseline after a few thousand steps on a laptop: both the Fréchet distance and the classifier
# score leave room to improve.
#
# ## Exercises
#
# **Exercise 1.** An encoder outputs $q(z\mid x) = \mathcal N(1, 1)$ in one dimension. What is
# $\mathrm{KL}(q\,\|\,\mathcal N(0, 1))$, in nats?

# %%
from gan_lessons.exercises import lesson09 as ex

kl = ...  # your answer
ex.check_kl(kl)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $\frac12(\mu^2 + \sigma^2 - 1 - \ln\sigma^2) = \frac12(1 + 1 - 1 - 0) = 0.5$.
# </details>
#
# **Exercise 2.** For a data point, $\ln p(x) = -3.2$ and the ELBO is $-3.5$. What is
# $\mathrm{KL}(q(z\mid x)\,\|\,p(z\mid x))$?

# %%
gap = ...  # your answer
ex.check_gap(gap)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $\ln p(x) - \mathrm{ELBO} = -3.2 - (-3.5) = 0.3$ nats.
# </details>
#
# **Exercise 3.** With $K = 1$ importance sample, what does the IWAE estimate equal?

# %%
iwae_with_one_sample = ...  # "ELBO", "log-likelihood" or "KL"
ex.check_iwae_one(iwae_with_one_sample)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# The ELBO: $\mathbb E_q[\ln p(x, z) - \ln q(z\mid x)]$ with one sample is exactly its estimator.
# </details>
#
# ## Summary
#
# - $\ln p(x) = \mathrm{ELBO}(x) + \mathrm{KL}(q(z\mid x)\,\|\,p(z\mid x))$: the ELBO is a lower bound whose
#   gap is the encoder's error; importance sampling (IWAE) tightens it.
# - A VAE maximises the ELBO with a Gaussian encoder (closed-form KL) and the reparameterisation.
# - Likelihood training covers every mode but blurs (forward KL, decoder means); adversarial
#   training makes sharp samples but may drop modes.
# - Both are judged here with the same tools: mode coverage on the ring, a classifier's Fréchet
#   distance and score on digits.
#
# ## References
#
# - D. P. Kingma, M. Welling, "Auto-Encoding Variational Bayes", ICLR 2014.
# - Y. Burda, R. Grosse, R. Salakhutdinov, "Importance Weighted Autoencoders", ICLR 2016.
# - I. Goodfellow, "NIPS 2016 Tutorial: Generative Adversarial Networks", arXiv:1701.00160
#   (comparison with VAEs).
# - Lecture notes: the "Deep Learning Systems" slides (VAE drawbacks: the tightness of the ELBO and
#   the prior; why a learned discriminator) and the lecture on maximum likelihood and its limits.
