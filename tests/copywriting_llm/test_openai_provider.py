"""The OpenAI-compatible provider against a real HTTP server: retries, errors, JSON modes, cap."""

from __future__ import annotations

import threading
import time

import pytest

from adcraft.errors import ProviderError, ProviderRateLimited, ProviderTimeout
from adcraft.providers.llm_openai import OpenAIChat, retry_after_seconds
from tests.copywriting_llm.server import FakeOpenAI, Reply, error_body

MSGS = [{"role": "user", "content": "hi"}]
SCHEMA = {"type": "object", "properties": {"h": {"type": "string"}}, "required": ["h"]}


def chat(srv: FakeOpenAI, waits: list[float] | None = None, **kw: object) -> OpenAIChat:
    def sleep(s: float) -> None:
        if waits is not None:
            waits.append(s)
        time.sleep(min(s, 0.05))

    opts: dict[str, object] = {"timeout_s": 5.0, "max_retries": 3, "backoff_s": 0.01}
    opts.update(kw)
    return OpenAIChat(model="m", base_url=srv.url, sleep=sleep, **opts)  # type: ignore[arg-type]


def test_429_is_retried_after_the_servers_retry_after(server: FakeOpenAI) -> None:
    server.script += [
        Reply(429, error_body("slow down", "rate_limit"), headers={"retry-after": "0.7"}),
        Reply(429, error_body("slow down", "rate_limit")),
        Reply(content='{"h": "ok"}'),
    ]
    waits: list[float] = []
    done = chat(server, waits).complete(MSGS)
    assert done.text == '{"h": "ok"}'
    assert done.retries == 2 and len(server.requests) == 3
    assert waits[0] == pytest.approx(0.7)  # Retry-After honoured, not the 0.01 s backoff


def test_429_forever_raises_rate_limited_with_retry_after(server: FakeOpenAI) -> None:
    server.script += [Reply(429, error_body("x"), headers={"retry-after": "2"})] * 5
    with pytest.raises(ProviderRateLimited) as info:
        chat(server, max_retries=2).complete(MSGS)
    assert info.value.retry_after == 2.0
    assert "ADCRAFT_LLM_CONCURRENCY" in str(info.value)
    assert len(server.requests) == 3


def test_500_is_retried_then_succeeds_and_400_is_not(server: FakeOpenAI) -> None:
    server.script += [
        Reply(500, error_body("boom")),
        Reply(503, "upstream down"),
        Reply(content="fine"),
    ]
    assert chat(server).complete(MSGS).text == "fine"
    assert len(server.requests) == 3
    server.script += [Reply(400, error_body("bad model name", "invalid_request_error"))]
    with pytest.raises(ProviderError, match="rejected"):
        chat(server).complete(MSGS)
    assert len(server.requests) == 4  # a client error is not worth retrying


def test_a_hung_server_times_out_after_the_retries(server: FakeOpenAI) -> None:
    server.script += [Reply(content="late", delay=6.0)] * 2
    started = time.perf_counter()
    with pytest.raises(ProviderTimeout, match="TIMEOUT_S"):
        chat(server, timeout_s=0.3, max_retries=1).complete(MSGS)
    # Two 0.3 s attempts and a backoff of at most 1 s, against 12 s of silence: the bound held,
    # with room for a loaded machine.
    assert time.perf_counter() - started < 4.5
    assert len(server.requests) == 2


def test_a_malformed_body_is_a_provider_error_not_a_crash(server: FakeOpenAI) -> None:
    server.script += [Reply(200, "{this is not json")]
    with pytest.raises(ProviderError):
        chat(server).complete(MSGS)


def test_structured_output_falls_back_when_the_server_refuses_it(server: FakeOpenAI) -> None:
    server.script += [Reply(400, error_body("response_format json_schema is not supported"))]
    model = chat(server)
    assert model.complete(MSGS, schema=SCHEMA).structured
    assert model.complete(MSGS, schema=SCHEMA).structured
    kinds = [r.get("response_format", {}).get("type") for r in server.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]  # remembered, not re-tried
    assert server.requests[0]["response_format"]["json_schema"]["schema"] == SCHEMA


def test_the_concurrency_cap_holds_at_the_server() -> None:
    with FakeOpenAI(default_delay=0.15) as srv:
        model = chat(srv, concurrency=2)
        threads = [threading.Thread(target=model.complete, args=(MSGS,)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(srv.requests) == 8
        assert srv.max_in_flight == 2


def test_no_server_is_a_clear_error() -> None:
    model = OpenAIChat(
        model="m",
        base_url="http://127.0.0.1:9/v1",
        max_retries=1,
        sleep=lambda s: None,
        timeout_s=2,
    )
    with pytest.raises(ProviderError, match="BASE_URL"):
        model.complete(MSGS)


def test_retry_after_header_forms() -> None:
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    assert retry_after_seconds({"retry-after-ms": "250"}) == 0.25
    assert (
        retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, now=1445412480) == 10
    )
    assert retry_after_seconds({}) is None
