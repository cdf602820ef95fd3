"""Print how long the image-GAN explorer of lesson 08 takes to answer its controls.

Usage: python benchmarks/image_panel_latency.py [--clicks 5] [--walk-moves 40]

The panel is built first (its constructor compiles the digits GAN's training chunk, its two
``generate`` shapes and D, as a lesson does before a student touches it). Then:

* ``train_click``: a press of Train with the default 200 steps per click (4 chunks of 50),
  from the call to the new PNG (training, the grid's samples, D on 256 real images, redraw);
* ``steps_per_s``: training steps per second inside those clicks (the final redraw excluded);
* ``walk_redraw``: moving the latent-walk slider t (G at nine codes, nearest training image,
  blitted redraw, PNG), the latency of a ``continuous_update`` slider;
* ``new_endpoints``: a press of "new endpoints";
* ``switch``: the first switch to galaxies (builds the data and compiles), one galaxies click,
  and switching back and forth again (cached trainers, no compilation).

Also reports whether the numeric controls compiled anything after the first clicks (every
compilation, counted with ``jax.monitoring``). Prints one JSON object; nothing is asserted. Timings on a small shared CPU are noisy.
"""

from __future__ import annotations

import argparse
import json
import time

import jax
import numpy as np

from gan_lessons.widgets.image_gan import ImageGANExplorer
from _timing import CompileCounter, summary, timed  # noqa: E402  (benchmarks/_timing.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=5)
    parser.add_argument("--walk-moves", type=int, default=40)
    args = parser.parse_args()

    start = time.perf_counter()
    panel = ImageGANExplorer(seed=0, steps_per_click=200)
    constructor = time.perf_counter() - start

    clicks, redraws, rates = [], [], []
    for _ in range(args.clicks):
        panel.train()
        clicks.append(panel.last_click_seconds)
        redraws.append(panel.last_update_seconds)
        rates.append(200 / (panel.last_click_seconds - panel.last_update_seconds))
    walk = []
    with CompileCounter() as compiled:  # after the first clicks: nothing may compile from here
        for t in np.linspace(0.0, 1.0, args.walk_moves):
            walk.append(timed(lambda: setattr(panel.walk, "value", round(float(t), 2))))
        endpoints = [timed(panel.new_endpoints) for _ in range(5)]
        panel.seed.value = 1
        panel.train()
        panel.reset()
    recompiled = bool(compiled.names)

    switch = {
        "digits -> galaxies (first time: data and compilation)": timed(
            lambda: setattr(panel.dataset, "value", "galaxies")),
        "galaxies train click, 200 steps": timed(panel.train),
        "galaxies -> digits (cached)": timed(lambda: setattr(panel.dataset, "value", "digits")),
        "digits -> galaxies again (cached)": timed(
            lambda: setattr(panel.dataset, "value", "galaxies")),
    }
    galaxy_walk = [timed(lambda: setattr(panel.walk, "value", round(float(t), 2)))
                   for t in np.linspace(0.0, 1.0, 10)]
    result = {
        "backend": jax.default_backend(),
        "device": str(jax.devices()[0]),
        "constructor_s (warm-up compile)": round(constructor, 2),
        "train_click_200_steps_s": summary(clicks),
        "steps_per_s (digits, training + samples, no redraw)": summary(rates, digits=0),
        "final_redraw_of_click_ms": summary(redraws, 1000, 1),
        "walk_slider_redraw_ms (digits)": summary(walk, 1000, 1),
        "walk_slider_redraw_ms (galaxies)": summary(galaxy_walk, 1000, 1),
        "new_endpoints_ms": summary(endpoints, 1000, 1),
        "numeric_controls_recompiled": recompiled,
        "numeric_controls_compiled": compiled.names,
        "switch_s": {name: round(t, 2) for name, t in switch.items()},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
