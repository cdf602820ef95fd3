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
# # Lesson 07 — Training a GAN
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/gan-lessons/gan-lessons/blob/main/notebooks/07_training_a_gan.ipynb)
#
# Lessons 04 to 06 built the theory: the discriminator's best answer $D^*$, the criterion
# $C(G) = -\ln 4 + 2\,\mathrm{JSD}(p_{data}\,\|\,p_g)$, and the warning that gradient play on a game
# may circle instead of converging. Now we train real GANs, small enough to train in seconds on a
# laptop: first in one dimension, where we can draw everything, then on the two 2-D benchmarks of
# the mode-collapse literature, a ring of 8 and a grid of 25 Gaussians.
#
# **After this lesson you can**
# - state Algorithm 1 of Goodfellow et al. (2014), with $k$ discriminator steps per generator step,
#   and say how one compiled call of the course's engine runs hundreds of those steps;
# - read a 1-D GAN the way the GAN paper's Figure 1 draws it: $p_{data}$, $p_g$, $D$ and the map
#   $z \mapsto x$;
# - measure mode collapse with the protocol of the VEEGAN and PacGAN papers (modes covered,
#   high-quality samples, reverse KL) and compare seeds trained side by side;
# - explain why the *saturating* generator loss stalls when the discriminator wins, and recognise
#   oscillation and divergence in the training curves;
# - run long trainings safely: progress, divergence detection, checkpoints that resume exactly.
#
# Here is where we are going: four GANs trained side by side, each from its own seed, on the ring.

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
from gan_lessons.data import RING, GRID, GAUSSIAN_1D, sample_dataset
from gan_lessons.training.gan import GANConfig, make_trainer
from gan_lessons.training.seeds import train_seeds
from gan_lessons.plots import new_figure
from gan_lessons.plots.training import seed_figure

SEEDS = by_mode(4, 2)
RING_EXTENT, GRID_EXTENT = (-1.6, 1.6, -1.6, 1.6), (-5.5, 5.5, -5.5, 5.5)
ring_real = np.asarray(sample_dataset(jax.random.key(5), RING, 1000))
grid_real = np.asarray(sample_dataset(jax.random.key(5), GRID, 1000))

ring_trainer = make_trainer(GANConfig(dataset="ring"))
ring_run = train_seeds(ring_trainer, jax.random.split(jax.random.key(0), SEEDS),
                       by_mode(3000, 200), every=by_mode(500, 100))
seed_figure(ring_run, ring_real, extent=RING_EXTENT)

# %% [markdown]
# *Blue: the data, 8 Gaussians of standard deviation 0.01 on the unit circle. Red: each generator's
# samples. The titles give the modes each generator reaches and its share of "high-quality"
# samples (section 3 defines both).*
#
# ## 1. The algorithm
#
# The GAN game of lesson 05 is
#
# $$ \min_G \max_D \; V(D, G) = \mathbb{E}_{x \sim p_{data}}[\ln D(x)] + \mathbb{E}_{z \sim p_z}[\ln(1 - D(G(z)))]. $$
#
# Algorithm 1 of Goodfellow et al. (2014) plays it with minibatch stochastic gradients. For each
# training step:
#
# 1. **$k$ times:** draw $m$ latent codes $z^{(i)} \sim p_z$ and $m$ data points $x^{(i)} \sim p_{data}$,
#    and move the discriminator's parameters $\theta_d$ **up** the gradient of
#    $\frac1m \sum_i \big[\ln D(x^{(i)}) + \ln(1 - D(G(z^{(i)})))\big]$;
# 2. **once:** draw $m$ fresh codes and move the generator's parameters $\theta_g$ **down** the
#    gradient of $\frac1m \sum_i \ln(1 - D(G(z^{(i)})))$.
#
# The paper used $k = 1$ and, in practice, replaced the generator's loss by $-\ln D(G(z))$ (the
# *non-saturating* loss, section 4). We use Adam for both players, as almost everyone does since
# DCGAN.
#
# In code, a `GANConfig` fixes everything structural (data, widths, batch $m$, loss, $k$), and
# `make_trainer` compiles the loop once. One call of `trainer.train(state, key, K)` runs $K$
# training steps as **one** `jax.jit` over `jax.lax.scan`: data and latent codes are sampled inside
# the compiled function, so Python is visited once per $K$ steps, not once per step.

# %%
import time

config = GANConfig(dataset="ring", d_steps=1, loss="non_saturating", batch_size=256,
                   generator_hidden=(128, 128), discriminator_hidden=(128, 128))
trainer = make_trainer(config)  # the same trainer as above: trainers are cached per config
state = trainer.init(jax.random.key(42))
key = jax.random.key(7)
for call in range(3):
    start = time.perf_counter()
    state, metrics = trainer.train(state, key, 500)
    jax.block_until_ready(state)
    print(f"call {call}: 500 steps in {time.perf_counter() - start:.2f} s")

# %% [markdown]
# The first call of a new config compiles (a second or two); later calls of the same length reuse
# the compiled code. The metrics come back stacked, one value per step: `d_loss`, `g_loss`, mean
# $D(x)$ on data (`d_real`), mean $D(G(z))$ on fakes (`d_fake`), and the two gradient norms.
#
# **A check you can do by hand.** A freshly initialised discriminator outputs $D \approx \frac12$
# everywhere, so its loss (the cross-entropy of real against fake, $-V$) starts near
# $-\ln\frac12 - \ln(1 - \frac12) = 2 \ln 2$:

# %%
fresh = trainer.init(jax.random.key(42))
_, first = trainer.train(fresh, key, 1)
print(f"first d_loss = {float(first['d_loss'][0]):.4f}   2 ln 2 = {2 * np.log(2):.4f}   "
      f"mean D(x) = {float(first['d_real'][0]):.3f}, mean D(G(z)) = {float(first['d_fake'][0]):.3f}")

# %% [markdown]
# **Randomness is a key.** Step $t$ of a run draws its data and codes from
# `jax.random.fold_in(key, t)`. The same initial state and key always give the same run, and the
# result does not depend on how the steps are cut into calls:

# %%
a, _ = trainer.train(trainer.init(jax.random.key(1)), key, 500)
b = trainer.init(jax.random.key(1))
for _ in range(5):
    b, _ = trainer.train(b, key, 100)
same = all(np.array_equal(x, y) for x, y in zip(jax.tree.leaves(a), jax.tree.leaves(b)))
print("500 steps in one call == 5 calls of 100 steps:", same)

# %% [markdown]
# ## 2. One dimension: the picture of the GAN paper
#
# Figure 1 of Goodfellow et al. (2014) explains a GAN with four drawings of a 1-D game: the data
# density $p_{data}$ (black, dotted), the generator's density $p_g$ (green), the discriminator $D$
# (blue, dashed), and below them the generator itself as arrows from a line of $z$ values to the
# $x$ axis: where the arrows crowd together, $p_g$ is high. We train a small GAN with a 1-D latent
# code on $p_{data} = \mathcal N(1, 0.5^2)$ and take the same picture at four moments.

# %%
from gan_lessons.training.seeds import snapshots_1d
from gan_lessons.plots.training import draw_figure1

config_1d = GANConfig(dataset="gaussian_1d", latent_dim=1, generator_hidden=(32, 32),
                      discriminator_hidden=(32, 32), batch_size=128)
trainer_1d = make_trainer(config_1d)
xs = np.linspace(-1.0, 3.0, 201)
p_data = np.asarray(GAUSSIAN_1D.density().prob(xs))
moments = by_mode([0, 100, 400, 3000], [0, 100, 200, 300])
state_1d, snapshots = snapshots_1d(trainer_1d, trainer_1d.init(jax.random.key(0)),
                                   jax.random.key(1), moments, xs=xs)
figure, axes = new_figure(16, 4.2, ncols=4)
for ax, snapshot in zip(axes, snapshots):
    draw_figure1(ax, snapshot, p_data, ymax=2.0, legend=ax is axes[0])
figure

# %% [markdown]
# At step 0 the generator squeezes every $z$ into a narrow spike near 0 and $D$ is nearly flat.
# Within a hundred steps $D$ slopes towards the data and the arrows fan out towards it; later $p_g$
# settles over $p_{data}$, and $D$ flattens towards $\frac12$: it can no longer tell the two apart.
# A GAN does not settle exactly: its $p_g$ keeps wobbling around the data (lesson 06 predicted
# the circling).
#
# **Figure 1(b), checked numerically.** The paper's second drawing trains $D$ alone, with $G$
# frozen, until $D$ reaches the optimum of lesson 05,
# $D^*(x) = \frac{p_{data}(x)}{p_{data}(x) + p_g(x)}$. We can do exactly that: set the generator's
# learning rate to 0 (Adam then leaves $G$ unchanged) and train. We freeze a half-trained generator
# and estimate its $p_g$ from a million samples with a histogram (no smoothing, so the kinks of a
# ReLU generator's density survive).

# %%
from gan_lessons.evaluation.metrics import histogram_density
from gan_lessons.plots.training import draw_d_star_check

frozen, _ = trainer_1d.train(trainer_1d.init(jax.random.key(3)), jax.random.key(4), 100)
frozen = trainer_1d.set_learning_rates(frozen, generator_lr=0.0)  # G stops here ...
frozen, _ = trainer_1d.train(frozen, jax.random.key(5), by_mode(2000, 300))  # ... D learns alone
edges = np.linspace(-1.0, 3.0, 201)
centres = (edges[1:] + edges[:-1]) / 2
p_g = histogram_density(trainer_1d.sample(frozen, jax.random.key(6), 1_000_000), edges)
p_data_c = np.asarray(GAUSSIAN_1D.density().prob(centres))
d_star = p_data_c / (p_data_c + p_g)
d_trained = np.asarray(trainer_1d.discriminator_probabilities(frozen, centres[:, None]))
weight = (p_data_c + p_g) / 2 * np.diff(edges)  # where the discriminator sees its inputs
print(f"mean |D - D*| over the mixture of data and fakes: {np.sum(weight * np.abs(d_trained - d_star)):.3f}")
figure, ax = new_figure(7.5, 3.6)
draw_d_star_check(ax, centres, p_data_c, p_g, d_trained)
figure

# %% [markdown]
# ## 3. Two dimensions: the ring, the grid, and mode collapse
#
# The ring (8 Gaussians of std 0.01 on the unit circle) and the grid (25 Gaussians of std 0.05 at
# $\{-4, -2, 0, 2, 4\}^2$) are the standard tests of **mode collapse**, a generator that produces
# only some of the data's modes. Their score, introduced by VEEGAN (Srivastava et al., 2017) and used
# by PacGAN (Lin et al., 2018), takes 2,500 generator samples and
#
# - assigns each sample to its **nearest mode** (mean);
# - calls it **high quality** if it lies within 3 standard deviations of that mean;
# - counts a mode as **covered** if at least one high-quality sample is assigned to it;
# - measures the spread of the good samples over the modes by the **reverse KL**
#   $\mathrm{KL}(q \,\|\, u) = \sum_j q_j \ln(K q_j)$ of their normalised per-mode histogram $q$ against
#   the uniform $u_j = 1/K$ over the $K$ modes: 0 when they are spread evenly, $\ln K$ when they all
#   sit on one mode.
#
# **The metric, checked.** Perfect samples are 2-D Gaussians around their mean, so the squared
# distance over $\sigma^2$ is $\chi^2$ with 2 degrees of freedom, and the high-quality fraction of the
# data itself is $P(\chi^2_2 \le 9) = 1 - e^{-9/2} \approx 98.9\,\%$ (not the 99.7 % of the 1-D
# three-sigma rule):

# %%
from gan_lessons.evaluation.metrics import mode_coverage

truth = mode_coverage(sample_dataset(jax.random.key(11), RING, 200_000), RING.means, RING.std)
collapsed = mode_coverage(np.tile(RING.means[0], (2500, 1)), RING.means, RING.std)
print(f"data:      {truth.modes}/8 modes, {100 * truth.high_quality:.2f} % high quality "
      f"(1 - exp(-4.5) = {100 * (1 - np.exp(-4.5)):.2f} %), reverse KL {truth.reverse_kl:.5f}")
print(f"collapsed: {collapsed.modes}/8 modes, {100 * collapsed.high_quality:.0f} % high quality, "
      f"reverse KL {collapsed.reverse_kl:.4f} (ln 8 = {np.log(8):.4f})")

# %% [markdown]
# **Seeds side by side.** `train_seeds` trains one GAN per key with
# `jax.jit(jax.vmap(train))`: one compiled call trains all the seeds, and when JAX sees several
# devices (GPUs, TPU cores, or one CPU device per core, which the course sets up) the seeds are
# spread over them. After every chunk it scores each seed. The ring ran at the top of the lesson;
# here is the grid.

# %%
grid_trainer = make_trainer(GANConfig(dataset="grid"))
grid_run = train_seeds(grid_trainer, jax.random.split(jax.random.key(0), SEEDS),
                       by_mode(3000, 200), every=by_mode(500, 100))
seed_figure(grid_run, grid_real, extent=GRID_EXTENT)

# %% [markdown]
# Every seed reaches most modes but puts much of its mass on **bridges** between them: a generator
# is a continuous map of a connected latent space, so to cover separated modes it must stretch
# across the gaps in between, and those samples are not high quality. Seeds differ: the same
# algorithm and data, with another random start, cover different modes.
#
# ## 4. Saturating against non-saturating
#
# Early in training the fakes are poor and a good discriminator rejects them: $D(G(z)) \to 0$.
# Write $D = \sigma(l)$ with the logit $l$. The two generator losses have the gradients
#
# $$ \frac{\partial}{\partial l} \ln(1 - \sigma(l)) = -\sigma(l) = -D, \qquad
#    \frac{\partial}{\partial l} \big[-\ln \sigma(l)\big] = -(1 - \sigma(l)) = -(1 - D). $$
#
# The saturating loss (the one in the minimax game) gives the generator a gradient proportional to
# $D$, which **vanishes** exactly when $G$ is losing; the non-saturating loss gives it $1 - D \approx 1$.
# `jax.grad` agrees with the formulas:

# %%
from gan_lessons.losses import generator_loss

logit = jax.numpy.log(0.01 / 0.99)  # D(G(z)) = 0.01
for loss in ("saturating", "non_saturating"):
    grad = jax.grad(lambda l: generator_loss(l[None], loss))(logit)
    print(f"{loss:15s} dLoss/dlogit at D = 0.01: {float(grad):+.4f}")
print("formulas:        -D = -0.0100,  -(1 - D) = -0.9900")

# %% [markdown]
# Adam rescales gradients, which hides part of the difference; it shows when the discriminator is
# strong. With $k = 3$ discriminator steps per generator step, the same seeds train with each loss:

# %%
from gan_lessons.plots.training import draw_run_curves

keys = jax.random.split(jax.random.key(0), SEEDS)
runs = {loss: train_seeds(make_trainer(GANConfig(dataset="ring", d_steps=3, loss=loss)), keys,
                          by_mode(3000, 200), every=by_mode(250, 100))
        for loss in ("non_saturating", "saturating")}
figure, axes = new_figure(13, 3.8, ncols=3)
draw_run_curves(axes[0], runs, "modes", ylabel="modes covered (of 8)", ylim=(0, 8.5))
draw_run_curves(axes[1], runs, "high_quality", scale=100, ylabel="high-quality samples (%)")
for label, run in runs.items():
    axes[2].plot(run.metrics["d_fake"].mean(axis=0), lw=1, label=label)
axes[2].set(xlabel="training step", ylabel="mean D(G(z))", ylim=(0, 1))
axes[2].legend(fontsize="small")
figure

# %% [markdown]
# With the saturating loss the discriminator wins ($D(G(z))$ falls towards 0), the generator's
# gradient fades, and the generator drifts onto fewer and fewer modes; the non-saturating loss keeps
# learning. This is why Goodfellow et al. recommend it and why every later GAN uses it or a cousin.
#
# ## 5. Diagnostics: what the curves say
#
# A GAN's losses do not decrease to zero: it is a game, and each player's loss depends on the other.
# Useful curves are what $D$ believes about data and fakes (both near $\frac12$ when neither player
# dominates), and the gradient norms (growing norms warn of instability). Seed 0 of the
# non-saturating run:

# %%
from gan_lessons.plots.training import draw_diagnostics

seed0 = {name: values[0] for name, values in runs["non_saturating"].metrics.items()}
figure, axes = new_figure(14, 3.6, ncols=3)
draw_diagnostics(axes, seed0)
figure

# %% [markdown]
# The raw curves (thin) jitter from batch to batch; their running means (thick) **oscillate**
# rather than converge, the circling of lesson 06 in a real network.
#
# **Divergence.** When the parameters blow up, a loss becomes `nan` or `inf` and every later step
# is garbage. Adam is forgiving (each parameter moves by about the learning rate per step at most, so
# even a learning rate of 100 only trains badly), but a learning rate of $10^6$ overflows float32 within
# a few steps. `fit` trains in chunks, stops after the first chunk with a non-finite loss and
# reports the step:

# %%
wild = trainer.set_learning_rates(trainer.init(jax.random.key(0)), generator_lr=1e6,
                                  discriminator_lr=1e6)
result = trainer.fit(wild, key, 2000, chunk=100)
print(f"ran {result.steps_done} of 2000 steps; first non-finite loss at step {result.diverged_at}")

# %% [markdown]
# ## 6. Long runs: progress and checkpoints
#
# A long training should show its progress, and survive an interrupted session. `fit` prints a
# progress line; `save_checkpoint` writes the whole training state (parameters, Adam's moments,
# batch statistics, the step counter) atomically with a SHA-256 checksum, and `load_checkpoint`
# refuses a damaged file or one from another config. Because step $t$'s randomness comes from
# `fold_in(key, t)`, a resumed run is **bit for bit** the uninterrupted one:

# %%
import pathlib
import tempfile

from gan_lessons.training.checkpoint import load_checkpoint, save_checkpoint

steps = by_mode(2000, 200)
full = trainer.fit(trainer.init(jax.random.key(9)), key, steps, chunk=steps // 4, progress=True)
half = trainer.fit(trainer.init(jax.random.key(9)), key, steps // 2, chunk=steps // 4)
with tempfile.TemporaryDirectory() as folder:
    path = pathlib.Path(folder) / "ring.ckpt"
    save_checkpoint(path, half.state, config)
    resumed = trainer.fit(load_checkpoint(path, config), key, steps // 2, chunk=steps // 4)
print("resumed == uninterrupted:", all(np.array_equal(x, y) for x, y in
                                       zip(jax.tree.leaves(full.state), jax.tree.leaves(resumed.state))))

# %% [markdown]
# ## 7. The PacGAN experiment, on a laptop
#
# PacGAN (Lin et al., 2018) measured mode collapse with a fixed setup: a generator of 4 hidden
# layers of 400 units with batch normalisation and ReLU, a discriminator of 3 **maxout** layers of
# 200 units with 5 pieces, Adam with learning rate $10^{-4}$ and $\beta_1 = 0.8$, minibatches of 100.
# Its Table 1 reports, for the plain GAN over 10 runs of 400,000 steps: on the ring 6.3 ± 0.5 modes,
# 98.2 % high-quality samples, reverse KL 0.45; on the grid 17.3 ± 0.8 modes, 94.8 %, 0.70.
#
# The config `PACGAN_RING` (and `PACGAN_GRID`) rebuilds that setup. Its networks are about ten times
# the size of ours, so a laptop CPU trains only a sliver of the paper's 400,000 steps. We run a few
# seeds for a few thousand steps and set our figures beside the paper's, **with the number of steps**.

# %%
from gan_lessons.training.gan import PACGAN_GRID, PACGAN_RING
from gan_lessons.training.seeds import Table1, summarise

PAC_STEPS, PAC_SEEDS = by_mode(2000, 50), by_mode(4, 2)
pac = {}
for name, pac_config in (("ring", PACGAN_RING), ("grid", PACGAN_GRID)):
    pac[name] = train_seeds(make_trainer(pac_config), jax.random.split(jax.random.key(1), PAC_SEEDS),
                            PAC_STEPS, every=by_mode(500, 50), progress=True)
Table1({name: summarise(run.final()) for name, run in pac.items()}, steps=PAC_STEPS)

# %%
seed_figure(pac["ring"], ring_real, extent=RING_EXTENT, label="PacGAN setup, ")

# %% [markdown]
# After a few thousand steps the PacGAN networks already reach most modes, but few of their
# samples are high quality: with modes of std 0.01, "high quality" means landing within 0.03 of a
# mean, and Adam at $10^{-4}$ needs far more steps to sharpen the generator that much. The paper's
# 400,000 steps do sharpen it (98.2 %) and, along the way, lose modes (6.3 of 8 on average): the
# longer training runs, the more chances a GAN has to collapse. Comparing figures from runs of
# different lengths says little; that is why we print the steps beside them.
#
# ## 8. Explore
#
# The panel trains a GAN live, in the spirit of GAN Lab (Kahng et al., 2018): pick the data, the
# loss, the two learning rates, $k$ and the widths, then **Train** (a click trains the chosen number
# of steps), **Step** (one step) or **Reset**. The left plot shades the plane by $D(x)$ (blue: "real",
# red: "fake") under the data and the generator's samples; the curves show the losses, what $D$
# believes, and the mode coverage over time. Things to try: the saturating loss with $k = 3$; a
# discriminator learning rate ten times the generator's, and the other way round; widths of 32
# against 256 on the grid; both learning rates near 1, where the losses and gradient norms explode
# and the generator's samples leave the view.

# %%
from gan_lessons.widgets.gan_lab import GANLabExplorer

GANLabExplorer()

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** A discriminator outputs $D(x) = \frac12$ for every input. What is its loss
# $-\mathbb E[\ln D(x)] - \mathbb E[\ln(1 - D(G(z)))]$, in nats?

# %%
from gan_lessons.exercises import lesson07 as ex

d_loss_at_half = ...  # your answer
ex.check_loss_at_half(d_loss_at_half)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $-\ln\frac12 - \ln\frac12 = 2\ln 2 \approx 1.386$ nats. This is $-V$ at the equilibrium of lesson 05,
# where $V = -\ln 4$.
# </details>
#
# **Exercise 2.** The discriminator rejects a fake with $D(G(z)) = 0.05$. What is the derivative of
# the **saturating** generator loss $\ln(1 - D(G(z)))$ with respect to the logit $l$ of $D$?

# %%
saturating_gradient = ...  # your answer
ex.check_saturating_gradient(saturating_gradient)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $\frac{\partial}{\partial l}\ln(1 - \sigma(l)) = -\sigma(l) = -D = -0.05$. The non-saturating loss
# would give $-(1 - D) = -0.95$, nineteen times more.
# </details>
#
# **Exercise 3.** A generator produces perfect samples of the grid (25 Gaussians of std 0.05). What
# fraction of them does the protocol call high quality?

# %%
high_quality_fraction = ...  # your answer
ex.check_high_quality_fraction(high_quality_fraction)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# A perfect sample's squared distance to its mean, over $\sigma^2$, is $\chi^2_2$; high quality means
# $\chi^2_2 \le 9$, probability $1 - e^{-9/2} \approx 0.9889$, whatever the std. (Modes of the grid
# are 40 std apart, so a sample is essentially never nearer another mean.)
# </details>
#
# **Exercise 4.** The high-quality samples of a ring generator fall evenly on 4 of the 8 modes. What
# is the reverse KL of the protocol?

# %%
reverse_kl = ...  # your answer
ex.check_reverse_kl(reverse_kl)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $q_j = \frac14$ on 4 modes: $\sum_j q_j \ln(8 q_j) = \ln 2 \approx 0.693$.
# </details>
#
# ## Summary
#
# - Algorithm 1: $k$ discriminator steps on fresh minibatches, then one generator step; the course's
#   engine runs hundreds of such steps per compiled call (`jit` over `scan`), and trains seeds side by
#   side with `vmap`, spread over every device.
# - In 1-D the GAN paper's Figure 1 comes to life: $D$ points the generator towards the data, and
#   with $G$ frozen it converges to $D^* = p_{data}/(p_{data} + p_g)$.
# - Mode collapse is measured on samples: modes covered, high-quality fraction (at most
#   $1 - e^{-9/2} \approx 98.9\,\%$ in 2-D), and reverse KL.
# - The saturating loss stalls when $D$ wins; the non-saturating loss does not.
# - GAN training oscillates; divergence is caught and reported; checkpoints resume exactly.
#
# ## References
#
# - I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014 (Algorithm 1, Figure 1, the
#   non-saturating loss).
# - I. Goodfellow, "NIPS 2016 Tutorial: Generative Adversarial Networks", arXiv:1701.00160
#   (saturating and non-saturating costs, mode collapse).
# - A. Srivastava et al., "VEEGAN: Reducing Mode Collapse in GANs using Implicit Variational
#   Learning", NeurIPS 2017 (the mode-coverage protocol).
# - Z. Lin, A. Khetan, G. Fanti, S. Oh, "PacGAN: The power of two samples in generative adversarial
#   networks", NeurIPS 2018 (the ring and grid, the architecture, Table 1).
# - L. Metz et al., "Unrolled Generative Adversarial Networks", ICLR 2017 (the 2-D mixture
#   demonstration of mode collapse).
# - M. Kahng et al., "GAN Lab: Understanding Complex Deep Generative Models using Interactive Visual
#   Experimentation", IEEE VIS 2018.
# - Lecture notes: the physics lecture on GANs (the training procedure: a minibatch of data, a
#   minibatch of latent codes, the min-max updates) and the study notes on *Deep Learning* ch. 20
#   (convergence means D = 1/2 everywhere; the non-saturating loss and why its gradient stays large).
