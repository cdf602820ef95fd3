"""Every lesson in a real browser: JupyterLab, driven through Chromium by Playwright.

For each notebook, in a 1280 x 720 window: open it, run all cells, wait for the
kernel to go idle, then check what a student would see:

- no error outputs (and nothing on stderr), no browser console errors, no
  request leaving 127.0.0.1 (the Colab badge's picture is answered locally);
- every widget output rendered as widgets (not ``IntSlider(...)``, not "Error
  displaying widget"), and one rendered panel per explorer panel displayed;
- every panel fits the notebook's width at 1280 x 720, its figure is drawn, and
  its probe control and whole figure fit in the notebook's view together (a
  student can move the control and watch the figure without scrolling);
- moving each panel's probe control (``FigurePanel.probe``) changes the
  picture of its figure, compared pixel for pixel before and after; the time
  from the move to the first new picture in the page is recorded.

The lessons with the largest panels run a second time in a JupyterLab whose
kernels start in the lecture style (``GAN_LESSONS_LECTURE=1``), under the same
checks.

Screenshots of the page and of each panel go to ``test-artifacts/browser/``
(the page's on failure; the panels' always, for a look at the layout), with
the server's log on failure. The tests skip when Chromium or Playwright is
missing, except under CI (``CI`` set), where they fail: ``.ci/run`` installs
Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from gan_lessons.plots.style import LECTURE_RC
from jupyter_browser import ROOT, LabServer, find_chromium, launch_chromium

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LECTURE_NOTEBOOKS = [path for path in NOTEBOOKS if path.stem[:2] in ("01", "05", "07")]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
VIEWPORT = {"width": 1280, "height": 720}
BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BADGE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20">'
             '<rect width="117" height="20" fill="#555"/></svg>')
PANEL_TEXT = "[explorer panel]"  # the start of a panel's text/plain fallback (widgets/base.py)
RUN_ALL_TIMEOUT_S = 900
FIGURE_CHANGE_TIMEOUT_S = 120

# The notebook open in JupyterLab, and what each of its cells holds (outputs summarised in the page:
# the figures' PNGs stay there).
CURRENT = "window.jupyterapp.shell.currentWidget"
KERNEL_IDLE = f"""path => {{
    const w = window.jupyterapp && {CURRENT};
    return !!(w && w.context && w.context.path === path && w.sessionContext.session
              && w.sessionContext.session.kernel
              && w.sessionContext.session.kernel.status === 'idle');
}}"""
RUN_ALL = """async seconds => {
    const timeout = new Promise((_, reject) =>
        setTimeout(() => reject(new Error('run all cells took over ' + seconds + ' s')), seconds * 1000));
    return await Promise.race([window.jupyterapp.commands.execute('notebook:run-all-cells'), timeout]);
}"""
# Run ``code`` quietly in the notebook's kernel; returns what it printed.
KERNEL_PRINT = f"""async code => {{
    const future = {CURRENT}.sessionContext.session.kernel.requestExecute(
        {{code, silent: false, store_history: false}});
    let printed = '';
    future.onIOPub = message => {{
        if (message.header.msg_type === 'stream') printed += message.content.text;
    }};
    await future.done;
    return printed;
}}"""
CELLS = f"""() => {CURRENT}.content.widgets.map((cell, index) => {{
    const code = cell.model.type === 'code';
    const outputs = code ? cell.model.outputs.toJSON() : [];
    return {{
        index, code, count: code ? cell.model.executionCount : null,
        outputs: outputs.map(o => ({{
            type: o.output_type, name: o.name || '', ename: o.ename || '', evalue: o.evalue || '',
            text: [].concat(o.text || []).join('').slice(0, 2000),
            mimes: Object.keys(o.data || {{}}),
            plain: [].concat((o.data || {{}})['text/plain'] || []).join('').slice(0, 200),
        }})),
        widgets: cell.node.querySelectorAll('.jp-OutputArea-output .jupyter-widgets').length,
        shown: code ? cell.node.querySelector('.jp-Cell-outputArea').innerText.slice(0, 20000) : '',
    }};
}})"""
# Latency as the student feels it: from just before the probe moves (browser -> kernel -> new
# figure -> browser) until the figure's <img> receives its first new picture, by the page's clock.
WATCH_PICTURE = """img => {
    window.ganLessonsFirstPicture = null;
    const start = performance.now();
    new MutationObserver((changes, observer) => {
        window.ganLessonsFirstPicture = performance.now() - start;
        observer.disconnect();
    }).observe(img, {attributes: true, attributeFilter: ['src']});
}"""
# Where each panel sits at 1280 x 720: its box, its figure as drawn and as encoded, and whether
# anything in the output area scrolls sideways.
LAYOUT = """panel => {
    const box = panel.getBoundingClientRect();
    const figure = panel.querySelector('.gan-lessons-figure');
    const area = panel.closest('.jp-OutputArea-output') || panel.parentElement;
    const drawn = figure.getBoundingClientRect();
    const probe = panel.querySelector('.gan-lessons-probe').getBoundingClientRect();
    const view = panel.closest('.jp-WindowedPanel-outer') || document.documentElement;
    return {view_height: view.clientHeight,
            probe_and_figure_height: Math.max(drawn.bottom, probe.bottom) - Math.min(drawn.top, probe.top),
            panel_width: box.width, panel_height: box.height,
            panel_scroll_width: panel.scrollWidth, panel_client_width: panel.clientWidth,
            area_width: area.clientWidth, area_scroll_width: area.scrollWidth,
            figure_width: drawn.width, figure_height: drawn.height,
            figure_natural_width: figure.naturalWidth, figure_natural_height: figure.naturalHeight,
            controls: panel.querySelectorAll('input, select, button, .noUi-handle').length};
}"""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        found = None
    if found is None:
        message = ("browser tests need the system Chromium (apt-get install chromium) and Playwright "
                   "(pip install -e '.[test]')")
        if os.environ.get("CI"):
            pytest.fail(message + "; under CI they must run, not skip")
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("jupyterlab")
    env = {"GAN_LESSONS_QUICK": "1", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    with LabServer(folder, env=env) as server:
        yield server


@pytest.fixture(scope="module")
def lecture_lab(tmp_path_factory, chromium):
    """A second JupyterLab whose kernels start in the lecture style (GAN_LESSONS_LECTURE=1)."""
    folder = tmp_path_factory.mktemp("jupyterlab-lecture")
    env = {"GAN_LESSONS_QUICK": "1", "GAN_LESSONS_LECTURE": "1",
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    with LabServer(folder, env=env) as server:
        yield server


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        yield browser
        browser.close()


def move_probe(panel) -> str:
    """Change a panel's probe control the way a user would; returns what was done."""
    probe = panel.locator(".gan-lessons-probe")
    classes = probe.get_attribute("class") or ""
    if "widget-button" in classes:
        probe.click()
        return "clicked the button"
    if probe.locator("select").count():
        select = probe.locator("select")
        options = select.locator("option").count()
        index = select.evaluate("s => s.selectedIndex")
        select.select_option(index=(index + 1) % options)
        return f"chose option {(index + 1) % options} of {options}"
    if probe.locator(".noUi-handle").count():
        handle = probe.locator(".noUi-handle").first
        handle.focus()
        for _ in range(5):
            handle.press("ArrowRight")
        return "pressed the right arrow 5 times on the slider"
    if "widget-toggle-buttons" in classes:
        probe.locator("button:not(.mod-active)").first.click()
        return "clicked another toggle button"
    field = probe.locator("input")
    value = int(float(field.input_value()))
    field.fill(str(value + 1))
    field.press("Enter")
    return f"typed {value + 1} and pressed Enter"


def wait_for_new_picture(figure, before: bytes, timeout_s: float) -> bytes:
    deadline = time.monotonic() + timeout_s
    while True:
        after = figure.screenshot()
        if after != before:
            return after
        if time.monotonic() > deadline:
            raise AssertionError(f"the figure did not change within {timeout_s:.0f} s")
        time.sleep(0.5)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_in_jupyterlab(path: Path, lab: LabServer, browser):
    check_notebook(browser, lab, path, path.stem)


@pytest.mark.parametrize("path", LECTURE_NOTEBOOKS, ids=[p.stem for p in LECTURE_NOTEBOOKS])
def test_lecture_style_in_jupyterlab(path: Path, lecture_lab: LabServer, browser):
    """The same checks with the lecture style on (taller figures, large type), for the lessons
    with the largest panels; the kernel must report the lecture font size."""
    check_notebook(browser, lecture_lab, path, f"{path.stem}-lecture", font_size=LECTURE_RC["font.size"])


def test_the_checks_see_widgets_that_do_not_render(tmp_path, browser):
    """With JupyterLab's widget manager switched off, widgets show as text: the checks must fail."""
    config = tmp_path / "config" / "labconfig"
    config.mkdir(parents=True)
    (config / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyter-widgets/jupyterlab-manager": True}}))
    env = {"GAN_LESSONS_QUICK": "1"}
    with LabServer(tmp_path, env=env) as broken:
        with pytest.raises(AssertionError, match=r"widget\(s\) but 0 rendered|not a widget"):
            check_notebook(browser, broken, NOTEBOOKS[0], "self-check-no-widget-manager")


def check_notebook(browser, lab: LabServer, path: Path, stem: str, *,
                   font_size: float | None = None) -> None:
    """Open ``path`` in ``lab``, run it and check it as the module docstring says; with
    ``font_size``, also that the kernel's matplotlib uses that font size."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for pattern in (f"{stem}.json", f"{stem}-panel*.png", f"{stem}-failure.png", f"{stem}-server.log"):
        for old in ARTIFACTS.glob(pattern):
            old.unlink()
    relative = path.relative_to(ROOT).as_posix()
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(120_000)  # a loaded 2-core machine can be slow to draw JupyterLab
    console, outside = [], []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))

    def route(request_route):
        url = request_route.request.url
        if url.startswith(lab.url) or url.startswith(("data:", "blob:")):
            request_route.continue_()
        elif url == BADGE:
            request_route.fulfill(status=200, content_type="image/svg+xml", body=BADGE_SVG)
        else:
            outside.append(url)
            request_route.abort()

    page.route("**/*", route)
    report: dict = {"notebook": stem}
    try:
        start = time.perf_counter()
        page.goto(lab.lab_url(relative))
        page.wait_for_function(KERNEL_IDLE, arg=relative, timeout=120_000)
        report["open_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        page.evaluate(RUN_ALL, RUN_ALL_TIMEOUT_S)
        page.wait_for_function(KERNEL_IDLE, arg=relative, timeout=RUN_ALL_TIMEOUT_S * 1000)
        report["run_all_s"] = round(time.perf_counter() - start, 1)
        cells = page.evaluate(CELLS)
        if font_size is not None:
            shown = page.evaluate(KERNEL_PRINT, "import matplotlib; print(matplotlib.rcParams['font.size'])")
            assert float(shown) == font_size, f"the kernel's font size is {shown!r}, not {font_size}"

        problems = []
        for cell in cells:
            if cell["code"] and cell["count"] is None:
                problems.append(f"cell {cell['index']} did not run")
            for output in cell["outputs"]:
                if output["type"] == "error":
                    problems.append(f"cell {cell['index']}: {output['ename']}: {output['evalue']}")
                elif output["type"] == "stream" and output["name"] == "stderr":
                    problems.append(f"cell {cell['index']} wrote to stderr: {output['text']}")
        assert not problems, f"{stem}: " + "\n".join(problems)

        expected_panels = 0
        for cell in cells:
            views = [o for o in cell["outputs"] if "application/vnd.jupyter.widget-view+json" in o["mimes"]]
            expected_panels += sum(o["plain"].startswith(PANEL_TEXT) for o in views)
            if views:
                assert cell["widgets"] >= len(views), (
                    f"cell {cell['index']} displayed {len(views)} widget(s) but {cell['widgets']} rendered")
            for bad in ("Error displaying widget", "IntSlider(", "FloatSlider(", "VBox(", PANEL_TEXT,
                        "[widget check]"):
                assert bad not in cell["shown"], f"cell {cell['index']} shows {bad!r}, not a widget"
        panels = page.locator(".gan-lessons-panel")
        page.wait_for_function("n => document.querySelectorAll('.gan-lessons-panel').length >= n",
                               arg=expected_panels, timeout=30_000)
        assert panels.count() == expected_panels
        report["panels"] = []

        for index in range(expected_panels):
            panel = panels.nth(index)
            panel.scroll_into_view_if_needed()
            figure = panel.locator(".gan-lessons-figure")
            page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                   arg=figure.element_handle(), timeout=30_000)
            layout = panel.evaluate(LAYOUT)
            assert layout["controls"] >= 1, f"panel {index} has no controls"
            assert layout["area_scroll_width"] <= layout["area_width"] + 1, (
                f"panel {index} is wider than the notebook at 1280 x 720: {layout}")
            assert layout["probe_and_figure_height"] <= layout["view_height"], (
                f"panel {index}: its probe control and its figure do not fit on one screen: {layout}")
            before = figure.screenshot()
            panel.screenshot(path=str(ARTIFACTS / f"{stem}-panel{index}.png"))
            figure.evaluate(WATCH_PICTURE)
            action = move_probe(panel)
            wait_for_new_picture(figure, before, FIGURE_CHANGE_TIMEOUT_S)
            first_picture_ms = page.evaluate("() => window.ganLessonsFirstPicture")
            assert first_picture_ms is not None, "the figure changed without a new picture arriving"
            layout.update(probe=action, first_new_picture_ms=round(first_picture_ms))
            report["panels"].append(layout)
        page.wait_for_function(KERNEL_IDLE, arg=relative, timeout=120_000)
        page.wait_for_timeout(300)  # late console messages from the last redraw

        assert not outside, f"requests left 127.0.0.1: {outside}"
        assert not console, "browser console errors:\n" + "\n".join(console)
    except BaseException:
        page.screenshot(path=str(ARTIFACTS / f"{stem}-failure.png"), full_page=True)
        shutil.copy(lab.log_path, ARTIFACTS / f"{stem}-server.log")
        raise
    finally:
        (ARTIFACTS / f"{stem}.json").write_text(json.dumps(report, indent=2))
        context.close()
        lab.shut_down_kernels()
