"""Audible annunciation: a tone per priority for new alarms, until the operator silences it.

QtMultimedia needs PulseAudio libraries that a bare workstation may lack, so tones are WAV data made
here and played by the platform: winsound on Windows, afplay on macOS, paplay/aplay on Linux.
Where none exists the annunciator still tracks what should sound (the banner shows it).
"""

from __future__ import annotations

import io
import logging
import math
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from hmi.alarms import Alarm, AlarmEngine, AlarmState, Priority

log = logging.getLogger(__name__)

RATE = 22050
TONES = {  # priority -> (frequency Hz, beeps per burst): more urgent is higher and more insistent
    Priority.CRITICAL: (1200, 3),
    Priority.HIGH: (950, 2),
    Priority.MEDIUM: (750, 1),
    Priority.LOW: (600, 1),
}
REPEAT_MS = 4000


def tone(frequency: float, beeps: int) -> bytes:
    """A WAV burst: `beeps` beeps of 0.18 s with 0.12 s between them, with soft edges (no clicks)."""
    frames = bytearray()
    beep, gap = int(RATE * 0.18), int(RATE * 0.12)
    for _ in range(beeps):
        for i in range(beep):
            envelope = min(1.0, i / 400, (beep - i) / 400)
            frames += struct.pack("<h", int(12000 * envelope * math.sin(2 * math.pi * frequency * i / RATE)))
        frames += b"\0\0" * gap
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))
    return out.getvalue()


class TonePlayer:
    """Plays a priority's tone without blocking, by whatever the platform offers."""

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="openhmi-tones-"))
        self._files = {}
        for priority, (freq, beeps) in TONES.items():
            path = self._dir / f"{priority.value}.wav"
            path.write_bytes(tone(freq, beeps))
            self._files[priority] = path
        self._command = next((c for c in ("paplay", "aplay", "afplay") if shutil.which(c)), None)

    @property
    def available(self) -> bool:
        return sys.platform == "win32" or self._command is not None

    def play(self, priority: Priority) -> None:
        path = self._files[priority]
        if sys.platform == "win32":
            import winsound

            winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC)
        elif self._command is not None:
            args = (
                [self._command, "-q", str(path)] if self._command == "aplay" else [self._command, str(path)]
            )
            subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)


class Annunciator(QObject):
    """Sounds the most urgent priority among new unacknowledged alarms until silenced or acknowledged."""

    changed = Signal()

    def __init__(self, engine: AlarmEngine, player: TonePlayer | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.engine = engine
        self.player = player or TonePlayer()
        self.sounding: Priority | None = None
        self._heard: set[str] = set()
        self._repeat = QTimer(self, interval=REPEAT_MS)
        self._repeat.timeout.connect(self._play)
        self._unsubscribe = engine.subscribe(self._on_alarm)

    def close(self) -> None:
        self._unsubscribe()
        self._repeat.stop()
        self.player.close()

    def _on_alarm(self, alarm: Alarm) -> None:
        if alarm.state is AlarmState.UNACK_ACTIVE and alarm.id not in self._heard:
            self._heard.add(alarm.id)
            if self.sounding is None or alarm.priority.number < self.sounding.number:
                self.sounding = alarm.priority
                self._play()
                self._repeat.start()
                self.changed.emit()
        elif alarm.state is not AlarmState.UNACK_ACTIVE:
            self._heard.discard(alarm.id)
            if self.sounding is not None and not any(
                a.state is AlarmState.UNACK_ACTIVE for a in self.engine.alarms()
            ):
                self.silence()

    def _play(self) -> None:
        if self.sounding is not None:
            self.player.play(self.sounding)

    def silence(self) -> None:
        """Stop the tone; alarms stay unacknowledged, and a new alarm sounds again."""
        if self.sounding is None:
            return
        self.sounding = None
        self._repeat.stop()
        self.changed.emit()
