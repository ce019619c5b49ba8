"""A tenant's own LLM endpoint: checked with a real call on save, the key sealed at rest and
never returned, used by the generate worker, and on failure replaced by the built-in writer
with the reason shown on the task and on each affected creative."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from adcraft.config import ProviderSettings
from adcraft.db.models import TenantProviderRow
from adcraft.errors import ConfigError, InputError
from adcraft.tenants.checks import check_base_url
from adcraft.tenants.sealed import seal, unseal
from tests.copywriting_llm.server import FakeOpenAI, Reply, error_body, request_schema
from tests.platform.conftest import SECRET, Stack, wait_task

KEY = "sk-tenant-" + "k" * 24
BRIEF = {"product_name": "Trail 3 Tent", "offer": "20% off all tents this weekend"}


def fitting_copy(body: dict[str, Any]) -> Reply:
    """Copy that fits every limit at once and keeps the offer whole where it fits."""
    import json

    out = {}
    for name, prop in request_schema(body).get("properties", {}).items():
        limit = int(prop.get("maxLength", 40))
        out[name] = next(
            (
                t
                for t in (BRIEF["offer"], "Tent sale this weekend", "Shop now", "Go")
                if len(t) <= limit
            ),
            "Go"[:limit],
        )
    return Reply(content=json.dumps(out))


@pytest.fixture()
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=fitting_copy) as srv:
        yield srv


def _save(stack: Stack, url: str, key: str | None = KEY, **extra: Any) -> Any:
    llm: dict[str, Any] = {"base_url": url, "model": "tenant-model"}
    if key is not None:
        llm["api_key"] = key
    return stack.a.put("/settings/providers", json={"llm": llm, **extra})


def _generate(stack: Stack, variants: int = 1, **extra: Any) -> dict[str, Any]:
    r = stack.a.post(
        "/generate",
        json={"brief": BRIEF, "formats": ["1:1", "300x250"], "variants": variants, **extra},
    )
    assert r.status_code == 202, r.text
    task = wait_task(stack.a, r.json()["id"], timeout=240)
    assert task["status"] == "completed", task
    return task


def _creatives(stack: Stack, task: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = stack.a.get(
        "/creatives", params={"task": task["id"], "limit": 100}
    ).json()["items"]
    return items


def test_save_calls_the_endpoint_seals_the_key_and_never_returns_it(
    llm_stack: Stack, server: FakeOpenAI
) -> None:
    r = _save(llm_stack, server.url)
    assert r.status_code == 200, r.text
    assert len(server.requests) == 1, "one real test call before saving"
    assert server.auth == [f"Bearer {KEY}"]
    assert r.json()["llm"] == {"base_url": server.url, "model": "tenant-model", "api_key_set": True}
    shown = llm_stack.a.get("/settings/providers")
    assert shown.status_code == 200 and KEY not in shown.text
    assert shown.json()["llm"]["api_key_set"] is True
    with llm_stack.container.sessions() as s:
        row = s.scalars(select(TenantProviderRow)).one()
        assert row.llm_key_sealed and KEY not in row.llm_key_sealed
        assert unseal(llm_stack.container.secret, row.llm_key_sealed) == KEY
    # The other tenant sees nothing of it.
    assert llm_stack.b.get("/settings/providers").json()["llm"] is None


def test_a_stored_key_is_kept_for_its_endpoint_and_never_sent_elsewhere(
    llm_stack: Stack, server: FakeOpenAI
) -> None:
    assert _save(llm_stack, server.url).status_code == 200
    # Same endpoint, no key given: the stored key is kept (and used for the test call).
    assert _save(llm_stack, server.url, key=None).status_code == 200
    assert server.auth[-1] == f"Bearer {KEY}"
    with FakeOpenAI() as other:
        moved = _save(llm_stack, other.url, key=None)
        assert moved.status_code == 422 and "give its key again" in moved.text
        assert other.requests == []


def test_sealed_values_need_the_same_app_secret() -> None:
    token = seal(SECRET, KEY)
    assert token != seal(SECRET, KEY), "a fresh IV every time"
    assert unseal(SECRET, token) == KEY
    with pytest.raises(ConfigError, match=r"app secret .* changed"):
        unseal("another-secret-" + "y" * 40, token)


@pytest.mark.parametrize(
    ("reply", "says"),
    [
        (Reply(status=401, body=error_body("invalid api key", "invalid_request_error")), "refused"),
        (Reply(status=404, body=error_body("no such model", "invalid_request_error")), "not found"),
        (Reply(status=200, body="<html>not an API</html>"), "unusable answer"),
    ],
)
def test_save_is_refused_when_the_test_call_fails(
    llm_stack: Stack, server: FakeOpenAI, reply: Reply, says: str
) -> None:
    server.script.append(reply)
    r = _save(llm_stack, server.url)
    assert r.status_code == 422, r.text
    assert "test call" in r.text and says in r.text
    assert llm_stack.a.get("/settings/providers").json()["llm"] is None


def test_save_is_refused_when_the_endpoint_is_down(llm_stack: Stack) -> None:
    with FakeOpenAI() as srv:
        url = srv.url
    r = _save(llm_stack, url)
    assert r.status_code == 422 and "cannot connect" in r.text


def test_private_addresses_are_refused_unless_the_operator_allows_them() -> None:
    with pytest.raises(InputError, match="ALLOW_PRIVATE_LLM_URLS"):
        check_base_url("http://127.0.0.1:8000/v1", ProviderSettings())
    with pytest.raises(InputError, match="http"):
        check_base_url("file:///etc/passwd", ProviderSettings(allow_private_llm_urls=True))
    check_base_url("http://127.0.0.1:8000/v1", ProviderSettings(allow_private_llm_urls=True))


def test_bad_remover_and_style_are_refused(llm_stack: Stack) -> None:
    r = llm_stack.a.put("/settings/providers", json={"default_remover": "onnx:/etc/model.onnx"})
    assert r.status_code == 422 and "default_remover" in r.text
    r = llm_stack.a.put("/settings/providers", json={"default_styles": ["shiny"]})
    assert r.status_code == 422 and "unknown style 'shiny'" in r.text


def test_the_worker_writes_with_the_tenants_endpoint(llm_stack: Stack, server: FakeOpenAI) -> None:
    assert _save(llm_stack, server.url, default_styles=["elegant"]).status_code == 200
    task = _generate(llm_stack)
    chat = [b for b in server.requests[1:] if b.get("model") == "tenant-model"]
    assert chat, "the worker called the tenant's endpoint"
    assert set(server.auth[1:]) == {f"Bearer {KEY}"}
    assert task["copy_provider"] == {
        "provider": "openai:tenant-model",
        "source": "tenant",
        "fallback": False,
        "fallback_variants": [],
        "fallback_reasons": [],
        "key_rejected": False,
    }
    items = _creatives(llm_stack, task)
    assert {c["style"] for c in items} == {"elegant"}, "the tenant's default styles"
    assert not any("built-in writer" in w for c in items for w in c["warnings"])
    # The other tenant keeps the server's own writer.
    r = llm_stack.b.post("/generate", json={"brief": BRIEF, "formats": ["1:1"], "variants": 1})
    other = wait_task(llm_stack.b, r.json()["id"], timeout=240)
    assert other["copy_provider"]["source"] == "server"
    assert other["copy_provider"]["provider"] == "builtin"


def _garbage_for_variant_2(body: dict[str, Any]) -> Reply:
    if any("Write variant 2 of" in m["content"] for m in body["messages"]):
        return Reply(status=200, body="<html>upstream error</html>")
    return fitting_copy(body)


def test_garbage_mid_task_falls_back_for_that_variant_only(llm_stack: Stack) -> None:
    with FakeOpenAI(responder=_garbage_for_variant_2) as srv:
        assert _save(llm_stack, srv.url).status_code == 200
        task = _generate(llm_stack, variants=2)
    report = task["copy_provider"]
    assert report["fallback"] is True and report["fallback_variants"] == [2]
    assert any("unusable answer" in r for r in report["fallback_reasons"])
    assert report["key_rejected"] is False
    assert any("built-in writer wrote variant(s) 2" in w for w in task["warnings"])
    for c in _creatives(llm_stack, task):
        flagged = any(w.startswith("copy: written by the built-in writer") for w in c["warnings"])
        assert flagged == (c["variant"] == 2), c


def test_endpoint_down_during_the_task_falls_back_flagged(llm_stack: Stack) -> None:
    with FakeOpenAI() as srv:
        assert _save(llm_stack, srv.url).status_code == 200
    task = _generate(llm_stack)  # the server is gone now
    report = task["copy_provider"]
    assert report["fallback"] is True and report["fallback_variants"] == [1]
    assert any("cannot connect" in r for r in report["fallback_reasons"])
    assert all(
        any("built-in writer" in w for w in c["warnings"]) for c in _creatives(llm_stack, task)
    )


def test_revoked_key_falls_back_with_the_reason(llm_stack: Stack, server: FakeOpenAI) -> None:
    assert _save(llm_stack, server.url).status_code == 200
    server.responder = lambda body: Reply(
        status=401, body=error_body("key revoked", "invalid_request_error")
    )
    task = _generate(llm_stack)
    report = task["copy_provider"]
    assert report["fallback"] is True and report["key_rejected"] is True
    assert any("authentication failed (HTTP 401)" in r for r in report["fallback_reasons"])
