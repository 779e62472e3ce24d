import os

import pytest

# Qt tests run without a display, also when a developer runs pytest from a desktop session.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """History, journal and audit files of every test go to its own temp dir, never the user's."""
    path = tmp_path / "data"
    monkeypatch.setenv("OPENHMI_DATA_DIR", str(path))
    return path
