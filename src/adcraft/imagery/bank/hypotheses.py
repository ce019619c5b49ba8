"""Three short 'where could this image advertise' hypotheses per image, without an LLM.

With an LLM or vision captioner configured, its hypotheses are used instead; this module is
the offline fallback: it combines the caption with advertising domains suggested by the
keywords (a small lexicon) and by an optional category hint (the demo bank passes the emoji
subgroup's domains from ``demo_usage``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

HYPOTHESES_PER_IMAGE = 3

# keyword stem -> the kind of advertiser that would use a picture of it
_LEXICON: dict[str, str] = {
    "coffee": "a café or coffee shop offer",
    "tea": "a tea shop or café",
    "beer": "a bar or brewery promotion",
    "wine": "a wine shop or restaurant",
    "pizza": "pizza delivery",
    "burger": "a fast food restaurant",
    "cake": "a bakery or birthday offer",
    "bread": "a bakery",
    "fruit": "fresh produce from a grocery store",
    "vegetable": "fresh produce from a grocery store",
    "car": "a car dealer, car rental or taxi service",
    "taxi": "a taxi or ride-hailing app",
    "bus": "public transport or city tours",
    "train": "train tickets and rail travel",
    "airplane": "flight deals and air travel",
    "plane": "flight deals and air travel",
    "ship": "cruises and ferry travel",
    "bicycle": "bike shops and cycling",
    "house": "real estate, mortgages or home insurance",
    "hotel": "hotel booking and travel",
    "beach": "beach holidays and summer travel",
    "phone": "mobile plans and smartphones",
    "computer": "laptops, software and online courses",
    "laptop": "laptops, software and online courses",
    "money": "banking, loans, cashback or savings",
    "card": "credit cards and payments",
    "gift": "gifts, sales and special offers",
    "shopping": "online shopping and retail sales",
    "book": "books, education and online courses",
    "school": "education and school supplies",
    "music": "music streaming, concerts and headphones",
    "headphone": "headphones and audio gear",
    "game": "video games and entertainment",
    "sport": "sportswear and fitness",
    "ball": "sports equipment and sports events",
    "run": "running shoes and fitness apps",
    "shoe": "footwear stores",
    "dress": "fashion and clothing stores",
    "shirt": "fashion and clothing stores",
    "medical": "pharmacies and health care",
    "pill": "pharmacies and health care",
    "heart": "dating apps, charity or Valentine's Day offers",
    "love": "dating apps and Valentine's Day offers",
    "dog": "pet food and pet care",
    "cat": "pet food and pet care",
    "flower": "flower delivery and garden shops",
    "tree": "gardening and eco-friendly brands",
    "sun": "summer sales and travel",
    "snow": "winter sales and ski holidays",
    "rain": "umbrellas and weather apps",
    "clock": "limited-time offers and watches",
    "watch": "watches and smartwatches",
    "camera": "cameras and photo services",
    "tool": "hardware stores and repair services",
    "package": "delivery and logistics",
    "mail": "email, messaging and delivery",
    "rocket": "product launches and startups",
    "party": "parties, events and celebrations",
    "baby": "baby products and family services",
    "tent": "camping gear and outdoor trips",
}
_WORD = re.compile(r"\w+", re.UNICODE)


def _domains(words: Sequence[str]) -> list[str]:
    """Advertising domains suggested by the words, most specific first, no repeats."""
    found: list[str] = []
    for word in words:
        for token in _WORD.findall(word.lower()):
            for stem, domain in _LEXICON.items():
                if (token == stem or token.startswith(stem)) and domain not in found:
                    found.append(domain)
    return found


def derive_hypotheses(
    caption: str, keywords: Sequence[str] = (), hints: Sequence[str] = ()
) -> tuple[str, ...]:
    """Three usage hypotheses from a caption, its keywords and optional category hints."""
    subject = caption.strip().rstrip(".")
    domains = [*hints]
    for d in _domains([caption, *keywords]):
        if d not in domains:
            domains.append(d)
    extra = [k for k in keywords if k.lower() not in subject.lower()][:3]
    out: list[str] = [f"{d} featuring {subject}" for d in domains[:HYPOTHESES_PER_IMAGE]]
    generic = [
        f"an ad for {subject}",
        f"a promotion about {', '.join(extra)}" if extra else f"a banner showing {subject}",
        f"a social media post with {subject}",
    ]
    for g in generic:
        if len(out) >= HYPOTHESES_PER_IMAGE:
            break
        out.append(g)
    return tuple(out[:HYPOTHESES_PER_IMAGE])
