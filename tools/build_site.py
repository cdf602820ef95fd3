"""Build a static HTML site of the lessons, executed, to read without a kernel.

Usage::

    python tools/build_site.py                 # every lesson, full mode, into site/
    python tools/build_site.py --quick --only 02 05 --out /tmp/site

Each notebook is executed on a fresh kernel (full mode unless ``--quick``) and exported with
nbconvert's HTML exporter; an ``index.html`` links the lessons. The explorer panels appear as
the PNG of their figure that every panel adds to its output, so each page reads well where no
kernel runs (widgets need a live kernel to respond).
"""

from __future__ import annotations

import argparse
import html
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def _title(notebook) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "untitled"


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _static_panels(notebook) -> int:
    """Show each explorer panel as its PNG: drop the widget view from outputs that also carry
    ``image/png`` (a saved page has no kernel to drive the widgets). Returns how many."""
    count = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and "image/png" in data:
                del data[WIDGET_VIEW]
                count += 1
    return count


def build(out: pathlib.Path, *, quick: bool = False, only: list[str] | None = None,
          timeout: int = 1800) -> list[pathlib.Path]:
    """Execute and export the lessons into ``out``; returns the pages written (index last)."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    os.environ["GAN_LESSONS_QUICK"] = "1" if quick else "0"  # the kernels inherit it
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    pages, entries = [], []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        if only and not any(path.name.startswith(prefix) for prefix in only):
            continue
        start = time.perf_counter()
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        _static_panels(notebook)
        body, _ = exporter.from_notebook_node(notebook)
        page = out / f"{path.stem}.html"
        page.write_text(body, encoding="utf-8")
        pages.append(page)
        entries.append((page.name, _title(notebook)))
        print(f"{path.name}: {time.perf_counter() - start:.0f} s", flush=True)
    links = "".join(f"<li><a href='{html.escape(name)}'>{html.escape(title)}</a></li>"
                    for name, title in entries)
    mode = "quick mode" if quick else "full mode"
    index = out / "index.html"
    index.write_text(f"<!doctype html><meta charset='utf-8'><title>gan-lessons</title>"
                     f"<h1>gan-lessons</h1><p>The lessons, executed in {mode}; the explorer "
                     f"panels are shown as pictures (open the notebooks in JupyterLab to move "
                     f"their controls).</p><ol>{links}</ol>", encoding="utf-8")
    pages.append(index)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "site",
                        help="output folder (default: site/)")
    parser.add_argument("--quick", action="store_true", help="execute in quick mode")
    parser.add_argument("--only", nargs="*", default=None,
                        help="notebook name prefixes to build, e.g. 02 07")
    args = parser.parse_args(argv)
    pages = build(args.out, quick=args.quick, only=args.only)
    print(f"wrote {len(pages)} pages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
