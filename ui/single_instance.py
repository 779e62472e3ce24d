"""One window per project on a workstation: a second launch raises the first and exits.

The first instance listens on a local socket named after the project folder; a later launch that can
connect to it asks it to come to the front instead of opening the project (and its database) twice.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_MS = 1000
RAISE = b"raise\n"


def server_name(project_root: Path) -> str:
    digest = hashlib.sha1(str(Path(project_root).resolve()).encode()).hexdigest()[:16]
    return f"openhmi-{digest}"


def ask_running_instance(project_root: Path) -> bool:
    """True when another instance has this project open; it has then been asked to raise its window."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(project_root))
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write(RAISE)
    socket.waitForBytesWritten(CONNECT_MS)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(CONNECT_MS)
    return True


class InstanceServer(QObject):
    """Listens for later launches on the same project; `raise_requested` asks to show the window."""

    raise_requested = Signal()

    def __init__(self, project_root: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        name = server_name(project_root)
        if not self.server.listen(name):
            # A socket file left by an instance that crashed: nobody answered on it, so take it over.
            QLocalServer.removeServer(name)
            if not self.server.listen(name):
                log.warning("cannot guard against a second instance: %s", self.server.errorString())

    def _accept(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            # The request is one short line sent right after connecting: read it here, then hang up.
            arrived = socket.bytesAvailable() > 0 or socket.waitForReadyRead(CONNECT_MS)
            if arrived and RAISE.strip() in bytes(socket.readAll().data()):
                self.raise_requested.emit()
            socket.abort()

    def close(self) -> None:
        self.server.close()
