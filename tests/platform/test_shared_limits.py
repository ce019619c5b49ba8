"""Rate-limit buckets shared through Redis: two API processes spend one budget per key."""

from __future__ import annotations

import pytest

from adcraft.api.limits import RateLimiter, make_limiter
from adcraft.errors import TooManyRequests
from tests.platform.servers import RedisServer


def _taken(limiter: RateLimiter, key: str, tries: int) -> int:
    ok = 0
    for _ in range(tries):
        try:
            limiter.check(key)
            ok += 1
        except TooManyRequests:
            pass
    return ok


def test_two_processes_share_one_bucket_per_key(redis_server: RedisServer) -> None:
    # 60 per minute: a burst of 10, one more token per second.
    first = make_limiter(60, redis_server.url, "key")
    second = make_limiter(60, redis_server.url, "key")
    taken = _taken(first, "k1", 6) + _taken(second, "k1", 6) + _taken(first, "k1", 6)
    assert 10 <= taken <= 11  # one burst across both (plus at most a token refilled meanwhile)
    with pytest.raises(TooManyRequests) as refused:
        second.check("k1")
    assert 0 < refused.value.retry_after <= 1.0
    assert _taken(second, "k2", 3) == 3  # another key has its own bucket


def test_without_redis_each_process_keeps_its_own_buckets() -> None:
    first, second = make_limiter(60, "", "key"), make_limiter(60, "", "key")
    assert _taken(first, "k", 10) == 10 and _taken(second, "k", 10) == 10


def test_redis_down_falls_back_to_local_buckets() -> None:
    limiter = make_limiter(60, "redis://127.0.0.1:1/0", "key")
    assert _taken(limiter, "k", 12) == 10


def test_stream_slots_are_shared_through_redis(redis_server: RedisServer) -> None:
    from adcraft.api.limits import RedisStreamSlots

    one, two = RedisStreamSlots(2, redis_server.url), RedisStreamSlots(2, redis_server.url)
    one.acquire("key", stream_id="s1", ttl_s=60)
    two.acquire("key", stream_id="s2", ttl_s=60)
    with pytest.raises(TooManyRequests):
        one.acquire("key", stream_id="s3", ttl_s=60)
    two.release("key", stream_id="s1")  # any process may end a stream's slot
    one.acquire("key", stream_id="s3", ttl_s=60)
    # A stream whose process died frees its slot at the deadline it was given.
    two.acquire("other", stream_id="d1", ttl_s=0)
    two.acquire("other", stream_id="d2", ttl_s=60)
    one.acquire("other", stream_id="d3", ttl_s=60)
