"""Keep each lesson notebook and its text twin in step.

The text twin ``notebooks/text/NAME.py`` (jupytext "percent" format) is what
authors edit and reviewers read; ``notebooks/NAME.ipynb`` is what students
open. Both are stored without outputs.

    python tools/sync_notebooks.py                   # write each .ipynb from its text twin
    python tools/sync_notebooks.py --from-notebooks  # the other way (after editing in JupyterLab)
    python tools/sync_notebooks.py --check           # exit 1 if any pair disagrees

Cell ids are derived from the cell's position, so regenerating a notebook
changes nothing that did not change in its text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TEXT = NOTEBOOKS / "text"

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def cells_of(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """The (type, source) pairs that define a notebook's content."""
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def text_to_notebook(path: Path) -> nbformat.NotebookNode:
    notebook = jupytext.read(path, fmt="py:percent")
    notebook.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index:03d}"
        cell.metadata = {key: value for key, value in cell.metadata.items() if key == "tags"}
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return notebook


def pairs() -> list[tuple[Path, Path]]:
    names = {p.stem for p in NOTEBOOKS.glob("*.ipynb")} | {p.stem for p in TEXT.glob("*.py")}
    return [(NOTEBOOKS / f"{name}.ipynb", TEXT / f"{name}.py") for name in sorted(names)]


def check() -> list[str]:
    problems = []
    for ipynb, text in pairs():
        if not ipynb.exists() or not text.exists():
            problems.append(f"{ipynb.name}: missing {'notebook' if not ipynb.exists() else 'text twin'}")
            continue
        stored = nbformat.read(ipynb, as_version=4)
        if cells_of(stored) != cells_of(text_to_notebook(text)):
            problems.append(f"{ipynb.name} and text/{text.name} disagree")
        if any(c.cell_type == "code" and (c.outputs or c.execution_count) for c in stored.cells):
            problems.append(f"{ipynb.name} is stored with outputs")
    return problems


def sync(from_notebooks: bool = False) -> None:
    for ipynb, text in pairs():
        if from_notebooks and ipynb.exists():
            jupytext.write(nbformat.read(ipynb, as_version=4), text, fmt="py:percent")
            print(f"{ipynb.name} -> text/{text.name}")
        if not text.exists():
            continue
        notebook = text_to_notebook(text)
        if ipynb.exists() and nbformat.writes(nbformat.read(ipynb, as_version=4)) == nbformat.writes(notebook):
            continue
        nbformat.write(notebook, ipynb)
        print(f"text/{text.name} -> {ipynb.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 on a mismatch")
    parser.add_argument("--from-notebooks", action="store_true",
                        help="rewrite the text twins from the .ipynb files first")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    sync(from_notebooks=args.from_notebooks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
