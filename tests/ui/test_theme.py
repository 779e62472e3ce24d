"""Themes: View > Theme > Dark restyles the windows and repaints the symbols on the open screen."""

from __future__ import annotations

from PySide6.QtGui import QColor

from ui import theme
from ui.screens.items import ValueItem

from .screen_support import count, render
from .workstation_support import make_window_fixture  # noqa: F401 (the make_window fixture)


def theme_action(window, name: str):
    view_menu = window.menuBar().actions()[1].menu()
    themes = next(a.menu() for a in view_menu.actions() if a.menu() and a.menu().title() == "&Theme")
    return next(a for a in themes.actions() if a.data() == name)


def test_dark_theme_restyles_and_repaints(make_window, qapp):
    window = make_window()
    window.resize(760, 520)
    window.show()
    level = next(
        i
        for i in window.view.items_
        if isinstance(i, ValueItem) and i.model.bind.get("value") == "TK101.Level"
    )
    light_box, dark_box = (
        QColor(theme.PALETTES["light"]["VALUE_BOX"]),
        QColor(theme.PALETTES["dark"]["VALUE_BOX"]),
    )
    before = count(render(level), light_box, 4)
    assert before > 50 and count(render(level), dark_box, 4) == 0
    assert window.view.grab().toImage().pixelColor(3, 3).lightness() > 180
    style = qapp.styleSheet()
    try:
        theme_action(window, "dark").trigger()
        assert window.settings.theme == "dark"
        assert "#23272b" in qapp.styleSheet()
        image = render(level)
        assert count(image, light_box, 4) < before * 0.05  # (anti-aliased light text aside)
        assert count(image, dark_box, 4) >= before * 0.9  # the value box is now dark
        assert window.view.grab().toImage().pixelColor(3, 3).lightness() < 60  # and so is the screen
        assert window.menuBar().grab().toImage().pixelColor(400, 5).lightness() < 60
        assert theme.ALARM[1] == QColor("#d40000")  # alarm colours keep their meaning
    finally:
        theme_action(window, "light").trigger()
    assert count(render(level), light_box, 4) == before
    assert window.view.grab().toImage().pixelColor(3, 3).lightness() > 180
    qapp.setStyleSheet(style)  # as the other tests expect it


def test_unknown_theme_is_refused():
    try:
        theme.apply("neon")
    except ValueError as exc:
        assert "light, dark" in str(exc)
    else:
        raise AssertionError("an unknown theme was accepted")
    assert theme.current in theme.THEMES


def test_a_larger_text_size_grows_screens_menus_and_the_banner_together_and_is_remembered(make_window, qapp):
    window = make_window()
    window.resize(1600, 960)
    window.show()

    def level() -> ValueItem:
        return next(
            i for i in window.view.items_ if isinstance(i, ValueItem) and "TK101.Level" in i.tag_names()
        )

    def zoom_action(name: str):
        view_menu = window.menuBar().actions()[1].menu()
        sizes = next(a.menu() for a in view_menu.actions() if a.menu() and a.menu().title() == "Text &size")
        return next(a for a in sizes.actions() if a.text() == name)

    box_at_100 = level().box().height()
    digits_at_100 = theme.pt("value")
    assert digits_at_100 * 96 / 72 >= 16, "figures at least 16 px high at 100 %, legible at 1080p from 1 m"
    menus_at_100 = window.menuBar().fontInfo().pixelSize()
    style = qapp.styleSheet()
    try:
        zoom_action("130%").trigger()
        assert window.settings.zoom == 1.3
        assert theme.pt("value") == digits_at_100 * 1.3
        assert level().box().height() > box_at_100, (
            "the screen laid out again: its boxes fit the larger figures"
        )
        assert window.menuBar().fontInfo().pixelSize() > menus_at_100, "the menus grow too"
        assert window.banner.fontInfo().pixelSize() > menus_at_100
    finally:
        zoom_action("100%").trigger()
        qapp.setStyleSheet(style)  # as the other tests expect it
    assert level().box().height() == box_at_100
