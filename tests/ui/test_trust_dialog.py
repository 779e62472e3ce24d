"""Trusting a server certificate from the main window, and the connection password prompt, offscreen."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from hmi.opcua import ConnectionState, Pki
from hmi.opcua.security import CertificateRefused, create_certificate
from hmi.project.model import Identity, Security
from hmi.runtime import Runtime
from hmi.security.audit import search
from hmi.sim.security import SimSecurity
from hmi.sim.server import SimulatorServer
from tests.support import demo_project, free_port, log_in, wait_for
from ui.main_window import MainWindow
from ui.security.credentials import PasswordDialog, PasswordPrompt
from ui.security.trust_dialog import CertificateNotice, TrustDialog

SHOTS = Path(os.environ.get("OPENHMI_SHOTS", "/tmp/shots"))


def shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_trusting_from_the_window_brings_the_secure_connection_up(qtbot, loop, tmp_path: Path):
    port = free_port()

    async def scenario():
        sim = SimulatorServer(port=port, security=SimSecurity(tmp_path / "sim-pki"))
        await sim.start()
        folder = demo_project(tmp_path, port)
        folder.project.connections["plant"].security = Security(
            mode="SignAndEncrypt", policy="Basic256Sha256"
        )
        runtime = Runtime(folder, start_simulator=False)
        window = MainWindow(runtime)
        qtbot.addWidget(window)
        window.resize(1600, 960)
        window.show()
        await runtime.start()
        plant = runtime.connections["plant"]
        try:
            notice = window.findChild(CertificateNotice)
            await wait_for(lambda: notice.isVisible(), 20, "the certificate notice")
            assert "not trusted" in notice.text()
            assert not runtime.table.get("TK101.Level").good
            shot(window, "main_window_certificate_refused")

            notice.click()
            dialog = notice.dialog
            assert dialog is not None and dialog.isVisible() and not dialog.isModal()
            refused = plant.status.refused
            assert refused is not None
            assert dialog.fingerprint.text().replace("\n", ":") == refused.fingerprint
            assert dialog.keep_button.isDefault()
            assert not dialog.trust_button.isEnabled(), "nobody is logged in: nobody may trust"
            assert "Allowed for: administrator." in dialog.trust_button.toolTip()
            log_in(runtime.security, "engineer", "erik")
            notice.click()
            assert not dialog.trust_button.isEnabled()
            assert "erik (engineer) may not trust server certificates" in dialog.trust_button.toolTip()
            log_in(runtime.security, "administrator", "root")
            notice.click()
            assert dialog.trust_button.isEnabled() and dialog.trust_button.toolTip() == ""
            shot(dialog, "trust_dialog")

            qtbot.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)
            await wait_for(lambda: runtime.table.get("TK101.Level").good, 20, "values once trusted")
            assert plant.status.state is ConnectionState.CONNECTED
            assert not notice.isVisible() and not dialog.isVisible()
            assert [c.state for c in Pki().list()] == ["trusted"]
            runtime.audit.flush()
            trusted = search(runtime.audit.path, action="trust_certificate")[0].entry
            assert (trusted.user, trusted.result, trusted.new_value) == ("root", "ok", "trusted")
        finally:
            await runtime.stop()
            await sim.stop()
            window.close()

    loop.run_until_complete(scenario())


def test_keep_rejected_trusts_nothing(qtbot, tmp_path: Path):
    create_certificate(tmp_path / "s.der", tmp_path / "s.pem", uri="urn:plc7", common_name="PLC 7")
    pki = Pki(tmp_path / "pki")
    with pytest.raises(CertificateRefused) as refused:
        pki.check((tmp_path / "s.der").read_bytes(), "opc.tcp://plc7:4840")
    dialog = TrustDialog(refused.value.info, pki)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert {"CN=PLC 7", "opc.tcp://plc7:4840", "urn:plc7"} <= set(texts)
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert [c.state for c in pki.list()] == ["rejected"]


def test_password_prompt_asks_and_asks_again_after_a_refusal(qtbot, qapp, loop, tmp_path: Path):
    folder = demo_project(tmp_path, 4840)
    folder.project.connections["plant"].identity = Identity(kind="username", user="alice")
    prompt = PasswordPrompt(folder.project.connections)

    async def answer(text: str | None) -> None:
        await wait_for(lambda: prompt.dialog is not None and prompt.dialog.isVisible(), 10, "the dialog")
        dialog = prompt.dialog
        assert isinstance(dialog, PasswordDialog)
        if text is None:
            dialog.reject()
        else:
            dialog.entry.setText(text)
            dialog.accept()

    async def scenario():
        first = asyncio.ensure_future(prompt("plant", "alice"))
        await wait_for(lambda: prompt.dialog is not None, 10, "the first dialog")
        assert not prompt.dialog.problem.isVisible()
        shot(prompt.dialog, "password_dialog")
        await answer("s3cret")
        assert await first == "s3cret"
        again = asyncio.ensure_future(prompt("plant", "alice"))  # the server refused it: ask again
        await wait_for(lambda: prompt.dialog is not None, 10, "the second dialog")
        assert prompt.dialog.problem.isVisible()
        shot(prompt.dialog, "password_dialog_retry")
        await answer(None)
        assert await again is None

    qapp.setQuitOnLastWindowClosed(False)  # as the app does: a closed dialog must not end the loop
    try:
        loop.run_until_complete(scenario())
    finally:
        qapp.setQuitOnLastWindowClosed(True)
