"""A tenant's LLM endpoint is called at the public address checked for it, never at another one
the name resolves to a moment later (DNS rebinding into the server's own network)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from adcraft.config import ProviderSettings
from adcraft.copywriting.offline import FieldSpec
from adcraft.domain.brief import Brief
from adcraft.providers.public_http import PublicOnlyTransport, RefusedAddress
from adcraft.tenants.providers import TenantLLM, TenantProviders
from adcraft.wiring.tenant import tenant_copywriter
from tests.copywriting_llm.server import FakeOpenAI, Reply

NAME = "llm.rebinding.test"
PUBLIC = "93.184.216.34"  # what the name answers to the first lookup
SPECS = (FieldSpec("headline", "main hook", 40), FieldSpec("cta", "button label", 14))


@pytest.fixture()
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=lambda body: Reply(content='{"headline": "Hi", "cta": "Go"}')) as s:
        yield s


@pytest.fixture()
def rebinding_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """NAME answers a public address to the first lookup and 127.0.0.1 (where the fake model
    server listens) to every later one; the answers given are listed."""
    real = socket.getaddrinfo
    given: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != NAME:
            return real(host, port, *args, **kwargs)
        given.append(PUBLIC if not given else "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (given[-1], int(port or 80)))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return given


def test_a_name_rebound_to_a_private_address_after_the_check_is_never_called(
    server: FakeOpenAI, rebinding_dns: list[str]
) -> None:
    llm = TenantLLM(base_url=f"http://{NAME}:{server.port}/v1", model="m", api_key="sk-" + "x" * 20)
    writer = tenant_copywriter(TenantProviders(llm=llm), ProviderSettings())
    assert rebinding_dns == [PUBLIC]  # the check saw a public address and let it through
    copy = writer.write(Brief(product_name="Trail 3 Tent"), SPECS, variant=0, n_variants=1)
    # The connection resolved the name again, got 127.0.0.1 and was refused: the fake server
    # on 127.0.0.1 saw nothing (no prompt, no key), and the built-in writer wrote the copy.
    assert rebinding_dns[1:] and set(rebinding_dns[1:]) == {"127.0.0.1"}
    assert server.requests == [] and server.auth == []
    assert copy.provider == "builtin:fallback"
    (reason,) = writer.report.as_dict()["fallback_reasons"]
    assert "private address (127.0.0.1)" in reason


def test_the_connection_goes_to_the_checked_address_with_the_original_name(
    server: FakeOpenAI,
) -> None:
    lookups: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    transport = PublicOnlyTransport(resolver=resolve, allow_addresses={"127.0.0.1"})
    with httpx.Client(transport=transport) as client:
        res = client.post(
            f"http://{NAME}:{server.port}/v1/chat/completions",
            json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
        )
    assert res.status_code == 200 and lookups == [NAME]
    assert server.hosts == [f"{NAME}:{server.port}"]


@pytest.mark.parametrize("answer", ["10.0.0.5", "169.254.169.254", "::1", "::ffff:127.0.0.1"])
def test_private_answers_are_refused_before_connecting(answer: str) -> None:
    transport = PublicOnlyTransport(resolver=lambda host, port: [PUBLIC, answer])
    with (
        httpx.Client(transport=transport) as client,
        pytest.raises(RefusedAddress, match="private address"),
    ):
        client.get(f"http://{NAME}/v1/models")
