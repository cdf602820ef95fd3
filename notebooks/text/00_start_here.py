# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 00 — Start here
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/gan-lessons/gan-lessons/blob/main/notebooks/00_start_here.ipynb)
#
# Welcome to **gan-lessons**, a course on Generative Adversarial Networks (GANs). A GAN is a pair
# of neural networks that learn by competing: a **generator** turns random noise into samples, and a
# **discriminator** tries to tell those samples from real data. Each improves against the other
# until the generator's samples are hard to tell apart from the data.
#
# This first lesson checks that your computer is ready, explains how the course works, and ends with
# a twenty-second taste of what is coming: a GAN learning, live, in front of you.
#
# **After this lesson you can**
# - check which versions of JAX, Flax, Optax and ipywidgets you run, and which devices JAX sees;
# - tell whether interactive widgets work in your notebook;
# - find your way around the lessons and the companion package `gan_lessons`;
# - use the three JAX ideas every later lesson relies on: random keys, `jit` and `grad`.

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
from gan_lessons.plots import draw_gan_diagram, new_figure

figure, ax = new_figure(10, 3.6)
draw_gan_diagram(ax)
figure

# %% [markdown]
# ## 1. Is your set-up ready?
#
# The table below lists the packages the course needs and the devices JAX found. On a laptop you
# will see one `cpu` device; on a machine with an NVIDIA GPU and JAX's CUDA build you will see
# `cuda` devices, and on a Cloud TPU, `tpu` devices. Nothing in the course asks for a particular
# device: the same code runs on all of them.

# %%
from gan_lessons.runtime import environment_report

environment_report()

# %% [markdown]
# Now the widgets. Below you should see a **slider**. Move it: the number on its right is computed by
# Python in the kernel, so if it changes, the round trip from your browser to Python and back works,
# and every explorer panel of the course will too. If you see a sentence saying that widgets are not
# rendering instead, follow its advice before going on.

# %%
from gan_lessons.widgets import WidgetCheck

WidgetCheck()

# %% [markdown]
# ## 2. How the course works
#
# Every lesson is one notebook in `notebooks/`, built the same way:
#
# 1. **Goals** — what you will be able to do afterwards.
# 2. **Theory** — the idea in words, then the mathematics, each formula derived in the text.
# 3. **Demonstrations** — the formulas checked numerically, in front of you.
# 4. **An explorer panel** — sliders and buttons to change the set-up and watch what happens.
# 5. **Exercises** — each with a `check_...` function that tells you what went wrong, not just
#    "incorrect", and a hidden solution you can unfold.
# 6. **Summary and references** — the papers and the lecture notes behind the lesson.
#
# The code cells are short: they call the companion package **`gan_lessons`**, where every formula of
# the course is implemented once, with its mathematics in the docstring. Read it when you want to see
# how something is done: `gan_lessons.games` for lesson 01, `gan_lessons.training.gan` for GAN training,
# and so on. Try `help(gan_lessons.games.solve_zero_sum)` in any cell.
#
# | lesson | topic |
# |---|---|
# | 00 | Start here (this notebook) |
# | 01 | Zero-sum games: the game a GAN plays |
# | 02 | Information and divergences |
# | 03 | Maximum likelihood and the direction of KL |
# | 04 | Generative and discriminative models |
# | 05 | The optimal discriminator |
# | 06 | Game dynamics: why GAN training circles |
# | 07 | Training a GAN |
# | 08 | GANs on images |
# | 09 | VAEs and GANs |
#
# **Running on a CPU, a GPU or a TPU.** JAX compiles each training step for whatever device it finds.
# On a laptop everything runs on the CPU, and every lesson is sized for that. To use an NVIDIA GPU,
# install the course with `pip install -e ".[cuda12]"` (or `.[cuda13]`); on a Cloud TPU VM, with
# `pip install -e ".[tpu]"`. On **Colab** JAX is already installed with GPU or TPU support: install
# only the course package (see the README) and choose a runtime type.
#
# **Quick mode.** If the environment variable `GAN_LESSONS_QUICK=1` is set before JupyterLab starts,
# every lesson trains for a fraction of its usual length: handy when you are short of time, and what
# the test suite uses to run every notebook.

# %%
import gan_lessons

print("quick mode is", "ON" if gan_lessons.quick_mode() else "off")

# %% [markdown]
# ## 3. A taste: a GAN learns a ring
#
# The data below (blue) are points from eight small Gaussian blobs arranged on a circle of radius 1.
# The generator (red) starts as a random network that maps two-dimensional noise to points near the
# origin. Press **Train** and watch for twenty seconds:
#
# - the red points move out to the ring and spread over its blobs;
# - the background shading is the discriminator's belief **D(x)**, the probability it gives that a
#   point is real data (blue where it says "real", red where it says "fake", white for "cannot tell");
# - on the right, the discriminator's average verdict on real and generated points. When the
#   generator does well, both drift towards 1/2: the discriminator can no longer tell.
#
# You will understand every piece of this by lesson 07. For now, just watch. (Change the seed and
# train again: do all eight blobs always get covered?)

# %%
from gan_lessons.widgets import TastePanel

taste = TastePanel()
taste

# %% [markdown]
# The next cell trains the panel above from code, so that a copy of this notebook read without a
# kernel (for instance on a website) still shows a trained GAN. In a live notebook, the figure above
# updates while it runs.

# %%
taste.train()
print(f"{taste.steps_done:,} training steps in {taste.train_seconds:.1f} s")
taste.figure  # a snapshot of the panel after training

# %% [markdown]
# ## 4. Three JAX ideas you will meet everywhere
#
# **Random keys.** JAX has no hidden global random state. Randomness comes from an explicit *key*:
# the same key always gives the same numbers, and `jax.random.split` makes new independent keys. This
# makes every experiment in the course reproducible from a seed.

# %%
import jax
import jax.numpy as jnp

key = jax.random.key(0)
print(jax.random.normal(key, (3,)))
print(jax.random.normal(key, (3,)), " <- the same key gives the same numbers")
key_a, key_b = jax.random.split(key)
print(jax.random.normal(key_a, (3,)), " <- a split-off key gives new numbers")

# %% [markdown]
# **`jax.jit`** compiles a Python function into fast machine code for your device, the first time it
# is called with arrays of a given shape. Later calls with the same shapes reuse the compiled code.
# The course's training loops are compiled this way: one call runs hundreds of training steps.
#
# **`jax.grad`** turns a function $f:\mathbb{R}^n\to\mathbb{R}$ into the function that computes its
# gradient $\nabla f$. For $f(x) = \sum_i x_i^2$ the gradient is $2x$; let us check.

# %%
import time


@jax.jit
def f(x):
    return jnp.sum(x**2)


x = jnp.array([1.0, 2.0, 3.0])
start = time.perf_counter()
f(x).block_until_ready()
first = time.perf_counter() - start
start = time.perf_counter()
f(x).block_until_ready()
second = time.perf_counter() - start
print(f"f(x) = {f(x)}; first call (compiles) {1e3 * first:.1f} ms, second call {1e3 * second:.3f} ms")
print("grad f at x:", jax.grad(f)(x), " expected 2x =", 2 * x)

# %% [markdown]
# ## Exercises
#
# Each exercise has a placeholder `...`. Replace it with your answer and run the cell: the check
# tells you whether you are right and, if not, what probably went wrong.
#
# **Exercise 1 (keys).** Draw three standard normal numbers with the key made from seed 42.

# %%
from gan_lessons.exercises.lesson00 import check_gradient, check_heat_map_player, check_key_sample

sample = ...  # your answer: jax.random.normal(...)
check_key_sample(sample)

# %% [markdown]
# <details><summary><b>Solution</b> (click to unfold)</summary>
#
# ```python
# sample = jax.random.normal(jax.random.key(42), (3,))
# ```
# The seed becomes a key with `jax.random.key(42)`; the shape `(3,)` asks for three numbers.
# </details>
#
# **Exercise 2 (grad).** Compute the gradient of $f(x)=\sum_i x_i^2$ at $x = (1, 2, 3)$ with
# `jax.grad`.

# %%
gradient = ...  # your answer
check_gradient(gradient)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# ```python
# gradient = jax.grad(f)(jnp.array([1.0, 2.0, 3.0]))   # = (2, 4, 6)
# ```
# Each partial derivative of $x_i^2$ is $2x_i$.
# </details>
#
# **Exercise 3 (the taste).** In the taste figure, which network's output is the background shading:
# `"generator"` or `"discriminator"`?

# %%
answer = ...  # "generator" or "discriminator"
check_heat_map_player(answer)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# `answer = "discriminator"`. The shading is $D(x)$, a probability defined at every point of the
# plane; the generator's output is the set of red points.
# </details>
#
# ## Summary
#
# - A GAN is two networks in a contest: the generator makes samples, the discriminator judges them.
# - The course runs the same JAX code on a CPU, a GPU or a TPU; lesson 00 shows what you have.
# - Each lesson: goals, theory, demonstrations, an explorer panel, exercises with checks.
# - JAX's explicit keys make runs reproducible; `jit` compiles, `grad` differentiates.
#
# **Next:** lesson 01, the game theory behind the contest.
#
# ## References
#
# - I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014 — the paper that introduced GANs.
# - I. Goodfellow, "NIPS 2016 Tutorial: Generative Adversarial Networks", arXiv:1701.00160.
# - I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press 2016, chapter 20.
# - Lecture notes followed by the course: see `README.md` and the lesson list above; the ring data set
#   is the one used by the mode-collapse papers of lesson 07 (VEEGAN, PacGAN).
# - JAX documentation: "Pseudorandom numbers", "Just-in-time compilation", "Automatic differentiation"
#   (docs.jax.dev).
