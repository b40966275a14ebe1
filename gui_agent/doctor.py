"""`gui-agent doctor`: is this machine ready to see and act? Each check says how to fix it.

A new user's first problem is almost always the environment (no display, a missing system
library for Qt, a broken model file), not the agent. Every failed check ends with a one-line
fix, and the exit code is non-zero only when something *required* is missing.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from gui_agent import __version__
from gui_agent.errors import GuiAgentError

OK, WARN, FAIL = "ok", "warn", "FAIL"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: str  # ok | warn | FAIL
    detail: str
    fix: str = ""
    required: bool = True


def _python() -> list[Check]:
    ok = sys.version_info >= (3, 11)
    return [
        Check(
            "python",
            OK if ok else FAIL,
            f"{platform.python_implementation()} {platform.python_version()} "
            f"on {platform.system()}",
            "" if ok else "install Python 3.11 or newer",
        )
    ]


def _display() -> list[Check]:
    from gui_agent.screen.capture import ScreenCapture

    display = os.environ.get("DISPLAY")
    if not display:
        return [
            Check(
                "display",
                FAIL,
                "DISPLAY is not set: no screen to look at",
                "run inside a desktop session, or `gui-agent doctor --xvfb` for a virtual one",
            )
        ]
    try:
        with ScreenCapture(display) as cap:
            mons = cap.monitors()
            desk = cap.virtual_desktop()
            t = time.perf_counter()
            cap.grab()
            grab_ms = (time.perf_counter() - t) * 1000
    except GuiAgentError as exc:
        return [Check("display", FAIL, str(exc), "start an X server or use `--xvfb`")]
    listing = ", ".join(
        f"#{m.index} {m.rect.w}x{m.rect.h}+{m.rect.x}+{m.rect.y}{' primary' if m.primary else ''}"
        for m in mons
    )
    checks = [
        Check("display", OK, f"{display}: desktop {desk.w}x{desk.h}, monitors: {listing}"),
        Check("scale", OK, f"HiDPI scale {mons[0].scale:g} (override with GUI_AGENT_SCALE)"),
        Check("capture", OK, f"full-desktop grab {grab_ms:.1f} ms (mss)"),
    ]
    if os.environ.get("XDG_SESSION_TYPE") == "wayland":
        checks.append(
            Check(
                "session",
                WARN,
                "Wayland session: capture and input go through XWayland and may be blocked",
                "log in to an X11 session for full control",
                required=False,
            )
        )
    return checks


def _input() -> list[Check]:
    display = os.environ.get("DISPLAY")
    if not display:
        return [Check("input", FAIL, "no display to send input to", "see 'display' above")]
    try:
        from Xlib import display as xdisplay  # python-xlib, installed with pyautogui

        d = xdisplay.Display(display)
        has_xtest = d.query_extension("XTEST") is not None
        d.close()
    except Exception as exc:  # python-xlib raises many unrelated types on connection problems
        fix = "check DISPLAY"
        if "Xauthority" in str(exc):
            fix = "create the file python-xlib insists on: touch ~/.Xauthority"
        return [Check("input", FAIL, f"cannot open {display} for input: {exc}", fix)]
    if not has_xtest:
        return [
            Check(
                "input",
                FAIL,
                "the X server has no XTEST extension: synthetic mouse and keyboard are refused",
                "enable XTEST (Xvfb has it by default; start Xvfb without -extension XTEST)",
            )
        ]
    try:
        import pyautogui

        pos = pyautogui.position()
    except Exception as exc:  # pyautogui wraps Xlib errors inconsistently
        return [
            Check("input", FAIL, f"pyautogui cannot use the display: {exc}", "pip install -e .")
        ]
    return [Check("input", OK, f"XTEST present; pyautogui sees the pointer at ({pos.x}, {pos.y})")]


def _qt() -> list[Check]:
    from gui_agent.launch import self_command

    display = os.environ.get("DISPLAY")
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
    if display:
        env["QT_QPA_PLATFORM"] = "xcb"
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    try:
        out = subprocess.run(
            self_command("qt-probe"), env=env, capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        return [Check("qt", FAIL, "starting Qt hung for 30 s", "check the display")]
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["unknown error"])[-1]
        return [
            Check(
                "qt",
                FAIL,
                f"PySide6 cannot start on {env['QT_QPA_PLATFORM']}: {last[:160]}",
                "run `bash packaging/install-system-deps.sh` (Qt's xcb libraries)",
            )
        ]
    return [Check("qt", OK, f"PySide6 {out.stdout.strip()}")]


def _onnx() -> list[Check]:
    try:
        import onnxruntime as ort
    except ImportError as exc:
        return [Check("onnxruntime", FAIL, str(exc), "pip install -e .")]
    return [
        Check(
            "onnxruntime",
            OK,
            f"{ort.__version__}, providers: {', '.join(ort.get_available_providers())}, "
            f"{os.cpu_count()} CPU cores",
        )
    ]


def _models() -> list[Check]:
    from gui_agent.perception.models import ModelRegistry

    try:
        registry = ModelRegistry()
    except GuiAgentError as exc:
        return [Check("models", FAIL, str(exc), "pip install --force-reinstall gui-agent")]
    checks = [Check("models", OK, f"manifest {registry.models_dir / 'manifest.json'}")]
    for st in registry.check_all():
        size = st.path.stat().st_size / 1e6 if st.ok else 0.0
        if st.ok:
            checks.append(
                Check(
                    f"model {st.entry.name}",
                    OK,
                    f"{st.path.name} ({size:.1f} MB) sha256 {st.actual_sha256[:12]}… matches",
                )
            )
        else:
            fix = (
                f"pip install --force-reinstall {st.entry.package.replace('_', '-')}"
                if st.entry.package
                else "pip install --force-reinstall gui-agent (in a checkout: "
                "git checkout -- models/)"
            )
            checks.append(
                Check(
                    f"model {st.entry.name}",
                    FAIL if st.entry.required else WARN,
                    st.problem,
                    fix,
                    required=st.entry.required,
                )
            )
    return checks


def _ocr_self_test() -> list[Check]:
    """Render known text with OpenCV and read it back: proves the models really run."""
    import cv2
    import numpy as np

    from gui_agent.perception.ocr import OcrEngine

    img = np.full((60, 420, 3), 255, np.uint8)
    cv2.putText(img, "Save report 42", (12, 42), cv2.FONT_HERSHEY_SIMPLEX, 1.1, (0, 0, 0), 2)
    try:
        t = time.perf_counter()
        engine = OcrEngine()
        load = time.perf_counter() - t
        t = time.perf_counter()
        lines = engine.read(img)
        run = time.perf_counter() - t
    except GuiAgentError as exc:
        return [Check("ocr", FAIL, str(exc), "see the model checks above")]
    text = " ".join(line.text for line in lines)
    ok = "report42" in text.replace(" ", "").lower()
    return [
        Check(
            "ocr",
            OK if ok else FAIL,
            f"read {text!r} from a test image "
            f"(load {load * 1000:.0f} ms, read {run * 1000:.0f} ms)",
            "" if ok else "the OCR models load but read wrong text: reinstall rapidocr-onnxruntime",
        )
    ]


def _tools() -> list[Check]:
    checks = []
    for tool, why in (
        ("Xvfb", "virtual displays for tests and headless runs"),
        ("xdotool", "window look-ups"),
    ):
        path = shutil.which(tool)
        checks.append(
            Check(
                tool,
                OK if path else WARN,
                path or f"not found ({why})",
                "" if path else "bash packaging/install-system-deps.sh",
                required=False,
            )
        )
    return checks


def _risk_policy() -> list[Check]:
    """The gate's vocabulary: built in, plus the user's additions when that file exists."""
    from gui_agent.agent.factory import user_policy_path
    from gui_agent.control.policy import PolicyError, load_policy

    path = user_policy_path()
    try:
        policy = load_policy(path)
    except PolicyError as exc:
        return [Check("risk policy", FAIL, str(exc), f"fix or remove {path}")]
    words = sum(len(e.words) for e in policy.effects)
    extra = f"; your additions: {path}" if path.exists() else f"; add your own in {path}"
    return [Check("risk policy", OK, f"{words} effect words ({' + '.join(policy.sources[:1])}"
                  f"){extra}")]  # fmt: skip


def probe_images(provider: str, model: str, base_url: str | None, api_key: str | None,
                 timeout: float = 10.0) -> Check:  # fmt: skip
    """Send the configured model one small picture (a red square) and see whether it takes
    it: a text-only model answers HTTP 400, and the planner would fail on its first step."""
    import base64

    import cv2
    import numpy as np

    from gui_agent.planning.llm import AnthropicClient, OpenAICompatibleClient, PlannerError

    pixels = np.full((64, 64, 3), 255, np.uint8)
    pixels[16:48, 16:48] = (0, 0, 255)
    data = base64.b64encode(cv2.imencode(".png", pixels)[1].tobytes()).decode()
    message = {"role": "user", "content": [
        {"type": "text", "text": "What colour is the square? Answer with one word."},
        {"type": "image", "media_type": "image/png", "data": data},
    ]}  # fmt: skip
    client: OpenAICompatibleClient | AnthropicClient
    try:
        if provider == "anthropic":
            client = AnthropicClient(model or "claude-sonnet-4-5", base_url=base_url,
                                     api_key=api_key, timeout=timeout, sdk_retries=0)  # fmt: skip
        else:
            client = OpenAICompatibleClient(model or "gpt-4o-mini", base_url=base_url,
                                            api_key=api_key, timeout=timeout, structured="none",
                                            sdk_retries=0)  # fmt: skip
        answer = client.complete([message], {})
    except PlannerError as exc:
        return Check("planner pictures", WARN, f"{model or provider} did not take a picture: "
                     f"{exc}", 'set images = "off" in the settings, or pick a vision model',
                     required=False)  # fmt: skip
    shown = " ".join(answer.split())[:40]
    detail = f"{model or provider} takes pictures (it answered '{shown}'); Set-of-Mark is on"
    return Check("planner pictures", OK, detail, required=False)


def _images() -> list[Check]:
    """Whether the configured LLM planner gets pictures, and whether its model takes them."""
    from gui_agent.config import ConfigError, get_api_key, load_settings
    from gui_agent.planning.llm import takes_images

    try:
        settings = load_settings()
    except ConfigError as exc:
        return [Check("planner pictures", WARN, str(exc), required=False)]
    if settings.provider == "embedded":
        return [Check("planner pictures", OK, "not used by the embedded planner", required=False)]
    if not takes_images(settings.provider, settings.model, settings.images):
        return [Check("planner pictures", OK, f"off for {settings.model or settings.provider} "
                      f"(images = {settings.images!r})", required=False)]  # fmt: skip
    try:
        key = get_api_key(settings.provider)
    except ConfigError:
        key = None
    return [probe_images(settings.provider, settings.model, settings.base_url or None, key)]


def _accessibility() -> list[Check]:
    """Whether apps' accessibility trees can be read here, and which apps expose one. Never
    required: without a tree, perception reads pixels alone, as it always did."""
    from gui_agent.headless.session_bus import unavailable
    from gui_agent.perception.accessibility import switched_off

    name = "accessibility"
    if switched_off():
        return [Check(name, WARN, "switched off (GUI_AGENT_ACCESSIBILITY=off)", required=False)]
    if not sys.platform.startswith("linux"):
        return [Check(name, WARN, f"no tree source for {sys.platform} yet: vision only",
                      required=False)]  # fmt: skip
    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    if not bus:
        return [Check(name, WARN, "no D-Bus session bus: apps' trees cannot be read (vision only)",
                      "run inside a desktop session, or `gui-agent doctor --xvfb`",
                      required=False)]  # fmt: skip
    from gui_agent.perception.accessibility.atspi import AtspiSource

    source = AtspiSource(bus)
    try:
        snap = source.read(1.0)
    finally:
        source.close()
    if snap.error:
        fix = unavailable() or "check that at-spi2-core is installed and the session bus runs"
        return [Check(name, WARN, f"bus found, no tree: {snap.error}", fix, required=False)]
    apps = ", ".join(snap.apps) or "none yet"
    return [Check(name, OK, f"AT-SPI bus found in {snap.seconds * 1000:.0f} ms; apps exposing a "
                  f"tree: {apps} ({len(snap.nodes)} controls on screen). Qt apps need "
                  "QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1, Chromium --force-renderer-accessibility",
                  required=False)]  # fmt: skip


CHECKS: list[Callable[[], list[Check]]] = [
    _python,
    _display,
    _input,
    _qt,
    _onnx,
    _models,
    _ocr_self_test,
    _risk_policy,
    _tools,
    _images,
    _accessibility,
]


def run_checks() -> list[Check]:
    results: list[Check] = [Check("gui-agent", OK, __version__)]
    for check in CHECKS:
        try:
            results += check()
        except Exception as exc:  # a doctor must report, never crash
            results.append(Check(check.__name__.strip("_"), FAIL, f"check crashed: {exc!r}"))
    return results


def render(results: list[Check]) -> str:
    width = max(len(c.name) for c in results)
    lines = []
    for c in results:
        lines.append(f"{c.status:<4}  {c.name:<{width}}  {c.detail}")
        if c.fix and c.status != OK:
            lines.append(f"{'':<4}  {'':<{width}}  fix: {c.fix}")
    failed = [c for c in results if c.status == FAIL and c.required]
    lines.append("")
    lines.append(
        "ready: everything required is in place"
        if not failed
        else f"not ready: {len(failed)} required check(s) failed: "
        f"{', '.join(c.name for c in failed)}"
    )
    return "\n".join(lines)


def exit_code(results: list[Check]) -> int:
    return 1 if any(c.status == FAIL and c.required for c in results) else 0
