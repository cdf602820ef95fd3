"""Shared pytest set-up."""

import os

import matplotlib

# Figures are drawn off-screen in tests; the notebooks choose their own backend.
matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")
