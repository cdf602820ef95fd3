"""Print how long the explorer panels take to answer a control change.

Usage: python benchmarks/panel_latency.py [--repeats 15]

For each panel, the figure is built and warmed up first (as a lesson does before
a student touches it); then each control is moved through several positions and
the time from the value change to the new PNG being ready is recorded (the
panel's ``last_update_seconds``: computation + drawing + PNG encoding; the
browser's transport and paint are not included). Also checks that the moves
triggered no JAX compilation (counted with ``jax.monitoring``, so every
compilation counts, not only those of chosen functions). Prints one JSON object;
nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics

import jax

import time

from _timing import CompileCounter
from gan_lessons.widgets import (
    BayesExplorer,
    DivergenceExplorer,
    DynamicsExplorer,
    FitExplorer,
    GeneratorGradientExplorer,
    OptimalDiscriminatorExplorer,
    TastePanel,
    ZeroSumExplorer,
)


def _summary(times: list[float]) -> dict:
    ms = sorted(1000 * t for t in times)
    return {"median_ms": round(statistics.median(ms), 1), "max_ms": round(ms[-1], 1), "n": len(ms)}


def _moves(panel, moves: dict, repeats: int) -> dict:
    out = {}
    with CompileCounter() as compiled:
        for name, move in moves.items():
            times = []
            for i in range(repeats):
                move(i + 1)
                times.append(panel.last_update_seconds)
            out[name] = _summary(times)
    out["recompiled"] = bool(compiled.names)
    return out


def zero_sum(repeats: int) -> dict:
    panel = ZeroSumExplorer()
    panel.dynamics.value = "fictitious play"
    panel.dynamics.value = "gradient play"
    return _moves(panel, {
        "payoff entry": lambda i: setattr(panel.entries[i % 2][(i // 2) % 2], "value", float(i % 7 - 3)),
        "step size": lambda i: setattr(panel.eta, "value", 0.01 + 0.02 * (i % 10)),
        "steps": lambda i: setattr(panel.steps, "value", 20 + 37 * i % 380),
        "start p": lambda i: setattr(panel.p0, "value", 0.05 * (i % 20)),
        "preset": lambda i: setattr(panel.preset, "value", ["matching pennies", "donut game (lecture)",
                                                            "saddle point"][i % 3]),
    }, repeats)


def divergence_explorer(repeats: int) -> dict:
    panel = DivergenceExplorer()
    return _moves(panel, {
        "mean p": lambda i: setattr(panel.mu_p, "value", -2.0 + 0.35 * (i % 12)),
        "std q": lambda i: setattr(panel.sigma_q, "value", 0.4 + 0.2 * (i % 12)),
        "KS sample size": lambda i: setattr(panel.sample_size, "value", (200, 1000, 5000)[i % 3]),
    }, repeats)


def fit_explorer(repeats: int) -> dict:
    panel = FitExplorer()
    return _moves(panel, {
        "separation (3 refits)": lambda i: setattr(panel.separation, "value", 1.0 + 0.5 * (i % 13)),
        "start mean (3 refits)": lambda i: setattr(panel.init_mean, "value", -4.0 + 0.5 * (i % 16)),
        "replay step": lambda i: setattr(panel.step, "value", (25 * i) % 400),
    }, repeats)


def taste(repeats: int) -> dict:
    panel = TastePanel(seconds=1.0)
    redraws = []
    for _ in range(repeats):
        panel.update()
        redraws.append(panel.last_update_seconds)
    panel.train(2.0)
    chunk_steps = panel.steps_done
    return {"redraw": _summary(redraws), "steps_in_2_s_of_training": chunk_steps,
            "steps_per_s_including_redraws": round(chunk_steps / panel.train_seconds, 1)}


def bayes_explorer(repeats: int) -> dict:
    panel = BayesExplorer()
    return _moves(panel, {
        "mean C1": lambda i: setattr(panel.mu_1, "value", -2.0 + 0.3 * (i % 12)),
        "std C2": lambda i: setattr(panel.s_2, "value", 0.5 + 0.2 * (i % 10)),
    }, repeats)


def discriminator_explorer(repeats: int) -> dict:
    panel = OptimalDiscriminatorExplorer()
    out = _moves(panel, {
        "mean of p_g": lambda i: setattr(panel.shift, "value", -3.0 + 0.5 * (i % 12)),
        "std of p_g (recomputes the C(G) curve)": lambda i: setattr(panel.std, "value", 0.5 + 0.2 * (i % 10)),
    }, repeats)
    times = []
    for _ in range(max(3, repeats // 3)):
        start = time.perf_counter()
        panel.retrain()
        times.append(time.perf_counter() - start)
    out["retrain (train + redraw)"] = _summary(times)
    out["retrain_steps"] = panel.retrain_steps
    return out


def gradient_explorer(repeats: int) -> dict:
    panel = GeneratorGradientExplorer()
    return _moves(panel, {"D(G(z))": lambda i: setattr(panel.d, "value", 10 ** (-3 + 0.25 * (i % 12)))},
                  repeats)


def dynamics_explorer(repeats: int) -> dict:
    panel = DynamicsExplorer()
    out = {"bilinear": _moves(panel, {
        "step size": lambda i: setattr(panel.eta, "value", 0.02 + 0.03 * (i % 10)),
        "steps": lambda i: setattr(panel.steps, "value", (37 * i) % 400),
        "start x": lambda i: setattr(panel.a0, "value", -1.5 + 0.25 * (i % 12)),
    }, repeats)}
    panel.game.value = "Dirac-GAN"
    panel.regulariser.value = "r1"
    out["dirac_gan_r1"] = _moves(panel, {
        "step size": lambda i: setattr(panel.eta, "value", 0.02 + 0.03 * (i % 10)),
        "gamma": lambda i: setattr(panel.strength, "value", 0.1 + 0.2 * (i % 10)),
    }, repeats)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    result = {"backend": jax.default_backend(), "zero_sum_explorer": zero_sum(args.repeats),
              "taste_panel": taste(args.repeats),
              "divergence_explorer": divergence_explorer(args.repeats),
              "fit_explorer": fit_explorer(args.repeats),
              "bayes_explorer": bayes_explorer(args.repeats),
              "optimal_discriminator_explorer": discriminator_explorer(args.repeats),
              "generator_gradient_explorer": gradient_explorer(args.repeats),
              "dynamics_explorer": dynamics_explorer(args.repeats)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
