"""The Kafka transport: an idempotent producer keyed by tenant, and a consumer that stores.

Delivery is at-least-once (offsets are committed only after the store holds a batch) and the
store skips ids it already has, so counts are exactly-once: a consumer killed mid-batch re-reads
the uncommitted batch on restart and stores only what is missing.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from adcraft.analytics.errors import EventsUnavailable
from adcraft.analytics.events import EventStore, StoredEvent
from adcraft.errors import ProviderUnavailable

log = logging.getLogger(__name__)


def _kafka() -> Any:
    try:
        import confluent_kafka
    except ImportError as exc:
        raise ProviderUnavailable(
            "confluent-kafka is missing: pip install 'adcraft[analytics]'"
        ) from exc
    return confluent_kafka


class KafkaSink:
    """EventSink producing JSON events to a topic; ``emit`` returns once the broker has them.

    Memory is bounded while the broker is away: the producer queues at most ``max_queued``
    events (beyond that ``emit`` fails at once), and an event not acknowledged within
    ``timeout_s`` fails and leaves the queue (``emit`` raised for it; the client resends it)."""

    name = "kafka"

    def __init__(
        self, bootstrap: str, topic: str, *, timeout_s: float = 10.0, max_queued: int = 200_000
    ) -> None:
        kafka = _kafka()
        self.topic = topic
        self.timeout_s = timeout_s
        self.max_queued = max_queued
        self._producer = kafka.Producer(
            {
                "bootstrap.servers": bootstrap,
                "enable.idempotence": True,
                "acks": "all",
                "linger.ms": 5,
                "compression.type": "lz4",
                "queue.buffering.max.messages": max_queued,
                "message.timeout.ms": max(10, int(timeout_s * 1000)),
            }
        )
        self._lock = threading.Lock()

    def emit(self, events: Sequence[StoredEvent]) -> None:
        """Produce and wait for the broker's acknowledgement of every event."""
        failures: list[str] = []

        def delivered(err: Any, _msg: Any) -> None:
            if err is not None:
                failures.append(str(err))

        with self._lock:
            try:
                for event in events:
                    self._producer.produce(
                        self.topic,
                        key=event.tenant_id.encode(),
                        value=json.dumps(event.to_row(), separators=(",", ":")).encode(),
                        on_delivery=delivered,
                    )
                    self._producer.poll(0)
            except BufferError as exc:
                raise EventsUnavailable("the Kafka producer queue is full; retry later") from exc
            left = self._producer.flush(self.timeout_s)
        if left or failures:
            raise EventsUnavailable(
                f"Kafka did not acknowledge {left + len(failures)} events"
                + (f": {failures[0]}" if failures else "")
            )

    def queued(self) -> int:
        """What the producer holds in memory: events not yet acknowledged or failed (at most
        ``max_queued``), plus the few protocol requests and reports librdkafka counts too."""
        return len(self._producer)

    def close(self) -> None:
        """Flush what is left."""
        self._producer.flush(self.timeout_s)


_ROW_KEYS = frozenset({"event_id", "tenant_id", "ts", "type"})


def _row(value: bytes | None) -> dict[str, Any] | None:
    """A store row from a message (the producer wrote ``StoredEvent.to_row``), or None."""
    try:
        row = json.loads(value or b"")
    except ValueError:
        return None
    if not isinstance(row, dict) or not row.keys() >= _ROW_KEYS:
        return None
    try:
        uuid.UUID(str(row["event_id"]))
    except ValueError:
        return None
    return row


def _store_batch(store: EventStore, messages: Sequence[Any]) -> tuple[int, int]:
    """Store the events of a batch of messages; return (events read, events new).

    A batch of well-formed messages is parsed in one call into a table (``json_table``) when
    the store takes tables; otherwise, or when any message is malformed, message by message:
    the good ones are stored and each bad one is logged with its offset and skipped."""
    good = []
    for msg in messages:
        if msg.error() is not None:
            log.warning("kafka: %s", msg.error())
            continue
        good.append(msg)
    insert_table = getattr(store, "insert_table", None)
    if insert_table is not None:
        from adcraft.analytics.columnar import json_table  # pyarrow: only where it is used

        table = json_table([msg.value() for msg in good])
        if table is not None:
            return len(good), int(insert_table(table))
    events: list[dict[str, Any]] = []
    for msg in good:
        row = _row(msg.value())
        if row is None:
            log.error(
                "skipping a malformed event at %s [%s] offset %s",
                msg.topic(),
                msg.partition(),
                msg.offset(),
            )
            continue
        events.append(row)
    return len(events), store.insert_rows(events)


def consume(
    store: EventStore,
    bootstrap: str,
    topic: str,
    group: str,
    *,
    batch_size: int = 20_000,
    instance_id: str = "",
    idle_exit_s: float | None = None,
    on_batch: Callable[[int, int], None] | None = None,
    before_commit: Callable[[int], None] | None = None,
) -> int:
    """Store events from the topic until stopped (SIGTERM/SIGINT) or idle; return events read."""
    kafka = _kafka()
    config: dict[str, object] = {
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "enable.partition.eof": False,
        "session.timeout.ms": 10_000,
    }
    if instance_id:
        config["group.instance.id"] = instance_id
    consumer = kafka.Consumer(config)
    assigned = threading.Event()
    # Idle time counts only once partitions are assigned: joining the group takes seconds.
    consumer.subscribe([topic], on_assign=lambda _c, _parts: assigned.set())
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set())
        for sig in (signal.SIGTERM, signal.SIGINT)
        if threading.current_thread() is threading.main_thread()
    }
    total, idle, batches = 0, 0.0, 0
    try:
        while not stop.is_set():
            messages = consumer.consume(num_messages=batch_size, timeout=0.5)
            if not messages:
                idle += 0.5 if assigned.is_set() else 0.0
                if idle_exit_s is not None and idle >= idle_exit_s:
                    break
                continue
            idle = 0.0
            read, new = _store_batch(store, messages)
            batches += 1
            if before_commit is not None:
                before_commit(batches)  # crash tests stop the process here
            consumer.commit(asynchronous=False)  # only after the store holds the batch
            total += read
            if on_batch is not None:
                on_batch(read, new)
    finally:
        consumer.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return total
