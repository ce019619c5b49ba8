"""Analytics: the event contract, ingestion, transports, the ClickHouse store and pilot metrics.

``events`` (the contract: ``Event``, ``EventType``, ``uuid7``, the ``EventSink`` and
``EventStore`` protocols) → ``ingest`` (batches) → a transport (``writer``: in-process with a
write-ahead file; ``kafka``: producer and consumer) → a store (``store_chdb`` embedded,
``store_clickhouse`` server; schema in ``schema``) → ``pilot`` (metrics as SQL), ``report``.
"""
