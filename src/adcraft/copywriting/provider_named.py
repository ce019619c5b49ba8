"""Credit and other financial offers must say who provides them.

Advertising rules for financial services ask for the provider's name in the ad itself (Russia's
law on advertising, art. 28; the EU Consumer Credit Directive's standard information; the US
Truth in Lending Act's advertising rules). The images name their provider only through the
brand kit's logo (the name goes into the platforms' brand-name fields, and Meta or Google show
the advertiser's page beside the ad, but a display banner is the image alone): a brief for a
credit card without a logo makes banners that name nobody, and the marketer is told once per
set, before publishing. Which rule applies depends on the market; this only notices that the
images name no provider at all. Each creative is then held to it (``copywriting.essentials``):
one for a financial product that names no provider (no logo drawn, the brand's name nowhere in
its text, and no room to add it as small print) is not publishable, and a financing offer of
another product ("pay in 4 interest-free instalments") is left off a creative that cannot say
who lends.
"""

from __future__ import annotations

import regex

from adcraft.domain.brief import Brief
from adcraft.notes import say

_FINANCE_CATEGORIES = frozenset(
    {"finance", "financial", "bank", "banking", "credit", "loan", "loans", "insurance", "fintech"}
)
# Words that make an offer a credit or banking product, in the languages the claims know.
_FINANCE_WORDS = regex.compile(
    r"\b(?:credit\s+card|loan|mortgage|APR|interest[- ]free|кредит\w*|займ\w*|ипотек\w*|"
    r"процентн\w*\s+ставк\w*|без\s+процентов|Kredit\w*|Darlehen|Zinsen|zinsfrei|crédit|prêt|"
    r"préstamo|crédito|hipoteca|kredyt\w*|pożyczk\w*|kredi|faizsiz|信用卡|贷款|貸款|ローン|"
    r"クレジットカード|카드론|대출|הלוואה|אשראי|قرض|بطاقة\s+ائتمان)",
    regex.IGNORECASE,
)


def financial_product(brief: Brief) -> bool:
    """Whether what the brief sells is itself a financial service (a credit card, a loan), not
    a product with a way to pay for it ("pay in 4 interest-free instalments" for sneakers)."""
    if (brief.category or "").strip().casefold() in _FINANCE_CATEGORIES:
        return True
    return any(_FINANCE_WORDS.search(t) for t in (brief.product_name, brief.description))


def offers_credit(text: str) -> bool:
    """Whether ``text`` offers credit or another financial service."""
    return _FINANCE_WORDS.search(text) is not None


def is_financial(brief: Brief) -> bool:
    """Whether the brief offers credit or another financial service."""
    if (brief.category or "").strip().casefold() in _FINANCE_CATEGORIES:
        return True
    texts = [brief.product_name, brief.description, brief.offer, *brief.extra_offers]
    return any(_FINANCE_WORDS.search(t) for t in [*texts, *brief.selling_points])


def provider_warnings(brief: Brief) -> list[str]:
    """A warning when a financial brief's images would name no provider (no logo, no name)."""
    if not is_financial(brief) or brief.brand.logo or (brief.brand.name or "").strip():
        return []
    return [say("provider_not_named")]
