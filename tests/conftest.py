import os
import shutil
import subprocess

import pytest

from tests.interop.servers import NODE_DIR, node_ready

# Qt tests run without a display, also when a developer runs pytest from a desktop session.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """History, journal and audit files of every test go to its own temp dir, never the user's."""
    path = tmp_path / "data"
    monkeypatch.setenv("OPENHMI_DATA_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def node_opcua() -> None:
    """node-opcua as the lockfile pins it, for the servers of another stack (tests/interop): installed
    on first use, so the README's one test command is enough on a fresh machine with node and npm."""
    if node_ready() is not None and shutil.which("npm") is not None:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True, timeout=600)
    problem = node_ready()
    if problem is not None:
        pytest.fail(f"the interop servers cannot run: {problem}")
