"""Guards against a Qt binding that corrupts Python objects (PySide6 6.12.0 did: see pyproject.toml)."""

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    fired = Signal(list)


def test_emitting_signals_keeps_reference_counts_intact(qapp):
    emitter = Emitter()
    emitter.fired.connect(lambda payload: None)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(1000):
        emitter.fired.emit([1])
    after = sys.getrefcount(True), sys.getrefcount(False)
    # A few references may come and go with other objects; a leak costs one per emit.
    assert abs(after[0] - before[0]) < 50 and abs(after[1] - before[1]) < 50, (before, after)
