"""The LLM copywriter: one conversation writes every field, then a limit loop makes them fit.

1. One request asks for all fields of the template as one JSON object (schema-constrained output
   where the server supports it; otherwise the reply is parsed, and re-asked for on failure).
2. A reply that is not usable JSON, breaks the safety rules or repeats an earlier variant is
   answered in the same conversation with what was wrong (at most ``max_repairs`` times).
3. The limit loop: a field over its limit, or a key fact missing from every field, gets a
   follow-up in the same conversation naming the field, its length and its limit, with rules
   that forbid dropping key facts — at most ``max_attempts`` times. Then any field still too
   long is cut at a word boundary with :func:`~adcraft.copywriting.limits.truncate`.
4. When the provider fails (after its own retries) or never gives usable copy, the built-in
   copywriter writes the variant instead, and the result says so (``provider`` ends in
   ``:fallback``; :attr:`Draft.flags` gives the reason).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adcraft.copywriting.claimcheck import ClaimContext, context_for_brief, fields_faults
from adcraft.copywriting.facts import KeyFact, extract_facts, missing_facts
from adcraft.copywriting.injection import injection_warning, neutralize_brief
from adcraft.copywriting.limits import measure, truncate
from adcraft.copywriting.locale import end_headline
from adcraft.copywriting.offline import BuiltinCopywriter, Copywriter, FieldSpec, is_headline
from adcraft.copywriting.phrasing import sanitize
from adcraft.copywriting.ports import ChatMessage, ChatModel, Moderator
from adcraft.copywriting.prompts import (
    LANGUAGE_NAMES,
    BrandVoice,
    Overrun,
    Spotlight,
    build_messages,
    claims_followup,
    field_schema,
    limit_followup,
    repair_followup,
    safety_followup,
    unmark,
)
from adcraft.copywriting.replies import parse_fields
from adcraft.copywriting.safety import (
    OutputChecker,
    brief_text,
    clean_untrusted,
    foreign_script,
    invented_numbers,
    scrub,
)
from adcraft.copywriting.themes import CreativeTheme, near_duplicate, plan_themes
from adcraft.domain.brief import Brief
from adcraft.domain.creative import CopySet
from adcraft.errors import ProviderError

__all__ = ["Draft", "LLMCopywriter", "parse_fields"]


@dataclass(frozen=True)
class Draft:
    """A variant's copy plus how it was obtained: the conversation, flags and counters."""

    copy: CopySet
    flags: tuple[str, ...] = ()
    """Why the copy needs a look: ``fallback: ...``, ``injection: ...``, ``facts-lost: ...``."""
    messages: tuple[ChatMessage, ...] = ()
    requests: int = 0
    attempts: int = 0
    """Limit-loop rewrites (0 when the first answer fitted and kept every fact)."""
    repairs: int = 0
    """Re-asks for unusable JSON, unsafe output or a near-duplicate of an earlier variant."""
    missing_before_truncation: tuple[str, ...] = ()
    fallback: bool = False
    latency_s: float = 0.0


def _clean_output(text: str) -> str:
    # The model may echo datamarks, newlines or invisible characters: none belongs in an ad.
    return sanitize(clean_untrusted(unmark(text))).strip().strip('"“”«»').strip()


def _overruns(fields: Mapping[str, str], specs: Sequence[FieldSpec]) -> list[Overrun]:
    return [
        Overrun(s.name, measure(fields[s.name], s.counting), s.max_chars)
        for s in specs
        if not s.fits(fields[s.name])
    ]


def _clean_brief(brief: Brief) -> Brief:
    """The brief with its free text normalised; values only shrink, so limits still hold."""
    return brief.model_copy(
        update={
            "product_name": clean_untrusted(brief.product_name).strip() or brief.product_name,
            "description": clean_untrusted(brief.description),
            "offer": clean_untrusted(brief.offer),
            "selling_points": tuple(clean_untrusted(p) for p in brief.selling_points),
            "extra_offers": tuple(clean_untrusted(o) for o in brief.extra_offers),
        }
    )


@dataclass
class _Conversation:
    messages: list[ChatMessage]
    requests: int = 0
    attempts: int = 0
    repairs: int = 0
    latency: float = 0.0
    flags: list[str] = field(default_factory=list)
    answers: list[dict[str, str]] = field(default_factory=list)
    """Every usable, safe answer in order: earlier phrasings to fall back on per field."""


class LLMCopywriter:
    """A :class:`~adcraft.copywriting.offline.Copywriter` that asks a chat model for copy."""

    def __init__(
        self,
        model: ChatModel,
        *,
        max_attempts: int = 3,
        max_repairs: int = 2,
        fallback: Copywriter | None = None,
        voice: BrandVoice | None = None,
        moderator: Moderator | None = None,
        temperature: float | None = None,
        datamark: bool = True,
        themes: Sequence[CreativeTheme] | None = None,
    ) -> None:
        self.model = model
        self.name = model.name
        self.max_attempts = max_attempts
        self.max_repairs = max_repairs
        self.fallback = fallback if fallback is not None else BuiltinCopywriter()
        self.voice = voice
        self.moderator = moderator
        self.temperature = temperature
        self.datamark = datamark
        self.themes = tuple(themes) if themes else None
        self._lock = threading.Lock()
        self._history: dict[tuple[str, tuple[FieldSpec, ...]], dict[int, CopySet]] = {}

    def __getstate__(self) -> dict[str, Any]:
        """Picklable for worker processes: the lock is rebuilt, the history starts empty."""
        state = dict(self.__dict__)
        del state["_lock"]
        state["_history"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def write(
        self, brief: Brief, fields: Sequence[FieldSpec], *, variant: int, n_variants: int
    ) -> CopySet:
        """Copy for every field, each within its limit (the built-in copywriter on failure)."""
        return self.draft(brief, fields, variant=variant, n_variants=n_variants).copy

    def draft(
        self, brief: Brief, fields: Sequence[FieldSpec], *, variant: int, n_variants: int
    ) -> Draft:
        """Like :meth:`write`, with the conversation, flags and counters."""
        if variant < 0:
            raise ValueError(f"variant must be >= 0, got {variant}")
        seen: set[str] = set()
        specs = tuple(s for s in fields if not (s.name in seen or seen.add(s.name)))  # type: ignore[func-returns-value]
        if not specs:
            return Draft(CopySet(fields={}, language=brief.language, provider=self.name))
        started = time.perf_counter()
        lang = brief.language
        # Instruction-like sentences never reach the model: they are taken out of the brief
        # (the pipeline has usually done so already; this keeps direct callers safe too).
        brief, removed = neutralize_brief(brief)
        flags = [injection_warning(i) for i in removed]
        if lang not in LANGUAGE_NAMES:
            flags.append(f"language: {lang!r} is not one adcraft checks; review the copy")
        elif (script := foreign_script(brief.offer or brief.description, lang)) is not None:
            flags.append(f"language: the offer is written in {script} but the copy is {lang!r}")
        clean = _clean_brief(brief)
        facts = extract_facts(sanitize(clean.offer), lang)
        claims = context_for_brief(clean)
        themes = self.themes or plan_themes(clean, max(n_variants, variant + 1))
        theme = themes[variant % len(themes)]
        voice = self.voice or BrandVoice.from_brand(brief.brand)
        key = (brief.model_dump_json(exclude={"image"}), specs)
        with self._lock:
            earlier = [c for v, c in sorted(self._history.get(key, {}).items()) if v != variant]
        convo = _Conversation(
            build_messages(
                clean,
                specs,
                facts=facts,
                voice=voice,
                theme=theme,
                variant=variant,
                n_variants=n_variants,
                avoid=[_summary(c) for c in earlier],
                spot=Spotlight(datamark=self.datamark),
                claims=claims.claims,
            ),
            flags=flags,
        )
        checker = OutputChecker(
            lang, voice.banned_words, voice.competitors, moderator=self.moderator
        )
        try:
            best = self._converse(
                convo, specs, facts, checker, earlier, variant, brief_text(clean), claims
            )
        except ProviderError as exc:
            return self._fallback(brief, specs, variant, n_variants, convo, f"{exc}", started)
        if best is None:
            return self._fallback(
                brief,
                specs,
                variant,
                n_variants,
                convo,
                convo.flags.pop() if convo.flags else "no usable copy",
                started,
            )
        copy, lost_before = self._finish(convo.answers, specs, facts, lang, theme, convo.attempts)
        if copy.missing_facts:
            convo.flags.append("facts-lost: " + "; ".join(copy.missing_facts))
        with self._lock:
            self._history.setdefault(key, {})[variant] = copy
        return Draft(
            copy,
            tuple(convo.flags),
            tuple(convo.messages),
            convo.requests,
            convo.attempts,
            convo.repairs,
            lost_before,
            False,
            time.perf_counter() - started,
        )

    def _ask(self, convo: _Conversation, specs: Sequence[FieldSpec], variant: int) -> str:
        convo.requests += 1
        done = self.model.complete(
            convo.messages, schema=field_schema(specs), temperature=self.temperature, seed=variant
        )
        convo.latency += done.latency_s
        convo.messages.append({"role": "assistant", "content": done.text})
        return done.text

    def _converse(
        self,
        convo: _Conversation,
        specs: Sequence[FieldSpec],
        facts: Sequence[KeyFact],
        checker: OutputChecker,
        earlier: Sequence[CopySet],
        variant: int,
        source: str,
        claims: ClaimContext | None = None,
    ) -> dict[str, str] | None:
        """Run the conversation; the last usable fields (maybe still too long), or None.

        A reply that shows a claim without its qualifier or alters one is asked again, and
        given up on (the built-in writer takes over) when the repairs run out."""
        best: dict[str, str] | None = None
        while True:
            raw, problem = parse_fields(self._ask(convo, specs, variant), specs)
            if raw is None:
                if convo.repairs < self.max_repairs:
                    convo.repairs += 1
                    convo.messages.append(
                        {"role": "user", "content": repair_followup(problem, specs)}
                    )
                    continue
                if best is None:
                    convo.flags.append(f"no usable JSON after {convo.repairs} repairs: {problem}")
                return best
            got = {n: _clean_output(t) for n, t in raw.items()}
            bad = checker.check(got) + invented_numbers(got, source)
            if bad:
                if convo.repairs < self.max_repairs:
                    convo.repairs += 1
                    convo.messages.append(
                        {"role": "user", "content": safety_followup([v.describe() for v in bad])}
                    )
                    continue
                convo.flags.append("unsafe output: " + "; ".join(v.describe() for v in bad))
                return None
            broken = fields_faults(got, claims, cuts=False) if claims is not None else []
            if broken:
                if convo.repairs < self.max_repairs:
                    convo.repairs += 1
                    convo.messages.append({"role": "user", "content": claims_followup(broken)})
                    continue
                convo.flags.append("claims broken: " + "; ".join(broken))
                return None
            dup = next((c for c in earlier if near_duplicate(c.fields, got)), None)
            if dup is not None and convo.repairs < self.max_repairs:
                convo.repairs += 1
                convo.messages.append(
                    {
                        "role": "user",
                        "content": (
                            "This reads almost like an earlier variant ("
                            + _summary(dup)
                            + "). Take a clearly different angle and reply with the whole "
                            "JSON object."
                        ),
                    }
                )
                continue
            if dup is not None:
                convo.flags.append("near-duplicate of an earlier variant")
            best = got
            convo.answers.append(got)
            over = _overruns(got, specs)
            lost = missing_facts(facts, got)
            if (not over and not lost) or convo.attempts >= self.max_attempts:
                return best
            convo.attempts += 1
            convo.messages.append({"role": "user", "content": limit_followup(over, lost, facts)})

    def _finish(
        self,
        answers: Sequence[dict[str, str]],
        specs: Sequence[FieldSpec],
        facts: Sequence[KeyFact],
        lang: str,
        theme: CreativeTheme,
        attempts: int,
    ) -> tuple[CopySet, tuple[str, ...]]:
        """The last answer, with each field still over its limit replaced or cut."""
        last = answers[-1]
        lost_before = missing_facts(facts, last)
        out = {s.name: scrub(last[s.name]) for s in specs}
        for name in (s.name for s in specs if is_headline(s.name)):
            out[name] = end_headline(out[name], lang)
        cut: list[str] = []
        for s in specs:
            if s.fits(out[s.name]):
                continue
            # An earlier phrasing of this field, or a cut of one, may keep a fact the cut of
            # the last one loses: take whatever keeps the most facts, uncut before cut.
            best: tuple[int, int, int, str] | None = None
            for age, answer in enumerate(reversed(answers)):
                text = scrub(answer[s.name])
                was_cut = not s.fits(text)
                if was_cut:
                    text = truncate(text, s.max_chars, lang, counting=s.counting)
                kept = len(facts) - len(missing_facts(facts, {**out, s.name: text}))
                rank = (kept, -int(was_cut), -age, text)
                if best is None or rank[:3] > best[:3]:
                    best = rank
            assert best is not None
            out[s.name] = best[3] if s.fits(best[3]) else ""  # never ship copy over a limit
            if best[1]:
                cut.append(s.name)
        copy = CopySet(
            fields=out,
            language=lang,
            angle=theme.angle,
            key_facts=tuple(f.text for f in facts),
            missing_facts=missing_facts(facts, out),
            attempts=attempts,
            truncated=tuple(cut),
            provider=self.name,
        )
        return copy, lost_before

    def _fallback(
        self,
        brief: Brief,
        specs: Sequence[FieldSpec],
        variant: int,
        n_variants: int,
        convo: _Conversation,
        reason: str,
        started: float,
    ) -> Draft:
        copy = self.fallback.write(brief, specs, variant=variant, n_variants=n_variants)
        copy = copy.model_copy(update={"provider": f"{self.fallback.name}:fallback"})
        flags = (*convo.flags, f"fallback: {reason}")
        return Draft(
            copy,
            flags,
            tuple(convo.messages),
            convo.requests,
            convo.attempts,
            convo.repairs,
            copy.missing_facts,
            True,
            time.perf_counter() - started,
        )


def _summary(copy: CopySet) -> str:
    return " / ".join(t for t in copy.fields.values() if t)[:160]


def describe_draft(draft: Draft) -> dict[str, Any]:
    """A JSON-ready summary of a draft (for the CLI and benchmarks)."""
    return {
        "fields": draft.copy.fields,
        "provider": draft.copy.provider,
        "angle": draft.copy.angle,
        "attempts": draft.attempts,
        "repairs": draft.repairs,
        "requests": draft.requests,
        "truncated": list(draft.copy.truncated),
        "key_facts": list(draft.copy.key_facts),
        "missing_facts": list(draft.copy.missing_facts),
        "missing_before_truncation": list(draft.missing_before_truncation),
        "flags": list(draft.flags),
        "latency_s": round(draft.latency_s, 3),
    }
