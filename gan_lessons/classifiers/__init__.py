"""Generative and discriminative classifiers: Bayes' rule, Gaussian classes, logistic regression.

Lesson 04 steps from classification to the GAN discriminator. There are two ways
to build a probabilistic classifier for classes :math:`C_1, \\dots, C_K`.

**Generative.** Model how each class makes its data, :math:`p(x \\mid C_k)`, and how
common each class is, :math:`p(C_k) = \\pi_k`; then invert with Bayes' theorem,

.. math:: p(C_k \\mid x) = \\frac{p(x \\mid C_k)\\, \\pi_k}{\\sum_j p(x \\mid C_j)\\, \\pi_j}
          = \\frac{e^{a_k}}{\\sum_j e^{a_j}} = \\mathrm{softmax}(a)_k,
          \\qquad a_k = \\ln p(x \\mid C_k) + \\ln \\pi_k .

With two classes the softmax collapses to a logistic sigmoid of the log-odds,

.. math:: p(C_1 \\mid x) = \\frac{1}{1 + e^{-a}} = \\sigma(a), \\qquad
          a = \\ln \\frac{p(x \\mid C_1)\\, \\pi_1}{p(x \\mid C_2)\\, \\pi_2}.

Here the class-conditional densities are Gaussians,
:math:`p(x \\mid C_k) = \\mathcal N(x; \\mu_k, \\Sigma_k)`. When every class shares one
covariance :math:`\\Sigma`, the quadratic terms :math:`x^\\top \\Sigma^{-1} x` cancel in
:math:`a` and the log-odds is *linear* in :math:`x`:

.. math:: a(x) = w^\\top x + b, \\qquad w = \\Sigma^{-1}(\\mu_1 - \\mu_2), \\qquad
          b = -\\tfrac12 \\mu_1^\\top \\Sigma^{-1} \\mu_1
          + \\tfrac12 \\mu_2^\\top \\Sigma^{-1} \\mu_2 + \\ln \\frac{\\pi_1}{\\pi_2}

(:func:`linear_log_odds_coefficients`). With a covariance per class the boundary is
quadratic. The maximum-likelihood fit is closed form (:func:`fit_generative`):
class frequencies, class means, and class covariances (or their pooled average).
A generative model is a full model of the data: it also gives the density
:math:`p(x) = \\sum_k \\pi_k\\, p(x \\mid C_k)` and can *sample* new labelled points.

**Discriminative.** Model :math:`p(C \\mid x)` directly and nothing else. Logistic
regression takes the family the shared-covariance Gaussians produced,
:math:`p(C_1 \\mid x) = \\sigma(w^\\top x + b)` (a softmax of linear logits for
:math:`K > 2`), and fits :math:`w, b` by minimising the cross-entropy
(:func:`fit_logistic`, gradient descent with optax). It has far fewer parameters
(:math:`d + 1` against :math:`d(d+5)/2 + 1` for two Gaussian classes with a shared
covariance) and makes no assumption about how :math:`x` is distributed, but it knows
nothing about :math:`p(x)` and cannot generate data.

**Labels and the two-class convention.** Labels are the integers ``0 .. K-1``. For
two classes the "positive" class :math:`C_1` is the one labelled ``1`` and
:math:`C_2` the one labelled ``0``: :func:`log_odds` is
:math:`\\ln p(x, y{=}1) - \\ln p(x, y{=}0)`, ``posterior(x)[:, 1]`` is
:math:`\\sigma(a)`, and :func:`fit_logistic` models :math:`p(y{=}1 \\mid x)`, as a GAN
discriminator models :math:`D(x) = p(\\text{real} \\mid x)` with real samples labelled 1.

**The GAN link.** Label real samples 1 and generated samples 0, in equal numbers.
The mean log-likelihood of a classifier :math:`D` on the pooled sample is

.. math:: \\tfrac12 \\big( \\mathbb E_{x \\sim p_{data}} \\ln D(x)
          + \\mathbb E_{x \\sim p_g} \\ln (1 - D(x)) \\big) = \\tfrac12 V(D, G)

in the limit of many samples, so the discriminator's cross-entropy loss is
:math:`-\\tfrac12 V(D, G)`: training the discriminator by maximum likelihood is the
inner maximisation of the GAN game (Goodfellow et al. 2014).

**Modules.** :mod:`~gan_lessons.classifiers.generative` (the model
:class:`GenerativeClassifier` and :func:`fit_generative`),
:mod:`~gan_lessons.classifiers.bayes` (Bayes' rule as functions of the class
parameters), :mod:`~gan_lessons.classifiers.logistic` (:func:`fit_logistic`,
:func:`accuracy`). Arrays are float32 inside JAX. Every public function validates
its arguments and then calls a module-level jitted core: data values, parameter
values, the learning rate and ``l2`` are traced; only shapes, ``num_classes``,
``steps``, ``shared_covariance`` and ``optimizer`` are static, so new numbers never
recompile.

References:
  Bishop, *Pattern Recognition and Machine Learning* (2006), section 4.2
  (probabilistic generative models, Gaussian class-conditionals and their maximum-
  likelihood solution) and section 4.3 (probabilistic discriminative models,
  logistic regression and its multiclass form).
  Ng and Jordan, "On discriminative vs. generative classifiers: a comparison of
  logistic regression and naive Bayes", NIPS 14 (2001).
  Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
"""

from gan_lessons.classifiers.bayes import (
    gaussian_classes,
    linear_log_odds_coefficients,
    log_odds,
    posterior,
)
from gan_lessons.classifiers.generative import GenerativeClassifier, LabelledData, fit_generative
from gan_lessons.classifiers.logistic import OPTIMIZERS, LogisticFit, accuracy, fit_logistic

__all__ = [
    "LabelledData",
    "GenerativeClassifier",
    "LogisticFit",
    "OPTIMIZERS",
    "gaussian_classes",
    "posterior",
    "log_odds",
    "linear_log_odds_coefficients",
    "fit_generative",
    "fit_logistic",
    "accuracy",
]
