"""Files that ship inside gui-agent: the models, our icons, the app's own icon and desktop entry.

They are found through ``importlib.resources``, never through a checkout's layout, so the same
lookup works in a checkout (an editable install maps the top-level ``models/`` and ``assets/``
folders here), in an installed wheel (which holds them under ``gui_agent/data/``) and in the
desktop bundle. The top-level folders stay the one source of truth; nothing is copied by hand.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

__all__ = ["data_path"]

Kind = Literal["models", "icons", "brand"]


def data_path(kind: Kind) -> Path:
    """The folder of shipped files of ``kind`` on disk."""
    return Path(str(resources.files(f"gui_agent.data.{kind}")))
