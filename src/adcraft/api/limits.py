"""Token-bucket rate limits (429) and the error for an upload above its cap (413)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict

from adcraft.errors import PayloadTooLarge, TooManyRequests
from adcraft.problem_codes import refuse, too_many


class RateLimiter:
    """Token buckets per key (an API key id or a client address): ``per_minute`` sustained,
    bursts of a tenth of that (min 10)."""

    def __init__(self, per_minute: int, max_keys: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(max(10, per_minute // 10))
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_keys = max_keys

    def check(self, key: str) -> None:
        """Take one token or raise TooManyRequests with the wait until the next one."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
                raise self._refusal(wait)
            self._buckets[key] = (tokens - 1.0, now)
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)

    def _refusal(self, wait: float) -> TooManyRequests:
        return too_many(
            "rate_limited", retry_after=wait, per_minute=round(self.rate * 60), wait_s=f"{wait:.1f}"
        )


class StreamSlots:
    """Open progress streams per API key, capped (each holds a connection and a poll loop)."""

    def __init__(self, per_key: int) -> None:
        self.per_key = per_key
        self._open: dict[str, int] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str, *, stream_id: str = "", ttl_s: float = 0) -> None:
        """Take a slot or raise TooManyRequests naming the cap."""
        with self._lock:
            n = self._open.get(key, 0)
            if n >= self.per_key:
                raise _too_many_streams(n)
            self._open[key] = n + 1

    def release(self, key: str, *, stream_id: str = "") -> None:
        """Give a slot back."""
        with self._lock:
            n = self._open.get(key, 0) - 1
            if n > 0:
                self._open[key] = n
            else:
                self._open.pop(key, None)


_BUCKET_LUA = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local b = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens = tonumber(b[1]) or burst
local last = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * rate)
local wait = 0
if tokens < 1 then
  wait = (1 - tokens) / rate
else
  tokens = tokens - 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'last', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 60)
return tostring(wait)
"""


class RedisRateLimiter(RateLimiter):
    """The same token buckets kept in Redis, so every API process spends one budget per key.

    One Lua script per check (atomic, clock from Redis). When Redis cannot be reached the
    process falls back to its own buckets rather than refusing every request.
    """

    def __init__(self, per_minute: int, url: str, namespace: str) -> None:
        super().__init__(per_minute)
        import redis

        self._redis = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self._script = self._redis.register_script(_BUCKET_LUA)
        self._ns = namespace

    def check(self, key: str) -> None:
        """Take one token from the shared bucket (or the local one when Redis is down)."""
        import redis

        try:
            wait = float(
                self._script(keys=[f"adcraft:rl:{self._ns}:{key}"], args=[self.rate, self.burst])
            )
        except (redis.RedisError, OSError):
            super().check(key)
            return
        if wait > 0:
            raise self._refusal(wait)


def make_limiter(per_minute: int, redis_url: str, namespace: str) -> RateLimiter:
    """A Redis-backed limiter when ``redis_url`` is set, else an in-process one."""
    if redis_url:
        return RedisRateLimiter(per_minute, redis_url, namespace)
    return RateLimiter(per_minute)


def _too_many_streams(n: int) -> TooManyRequests:
    return too_many("too_many_streams", retry_after=5.0, count=n)


_SLOT_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local n = redis.call('ZCARD', KEYS[1])
if n >= tonumber(ARGV[1]) then return n end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3])) + 60)
return -1
"""


class RedisStreamSlots(StreamSlots):
    """Stream slots counted in Redis across API processes: one sorted-set member per open stream,
    scored with the stream's deadline, so a process that dies without releasing frees its slots
    when their deadlines pass. Falls back to this process's count while Redis is down."""

    def __init__(self, per_key: int, url: str) -> None:
        super().__init__(per_key)
        import redis

        self._redis = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self._script = self._redis.register_script(_SLOT_LUA)
        self._local: set[str] = set()

    def acquire(self, key: str, *, stream_id: str = "", ttl_s: float = 0) -> None:
        """Take a shared slot for ``stream_id`` (held at most ``ttl_s``)."""
        import redis

        try:
            n = int(
                self._script(keys=[f"adcraft:streams:{key}"], args=[self.per_key, stream_id, ttl_s])
            )
        except (redis.RedisError, OSError):
            super().acquire(key)
            self._local.add(stream_id)
            return
        if n >= 0:
            raise _too_many_streams(n)

    def release(self, key: str, *, stream_id: str = "") -> None:
        """Give the stream's slot back."""
        import redis

        if stream_id in self._local:
            self._local.discard(stream_id)
            super().release(key)
            return
        # When Redis is unreachable the member expires at the stream's deadline.
        with contextlib.suppress(redis.RedisError, OSError):
            self._redis.zrem(f"adcraft:streams:{key}", stream_id)


def payload_too_large(limit: int, name: str) -> PayloadTooLarge:
    """The error for an upload above its cap: the file by ``name`` (as the marketer chose it,
    or what it is where it has none), with its code so the web app says it in any language."""
    return refuse("file_too_big", kind=PayloadTooLarge, name=name, max_mib=f"{limit / 2**20:.0f}")
