"""A screen state as text for a terminal: the element table and located targets.

``gui-agent perceive`` and ``gui-agent demo`` print the same two things, so they share them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from gui_agent.perception.locate import TargetNotFound, locate
from gui_agent.perception.state import ScreenState

__all__ = ["elements_table", "report_queries"]


def elements_table(state: ScreenState) -> str:
    """One row per element: id, kind, box, confidence and text (check boxes with their mark)."""
    rows = [("id", "kind", "x", "y", "w", "h", "conf", "text")]
    for e in state.elements:
        text = e.text if len(e.text) <= 60 else e.text[:57] + "..."
        if e.checked is not None:
            text = f"[{'x' if e.checked else ' '}] {text}"
        if e.icon_name:
            text = f"{text} ({e.icon_name} icon)".strip()
        rows.append((str(e.id), e.kind.value, str(e.box.x), str(e.box.y), str(e.box.w),
                     str(e.box.h), f"{e.confidence:.2f}", text))  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for r in rows:
        cells = [
            c.rjust(w) if i in (0, 2, 3, 4, 5, 6) else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=False))
        ]
        out.append("  ".join(cells) + "  " + r[-1])
    return "\n".join(out)


def report_queries(state: ScreenState, queries: Sequence[str]) -> list[dict[str, object]]:
    """Locate each query, print what it found (or why not), and return the findings."""
    found: list[dict[str, object]] = []
    for q in queries:
        t = time.perf_counter()
        try:
            res = locate(state, q)
        except TargetNotFound as exc:
            print(f"  {q!r:32} -> not found: {exc}")
            found.append({"query": q, "found": False, "error": str(exc)})
            continue
        ms = (time.perf_counter() - t) * 1000
        e = res.element
        print(f"  {q!r:32} -> #{e.id} {e.kind.value} {e.text!r} centre ({e.box.cx:.0f}, "
              f"{e.box.cy:.0f}) confidence {res.confidence:.2f} [{ms:.2f} ms]")  # fmt: skip
        found.append(
            {"query": q, "found": True, "element": e.to_dict(), "confidence": res.confidence}
        )
    return found
