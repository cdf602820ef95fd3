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
# # Lesson 08 — GANs on images
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/gan-lessons/gan-lessons/blob/main/notebooks/08_gans_on_images.ipynb)
#
# The GANs of lesson 07 drew points in the plane. Now the data are **images**: the handwritten
# digits that ship with scikit-learn, and galaxy-like pictures the course generates itself. The
# generator becomes a *de-convolutional* network that paints an image from a latent code, the
# discriminator a convolutional classifier, and both are trained by the same engine as before,
# split over every device JAX can see.
#
# **After this lesson you can**
# - load the course's image data (and MNIST from files you have), and say what each pixel holds;
# - explain a transposed convolution, and check that it is the adjoint of a strided convolution;
# - train a DCGAN-style GAN and watch fixed latent codes turn into digits; walk in latent space;
# - evaluate a GAN without a likelihood: a classifier's Fréchet distance and score, each beside
#   its real-against-real baseline, pixel statistics, and a memorisation check;
# - say why a GAN generator cannot emit discrete tokens directly;
# - train data-parallel over several devices with `jax.sharding`.
#
# The data, and where we will get to:

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
from gan_lessons.data.images import image_dataset, load_digits
from gan_lessons.plots import new_figure
from gan_lessons.plots.images import draw_image_grid

digits, galaxies = load_digits(), image_dataset("galaxies")
figure, axes = new_figure(12, 4.4, ncols=2)
draw_image_grid(axes[0], digits.images[:64], title="scikit-learn digits (8 x 8)")
draw_image_grid(axes[1], galaxies[:64], title="procedural galaxies (16 x 16)")
figure

# %% [markdown]
# ## 1. Images that ship with the course
#
# **Digits.** 1,797 scans of handwritten digits, 8 x 8 pixels of 17 grey levels (0 to 16),
# collected for the UCI repository and bundled with scikit-learn, so nothing is downloaded. We map
# a grey level $g$ to $g/8 - 1 \in [-1, 1]$, the range of the generator's $\tanh$ output.
#
# **Galaxies.** Lecture 24 of the physics notes motivates GANs with astronomical images. The
# course draws its own: each image is an exponential disk $e^{-\rho/h}$ plus a Gaussian bulge, with
# $\rho$ the elliptical radius (random axis ratio and orientation), modulated by two faint spiral
# arms, with pixel noise; `make_galaxies(key, n)` is a jitted JAX function, so the same key always
# gives the same galaxies.
#
# **MNIST.** If you have the MNIST files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
# optionally gzipped) in a folder, `load_mnist(folder)` reads them; the course never downloads them.
# Their IDX format is simple: a 4-byte magic number (two zero bytes, a type code, the number of
# dimensions), the sizes as big-endian 32-bit integers, then the raw values. Here we write a tiny
# IDX file and read it back:

# %%
import pathlib
import tempfile

from gan_lessons.data.images import load_idx, write_idx

with tempfile.TemporaryDirectory() as folder:
    path = write_idx(pathlib.Path(folder) / "tiny-idx3-ubyte", np.arange(12, dtype=np.uint8).reshape(1, 3, 4))
    raw = path.read_bytes()
    print("magic:", raw[:4].hex(), " sizes:", [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(3)])
    print(load_idx(path))

# %% [markdown]
# ## 2. A generator that paints
#
# A convolution with stride 2 **halves** the resolution; the generator needs the opposite. A
# **transposed convolution** with stride 2 doubles it: each input pixel stamps a weighted copy of
# the kernel onto the output, and overlapping stamps add up. The name says what it is: the
# transposed (adjoint) linear map of a strided convolution, so for any $x$ and $v$
#
# $$ \langle \mathrm{conv}(x), v\rangle = \langle x, \mathrm{conv}^\top(v)\rangle , $$
#
# which is also why it appears in the backward pass of every CNN. JAX checks it:

# %%
from jax import lax

x = jax.random.normal(jax.random.key(0), (1, 8, 8, 3))   # an 8 x 8 image with 3 channels
w = jax.random.normal(jax.random.key(1), (3, 3, 3, 5))   # 3 x 3 kernel, 3 -> 5 channels
layout = ("NHWC", "HWIO", "NHWC")
conv = lambda x: lax.conv_general_dilated(x, w, (2, 2), "SAME", dimension_numbers=layout)
v = jax.random.normal(jax.random.key(2), conv(x).shape)  # a 4 x 4 x 5 "gradient"
conv_t = lax.conv_transpose(v, w, (2, 2), "SAME", dimension_numbers=layout, transpose_kernel=True)
print("conv:", x.shape, "->", conv(x).shape, "  transposed:", v.shape, "->", conv_t.shape)
print(f"<conv(x), v> = {float((conv(x) * v).sum()):.5f}   <x, conv_T(v)> = {float((x * conv_t).sum()):.5f}")

# %% [markdown]
# The course's DCGAN-style networks (Radford et al., 2016) follow the design rules of that paper
# that matter at this size: strided (transposed) convolutions instead of pooling, ReLU in the
# generator, leaky ReLU in the discriminator, and $\tanh$ at the output.

# %%
from flax import nnx

from gan_lessons.training.image_gan import ImageGANConfig, make_image_trainer

config = ImageGANConfig(dataset="digits")
trainer = make_image_trainer(config)
state = trainer.init(jax.random.key(0))
count = lambda params: sum(leaf.size for leaf in jax.tree.leaves(params))
g = nnx.merge(trainer.g_graphdef, state.g_params, state.g_rest)
z = jax.random.normal(jax.random.key(1), (1, config.latent_dim))
h = jax.nn.relu(g.project(z)).reshape(1, 2, 2, config.generator_channels[0])
print("z", z.shape, "-> linear", h.shape, "-> transposed conv", g.up1(h).shape,
      "-> transposed conv", g.up2(jax.nn.relu(g.up1(h))).shape)
print(f"parameters: generator {count(state.g_params):,}, discriminator {count(state.d_params):,}")

# %% [markdown]
# ## 3. Training, and the same codes over time
#
# One call of `trainer.train` runs hundreds of steps of Algorithm 1 as one compiled scan, exactly as
# in lesson 07; real batches are drawn from the image array inside the compiled loop. We keep 32
# latent codes fixed and look at what the generator makes of them as training goes on.

# %%
STEPS = by_mode(5000, 100)
fixed_z = jax.random.normal(jax.random.key(3), (32, config.latent_dim))
moments = [0, STEPS // 10, STEPS // 3, STEPS]
snapshots = {0: np.asarray(trainer.generate(state, fixed_z))}
key = jax.random.key(4)
for start, stop in zip(moments[:-1], moments[1:]):
    result = trainer.fit(state, key, stop - start, chunk=stop - start)
    state = result.state
    snapshots[stop] = np.asarray(trainer.generate(state, fixed_z))
print("diverged:", result.diverged_at)
figure, axes = new_figure(16, 4.2, ncols=4)
for ax, (step, images) in zip(axes, snapshots.items()):
    draw_image_grid(ax, images, columns=8, title=f"step {step:,}")
figure

# %% [markdown]
# ## 4. Walking in latent space
#
# The generator is a continuous function of $z$, so a straight line $z(t) = (1 - t) z_a + t z_b$ in
# latent space becomes a path of images. Along it one digit morphs into another: the generator has
# learned a smooth map, not a lookup table of training images.

# %%
t = np.linspace(0.0, 1.0, 10)[:, None]
z_a, z_b = fixed_z[0], fixed_z[1]
walk = np.asarray(trainer.generate(state, (1 - t) * z_a + t * z_b))
figure, ax = new_figure(12, 1.8)
draw_image_grid(ax, walk, columns=10, title="z(t) = (1 - t) z_a + t z_b, t = 0 ... 1")
figure

# %% [markdown]
# ## 5. Evaluating a GAN without a likelihood
#
# For a VAE or a flow one can report $\ln p(x)$ on test data. A GAN's generator defines $p_g$ only
# *implicitly*, by sampling; its density is not available (and, when the latent space has fewer
# dimensions than the images, it lives on a thin manifold and is not even a proper density in
# pixel space). So GANs are judged by their samples. The lecture slides list this as an open
# problem; the field's working answers use a classifier trained on **real** data:
#
# - the **Fréchet distance** (the "FID" of Heusel et al., 2017, here with our own small classifier
#   instead of Inception): fit a Gaussian to the classifier's features of real and of generated
#   images and compute $\lVert\mu_r - \mu_g\rVert^2 + \mathrm{Tr}\big(\Sigma_r + \Sigma_g - 2(\Sigma_r\Sigma_g)^{1/2}\big)$;
# - the **classifier score** (the "Inception score" of Salimans et al., 2016):
#   $\exp\big(\mathbb E_x\, \mathrm{KL}(p(y\mid x)\,\|\,p(y))\big)$, high when each image is clearly one
#   digit and all digits appear;
#
# each **beside its real-against-real baseline**, since even two halves of the real data do not
# score 0 and 10. First the classifier:

# %%
from gan_lessons.evaluation.image_metrics import evaluate_images, frechet_distance, train_digit_classifier

classifier = train_digit_classifier(jax.random.key(5), digits.images, digits.labels)
print(f"held-out accuracy of the digit classifier: {100 * classifier.held_out_accuracy:.1f} %")

# %% [markdown]
# **The Fréchet formula, checked.** For one-dimensional Gaussians it reduces to
# $(\mu_1 - \mu_2)^2 + (\sigma_1 - \sigma_2)^2$:

# %%
rng = np.random.default_rng(0)
a, b = rng.normal(0.0, 1.0, (200_000, 1)), rng.normal(1.0, 2.0, (200_000, 1))
print(f"Fréchet distance of samples: {frechet_distance(a, b):.4f}   closed form (0 - 1)^2 + (1 - 2)^2 = 2")

# %%
train_images = digits.images[classifier.train_indices]
test_images = digits.images[classifier.held_out_indices]
generated = np.asarray(trainer.sample(state, jax.random.key(6), len(test_images)))
report = evaluate_images(classifier, train_images, test_images, generated)
report

# %% [markdown]
# **Memorisation.** A generator that copied its training images would score perfectly and learn
# nothing. For some generated images we show the nearest training image (in pixels); the report's
# memorisation ratio compares how close generated images come to the training set with how close
# *held-out real* images come to it. A ratio well below 1 would mean copying.

# %%
from gan_lessons.evaluation.image_metrics import nearest_training_distance

distances, index = nearest_training_distance(generated[:10], train_images)
figure, axes = new_figure(12, 2.8, nrows=2)
draw_image_grid(axes[0], generated[:10], columns=10, title="generated")
draw_image_grid(axes[1], train_images[index], columns=10, title="nearest training image")
figure

# %% [markdown]
# ## 6. Why a GAN cannot write words directly
#
# The generator learns from $\nabla_\theta D(G_\theta(z))$: the discriminator's judgement must change
# smoothly as the generator's output changes. An image's pixels are continuous, so it does. A
# sentence is a sequence of **discrete tokens**: the generator would end with an `argmax` (or a
# sample) over a vocabulary, and a small change of $\theta$ either leaves the chosen token unchanged
# (gradient 0) or flips it (no derivative at all). JAX shows the gradient that reaches the
# generator:

# %%
vocabulary_scores = lambda theta: jax.numpy.array([1.0, 2.0, 0.5]) * theta  # logits of 3 tokens
token = lambda theta: jax.nn.one_hot(jax.numpy.argmax(vocabulary_scores(theta)), 3)
judge = lambda theta: token(theta) @ jax.numpy.array([0.1, 0.3, 0.9])         # D likes token 2
print("d judge / d theta through argmax:", float(jax.grad(judge)(1.0)))
soft = lambda theta: jax.nn.softmax(vocabulary_scores(theta)) @ jax.numpy.array([0.1, 0.3, 0.9])
print("through a softmax relaxation:    ", round(float(jax.grad(soft)(1.0)), 4))

# %% [markdown]
# The usual ways around it replace the hard choice by a soft one (the Gumbel-softmax), or train the
# generator with reinforcement-learning gradients (REINFORCE) that need no derivative of the choice.
#
# ## 7. Every device JAX sees
#
# The image trainer is **data parallel**: every batch of real images and latent codes is split
# along the batch axis over all the devices in `jax.devices()`, the parameters are replicated, and
# XLA inserts the sum of the gradients across devices. The same code runs on one CPU, on several
# GPUs, or on the cores of a TPU; the tests check that 4 devices give the 1-device result.

# %%
print("devices:", jax.devices())
print("batch sharding:", trainer.batch_sharding)

# %% [markdown]
# ## 8. Galaxies
#
# The same trainer, on the galaxies:

# %%
galaxy_trainer = make_image_trainer(ImageGANConfig(dataset="galaxies"))
galaxy_run = galaxy_trainer.fit(galaxy_trainer.init(jax.random.key(7)), jax.random.key(8),
                                by_mode(2000, 100), chunk=by_mode(500, 100))
figure, axes = new_figure(12, 4.4, ncols=2)
draw_image_grid(axes[0], galaxies[:32], columns=8, title="real galaxies")
draw_image_grid(axes[1], galaxy_trainer.sample(galaxy_run.state, jax.random.key(9), 32), columns=8,
                title=f"generated after {galaxy_run.steps_done:,} steps")
figure

# %% [markdown]
# ## 9. Explore
#
# Train live, on digits or galaxies, and walk between two latent codes with the slider: watch the
# fixed codes' images sharpen as the steps add up, and see that nearby codes give nearby images.

# %%
from gan_lessons.widgets.image_gan import ImageGANExplorer

ImageGANExplorer()

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** A transposed convolution with stride 2 and "SAME" padding doubles each side. MNIST
# images are 28 x 28. What side must the generator's first feature maps have, before two such layers?

# %%
from gan_lessons.exercises import lesson08 as ex

first_side = ...  # your answer
ex.check_first_side(first_side)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $28 / 2 / 2 = 7$: the linear layer makes 7 x 7 feature maps.
# </details>
#
# **Exercise 2.** What is the Fréchet distance between $\mathcal N(0, 1)$ and $\mathcal N(3, 2^2)$?

# %%
frechet = ...  # your answer
ex.check_frechet(frechet)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $(0 - 3)^2 + 1 + 4 - 2\sqrt{1 \cdot 4} = 9 + 1 = 10$.
# </details>
#
# **Exercise 3.** A generator makes only perfect "3"s: the classifier is certain of each. What is its
# classifier score?

# %%
score = ...  # your answer
ex.check_score_of_one_class(score)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $p(y\mid x) = p(y) = $ one-hot on 3, so every KL is 0 and the score is $e^0 = 1$, the minimum (ten
# equally frequent, certain classes would give the maximum, 10).
# </details>
#
# ## Summary
#
# - The course's images ship with it (digits) or are generated (galaxies); MNIST loads from IDX
#   files you have.
# - A transposed convolution is the adjoint of a strided convolution; stacked, they let a generator
#   paint images from a latent code.
# - The same engine trains image GANs; fixed latent codes show the samples improve, and latent walks
#   show a smooth map.
# - Without a likelihood, GANs are judged by samples: Fréchet distance and classifier score beside
#   their real baselines, pixel statistics, and a memorisation check.
# - `argmax` has no useful gradient, so GANs do not emit discrete tokens directly.
# - Data parallelism splits each batch over every device JAX sees.
#
# ## References
#
# - A. Radford, L. Metz, S. Chintala, "Unsupervised Representation Learning with Deep Convolutional
#   Generative Adversarial Networks", ICLR 2016 (DCGAN).
# - M. Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash
#   Equilibrium", NeurIPS 2017 (the Fréchet distance).
# - T. Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016 (the Inception score).
# - Lecture notes: the physics lecture on GANs (galaxy images as the motivating example), the
#   lecture on adversarial learning (the generator as a de-convolutional network), and the "Deep
#   Learning Systems" slides (open problems: evaluating samples, discrete data).
