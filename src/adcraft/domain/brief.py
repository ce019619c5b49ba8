"""What the marketer gives adcraft: the product, the offer and the brand kit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import regex
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    field_validator,
    model_serializer,
    model_validator,
)

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


Period = Literal["day", "night", "week", "month", "year"]
"""What a recurring price is paid for: a day (rental), a night (hotel), a week, a month
(subscription), a year (licence, membership)."""
PERIODS: tuple[Period, ...] = get_args(Period)

# Words feeds and forms use for a period, folded to lower case ("monthly", "MONTH", "per
# night", Google Merchant's "month"/"year", schema.org's "P1M"/"MON").
_PERIOD_ALIASES: dict[str, Period] = {
    **dict.fromkeys(("day", "daily", "days", "d", "p1d", "dai"), "day"),
    **dict.fromkeys(("night", "nightly", "nights"), "night"),
    **dict.fromkeys(("week", "weekly", "weeks", "wk", "p1w", "wee"), "week"),
    **dict.fromkeys(("month", "monthly", "months", "mo", "mon", "p1m"), "month"),
    **dict.fromkeys(("year", "yearly", "annual", "annually", "years", "yr", "p1y", "ann"), "year"),
}


def parse_period(value: object) -> Period | None:
    """A period from what a marketer or a feed writes ("month", "Monthly", "per night",
    "P1M"); None for an empty value; InvalidBrief naming the accepted values otherwise."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidBrief(f"price period {value!r} is not text: give one of {', '.join(PERIODS)}")
    key = value.strip().lower()
    for prefix in ("per ", "a ", "/", "1 "):
        key = key.removeprefix(prefix).strip()
    if not key:
        return None
    period = _PERIOD_ALIASES.get(key)
    if period is None:
        raise InvalidBrief(
            f"price period {value!r} is not one adcraft knows: give one of "
            f"{', '.join(PERIODS)} (or leave it out for a one-off price)"
        )
    return period


class Price(BaseModel):
    """A price with an ISO 4217 currency code, and its period when it recurs."""

    model_config = ConfigDict(frozen=True)

    amount: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    period: Period | None = None
    """What the price is paid for when it recurs: "9,99 €/Monat", "$120/night". Every place
    that shows the price shows it with its period, or leaves the price out. None: a one-off
    price."""

    min_term: int | None = None
    """How many periods the buyer commits to pay for (a 12-month contract: ``period`` month,
    ``min_term`` 12; Merchant Center's ``subscription_cost`` period_length). Every creative
    that shows the price says the commitment in its terms line ("12-month minimum term");
    one that shows the price without it is not publishable. None: no minimum term."""

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, v: object) -> Period | None:
        return parse_period(v)

    @field_validator("min_term", mode="before")
    @classmethod
    def _min_term(cls, v: object) -> int | None:
        if v is None or v == "":
            return None
        try:
            term = int(str(v).strip()) if not isinstance(v, int) else v
        except ValueError:
            raise InvalidBrief(
                f"price min_term {v!r} is not a whole number of periods (12 for a 12-month "
                "contract)"
            ) from None
        if isinstance(v, bool) or term < 1:
            raise InvalidBrief(f"price min_term {v!r} must be a whole number of periods, 1 or more")
        return term

    @model_validator(mode="after")
    def _term_has_period(self) -> Price:
        if self.min_term is not None and self.period is None:
            raise InvalidBrief(
                f"price min_term {self.min_term} is given without a period: say what the "
                "price is paid per (month, year…) so the term can be told"
            )
        return self

    @model_serializer(mode="wrap")
    def _one_off(self, handler: SerializerFunctionWrapHandler) -> Any:
        """A one-off price is written as before prices had a period ({amount, currency}): the
        same brief keeps its creative ids, feed hashes and stored form; so is a price without
        a minimum term."""
        data = handler(self)
        if isinstance(data, dict):
            for key in ("period", "min_term"):
                if data.get(key) is None:
                    data.pop(key, None)
        return data


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
    deadline_required: StrictBool = False
    """A time-limited deal is shown with its end date or not at all: where a small banner has
    no room for the deadline, the deal gives way to the product name as a deal without its
    promo code does, and a creative that still shows it undated is not publishable. Off, the
    deal is shown undated with a warning (true while it runs), which keeps most 320x50 deals
    on the air; legal reviewers in Japan, Korea, China, Israel and the EU want it on."""


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
    ``price`` and in its currency; it is paid for the same period as ``price`` (taken from
    ``price`` when not given)."""
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

    @model_validator(mode="before")
    @classmethod
    def _regular_period(cls, data: Any) -> Any:
        """A regular price without a period is paid for the price's own ("~~12,99 €/Monat~~
        9,99 €/Monat"): a struck price must compare like with like."""
        if not isinstance(data, dict) or data.get("regular_price") is None:
            return data
        price, regular = data.get("price"), data["regular_price"]
        period = price.get("period") if isinstance(price, dict) else getattr(price, "period", None)
        if period is None:
            return data
        if isinstance(regular, dict) and regular.get("period") is None:
            return {**data, "regular_price": {**regular, "period": period}}
        if isinstance(regular, Price) and regular.period is None:
            return {**data, "regular_price": regular.model_copy(update={"period": period})}
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
        if regular.period != price.period:
            raise InvalidBrief(
                f"regular_price is per {regular.period or 'purchase'} but price is per "
                f"{price.period or 'purchase'}: a struck-through price must be for the same "
                "period as the price"
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
