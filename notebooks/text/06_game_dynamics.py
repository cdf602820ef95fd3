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
# # Lesson 06 — Game dynamics: why GAN training circles
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/gan-lessons/gan-lessons/blob/main/notebooks/06_game_dynamics.ipynb)
#
# Lesson 05 showed that the GAN game has the right equilibrium. This lesson asks whether *gradient
# steps* get there. On the simplest game with an equilibrium, $v(a, b) = ab$, the answer is sobering:
# the continuous dynamics circle forever, simultaneous gradient steps spiral **out**, and alternating
# steps cycle. Remedies exist (extragradient, optimism, consensus), and on the **Dirac-GAN** of
# Mescheder, Geiger and Nowozin (2018), a real GAN loss in two parameters, the same analysis shows
# which training methods converge: the eigenvalues of the Jacobian at the equilibrium decide.
#
# **After this lesson you can**
# - derive the vector field of a two-player game and why its flow circles the equilibrium;
# - compute the per-step radius factor of simultaneous and extragradient steps, and the conserved
#   quantity of alternating steps;
# - predict convergence from the spectral radius of a step, or the eigenvalues of the Jacobian;
# - explain why gradient penalties (R1) and instance noise make the Dirac-GAN converge.

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

from gan_lessons import dynamics as dy
from gan_lessons.runtime import by_mode
from gan_lessons.plots import new_figure
from gan_lessons.plots.dynamics import draw_field_and_path, draw_radius

grid = np.meshgrid(np.linspace(-2.5, 2.5, 15), np.linspace(-2.5, 2.5, 15))
start, eta, steps = [1.0, 0.5], 0.1, 300
figure, axes = new_figure(13, 4.2, ncols=3)
for ax, method in zip(axes, ("simultaneous", "alternating", "extragradient")):
    draw_field_and_path(ax, grid, (-grid[1], grid[0]), dy.bilinear_trajectory(method, eta, steps, start),
                        limit=2.5, title=f"{method}, eta = {eta}")
figure

# %% [markdown]
# *Three ways of taking gradient steps on $v(a, b) = ab$ from the same start: spiral out, cycle,
# spiral in.*
#
# ## 1. The bilinear game and its flow
#
# Player $a$ minimises $v(a, b) = ab$, player $b$ maximises it. The equilibrium is $(0, 0)$: there
# neither player can gain by moving alone. Each follows its own gradient: $a$ descends
# $\partial_a v = b$, $b$ ascends $\partial_b v = a$. The **vector field** of the game is therefore
#
# $$ F(a, b) = (-\partial_a v,\; \partial_b v) = (-b,\; a), $$
#
# a rotation by 90° of the position vector. In continuous time, $\dot a = -b$, $\dot b = a$, and
# $\frac{d}{dt}(a^2 + b^2) = 2a\dot a + 2b\dot b = -2ab + 2ab = 0$: the **radius is conserved** and the
# players circle the equilibrium forever. This is the "small steps circle the origin" of the lecture
# notes. A Runge–Kutta integration confirms it:

# %%
flow = np.asarray(dy.bilinear_flow(start, 4 * np.pi, 4000))
radius = np.hypot(flow[:, 0], flow[:, 1])
print(f"radius over two revolutions: min {radius.min():.7f}, max {radius.max():.7f}")

# %% [markdown]
# ## 2. Discrete steps: spiral out, cycle, or converge
#
# **Simultaneous steps** $(a, b) \leftarrow (a - \eta b,\; b + \eta a)$ multiply $z = (a, b)$ by
# $\begin{pmatrix}1 & -\eta\\ \eta & 1\end{pmatrix}$, a rotation times $\sqrt{1+\eta^2}$: the radius grows
# by **exactly $\sqrt{1 + \eta^2}$ every step**, however small $\eta$ is.
#
# **Alternating steps** (first $a \leftarrow a - \eta b$, then $b \leftarrow b + \eta a$ with the *new*
# $a$) conserve the quadratic form $a^2 - \eta ab + b^2$ (expand it before and after a step): for
# $\eta < 2$ it is an ellipse, and the iterates cycle on it without converging.
#
# **Extragradient** (Korpelevich 1976) first takes a trial step, then updates with the gradient found
# there: the radius shrinks by $\sqrt{1 - \eta^2 + \eta^4} < 1$ per step for $0 < \eta < 1$.
# **Optimistic** steps (Daskalakis et al. 2018) extrapolate with the previous gradient,
# $z_{t+1} = z_t + 2\eta F(z_t) - \eta F(z_{t-1})$, and converge for $\eta < 1/\sqrt 3$.
# **Consensus optimisation** (Mescheder et al. 2017) adds $-\gamma\nabla\tfrac12\|F\|^2$, which here pulls
# straight towards the equilibrium.
#
# The numbers, checked: measured per-step factors against the closed forms, and the alternating
# invariant along a trajectory.

# %%
for method in ("simultaneous", "extragradient"):
    path = np.asarray(dy.bilinear_trajectory(method, 0.3, 20, start))
    measured = np.hypot(*path[1:].T) / np.hypot(*path[:-1].T)
    print(f"{method:13s}: measured factors {measured.min():.6f}..{measured.max():.6f}, "
          f"closed form {dy.radius_factor(method, 0.3):.6f}")
path = np.asarray(dy.bilinear_trajectory("alternating", 0.3, 1000, start))
invariant = dy.alternating_invariant(path[:, 0], path[:, 1], 0.3)
print(f"alternating  : a^2 - eta ab + b^2 stays in [{invariant.min():.6f}, {invariant.max():.6f}]")
for eta in (0.5, 1 / np.sqrt(3), 0.7):
    print(f"optimistic, eta = {eta:.4f}: spectral radius of the step {dy.spectral_radius('optimistic', eta):.5f}")

# %% [markdown]
# ## 3. Explore
#
# Choose a game and a method, move the step size and the start, and watch the trajectory over the
# vector field and its distance from the equilibrium. The **spectral radius** of one step (the
# largest $|\lambda|$ of the step's linearisation at the equilibrium) predicts the outcome: below 1 the
# iterates converge, above 1 they spiral out. Try simultaneous steps with a large step size: the run
# diverges and the panel says so.

# %%
from gan_lessons.widgets import DynamicsExplorer

explorer = DynamicsExplorer()
explorer

# %% [markdown]
# ## 4. The Dirac-GAN
#
# Mescheder, Geiger and Nowozin (2018) strip a GAN to two parameters. The data distribution is a point
# mass at 0, the generator produces a point mass at $\theta$, and the discriminator is linear,
# $D(x) = \psi x$ (a logit). With $f(t) = -\ln(1 + e^{-t})$ for the standard GAN, the objective is
#
# $$ L(\theta, \psi) = f(\psi\theta) + f(0), $$
#
# minimised by the generator in $\theta$ and maximised by the discriminator in $\psi$. The unique
# equilibrium is $(\theta, \psi) = (0, 0)$. The vector field is
# $v(\theta, \psi) = (-\psi f'(\psi\theta),\; \theta f'(\psi\theta))$, and at the equilibrium its
# Jacobian is $\begin{pmatrix}0 & -f'(0)\\ f'(0) & 0\end{pmatrix}$ with eigenvalues $\pm i f'(0)$:
# purely imaginary, like the bilinear game. The dynamics circle; simultaneous steps spiral out.
#
# Regularisers change the Jacobian. The **R1 gradient penalty** subtracts $\frac\gamma2\|\nabla_x D\|^2 =
# \frac\gamma2\psi^2$ from the discriminator's objective on real data; the Jacobian becomes
# $\begin{pmatrix}0 & -f'(0)\\ f'(0) & -\gamma\end{pmatrix}$, with eigenvalues
# $-\frac\gamma2 \pm \sqrt{\frac{\gamma^2}4 - f'(0)^2}$, whose real parts are negative: it converges.
# **Instance noise** (adding noise of variance $\sigma^2$ to both real and generated samples) adds
# $2\sigma^2 f''(0) < 0$ in the same place, for losses with $f'' \ne 0$. The WGAN loss $f(t) = t$ has
# $f'' = 0$: neither its own dynamics nor instance noise damp it.

# %%
rows = [("gan", "none"), ("non_saturating", "none"), ("wgan", "none"), ("gan", "r1"),
        ("gan", "instance_noise"), ("wgan", "instance_noise"), ("wgan", "r1")]
print(f"{'loss':15s} {'regulariser':15s} {'eigenvalues':32s} {'sim. steps, eta=0.1':>20s}")
for loss, regulariser in rows:
    values = dy.dirac_eigenvalues(loss, regulariser, gamma=1.0, noise_std=0.7)
    rho = dy.dirac_spectral_radius(0.1, loss=loss, regulariser=regulariser, gamma=1.0, noise_std=0.7)
    shown = ", ".join(f"{v.real:+.3f}{v.imag:+.3f}i" for v in np.asarray(values, complex))
    verdict = "converges" if rho < 1 - 1e-9 else "does not converge"
    print(f"{loss:15s} {regulariser:15s} {shown:32s} {verdict:>20s} (rho = {rho:.4f})")

# %% [markdown]
# The same story in pictures: the unregularised GAN spirals away under simultaneous steps; with R1
# it converges.

# %%
figure, axes = new_figure(13, 4.2, ncols=3)
paths = {}
for ax, regulariser in zip(axes[:2], ("none", "r1")):
    field = dy.dirac_vector_field(*grid, loss="gan", regulariser=regulariser, gamma=1.0)
    paths[regulariser] = dy.dirac_trajectory(start, 0.2, by_mode(600, 300), loss="gan",
                                             regulariser=regulariser, gamma=1.0)
    draw_field_and_path(ax, grid, field, paths[regulariser], limit=2.5,
                        labels=("theta (generator)", "psi (discriminator)"),
                        title=f"Dirac-GAN, regulariser: {regulariser}")
draw_radius(axes[2], {f"GAN, {name}": path for name, path in paths.items()})
figure

# %% [markdown]
# Every loss with every regulariser (simultaneous steps, $\eta = 0.2$, $\gamma = 1$, noise std 0.7):

# %%
figure, axes = new_figure(12, 12, ncols=3, nrows=3)
for row, loss in zip(axes, dy.DIRAC_LOSSES):
    for ax, regulariser in zip(row, dy.DIRAC_REGULARISERS):
        kwargs = dict(loss=loss, regulariser=regulariser, gamma=1.0, noise_std=0.7)
        draw_field_and_path(ax, grid, dy.dirac_vector_field(*grid, **kwargs),
                            dy.dirac_trajectory(start, 0.2, by_mode(400, 200), **kwargs), limit=2.5,
                            labels=("theta", "psi"), title=f"{loss}, {regulariser}")
figure

# %% [markdown]
# Finally, an animation of simultaneous steps on the bilinear game (it plays without a kernel too):

# %%
from gan_lessons.plots.dynamics import trajectory_animation

trajectory_animation(dy.bilinear_trajectory("simultaneous", 0.15, 120, start), limit=2.5,
                     frames=by_mode(60, 20), title="simultaneous steps on v = ab")

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** By what factor does the distance from the equilibrium grow per simultaneous step on
# $v = ab$ with $\eta = 0.1$?

# %%
from gan_lessons.exercises import lesson06 as ex

factor = ...  # your answer
ex.check_radius_factor(factor)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $|(a - \eta b, b + \eta a)|^2 = (1 + \eta^2)(a^2 + b^2)$, so the factor is $\sqrt{1.01} \approx 1.00499$.
# </details>
#
# **Exercise 2.** With the same step size, after how many steps has the distance doubled?

# %%
steps_to_double = ...  # your answer
ex.check_doubling_steps(steps_to_double)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $1.01^{n/2} \ge 2 \iff n \ge 2\ln 2/\ln 1.01 \approx 139.3$: **140** steps.
# </details>
#
# **Exercise 3.** For the Dirac-GAN with the GAN loss and an R1 penalty of weight $\gamma = 2$, what is
# the Jacobian eigenvalue with the larger real part?

# %%
eigenvalue = ...  # your answer
ex.check_r1_eigenvalue(eigenvalue)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $-\frac\gamma2 + \sqrt{\frac{\gamma^2}4 - f'(0)^2} = -1 + \sqrt{1 - \frac14} \approx -0.134$.
# </details>
#
# **Exercise 4.** What is the largest step size for which optimistic steps converge on $v = ab$?
# (Use the explorer's spectral radius to find it, then say why.)

# %%
eta_max = ...  # your answer
ex.check_optimistic_threshold(eta_max)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $1/\sqrt 3 \approx 0.577$: the spectral radius of the optimistic step crosses 1 there.
# </details>
#
# ## Summary
#
# - A two-player game's vector field rotates around the equilibrium when the game is bilinear; the flow
#   conserves the radius.
# - Simultaneous steps spiral out by $\sqrt{1+\eta^2}$ per step; alternating steps cycle on an ellipse;
#   extragradient, optimism and consensus converge for small enough steps.
# - Convergence is decided by the eigenvalues at the equilibrium: of the Jacobian (continuous time) or of
#   the step's linearisation (discrete time).
# - The Dirac-GAN behaves like the bilinear game: its unregularised dynamics do not converge; R1 and
#   instance noise add damping, and then they do.
#
# ## References
#
# - L. Mescheder, A. Geiger, S. Nowozin, "Which Training Methods for GANs do actually Converge?",
#   ICML 2018 (the Dirac-GAN, R1, instance noise, eigenvalue analysis).
# - L. Mescheder, S. Nowozin, A. Geiger, "The Numerics of GANs", NeurIPS 2017 (consensus optimisation).
# - G. M. Korpelevich, "The extragradient method for finding saddle points and other problems", 1976;
#   G. Gidel et al., "A Variational Inequality Perspective on Generative Adversarial Networks", ICLR 2019.
# - C. Daskalakis et al., "Training GANs with Optimism", ICLR 2018.
# - Lecture notes: study notes on *Deep Learning* ch. 20 (the bilinear game v = ab, small alternating
#   steps circling the origin; convergence of GAN training).
