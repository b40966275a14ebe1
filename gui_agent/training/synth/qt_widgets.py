"""The Qt screen builder: random windows of real widgets, and which of them to label."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
from PySide6.QtCore import (
    QDate,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTime,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QImage,
    QLinearGradient,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QRadialGradient,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCommandLinkButton,
    QDateEdit,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextEdit,
    QTimeEdit,
    QToolBar,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui_agent.training.synth.qt_style import (
    _SP_BLACK,
    _SP_HELDOUT,
    _SP_TRAIN,
    _TITLE_GLYPHS,
    HELDOUT_LAYOUTS,
    HELDOUT_SHEETS,
    HELDOUT_THEMES,
    MAX_H,
    MAX_W,
    SCALES,
    TRAIN_LAYOUTS,
    TRAIN_SHEETS,
    TRAIN_THEMES,
    _hsv,
    _mix,
    _on,
    _Qt,
    _stylesheet,
    _svg_icon,
    _svg_names,
    _theme,
    _title_icon,
)
from gui_agent.training.synth.vocab import (
    _BUTTONS,
    _CHECKS,
    _COMBO_ITEMS,
    _FIELD_LABELS,
    _HEADINGS,
    _MENUS,
    _PLACEHOLDERS,
    _RADIOS,
    _TABS,
    _list_item,
    _paragraph,
    _sentence,
    _value_for,
    _words,
)

_T = TypeVar("_T")

# ---------------------------------------------------------------------------------------------
# Custom widgets
# ---------------------------------------------------------------------------------------------


class _Switch(QAbstractButton):
    """An on/off switch: Qt has none, apps draw their own (three looks)."""

    def __init__(
        self, look: str, size: QSize, on: QColor, off: QColor, knob: QColor, edge: QColor
    ) -> None:
        super().__init__()
        self._look, self._on, self._off, self._knob, self._edge = look, on, off, knob, edge
        self.setCheckable(True)
        self.setFixedSize(size)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return self.size()

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h, on = float(self.width()), float(self.height()), self.isChecked()
        track = self._on if on else self._off
        if not self.isEnabled():
            track = _mix(track, self.palette().color(QPalette.ColorRole.Window), 0.55)
        if self._look == "round":
            p.setPen(QPen(self._edge, 1) if not on else Qt.PenStyle.NoPen)
            p.setBrush(track)
            p.drawRoundedRect(QRectF(0.5, 0.5, w - 1, h - 1), (h - 1) / 2, (h - 1) / 2)
            m = max(2.0, round(h * 0.12))
            d = h - 2 * m
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self._knob)
            p.drawEllipse(QRectF(w - m - d if on else m, m, d, d))
        elif self._look == "material":
            th = round(h * 0.58)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(_mix(track, QColor(255, 255, 255), 0.35) if on else track)
            p.drawRoundedRect(QRectF(h * 0.18, (h - th) / 2, w - h * 0.36, th), th / 2, th / 2)
            p.setPen(QPen(self._edge, 1))
            p.setBrush(self._on if on else self._knob)
            p.drawEllipse(QRectF(w - h + 0.5 if on else 0.5, 0.5, h - 1, h - 1))
        else:  # square
            p.setPen(QPen(self._edge, 1))
            p.setBrush(track)
            p.drawRoundedRect(QRectF(0.5, 0.5, w - 1, h - 1), 3, 3)
            m = max(2.0, round(h * 0.15))
            d = h - 2 * m
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self._knob)
            p.drawRoundedRect(QRectF(w - m - d if on else m, m, d, d), 2, 2)
        p.end()


class _Desktop(QWidget):
    """The "desktop" behind the window: a gradient, painted over the rendered region."""

    def __init__(self, a: QColor, b: QColor, vertical: bool) -> None:
        super().__init__()
        self._a, self._b, self._vertical = a, b, vertical
        self.region = QSize(MAX_W, MAX_H)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        w, h = self.region.width(), self.region.height()
        grad = QLinearGradient(0, 0, 0 if self._vertical else w, h)
        grad.setColorAt(0, self._a)
        grad.setColorAt(1, self._b)
        p.fillRect(self.rect(), grad)
        p.end()


# ---------------------------------------------------------------------------------------------
# The screen builder
# ---------------------------------------------------------------------------------------------

Mark = tuple[str, QWidget, Callable[[QWidget], QRect] | None]


def _tight_rect(w: QWidget) -> QRect:
    """Indicator + label of a check box / radio button, even if the layout stretched it."""
    hint, r = w.sizeHint(), w.rect()
    width, height = min(hint.width(), r.width()), min(hint.height(), r.height())
    x = 0 if w.layoutDirection() == Qt.LayoutDirection.LeftToRight else r.width() - width
    return QRect(x, (r.height() - height) // 2, width, height)


class _Builder:
    """Builds one random window of real widgets and remembers which ones to label."""

    def __init__(self, seed: int, split: str, plain: bool = False) -> None:
        self.seed, self.split = seed, split
        self.heldout = split == "heldout"
        # ``plain``: the style's own palette and no stylesheet, Fusion or Windows, the way
        # most Qt apps look out of the box (a plain QPushButton was read as a field).
        key = f"synth/plain/{split}/{seed}" if plain else f"synth/{split}/{seed}"
        self.rng = rng = random.Random(key)
        self.scale = rng.choice(SCALES)
        if plain:
            self.style_name = "windows" if rng.random() < 0.4 else "fusion"
            self.theme = _theme(f"{self.style_name}_light", rng)
            self.sheet_family = "none"
        else:
            self.theme = _theme(rng.choice(HELDOUT_THEMES if self.heldout else TRAIN_THEMES), rng)
            sheets = (
                ("none", "rounded", "flat", "outlined", *HELDOUT_SHEETS, *HELDOUT_SHEETS)
                if self.heldout
                else (*TRAIN_SHEETS, "none")
            )
            self.sheet_family = rng.choice(sheets)
            self.style_name = "windows" if rng.random() < 0.15 else "fusion"
        self.family = rng.choice(_Qt.families)
        sizes = [8, 9, 9, 10, 10, 10, 11, 11, 12, 13, 14, 15, 16]
        self.points = rng.choice(sizes)
        self.font = QFont(self.family)
        self.font.setPointSize(self.points)
        self.font_px = round(self.points * 96 / 72)
        self.sheet = _stylesheet(self.sheet_family, self.theme, rng, self.font_px)
        self.layout_name = rng.choice(HELDOUT_LAYOUTS if self.heldout else TRAIN_LAYOUTS)
        self.sp_names = _SP_HELDOUT if self.heldout else _SP_TRAIN
        self.svg_names = _svg_names(split)
        self.marks: list[Mark] = []
        self.impls: set[str] = set()
        self.depth = 0
        self.budget = 3

    # -- small helpers ------------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq: Sequence[_T]) -> _T:
        return self.rng.choice(seq)

    def weighted(self, options: Sequence[tuple[_T, float]]) -> _T:
        return self.rng.choices([o for o, _ in options], [w for _, w in options])[0]

    def mark(self, cls: str, w: QWidget, rect: Callable[[QWidget], QRect] | None = None) -> None:
        self.marks.append((cls, w, rect))

    def impl(self, name: str) -> None:
        self.impls.add(name)

    def icon(self, px: int = 16) -> QIcon:
        """A random icon of this split's set, coloured for the theme when it is an SVG."""
        names = self.svg_names
        use_svg = bool(names) and self.chance(0.65 if self.theme.dark else 0.45)
        if not use_svg:
            weights = [0.25 if self.theme.dark and n in _SP_BLACK else 1.0 for n in self.sp_names]
            name = self.rng.choices(self.sp_names, weights)[0]
            return _Qt.styles["fusion"].standardIcon(getattr(QStyle.StandardPixmap, name))
        color = self.weighted(
            (
                (self.theme.text, 0.65),
                (self.theme.accent, 0.2),
                (_mix(self.theme.text, self.theme.window, 0.35), 0.1),
                (_hsv(self.rng.uniform(0, 360), 0.7, 0.75), 0.05),
            )
        )
        return _svg_icon(self.pick(names), color, px, self.scale)

    def margins(self, lo: int = 4, hi: int = 16) -> tuple[int, int, int, int]:
        m = self.rng.randint(lo, hi)
        return (m, m, m, m)

    def heading(self, text: str | None = None, grow: int | None = None) -> QLabel:
        label = QLabel(text or self.pick(_HEADINGS))
        font = QFont(self.font)
        font.setBold(self.chance(0.85))
        font.setPointSize(self.points + (grow if grow is not None else self.rng.randint(1, 6)))
        label.setFont(font)
        return label

    def separator(self, vertical: bool = False) -> QFrame:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine if vertical else QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        return line

    def disable_maybe(self, w: QWidget, p: float = 0.07) -> None:
        if self.chance(p):
            w.setEnabled(False)

    def vbox(self, *children: QWidget | QLayout | None, spacing: int | None = None) -> QVBoxLayout:
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(4, 12) if spacing is None else spacing)
        for c in children:
            if isinstance(c, QWidget):
                layout.addWidget(c)
            elif isinstance(c, QLayout):
                layout.addLayout(c)
        return layout

    def wrap(self, layout: QLayout, margins: tuple[int, int, int, int] = (0, 0, 0, 0)) -> QWidget:
        w = QWidget()
        layout.setContentsMargins(*margins)
        w.setLayout(layout)
        return w

    # -- labelled widgets ---------------------------------------------------------------------

    def button(self, text: str | None = None, icon_p: float = 0.15) -> QAbstractButton:
        text = text or self.pick(_BUTTONS)
        if self.sheet_family == "material":
            text = text.upper()
        kind = "QPushButton"
        if self.heldout:
            kind = self.weighted((("QPushButton", 0.55), ("QToolButton.text", 0.45)))
        else:
            kind = self.weighted((("QPushButton", 0.72), ("QPushButton.flat", 0.28)))
        b: QAbstractButton
        if kind == "QPushButton.flat":
            b = self.flat_button(text)
        elif kind == "QToolButton.text":
            tb = QToolButton()
            tb.setText(text)
            if self.chance(0.7):
                tb.setIcon(self.icon())
                tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            else:
                tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            tb.setAutoRaise(self.chance(0.3))
            b = tb
        else:
            pb = QPushButton(text)
            if self.chance(icon_p):
                pb.setIcon(self.icon())
            if self.chance(0.4):
                pb.setMinimumWidth(self.rng.randint(72, 110))
            b = pb
        self.impl(kind)
        self.disable_maybe(b, 0.05)
        self.mark("button", b)
        return b

    def flat_button(self, text: str) -> QPushButton:
        """A frameless push button, often with an icon: what toolbars, link rows and ribbons
        show. Train-only stand-in for the held-out split's text tool buttons: the look is
        taught, the implementation stays unseen."""
        pb = QPushButton(text)
        pb.setFlat(True)
        if self.chance(0.65):
            pb.setIcon(self.icon(self.pick((16, 16, 20, 24))))
        if self.chance(0.3):
            pb.setStyleSheet(f"padding: {self.rng.randint(2, 6)}px {self.rng.randint(4, 10)}px;")
        return pb

    def card_button(self) -> QPushButton:
        """A large two-line button (title and description) with an arrow or icon, as option
        pages and launchers draw them. Train-only stand-in for QCommandLinkButton."""
        title = self.pick(_BUTTONS)
        pb = QPushButton(f"{title}\n{_sentence(self.rng, 3, 8)}")
        px = self.pick((16, 20, 24, 32))
        pb.setIcon(self.icon(px))
        pb.setIconSize(QSize(px, px))
        pb.setFlat(self.chance(0.55))
        if self.chance(0.6):
            pad = self.rng.randint(6, 14)
            pb.setStyleSheet(f"text-align: left; padding: {pad}px {pad + 4}px;")
        pb.setMinimumHeight(self.rng.randint(40, 64))
        self.impl("QPushButton.card")
        self.mark("button", pb)
        return pb

    def b_cards(self) -> QWidget:
        col = QVBoxLayout()
        col.setSpacing(self.rng.randint(2, 10))
        for _ in range(self.rng.randint(1, 3)):
            col.addWidget(self.card_button())
        return self.wrap(col)

    def command_link(self) -> QAbstractButton:
        b = QCommandLinkButton(self.pick(_BUTTONS), _sentence(self.rng, 3, 8))
        self.impl("QCommandLinkButton")
        self.mark("button", b)
        return b

    def icon_button(self, px: int | None = None) -> QAbstractButton:
        px = px or self.pick((16, 16, 16, 20, 22, 24, 24, 32))
        b: QAbstractButton
        if self.chance(0.7):
            tb = QToolButton()
            tb.setAutoRaise(self.chance(0.6))
            tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            self.impl("QToolButton.icon")
            b = tb
        else:
            pb = QPushButton()
            if self.chance(0.5):
                side = px + self.rng.randint(8, 16)
                pb.setFixedSize(side, side)
            self.impl("QPushButton.icon")
            b = pb
        b.setIcon(self.icon(px))
        b.setIconSize(QSize(px, px))
        b.setToolTip(self.pick(_BUTTONS))
        self.disable_maybe(b, 0.04)
        self.mark("icon", b)
        return b

    def line_edit(self, label: str = "Name") -> QLineEdit:
        e = QLineEdit()
        mode = self.weighted((("empty", 0.25), ("placeholder", 0.35), ("text", 0.4)))
        if mode == "placeholder":
            e.setPlaceholderText(self.pick(_PLACEHOLDERS))
        elif mode == "text":
            e.setText(_value_for(self.rng, label))
            e.setCursorPosition(0)
        if "password" in label.lower() and mode == "text":
            e.setEchoMode(QLineEdit.EchoMode.Password)
        if self.chance(0.08):
            e.addAction(self.icon(16), QLineEdit.ActionPosition.LeadingPosition)
        if mode == "text" and self.chance(0.1):
            e.setClearButtonEnabled(True)
        if self.chance(0.05):
            e.setReadOnly(True)
        self.disable_maybe(e)
        self.impl("QLineEdit")
        self.mark("field", e)
        return e

    def spin(self) -> QAbstractSpinBox:
        kind = "QSpinBox"
        if self.heldout:
            kind = self.weighted(
                (
                    ("QSpinBox", 0.3),
                    ("QDoubleSpinBox", 0.25),
                    ("QDateEdit", 0.25),
                    ("QTimeEdit", 0.2),
                )
            )
        s: QAbstractSpinBox
        if kind == "QDoubleSpinBox":
            d = QDoubleSpinBox()
            d.setRange(0, 10000)
            d.setDecimals(self.rng.choice((1, 2, 3)))
            d.setValue(self.rng.uniform(0, 500))
            s = d
        elif kind == "QDateEdit":
            de = QDateEdit(QDate(self.rng.randint(1990, 2030), self.rng.randint(1, 12), 14))
            de.setCalendarPopup(self.chance(0.5))
            de.setDisplayFormat(self.pick(("yyyy-MM-dd", "dd/MM/yyyy", "MMM d, yyyy")))
            s = de
        elif kind == "QTimeEdit":
            s = QTimeEdit(QTime(self.rng.randint(0, 23), self.rng.randint(0, 59)))
        else:
            i = QSpinBox()
            i.setRange(0, 100000)
            i.setValue(self.rng.randint(0, 2000))
            if self.chance(0.3):
                i.setSuffix(self.pick((" px", " %", " ms", " s", " MB")))
            if not self.heldout:
                self.spin_variety(i)
            s = i
        if self.chance(0.06):
            s.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.PlusMinus)
        self.disable_maybe(s, 0.05)
        self.impl(kind)
        self.mark("field", s)
        return s

    def spin_variety(self, i: QSpinBox) -> None:
        """Train-only looks of a spin box: prefixes, wide values, text alignment, a width
        of its own. What tells a spin box from a combo is its stepper, not its text; the
        held-out date, time and decimal editors test that."""
        if self.chance(0.25):
            i.setPrefix(self.pick(("$ ", "# ", "x", "Page ", "Qty ")))
        if self.chance(0.2):
            i.setRange(-1_000_000, 10_000_000)
            i.setValue(self.rng.randint(-50_000, 9_000_000))
            i.setGroupSeparatorShown(self.chance(0.5))
        if self.chance(0.2):
            i.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if self.chance(0.3):
            i.setMinimumWidth(self.rng.randint(90, 260))

    def combo(self) -> QComboBox:
        c: QComboBox
        if self.heldout and self.chance(0.4):
            c = QFontComboBox()
            c.setCurrentFont(QFont(self.pick(_Qt.families)))
            self.impl("QFontComboBox")
        else:
            c = QComboBox()
            items = list(self.pick(_COMBO_ITEMS))
            c.addItems(items)
            c.setCurrentIndex(self.rng.randrange(len(items)))
            if self.chance(0.25):
                c.setEditable(True)
                if self.chance(0.3):
                    c.setEditText("")
                    edit = c.lineEdit()
                    if edit is not None:
                        edit.setPlaceholderText(self.pick(_PLACEHOLDERS))
                self.impl("QComboBox.editable")
            else:
                self.impl("QComboBox")
        self.disable_maybe(c, 0.05)
        self.mark("combo", c)
        return c

    def checkbox(self, text: str | None = None) -> QCheckBox:
        c = QCheckBox("" if self.chance(0.07) else (text or self.pick(_CHECKS)))
        c.setChecked(self.chance(0.45))
        if self.chance(0.03):
            c.setTristate(True)
            c.setCheckState(Qt.CheckState.PartiallyChecked)
        c.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.disable_maybe(c, 0.05)
        self.mark("checkbox", c, _tight_rect)
        return c

    def radio(self, text: str) -> QRadioButton:
        r = QRadioButton("" if self.chance(0.04) else text)
        r.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.disable_maybe(r, 0.04)
        self.mark("radio", r, _tight_rect)
        return r

    def toggle(self) -> _Switch:
        look = "round"
        if self.heldout:
            look = self.pick(("material", "square"))
        w = self.rng.randint(28, 52)
        h = max(14, min(round(w * self.rng.uniform(0.45, 0.6)), 30))
        t = self.theme
        on = t.accent if self.chance(0.8) else _hsv(self.rng.uniform(90, 150), 0.6, 0.75)
        off = _mix(t.window, t.text, self.rng.uniform(0.18, 0.4))
        knob = QColor(255, 255, 255) if self.chance(0.75) else _mix(t.base, t.window, 0.5)
        s = _Switch(look, QSize(w, h), on, off, knob, _mix(off, t.text, 0.2))
        s.setChecked(self.chance(0.5))
        self.disable_maybe(s, 0.05)
        self.impl(f"switch.{look}")
        self.mark("toggle", s)
        return s

    def slider(self, vertical: bool = False) -> QSlider:
        s = QSlider(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
        s.setRange(0, 100)
        s.setValue(self.rng.randint(0, 100))
        length = self.rng.randint(80, 220 if vertical else 300)
        if self.chance(0.25):
            s.setTickPosition(
                QSlider.TickPosition.TicksBelow
                if self.chance(0.7)
                else QSlider.TickPosition.TicksAbove
            )
            s.setTickInterval(self.pick((5, 10, 20, 25)))
        if vertical:
            s.setFixedHeight(length)
            s.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        else:
            s.setFixedWidth(length)
            s.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.disable_maybe(s, 0.05)
        self.impl("QSlider")
        self.mark("slider", s)
        return s

    def field(self, label: str) -> QWidget:
        """The input widget of one form row."""
        spin = 1.1 if self.heldout else 1.8  # train: more spin boxes, a quarter read as combos
        kind = self.weighted(
            (("line", 6.0), ("combo", 1.6), ("spin", spin), ("browse", 0.5), ("slider", 0.3))
        )
        if label.lower() in ("country", "language", "time zone", "priority", "status", "category"):
            kind = "combo" if self.chance(0.8) else kind
        if kind == "combo":
            return self.combo()
        if kind == "spin":
            return self.spin()
        if kind == "slider":
            return self.slider()
        edit = self.line_edit(label)
        if kind == "browse":
            row = QHBoxLayout()
            row.setSpacing(self.rng.randint(4, 8))
            row.addWidget(edit, 1)
            row.addWidget(
                self.icon_button(16) if self.chance(0.4) else self.button("Browse...", 0.0)
            )
            return self.wrap(row)
        return edit

    def plain_icon(self) -> QLabel:
        px = self.pick((16, 16, 24, 32, 48))
        label = QLabel()
        label.setPixmap(self.icon(px).pixmap(QSize(px, px), self.scale))
        label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return label

    # -- blocks (each returns one widget) -----------------------------------------------------

    def b_form(self, rows: int | None = None) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        form.setContentsMargins(*self.margins(0, 8))
        form.setHorizontalSpacing(self.rng.randint(6, 18))
        form.setVerticalSpacing(self.rng.randint(4, 12))
        align = Qt.AlignmentFlag.AlignRight if self.chance(0.35) else Qt.AlignmentFlag.AlignLeft
        form.setLabelAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(
            self.weighted(
                (
                    (QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow, 0.6),
                    (QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow, 0.2),
                    (QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint, 0.2),
                )
            )
        )
        n = rows or self.rng.randint(2, 3 + self.budget)
        colon = self.chance(0.4)
        for label in self.rng.sample(_FIELD_LABELS, n):
            kind = self.weighted(
                (("field", 0.84), ("check", 0.06), ("toggle", 0.06), ("none", 0.04))
            )
            text = label + (":" if colon else "")
            if kind == "check":
                form.addRow(text, self.checkbox())
            elif kind == "toggle":
                form.addRow(text, self.toggle())
            elif kind == "none":
                form.addRow(text, QLabel(_value_for(self.rng, label)))
            else:
                form.addRow(text, self.field(label))
        return w

    def b_checks(self) -> QWidget:
        horizontal = self.chance(0.25)
        layout: QVBoxLayout | QHBoxLayout = QHBoxLayout() if horizontal else QVBoxLayout()
        layout.setSpacing(self.rng.randint(4, 12) if not horizontal else self.rng.randint(12, 28))
        for text in self.rng.sample(_CHECKS, self.rng.randint(2, 3 if horizontal else 5)):
            layout.addWidget(self.checkbox(text), 0, Qt.AlignmentFlag.AlignLeft)
        if horizontal:
            layout.addStretch(1)
        return self.group(layout, p=0.45)

    def b_radios(self) -> QWidget:
        horizontal = self.chance(0.4)
        layout: QVBoxLayout | QHBoxLayout = QHBoxLayout() if horizontal else QVBoxLayout()
        layout.setSpacing(self.rng.randint(4, 10) if not horizontal else self.rng.randint(12, 28))
        group = QButtonGroup()
        options = self.pick(_RADIOS)
        checked = self.rng.randrange(len(options))
        for i, text in enumerate(options):
            r = self.radio(text)
            group.addButton(r)
            r.setChecked(i == checked)
            layout.addWidget(r, 0, Qt.AlignmentFlag.AlignLeft)
        if horizontal:
            layout.addStretch(1)
        w = self.group(layout, p=0.75)
        group.setParent(w)
        return w

    def group(self, layout: QLayout, p: float = 0.5, title: str | None = None) -> QWidget:
        if self.chance(p):
            box = QGroupBox(title or self.pick(_HEADINGS + _TABS))
            box.setLayout(layout)
            return box
        return self.wrap(layout, self.margins(0, 6))

    def b_toggles(self) -> QWidget:
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(6, 14))
        left = self.chance(0.3)
        for text in self.rng.sample(_CHECKS, self.rng.randint(1, 4)):
            row = QHBoxLayout()
            label = QLabel(text)
            if left:
                row.addWidget(self.toggle())
                row.addWidget(label)
                row.addStretch(1)
            else:
                row.addWidget(label)
                row.addStretch(1)
                row.addWidget(self.toggle())
            layout.addLayout(row)
            if self.chance(0.2):
                hint = QLabel(_sentence(self.rng, 4, 9))
                hint.setEnabled(False)
                layout.addWidget(hint)
        return self.group(layout, p=0.35)

    def b_sliders(self) -> QWidget:
        if self.chance(0.25):
            row = QHBoxLayout()
            row.setSpacing(self.rng.randint(8, 20))
            for i in range(self.rng.randint(3, 8)):
                col = QVBoxLayout()
                col.addWidget(self.slider(vertical=True), 0, Qt.AlignmentFlag.AlignHCenter)
                col.addWidget(
                    QLabel(self.pick(("60", "250", "1k", "4k", "16k", f"{i}"))),
                    0,
                    Qt.AlignmentFlag.AlignHCenter,
                )
                col.addStretch(1)
                row.addLayout(col)
            row.addStretch(1)
            return self.group(row, p=0.5)
        grid = QGridLayout()
        grid.setHorizontalSpacing(self.rng.randint(6, 14))
        for i in range(self.rng.randint(1, 3)):
            s = self.slider()
            grid.addWidget(
                QLabel(
                    self.pick(
                        (
                            "Volume",
                            "Brightness",
                            "Zoom",
                            "Opacity",
                            "Quality",
                            "Speed",
                            "Balance",
                            "Contrast",
                        )
                    )
                ),
                i,
                0,
            )
            grid.addWidget(s, i, 1)
            grid.addWidget(QLabel(f"{s.value()}%"), i, 2)
        grid.setColumnStretch(3, 1)
        return self.group(grid, p=0.4)

    def b_list(self) -> QWidget:
        lst = QListWidget()
        style = self.rng.randrange(4)
        icons = self.chance(0.3)
        for i in range(self.rng.choice((3, 5, 8, 12, 20, 40, 60, 80))):
            item = QListWidgetItem(_list_item(self.rng, style, i))
            if icons:
                item.setIcon(self.icon(24))
            lst.addItem(item)
        px = self.pick((16, 16, 16, 20, 24))
        lst.setIconSize(QSize(px, px))
        lst.setAlternatingRowColors(self.chance(0.2))
        if self.chance(0.5):
            lst.setCurrentRow(self.rng.randrange(min(lst.count(), 10)))
        self.impl("QListWidget")
        return self.titled(lst)

    def titled(self, w: QWidget) -> QWidget:
        if not self.chance(0.45):
            return w
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(3, 8))
        layout.addWidget(QLabel(self.pick((*_TABS, "Items", "Files", "Recent", "Results"))))
        layout.addWidget(w, 1)
        return self.wrap(layout)

    def b_tree(self) -> QWidget:
        tree = QTreeWidget()
        cols = self.rng.randint(1, 4)
        tree.setColumnCount(cols)
        tree.setHeaderLabels(
            self.rng.sample(["Name", "Size", "Type", "Modified", "Owner", "Status"], cols)
        )
        tree.setHeaderHidden(self.chance(0.2))
        style = self.rng.randrange(4)
        for i in range(self.rng.randint(2, 10)):
            top = QTreeWidgetItem(
                [_list_item(self.rng, style, i)]
                + [_value_for(self.rng, "size") for _ in range(cols - 1)]
            )
            for j in range(self.rng.randint(0, 5)):
                QTreeWidgetItem(top, [_list_item(self.rng, 1, j)] + ["" for _ in range(cols - 1)])
            tree.addTopLevelItem(top)
            top.setExpanded(self.chance(0.5))
        tree.setAlternatingRowColors(self.chance(0.3))
        return self.titled(tree)

    def b_table(self) -> QWidget:
        rows, cols = self.rng.choice((3, 6, 10, 20, 40)), self.rng.randint(2, 6)
        table = QTableWidget(rows, cols)
        headers = ["Name", "Email", "Date", "Amount", "Status", "City", "ID", "Size"]
        table.setHorizontalHeaderLabels(self.rng.sample(headers, cols))
        table.verticalHeader().setVisible(self.chance(0.5))
        for r in range(rows):
            for c in range(cols):
                table.setItem(
                    r, c, QTableWidgetItem(_value_for(self.rng, self.pick(_FIELD_LABELS)))
                )
        table.setAlternatingRowColors(self.chance(0.4))
        table.setShowGrid(self.chance(0.7))
        if self.chance(0.5):
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        return self.titled(table)

    def b_text(self) -> QWidget:
        edit: QPlainTextEdit | QTextEdit
        edit = QPlainTextEdit() if self.chance(0.6) else QTextEdit()
        lines = [_sentence(self.rng, 3, 16) for _ in range(self.rng.choice((0, 2, 5, 12, 30)))]
        if isinstance(edit, QPlainTextEdit) and self.chance(0.3):
            font = QFont("Monospace")
            font.setPointSize(self.points)
            edit.setFont(font)
            lines = [f"[{i:03d}] {line}" for i, line in enumerate(lines)]
        edit.setPlainText("\n".join(lines))
        if not lines:
            edit.setPlaceholderText(_sentence(self.rng, 2, 5))
        if self.chance(0.2):
            edit.setLineWrapMode(edit.LineWrapMode.NoWrap)  # type: ignore[arg-type]
        return self.titled(edit)

    def b_para(self) -> QWidget:
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(4, 10))
        if self.chance(0.7):
            layout.addWidget(self.heading())
        for _ in range(self.rng.randint(1, 2)):
            p = QLabel(_paragraph(self.rng, 1, 3))
            p.setWordWrap(True)
            if self.chance(0.15):
                p.setText(p.text() + ' <a href="#">Learn more</a>')
            layout.addWidget(p)
        return self.wrap(layout)

    def image(self, w: int, h: int) -> QPixmap:
        s = self.scale
        img = QImage(round(w * s), round(h * s), QImage.Format.Format_RGB32)
        kind = self.pick(("gradient", "blobs", "noise", "chart"))
        c1, c2 = _hsv(self.rng.uniform(0, 360), 0.5, 0.8), _hsv(self.rng.uniform(0, 360), 0.6, 0.5)
        if kind == "noise":
            gen = np.random.default_rng(self.rng.getrandbits(63))
            small = gen.integers(0, 256, (self.rng.randint(2, 8), self.rng.randint(2, 8), 3))
            arr = np.ascontiguousarray(small.astype(np.uint8))
            tiny = QImage(
                arr.data, arr.shape[1], arr.shape[0], arr.shape[1] * 3, QImage.Format.Format_RGB888
            ).copy()
            img = tiny.scaled(
                img.size(),
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            img = img.convertToFormat(QImage.Format.Format_RGB32)
        else:
            p = QPainter(img)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            grad = QLinearGradient(0, 0, img.width(), img.height())
            grad.setColorAt(0, c1)
            grad.setColorAt(1, c2)
            p.fillRect(img.rect(), grad)
            if kind == "blobs":
                for _ in range(self.rng.randint(2, 6)):
                    cx, cy = self.rng.uniform(0, img.width()), self.rng.uniform(0, img.height())
                    rad = self.rng.uniform(0.1, 0.5) * img.width()
                    rg = QRadialGradient(QPointF(cx, cy), rad)
                    col = _hsv(self.rng.uniform(0, 360), 0.6, 0.9)
                    rg.setColorAt(0, col)
                    col.setAlpha(0)
                    rg.setColorAt(1, col)
                    p.fillRect(img.rect(), rg)
            elif kind == "chart":
                p.fillRect(
                    img.rect(), QColor(250, 250, 250) if self.chance(0.6) else c2.darker(200)
                )
                n = self.rng.randint(4, 12)
                bw = img.width() / (n * 1.5)
                for i in range(n):
                    bh = self.rng.uniform(0.1, 0.9) * img.height()
                    p.fillRect(QRectF(bw * 0.5 + i * bw * 1.5, img.height() - bh, bw, bh), c1)
            p.end()
        pixmap = QPixmap.fromImage(img)
        pixmap.setDevicePixelRatio(s)
        return pixmap

    def b_image(self) -> QWidget:
        label = QLabel()
        w, h = self.rng.randint(60, 320), self.rng.randint(40, 200)
        label.setPixmap(self.image(w, h))
        label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        if not self.chance(0.4):
            return label
        layout = QVBoxLayout()
        layout.addWidget(label)
        layout.addWidget(QLabel(_words(self.rng, 2, 5).capitalize()))
        return self.wrap(layout)

    def b_progress(self) -> QWidget:
        layout = QVBoxLayout()
        for _ in range(self.rng.randint(1, 3)):
            row = QHBoxLayout()
            if self.chance(0.6):
                row.addWidget(QLabel(_words(self.rng, 1, 3).capitalize() + "..."))
            bar = QProgressBar()
            bar.setValue(self.rng.randint(0, 100))
            bar.setTextVisible(self.chance(0.7))
            row.addWidget(bar, 1)
            if self.chance(0.25):
                row.addWidget(self.button(self.pick(("Cancel", "Stop", "Pause"))))
            layout.addLayout(row)
        return self.group(layout, p=0.3)

    def b_buttons(self, texts: Sequence[str] | None = None, align: str | None = None) -> QWidget:
        row = QHBoxLayout()
        row.setSpacing(self.rng.randint(4, 12))
        align = align or self.weighted(
            (("right", 0.55), ("left", 0.3), ("center", 0.1), ("fill", 0.05))
        )
        if align in ("right", "center"):
            row.addStretch(1)
        names = list(texts or self.rng.sample(_BUTTONS, self.rng.randint(1, 4)))
        buttons = [self.button(t) for t in names]
        for b in buttons:
            row.addWidget(b)
        if buttons and isinstance(buttons[0], QPushButton) and self.chance(0.5):
            buttons[0].setDefault(True)
        if align in ("left", "center"):
            row.addStretch(1)
        return self.wrap(row)

    def b_icons(self) -> QWidget:
        row = QHBoxLayout()
        row.setSpacing(self.rng.randint(0, 8))
        px = self.pick((16, 16, 20, 24, 24, 32))
        for _ in range(self.rng.randint(2, 8)):
            if self.chance(0.12):
                row.addWidget(self.separator(vertical=True))
            row.addWidget(self.icon_button(px))
        if self.chance(0.3):
            row.addWidget(QLabel(_words(self.rng, 1, 3).capitalize()))
        row.addStretch(1)
        return self.wrap(row)

    def b_search(self) -> QWidget:
        row = QHBoxLayout()
        row.setSpacing(self.rng.randint(4, 10))
        if self.chance(0.4):
            row.addWidget(QLabel(self.pick(("Search:", "Filter:", "Find:", "Show:"))))
        row.addWidget(self.line_edit("Search"), 1)
        if self.chance(0.5):
            row.addWidget(self.combo())
        row.addWidget(self.icon_button(16) if self.chance(0.5) else self.button())
        return self.wrap(row)

    def b_panel(self) -> QWidget:
        frame = QFrame()
        frame.setAutoFillBackground(True)
        pal = QPalette(self.theme.palette)
        tint = _mix(self.theme.window, self.theme.accent, self.rng.uniform(0.08, 0.3))
        if self.chance(0.25):
            tint = _hsv(self.rng.uniform(0, 360), 0.35, 0.9 if not self.theme.dark else 0.3)
        pal.setColor(QPalette.ColorRole.Window, tint)
        pal.setColor(QPalette.ColorRole.WindowText, _on(tint))
        frame.setPalette(pal)
        if self.chance(0.5):
            frame.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(frame)
        row.setContentsMargins(*self.margins(8, 16))
        if self.chance(0.6):
            row.addWidget(self.plain_icon(), 0, Qt.AlignmentFlag.AlignTop)
        col = QVBoxLayout()
        col.addWidget(self.heading(grow=self.rng.randint(0, 3)))
        text = QLabel(_paragraph(self.rng, 1, 2))
        text.setWordWrap(True)
        col.addWidget(text)
        row.addLayout(col, 1)
        if self.chance(0.4):
            row.addWidget(self.button(), 0, Qt.AlignmentFlag.AlignBottom)
        return frame

    def b_tabs(self) -> QWidget:
        if self.depth >= 1:
            return self.b_form()
        tabs = QTabWidget()
        n = self.rng.randint(2, 5)
        names = self.rng.sample(_TABS, n)
        current = self.rng.randrange(n)
        icons = self.chance(0.15)
        tabs.setDocumentMode(self.chance(0.25))
        tabs.setUsesScrollButtons(False)
        if self.chance(0.1):
            tabs.setTabPosition(QTabWidget.TabPosition.South)
        for i, name in enumerate(names):
            if i == current:
                self.depth += 1
                page = self.page(self.rng.randint(1, 2))
                self.depth -= 1
            else:
                page = QWidget()
            if icons:
                tabs.addTab(page, self.icon(16), name)
            else:
                tabs.addTab(page, name)
        tabs.setCurrentIndex(current)
        self.impl("QTabWidget")
        return tabs

    def page(self, n: int) -> QWidget:
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(6, 14))
        for _ in range(n):
            layout.addWidget(self.block())
        if self.chance(0.7):
            layout.addStretch(1)
        return self.wrap(layout, self.margins(6, 14))

    def b_scroll(self) -> QWidget:
        area = QScrollArea()
        area.setWidgetResizable(True)
        inner = QVBoxLayout()
        self.depth += 1
        for _ in range(self.rng.randint(3, 5)):
            inner.addWidget(self.pick((self.b_form, self.b_checks, self.b_radios, self.b_para))())
        self.depth -= 1
        area.setWidget(self.wrap(inner, self.margins(6, 12)))
        area.setMaximumHeight(self.rng.randint(120, 260))
        return area

    def block(self) -> QWidget:
        options: list[tuple[Callable[[], QWidget], float]] = [
            (self.b_form, 3.0),
            (self.b_checks, 1.6),
            (self.b_radios, 1.3),
            (self.b_toggles, 1.3),
            (self.b_sliders, 0.8),
            (self.b_buttons, 1.0),
            (self.b_icons, 0.6),
            (self.b_search, 0.6),
            (self.b_para, 0.8),
            (self.b_image, 0.4),
            (self.b_progress, 0.5),
            (self.b_panel, 0.4),
        ]
        if not self.heldout:
            options.append((self.b_cards, 0.35))
        if self.depth == 0:
            options += [
                (self.b_list, 0.9),
                (self.b_tree, 0.5),
                (self.b_table, 0.5),
                (self.b_text, 0.6),
                (self.b_tabs, 1.0),
                (self.b_scroll, 0.35),
            ]
        return self.weighted(options)()

    def big_block(self) -> QWidget:
        return self.weighted(
            (
                (self.b_list, 1.5),
                (self.b_tree, 0.8),
                (self.b_table, 1.0),
                (self.b_text, 0.9),
                (self.b_tabs, 1.2),
                (self.b_image, 0.3),
            )
        )()

    # -- window chrome ------------------------------------------------------------------------

    def menubar(self, win: QMainWindow) -> None:
        bar = win.menuBar()
        for title in self.rng.sample(_MENUS, self.rng.randint(3, 7)):
            bar.addMenu(title)

    def toolbar(self, win: QMainWindow, area: Qt.ToolBarArea, mixed: bool = False) -> QToolBar:
        bar = QToolBar(self.pick(_HEADINGS), win)
        px = self.pick((16, 20, 24, 24, 24, 32))
        bar.setIconSize(QSize(px, px))
        bar.setMovable(self.chance(0.3))
        style = Qt.ToolButtonStyle.ToolButtonIconOnly
        if mixed:
            style = self.pick(
                (Qt.ToolButtonStyle.ToolButtonTextBesideIcon, Qt.ToolButtonStyle.ToolButtonIconOnly)
            )
        bar.setToolButtonStyle(style)
        vertical = area in (Qt.ToolBarArea.LeftToolBarArea, Qt.ToolBarArea.RightToolBarArea)
        if not self.heldout and not vertical and self.chance(0.3):
            self.text_toolbar(bar, px)
        else:
            for _ in range(self.rng.randint(3, 6 if vertical else 12)):
                if self.chance(0.15):
                    bar.addSeparator()
                action = bar.addAction(self.icon(px), self.pick(_BUTTONS))
                action.setCheckable(self.chance(0.05))
        if not self.heldout and not vertical and self.chance(0.45):
            for _ in range(self.rng.randint(1, 5)):
                fb = self.flat_button(self.pick(_BUTTONS))
                self.impl("QPushButton.flat")
                self.mark("button", fb)
                bar.addWidget(fb)
        if not vertical and self.chance(0.3 if not mixed else 0.6):
            bar.addSeparator()
            bar.addWidget(self.combo() if self.chance(0.5) else self.line_edit("Search"))
        win.addToolBar(area, bar)
        if style != Qt.ToolButtonStyle.ToolButtonIconOnly:
            self.impl("QToolButton.text")
        return bar

    def text_toolbar(self, bar: QToolBar, px: int) -> None:
        """A whole toolbar of frameless icon-and-text buttons, as office and browser apps
        show them. Train-only stand-in for a text-beside-icon QToolBar: without it the only
        rows of frameless icon-and-text items in training are tab bars."""
        with_icons = self.chance(0.8)
        for _ in range(self.rng.randint(3, 9)):
            if self.chance(0.15):
                bar.addSeparator()
            fb = QPushButton(self.pick(_BUTTONS))
            fb.setFlat(True)
            if with_icons:
                fb.setIcon(self.icon(px))
                fb.setIconSize(QSize(px, px))
            if self.chance(0.5):
                fb.setStyleSheet(f"padding: {self.rng.randint(2, 6)}px {self.rng.randint(3, 8)}px;")
            self.impl("QPushButton.flat")
            self.mark("button", fb)
            bar.addWidget(fb)

    def statusbar(self, win: QMainWindow) -> None:
        bar = win.statusBar()
        bar.setSizeGripEnabled(self.chance(0.2))
        bar.addWidget(
            QLabel(
                self.pick(
                    (
                        "Ready",
                        "Saved",
                        "Connected",
                        "3 items selected",
                        "Loading...",
                        _sentence(self.rng, 2, 6),
                    )
                )
            ),
            1,
        )
        if self.chance(0.3):
            bar.addPermanentWidget(
                QLabel(f"Ln {self.rng.randint(1, 400)}, Col {self.rng.randint(1, 80)}")
            )
        if self.chance(0.15):
            prog = QProgressBar()
            prog.setMaximumWidth(120)
            prog.setValue(self.rng.randint(0, 100))
            bar.addPermanentWidget(prog)

    def title_bar(self, title: str) -> QWidget:
        bar = QWidget()
        bar.setAutoFillBackground(True)
        pal = QPalette(self.theme.palette)
        color = self.weighted(
            (
                (_mix(self.theme.window, self.theme.text, 0.08), 0.5),
                (_hsv(self.rng.uniform(0, 360), 0.1, 0.25), 0.2),
                (_hsv(self.rng.uniform(0, 360), 0.45, 0.6), 0.15),
                (QColor(235, 235, 235), 0.15),
            )
        )
        pal.setColor(QPalette.ColorRole.Window, color)
        pal.setColor(QPalette.ColorRole.WindowText, _on(color))
        pal.setColor(QPalette.ColorRole.Button, color)
        bar.setPalette(pal)
        height = self.rng.randint(24, 34)
        bar.setFixedHeight(height)
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 0, 4, 0)
        row.setSpacing(2)
        label = QLabel(title)
        if self.chance(0.5):
            font = QFont(self.font)
            font.setBold(True)
            label.setFont(font)
        if self.chance(0.5):
            row.addWidget(self.plain_icon_px(16))
        if self.chance(0.5):
            row.addStretch(1)
            row.addWidget(label)
            row.addStretch(1)
        else:
            row.addWidget(label)
            row.addStretch(1)
        px = self.rng.randint(10, 16)
        glyph = _on(color) if self.chance(0.8) else _mix(color, _on(color), 0.6)
        for name in _TITLE_GLYPHS:
            b = QToolButton()
            b.setAutoRaise(self.chance(0.8))
            b.setIcon(_title_icon(name, glyph, px, self.scale, self.rng.choice((1.0, 1.5, 2.0))))
            b.setIconSize(QSize(px, px))
            b.setFixedSize(height - 6, height - 6)
            row.addWidget(b)
            self.mark("icon", b)
        return bar

    def plain_icon_px(self, px: int) -> QLabel:
        label = QLabel()
        label.setPixmap(self.icon(px).pixmap(QSize(px, px), self.scale))
        return label

    # -- layouts ------------------------------------------------------------------------------

    def main_window(
        self, menu: float = 0.7, tools: float = 0.5, status: float = 0.5
    ) -> QMainWindow:
        win = QMainWindow()
        if self.chance(menu):
            self.menubar(win)
        if self.chance(tools):
            self.toolbar(win, Qt.ToolBarArea.TopToolBarArea)
        if self.chance(status):
            self.statusbar(win)
        return win

    def central(self, win: QMainWindow, layout: QLayout) -> None:
        if not self.heldout and isinstance(layout, QBoxLayout) and self.chance(0.3):
            # train only: a search row across the whole window, the longest fields there are
            layout.insertWidget(0, self.b_search())
        central = QWidget()
        central.setLayout(layout)
        layout.setContentsMargins(*self.margins(8, 24))
        win.setCentralWidget(central)

    def l_form(self) -> QWidget:
        """Like our fixture app: heading, form column + list column, buttons bottom right."""
        win = self.main_window()
        root = QVBoxLayout()
        root.setSpacing(self.rng.randint(8, 18))
        if self.chance(0.8):
            root.addWidget(self.heading(), 0, Qt.AlignmentFlag.AlignLeft)
        body = QHBoxLayout()
        body.setSpacing(self.rng.randint(12, 32))
        column = QVBoxLayout()
        column.setSpacing(self.rng.randint(8, 16))
        column.addWidget(self.b_form(self.rng.randint(2, 3 + self.budget)))
        extras = [self.b_checks, self.b_radios, self.b_toggles, self.b_sliders, self.b_buttons]
        for make in self.rng.sample(extras, self.rng.randint(0, min(3, self.budget + 1))):
            column.addWidget(make())
        column.addStretch(1)
        side = self.chance(0.75) and self.budget > 0
        if side and self.chance(0.3):
            body.addWidget(self.big_block(), 2)
            body.addLayout(column, 3)
        else:
            body.addLayout(column, 3)
            if side:
                body.addWidget(self.big_block(), 2)
        root.addLayout(body, 1)
        if self.chance(0.3):
            root.addWidget(self.separator())
        root.addWidget(self.b_buttons(align=self.pick(("right", "right", "right", "left"))))
        self.central(win, root)
        return win

    def l_grid(self) -> QWidget:
        win = self.main_window()
        grid = QGridLayout()
        grid.setSpacing(self.rng.randint(8, 18))
        rows, cols = (
            self.rng.randint(1, 2 + (self.budget > 1)),
            self.rng.randint(1, 2 + (self.budget > 1)),
        )
        for r in range(rows):
            for c in range(cols):
                if self.chance(0.1):
                    continue
                block = self.block()
                if self.chance(0.45) and not isinstance(block, QGroupBox | QTabWidget):
                    box = QGroupBox(self.pick(_HEADINGS))
                    inner = QVBoxLayout(box)
                    inner.addWidget(block)
                    block = box
                grid.addWidget(block, r, c)
        grid.setRowStretch(rows, 1)
        self.central(win, grid)
        return win

    def l_stack(self) -> QWidget:
        win = self.main_window()
        layout = QVBoxLayout()
        layout.setSpacing(self.rng.randint(8, 16))
        if self.chance(0.5):
            layout.addWidget(self.heading())
        for _ in range(self.rng.randint(2, 2 + self.budget)):
            layout.addWidget(self.block())
            if self.chance(0.25):
                layout.addWidget(self.separator())
        layout.addStretch(1)
        if self.chance(0.5):
            layout.addWidget(self.b_buttons())
        self.central(win, layout)
        return win

    def l_settings(self) -> QWidget:
        """A settings window: category list on the left, the chosen page on the right."""
        win = self.main_window(menu=0.3, tools=0.2, status=0.3)
        row = QHBoxLayout()
        row.setSpacing(self.rng.randint(8, 16))
        nav = QListWidget()
        for name in self.rng.sample(_TABS, self.rng.randint(4, 12)):
            item = QListWidgetItem(name)
            if self.chance(0.5):
                item.setIcon(self.icon(32))
            nav.addItem(item)
        px = self.pick((16, 16, 20, 24, 32))
        nav.setIconSize(QSize(px, px))
        nav.setCurrentRow(self.rng.randrange(nav.count()))
        nav.setFixedWidth(self.rng.randint(120, 200))
        row.addWidget(nav)
        page = QVBoxLayout()
        page.addWidget(self.heading())
        for _ in range(self.rng.randint(1 + (self.budget > 1), 1 + max(1, self.budget))):
            page.addWidget(self.block())
        page.addStretch(1)
        page.addWidget(
            self.b_buttons(
                self.rng.sample(["OK", "Cancel", "Apply", "Help"], self.rng.randint(1, 3)), "right"
            )
        )
        row.addLayout(page, 1)
        self.central(win, row)
        return win

    def l_toolbar(self) -> QWidget:
        win = self.main_window(menu=0.6, tools=0.0, status=0.6)
        self.toolbar(win, Qt.ToolBarArea.TopToolBarArea, mixed=True)
        if self.chance(0.5):
            win.addToolBarBreak()
            self.toolbar(win, Qt.ToolBarArea.TopToolBarArea, mixed=True)
        if self.chance(0.5):
            self.toolbar(win, Qt.ToolBarArea.LeftToolBarArea)
        layout = QVBoxLayout()
        if self.chance(0.6):
            layout.addWidget(self.b_search())
        layout.addWidget(self.big_block(), 1)
        if self.budget > 1 and self.chance(0.5):
            layout.addWidget(self.block())
        self.central(win, layout)
        return win

    def l_dialog(self) -> QWidget:
        w = QWidget()
        root = QVBoxLayout(w)
        root.setContentsMargins(*self.margins(10, 22))
        root.setSpacing(self.rng.randint(8, 16))
        if self.chance(0.6):
            head = QHBoxLayout()
            head.addWidget(self.plain_icon(), 0, Qt.AlignmentFlag.AlignTop)
            col = QVBoxLayout()
            col.addWidget(self.heading())
            desc = QLabel(_paragraph(self.rng, 1, 2))
            desc.setWordWrap(True)
            col.addWidget(desc)
            head.addLayout(col, 1)
            root.addLayout(head)
        for _ in range(self.rng.randint(1 + (self.budget > 1), 1 + max(1, self.budget))):
            block = self.block()
            if self.chance(0.4) and not isinstance(block, QGroupBox | QTabWidget):
                box = QGroupBox(self.pick(_HEADINGS))
                QVBoxLayout(box).addWidget(block)
                block = box
            root.addWidget(block)
        root.addStretch(1)
        sb = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox()
        for std in self.rng.sample([sb.Ok, sb.Cancel, sb.Apply, sb.Help, sb.Reset, sb.Close], 2):
            buttons.addButton(std)
        if self.chance(0.3):
            buttons.addButton(self.pick(_BUTTONS), QDialogButtonBox.ButtonRole.ActionRole)
        for b in buttons.buttons():
            self.mark("button", b)
        self.impl("QDialogButtonBox")
        if self.chance(0.3):
            root.addWidget(self.separator())
        root.addWidget(buttons)
        return w

    def l_splitter(self) -> QWidget:
        win = self.main_window(menu=0.7, tools=0.4, status=0.5)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setHandleWidth(self.rng.randint(3, 9))
        left = QVBoxLayout()
        if self.chance(0.4):
            left.addWidget(self.line_edit("Search"))
        left.addWidget(self.pick((self.b_tree, self.b_list))(), 1)
        split.addWidget(self.wrap(left))
        right = QSplitter(Qt.Orientation.Vertical)
        right.setHandleWidth(split.handleWidth())
        right.addWidget(self.page(self.rng.randint(1, 1 + min(self.budget, 2))))
        if self.chance(0.6):
            right.addWidget(self.pick((self.b_text, self.b_table))())
        split.addWidget(right)
        if self.budget > 1 and self.chance(0.25):
            split.addWidget(self.page(1))
        split.setSizes([self.rng.randint(150, 300), self.rng.randint(300, 700), 200])
        layout = QVBoxLayout()
        layout.addWidget(split)
        self.central(win, layout)
        return win

    def l_wizard(self) -> QWidget:
        w = QWidget()
        row = QHBoxLayout(w)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        if self.chance(0.6):
            side = QLabel()
            side.setPixmap(self.image(self.rng.randint(110, 190), 900))
            side.setAlignment(Qt.AlignmentFlag.AlignTop)
            side.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
            row.addWidget(side)
        col = QVBoxLayout()
        col.setContentsMargins(*self.margins(12, 24))
        col.setSpacing(self.rng.randint(8, 14))
        col.addWidget(self.heading(grow=self.rng.randint(3, 7)))
        sub = QLabel(_sentence(self.rng, 6, 14))
        sub.setWordWrap(True)
        col.addWidget(sub)
        col.addWidget(self.separator())
        for _ in range(self.rng.randint(1 + (self.budget > 1), 1 + max(1, self.budget))):
            if self.chance(0.3):
                col.addWidget(self.command_link())
            else:
                col.addWidget(self.block())
        col.addStretch(1)
        col.addWidget(self.separator())
        buttons = QHBoxLayout()
        if self.chance(0.3):
            buttons.addWidget(self.button("Help"))
        buttons.addStretch(1)
        for text in ("< Back", "Next >", "Cancel"):
            buttons.addWidget(self.button(text))
        col.addLayout(buttons)
        row.addLayout(col, 1)
        return w

    def window(self) -> QWidget:
        make = {
            "form": self.l_form,
            "grid": self.l_grid,
            "stack": self.l_stack,
            "settings": self.l_settings,
            "toolbar": self.l_toolbar,
            "dialog": self.l_dialog,
            "splitter": self.l_splitter,
            "wizard": self.l_wizard,
        }[self.layout_name]
        return make()


# ---------------------------------------------------------------------------------------------
# Rendering and boxes
# ---------------------------------------------------------------------------------------------
