"""Time the benchmark GAN training step written in eager PyTorch, for a JAX/PyTorch speed ratio.

Usage::

    python benchmarks/torch_step.py [--steps 100] [--repeats 3] [--threads N] [--quick]

The script needs PyTorch (and nothing else: it imports neither JAX nor :mod:`gan_lessons`, so
it runs under any interpreter that has ``torch``). PyTorch is not a dependency of the course
package or of its tests. Run it beside ``benchmarks/train_speed.py`` on the same machine and
divide ``scan_steps_per_s`` there by ``torch_steps_per_s`` here.

Prints ONE JSON object; nothing is asserted. Its keys:

* ``torch_steps_per_s``: training steps per second, ``steps_per_call`` over the median time of
  ``repeats`` calls, each call running ``--steps`` steps in a Python loop. One call with the
  same number of steps is run first as a warm-up and not timed.
* ``median_call_s``, ``best_call_s``: the median and the shortest of the timed calls, seconds.
* ``steps_per_call``, ``repeats``: the sizes used.
* ``threads``: ``torch.get_num_threads()`` during the timing. By default the script leaves
  PyTorch's own choice alone (what a user gets); ``--threads N`` calls
  ``torch.set_num_threads(N)`` first.
* ``flops_per_step_analytic``: the hand count of the matmul FLOPs of one step, the same formula
  as ``analytic_matmul_flops_per_step`` of ``train_speed.py``; ``torch_flops_per_s`` is
  ``torch_steps_per_s`` times that count. (``train_speed.py`` multiplies its rates by XLA's
  own count, ``flops_per_step``, which also includes the elementwise and Adam work, so compare
  steps per second rather than the two FLOP rates.)
* ``torch_version``, ``python``, ``device`` (always ``"cpu"``), ``adam``: the optimiser
  settings and which of PyTorch's Adam implementations ran.
* ``last_metrics``: the seven metrics of the last step of the last call, a sanity check that
  the step trains (``d_loss`` near ``2 ln 2 = 1.386`` at the start).
* ``quick``: whether ``--quick`` (steps 5, repeats 2) was given.

What is the same as the JAX step (``GANStep.train_step`` with ``GANConfig()``):

* the data: the 8-Gaussian ring of radius 1 and standard deviation 0.01, a fresh real batch of
  256 drawn inside every step (a uniform mode index plus Gaussian noise, as
  ``gan_lessons.data.sample_mixture`` does), and latent codes z ~ N(0, I) of dimension 2;
* the networks: G is a 2-128-128-2 ReLU MLP, D a 2-128-128-1 ReLU MLP returning one logit per
  point. Their initialisation follows ``flax.nnx.Linear``: LeCun-normal weights, i.e. a normal
  truncated to two standard deviations whose scale is divided by 0.8796 (the standard
  deviation of a standard normal truncated to (-2, 2)), so that the weights' variance is
  exactly ``1 / fan_in``; zero biases. (PyTorch's own ``nn.Linear`` default is a uniform init,
  which is replaced here.)
* the losses: D minimises ``mean softplus(-l_real) + mean softplus(l_fake)``, i.e. the sum of the
  two mean binary cross-entropies (label 1 on real, 0 on fake), which equals
  ``gan_lessons.losses.discriminator_loss``; G minimises the non-saturating
  ``mean softplus(-l(G(z)))`` = ``-mean log sigmoid(l(G(z)))``. D sees the real and the fake
  batch in two forward passes, as in the JAX step;
* the order: one D update (fresh real batch, fresh fake batch from G computed under
  ``torch.no_grad``, so no gradient reaches G), then one G update on fresh latent codes
  through the just-updated D; only G's parameters receive gradients in the G update
  (``backward(inputs=...)``). The fake batch is made under ``torch.no_grad`` rather than
  ``torch.inference_mode``: it goes on into D's autograd graph, which may not save inference
  tensors. The metrics are computed under ``no_grad`` too;
* the optimisers: one ``torch.optim.Adam`` per player with lr 1e-3, betas (0.5, 0.999) and
  eps 1e-8, the defaults of ``optax.adam`` otherwise. Both libraries compute
  ``m_hat / (sqrt(v_hat) + eps)`` with eps *outside* the square root (optax's ``eps_root`` is
  0), with the usual bias corrections, so the updates agree up to float32 rounding. PyTorch's
  default implementation choice is kept (``foreach=None, fused=None``); on a CPU that is the
  per-tensor loop;
* the metrics: every step computes ``d_loss``, ``g_loss``, ``d_real`` (mean sigmoid on the real
  batch), ``d_fake``, ``value = -d_loss`` and the global L2 norms of D's and G's gradients,
  like the JAX step. They stay tensors: each step stacks its seven into one tensor, and a call
  stacks the steps and reads them to the host once, at its end (inside the timed call).

What is not the same:

* PyTorch runs eagerly, one operation at a time from Python; ``torch.compile`` is deliberately
  not used, since eager PyTorch is the baseline the JAX figure (one ``jax.jit`` around
  ``lax.scan``) is compared with;
* the random numbers come from PyTorch's generator (seeded with 0), so the two runs see draws
  of the same distributions, not the same draws; the initial weights differ for the same
  reason;
* the JAX trainer keeps the learning rate in the optimiser state (``inject_hyperparams``) and
  donates its state between calls; nothing here corresponds to either.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import time
from typing import Any, Sequence

import torch
import torch.nn.functional as F
from torch import nn

METRIC_NAMES = ("d_loss", "g_loss", "d_real", "d_fake", "value", "d_grad_norm", "g_grad_norm")
"""The per-step metrics, in the order of ``gan_lessons.training.gan_step.METRIC_NAMES``."""

DEFAULTS = {"steps": 100, "repeats": 3}
QUICK = {"steps": 5, "repeats": 2}

# The benchmark configuration: GANConfig() defaults and the "ring" data set.
BATCH_SIZE = 256
LATENT_DIM = 2
DATA_DIM = 2
GENERATOR_HIDDEN = (128, 128)
DISCRIMINATOR_HIDDEN = (128, 128)
LEARNING_RATE = 1e-3
BETAS = (0.5, 0.999)
EPS = 1e-8  # optax.adam's default, added after the square root (its eps_root is 0)
RING_MODES, RING_RADIUS, RING_STD = 8, 1.0, 0.01
SEED = 0

TRUNCATED_STD = 0.87962566103423978
"""The standard deviation of a standard normal truncated to (-2, 2) (the constant of
``jax.nn.initializers.variance_scaling``)."""


def analytic_matmul_flops_per_step(batch_size: int = BATCH_SIZE) -> float:
    """The hand count of ``train_speed.analytic_matmul_flops_per_step`` for the benchmark config.

    An MLP forward pass with widths w_0, ..., w_L on n rows costs ``2 n sum_l w_(l-1) w_l``
    matmul FLOPs and its backward pass about twice that. A D update is G forward, D forward on
    the real and the fake batch and D backward on both; a G update is G and D forward on a fake
    batch and the backward pass through both (one D update per step).
    """
    def forward(widths: Sequence[int]) -> float:
        return 2.0 * batch_size * sum(a * b for a, b in zip(widths[:-1], widths[1:]))

    g = forward((LATENT_DIM, *GENERATOR_HIDDEN, DATA_DIM))
    d = forward((DATA_DIM, *DISCRIMINATOR_HIDDEN, 1))
    d_update = g + 2 * d + 2 * (2 * d)
    g_update = (g + d) + 2 * (g + d)
    return d_update + g_update


def ring_means(n_modes: int = RING_MODES, radius: float = RING_RADIUS) -> list[list[float]]:
    """The ring's means ``r (cos 2 pi k / n, sin 2 pi k / n)``, k = 0..n-1."""
    return [[radius * math.cos(2.0 * math.pi * k / n_modes),
             radius * math.sin(2.0 * math.pi * k / n_modes)] for k in range(n_modes)]


def lecun_normal_(weight: torch.Tensor) -> torch.Tensor:
    """Flax's default kernel init in place: truncated normal with variance ``1 / fan_in``.

    A PyTorch ``Linear`` weight has shape (out, in), so fan_in is ``weight.shape[1]``. The
    normal is cut at two of its own standard deviations, and its scale is divided by
    :data:`TRUNCATED_STD` so that the cut distribution has the intended variance.
    """
    scale = math.sqrt(1.0 / weight.shape[1]) / TRUNCATED_STD
    return nn.init.trunc_normal_(weight, mean=0.0, std=scale, a=-2.0 * scale, b=2.0 * scale)


def mlp(widths: Sequence[int]) -> nn.Sequential:
    """``Linear -> ReLU -> ... -> Linear`` with the given widths, initialised as in Flax."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
        linear = nn.Linear(a, b)
        with torch.no_grad():
            lecun_normal_(linear.weight)
            linear.bias.zero_()
        layers.append(linear)
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def global_norm(tensors: Sequence[torch.Tensor]) -> torch.Tensor:
    """The L2 norm of all the tensors taken together (``optax.tree.norm``), a 0-d tensor."""
    return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(t) for t in tensors]))


class TorchGANStep:
    """The benchmark GAN (networks, optimisers, data) and its training step, in eager PyTorch.

    Args:
      seed: the seed of PyTorch's global generator, set before the networks are built.
      device: where the networks, the data and the metrics live.
    """

    def __init__(self, seed: int = SEED, device: str | torch.device = "cpu"):
        self.device = torch.device(device)
        torch.manual_seed(seed)
        self.generator = mlp((LATENT_DIM, *GENERATOR_HIDDEN, DATA_DIM)).to(self.device)
        self.discriminator = mlp((DATA_DIM, *DISCRIMINATOR_HIDDEN, 1)).to(self.device)
        self.g_params = list(self.generator.parameters())
        self.d_params = list(self.discriminator.parameters())
        adam = dict(lr=LEARNING_RATE, betas=BETAS, eps=EPS, foreach=None, fused=None)
        self.g_optimizer = torch.optim.Adam(self.g_params, **adam)
        self.d_optimizer = torch.optim.Adam(self.d_params, **adam)
        self.means = torch.tensor(ring_means(), dtype=torch.float32, device=self.device)

    # ------------------------------------------------------------------ building blocks
    def real_batch(self, n: int = BATCH_SIZE) -> torch.Tensor:
        """n ring samples: a uniform mode's mean plus ``RING_STD`` times N(0, I) noise."""
        modes = torch.randint(0, self.means.shape[0], (n,), device=self.device)
        noise = torch.randn(n, DATA_DIM, device=self.device)
        return self.means[modes] + RING_STD * noise

    def latents(self, n: int = BATCH_SIZE) -> torch.Tensor:
        """n latent codes z ~ N(0, I)."""
        return torch.randn(n, LATENT_DIM, device=self.device)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """D's logits, shape (n,)."""
        return self.discriminator(x).squeeze(-1)

    @staticmethod
    def d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
        """``-mean log sigmoid(l_real) - mean log sigmoid(-l_fake)``, in softplus form."""
        return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()

    @staticmethod
    def g_loss(fake_logits: torch.Tensor) -> torch.Tensor:
        """The non-saturating ``-mean log sigmoid(l_fake)``, in softplus form."""
        return F.softplus(-fake_logits).mean()

    # ------------------------------------------------------------------ the step
    def d_update(self) -> list[torch.Tensor]:
        """One D update; returns ``[d_loss, d_real, d_fake, value, d_grad_norm]`` (0-d tensors)."""
        real = self.real_batch()
        with torch.no_grad():
            fake = self.generator(self.latents())
        real_logits = self.logits(real)
        fake_logits = self.logits(fake)
        loss = self.d_loss(real_logits, fake_logits)
        self.d_optimizer.zero_grad(set_to_none=True)
        loss.backward()
        with torch.no_grad():
            metrics = [loss.detach(), torch.sigmoid(real_logits).mean(),
                       torch.sigmoid(fake_logits).mean(), -loss.detach(),
                       global_norm([p.grad for p in self.d_params])]
        self.d_optimizer.step()
        return metrics

    def g_update(self) -> list[torch.Tensor]:
        """One G update through the current D; returns ``[g_loss, g_grad_norm]``."""
        loss = self.g_loss(self.logits(self.generator(self.latents())))
        self.g_optimizer.zero_grad(set_to_none=True)
        loss.backward(inputs=self.g_params)  # no gradient for D's parameters
        with torch.no_grad():
            metrics = [loss.detach(), global_norm([p.grad for p in self.g_params])]
        self.g_optimizer.step()
        return metrics

    def train_step(self) -> torch.Tensor:
        """One D update then one G update; the seven metrics in METRIC_NAMES order, shape (7,)."""
        d_loss, d_real, d_fake, value, d_norm = self.d_update()
        g_loss, g_norm = self.g_update()
        return torch.stack([d_loss, g_loss, d_real, d_fake, value, d_norm, g_norm])

    def train(self, steps: int) -> dict[str, list[float]]:
        """``steps`` training steps; the metrics, read to the host once at the end."""
        rows = [self.train_step() for _ in range(steps)]
        with torch.no_grad():
            table = torch.stack(rows).cpu().tolist()
        return {name: [row[i] for row in table] for i, name in enumerate(METRIC_NAMES)}


def adam_implementation(optimizer: torch.optim.Adam) -> str:
    """Which of Adam's implementations PyTorch picks for these parameters: ``"fused"``,
    ``"foreach"`` or ``"for-loop"`` (the explicit flags win; ``None`` means PyTorch's default)."""
    group = optimizer.param_groups[0]
    fused, foreach = group.get("fused"), group.get("foreach")
    if fused is None and foreach is None:
        try:
            from torch.optim.optimizer import _default_to_fused_or_foreach
            fused, foreach = _default_to_fused_or_foreach(group["params"], False, False)
        except (ImportError, TypeError):  # a private helper: its form may change
            return "PyTorch default (foreach=None, fused=None)"
    return "fused" if fused else ("foreach" if foreach else "for-loop")


def run(steps: int, repeats: int) -> dict[str, Any]:
    """Build the step, warm up with one call, time ``repeats`` calls of ``steps`` steps."""
    gan = TorchGANStep()
    gan.train(steps)  # warm-up: first-call allocations, Adam's state creation
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        metrics = gan.train(steps)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    steps_per_s = steps / median
    flops = analytic_matmul_flops_per_step()
    return {
        "torch_steps_per_s": steps_per_s,
        "median_call_s": median,
        "best_call_s": min(times),
        "steps_per_call": steps,
        "repeats": repeats,
        "threads": torch.get_num_threads(),
        "torch_version": torch.__version__,
        "python": platform.python_version(),
        "flops_per_step_analytic": flops,
        "torch_flops_per_s": steps_per_s * flops,
        "device": str(gan.device),
        "adam": {"lr": LEARNING_RATE, "b1": BETAS[0], "b2": BETAS[1], "eps": EPS,
                 "implementation": adam_implementation(gan.d_optimizer)},
        "last_metrics": {name: values[-1] for name, values in metrics.items()},
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Parse the options, run the benchmark, print one JSON object and return it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in DEFAULTS.items():
        parser.add_argument("--" + name, type=int, default=None,
                            help=f"default {default} ({QUICK[name]} with --quick)")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch.set_num_threads(N) before timing (default: PyTorch's choice)")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, for a smoke test (the figures mean little)")
    args = parser.parse_args(argv)
    sizes = {}
    for name in DEFAULTS:
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name} must be an integer >= 1, got {value}")
        sizes[name] = value if value is not None else (QUICK if args.quick else DEFAULTS)[name]
    if args.threads is not None:
        if args.threads < 1:
            parser.error(f"--threads must be an integer >= 1, got {args.threads}")
        torch.set_num_threads(args.threads)
    result = run(**sizes)
    result["quick"] = bool(args.quick)
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
