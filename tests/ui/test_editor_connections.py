"""The editor's connections dialog: add, edit, rename and remove connections as one undoable edit,
a password kept out of the project, and trying a secure connection through the trust flow, where
only an administrator may trust the server's certificate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hmi.opcua.security import Pki
from hmi.security.service import open_security
from hmi.sim.security import SimSecurity
from hmi.sim.server import SimulatorServer
from tests.support import PASSWORD, demo_project, free_port, log_in, wait_for
from ui.editor.connections_dialog import ConnectionsDialog
from ui.editor.window import EditorWindow
from ui.security.login import LoginDialog


@pytest.fixture
def editor(qtbot, tmp_path: Path) -> Iterator[tuple[EditorWindow, int]]:
    port = free_port()
    window = EditorWindow(demo_project(tmp_path, port))
    window.resize(1600, 960)
    window.show()
    qtbot.waitExposed(window)
    yield window, port
    window.document.undo.setClean()
    window.close()


def test_add_rename_and_undo_with_the_password_kept_out_of_the_project(qtbot, editor):
    editor, _ = editor
    folder = editor.document.folder
    editor.connections_action.trigger()
    dialog = editor.dialog
    assert isinstance(dialog, ConnectionsDialog) and dialog.isVisible()
    assert not dialog.remove_button.isEnabled() and "40 tag(s)" in dialog.remove_button.toolTip()
    dialog.form.name.setText("line1")  # rename plant: its tags follow
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.form
    form.name.setText("backup")
    form.endpoint.setText("opc.tcp://10.0.0.9:4840")
    form.mode.setCurrentText("SignAndEncrypt")
    form.policy.setCurrentText("Aes256_Sha256_RsaPss")
    form.kind.setCurrentIndex(1)
    form.user.setText("hmi")
    form.password.setText("secret-word-9")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    project = folder.project
    assert list(project.connections) == ["line1", "meter", "backup"]  # the demo also has an energy meter
    backup = project.connections["backup"]
    assert (backup.security.mode, backup.security.policy, backup.identity.user) == (
        "SignAndEncrypt",
        "Aes256_Sha256_RsaPss",
        "hmi",
    )
    assert {t.connection for t in project.tags} == {"line1", "meter"}  # the plant's tags follow the rename
    assert editor.save()
    text = (folder.root / "project.yaml").read_text()
    assert "secret-word-9" not in text and "password" not in text

    editor.document.undo.undo()  # one step
    assert list(folder.project.connections) == ["plant", "meter"]
    assert {t.connection for t in folder.project.tags} == {"plant", "meter"}


def test_a_bad_endpoint_is_named_and_nothing_changes(qtbot, editor):
    editor, _ = editor
    editor.connections_action.trigger()
    dialog = editor.dialog
    dialog.form.endpoint.setText("http://plc")
    dialog.accept()
    assert dialog.isVisible() and "opc.tcp://" in dialog.problem.text()
    assert editor.document.undo.count() == 0
    dialog.reject()


def test_trying_a_secure_connection_trusts_the_certificate_as_an_administrator(qtbot, loop, editor, tmp_path):
    editor, port = editor
    first = open_security(editor.document.folder)
    log_in(first, "engineer")  # the station's users: an administrator and an engineer
    first.audit.close()
    security = editor._station_security() or pytest.fail("no station security")
    log_in(security, "engineer")  # may edit, may not trust

    async def scenario() -> None:
        async with SimulatorServer(port=port, security=SimSecurity(tmp_path / "sim-pki")):
            editor.connections_action.trigger()
            dialog = editor.dialog
            dialog.form.mode.setCurrentText("SignAndEncrypt")
            dialog.form.policy.setCurrentText("Basic256Sha256")
            qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
            login = None

            def asked() -> bool:
                nonlocal login
                login = next((w for w in dialog.findChildren(LoginDialog) if w.isVisible()), None)
                return login is not None

            await wait_for(asked, 20, "a login as administrator")
            assert "administrator" in login.intro.text()
            login.name.setText("admin")
            login.password.setText(PASSWORD)
            login.try_login()
            await wait_for(
                lambda: dialog.trust_dialog is not None and dialog.trust_dialog.isVisible(), 10, "trust"
            )
            assert dialog.trust_dialog.trust_button.isEnabled()
            qtbot.mouseClick(dialog.trust_dialog.trust_button, Qt.MouseButton.LeftButton)
            await wait_for(lambda: dialog.problem.text().startswith("Connected to"), 20, "the connection")
            dialog.reject()

    loop.run_until_complete(scenario())
    assert [c.state for c in Pki().list()] == ["trusted"]
    assert security.actor == "admin"


def test_a_modbus_connection_is_listed_kept_and_said_not_edited_here(qtbot, editor):
    editor, _ = editor
    before = editor.document.folder.project.connections["meter"]
    editor.connections_action.trigger()
    dialog = editor.dialog
    dialog.list.setCurrentRow(1)  # the demo's energy meter
    assert not dialog.form.isEnabled() and not dialog.test_button.isEnabled()
    assert "meter is a modbus connection" in dialog.problem.text()
    dialog.list.setCurrentRow(0)
    assert dialog.form.isEnabled() and dialog.form.endpoint.text().startswith("opc.tcp://")
    dialog.form.name.setText("line1")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert editor.document.folder.project.connections["meter"] == before
    assert list(editor.document.folder.project.connections) == ["line1", "meter"]
