"""The static site: `python tools/build_site.py` executes the lessons and writes HTML pages."""

import importlib.util
import pathlib

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
build_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_site)


def test_panels_become_their_png():
    panel = nbformat.v4.new_output("display_data", data={
        build_site.WIDGET_VIEW: {"model_id": "abc"}, "image/png": "iVBOR", "text/plain": "panel"})
    widget_only = nbformat.v4.new_output("display_data", data={build_site.WIDGET_VIEW: {"model_id": "x"}})
    cell = nbformat.v4.new_code_cell("panel", outputs=[panel, widget_only])
    notebook = nbformat.v4.new_notebook(cells=[cell])
    assert build_site._static_panels(notebook) == 1
    assert set(panel["data"]) == {"image/png", "text/plain"}
    assert build_site.WIDGET_VIEW in widget_only["data"]  # no picture to fall back on: kept


@pytest.mark.notebook
def test_build_writes_an_executed_page_and_an_index(tmp_path):
    pages = build_site.build(tmp_path, quick=True, only=["02"])
    assert [p.name for p in pages] == ["02_information_and_divergences.html", "index.html"]
    page = pages[0].read_text(encoding="utf-8")
    assert page.count("data:image/png") >= 3  # the figures and the explorer's picture
    assert '"model_id"' not in page  # no widget view without a kernel behind it
    assert "Traceback" not in page
    index = pages[1].read_text(encoding="utf-8")
    assert "02_information_and_divergences.html" in index and "Lesson 02" in index
