"""A real JupyterLab and a real Chromium for the browser tests (tests/notebooks/test_browser.py).

``LabServer`` starts ``jupyter lab`` on 127.0.0.1 with a random token, in
private settings, runtime and workspace folders, so nothing a user set up
on this machine (or an earlier run) changes what the tests see. Its settings
attach every cell to the page (no windowing: the tests look at outputs far
down the notebook) and never fetch news. ``launch_chromium`` starts the
system Chromium (Debian's ``chromium`` package) through Playwright: no browser
is downloaded.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Chromium flags for a headless run on a machine without a network (and as root).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]

#: JupyterLab settings for the test server (plugin id -> settings).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
}


def find_chromium() -> str | None:
    """The system Chromium: ``$GAN_LESSONS_CHROMIUM``, else ``chromium`` or ``chromium-browser``."""
    chosen = os.environ.get("GAN_LESSONS_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """``jupyter lab`` serving the repository, for the length of a ``with`` block."""

    def __init__(self, folder: Path, *, env: dict[str, str] | None = None, root: Path = ROOT) -> None:
        self.folder, self.root = Path(folder), root
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.extra_env = dict(env or {})
        self.log_path = self.folder / "jupyter-server.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def lab_url(self, path: str) -> str:
        """The JupyterLab address that opens ``path`` (relative to the repository)."""
        return f"{self.url}/lab/tree/{path}?token={self.token}"

    def __enter__(self) -> "LabServer":
        settings = self.folder / "settings"
        for plugin, values in LAB_SETTINGS.items():
            target = settings / f"{plugin}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(self.folder / "runtime"),
                   JUPYTER_CONFIG_DIR=str(self.folder / "config"),
                   JUPYTER_DATA_DIR=str(self.folder / "data"), **self.extra_env)
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
                   f"--port={self.port}", "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                   "--LabApp.expose_app_in_browser=True", f"--LabApp.user_settings_dir={settings}",
                   f"--LabApp.workspaces_dir={self.folder / 'workspaces'}", "--LabApp.news_url=None",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2):
                    return self
            except OSError:
                if time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError(f"jupyter lab did not answer in 120 s:\n{self.log_tail()}")
                time.sleep(0.3)

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """Stop every running kernel (each notebook's kernel holds memory and threads)."""
        for kernel in self.api("GET", "kernels"):
            self.api("DELETE", f"kernels/{kernel['id']}")

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if getattr(self, "log", None) is not None:
            self.log.close()


def launch_chromium(playwright, executable: str):
    """Chromium from ``executable``, headless, driven by ``playwright``."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
