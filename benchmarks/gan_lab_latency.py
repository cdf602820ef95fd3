"""Print how long the GAN-lab explorer of lesson 07 takes to answer its controls.

Usage: python benchmarks/gan_lab_latency.py [--clicks 8]

The panel is built first (its constructor compiles the default config's training chunk and
single step, as a lesson does before a student touches it). Then, on the default config
(ring, 128-128 MLPs, batch 256, non-saturating loss, k = 1):

* ``train_click``: a press of Train with 500 steps per click, from the call to the new PNG
  being ready (training, mode coverage after every chunk, redraw), over several clicks;
* ``steps_per_s``: training steps per second inside those clicks (the final redraw excluded);
* ``redraw``: the final redraw of each click (``last_update_seconds``), and a redraw alone;
* ``step_click``: a press of Step (one training step and a redraw);
* ``switch``: changing a structural control, which builds a new trainer and compiles it the
  first time, then switching back to a config seen before (no compilation).

Also reports whether the numeric clicks compiled anything (every compilation, counted with
``jax.monitoring``). Prints one JSON object;
nothing is asserted. Timings on a small shared CPU are noisy: run it twice.
"""

from __future__ import annotations

import argparse
import json
import time

import jax

from gan_lessons.widgets.gan_lab import GANLabExplorer
from _timing import CompileCounter, summary, timed  # noqa: E402  (benchmarks/_timing.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=8)
    args = parser.parse_args()

    start = time.perf_counter()
    panel = GANLabExplorer(seed=0, steps_per_click=500)
    constructor = time.perf_counter() - start

    clicks, redraws, rates, alone, steps = [], [], [], [], []
    with CompileCounter() as compiled:  # the constructor compiled; the clicks should not
        for _ in range(args.clicks):
            panel.train()
            clicks.append(panel.last_click_seconds)
            redraws.append(panel.last_update_seconds)
            rates.append(500 / (panel.last_click_seconds - panel.last_update_seconds))
        for _ in range(args.clicks):
            panel.update()
            alone.append(panel.last_update_seconds)
        for _ in range(args.clicks):
            panel.step()
            steps.append(panel.last_click_seconds)
    recompiled = bool(compiled.names)

    switch = {
        "dataset ring -> grid (first time, compiles)": timed(
            lambda: panel.configure(dataset="grid")),
        "widths 128 -> 64 (first time, compiles)": timed(
            lambda: panel.configure(dataset="ring", generator_width=64, discriminator_width=64)),
        "loss -> saturating, k -> 2 (first time, compiles)": timed(
            lambda: panel.configure(generator_width=128, discriminator_width=128,
                                    loss="saturating", d_steps=2)),
        "back to the default config (cached)": timed(
            lambda: panel.configure(loss="non_saturating", d_steps=1)),
        "dataset -> grid again (cached)": timed(lambda: panel.configure(dataset="grid")),
    }
    result = {
        "backend": jax.default_backend(),
        "constructor_s (warm-up compile)": round(constructor, 2),
        "train_click_500_steps_s": summary(clicks),
        "steps_per_s (training + coverage, no redraw)": summary(rates, digits=0),
        "final_redraw_of_click_ms": summary(redraws, 1000, 1),
        "redraw_alone_ms": summary(alone, 1000, 1),
        "step_click_ms": summary(steps, 1000, 1),
        "numeric_clicks_recompiled": recompiled,
        "numeric_clicks_compiled": compiled.names,
        "switch_s": {name: round(t, 2) for name, t in switch.items()},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
