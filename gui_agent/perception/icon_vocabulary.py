"""The icon vocabulary: the meanings a user asks for, their words, and their glyphs per font.

Why a fixed, hand-written table: the classifier can only name what it was taught, and a query
("the trash icon", "delete") must land on the same meaning the model outputs. Each meaning
lists every word a query may use for it (no word belongs to two meanings) and, per icon font
that qtawesome ships, the glyph names that draw it, so the training set is regenerated from
this table alone. ``svg`` names our own ``assets/icons/*.svg``. The line-icon sets trained on
as well (Lucide, Heroicons) are mapped onto these meanings in
``gui_agent.training.icons.line_sets``: their names are read from wheels only training has.

Two overlapping squares are "copy" in every font that draws them, so a restore-window glyph
is only one drawn as windows. Deliberately left out: bare squares and boxed ticks, which look
like the check boxes that the "none" class is taught (a check box is a control, not an icon
to name); glyphs one font uses for two meanings (Font Awesome's clockwise circle arrow is
"refresh", never "redo"); and glyphs whose drawing is not what their name says (Phosphor's
"columns" is two bars, a pause sign, not a sidebar). Phosphor (``ph``) is the held-out font:
it is never trained on, only used to measure how the model does on an icon set it has not
seen.

Importing this module never imports Qt, torch or onnxruntime: the runtime reads the words
from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

NONE_CLASS = "none"  # the model's extra class: "not an icon it can name"

# Captions that are a pictogram typed as a character: the words people use for them (a
# query's words in ``locate``; a close mark ending a tab's title in ``choice_verdict``).
GLYPH_NAMES: dict[str, tuple[str, ...]] = {
    "x": ("close",), "X": ("close",), "×": ("close",), "✕": ("close",), "✖": ("close",),
    "+": ("add", "plus", "new"), "-": ("remove", "minus"), "−": ("remove", "minus"),
    "⋮": ("more",), "⋯": ("more",), "…": ("more",), "...": ("more",), ":": ("more",),
    "三": ("menu",),
    "☰": ("menu",), "≡": ("menu",), "?": ("help",), "i": ("info",),
    "▾": ("drop-down", "expand"), "▼": ("drop-down", "expand"), "▸": ("expand",),
    "<": ("back", "previous"), ">": ("forward", "next"), "‹": ("back", "previous"),
    "›": ("forward", "next"), "«": ("back", "first"), "»": ("forward", "last"),
    "⟳": ("refresh", "reload"), "↻": ("refresh", "reload"), "★": ("star",), "☆": ("star",),
}  # fmt: skip

HELDOUT_FONT = "ph"

Split = Literal["train", "heldout"]


@dataclass(frozen=True, slots=True)
class IconFont:
    """One icon font of the qtawesome wheel (``qtawesome/fonts/``) and why we may use it."""

    key: str
    ttf: str
    charmap: str
    title: str
    license: str
    split: Split = "train"


FONTS: tuple[IconFont, ...] = (
    IconFont(
        "fa5s",
        "fontawesome5-solid-webfont-5.15.4.ttf",
        "fontawesome5-solid-webfont-charmap-5.15.4.json",
        "Font Awesome Free 5.15.4 Solid",
        "Font Awesome Free: icons CC-BY-4.0, font SIL OFL-1.1",
    ),
    IconFont(
        "fa5r",
        "fontawesome5-regular-webfont-5.15.4.ttf",
        "fontawesome5-regular-webfont-charmap-5.15.4.json",
        "Font Awesome Free 5.15.4 Regular",
        "Font Awesome Free: icons CC-BY-4.0, font SIL OFL-1.1",
    ),
    IconFont(
        "fa5b",
        "fontawesome5-brands-webfont-5.15.4.ttf",
        "fontawesome5-brands-webfont-charmap-5.15.4.json",
        "Font Awesome Free 5.15.4 Brands (Bluetooth only)",
        "Font Awesome Free: icons CC-BY-4.0, font SIL OFL-1.1",
    ),
    IconFont(
        "fa6s",
        "fontawesome6-solid-webfont-6.7.2.ttf",
        "fontawesome6-solid-webfont-charmap-6.7.2.json",
        "Font Awesome Free 6.7.2 Solid",
        "Font Awesome Free: icons CC-BY-4.0, font SIL OFL-1.1",
    ),
    IconFont(
        "fa6r",
        "fontawesome6-regular-webfont-6.7.2.ttf",
        "fontawesome6-regular-webfont-charmap-6.7.2.json",
        "Font Awesome Free 6.7.2 Regular",
        "Font Awesome Free: icons CC-BY-4.0, font SIL OFL-1.1",
    ),
    IconFont(
        "fa6b",
        "fontawesome6-brands-webfont-6.7.2.ttf",
        "fontawesome6-brands-webfont-charmap-6.7.2.json",
        "Font Awesome Free 6.7.2 Brands (Bluetooth only)",
        "Font Awesome Free: icons CC-BY-4.0, font SIL OFL-1.1",
    ),
    IconFont(
        "mdi6",
        "materialdesignicons6-webfont-6.9.96.ttf",
        "materialdesignicons6-webfont-charmap-6.9.96.json",
        "Material Design Icons 6.9.96 (Pictogrammers)",
        "Apache-2.0",
    ),
    IconFont(
        "ri",
        "remixicon-2.5.0.ttf",
        "remixicon-charmap-2.5.0.json",
        "Remix Icon 2.5.0",
        "Apache-2.0",
    ),
    IconFont(
        "msc",
        "codicon-0.0.36.ttf",
        "codicon-charmap-0.0.36.json",
        "Microsoft Codicons 0.0.36",
        "CC-BY-4.0",
    ),
    IconFont(
        "ei",
        "elusiveicons-webfont-2.0.ttf",
        "elusiveicons-webfont-charmap-2.0.json",
        "Elusive Icons 2.0",
        "SIL OFL-1.1",
    ),
    IconFont(
        "ph",
        "phosphor-1.3.0.ttf",
        "phosphor-charmap-1.3.0.json",
        "Phosphor 1.3.0",
        "MIT",
        "heldout",
    ),
)
SVG_SOURCE = "svg"  # our own assets/icons/*.svg, Apache-2.0 like gui-agent
SVG_LICENSE = "Apache-2.0"
FONT_BY_KEY = MappingProxyType({f.key: f for f in FONTS})


@dataclass(frozen=True, slots=True)
class Meaning:
    """One thing an icon can mean: its class name, the words for it, and the glyphs that draw it.

    ``words[0]`` is how the agent says it ("close"); every word is lower case and may be
    used by a query. ``glyphs`` maps a font key of ``FONTS`` (or ``"svg"``) to glyph names.
    """

    name: str
    words: tuple[str, ...]
    glyphs: MappingProxyType[str, tuple[str, ...]]


# How the table writes the two fonts whose glyphs come in families, to keep it readable:
# a Remix name stands for its "-line" and "-fill" glyphs ("=name" for one glyph as written);
# a Phosphor name for its five weights, "name:outline" for all but "-fill", "name:fill" for
# "-fill" alone (Phosphor's filled carets are triangles: drop-down arrows, not chevrons).
_PHOSPHOR_WEIGHTS = ("", "-bold", "-fill", "-light", "-thin")


def _expand(font: str, name: str) -> tuple[str, ...]:
    if font == "ri":
        return (name[1:],) if name.startswith("=") else (f"{name}-line", f"{name}-fill")
    if font == "ph":
        base, _, only = name.partition(":")
        if only == "fill":
            return (f"{base}-fill",)
        weights = [w for w in _PHOSPHOR_WEIGHTS if not (only == "outline" and w == "-fill")]
        return tuple(base + w for w in weights)
    return (name,)


def _m(name: str, words: tuple[str, ...], glyphs: dict[str, str]) -> Meaning:
    """A table row; glyph names are space-separated, in the shorthand described above."""
    expanded = {
        font: tuple(g for n in names.split() for g in _expand(font, n))
        for font, names in glyphs.items()
    }
    return Meaning(name, words, MappingProxyType(expanded))


MEANINGS: tuple[Meaning, ...] = (
    _m(
        "close",
        ("close", "x", "cross", "dismiss", "close tab"),
        {
            "fa5s": "times times-circle window-close",
            "fa5r": "times-circle window-close",
            "fa6s": "xmark circle-xmark rectangle-xmark",
            "fa6r": "circle-xmark rectangle-xmark",
            "mdi6": (
                "close close-circle close-circle-outline close-thick window-close close-box-outline"
            ),
            "ri": "close close-circle",
            "ph": "x x-circle x-square",
            "msc": "close chrome-close",
            "ei": "remove remove-circle remove-sign",
            "svg": "close",
        },
    ),
    _m(
        "minimise",
        ("minimise", "minimize", "minimise window", "minimize window"),
        {
            "fa5s": "window-minimize",
            "fa5r": "window-minimize",
            "fa6s": "window-minimize",
            "fa6r": "window-minimize",
            "mdi6": "window-minimize",
            "msc": "chrome-minimize",
        },
    ),
    _m(
        "maximise",
        ("maximise", "maximize", "maximise window", "maximize window"),
        {
            "fa5s": "window-maximize",
            "fa5r": "window-maximize",
            "fa6s": "window-maximize",
            "fa6r": "window-maximize",
            "mdi6": "window-maximize",
            "msc": "chrome-maximize",
        },
    ),
    _m(
        "restore",
        ("restore", "restore down", "restore window", "unmaximise", "unmaximize"),
        {
            "fa5s": "window-restore",
            "fa5r": "window-restore",
            "fa6s": "window-restore",
            "fa6r": "window-restore",
            "mdi6": "window-restore",
            "msc": "chrome-restore",
        },
    ),
    _m(
        "back",
        ("back", "go back", "left arrow", "arrow left"),
        {
            "fa5s": "arrow-left long-arrow-alt-left arrow-circle-left arrow-alt-circle-left",
            "fa5r": "arrow-alt-circle-left",
            "fa6s": "arrow-left circle-arrow-left left-long",
            "mdi6": (
                "arrow-left arrow-left-bold arrow-left-circle arrow-left-thick keyboard-backspace"
            ),
            "ri": "arrow-left arrow-left-circle",
            "ph": "arrow-left arrow-circle-left",
            "msc": "arrow-left arrow-small-left",
            "ei": "arrow-left circle-arrow-left",
        },
    ),
    _m(
        "forward",
        ("forward", "go forward", "right arrow", "arrow right"),
        {
            "fa5s": ("arrow-right long-arrow-alt-right arrow-circle-right arrow-alt-circle-right"),
            "fa5r": "arrow-alt-circle-right",
            "fa6s": "arrow-right circle-arrow-right right-long",
            "mdi6": "arrow-right arrow-right-bold arrow-right-circle arrow-right-thick",
            "ri": "arrow-right arrow-right-circle",
            "ph": "arrow-right arrow-circle-right",
            "msc": "arrow-right arrow-small-right",
            "ei": "arrow-right circle-arrow-right",
        },
    ),
    _m(
        "up",
        ("up", "up arrow", "arrow up", "move up", "scroll up"),
        {
            "fa5s": "arrow-up long-arrow-alt-up arrow-circle-up arrow-alt-circle-up",
            "fa5r": "arrow-alt-circle-up",
            "fa6s": "arrow-up circle-arrow-up up-long",
            "mdi6": "arrow-up arrow-up-bold arrow-up-circle arrow-up-thick",
            "ri": "arrow-up arrow-up-circle",
            "ph": "arrow-up arrow-circle-up",
            "msc": "arrow-up arrow-small-up",
            "ei": "arrow-up circle-arrow-up",
        },
    ),
    _m(
        "down",
        ("down", "down arrow", "arrow down", "move down", "scroll down"),
        {
            "fa5s": "arrow-down long-arrow-alt-down arrow-circle-down arrow-alt-circle-down",
            "fa5r": "arrow-alt-circle-down",
            "fa6s": "arrow-down circle-arrow-down down-long",
            "mdi6": "arrow-down arrow-down-bold arrow-down-circle arrow-down-thick",
            "ri": "arrow-down arrow-down-circle",
            "ph": "arrow-down arrow-circle-down",
            "msc": "arrow-down arrow-small-down",
            "ei": "arrow-down circle-arrow-down",
        },
    ),
    _m(
        "refresh",
        ("refresh", "reload", "retry", "sync"),
        {
            "fa5s": "sync sync-alt redo-alt redo",
            "fa6s": "arrows-rotate rotate-right rotate arrow-rotate-right",
            "mdi6": "refresh reload sync autorenew refresh-circle",
            "ri": "refresh restart",
            "ph": "arrows-clockwise arrow-clockwise arrows-counter-clockwise",
            "msc": "refresh sync",
            "ei": "refresh",
            "svg": "refresh",
        },
    ),
    _m(
        "home",
        ("home", "house", "home page", "start page"),
        {
            "fa5s": "home",
            "fa6s": "house",
            "mdi6": "home home-outline home-variant home-variant-outline",
            "ri": "home home-2 home-4",
            "ph": "house house-simple house-line",
            "msc": "home",
            "ei": "home home-alt",
            "svg": "home",
        },
    ),
    _m(
        "search",
        ("search", "find", "magnifier", "magnifying glass", "look up"),
        {
            "fa5s": "search",
            "fa6s": "magnifying-glass",
            "mdi6": "magnify",
            "ri": "search search-2",
            "ph": "magnifying-glass",
            "msc": "search",
            "ei": "search search-alt",
            "svg": "search",
        },
    ),
    _m(
        "settings",
        ("settings", "gear", "cog", "preferences", "options", "configure"),
        {
            "fa5s": "cog cogs",
            "fa6s": "gear gears",
            "mdi6": "cog cog-outline cogs",
            "ri": "settings settings-2 settings-3 settings-4 settings-5",
            "ph": "gear gear-six",
            "msc": "gear settings-gear",
            "ei": "cog cog-alt",
            "svg": "gear",
        },
    ),
    _m(
        "menu",
        ("menu", "hamburger", "hamburger menu", "main menu", "navigation menu"),
        {
            "fa5s": "bars",
            "fa6s": "bars",
            "mdi6": "menu hamburger",
            "ri": "menu menu-2",
            "ph": "list",
            "msc": "menu",
            "ei": "lines",
        },
    ),
    _m(
        "more",
        ("more", "more options", "overflow", "kebab", "three dots", "ellipsis", "meatballs"),
        {
            "fa5s": "ellipsis-h ellipsis-v",
            "fa6s": "ellipsis ellipsis-vertical",
            "mdi6": ("dots-vertical dots-horizontal dots-vertical-circle dots-horizontal-circle"),
            "ri": "more more-2",
            "ph": ("dots-three dots-three-vertical dots-three-outline dots-three-outline-vertical"),
            "msc": "ellipsis kebab-vertical",
        },
    ),
    _m(
        "add",
        ("add", "plus", "new", "create", "add item"),
        {
            "fa5s": "plus plus-circle plus-square",
            "fa5r": "plus-square",
            "fa6s": "plus circle-plus square-plus",
            "fa6r": "square-plus",
            "mdi6": "plus plus-circle plus-box plus-thick plus-circle-outline",
            "ri": "add add-circle add-box",
            "ph": "plus plus-circle",
            "msc": "add diff-added",
            "ei": "plus plus-sign",
            "svg": "plus",
        },
    ),
    _m(
        "remove",
        ("remove", "minus", "subtract", "decrease"),
        {
            "fa5s": "minus minus-circle minus-square",
            "fa5r": "minus-square",
            "fa6s": "minus circle-minus square-minus",
            "fa6r": "square-minus",
            "mdi6": "minus minus-circle minus-box minus-thick minus-circle-outline",
            "ri": "indeterminate-circle",
            "ph": "minus minus-circle",
            "msc": "remove diff-removed",
            "ei": "minus minus-sign",
            "svg": "minus",
        },
    ),
    _m(
        "edit",
        ("edit", "pencil", "rename", "modify", "pen"),
        {
            "fa5s": "edit pen pencil-alt pen-square",
            "fa5r": "edit",
            "fa6s": "pen pencil pen-to-square",
            "fa6r": "pen-to-square",
            "mdi6": "pencil pencil-outline square-edit-outline lead-pencil",
            "ri": "edit edit-2 pencil edit-box pen-nib",
            "ph": "pencil pencil-simple pencil-line note-pencil",
            "msc": "edit",
            "ei": "pencil edit pencil-alt",
            "svg": "edit",
        },
    ),
    _m(
        "delete",
        ("delete", "trash", "bin", "trash can", "rubbish bin", "discard", "wastebasket"),
        {
            "fa5s": "trash trash-alt",
            "fa5r": "trash-alt",
            "fa6s": "trash trash-can",
            "fa6r": "trash-can",
            "mdi6": "delete delete-outline trash-can trash-can-outline delete-forever",
            "ri": "delete-bin delete-bin-2 delete-bin-5 delete-bin-6",
            "ph": "trash trash-simple",
            "msc": "trash",
            "ei": "trash trash-alt",
            "svg": "trash",
        },
    ),
    _m(
        "save",
        ("save", "floppy", "floppy disk", "store"),
        {
            "fa5s": "save",
            "fa5r": "save",
            "fa6s": "floppy-disk",
            "fa6r": "floppy-disk",
            "mdi6": "content-save content-save-outline floppy",
            "ri": "save save-2 save-3",
            "ph": "floppy-disk floppy-disk-back",
            "msc": "save",
            "svg": "save",
        },
    ),
    _m(
        "download",
        ("download", "get file"),
        {
            "fa5s": "download file-download",
            "fa6s": "download circle-down",
            "fa6r": "circle-down",
            "mdi6": "download download-outline tray-arrow-down download-circle",
            "ri": "download download-2",
            "ph": "download-simple download arrow-line-down",
            "msc": "cloud-download desktop-download",
            "ei": "download download-alt",
            "svg": "download",
        },
    ),
    _m(
        "upload",
        ("upload", "put file"),
        {
            "fa5s": "upload file-upload",
            "fa6s": "upload arrow-up-from-bracket",
            "mdi6": "upload upload-outline tray-arrow-up",
            "ri": "upload upload-2",
            "ph": "upload-simple upload arrow-line-up",
            "msc": "cloud-upload",
            "ei": "upload",
            "svg": "upload",
        },
    ),
    _m(
        "share",
        ("share", "share link", "send to"),
        {
            "fa5s": "share-alt share share-square",
            "fa5r": "share-square",
            "fa6s": "share-nodes share share-from-square",
            "fa6r": "share-from-square",
            "mdi6": "share share-variant share-variant-outline export-variant share-outline",
            "ri": "share share-box share-forward",
            "ph": "share-network share export",
            "msc": "export",
            "ei": "share share-alt",
        },
    ),
    _m(
        "copy",
        ("copy", "duplicate", "clone"),
        {
            "fa5s": "copy clone",
            "fa5r": "copy clone",
            "fa6s": "copy clone",
            "fa6r": "copy clone",
            "mdi6": "content-copy content-duplicate checkbox-multiple-blank-outline",
            "ri": "file-copy file-copy-2 checkbox-multiple-blank",
            "ph": "copy copy-simple",
            "msc": "copy",
            "svg": "copy",
        },
    ),
    _m(
        "paste",
        ("paste", "clipboard"),
        {
            "fa5s": "paste clipboard",
            "fa5r": "clipboard",
            "fa6s": "paste clipboard",
            "fa6r": "paste clipboard",
            "mdi6": "content-paste clipboard-outline clipboard",
            "ri": "clipboard",
            "ph": "clipboard clipboard-text",
            "msc": "clippy",
        },
    ),
    _m(
        "cut",
        ("cut", "scissors"),
        {
            "fa5s": "cut",
            "fa6s": "scissors",
            "mdi6": "content-cut scissors-cutting",
            "ri": "scissors scissors-2 scissors-cut",
            "ph": "scissors",
            "ei": "scissors",
        },
    ),
    _m(
        "undo",
        ("undo", "revert", "step back"),
        {
            "fa5s": "undo undo-alt",
            "fa6s": "rotate-left arrow-rotate-left",
            "mdi6": "undo undo-variant arrow-u-left-top",
            "ri": "arrow-go-back",
            "ph": "arrow-counter-clockwise arrow-u-up-left arrow-u-down-left",
            "msc": "discard",
        },
    ),
    _m(
        "redo",
        ("redo", "repeat last", "step forward"),
        {
            "mdi6": "redo redo-variant arrow-u-right-top",
            "ri": "arrow-go-forward",
            "ph": "arrow-u-up-right arrow-u-down-right",
            "msc": "redo",
        },
    ),
    _m(
        "print",
        ("print", "printer"),
        {
            "fa5s": "print",
            "fa6s": "print",
            "mdi6": "printer printer-outline",
            "ri": "printer printer-cloud",
            "ph": "printer",
            "ei": "print",
            "svg": "print",
        },
    ),
    _m(
        "folder",
        ("folder", "directory", "open folder", "browse"),
        {
            "fa5s": "folder folder-open",
            "fa5r": "folder folder-open",
            "fa6s": "folder folder-open",
            "fa6r": "folder folder-open",
            "mdi6": "folder folder-outline folder-open folder-open-outline",
            "ri": "folder folder-open folder-2 folder-3",
            "ph": "folder folder-simple folder-open folder-notch",
            "msc": "folder folder-opened",
            "ei": "folder folder-open folder-close",
            "svg": "folder",
        },
    ),
    _m(
        "file",
        ("file", "document", "page", "new file"),
        {
            "fa5s": "file file-alt",
            "fa5r": "file file-alt",
            "fa6s": "file file-lines",
            "fa6r": "file file-lines",
            "mdi6": "file file-outline file-document file-document-outline",
            "ri": "file file-text file-2",
            "ph": "file file-text",
            "msc": "file new-file",
            "ei": "file file-alt",
        },
    ),
    _m(
        "attach",
        ("attach", "attachment", "paperclip", "paper clip"),
        {
            "fa5s": "paperclip",
            "fa6s": "paperclip",
            "mdi6": "paperclip attachment",
            "ri": "attachment =attachment-2",
            "ph": "paperclip paperclip-horizontal",
            "ei": "paper-clip paper-clip-alt",
        },
    ),
    _m(
        "send",
        ("send", "submit", "send message"),
        {
            "fa5s": "paper-plane",
            "fa5r": "paper-plane",
            "fa6s": "paper-plane",
            "fa6r": "paper-plane",
            "mdi6": "send send-outline",
            "ri": "send-plane send-plane-2",
            "ph": "paper-plane-right paper-plane paper-plane-tilt",
            "msc": "send",
        },
    ),
    _m(
        "mail",
        ("mail", "email", "e-mail", "envelope", "inbox", "message"),
        {
            "fa5s": "envelope envelope-open",
            "fa5r": "envelope envelope-open",
            "fa6s": "envelope envelope-open",
            "fa6r": "envelope envelope-open",
            "mdi6": "email email-outline email-open-outline",
            "ri": "mail mail-open",
            "ph": "envelope envelope-simple envelope-open",
            "msc": "mail mail-read",
            "ei": "envelope envelope-alt",
            "svg": "mail",
        },
    ),
    _m(
        "user",
        ("user", "account", "person", "profile", "avatar"),
        {
            "fa5s": "user user-circle",
            "fa5r": "user user-circle",
            "fa6s": "user circle-user",
            "fa6r": "user circle-user",
            "mdi6": "account account-outline account-circle account-circle-outline",
            "ri": "user user-3 account-circle user-4",
            "ph": "user user-circle",
            "msc": "account person",
            "ei": "user torso adult",
            "svg": "user",
        },
    ),
    _m(
        "lock",
        ("lock", "locked", "padlock", "secure"),
        {
            "fa5s": "lock",
            "fa6s": "lock",
            "mdi6": "lock lock-outline",
            "ri": "lock lock-2",
            "ph": "lock lock-simple lock-key",
            "msc": "lock",
            "ei": "lock lock-alt",
            "svg": "lock",
        },
    ),
    _m(
        "unlock",
        ("unlock", "unlocked", "open lock"),
        {
            "fa5s": "unlock lock-open unlock-alt",
            "fa6s": "unlock lock-open",
            "mdi6": "lock-open lock-open-outline lock-open-variant lock-open-variant-outline",
            "ri": "lock-unlock",
            "ph": "lock-open lock-simple-open lock-key-open",
            "msc": "unlock",
            "ei": "unlock unlock-alt",
        },
    ),
    _m(
        "star",
        ("star", "favourite", "favorite", "rate"),
        {
            "fa5s": "star",
            "fa5r": "star",
            "fa6s": "star",
            "fa6r": "star",
            "mdi6": "star star-outline",
            "ri": "star",
            "ph": "star",
            "msc": "star-empty star-full",
            "ei": "star star-empty",
            "svg": "star",
        },
    ),
    _m(
        "heart",
        ("heart", "like", "love"),
        {
            "fa5s": "heart",
            "fa5r": "heart",
            "fa6s": "heart",
            "fa6r": "heart",
            "mdi6": "heart heart-outline",
            "ri": "heart heart-3",
            "ph": "heart heart-straight",
            "msc": "heart",
            "ei": "heart heart-alt heart-empty",
            "svg": "heart",
        },
    ),
    _m(
        "bell",
        ("bell", "notification", "notifications", "alert", "alerts"),
        {
            "fa5s": "bell",
            "fa5r": "bell",
            "fa6s": "bell",
            "fa6r": "bell",
            "mdi6": "bell bell-outline bell-ring-outline",
            "ri": "notification notification-2 notification-3",
            "ph": "bell bell-simple bell-ringing",
            "msc": "bell",
            "ei": "bell",
            "svg": "bell",
        },
    ),
    _m(
        "info",
        ("info", "information", "about", "details"),
        {
            "fa5s": "info-circle info",
            "fa6s": "info circle-info",
            "mdi6": "information information-outline information-variant",
            "ri": "information",
            "ph": "info",
            "msc": "info",
            "ei": "info-circle",
            "svg": "info",
        },
    ),
    _m(
        "help",
        ("help", "question", "question mark", "faq", "support"),
        {
            "fa5s": "question-circle question",
            "fa5r": "question-circle",
            "fa6s": "question circle-question",
            "fa6r": "circle-question",
            "mdi6": "help-circle help-circle-outline help",
            "ri": "question =question-mark",
            "ph": "question",
            "msc": "question",
            "ei": "question question-sign",
        },
    ),
    _m(
        "warning",
        ("warning", "caution", "exclamation", "attention"),
        {
            "fa5s": "exclamation-triangle exclamation-circle exclamation",
            "fa6s": "triangle-exclamation circle-exclamation exclamation",
            "mdi6": "alert alert-outline alert-circle alert-circle-outline",
            "ri": "error-warning alert",
            "ph": "warning warning-circle",
            "msc": "warning",
            "ei": "warning-sign exclamation-sign",
        },
    ),
    _m(
        "error",
        ("error", "failed", "forbidden", "no entry", "blocked"),
        {
            "fa5s": "ban",
            "fa6s": "ban",
            "mdi6": "cancel alert-octagon close-octagon block-helper",
            "ri": "forbid forbid-2 spam",
            "ph": "prohibit warning-octagon prohibit-inset",
            "msc": "error circle-slash",
            "ei": "ban-circle",
        },
    ),
    _m(
        "check",
        ("check", "ok", "okay", "done", "confirm", "tick", "accept", "apply"),
        {
            "fa5s": "check check-circle",
            "fa5r": "check-circle",
            "fa6s": "check circle-check",
            "fa6r": "circle-check",
            "mdi6": "check check-bold check-circle check-circle-outline",
            "ri": "check checkbox-circle check-double",
            "ph": "check check-circle",
            "msc": "check pass",
            "ei": "ok ok-sign ok-circle",
        },
    ),
    _m(
        "play",
        ("play", "start", "run", "resume"),
        {
            "fa5s": "play play-circle",
            "fa5r": "play-circle",
            "fa6s": "play circle-play",
            "fa6r": "circle-play",
            "mdi6": "play play-circle play-circle-outline play-outline",
            "ri": "play play-circle play-mini",
            "ph": "play play-circle",
            "msc": "play run",
            "ei": "play play-circle",
            "svg": "play",
        },
    ),
    _m(
        "pause",
        ("pause", "hold"),
        {
            "fa5s": "pause pause-circle",
            "fa5r": "pause-circle",
            "fa6s": "pause circle-pause",
            "fa6r": "circle-pause",
            "mdi6": "pause pause-circle pause-circle-outline",
            "ri": "pause pause-circle pause-mini",
            "ph": "pause pause-circle",
            "msc": "debug-pause",
            "ei": "pause",
            "svg": "pause",
        },
    ),
    _m(
        "stop",
        ("stop", "halt"),
        {
            "fa5s": "stop stop-circle",
            "fa5r": "stop-circle",
            "fa6s": "stop circle-stop",
            "fa6r": "circle-stop",
            "mdi6": "stop stop-circle stop-circle-outline",
            "ri": "stop stop-circle stop-mini",
            "ph": "stop stop-circle",
            "msc": "debug-stop primitive-square",
            "ei": "stop",
        },
    ),
    _m(
        "skip_next",
        ("skip next", "next track", "skip forward", "next song", "fast forward"),
        {
            "fa5s": "step-forward fast-forward forward",
            "fa6s": "forward-step forward",
            "mdi6": "skip-next skip-next-outline fast-forward skip-forward",
            "ri": "skip-forward speed",
            "ph": "skip-forward fast-forward",
            "ei": "step-forward fast-forward",
        },
    ),
    _m(
        "skip_previous",
        ("skip previous", "previous track", "skip back", "previous song", "rewind"),
        {
            "fa5s": "step-backward fast-backward backward",
            "fa6s": "backward-step backward",
            "mdi6": "skip-previous skip-previous-outline rewind skip-backward",
            "ri": "skip-back rewind",
            "ph": "skip-back rewind",
            "ei": "step-backward fast-backward",
        },
    ),
    _m(
        "volume",
        ("volume", "sound", "speaker", "audio", "unmute"),
        {
            "fa5s": "volume-up volume-down",
            "fa6s": "volume-high volume-low",
            "mdi6": "volume-high volume-medium volume-low",
            "ri": "volume-up volume-down",
            "ph": "speaker-high speaker-simple-high speaker-low",
            "msc": "unmute",
            "ei": "volume-up volume-down",
        },
    ),
    _m(
        "mute",
        ("mute", "muted", "sound off", "volume off", "silence"),
        {
            "fa5s": "volume-mute volume-off",
            "fa6s": "volume-off volume-xmark",
            "mdi6": "volume-off volume-mute volume-variant-off",
            "ri": "volume-mute volume-off-vibrate",
            "ph": "speaker-x speaker-slash speaker-simple-x speaker-simple-slash",
            "msc": "mute",
            "ei": "volume-off",
        },
    ),
    _m(
        "mic",
        ("mic", "microphone", "voice", "record audio", "dictate"),
        {
            "fa5s": "microphone microphone-alt",
            "fa6s": "microphone microphone-lines",
            "mdi6": "microphone microphone-outline microphone-variant",
            "ri": "mic mic-2",
            "ph": "microphone",
            "msc": "mic",
            "ei": "mic",
        },
    ),
    _m(
        "camera",
        ("camera", "photo", "take photo", "snapshot"),
        {
            "fa5s": "camera camera-retro",
            "fa6s": "camera camera-retro",
            "mdi6": "camera camera-outline",
            "ri": "camera camera-2 camera-3",
            "ph": "camera",
            "msc": "device-camera",
            "ei": "camera",
        },
    ),
    _m(
        "image",
        ("image", "picture", "photo library", "gallery", "insert image"),
        {
            "fa5s": "image images file-image",
            "fa5r": "image images file-image",
            "fa6s": "image images file-image",
            "fa6r": "image images file-image",
            "mdi6": "image image-outline image-multiple panorama-variant-outline",
            "ri": "image image-2 gallery",
            "ph": "image image-square",
            "msc": "file-media",
            "ei": "picture photo photo-alt",
        },
    ),
    _m(
        "video",
        ("video", "movie", "film", "video camera", "record video"),
        {
            "fa5s": "video film",
            "fa6s": "video film photo-film",
            "mdi6": "video video-outline filmstrip movie-open-outline",
            "ri": "video film vidicon movie",
            "ph": "video-camera film-strip",
            "msc": "device-camera-video",
            "ei": "video film video-alt",
        },
    ),
    _m(
        "subtitles",
        ("subtitles", "captions", "closed captions", "cc"),
        {
            "fa5s": "closed-captioning",
            "fa5r": "closed-captioning",
            "fa6s": "closed-captioning",
            "fa6r": "closed-captioning",
            "mdi6": "subtitles subtitles-outline closed-caption closed-caption-outline",
            "ri": "closed-captioning",
            "ph": "closed-captioning",
            "ei": "cc",
        },
    ),
    _m(
        "fullscreen",
        ("fullscreen", "full screen", "enter full screen", "expand view"),
        {
            "fa5s": "expand expand-alt expand-arrows-alt",
            "fa6s": "expand up-right-and-down-left-from-center maximize",
            "mdi6": "fullscreen arrow-expand-all arrow-expand",
            "ri": "fullscreen",
            "ph": "corners-out arrows-out arrows-out-simple frame-corners",
            "msc": "screen-full",
            "ei": "resize-full fullscreen",
        },
    ),
    _m(
        "exit_fullscreen",
        ("exit fullscreen", "exit full screen", "leave full screen", "windowed"),
        {
            "fa5s": "compress compress-alt compress-arrows-alt",
            "fa6s": "compress down-left-and-up-right-to-center minimize",
            "mdi6": "fullscreen-exit arrow-collapse-all arrow-collapse",
            "ri": "fullscreen-exit",
            "ph": "corners-in arrows-in arrows-in-simple",
            "msc": "screen-normal",
            "ei": "resize-small",
        },
    ),
    _m(
        "zoom_in",
        ("zoom in", "magnify", "enlarge", "bigger"),
        {
            "fa5s": "search-plus",
            "fa6s": "magnifying-glass-plus",
            "mdi6": "magnify-plus magnify-plus-outline",
            "ri": "zoom-in",
            "ph": "magnifying-glass-plus",
            "msc": "zoom-in",
            "ei": "zoom-in",
        },
    ),
    _m(
        "zoom_out",
        ("zoom out", "shrink", "smaller"),
        {
            "fa5s": "search-minus",
            "fa6s": "magnifying-glass-minus",
            "mdi6": "magnify-minus magnify-minus-outline",
            "ri": "zoom-out",
            "ph": "magnifying-glass-minus",
            "msc": "zoom-out",
            "ei": "zoom-out",
        },
    ),
    _m(
        "bold",
        ("bold", "bold text", "strong"),
        {
            "fa5s": "bold",
            "fa6s": "bold",
            "mdi6": "format-bold",
            "ri": "=bold",
            "ph": "text-bolder",
            "msc": "bold",
            "ei": "bold",
        },
    ),
    _m(
        "italic",
        ("italic", "italics", "emphasis", "slanted"),
        {
            "fa5s": "italic",
            "fa6s": "italic",
            "mdi6": "format-italic",
            "ri": "=italic",
            "ph": "text-italic",
            "msc": "italic",
            "ei": "italic",
        },
    ),
    _m(
        "underline",
        ("underline", "underlined"),
        {
            "fa5s": "underline",
            "fa6s": "underline",
            "mdi6": "format-underline",
            "ri": "=underline",
            "ph": "text-underline",
        },
    ),
    _m(
        "strikethrough",
        ("strikethrough", "strike through", "strike", "crossed out"),
        {
            "fa5s": "strikethrough",
            "fa6s": "strikethrough",
            "mdi6": "format-strikethrough format-strikethrough-variant",
            "ri": "=strikethrough =strikethrough-2",
            "ph": "text-strikethrough",
        },
    ),
    _m(
        "align_left",
        ("align left", "left align", "left justify"),
        {
            "fa5s": "align-left",
            "fa6s": "align-left",
            "mdi6": "format-align-left",
            "ri": "=align-left",
            "ph": "text-align-left",
            "ei": "align-left",
        },
    ),
    _m(
        "align_center",
        ("align centre", "align center", "centre", "center", "centred", "centered"),
        {
            "fa5s": "align-center",
            "fa6s": "align-center",
            "mdi6": "format-align-center",
            "ri": "=align-center",
            "ph": "text-align-center",
            "ei": "align-center",
        },
    ),
    _m(
        "align_right",
        ("align right", "right align", "right justify"),
        {
            "fa5s": "align-right",
            "fa6s": "align-right",
            "mdi6": "format-align-right",
            "ri": "=align-right",
            "ph": "text-align-right",
            "ei": "align-right",
        },
    ),
    _m(
        "bullet_list",
        ("bulleted list", "bullet list", "bullets", "unordered list", "list"),
        {
            "fa5s": "list list-ul",
            "fa6s": "list list-ul",
            "mdi6": "format-list-bulleted format-list-bulleted-square view-list",
            "ri": "=list-unordered =list-check",
            "ph": "list-bullets",
            "msc": "list-unordered",
            "ei": "list th-list",
        },
    ),
    _m(
        "numbered_list",
        ("numbered list", "number list", "ordered list", "numbering"),
        {
            "fa5s": "list-ol",
            "fa6s": "list-ol",
            "mdi6": "format-list-numbered",
            "ri": "=list-ordered",
            "ph": "list-numbers",
            "msc": "list-ordered",
        },
    ),
    _m(
        "grid",
        ("grid", "grid view", "apps", "app grid", "all apps", "app launcher", "tiles", "dashboard"),
        {
            "fa5s": "th th-large border-all",
            "fa6s": "table-cells table-cells-large border-all",
            "mdi6": "view-grid view-grid-outline apps view-module dots-grid grid",
            "ri": "apps apps-2 layout-grid grid function",
            "ph": "squares-four dots-nine grid-four",
            "ei": "th th-large",
        },
    ),
    _m(
        "filter",
        ("filter", "funnel", "refine"),
        {
            "fa5s": "filter",
            "fa6s": "filter",
            "mdi6": "filter filter-outline filter-variant",
            "ri": "filter filter-2 filter-3",
            "ph": "funnel funnel-simple",
            "msc": "filter filter-filled",
            "ei": "filter",
        },
    ),
    _m(
        "sort",
        ("sort", "order", "sort by", "arrange"),
        {
            "fa5s": "sort sort-amount-down sort-amount-up sort-alpha-down",
            "fa6s": "sort arrow-down-wide-short arrow-down-a-z arrow-up-wide-short",
            "mdi6": (
                "sort sort-ascending sort-descending sort-variant sort-alphabetical-ascending"
            ),
            "ri": "=sort-asc =sort-desc",
            "ph": "sort-ascending sort-descending arrows-down-up",
            "msc": "sort-precedence",
        },
    ),
    _m(
        "calendar",
        ("calendar", "date", "schedule", "pick date", "events"),
        {
            "fa5s": "calendar calendar-alt calendar-check",
            "fa5r": "calendar calendar-alt calendar-check",
            "fa6s": "calendar calendar-days calendar-check",
            "fa6r": "calendar calendar-days calendar-check",
            "mdi6": (
                "calendar calendar-month calendar-blank calendar-outline calendar-month-outline"
            ),
            "ri": "calendar calendar-2 calendar-event calendar-todo",
            "ph": "calendar calendar-blank",
            "msc": "calendar",
            "ei": "calendar calendar-sign",
            "svg": "calendar",
        },
    ),
    _m(
        "clock",
        ("clock", "time", "history", "recent", "timer"),
        {
            "fa5s": "clock history",
            "fa5r": "clock",
            "fa6s": "clock clock-rotate-left",
            "fa6r": "clock",
            "mdi6": "clock clock-outline clock-time-four-outline history",
            "ri": "time history timer",
            "ph": "clock clock-counter-clockwise timer",
            "msc": "clock history watch",
            "ei": "time time-alt",
        },
    ),
    _m(
        "expand",
        ("expand", "chevron down", "open section", "show more"),
        {
            "fa5s": "chevron-down angle-down chevron-circle-down angle-double-down",
            "fa6s": "chevron-down angle-down circle-chevron-down",
            "mdi6": "chevron-down chevron-down-circle chevron-double-down",
            "ri": "arrow-down-s",
            "ph": "caret-down:outline caret-circle-down caret-double-down:outline",
            "msc": "chevron-down",
            "ei": "chevron-down",
        },
    ),
    _m(
        "collapse",
        ("collapse", "chevron up", "close section", "show less"),
        {
            "fa5s": "chevron-up angle-up chevron-circle-up angle-double-up",
            "fa6s": "chevron-up angle-up circle-chevron-up",
            "mdi6": "chevron-up chevron-up-circle chevron-double-up",
            "ri": "arrow-up-s",
            "ph": "caret-up:outline caret-circle-up caret-double-up:outline",
            "msc": "chevron-up",
            "ei": "chevron-up",
        },
    ),
    _m(
        "chevron_left",
        ("chevron left", "previous", "prev", "previous page"),
        {
            "fa5s": "chevron-left angle-left chevron-circle-left angle-double-left",
            "fa6s": "chevron-left angle-left circle-chevron-left",
            "mdi6": "chevron-left chevron-left-circle chevron-double-left",
            "ri": "arrow-left-s",
            "ph": "caret-left:outline caret-circle-left caret-double-left:outline",
            "msc": "chevron-left",
            "ei": "chevron-left",
        },
    ),
    _m(
        "chevron_right",
        ("chevron right", "next", "next page", "open"),
        {
            "fa5s": "chevron-right angle-right chevron-circle-right angle-double-right",
            "fa6s": "chevron-right angle-right circle-chevron-right",
            "mdi6": "chevron-right chevron-right-circle chevron-double-right",
            "ri": "arrow-right-s",
            "ph": "caret-right:outline caret-circle-right caret-double-right:outline",
            "msc": "chevron-right",
            "ei": "chevron-right",
        },
    ),
    _m(
        "dropdown",
        (
            "dropdown",
            "drop-down",
            "drop down",
            "caret",
            "caret down",
            "triangle down",
            "pop-up menu",
        ),
        {
            "fa5s": "caret-down sort-down",
            "fa6s": "caret-down sort-down",
            "mdi6": "menu-down triangle-down menu-down-outline",
            "ri": "arrow-drop-down",
            "ph": "caret-down:fill",
            "msc": "triangle-down",
            "ei": "caret-down",
        },
    ),
    _m(
        "link",
        ("link", "hyperlink", "url", "chain"),
        {
            "fa5s": "link",
            "fa6s": "link",
            "mdi6": "link link-variant",
            "ri": "=link =link-m",
            "ph": "link link-simple",
            "msc": "link",
            "ei": "link",
        },
    ),
    _m(
        "cloud",
        ("cloud", "cloud storage", "sync to cloud"),
        {
            "fa5s": "cloud",
            "fa6s": "cloud",
            "mdi6": "cloud cloud-outline",
            "ri": "cloud cloudy",
            "ph": "cloud",
            "msc": "cloud",
            "ei": "cloud cloud-alt",
        },
    ),
    _m(
        "bookmark",
        ("bookmark", "bookmarks", "save for later", "ribbon"),
        {
            "fa5s": "bookmark",
            "fa5r": "bookmark",
            "fa6s": "bookmark",
            "fa6r": "bookmark",
            "mdi6": "bookmark bookmark-outline",
            "ri": "bookmark bookmark-2 bookmark-3",
            "ph": "bookmark bookmark-simple",
            "msc": "bookmark",
            "ei": "bookmark bookmark-empty",
        },
    ),
    _m(
        "tag",
        ("tag", "label", "labels", "price tag"),
        {
            "fa5s": "tag tags",
            "fa6s": "tag tags",
            "mdi6": "tag tag-outline label label-outline",
            "ri": "price-tag price-tag-3",
            "ph": "tag tag-simple",
            "msc": "tag",
            "ei": "tag tags",
        },
    ),
    _m(
        "pin",
        ("pin", "pushpin", "pin to top", "thumbtack"),
        {
            "fa5s": "thumbtack",
            "fa6s": "thumbtack",
            "mdi6": "pin pin-outline",
            "ri": "pushpin pushpin-2",
            "ph": "push-pin push-pin-simple",
            "msc": "pin pinned",
        },
    ),
    _m(
        "location",
        ("location", "map marker", "place", "map pin", "address", "gps"),
        {
            "fa5s": "map-marker-alt map-marker",
            "fa6s": "location-dot location-pin",
            "mdi6": "map-marker map-marker-outline map-marker-radius",
            "ri": "map-pin map-pin-2",
            "ph": "map-pin map-pin-line",
            "msc": "location",
            "ei": "map-marker map-marker-alt",
        },
    ),
    _m(
        "phone",
        ("phone", "call", "telephone", "dial"),
        {
            "fa5s": "phone phone-alt",
            "fa6s": "phone phone-flip",
            "mdi6": "phone phone-outline phone-classic",
            "ri": "phone",
            "ph": "phone",
            "ei": "phone phone-alt",
        },
    ),
    _m(
        "chat",
        ("chat", "comment", "comments", "messages", "conversation", "speech bubble"),
        {
            "fa5s": "comment comments comment-alt comment-dots",
            "fa5r": "comment comments comment-alt comment-dots",
            "fa6s": "comment comments comment-dots message",
            "fa6r": "comment comments comment-dots message",
            "mdi6": "chat chat-outline message message-outline comment-outline forum",
            "ri": "chat-1 chat-3 message message-2 chat-4",
            "ph": "chat chat-circle chat-text chats",
            "msc": "comment comment-discussion",
            "ei": "comment comment-alt",
        },
    ),
    _m(
        "show",
        ("show", "eye", "view", "visible", "show password", "reveal"),
        {
            "fa5s": "eye",
            "fa5r": "eye",
            "fa6s": "eye",
            "fa6r": "eye",
            "mdi6": "eye eye-outline",
            "ri": "eye eye-2",
            "ph": "eye",
            "msc": "eye",
            "ei": "eye-open",
        },
    ),
    _m(
        "hide",
        ("hide", "eye off", "hidden", "invisible", "hide password", "eye closed"),
        {
            "fa5s": "eye-slash",
            "fa5r": "eye-slash",
            "fa6s": "eye-slash",
            "fa6r": "eye-slash",
            "mdi6": "eye-off eye-off-outline",
            "ri": "eye-off eye-close",
            "ph": "eye-slash eye-closed",
            "msc": "eye-closed",
            "ei": "eye-close",
        },
    ),
    _m(
        "power",
        ("power", "shut down", "shutdown", "power off", "turn off", "on off"),
        {
            "fa5s": "power-off",
            "fa6s": "power-off",
            "mdi6": "power power-standby",
            "ri": "shut-down",
            "ph": "power",
            "ei": "off",
        },
    ),
    _m(
        "wifi",
        ("wifi", "wi-fi", "wireless", "network", "signal"),
        {
            "fa5s": "wifi",
            "fa6s": "wifi",
            "mdi6": "wifi wifi-strength-4",
            "ri": "wifi",
            "ph": "wifi-high wifi-medium",
        },
    ),
    _m(
        "bluetooth",
        ("bluetooth", "bluetooth settings", "pair device"),
        {
            "fa5b": "bluetooth bluetooth-b",
            "fa6b": "bluetooth bluetooth-b",
            "mdi6": "bluetooth",
            "ri": "bluetooth",
            "ph": "bluetooth",
        },
    ),
    _m(
        "battery",
        ("battery", "power level", "charge"),
        {
            "fa5s": "battery-full battery-three-quarters battery-half battery-empty",
            "fa6s": "battery-full battery-three-quarters battery-half battery-empty",
            "mdi6": "battery battery-outline battery-50 battery-80",
            "ri": "battery battery-2 battery-low",
            "ph": "battery-full battery-high battery-medium battery-empty",
        },
    ),
    _m(
        "globe",
        ("globe", "language", "languages", "world", "internet", "web", "browser"),
        {
            "fa5s": "globe globe-americas globe-europe language",
            "fa6s": "globe earth-americas language",
            "mdi6": "earth web translate globe-model",
            "ri": "global earth =translate =translate-2",
            "ph": "globe globe-simple globe-hemisphere-west translate",
            "msc": "globe",
            "ei": "globe globe-alt",
        },
    ),
    _m(
        "light_mode",
        ("light mode", "sun", "light theme", "brightness", "day mode"),
        {
            "fa5s": "sun",
            "fa5r": "sun",
            "fa6s": "sun",
            "fa6r": "sun",
            "mdi6": "white-balance-sunny weather-sunny brightness-5 brightness-7",
            "ri": "sun",
            "ph": "sun sun-dim",
        },
    ),
    _m(
        "dark_mode",
        ("dark mode", "moon", "dark theme", "night mode"),
        {
            "fa5s": "moon",
            "fa5r": "moon",
            "fa6s": "moon",
            "fa6r": "moon",
            "mdi6": "moon-waning-crescent weather-night brightness-3 moon-waxing-crescent",
            "ri": "moon moon-clear",
            "ph": "moon",
        },
    ),
    _m(
        "code",
        ("code", "source code", "developer", "embed"),
        {
            "fa5s": "code",
            "fa6s": "code",
            "mdi6": "code-tags code-braces xml",
            "ri": "code code-s-slash code-box",
            "ph": "code code-simple brackets-curly",
            "msc": "code json",
        },
    ),
    _m(
        "terminal",
        ("terminal", "console", "command line", "shell"),
        {
            "fa5s": "terminal",
            "fa6s": "terminal",
            "mdi6": "console console-line powershell",
            "ri": "terminal terminal-box terminal-window",
            "ph": "terminal terminal-window",
            "msc": "terminal",
        },
    ),
    _m(
        "extensions",
        ("extensions", "extension", "puzzle", "plugin", "plugins", "add-ons", "addons"),
        {
            "fa5s": "puzzle-piece",
            "fa6s": "puzzle-piece",
            "mdi6": "puzzle puzzle-outline toy-brick-outline",
            "ph": "puzzle-piece",
            "msc": "extensions",
            "ei": "puzzle",
        },
    ),
    _m(
        "sidebar",
        ("sidebar", "side panel", "toggle sidebar", "panel", "side bar"),
        {
            "fa5s": "columns",
            "fa6s": "table-columns",
            "mdi6": (
                "dock-left page-layout-sidebar-left dock-right "
                "page-layout-sidebar-right view-split-vertical"
            ),
            "ri": "layout-left layout-left-2 layout-right layout-column",
            "msc": "layout-sidebar-left layout-sidebar-right split-horizontal",
        },
    ),
)
MEANING_BY_NAME = MappingProxyType({m.name: m for m in MEANINGS})
# the classifier's classes, in output order: every meaning, then "none"
CLASSES: tuple[str, ...] = (*(m.name for m in MEANINGS), NONE_CLASS)


def words_of(meaning: str) -> tuple[str, ...]:
    """The words a query may use for ``meaning``; () for "none" or an unknown meaning."""
    m = MEANING_BY_NAME.get(meaning)
    return m.words if m is not None else ()


def meaning_of_word(word: str) -> str | None:
    """The meaning a query word names ("bin" -> "delete"), or None."""
    return _WORD_INDEX.get(" ".join(word.lower().split()))


_WORD_INDEX = MappingProxyType({w: m.name for m in MEANINGS for w in m.words})

# Meanings that toolkits draw with another meaning's glyph, as (glyph's meaning -> what it may
# also mean). GNOME's Adwaita ``document-save`` and Material's ``save_alt`` are an arrow into a
# tray: the download glyph, pixel for pixel, so no classifier can tell them apart; a person
# looking for "the save icon" on such a toolbar picks it all the same. Locate offers these as
# guesses, below any icon the classifier names with the asked meaning itself.
DRAWN_ALIKE: MappingProxyType[str, tuple[str, ...]] = MappingProxyType({"download": ("save",)})


def also_means(meaning: str) -> tuple[str, ...]:
    """What an icon named ``meaning`` may also stand for on some toolkit; () for most."""
    return DRAWN_ALIKE.get(meaning, ())
