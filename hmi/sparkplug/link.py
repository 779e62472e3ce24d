"""One MQTT session over paho: its network thread talks to the broker, reconnecting by itself; what it
hears is handed to the asyncio loop, counted, and dropped (counted too) when the loop falls behind."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from .settings import Broker

log = logging.getLogger(__name__)

MAX_PENDING = 2000
"""Messages heard and not yet handled on the loop; past this they are dropped and counted."""


Handler = Callable[[str, bytes], None]


class Link:
    """A client session: `on_message(topic, payload)`, `on_up()` and `on_down(reason)` run on the loop."""

    def __init__(
        self,
        client_id: str,
        broker: Broker,
        keepalive_s: int,
        loop: asyncio.AbstractEventLoop,
        *,
        on_message: Handler,
        on_up: Callable[[], None],
        on_down: Callable[[str], None],
        subscriptions: Sequence[str] = (),
        before_reconnect: Callable[[], None] | None = None,
    ):
        self.broker = broker
        self.keepalive_s = keepalive_s
        self._loop = loop
        self._on_message, self._on_up, self._on_down = on_message, on_up, on_down
        self._before_reconnect = before_reconnect
        self.subscriptions = list(subscriptions)
        """Subscribed at every connect, before anything else is heard or sent."""
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
        client.reconnect_delay_set(min_delay=1, max_delay=5)
        client.on_connect = self._connected
        client.on_disconnect = self._disconnected
        client.on_connect_fail = self._unreachable
        client.on_message = self._message
        client.on_publish = self._written
        self.client = client
        self._lock = threading.Lock()
        self.received = 0
        self.pending = 0
        """Messages heard, not yet handled on the loop."""
        self.dropped = 0
        """Messages heard and thrown away, the loop being too far behind: the sequence gap they leave
        makes a host ask for a rebirth."""
        self._dropping = False
        self.sent = 0
        self.written = 0
        self.refused = 0
        """Messages paho would not queue (the session is down)."""
        self.reconnects = 0
        self._was_up = False
        self.up = False

    @property
    def unsent(self) -> int:
        """Messages handed to paho and not yet written to the socket."""
        return self.sent - self.written

    def will(self, topic: str, payload: bytes) -> None:
        """The message the broker sends for us when the session dies; taken at the next connect."""
        self.client.will_set(topic, payload, qos=1, retain=False)

    def start(self) -> None:
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=self.keepalive_s)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def publish(self, topic: str, payload: bytes, qos: int = 0) -> bool:
        """Hand a message to paho; False when it cannot take it (the session is down)."""
        info = self.client.publish(topic, payload, qos=qos)
        if info.rc != mqtt.MQTT_ERR_SUCCESS:
            self.refused += 1
            return False
        with self._lock:
            self.sent += 1
        return True

    # -- paho's network thread -------------------------------------------------------------------

    def _connected(self, _client: Any, _userdata: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if reason.is_failure:
            self._loop.call_soon_threadsafe(self._down, f"the broker refused the session: {reason}")
            return
        for topic in self.subscriptions:
            self.client.subscribe(topic, qos=0)
        self._loop.call_soon_threadsafe(self._up)

    def _disconnected(self, _client: Any, _userdata: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if self._before_reconnect is not None:
            self._before_reconnect()  # here, before paho's next connect attempt takes the will
        why = "disconnected" if not reason.is_failure else f"broker connection lost ({reason})"
        self._loop.call_soon_threadsafe(self._down, why)

    def _unreachable(self, _client: Any, _userdata: Any) -> None:
        self._loop.call_soon_threadsafe(self._down, f"no broker answers at {self.broker}")

    def _message(self, _client: Any, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        with self._lock:
            self.received += 1
            if self.pending >= MAX_PENDING:
                if not self._dropping:
                    log.warning("%s: the engine falls behind: messages dropped (and counted)", self.broker)
                self._dropping = True
                self.dropped += 1
                return
            self._dropping = False
            self.pending += 1
        self._loop.call_soon_threadsafe(self._handle, message.topic, bytes(message.payload))

    def _written(self, _client: Any, _userdata: Any, _mid: int, _reason: Any, _props: Any) -> None:
        with self._lock:
            self.written += 1

    # -- the loop ----------------------------------------------------------------------------------

    def _handle(self, topic: str, payload: bytes) -> None:
        with self._lock:
            self.pending -= 1
        try:
            self._on_message(topic, payload)
        except Exception:  # one bad message must not end the session
            log.exception("handling a message on %s", topic)

    def _up(self) -> None:
        if self._was_up:
            self.reconnects += 1
        self._was_up = self.up = True
        self._on_up()

    def _down(self, reason: str) -> None:
        self.up = False
        with self._lock:
            self.sent = self.written  # paho forgets what it had not written yet
        self._on_down(reason)
