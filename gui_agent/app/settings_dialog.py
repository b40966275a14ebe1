"""The settings dialog: a form over ``gui_agent.config.Settings``.

The API key field writes to the keyring only (never the TOML file) and only when edited,
so opening and closing the dialog never touches the keychain's stored secret.
"""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui_agent.config import ConfigError, Settings, save_settings, set_api_key
from gui_agent.control.risk import Autonomy

__all__ = ["AUTONOMY_LABELS", "PROVIDER_LABELS", "SettingsDialog"]

PROVIDER_LABELS = {"embedded": "Embedded (direct commands, offline)",
                   "openai": "OpenAI-compatible server", "anthropic": "Anthropic"}  # fmt: skip
AUTONOMY_LABELS = {Autonomy.ASK: "Ask before every action",
                   Autonomy.ASK_RISKY: "Ask for risky actions",
                   Autonomy.AUTO: "Auto (ask only when no rule allows a risky one)"}  # fmt: skip


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("FormSection")
    return label


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("Hint")
    label.setWordWrap(True)
    return label


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


class SettingsDialog(QDialog):
    """Edits a copy of the settings; ``result_settings`` holds what was saved on accept."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("gui-agent settings")
        self.setMinimumWidth(520)
        self.original = settings
        self.result_settings: Settings | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 18, 18, 18)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(14)

        self.provider = QComboBox()
        for key, label in PROVIDER_LABELS.items():
            self.provider.addItem(label, key)
        self.provider.setCurrentIndex(list(PROVIDER_LABELS).index(settings.provider))
        self.base_url = QLineEdit(settings.base_url)
        self.base_url.setPlaceholderText("default of the provider, e.g. http://127.0.0.1:8080/v1")
        self.model = QLineEdit(settings.model)
        self.model.setPlaceholderText("default of the provider")
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText("unchanged (stored in the system keyring)")
        self.autonomy = QComboBox()
        for a, label in AUTONOMY_LABELS.items():
            self.autonomy.addItem(label, a.value)
        self.autonomy.setCurrentIndex(list(AUTONOMY_LABELS).index(settings.autonomy))
        self.always_ask = QPlainTextEdit("\n".join(settings.always_ask))
        self.never_allow = QPlainTextEdit("\n".join(settings.never_allow))
        self.allow = QPlainTextEdit("\n".join(settings.allow))
        for edit in (self.always_ask, self.never_allow, self.allow):
            edit.setFixedHeight(64)
            edit.setPlaceholderText("one pattern per line, e.g. Delete* or send")
        self.stop_hotkey = QLineEdit(settings.stop_hotkey)
        self.ocr_threads = QSpinBox()
        self.ocr_threads.setRange(1, 32)
        self.ocr_threads.setValue(settings.ocr_threads)

        form.addRow(_heading("Planner"))
        form.addRow("Provider", self.provider)
        form.addRow("Base URL", self.base_url)
        form.addRow("Model", self.model)
        form.addRow("API key", self.api_key)
        form.addRow("", _hint("Kept in the system keyring, never in the settings file."))
        form.addRow(_heading("Safety"))
        form.addRow("Autonomy", self.autonomy)
        form.addRow("Always ask", self.always_ask)
        form.addRow("Never allow", self.never_allow)
        form.addRow("Allow", self.allow)
        form.addRow(
            "",
            _hint(
                "Patterns match the target's words; * and ? are wildcards. "
                "An allow rule must name the risky word to cover it."
            ),
        )
        form.addRow("Stop hotkey", self.stop_hotkey)
        form.addRow(_heading("Performance"))
        form.addRow("OCR threads", self.ocr_threads)
        lay.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("RiskReasons")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def edited_settings(self) -> Settings:
        """The form as settings; raises ``ValidationError``/``ValueError`` for bad input."""
        data = self.original.model_dump()
        data.update(
            provider=self.provider.currentData(),
            base_url=self.base_url.text(),
            model=self.model.text(),
            autonomy=self.autonomy.currentData(),
            always_ask=_lines(self.always_ask),
            never_allow=_lines(self.never_allow),
            allow=_lines(self.allow),
            stop_hotkey=self.stop_hotkey.text(),
            ocr_threads=self.ocr_threads.value(),
        )
        settings = Settings.model_validate(data)
        settings.rules()  # the gate's own validation (e.g. no blank patterns)
        return settings

    def save(self) -> None:
        try:
            settings = self.edited_settings()
            key = self.api_key.text().strip()
            if key and settings.provider != "embedded":
                set_api_key(settings.provider, key)
            save_settings(settings)
        except (ValidationError, ValueError, ConfigError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.result_settings = settings
        self.accept()
