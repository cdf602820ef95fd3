"""Execute every lesson notebook on a fresh kernel in quick mode.

A notebook fails the test if any cell raises, or writes to stderr (warnings
included): what a student sees must be clean. The time each notebook takes is
printed (run pytest with ``-s`` or read the ``-ra`` summary) and stored in
``test-artifacts/notebook_times.json``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts"


def error_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """Every error output or stderr stream of an executed notebook, as readable text."""
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"cell {index}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                found.append(f"cell {index} wrote to stderr: {output.text[:2000]}")
    return found


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2, "expected the lesson notebooks in notebooks/"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_quick_mode(path: Path, monkeypatch):
    monkeypatch.setenv("GAN_LESSONS_QUICK", "1")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    ARTIFACTS.mkdir(exist_ok=True)
    times_file = ARTIFACTS / "notebook_times.json"
    times = json.loads(times_file.read_text()) if times_file.exists() else {}
    times[path.stem] = round(seconds, 1)
    times_file.write_text(json.dumps(times, indent=2, sort_keys=True))
    print(f"\n{path.name}: {seconds:.1f} s in quick mode")
    problems = error_outputs(notebook)
    assert not problems, f"{path.name} produced error output:\n" + "\n".join(problems)
