"""The LLM path keeps the brief's claims whole: listed as must-keep units in the prompt, a
reply that breaks one is asked again, and the built-in writer takes over when it stays broken."""

from __future__ import annotations

import json

from adcraft.copywriting.offline import FieldSpec
from adcraft.copywriting.prompts import brief_data
from adcraft.copywriting.writer import LLMCopywriter
from adcraft.domain.brief import Brief, Price
from adcraft.providers.llm_openai import OpenAIChat
from tests.copywriting_llm.server import FakeOpenAI, Reply

SPECS = (
    FieldSpec("headline", "main hook", 40),
    FieldSpec("badge", "short sticker", 16),
    FieldSpec("cta", "button label", 14),
)
CONSOLE = Brief(
    product_name="Nova X Spielkonsole",
    offer="Spare 250 € + 1 Spiel gratis",
    price=Price(amount=499, currency="EUR"),
    language="de",
)
GOOD = {"headline": "Nova X: 1 Spiel gratis", "badge": "Spare 250 €", "cta": "Jetzt kaufen"}
BARE = {"headline": "Nova X: 1 Spiel gratis", "badge": "250 €", "cta": "Jetzt kaufen"}


def _writer(srv: FakeOpenAI) -> LLMCopywriter:
    return LLMCopywriter(
        OpenAIChat(model="m", base_url=srv.url, max_retries=0, sleep=lambda s: None)
    )


def _reply(fields: dict[str, str]) -> Reply:
    return Reply(content=json.dumps(fields, ensure_ascii=False))


def test_the_prompt_lists_the_claims_as_units(server: FakeOpenAI) -> None:
    server.script += [_reply(GOOD)]
    d = _writer(server).draft(CONSOLE, SPECS, variant=0, n_variants=1)
    system = server.requests[0]["messages"][0]["content"]
    assert '"Spare 250 €" (amount off)' in system and '"1 Spiel gratis" (free item)' in system
    assert d.copy.fields == GOOD and not d.fallback and d.repairs == 0


def test_a_bare_amount_is_asked_back_in_the_same_conversation(server: FakeOpenAI) -> None:
    server.script += [_reply(BARE), _reply(GOOD)]
    d = _writer(server).draft(CONSOLE, SPECS, variant=0, n_variants=1)
    follow = server.requests[1]["messages"][-1]["content"]
    assert 'badge: "250 €" shown without its claim "Spare 250 €"' in follow
    assert d.copy.fields == GOOD and d.repairs == 1 and not d.fallback


def test_a_claim_that_stays_broken_falls_back_to_the_builtin_writer(server: FakeOpenAI) -> None:
    ebike = Brief(product_name="Velora E-Bike-Abo", offer="ab 12,50 €/Monat", language="de")
    monthly_dropped = {"headline": "Velora E-Bike-Abo", "badge": "ab 12,50 €", "cta": "Buchen"}
    server.responder = lambda body: _reply(monthly_dropped)
    d = _writer(server).draft(ebike, SPECS, variant=0, n_variants=1)
    assert len(server.requests) == 3  # the answer and two repairs, then the built-in writer
    assert d.fallback and d.copy.provider == "builtin:fallback"
    assert "claims broken" in d.flags[-1] and "drops the period" in d.flags[-1]


def test_a_recurring_price_the_model_writes_bare_is_asked_back(server: FakeOpenAI) -> None:
    stream = Brief(
        product_name="StreamMax",
        offer="ab 9,99 € – jetzt testen",
        price=Price(amount=9.99, currency="EUR", period="month"),
        language="de",
    )
    bare = {"headline": "StreamMax ab 9,99 €", "badge": "", "cta": "Jetzt testen"}
    whole = {"headline": "StreamMax ab 9,99 €/Monat", "badge": "", "cta": "Jetzt testen"}
    server.script += [_reply(bare), _reply(whole)]
    d = _writer(server).draft(stream, SPECS, variant=0, n_variants=1)
    # The prompt gives the offer with the price's period, as the price pill writes it.
    assert brief_data(stream)["offer"] == "ab 9,99 €/Monat – jetzt testen"
    assert '"ab 9,99 €/Monat" (price from)' in server.requests[0]["messages"][0]["content"]
    follow = server.requests[1]["messages"][-1]["content"]
    assert '"9,99 €" is shown without its period' in follow
    assert d.copy.fields == whole and d.repairs == 1 and not d.fallback


def test_the_prompt_gives_a_minimum_term_beside_the_price() -> None:
    fiber = Brief(
        product_name="FiberNet",
        price=Price(amount=35, currency="USD", period="month", min_term=12),
        language="en",
    )
    data = brief_data(fiber)
    assert (data["price"], data["price_terms"]) == ("$35/mo", "12-month minimum term")
