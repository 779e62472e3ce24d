import asyncio
import gc

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent


@pytest.fixture
def loop(qapp):
    """A qasync loop for tests that run the engine and the UI together."""
    # Qt objects left by earlier tests must not be garbage-collected inside the Qt loop: that crashes.
    gc.collect()
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
