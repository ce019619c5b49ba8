"""What the marketer gives adcraft: the product, the offer and the brand kit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from adcraft.errors import InvalidBrief

HexColor = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]

#: Languages the built-in copywriter and the typography have been checked for.
SUPPORTED_LANGUAGES = ("en", "ru", "zh", "es", "de", "ar", "fr", "it", "pt", "he", "ja", "ko")

# Chinese language tags and the script their glyph forms follow.
_CHINESE_SCRIPTS = {
    **dict.fromkeys(("zh-hant", "zh-tw", "zh-hk", "zh-mo", "zh-hant-tw", "zh-hant-hk"), "Hant"),
    **dict.fromkeys(("zh-hans", "zh-cn", "zh-sg", "zh-hans-cn"), "Hans"),
}

MAX_TITLE_CHARS = 200
MAX_DESCRIPTION_CHARS = 5_000
MAX_OFFER_CHARS = 2_000


class Price(BaseModel):
    """A price with an ISO 4217 currency code."""

    model_config = ConfigDict(frozen=True)

    amount: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class BrandKit(BaseModel):
    """Brand colors, fonts, logo and voice. Every field is optional."""

    model_config = ConfigDict(frozen=True)

    name: str | None = None
    colors: tuple[HexColor, ...] = ()
    """Brand palette, most important first (primary, secondary, accent...)."""
    heading_font: Path | None = None
    body_font: Path | None = None
    logo: Path | None = None
    tone_words: tuple[str, ...] = ()
    banned_words: tuple[str, ...] = ()


class Brief(BaseModel):
    """One product to advertise."""

    model_config = ConfigDict(frozen=True)

    product_name: str
    description: str = ""
    selling_points: tuple[str, ...] = ()
    offer: str = ""
    """The main offer; further offers may follow in ``extra_offers``."""
    extra_offers: tuple[str, ...] = ()
    price: Price | None = None
    regular_price: Price | None = None
    """The price before the sale, when ``price`` is a sale price: drawn struck through
    before it ("~~49,99 €~~ 39,99 €"). A discount beside a bare price does not say what it
    is taken from, which price-indication rules (EU Omnibus) require. Must be higher than
    ``price`` and in its currency."""
    cta: str | None = None
    """Preferred call to action; the copywriter localises a default when absent."""
    language: str = "en"
    """ISO 639 code; a tag ("zh-Hant", "pt-BR") is kept to its language, its script in
    ``script``."""
    script: str = ""
    """"Hant" or "Hans" when the language tag names a Chinese script ("zh-Hant", "zh-TW",
    "zh-HK" → Hant; "zh-Hans", "zh-CN" → Hans): the glyph forms and phrase breaks follow it.
    Empty: read from the text."""
    category: str | None = None
    image: str | Path | bytes | None = None
    """Product photo: a path, raw bytes or an http(s) URL; None for a text-led design."""
    brand: BrandKit = BrandKit()

    @model_validator(mode="before")
    @classmethod
    def _script_of_tag(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("script") and data.get("language"):
            tag = str(data["language"]).strip().lower().replace("_", "-")
            script = _CHINESE_SCRIPTS.get(tag)
            if script:
                data = {**data, "script": script}
        return data

    @field_validator("script")
    @classmethod
    def _script(cls, v: str) -> str:
        v = v.strip().capitalize()
        if v not in ("", "Hant", "Hans"):
            raise InvalidBrief(f"script {v!r} is not one adcraft sets apart: 'Hant' or 'Hans'")
        return v

    @field_validator("product_name")
    @classmethod
    def _title(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise InvalidBrief("product name is empty: give the product a title")
        if not regex.search(r"[\p{L}\p{N}]", v):
            # Emoji and punctuation alone leave nothing to set as a headline.
            raise InvalidBrief(
                f"product name {v!r} has no letters or digits: give the product a readable title"
            )
        if len(v) > MAX_TITLE_CHARS:
            raise InvalidBrief(
                f"product name has {len(v)} characters, at most {MAX_TITLE_CHARS} are allowed"
            )
        return v

    @field_validator("description")
    @classmethod
    def _description(cls, v: str) -> str:
        if len(v) > MAX_DESCRIPTION_CHARS:
            raise InvalidBrief(
                f"description has {len(v)} characters, at most {MAX_DESCRIPTION_CHARS} are allowed"
            )
        return v.strip()

    @field_validator("offer")
    @classmethod
    def _offer(cls, v: str) -> str:
        if len(v) > MAX_OFFER_CHARS:
            raise InvalidBrief(
                f"offer has {len(v)} characters, at most {MAX_OFFER_CHARS} are allowed: "
                "an ad offer is one or two sentences, put the rest in the description"
            )
        return v.strip()

    @model_validator(mode="after")
    def _regular_price(self) -> Brief:
        regular, price = self.regular_price, self.price
        if regular is None:
            return self
        if price is None:
            raise InvalidBrief(
                "regular_price is given without price: give the sale price as price too"
            )
        if regular.currency != price.currency:
            raise InvalidBrief(
                f"regular_price is in {regular.currency} but price is in {price.currency}: "
                "both must be in one currency"
            )
        if regular.amount <= price.amount:
            raise InvalidBrief(
                f"regular_price {regular.amount:g} is not above price {price.amount:g}: "
                "a struck-through price must be the higher one (leave it out when there "
                "is no sale)"
            )
        return self

    @field_validator("language")
    @classmethod
    def _language(cls, v: str) -> str:
        v = v.strip().lower().replace("_", "-").split("-")[0]
        if not v.isalpha() or len(v) not in (2, 3):
            raise InvalidBrief(f"language {v!r} is not an ISO 639 code such as 'en' or 'ru'")
        return v
