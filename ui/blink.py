"""The application's one blink clock: banner, summary and graphics flash unacknowledged alarms together."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

BLINK_MS = 500


class Blinker(QObject):
    """One blink phase for every view, so all unacknowledged alarms flash in step."""

    toggled = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.on = True
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._toggle)
        self._timer.start(BLINK_MS)

    def _toggle(self) -> None:
        self.on = not self.on
        self.toggled.emit()


def shared_blinker() -> Blinker:
    """The application's blinker, owned by the application so that no Python cycle ever deletes it."""
    app = QCoreApplication.instance()
    assert app is not None, "blinking needs the running application"
    blinker = app.findChild(Blinker)
    return blinker if blinker is not None else Blinker(app)
