"""A task's copywriter from the tenant's overrides, built through the registry, reporting
which variants fell back to the built-in writer and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from adcraft.config import ProviderSettings
from adcraft.copywriting.offline import FieldSpec
from adcraft.domain.brief import Brief
from adcraft.domain.creative import CopySet
from adcraft.errors import AdcraftError
from adcraft.tenants.providers import TenantProviders
from adcraft.wiring.registry import create, create_copywriter


@dataclass
class CopyReport:
    """Who wrote a set's copy: shown with the task (API) and kept in its result."""

    provider: str
    source: str
    """``tenant`` (the tenant's own endpoint) or ``server`` (this installation's setting)."""
    fallbacks: dict[int, str] = field(default_factory=dict)
    """Variant index (0-based) -> why the built-in writer wrote it instead."""

    def as_dict(self) -> dict[str, Any]:
        """The JSON kept in the task result."""
        reasons = list(dict.fromkeys(self.fallbacks.values()))
        return {
            "provider": self.provider,
            "source": self.source,
            "fallback": bool(self.fallbacks),
            "fallback_variants": sorted(v + 1 for v in self.fallbacks),
            "fallback_reasons": reasons,
            "key_rejected": any(_key_rejected(r) for r in reasons),
        }


def _key_rejected(reason: str) -> bool:
    return "authentication failed" in reason or "HTTP 401" in reason or "HTTP 403" in reason


class ReportingCopywriter:
    """Wraps a copywriter; an LLM writer's fallbacks are recorded in ``report``.

    ``unusable`` (the tenant's endpoint cannot be used at all, e.g. its key no longer
    decrypts) makes the built-in writer write every variant, each flagged with that reason.
    """

    def __init__(self, inner: Any, report: CopyReport, unusable: str | None = None) -> None:
        self._inner = inner
        self.report = report
        self._unusable = unusable
        self.name = str(getattr(inner, "name", "copywriter"))

    def write(
        self, brief: Brief, fields: Sequence[FieldSpec], *, variant: int, n_variants: int
    ) -> CopySet:
        """The inner writer's copy; a fallback is noted against the variant."""
        if self._unusable is not None:
            self.report.fallbacks.setdefault(variant, self._unusable)
            copy: CopySet = self._inner.write(brief, fields, variant=variant, n_variants=n_variants)
            return copy.model_copy(update={"provider": "builtin:fallback"})
        draft = getattr(self._inner, "draft", None)
        if draft is None:
            written: CopySet = self._inner.write(
                brief, fields, variant=variant, n_variants=n_variants
            )
            return written
        d = draft(brief, fields, variant=variant, n_variants=n_variants)
        if d.fallback:
            reason = next((f for f in reversed(d.flags) if f.startswith("fallback: ")), "")
            self.report.fallbacks.setdefault(variant, reason.removeprefix("fallback: "))
        result: CopySet = d.copy
        return result


def tenant_copywriter(
    overrides: TenantProviders, settings: ProviderSettings
) -> ReportingCopywriter:
    """The tenant's OpenAI-compatible endpoint when it set one, else the server's copywriter."""
    llm = overrides.llm
    if llm is None:
        inner = create_copywriter()
        return ReportingCopywriter(inner, CopyReport(str(inner.name), "server"))
    from pydantic import SecretStr

    from adcraft.copywriting.settings import LLMSettings
    from adcraft.tenants.checks import check_base_url

    report = CopyReport(f"openai:{llm.model}", "tenant")
    try:
        # Checked again here: the name may resolve elsewhere than when it was saved.
        check_base_url(llm.base_url, settings)
        llm_settings = LLMSettings(
            provider="openai",
            base_url=llm.base_url,
            model=llm.model,
            api_key=SecretStr(llm.api_key),
            timeout_s=settings.tenant_llm_timeout_s,
            max_retries=settings.tenant_llm_retries,
            mode="full",
            # The check above can be answered differently from the connection (DNS rebinding).
            public_only=not settings.allow_private_llm_urls,
        )
        inner = create_copywriter("openai", llm_settings)
    except AdcraftError as exc:
        return ReportingCopywriter(create("copywriter", "builtin"), report, unusable=str(exc))
    return ReportingCopywriter(inner, report)
