"""Rules that adapt a product's creatives to its feed attributes.

A rule is ``WHEN -> THEN``. WHEN is ``field?`` (present and not empty), ``!field`` (absent),
``field=value`` or ``field~text`` (contains, case-insensitive); THEN is comma-separated
``template=promo``, ``offer=Clearance``, ``badge=#c62828`` (the accent color of the brand
palette, which paints the offer badge) or ``style=bold``. Examples:

    sale_price? -> template=promo
    custom_label_0=clearance -> offer=Clearance,badge=#c62828
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from adcraft.catalog.feeds.record import FeedProduct
from adcraft.problem_codes import refuse

Op = Literal["present", "absent", "equals", "contains"]
_TEMPLATES = ("classic", "promo", "text_led")


class Rule(BaseModel):
    """When a product's field matches, change how its creatives are made."""

    model_config = ConfigDict(frozen=True)

    field: str = Field(pattern=r"^[a-z_0-9]+$")
    op: Op = "present"
    value: str = ""
    template: Literal["classic", "promo", "text_led"] | None = None
    offer: str | None = Field(default=None, max_length=200)
    badge: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    style: str | None = None

    def matches(self, product: FeedProduct, now: datetime | None = None) -> bool:
        """True when the condition holds (a sale outside its dates counts as absent)."""
        if self.field == "sale_price":
            have = product.sale_active(now)
            text = product.field("sale_price") if have else ""
        else:
            text = product.field(self.field)
            have = bool(text.strip())
        if self.op == "present":
            return have
        if self.op == "absent":
            return not have
        if self.op == "equals":
            return text.strip().casefold() == self.value.strip().casefold()
        return self.value.strip().casefold() in text.casefold()


class Effect(BaseModel):
    """What the matching rules decided, later rules overriding earlier ones."""

    template: str | None = None
    offer: str | None = None
    badge: str | None = None
    style: str | None = None
    rules: tuple[int, ...] = ()


def apply_rules(rules: Sequence[Rule], product: FeedProduct, now: datetime | None) -> Effect:
    """The combined effect of every rule that matches ``product``."""
    effect = Effect()
    hits: list[int] = []
    for i, rule in enumerate(rules):
        if not rule.matches(product, now):
            continue
        hits.append(i)
        update = {
            k: getattr(rule, k)
            for k in ("template", "offer", "badge", "style")
            if getattr(rule, k) is not None
        }
        effect = effect.model_copy(update=update)
    return effect.model_copy(update={"rules": tuple(hits)})


_WHEN = re.compile(r"^\s*(!)?\s*([a-z_0-9]+)\s*(\?|=|~)?\s*(.*?)\s*$")


def parse_rule(text: str) -> Rule:
    """'custom_label_0=clearance -> offer=Clearance,badge=#c62828' -> a Rule."""
    when, sep, then = text.partition("->")
    if not sep:
        raise refuse("rule_no_arrow", rule=text)
    m = _WHEN.match(when)
    if not m or (m.group(1) and m.group(3)):
        raise refuse("rule_bad_condition", condition=when.strip())
    neg, field, op_sym, value = m.groups()
    ops: dict[str, Op] = {"?": "present", "=": "equals", "~": "contains"}
    op: Op = "absent" if neg else ops[op_sym or "?"]
    actions: dict[str, str] = {}
    for part in then.split(","):
        key, eq, val = part.partition("=")
        if not eq or key.strip() not in ("template", "offer", "badge", "style"):
            raise refuse("rule_bad_action", action=part.strip())
        actions[key.strip()] = val.strip()
    try:
        return Rule.model_validate({"field": field, "op": op, "value": value, **actions})
    except ValidationError as exc:
        from adcraft.products import describe

        raise refuse("rule_invalid", rule=text, reason=describe(exc)) from None
