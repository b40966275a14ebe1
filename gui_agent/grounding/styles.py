"""What each grounding model family is asked and how it writes coordinates.

The prompts are the ones the models were trained on (their model cards); a family's
coordinate convention is its default, overridable for fine-tunes that differ. Qwen2.5-VL and
UI-TARS-1.5 resize pictures to multiples of 28 pixels inside the server: we send them that
size already, so their pixel answers are pixels of the very picture we mapped.
"""

from __future__ import annotations

from dataclasses import dataclass

from gui_agent.geometry import ImageBudget


@dataclass(frozen=True, slots=True)
class Style:
    name: str
    prompt: str  # with {query}
    convention: str  # see geometry.CONVENTIONS
    budget: ImageBudget


UI_TARS = Style(
    "ui-tars",
    "You are a GUI agent. You are given a task and your action history, with screenshots. You "
    "need to perform the next action to complete the task.\n\n## Output Format\n\nAction: ..."
    "\n\n\n## Action Space\nclick(point='<point>x1 y1</point>')\n\n## User Instruction\n"
    "Click on {query}",
    "absolute",
    ImageBudget(max_side=0, max_short=0, max_pixels=2_100_000, multiple=28),
)
QWEN25_VL = Style(
    "qwen2.5-vl",
    'Locate "{query}" in this screenshot and output its bbox coordinates in JSON format, as '
    '[{{"bbox_2d": [x1, y1, x2, y2], "label": "..."}}].',
    "absolute",
    ImageBudget(max_side=0, max_short=0, max_pixels=2_100_000, multiple=28),
)
OS_ATLAS = Style(
    "os-atlas",
    "In this UI screenshot, what is the position of the element corresponding to the command "
    '"{query}" (with bbox)?',
    "thousandths",
    ImageBudget(max_side=1920, max_short=0, max_pixels=2_100_000),
)
STYLES: dict[str, Style] = {s.name: s for s in (UI_TARS, QWEN25_VL, OS_ATLAS)}


def style(name: str) -> Style:
    try:
        return STYLES[name]
    except KeyError:
        raise ValueError(f"unknown grounder style {name!r}; choose {', '.join(STYLES)}") from None
