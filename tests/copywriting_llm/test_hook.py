"""Hook mode: a small model's headline is used only when it passes every filter."""

from __future__ import annotations

import json

import pytest

from adcraft.copywriting.hook import HookCopywriter, unknown_words
from adcraft.copywriting.offline import FieldSpec
from adcraft.providers.llm_openai import OpenAIChat
from tests.copywriting_llm.conftest import TENT
from tests.copywriting_llm.server import FakeOpenAI, Reply

SPECS = (FieldSpec("headline", "main hook", 40), FieldSpec("cta", "button", 14))


def hook_reply(text: str) -> Reply:
    return Reply(content=json.dumps({"headline": text}))


@pytest.mark.parametrize(
    ("proposal", "accepted", "reason"),
    [
        ("Trail 3 tents: 20% off this weekend only", True, ""),
        ("Tents 20% off this weekend only from $99", False, "number that is not in the brief"),
        ("Amazing tents 20% off this weekend only", False, "words not in the brief: Amazing"),
        ("Trail 3 tents on sale", False, "drops"),
        ("Trail 3 tents: 20% off this weekend only, in every colour", False, "characters"),
    ],
)
def test_proposals_pass_or_fail_the_filters(proposal: str, accepted: bool, reason: str) -> None:
    with FakeOpenAI([hook_reply(proposal)] * 2) as srv:
        d = HookCopywriter(OpenAIChat(model="tiny", base_url=srv.url)).draft(
            TENT, SPECS, variant=0, n_variants=1
        )
    assert all(s.fits(d.copy.fields[s.name]) for s in SPECS)
    assert (d.copy.fields["headline"] == proposal) is accepted
    assert d.copy.provider == ("openai:tiny+hook" if accepted else "builtin")
    if not accepted:
        assert reason in d.flags[0] and not d.copy.missing_facts


def test_unknown_words_catch_gibberish() -> None:
    assert unknown_words("Чейкосменсярфектур сейчас", "Купить сейчас") == ["Чейкосменсярфектур"]
    assert unknown_words("Waterproof tents", "waterproof 3000 mm tent") == []
