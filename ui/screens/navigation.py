"""Screen navigation as reusable pieces: history with back/forward/home, and full-screen operator mode."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QBoxLayout, QMainWindow, QStyle, QToolButton, QWidget


class Navigator(QObject):
    """Which screens were shown, in order; back, forward and home ask for a screen through `requested`.

    The window shows a screen and calls `visit(name)`; `requested(name)` asks it to show one.
    Visiting the screen already current changes nothing, so the two can call each other safely.
    """

    requested = Signal(str)
    changed = Signal()

    def __init__(self, home: str, parent: QObject | None = None):
        super().__init__(parent)
        self.home_screen = home
        self.history: list[str] = []
        self.index = -1

    @property
    def current(self) -> str | None:
        return self.history[self.index] if self.history else None

    def can_go_back(self) -> bool:
        return self.index > 0

    def can_go_forward(self) -> bool:
        return self.index < len(self.history) - 1

    def visit(self, name: str) -> None:
        """Record a screen the window now shows; a new visit drops the screens ahead of it."""
        if name == self.current:
            return
        del self.history[self.index + 1 :]
        self.history.append(name)
        self.index = len(self.history) - 1
        self.changed.emit()

    def back(self) -> None:
        if self.can_go_back():
            self._move(self.index - 1)

    def forward(self) -> None:
        if self.can_go_forward():
            self._move(self.index + 1)

    def home(self) -> None:
        self.visit(self.home_screen)
        self.requested.emit(self.home_screen)

    def _move(self, index: int) -> None:
        self.index = index
        self.changed.emit()
        self.requested.emit(self.history[index])

    def actions(self, parent: QWidget) -> list[QAction]:
        """Back (Alt+Left), Forward (Alt+Right) and Home (Alt+Home), enabled as history allows."""
        style = parent.style()
        made = []
        for icon, text, key, slot in (
            (QStyle.StandardPixmap.SP_ArrowBack, self.tr("Back"), QKeySequence.StandardKey.Back, self.back),
            (
                QStyle.StandardPixmap.SP_ArrowForward,
                self.tr("Forward"),
                QKeySequence.StandardKey.Forward,
                self.forward,
            ),
            (QStyle.StandardPixmap.SP_DirHomeIcon, self.tr("Home"), QKeySequence("Alt+Home"), self.home),
        ):
            action = QAction(style.standardIcon(icon), text, parent, shortcut=QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            made.append(action)
        back, forward, _ = made

        def enable() -> None:
            back.setEnabled(self.can_go_back())
            forward.setEnabled(self.can_go_forward())

        self.changed.connect(enable)
        enable()
        return made


def set_operator_mode(window: QMainWindow, on: bool) -> None:
    """Full screen without the menu bar: the control-room layout, where the screen is all there is."""
    window.menuBar().setVisible(not on)
    if on:
        window.showFullScreen()
    else:
        window.showNormal()


def add_nav_buttons(navigator: Navigator, window: QWidget, row: QBoxLayout) -> None:
    """Back, forward and home as buttons in `row`, with their shortcuts active anywhere in `window`."""
    for action in navigator.actions(window):
        window.addAction(action)
        button = QToolButton()
        button.setDefaultAction(action)
        row.addWidget(button)


def operator_mode_action(window: QMainWindow) -> QAction:
    """A checkable F11 action switching operator mode; add it to the window so the key works full screen."""
    action = QAction(
        QCoreApplication.translate("Navigator", "&Operator mode (full screen)"),
        window,
        checkable=True,
        shortcut=QKeySequence("F11"),
    )
    action.toggled.connect(lambda on: set_operator_mode(window, on))
    return action
