"""View > Connections: each server's state and honest counters, refreshed every second."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from hmi.opcua import Connection
from hmi.project.model import Connection as ConnectionConfig
from hmi.runtime import Runtime
from hmi.sources import TagSource


class ConnectionsDialog(QDialog):
    """One group a connection: endpoint, state and why, security, changes per second, totals."""

    def __init__(self, runtime: Runtime, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connections"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.fields: dict[str, dict[str, QLabel]] = {}
        self._last: dict[str, int] = {}
        self._connections = runtime.connections
        for name, connection in runtime.connections.items():
            box = QGroupBox(name, self)
            form = QFormLayout(box)
            labels = {
                "endpoint": self.tr("Endpoint"),
                "state": self.tr("State"),
                "security": self.tr("Security"),
                "rate": self.tr("Changes per second"),
                "changes": self.tr("Changes received"),
                "latency": self.tr("Publish latency"),
                "overflows": self.tr("Queue overflows"),
                "reconnects": self.tr("Reconnects"),
                "stale": self.tr("Stale after"),
                "error": self.tr("Last error"),
            }
            self.fields[name] = {}
            for key, text in labels.items():
                value = QLabel(box)
                value.setWordWrap(True)
                form.addRow(text, value)
                self.fields[name][key] = value
            self._last[name] = connection.counters().notifications
            layout.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(1000)
        self.refresh(first=True)

    def refresh(self, first: bool = False) -> None:
        for name, connection in self._connections.items():
            self._show(name, connection, first)

    def _show(self, name: str, connection: TagSource, first: bool) -> None:
        counters = connection.counters()
        fields, status, cfg = self.fields[name], connection.status, connection.config
        rate = 0 if first else counters.notifications - self._last[name]
        self._last[name] = counters.notifications
        if isinstance(cfg, ConnectionConfig):
            security: str = cfg.security.mode
            security += f" {cfg.security.policy}" if cfg.security.policy is not None else ""
            backups = self.tr("backups: %s") % ", ".join(cfg.backups) if cfg.backups else ""
            fields["security"].setText(f"{security}, {cfg.identity.kind}")
        else:
            backups = ""
            fields["security"].setText("–")
        fields["endpoint"].setText("\n".join(t for t in (connection.describe(), backups) if t))
        fields["state"].setText(
            f"{status.state.value}: {status.detail}" if status.detail else status.state.value
        )
        fields["rate"].setText("–" if first else str(rate))
        fields["changes"].setText(str(counters.notifications))
        fields["latency"].setText(
            "–"
            if counters.latency_ms is None
            else self.tr("%.0f ms median, server stamp to arrival") % counters.latency_ms
        )
        fields["overflows"].setText(str(counters.overflows))
        fields["reconnects"].setText(str(counters.reconnects))
        fields["stale"].setText(
            self.tr("%.1f s without data or keep-alive") % connection.subscription.stale_after_s
            if isinstance(connection, Connection)
            else self.tr("the first poll without an answer")
        )
        fields["error"].setText(counters.last_error or self.tr("none"))
