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
# # Lesson 04 — Generative and discriminative models
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/gan-lessons/gan-lessons/blob/main/notebooks/04_generative_and_discriminative.ipynb)
#
# A GAN has two networks with two different jobs. The **discriminator** is a *discriminative* model:
# it answers "how likely is this point to be real?". The **generator** is a *generative* model: it
# produces new points. This lesson compares the two kinds of model on the oldest problem in machine
# learning, classification, where both can be written down exactly, and ends with the observation
# that makes GANs work: a discriminator is just a classifier of "real" against "generated", and its
# log-likelihood is the GAN's value function.
#
# **After this lesson you can**
# - apply Bayes' rule to turn class-conditional densities and priors into posterior probabilities;
# - show that two Gaussian classes give a posterior that is a sigmoid of the log-odds (a softmax for K
#   classes), linear in x when the classes share a covariance;
# - fit a generative classifier in closed form and a discriminative one (logistic regression) with
#   Optax, and compare them on the same data;
# - draw new data from a generative model, and explain why a discriminative one cannot;
# - write a GAN discriminator's training objective as the log-likelihood of real/fake labels.

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

from gan_lessons import classifiers as clf
from gan_lessons.runtime import by_mode
from gan_lessons.plots import new_figure
from gan_lessons.plots.classification import draw_posterior_2d

means = np.array([[1.0, 1.0], [-1.0, -0.5]])
covariances = np.array([[[1.0, 0.4], [0.4, 0.8]], [[1.0, 0.4], [0.4, 0.8]]])
priors = np.array([0.5, 0.5])
train = clf.gaussian_classes(jax.random.key(0), means, covariances, priors, by_mode(400, 300))
generative = clf.fit_generative(train.x, train.y, 2, shared_covariance=True)
logistic = clf.fit_logistic(train.x, train.y, steps=by_mode(2000, 800))
figure, axes = new_figure(12, 4.2, ncols=2)
draw_posterior_2d(axes[0], train.x, train.y, generative.posterior, title="Generative: Gaussians + Bayes")
draw_posterior_2d(axes[1], train.x, train.y, logistic.posterior, title="Discriminative: logistic regression")
figure

# %% [markdown]
# *Two classes of points in the plane and two classifiers. Left: fit a Gaussian to each class, then
# apply Bayes' rule. Right: fit P(class | x) directly. The black line is where both classes are
# equally likely. By the end of the lesson you will know why the two lines nearly coincide.*
#
# ## 1. Two ways to classify
#
# We observe $x$ and want its class $C_k$. A **discriminative** model learns $p(C_k \mid x)$ directly:
# nothing else. A **generative** model learns how each class *produces* data, $p(x \mid C_k)$, and how
# common each class is, $p(C_k)$; the posterior then follows from **Bayes' rule**:
#
# $$ p(C_k \mid x) = \frac{p(x \mid C_k)\, p(C_k)}{p(x)}, \qquad p(x) = \sum_j p(x \mid C_j)\, p(C_j). $$
#
# The generative route is more work, but it gives more: the density of the data $p(x)$ itself, and the
# ability to **sample** new data (pick a class with probability $p(C_k)$, then draw $x \sim p(x\mid C_k)$).
#
# ## 2. Two classes: a sigmoid of the log-odds
#
# Divide the numerator and denominator of Bayes' rule by $p(x\mid C_1)p(C_1)$:
#
# $$ p(C_1 \mid x) = \frac{1}{1 + \frac{p(x\mid C_2)p(C_2)}{p(x\mid C_1)p(C_1)}} = \sigma(a),
#    \qquad a(x) = \ln\frac{p(x \mid C_1)\,p(C_1)}{p(x \mid C_2)\,p(C_2)}, $$
#
# with the **logistic sigmoid** $\sigma(a) = 1/(1 + e^{-a})$. The log-odds $a$ is the whole story.
# Explore it for two 1-D Gaussian classes: when are the log-odds a straight line?

# %%
from gan_lessons.widgets import BayesExplorer

BayesExplorer()

# %% [markdown]
# For Gaussians, $\ln p(x\mid C_k) = -\frac{(x-\mu_k)^2}{2 s_k^2} - \ln s_k - \frac12\ln 2\pi$, so $a(x)$ is
# a quadratic in $x$, and the $x^2$ terms cancel exactly when $s_1 = s_2$. In $d$ dimensions with a
# **shared covariance** $\Sigma$, the same cancellation gives a linear log-odds (below, class 1 plays
# $C_1$ and class 0 plays $C_2$: the label-1 class is the "positive" one, as "real" will be for a GAN)
#
# $$ a(x) = w^\top x + b, \qquad w = \Sigma^{-1}(\mu_1 - \mu_2), \qquad
#    b = -\tfrac12\mu_1^\top\Sigma^{-1}\mu_1 + \tfrac12\mu_2^\top\Sigma^{-1}\mu_2 + \ln\frac{p(C_1)}{p(C_2)}. $$
#
# Let us check this against the log-densities computed directly.

# %%
from scipy.stats import multivariate_normal

w, b = clf.linear_log_odds_coefficients(means[1], means[0], covariances[0], priors[1], priors[0])
points = np.asarray(train.x[:5])
direct = (multivariate_normal(means[1], covariances[1]).logpdf(points)
          - multivariate_normal(means[0], covariances[0]).logpdf(points))
print("w^T x + b       :", np.round(points @ np.asarray(w) + float(b), 6))
print("ln p(x|C1)/p(x|C2):", np.round(direct, 6))

# %% [markdown]
# **K classes: the softmax.** With $a_k = \ln p(x\mid C_k) + \ln p(C_k)$, Bayes' rule reads
# $p(C_k\mid x) = e^{a_k} / \sum_j e^{a_j}$, the **softmax** of the $a_k$; for $K = 2$ it reduces to
# $\sigma(a_1 - a_2)$.

# %%
three = dict(means=np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]]), covariances=np.stack([np.eye(2)] * 3),
             priors=np.array([0.2, 0.3, 0.5]))
posterior = np.asarray(clf.posterior(points, **three))
print("rows sum to 1:", np.allclose(posterior.sum(axis=1), 1.0))
two = np.asarray(clf.posterior(points, means, covariances, priors))[:, 1]
print("K = 2 softmax equals sigmoid of the log-odds:", np.allclose(two, 1 / (1 + np.exp(-direct))))

# %% [markdown]
# ## 3. Generative against discriminative, on the same data
#
# The **generative classifier** fits each class by maximum likelihood (lesson 03): the class mean,
# the class covariance (here pooled over the classes, since we assume it is shared), and the class
# frequency as the prior. All in closed form. The **discriminative classifier**, logistic regression,
# assumes only that $p(C_1\mid x) = \sigma(w^\top x + b)$ and fits $w, b$ by maximising the
# log-likelihood of the labels, i.e. minimising the cross-entropy
# $-\frac1n\sum_i [y_i \ln\sigma(a_i) + (1-y_i)\ln(1-\sigma(a_i))]$, here with Optax's Adam in a
# jitted `lax.scan` loop. Both give a linear boundary: the same family, reached from opposite ends. We
# compare them with the Bayes-optimal classifier, which knows the true means and covariance.

# %%
test = clf.gaussian_classes(jax.random.key(1), means, covariances, priors, 20_000)
bayes = np.argmax(np.asarray(clf.posterior(test.x, means, covariances, priors)), axis=1)
print(f"Bayes-optimal accuracy (true densities): {float(clf.accuracy(bayes, test.y)):.4f}")
print(f"generative classifier                  : {float(clf.accuracy(generative.predict(test.x), test.y)):.4f}")
print(f"logistic regression                    : {float(clf.accuracy(logistic.predict(test.x), test.y)):.4f}")
g = generative
w_g, b_g = clf.linear_log_odds_coefficients(g.means[1], g.means[0], g.covariances[0], g.priors[1], g.priors[0])
print("log-odds w, b   Bayes (true):", np.round(np.asarray(w), 2), round(float(b), 2))
print("                generative  :", np.round(np.asarray(w_g), 2), round(float(b_g), 2))
print("                logistic    :", np.round(np.asarray(logistic.w), 2), round(float(logistic.b), 2))

# %% [markdown]
# Both classifiers come within a fraction of a percent of the best possible accuracy. Their
# coefficients, estimated from a few hundred points, scatter around the true ones (with 20,000 points
# both agree with them to about 0.02). Here the data really are Gaussian with a shared covariance, so
# the generative model's assumptions hold and it uses the data efficiently; the discriminative one
# assumes less (it never models $p(x)$, so it cannot get it wrong), which makes it the more robust
# choice when the class densities are not Gaussian.
#
# ## 4. What only a generative model can do
#
# The generative classifier is a full model of the data: it gives the density $p(x)$ and it can
# **sample**. Below, new labelled points drawn from the fitted model next to the training data. A
# logistic regression knows only where the boundary is: it has nothing to sample from.

# %%
fake = generative.sample(jax.random.key(2), by_mode(400, 300))
figure, axes = new_figure(12, 4.2, ncols=2)
draw_posterior_2d(axes[0], train.x, train.y, title="training data")
draw_posterior_2d(axes[1], fake.x, fake.y, title="new data sampled from the generative model")
figure

# %% [markdown]
# A GAN's generator is a generative model of this sampling kind, but without an explicit density: it
# maps noise to data. Lesson 03 showed why that needs a discriminator to be trained.
#
# ## 5. The discriminator is a classifier, and its log-likelihood is the GAN value
#
# Now label every data point $r = 1$ ("real") and every generated point $r = 0$ ("fake"), and train a
# discriminative classifier $D(x) = P(r = 1 \mid x)$ on the mixture. Each label is a Bernoulli variable,
# $p(r \mid x) = D(x)^r (1 - D(x))^{1-r}$ (lesson 01), so the mean log-likelihood of a batch of $m$ real
# and $m$ generated points is
#
# $$ \frac{1}{2m}\Big[\sum_{i=1}^m \ln D(x_i) + \sum_{j=1}^m \ln\big(1 - D(G(z_j))\big)\Big]
#    \;\approx\; \tfrac12\Big(\mathbb E_{p_\text{data}}[\ln D(x)] + \mathbb E_{z}[\ln(1 - D(G(z)))]\Big)
#    = \tfrac12\, V(G, D). $$
#
# Maximising the classifier's log-likelihood *is* maximising the GAN value $V(G, D)$, and its
# cross-entropy loss is $-V/2$. And since the two classes are equally common, Bayes' rule says the
# best possible classifier is $D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + p_g(x))$: the subject of
# lesson 05. The check below trains a logistic regression to tell 1-D "real" samples from "generated"
# ones and confirms that its loss is the negative half-value computed from the GAN formula.

# %%
from gan_lessons.losses import value_function

key_real, key_fake = jax.random.split(jax.random.key(3))
real = 0.8 * jax.random.normal(key_real, (2000, 1)) + 1.0
generated = 1.2 * jax.random.normal(key_fake, (2000, 1)) - 0.5
x = np.concatenate([real, generated])
r = np.concatenate([np.ones(2000, int), np.zeros(2000, int)])
d = clf.fit_logistic(x, r, steps=by_mode(2000, 800))
logits = x @ np.asarray(d.w).reshape(-1, 1) + np.asarray(d.b).reshape(1, 1)
v = float(value_function(logits[:2000, 0], logits[2000:, 0]))
print(f"final cross-entropy of the classifier: {float(d.losses[-1]):.5f}")
print(f"-V(G, D) / 2 from the GAN formula    : {-v / 2:.5f}")

# %% [markdown]
# ## Exercises
#
# **Exercise 1 (Bayes' rule).** At some $x$, $p(x\mid C_1) = 0.3$ and $p(x\mid C_2) = 0.1$, and
# $P(C_1) = 0.25$. What is $P(C_1\mid x)$?

# %%
from gan_lessons.exercises import lesson04 as ex

p = ...  # your answer
ex.check_posterior(p)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $\frac{0.3 \cdot 0.25}{0.3\cdot 0.25 + 0.1 \cdot 0.75} = \frac{0.075}{0.15} = 0.5$.
# </details>
#
# **Exercise 2 (linear log-odds).** Classes $C_1 = \mathcal N(1, 1)$ and $C_2 = \mathcal N(-1, 1)$ in 1-D,
# equal priors. Write $a(x) = wx + b$: what are $w$ and $b$?

# %%
w_answer, b_answer = ..., ...  # your answers
ex.check_linear_log_odds(w_answer, b_answer)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $a(x) = \frac{(x+1)^2 - (x-1)^2}{2} = 2x$: $w = 2$, $b = 0$.
# </details>
#
# **Exercise 3 (softmax).** Three classes have scores $a_k = \ln p(x\mid C_k)p(C_k) = (1, 2, 3)$ at
# some $x$. What is $P(C_3\mid x)$?

# %%
p3 = ...  # your answer
ex.check_softmax(p3)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# $e^3/(e^1+e^2+e^3) \approx 0.665$.
# </details>
#
# **Exercise 4 (real or fake?).** A batch is half real, half generated. At some $x$,
# $p_\text{data}(x) = 0.2$ and $p_g(x) = 0.6$. What is the best possible $P(\text{real}\mid x)$?

# %%
p_real = ...  # your answer
ex.check_real_vs_fake(p_real)

# %% [markdown]
# <details><summary><b>Solution</b></summary>
#
# Priors $1/2$ cancel: $0.2/(0.2+0.6) = 0.25$.
# </details>
#
# ## Summary
#
# - Discriminative models learn $p(C\mid x)$; generative models learn $p(x\mid C)p(C)$, hence also $p(x)$
#   and a way to sample.
# - Bayes' rule: two classes give $\sigma(a)$ of the log-odds, $K$ classes a softmax; Gaussian classes
#   with a shared covariance give a linear log-odds, the model of logistic regression.
# - A GAN discriminator is a real-vs-generated classifier; its label log-likelihood is $V(G, D)/2$, and
#   Bayes' rule gives its optimum, $D^* = p_\text{data}/(p_\text{data} + p_g)$.
#
# ## References
#
# - C. M. Bishop, *Pattern Recognition and Machine Learning*, 2006, sections 4.2 (probabilistic
#   generative models) and 4.3 (logistic regression).
# - A. Y. Ng and M. I. Jordan, "On discriminative vs. generative classifiers: a comparison of logistic
#   regression and naive Bayes", NeurIPS 2001.
# - I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
# - Lecture notes: physics lecture 24 (generative vs discriminative models, Bayes, sigmoid of the
#   log-odds, softmax); S. Calderón Ramírez, "Redes generativas" (Bernoulli labels and the likelihood of
#   a labelled batch).
