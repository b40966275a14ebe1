"""Line-icon sets (thin strokes on a 24-unit grid) that the classifier trains on, besides fonts.

Why: the fonts of the qtawesome wheel draw mostly solid or heavy glyphs, and the model named
thin-stroke icons (Feather-style web toolbars, GTK's symbolic icons) poorly: a 2 px line
gear read as a sun. Lucide and Heroicons ship their SVGs inside PyPI wheels (``lucide``,
``heroicons``: no runtime dependencies, in the ``train`` extra) under MIT/ISC licences, so
``train.py --line-sets`` can draw every meaning as a line icon too, at any stroke width.
(The shipped model is trained without them: see ``render.set_line_sets`` for why.) The
probes (``probes.line_crops``) and the tests use them either way, to measure line icons.

Each set's names are mapped onto the vocabulary's meanings by hand (``LINE_GLYPHS``): file
names alone mislead (Lucide's "forward" is a mail-forward arrow, its "hamburger" a burger,
its "delete" a backspace key). Everything else a set draws, unless its name shares a telling
word with a listed glyph, becomes a "none" crop, drawn in the same strokes, so that a line
drawing as such never means "icon with a name".

Phosphor stays held out (see ``icon_vocabulary``); the foreign bench's icons (our HTML
pages' inline SVGs, Adwaita's symbolic icons, the Tk toolbar's) are never read here.
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from gui_agent.perception.icon_vocabulary import MEANING_BY_NAME


@dataclass(frozen=True, slots=True)
class LineSet:
    """One SVG icon set from a wheel: where its SVGs are and under what terms we use them."""

    key: str  # a glyph source, like the font keys of ``icon_vocabulary.FONTS``
    package: str  # the importable package (and PyPI distribution) that ships the archive
    archive: str  # the zip of SVGs inside the package
    folder: str  # the archive folder of the 24 px outline icons ("" for the top level)
    title: str
    license: str
    stroke: float  # the set's own stroke width, in its 24-unit grid


LINE_SETS: tuple[LineSet, ...] = (
    LineSet(
        "lucide",
        "lucide",
        "lucide.zip",
        "",
        "Lucide (lucide 1.1.4 wheel)",
        "ISC (Lucide; portions from Feather, MIT); wheel MIT",
        2.0,
    ),
    LineSet(
        "hero",
        "heroicons",
        "heroicons.zip",
        "outline/",
        "Heroicons 24 outline (heroicons 2.14.0 wheel)",
        "MIT",
        1.5,
    ),
)
LINE_SET_BY_KEY = MappingProxyType({s.key: s for s in LINE_SETS})

# meaning -> space-separated file names (without ".svg"), per set
_LUCIDE: dict[str, str] = {
    "close": "x circle-x square-x",
    "back": "arrow-left circle-arrow-left",
    "forward": "arrow-right circle-arrow-right",
    "up": "arrow-up circle-arrow-up",
    "down": "arrow-down circle-arrow-down",
    "refresh": "refresh-cw refresh-ccw rotate-cw",
    "home": "house",
    "search": "search",
    "settings": "settings cog",
    "menu": "menu",
    "more": "ellipsis ellipsis-vertical",
    "add": "plus circle-plus square-plus",
    "remove": "minus circle-minus square-minus",
    "edit": "pencil pen square-pen pencil-line",
    "delete": "trash trash-2",
    "save": "save",
    "download": "download arrow-down-to-line cloud-download",
    "upload": "upload arrow-up-from-line cloud-upload",
    "share": "share share-2",
    "copy": "copy",
    "paste": "clipboard clipboard-paste",
    "cut": "scissors",
    "undo": "undo undo-2",
    "redo": "redo redo-2",
    "print": "printer",
    "folder": "folder folder-open",
    "file": "file file-text",
    "attach": "paperclip",
    "send": "send send-horizontal",
    "mail": "mail mail-open",
    "user": "user circle-user user-round",
    "lock": "lock lock-keyhole",
    "unlock": "lock-open",
    "star": "star",
    "heart": "heart",
    "bell": "bell bell-ring",
    "info": "info",
    "help": "circle-question-mark",
    "warning": "triangle-alert circle-alert",
    "error": "ban circle-slash octagon-x",
    "check": "check circle-check",
    "play": "play circle-play",
    "pause": "pause circle-pause",
    "stop": "circle-stop",
    "skip_next": "skip-forward fast-forward",
    "skip_previous": "skip-back rewind",
    "volume": "volume-2 volume-1",
    "mute": "volume-x volume-off",
    "mic": "mic",
    "camera": "camera",
    "image": "image images",
    "video": "video film",
    "subtitles": "closed-caption",
    "fullscreen": "expand maximize fullscreen",
    "exit_fullscreen": "minimize",
    "zoom_in": "zoom-in",
    "zoom_out": "zoom-out",
    "bold": "bold",
    "italic": "italic",
    "underline": "underline",
    "strikethrough": "strikethrough",
    "align_left": "text-align-start",
    "align_center": "text-align-center",
    "align_right": "text-align-end",
    "bullet_list": "list",
    "numbered_list": "list-ordered",
    "grid": "layout-grid grid-2x2",
    "filter": "funnel",
    "sort": "arrow-down-a-z",
    "calendar": "calendar calendar-days",
    "clock": "clock",
    "expand": "chevron-down circle-chevron-down",
    "collapse": "chevron-up circle-chevron-up",
    "chevron_left": "chevron-left circle-chevron-left",
    "chevron_right": "chevron-right circle-chevron-right",
    "link": "link link-2",
    "cloud": "cloud",
    "bookmark": "bookmark",
    "tag": "tag",
    "pin": "pin",
    "location": "map-pin",
    "phone": "phone",
    "chat": "message-circle message-square",
    "show": "eye",
    "hide": "eye-off eye-closed",
    "power": "power",
    "wifi": "wifi wifi-high",
    "bluetooth": "bluetooth",
    "battery": "battery battery-full battery-medium",
    "globe": "globe earth",
    "light_mode": "sun sun-dim",
    "dark_mode": "moon",
    "code": "code code-xml",
    "terminal": "terminal square-terminal",
    "extensions": "puzzle",
    "sidebar": "panel-left panel-right",
}
_HERO: dict[str, str] = {
    "close": "x-mark x-circle",
    "back": "arrow-left arrow-left-circle",
    "forward": "arrow-right arrow-right-circle",
    "up": "arrow-up arrow-up-circle",
    "down": "arrow-down arrow-down-circle",
    "refresh": "arrow-path",
    "home": "home",
    "search": "magnifying-glass",
    "settings": "cog-6-tooth cog-8-tooth cog",
    "menu": "bars-3",
    "more": "ellipsis-vertical ellipsis-horizontal",
    "add": "plus plus-circle",
    "remove": "minus minus-circle",
    "edit": "pencil pencil-square",
    "delete": "trash",
    "download": "arrow-down-tray",
    "upload": "arrow-up-tray",
    "share": "share",
    "copy": "document-duplicate square-2-stack",
    "paste": "clipboard",
    "cut": "scissors",
    "undo": "arrow-uturn-left",
    "redo": "arrow-uturn-right",
    "print": "printer",
    "folder": "folder folder-open",
    "file": "document document-text",
    "attach": "paper-clip",
    "send": "paper-airplane",
    "mail": "envelope envelope-open",
    "user": "user user-circle",
    "lock": "lock-closed",
    "unlock": "lock-open",
    "star": "star",
    "heart": "heart",
    "bell": "bell",
    "info": "information-circle",
    "help": "question-mark-circle",
    "warning": "exclamation-triangle exclamation-circle",
    "error": "no-symbol",
    "check": "check check-circle",
    "play": "play play-circle",
    "pause": "pause pause-circle",
    "stop": "stop stop-circle",
    "skip_next": "forward",
    "skip_previous": "backward",
    "volume": "speaker-wave",
    "mute": "speaker-x-mark",
    "mic": "microphone",
    "camera": "camera",
    "image": "photo",
    "video": "video-camera film",
    "fullscreen": "arrows-pointing-out",
    "exit_fullscreen": "arrows-pointing-in",
    "zoom_in": "magnifying-glass-plus",
    "zoom_out": "magnifying-glass-minus",
    "bold": "bold",
    "italic": "italic",
    "underline": "underline",
    "strikethrough": "strikethrough",
    "bullet_list": "list-bullet",
    "numbered_list": "numbered-list",
    "grid": "squares-2x2",
    "filter": "funnel",
    "calendar": "calendar calendar-days",
    "clock": "clock",
    "expand": "chevron-down",
    "collapse": "chevron-up",
    "chevron_left": "chevron-left",
    "chevron_right": "chevron-right",
    "link": "link",
    "cloud": "cloud",
    "bookmark": "bookmark",
    "tag": "tag",
    "location": "map-pin",
    "phone": "phone",
    "chat": "chat-bubble-left chat-bubble-oval-left",
    "show": "eye",
    "hide": "eye-slash",
    "power": "power",
    "wifi": "wifi",
    "battery": "battery-100 battery-50",
    "globe": "globe-alt globe-americas",
    "light_mode": "sun",
    "dark_mode": "moon",
    "code": "code-bracket",
    "terminal": "command-line",
    "extensions": "puzzle-piece",
}


def _table(rows: dict[str, str]) -> MappingProxyType[str, tuple[str, ...]]:
    for meaning in rows:
        if meaning not in MEANING_BY_NAME:
            raise ValueError(f"line-icon table names an unknown meaning {meaning!r}")
    return MappingProxyType({m: tuple(names.split()) for m, names in rows.items()})


# set key -> meaning -> the set's file names that draw it
LINE_GLYPHS: MappingProxyType[str, MappingProxyType[str, tuple[str, ...]]] = MappingProxyType(
    {"lucide": _table(_LUCIDE), "hero": _table(_HERO)}
)


def _archive(s: LineSet) -> Path:
    spec = importlib.util.find_spec(s.package)
    if spec is None or spec.origin is None:
        raise RuntimeError(
            f"the {s.title} icons come from the {s.package!r} wheel, which is not installed. "
            "Fix: pip install -e '.[train]'"
        )
    return Path(spec.origin).parent / s.archive


@cache
def _svgs(key: str) -> MappingProxyType[str, str]:
    s = LINE_SET_BY_KEY[key]
    with zipfile.ZipFile(_archive(s)) as z:
        return MappingProxyType(
            {
                n[len(s.folder) : -4]: z.read(n).decode()
                for n in z.namelist()
                if n.startswith(s.folder) and n.endswith(".svg") and "/" not in n[len(s.folder) :]
            }
        )


def svg_text(key: str, name: str) -> str:
    """The SVG source of one icon of a set; ``KeyError`` for a name the set lacks."""
    return _svgs(key)[name]


def names_of(key: str) -> tuple[str, ...]:
    """Every icon name of one set (its 24 px outline icons)."""
    return tuple(sorted(_svgs(key)))


def listed_tokens() -> set[str]:
    """The telling words of every name the line tables list ("trash", "cog" ...)."""
    return {
        t
        for table in LINE_GLYPHS.values()
        for names in table.values()
        for n in names
        for t in re.split(r"[-_]", n)
    }
