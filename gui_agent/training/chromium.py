"""A Chromium page driven over the DevTools protocol: HTML in, pixels and DOM geometry out.

Training screens, the foreign-toolkit grounding bench and browser tests all need the same
two things from a real browser: what a page looks like, and where the browser itself laid
out each element. The DevTools protocol gives both from one long-lived process (a page load is
tens of milliseconds, a fresh ``chromium --screenshot`` is a second). Headless for rendering
training screens; on an X display (``display=``) for benches that capture the real screen.

Needs the ``chromium`` binary (packaging/install-system-deps.sh) and ``websocket-client``.
"""

from __future__ import annotations

import base64
import contextlib
import io
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from gui_agent.errors import GuiAgentError


class BrowserError(GuiAgentError):
    """Chromium is missing, did not start, or a DevTools call failed."""


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """One Chromium process with one page, closed with the context manager.

    ``scale`` is the device-pixel ratio: DOM boxes stay in CSS pixels, ``screenshot()`` and
    ``boxes_px()`` are in device pixels. With ``display`` the window is a real X window at
    (0, 0) filling ``width`` x ``height`` (kiosk: no browser chrome, page pixels = screen
    pixels); without it Chromium runs headless.
    """

    def __init__(
        self,
        width: int = 1280,
        height: int = 800,
        *,
        scale: float = 1.0,
        display: str | None = None,
        extra_args: tuple[str, ...] = (),
        timeout: float = 20.0,
    ) -> None:
        binary = chromium_binary()
        if binary is None:
            raise BrowserError(
                "chromium is not installed. Fix: bash packaging/install-system-deps.sh"
            )
        if not (100 <= width <= 8192 and 100 <= height <= 8192 and 0.5 <= scale <= 4):
            raise BrowserError(f"absurd page size {width}x{height} at scale {scale}")
        import websocket  # websocket-client: only the browser tools need it

        self.width, self.height, self.scale, self.timeout = width, height, scale, timeout
        self._profile = tempfile.mkdtemp(prefix="gui-agent-chromium-")
        args = [
            binary,
            "--remote-debugging-port=0",
            f"--user-data-dir={self._profile}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--disable-extensions",
            "--disable-sync",
            "--disable-translate",
            "--disable-features=Translate,MediaRouter,OptimizationHints",
            "--hide-scrollbars",
            "--no-sandbox",  # containers and root: the page is our own HTML
            "--password-store=basic",
            f"--window-size={width},{height}",
            "--window-position=0,0",
            f"--force-device-scale-factor={scale}",
            *extra_args,
        ]
        env = dict(os.environ)
        if display is None:
            args.insert(1, "--headless=new")
        else:
            args.insert(1, "--kiosk")
            env["DISPLAY"] = display
        args.append("about:blank")
        self._proc = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        self._ids = itertools.count(1)
        try:
            port = self._port()
            self._ws = websocket.create_connection(self._page_socket(port), timeout=timeout)
            self.call("Page.enable")
            self.call("Runtime.enable")
            if display is None:
                self.call(
                    "Emulation.setDeviceMetricsOverride",
                    width=width,
                    height=height,
                    deviceScaleFactor=scale,
                    mobile=False,
                )
        except BaseException:
            self.close()
            raise

    # -- start-up --------------------------------------------------------------------------
    def _port(self) -> int:
        marker = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise BrowserError(f"chromium exited with code {self._proc.returncode}")
            if marker.exists():
                first = marker.read_text().split("\n", 1)[0].strip()
                if first.isdigit():
                    return int(first)
            time.sleep(0.05)
        raise BrowserError(f"chromium did not open its DevTools port in {self.timeout:.0f} s")

    def _page_socket(self, port: int) -> str:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                targets = json.load(r)
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return str(pages[0]["webSocketDebuggerUrl"])
            time.sleep(0.05)
        raise BrowserError("chromium opened no page")

    # -- protocol --------------------------------------------------------------------------
    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """One DevTools command; events that arrive meanwhile are dropped."""
        msg_id = next(self._ids)
        self._ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self._ws.recv())
            if reply.get("id") != msg_id:
                continue
            if "error" in reply:
                raise BrowserError(f"{method}: {reply['error'].get('message', reply['error'])}")
            result: dict[str, Any] = reply.get("result", {})
            return result

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (promises awaited), as JSON data."""
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            detail = result["exceptionDetails"]
            text = detail.get("exception", {}).get("description") or detail.get("text")
            raise BrowserError(f"page script failed: {text}")
        return result.get("result", {}).get("value")

    def load(self, html: str) -> None:
        """Replace the page with ``html`` and wait until it is laid out with its fonts."""
        tree = self.call("Page.getFrameTree")
        self.call("Page.setDocumentContent", frameId=tree["frameTree"]["frame"]["id"], html=html)
        self.evaluate(
            "document.fonts.ready.then(() => new Promise(r => "
            "requestAnimationFrame(() => requestAnimationFrame(() => r(1)))))"
        )

    def navigate(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + self.timeout
        while self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise BrowserError(f"{url} did not finish loading")
            time.sleep(0.05)
        self.evaluate("document.fonts.ready.then(() => 1)")

    def screenshot(self) -> np.ndarray:
        """The page as H x W x 3 RGB uint8, in device pixels."""
        from PIL import Image

        data = self.call("Page.captureScreenshot", format="png")["data"]
        with Image.open(io.BytesIO(base64.b64decode(data))) as img:
            return np.asarray(img.convert("RGB"))

    def boxes(self, selector: str) -> list[dict[str, Any]]:
        """Every visible element matching ``selector``: its CSS-pixel box in the viewport,
        tag, type, role attribute, id and trimmed text."""
        script = f"""
        Array.from(document.querySelectorAll({json.dumps(selector)})).map(el => {{
          const r = el.getBoundingClientRect();
          const s = getComputedStyle(el);
          return {{x: r.left, y: r.top, w: r.width, h: r.height, tag: el.tagName.toLowerCase(),
                   type: el.getAttribute('type') || '', role: el.getAttribute('role') || '',
                   id: el.id || '',
                   text: ['checkbox', 'radio'].includes(el.type) ? ''
                         : (el.innerText || el.value || el.placeholder || '').trim(),
                   visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
                            && s.display !== 'none' && parseFloat(s.opacity) > 0}};
        }}).filter(b => b.visible)
        """
        found = self.evaluate(script)
        return list(found) if isinstance(found, list) else []

    # -- lifetime --------------------------------------------------------------------------
    def close(self) -> None:
        ws = getattr(self, "_ws", None)
        if ws is not None:
            with contextlib.suppress(OSError):
                ws.close()
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(5)
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
