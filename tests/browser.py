"""Headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright.

Playwright never downloads a browser here; if Chromium is missing the browser tests fail
(they are not skipped), because a skipped browser test proves nothing.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

CHROMIUM = os.environ.get("HEALTHKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


#: JupyterLab's theme setting (plugin id) and its dark theme's name.
THEMES = "@jupyterlab/apputils-extension:themes"
DARK = "JupyterLab Dark"


def save_screenshot(target: Any, name: str) -> None:
    """Save a screenshot of a page or locator when $HEALTHKIT_SCREENSHOTS names a folder
    (scripts/update-screenshots sets it to docs/img)."""
    folder = os.environ.get("HEALTHKIT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        target.screenshot(path=str(Path(folder) / name))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing; install Debian's chromium (scripts/run-tests does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def jupyter_lab(root: Path, log: Path, settings: dict[str, dict[str, Any]] | None = None, state: Path | None = None) -> Iterator[str]:
    """Start a real ``jupyter lab`` on 127.0.0.1 (no token) and stop it by its PID.

    ``settings`` are default settings by plugin id, written to ``overrides.json`` in the
    server's own settings folder (e.g. ``{THEMES: {"theme": "JupyterLab Dark"}}``). The
    server's config, runtime, user settings and workspaces live under ``state`` (default:
    ``root``), never in the user's home.
    """
    state = state or root
    config = state / ".jupyter-config"
    app_settings = config / "lab" / "settings"
    app_settings.mkdir(parents=True, exist_ok=True)
    (app_settings / "overrides.json").write_text(json.dumps(settings or {}, indent=2))
    port = free_port()
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={root}", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.app_settings_dir={app_settings}",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(state / ".jupyter-runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(state / ".jupyter-user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / ".jupyter-workspaces"),
    }
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyter lab did not start in 90 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        os.kill(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, 9)
            proc.wait()
