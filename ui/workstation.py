"""Workstation choices in the main window: View > Theme, View > Language, and the About box."""

from __future__ import annotations

import platform
from collections.abc import Callable

import asyncua
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

import hmi
from hmi.runtime import Runtime

from . import i18n, theme
from .settings import Settings

translate = QCoreApplication.translate


def theme_menu(parent: QWidget, settings: Settings) -> QMenu:
    """Light (ISA-101 grey) or dark (control room); applied at once to every window and remembered."""
    menu = QMenu(translate("Workstation", "&Theme"), parent)
    names = {
        "light": translate("Workstation", "&Light (ISA-101 grey)"),
        "dark": translate("Workstation", "&Dark (control room)"),
    }

    def choose(name: str) -> None:
        theme.apply(name)
        settings.theme = name

    _choices(menu, names, theme.current, choose)
    return menu


def zoom_menu(parent: QWidget, settings: Settings) -> QMenu:
    """The station's text size: screens, menus, lists and the alarm banner grow together; remembered."""
    menu = QMenu(translate("Workstation", "Text &size"), parent)
    names = {str(zoom): f"{zoom:.0%}" for zoom in theme.ZOOMS}

    def choose(name: str) -> None:
        theme.set_zoom(float(name))
        settings.zoom = float(name)

    _choices(menu, names, str(theme.zoom), choose)
    return menu


def language_menu(parent: QWidget, settings: Settings, notify: Callable[[str], None]) -> QMenu:
    """System, English or Chinese; stored now, used from the next start (menus are built once)."""
    menu = QMenu(translate("Workstation", "&Language"), parent)
    names = {code: translate("Workstation", name) for code, name in i18n.LANGUAGES.items()}

    def choose(code: str) -> None:
        settings.language = code
        notify(translate("Workstation", "The language changes when OpenHMI is started again."))

    _choices(menu, names, settings.language, choose)
    return menu


def _choices(menu: QMenu, names: dict[str, str], current: str, choose: Callable[[str], object]) -> None:
    group = QActionGroup(menu)
    group.setExclusive(True)
    for value, text in names.items():
        action = QAction(text, menu, checkable=True, checked=value == current)
        action.setData(value)
        action.triggered.connect(lambda _=False, v=value: choose(v))
        group.addAction(action)
        menu.addAction(action)


def show_about(parent: QWidget, runtime: Runtime) -> None:
    """Versions of everything that matters in a support call, the project and where its data is."""
    rows = (
        (translate("Workstation", "OpenHMI"), hmi.__version__),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("asyncua", asyncua.__version__),
        ("Python", platform.python_version()),
        (translate("Workstation", "Project"), str(runtime.folder.root)),
        (translate("Workstation", "Data"), runtime.storage.location()),
    )
    intro = translate("Workstation", "OpenHMI: an open-source HMI/SCADA runtime for OPC-UA.")
    row = "<tr><td><b>{0}</b></td><td nowrap>&nbsp;&nbsp;{1}</td></tr>"
    lines = "".join(row.format(name, value) for name, value in rows)
    QMessageBox.about(
        parent,
        translate("Workstation", "About OpenHMI"),
        f"<p>{intro}</p><table>{lines}</table>",
    )
