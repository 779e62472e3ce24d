"""Workstation settings: a second start restores the window's place and size and the open screen."""

from __future__ import annotations

from pathlib import Path

from ui.settings import Settings

from .workstation_support import make_window_fixture  # noqa: F401 (the make_window fixture)


def test_second_window_restores_geometry_and_screen(make_window, tmp_path: Path):
    ini = tmp_path / "workstation.ini"
    first = make_window(Settings.open(ini))
    assert not first.restored  # nothing saved yet: the app picks its default size
    first.show()
    first.resize(first.minimumSizeHint().width() + 10, 520)
    first.move(20, 30)
    size = (first.width(), first.height())
    assert size != (1600, 960)
    first.show_screen("robot")
    folder = first.folder
    first.close()
    assert ini.exists()

    second = make_window(Settings.open(ini), folder=folder)
    assert second.restored
    second.show()
    assert second.current == "robot"
    assert second.nav_buttons["robot"].isChecked()
    # The test screen is 800 px wide, the window wider: Qt may pull a restored window a few pixels
    # to keep its frame on the screen.
    assert second.height() == size[1] and abs(second.width() - size[0]) <= 8


def test_screen_is_remembered_per_project(make_window, tmp_path: Path):
    ini = tmp_path / "workstation.ini"
    first = make_window(Settings.open(ini))
    first.show_screen("pumps")
    first.close()
    other_copy = make_window(Settings.open(ini))  # the same project in another folder
    assert other_copy.current == other_copy.folder.project.start_screen


def test_values_survive_a_restart_of_the_settings(tmp_path: Path):
    ini = tmp_path / "workstation.ini"
    settings = Settings.open(ini)
    assert (settings.language, settings.theme, settings.kiosk, settings.last_project) == (
        "",
        "light",
        False,
        None,
    )
    settings.language, settings.theme, settings.kiosk = "zh_CN", "dark", True
    settings.last_project = tmp_path
    again = Settings.open(ini)
    assert (again.language, again.theme, again.kiosk) == ("zh_CN", "dark", True)
    assert again.last_project == tmp_path.resolve()


def test_default_settings_follow_the_data_dir(data_dir: Path):
    """Tests and portable installs (OPENHMI_DATA_DIR) never touch the user's own settings."""
    Settings.open().theme = "dark"
    assert (data_dir / "settings.ini").exists()


def test_kiosk_starts_full_screen_without_menus_and_stays(make_window):
    window = make_window()
    window.set_kiosk()
    assert window.isFullScreen()
    assert not window.menuBar().isVisible()
    assert window.operator_mode.isChecked() and not window.operator_mode.isEnabled()  # F11 cannot leave
