"""Queries on the HTML pages (tests/apps/foreign/pages.py) in a real Chromium window.

The browser is a kiosk window at (0, 0) on the bench's Xvfb, so the capture is real
rendered pixels and ``getBoundingClientRect`` boxes are screen boxes. A check box or radio
lists its input and its ``<label>``: clicking either toggles it.
"""

from __future__ import annotations

from gui_agent.geometry import Rect
from gui_agent.perception.perceiver import Perceiver
from gui_agent.screen.capture import ScreenCapture
from gui_agent.training.chromium import Chromium
from tests.apps.foreign.pages import PAGES, THEMES, Box, html, truth

from .scoring import ABSENT_ICONS, Outcome, Query, score
from .settle import settled_grab

Spec = list[tuple[str, str, tuple[str, ...]]]  # (query, bucket, element ids)


def _choice(key: str) -> tuple[str, ...]:
    return (key, f"l-{key}")


SPECS: dict[str, Spec] = {
    "signup": [
        ("the First name field", "field", ("first",)),
        ("the Last name field", "field", ("last",)),
        ("the Email address field", "field", ("email",)),
        ("the Password field", "field", ("password",)),
        ("the Promo code field", "field", ("promo",)),
        ("the field below Password", "field", ("password",)),
        ("the About you field", "field", ("about",)),
        ("the About you text area", "field", ("about",)),
        ("the Country dropdown", "combo", ("country",)),
        ("the Country select", "combo", ("country",)),
        ("the Free radio", "radio", _choice("plan-free")),
        ("the Pro radio", "radio", _choice("plan-pro")),
        ("the Team radio button", "radio", _choice("plan-team")),
        ("the Remember me checkbox", "checkbox", _choice("remember")),
        ("the Email me product news checkbox", "checkbox", _choice("news")),
        ("the I agree to the terms check box", "checkbox", _choice("terms")),
        ("the Submit button", "text", ("submit",)),
        ("Submit", "text", ("submit",)),
        ("the Cancel button", "text", ("cancel",)),
        ("Create your account", "text", ("heading",)),
    ],
    "toolbar": [
        ("the close button", "icon", ("t-close",)),
        ("the search icon", "icon", ("t-search",)),
        ("the trash icon in the toolbar", "icon", ("t-delete",)),
        ("the delete button", "icon", ("t-delete",)),
        ("the settings button", "icon", ("t-settings",)),
        ("the gear icon", "icon", ("t-settings",)),
        ("the add button", "icon", ("t-add",)),
        ("the plus icon", "icon", ("t-add",)),
        ("the menu button", "icon", ("t-menu",)),
        ("the more options button", "icon", ("t-more",)),
        ("the home icon", "icon", ("t-home",)),
        ("the refresh button", "icon", ("t-refresh",)),
        ("the save icon", "icon", ("t-save",)),
        ("the first icon", "icon", ("t-menu",)),
        ("the last icon", "icon", ("t-close",)),
        ("Untitled document", "text", ("doc-title",)),
    ],
    "table": [
        ("the Edit button in the Bob row", "text", ("edit-bob",)),
        ("the Delete button in the Carol row", "text", ("del-carol",)),
        ("the Edit button right of Dave", "text", ("edit-dave",)),
        ("the Delete button right of alice@example.com", "text", ("del-alice",)),
        ("the Invite member button", "text", ("invite",)),
        ("Team members", "text", ("heading",)),
        ("Role", "text", ("h-role",)),
    ],
    "settings": [
        ("General", "text", ("s-general",)),
        ("Account", "text", ("s-account",)),
        ("the Privacy link", "text", ("s-privacy",)),
        ("Billing", "text", ("s-billing",)),
        ("the Appearance item in the sidebar", "text", ("s-appearance",)),
        ("the bell icon", "icon", ("s-notifications",)),
        ("the lock icon", "icon", ("s-privacy",)),
        ("the Email alerts checkbox", "checkbox", _choice("alerts")),
        ("the Push notifications checkbox", "checkbox", _choice("push")),
        ("the Digest frequency dropdown", "combo", ("digest",)),
        ("the Quiet hours start field", "field", ("quiet",)),
        ("the Save changes button", "text", ("save",)),
    ],
    "article": [
        ("the Terms of Service link", "text", ("a-tos",)),
        ("the privacy policy link", "text", ("a-privacy",)),
        ("full changelog", "text", ("a-changelog",)),
        ("the contact support link", "text", ("a-contact",)),
        ("Release notes", "text", ("heading",)),
    ],
}


def check_fills_screen(browser: Chromium, size: tuple[int, int]) -> None:
    """Fail loudly when the kiosk window is not the whole screen at (0, 0): then page boxes
    would not be screen boxes. Without a window manager Chromium's fullscreen viewport is one
    pixel short of the screen on each axis, which moves nothing, so that much is allowed."""
    x, y, w, h = browser.evaluate("[screenX, screenY, innerWidth, innerHeight]")
    if (x, y) != (0, 0) or w < size[0] - 2 or h < size[1] - 2:
        raise RuntimeError(f"Chromium viewport {w}x{h} at ({x}, {y}); screen {size[0]}x{size[1]}")


def html_queries(page: str, boxes: dict[str, list[Box]]) -> list[Query]:
    """The page's queries with the browser's boxes for their target elements; the toolbar
    adds the icons it does not show, which must not be found."""
    queries = [
        Query(text, bucket, "#" + ids[0], tuple(Rect(*b) for i in ids for b in boxes[i]))
        for text, bucket, ids in SPECS[page]
    ]
    if page == "toolbar":
        queries += [Query(text, "absent", "-", ()) for text in ABSENT_ICONS]
    return queries


def run_html(
    display: str,
    size: tuple[int, int],
    cap: ScreenCapture,
    perceivers: dict[str, Perceiver],
    themes: tuple[str, ...] = THEMES,
    pages: tuple[str, ...] = PAGES,
    tree: bool = False,
) -> list[tuple[str, Outcome]]:
    """Every page in every theme in one Chromium window: one capture each, every perceiver.
    ``tree``: the renderer publishes its accessibility tree, as Chromium does for a user
    whose screen reader (or ``--force-renderer-accessibility``) asks for it."""
    out: list[tuple[str, Outcome]] = []
    args = ("--force-renderer-accessibility",) if tree else ()
    with Chromium(*size, display=display, extra_args=args) as browser:
        check_fills_screen(browser, size)
        for theme in themes:
            for page in pages:
                browser.load(html(page, theme))
                queries = html_queries(page, truth(browser))
                frame = settled_grab(cap)
                for mode, perceiver in perceivers.items():
                    perceiver.reset()
                    state = perceiver.perceive(frame)
                    out += [(mode, score(state, q, f"html/{theme}", page)) for q in queries]
    return out
