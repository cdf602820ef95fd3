"""Shared pytest set-up."""

import os

import matplotlib

# Tests measure compilation (jax.log_compiles, cache sizes) and must not depend on what an
# earlier run left in the persistent compilation cache: switch it off for the test session
# (and the notebook kernels it starts). tests/test_runtime.py checks the cache itself.
os.environ["GAN_LESSONS_COMPILATION_CACHE"] = "0"

# Figures are drawn off-screen in tests; the notebooks choose their own backend.
matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")
