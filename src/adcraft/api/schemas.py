"""Request and response bodies. Responses never carry storage keys or internal prompts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StrictBool,
    model_validator,
)

from adcraft.api.textcheck import find_control
from adcraft.domain.brief import MAX_DESCRIPTION_CHARS, MAX_OFFER_CHARS, MAX_TITLE_CHARS, Period
from adcraft.domain.colors import to_hex
from adcraft.layout.placement import Placement
from adcraft.scoring.gates.base import GateResult

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9a-f]{1,64}$")]
ShortText = Annotated[str, Field(max_length=300)]
T = TypeVar("T")
HexColor = Annotated[
    str,
    Field(
        max_length=100,
        description="Any CSS notation (#rgb, #rrggbb, rrggbb, rgb(), hsl(), a colour name),"
        " opaque; answered as #rrggbb",
        examples=["#1a5fd0", "rgb(26, 95, 208)", "navy"],
    ),
    AfterValidator(to_hex),
]


ReviewStateName = Literal["draft", "in_review", "changes_requested", "approved", "exported"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data: Any) -> Any:
        # Bodies that did not come through the JSON door (a multipart form's JSON field).
        found = find_control(data, cls.__name__)
        if found is not None:
            raise ValueError(f"{found[0]} contains the control character U+{ord(found[1]):04X}")
        return data


class Me(BaseModel):
    """The caller: its tenant and, for a signed-in person, who they are and what they may do."""

    tenant_id: str
    tenant_name: str
    key_prefix: str
    """The API key's prefix; empty for a person."""
    role: str = "admin"
    permissions: list[str] = []
    user_id: str | None = None
    user_name: str = ""


class CampaignIn(_In):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=5000)] = ""


class CampaignPatch(_In):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    archived: bool | None = None
    """True archives (hidden from the default list), false brings it back."""


class CampaignOut(BaseModel):
    id: str
    name: str
    description: str
    created_at: datetime
    creatives: int = 0
    tasks: int = 0
    archived_at: datetime | None = None


class Page(BaseModel, Generic[T]):
    """A page of results with the total count."""

    items: list[T]
    total: int
    limit: int
    offset: int


class FormatOut(BaseModel):
    id: str
    preset: str
    """Short platform key (meta, tiktok, google, iab...) for grouping in pickers."""
    platform: str
    placement: str
    width: int | None
    height: int | None
    aspect: str | None
    kind: str
    text_limits: dict[str, int]
    safe_zone: dict[str, float] = {}
    """Where the platform's own UI covers the image: top/bottom as fractions of the height,
    left/right of the width (what the placement preview shades)."""


class PriceIn(_In):
    amount: Annotated[float, Field(ge=0, le=1e12)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    period: Period | None = None
    """What a recurring price is paid for ("month": drawn "9,99 €/Monat", "$35/mo"); null or
    absent for a one-off price. A regular price without one shares the price's."""
    min_term: Annotated[int, Field(ge=1, le=1200)] | None = None
    """How many periods the buyer commits to (12 with "month": a 12-month contract): every
    creative that shows the price says "12-month minimum term" in its terms line. Needs a
    period; null or absent for none."""

    @model_validator(mode="after")
    def _term_has_period(self) -> PriceIn:
        if self.min_term is not None and self.period is None:
            raise ValueError(
                "min_term is given without a period: say what the price is paid per (month, "
                "year…) so the term can be told"
            )
        return self


class BriefIn(_In):
    """Brief fields, as on the command line."""

    product_name: Annotated[str, Field(min_length=1, max_length=MAX_TITLE_CHARS)]
    description: Annotated[str, Field(max_length=MAX_DESCRIPTION_CHARS)] = ""
    selling_points: Annotated[list[ShortText], Field(max_length=20)] = []
    offer: Annotated[str, Field(max_length=MAX_OFFER_CHARS)] = ""
    extra_offers: Annotated[list[ShortText], Field(max_length=10)] = []
    price: PriceIn | None = None
    regular_price: PriceIn | None = None
    """The price before the sale, drawn struck through before ``price``."""
    cta: Annotated[str, Field(max_length=100)] | None = None
    language: Annotated[str, Field(min_length=2, max_length=16)] = "en"
    category: Annotated[str, Field(max_length=100)] | None = None


class BriefPatch(_In):
    """Fields that override a catalogue product's."""

    product_name: Annotated[str, Field(min_length=1, max_length=MAX_TITLE_CHARS)] | None = None
    description: Annotated[str, Field(max_length=MAX_DESCRIPTION_CHARS)] | None = None
    selling_points: Annotated[list[ShortText], Field(max_length=20)] | None = None
    offer: Annotated[str, Field(max_length=MAX_OFFER_CHARS)] | None = None
    extra_offers: Annotated[list[ShortText], Field(max_length=10)] | None = None
    price: PriceIn | None = None
    regular_price: PriceIn | None = None
    """The price before the sale, drawn struck through before ``price``."""
    cta: Annotated[str, Field(max_length=100)] | None = None
    language: Annotated[str, Field(min_length=2, max_length=16)] | None = None
    category: Annotated[str, Field(max_length=100)] | None = None


BankName = Literal["own", "demo"]
"""'own': the tenant's image bank (editable); 'demo': the shared demo bank (read-only)."""
ImageId = Annotated[
    str, Field(min_length=1, max_length=128, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$")
]


class BankPickIn(_In):
    """A picture chosen in the image bank for a brief (instead of letting search choose)."""

    bank: BankName = "own"
    id: ImageId


class GenerateIn(_In):
    """A generation request: a brief (or a catalogue product), formats and variants."""

    campaign_id: Id | None = None
    campaign_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """Used to create a campaign when ``campaign_id`` is not given."""
    product_id: Id | None = None
    brief: BriefPatch | None = None
    image_url: HttpUrl | None = None
    image_asset_id: Id | None = None
    brand_kit_id: Id | None = None
    formats: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=100)]],
        Field(min_length=1, max_length=100),
    ] = ["1:1"]
    styles: Annotated[list[Annotated[str, Field(max_length=50)]], Field(max_length=20)] | None = (
        None
    )
    variants: Annotated[int, Field(ge=1, le=24)] = 3
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    image_format: Literal["jpeg", "png", "webp"] = "jpeg"
    image_source: Literal["photo", "bank", "generate"] = "photo"
    """'bank': the product picture comes from the image bank, chosen by semantic search of the
    brief (or ``bank_image`` when given); no match above the threshold is a 422 whose
    ``fallback`` is 'photo'. 'generate': painted by the configured diffusion model from
    ``image_description`` (or the product and offer); refused (422) when
    ``/capabilities`` says image generation is unavailable."""
    bank_image: BankPickIn | None = None
    image_description: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    """What the generated picture should show."""
    background: Literal["style", "scene"] = "style"
    """'scene': a scene painted around the product for each aspect group of the formats
    (square, portrait, landscape, tall, wide banner) instead of the style's backgrounds; needs
    image generation like 'generate'."""
    scene: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    """The scene to paint; empty: written from the brief and the first style."""


class Progress(BaseModel):
    done: int
    total: int
    step: str
    fraction: float


class ProblemOut(BaseModel):
    type: str
    title: str
    detail: str


class InjectionOut(BaseModel):
    """A sentence of the brief removed as prompt injection; it is in no creative."""

    field: str
    sentence: str
    pattern: str


class CopyProviderOut(BaseModel):
    """Who wrote a set's copy, and where the built-in writer stood in for it."""

    provider: str
    source: Literal["tenant", "server"]
    fallback: bool
    fallback_variants: list[int] = []
    fallback_reasons: list[str] = []
    key_rejected: bool = False
    """The endpoint refused the tenant's key (401/403): set a new one."""


class TaskOut(BaseModel):
    id: str
    kind: Literal["generate", "render", "upload"]
    status: Literal["pending", "running", "completed", "failed"]
    campaign_id: str
    progress: Progress
    attempts: int
    error: ProblemOut | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    queue_wait_s: float | None
    duration_s: float | None
    warnings: list[str] = []
    warning_notes: list[NoteOut] = []
    """The set's ``warnings`` with their codes, in the same order, to say in any language."""
    injections: list[InjectionOut] = []
    creatives: int = 0
    contact_sheet_url: str | None = None
    request: dict[str, Any]
    copy_provider: CopyProviderOut | None = None


class LookOut(BaseModel):
    """The seeds a version was made with: a new look moves each of them on."""

    seed: int
    """The layout's seed (background shapes and angles of the style)."""
    count: int = 0
    """New looks made since the generated version (0: the generated look)."""
    picture_seed: int | None = None
    """The seed that painted a generated picture."""
    picture_source: str | None = None
    """'generated:<model>' for a generated picture."""
    scene_seed: int | None = None
    """The seed of the scenes painted around the product."""
    scene_groups: list[str] = []
    """The aspect groups a scene was painted for."""


class ScoreReasonOut(BaseModel):
    """One reason behind a score, with a stable code to say it in any language."""

    code: str
    """One of ``adcraft.scoring.reasons.CODES`` (``other``: shown as ``text``)."""
    text: str
    """The reason in English, as in ``warnings`` after ``score: ``."""
    points: float | None = None
    """What it added to (or took from) the score; None when the ranker gives no points."""
    params: dict[str, float | str] = {}
    """The numbers in it: ``n``, ``px``, ``share`` (a fraction), ``ratio``, ``target``, ``ctr``
    (a fraction), ``delta`` (points of CTR, signed); ``what``: the CTR model's feature, in
    English."""


class NoteOut(BaseModel):
    """A warning or not-publishable reason with a stable code, to say it in any language."""

    code: str
    """One of ``adcraft.notes.CODES`` (``other``: shown as ``text``)."""
    text: str
    """The line in English, as in ``warnings`` (or ``publishable_reasons``)."""
    params: dict[str, float | str] = {}
    """The values in it: ``field`` (a copy field, ``platform:<name>`` for platform text),
    ``format`` (a format id), ``shown``/``brief``/``claim``/``word``… (the ad's and the brief's
    own words, in the ad's language), ``gap_code``/``gap_deadline``/``gap_qualifier``/
    ``gap_after_trial`` (what a deal is shown without), numbers of a sale (``regular``,
    ``price``, ``percent``, ``saved``); ``reason`` of a gate, a copywriter or a set-aside
    adjustment stays English."""
    blocks: bool = False
    """True for a ``not publishable: …`` warning."""


class VersionOut(BaseModel):
    number: int
    action: str
    current: bool
    task_id: str
    created_at: datetime
    score: float
    metrics: dict[str, float]
    copy_fields: dict[str, str] = Field(serialization_alias="copy")
    copy_limits: dict[str, int]
    platform_text: dict[str, str]
    warnings: list[str]
    score_reasons: list[ScoreReasonOut] = []
    """The ``score: …`` warnings with their codes, biggest effect first."""
    warning_notes: list[NoteOut] = []
    """The other ``warnings`` with their codes, in the same order."""
    injections: list[InjectionOut] = []
    image_format: str
    bytes: int
    image_url: str
    """Short-lived signed link, usable in an <img> tag without the API key."""
    look: LookOut | None = None


class LayoutBoxOut(BaseModel):
    kind: str
    box: tuple[int, int, int, int]
    """x, y, width, height in the image's pixels."""
    text: str | None = None
    """The price pill's text as drawn ("~~$45/mo~~ $35/mo" reads "$45/mo $35/mo"); only for
    ``price``, whose text no copy field carries."""
    struck: str | None = None
    """The price pill's struck-through regular price, when it shows one."""
    framed: bool = False
    """``product`` only: drawn as a framed photo, not a cut-out; a size may crop it (the
    ``photo_zoom``, ``photo_x`` and ``photo_y`` of a ``place`` version)."""


class CreativeOut(BaseModel):
    id: str
    campaign_id: str
    task_id: str
    origin: Literal["generated", "uploaded"] = "generated"
    """``uploaded``: a finished image brought in with POST /creatives/upload (no copy, metrics
    or gates; score 0; never re-rendered)."""
    name: str = ""
    """The name given to an uploaded creative (empty for generated ones)."""
    format: str
    platform: str
    width: int
    height: int
    variant: int
    style: str
    template: str
    rank: int
    """Rank within its set when generated (1 = best)."""
    score: float
    metrics: dict[str, float]
    copy_fields: dict[str, str] = Field(serialization_alias="copy")
    copy_limits: dict[str, int]
    platform_text: dict[str, str]
    warnings: list[str]
    score_reasons: list[ScoreReasonOut] = []
    """The ``score: …`` warnings with their codes, biggest effect first."""
    warning_notes: list[NoteOut] = []
    """The other ``warnings`` with their codes, in the same order."""
    injections: list[InjectionOut] = []
    """Sentences removed from the brief as prompt injection: review before download."""
    version: int
    versions: int
    file_name: str
    image_url: str
    image_sha256: str
    """SHA-256 of the image bytes: equal for byte-identical creatives (shown once in triage)."""
    shortened: list[str] = []
    """Edited fields this size shows other than as typed (shortened to fit, or not shown)."""
    review_state: ReviewStateName = "draft"
    shortlisted: bool = False
    """On the team's shortlist (PUT /creatives/{id}/shortlist): seen by everyone in the tenant."""
    publishable: bool = True
    """False when a claim is shown without its qualifier, a word is cut... (see reasons)."""
    publishable_reasons: list[str] = []
    publishable_notes: list[NoteOut] = []
    """``publishable_reasons`` with their codes, in the same order."""
    layout: list[LayoutBoxOut] = []
    """Where the product, the logo and each text element are drawn (a button's box is its
    plate): what the layout editor shows. Empty for versions made before it existed."""
    placement: Placement | None = None
    """The hand adjustment of this size, when it has one (``place``)."""
    passed_gates: bool = True
    """False when a quality gate failed (blur, exposure, unsafe imagery, copy...)."""
    gates: list[GateResult] = []
    """Every quality-gate check: pass/fail, reason, measured value, threshold."""
    created_at: datetime


CopyEdits = Annotated[
    dict[Annotated[str, Field(max_length=50)], Annotated[str, Field(max_length=2000)]],
    Field(max_length=20),
]


class VersionIn(_In):
    """Make a new version of a creative's variant, re-rendered in every size of its set."""

    action: Literal["edit", "swap_image", "regenerate_text", "regenerate_image", "place"]
    copy_fields: Annotated[
        dict[Annotated[str, Field(max_length=50)], Annotated[str, Field(max_length=2000)]],
        Field(alias="copy", max_length=20),
    ] = {}
    copy_by_format: Annotated[
        dict[Annotated[str, Field(max_length=100)], CopyEdits], Field(max_length=60)
    ] = {}
    """``edit`` only: per-size texts (from the edit preview) replacing ``copy`` in those sizes."""
    image_asset_id: Id | None = None
    image_url: HttpUrl | None = None
    placement: Placement | None = None
    """``place`` only: where this creative's size draws its product and text block, as moves
    from the engine's own layout (fractions of the canvas). The worker refuses one that puts
    text over the product, text outside the safe area or the product off the image."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class EditPreviewIn(_In):
    """An edit to check against every size of the variant before saving it."""

    copy_fields: CopyEdits = Field(alias="copy")
    copy_by_format: Annotated[
        dict[Annotated[str, Field(max_length=100)], CopyEdits], Field(max_length=60)
    ] = {}
    """Per-size texts that replace ``copy`` in the named formats."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class FieldPreviewOut(BaseModel):
    name: str
    where: Literal["image", "platform"] | None
    limit: int | None
    status: Literal["fits", "shortened", "not_shown"]
    text: str


class SizePreviewOut(BaseModel):
    creative_id: str
    format: str
    width: int
    height: int
    fields: list[FieldPreviewOut]


class EditPreviewOut(BaseModel):
    """Every size of the variant with the edited fields as that size will show them."""

    sizes: list[SizePreviewOut]
    changed: int
    """How many sizes would show an edited field shortened or not at all."""


class StyleImageOut(BaseModel):
    """One style in the previewed size."""

    style: str
    url: str
    """A signed link to the image (kept ``expires_in_s``, then removed)."""
    width: int
    height: int
    image_format: Literal["jpeg", "png", "webp"]
    bytes: int


class StylePreviewOut(BaseModel):
    """One size of the brief in each style, before anything is generated or saved."""

    format: str
    """The previewed size: the first of the request's formats that needs no logo, or
    ``meta_feed_square``."""
    width: int
    height: int
    seed: int
    images: list[StyleImageOut]
    """In the order of the styles asked for (or of those a set would use)."""
    warnings: list[str]
    warning_notes: list[NoteOut] = []
    """The ``warnings`` with their codes, in the same order, to say in any language."""
    expires_in_s: int
    """How long the preview images are kept."""


class ReviewIn(_In):
    """Move a creative's current version to another review state."""

    state: ReviewStateName
    version: Annotated[int, Field(ge=1)] | None = None
    """The version the reviewer looked at: a newer current version makes this a 409."""
    note: Annotated[str, Field(max_length=2000)] | None = None
    by: Annotated[str, Field(max_length=100)] | None = None
    """The person's name, recorded with the API key that made the request."""


class CommentIn(_In):
    text: Annotated[str, Field(min_length=1, max_length=5000)]
    by: Annotated[str, Field(max_length=100)] | None = None


class ActivityOut(BaseModel):
    kind: str
    """review, comment, edit, regenerate, download, report ..."""
    version: int | None
    by: str
    state: str | None = None
    text: str | None = None
    field: str | None = None
    created_at: datetime


class ShortlistIn(_In):
    """Put a creative on the team's shortlist, or take it off."""

    shortlisted: bool
    by: Annotated[str, Field(max_length=100)] | None = None
    """The person's name, recorded with the API key that made the request."""


class ShortlistOut(BaseModel):
    creative_id: str
    shortlisted: bool


class ReviewOut(BaseModel):
    creative_id: str
    version: int
    state: ReviewStateName
    activity: list[ActivityOut]


class RestoreIn(_In):
    version: Annotated[int, Field(ge=1)]


class SignedUrl(BaseModel):
    url: str
    expires_in_s: int


class FeedbackIn(_In):
    creative_id: Id
    kind: Literal["download", "edit", "regenerate", "report"]
    version: Annotated[int, Field(ge=1)] | None = None
    field: Annotated[str, Field(max_length=50)] | None = None
    final_text: Annotated[str, Field(max_length=2000)] | None = None
    """For ``edit``: the text the marketer ended with; the edit distance is computed here."""
    what: Literal["text", "image"] | None = None
    """For ``regenerate``."""
    message: Annotated[str, Field(max_length=5000)] | None = None
    """For ``report``: what is wrong."""


class FeedbackOut(BaseModel):
    id: str
    creative_id: str
    kind: str
    version: int | None
    field: str | None
    edit_distance: float | None
    data: dict[str, Any]
    created_at: datetime


class FeedbackSummary(BaseModel):
    downloads: int = 0
    edits: int = 0
    regenerations: int = 0
    reports: int = 0
    mean_edit_distance: float | None = None


class AssetOut(BaseModel):
    id: str
    kind: Literal["image", "logo", "font"]
    content_type: str
    bytes: int
    width: int | None
    height: int | None
    filename: str
    caption: str
    created_at: datetime
    url: str


class BrandKitIn(_In):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    colors: Annotated[list[HexColor], Field(max_length=12)] = []
    tone_words: Annotated[list[Annotated[str, Field(max_length=50)]], Field(max_length=30)] = []
    banned_words: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=200)] = []
    deadline_required: StrictBool = False
    """A time-limited deal is shown with its end date or not at all: on a banner with no room
    for the deadline the headline names the product instead (see ``BrandKit``)."""
    logo_asset_id: Id | None = None
    heading_font_asset_id: Id | None = None
    body_font_asset_id: Id | None = None


class BrandKitOut(BrandKitIn):
    model_config = ConfigDict(extra="ignore")
    id: str
    created_at: datetime
    logo_url: str | None = None


class ProductIn(_In):
    sku: Annotated[str, Field(min_length=1, max_length=200)]
    name: Annotated[str, Field(min_length=1, max_length=MAX_TITLE_CHARS)]
    description: Annotated[str, Field(max_length=MAX_DESCRIPTION_CHARS)] = ""
    selling_points: Annotated[list[ShortText], Field(max_length=20)] = []
    offers: Annotated[
        list[Annotated[str, Field(max_length=MAX_OFFER_CHARS)]], Field(max_length=10)
    ] = []
    price: PriceIn | None = None
    regular_price: PriceIn | None = None
    """The price before the sale, drawn struck through before ``price``."""
    language: Annotated[str, Field(min_length=2, max_length=16)] = "en"
    category: Annotated[str, Field(max_length=100)] | None = None
    image_asset_id: Id | None = None


class ProductOut(ProductIn):
    model_config = ConfigDict(extra="ignore")
    id: str
    created_at: datetime
    image_url: str | None = None


class ImportResult(BaseModel):
    created: int
    updated: int
    products: list[ProductOut]
    warnings: list[str]
    warning_notes: list[NoteOut] = []
    """The ``warnings`` with their codes, in the same order, to say in any language."""


class ReadyCheck(BaseModel):
    state: Literal["ok", "down", "timeout", "skipped"]
    detail: str
    ms: float


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, bool] = {}
    """Each check by name: usable or not (a skipped check counts as usable)."""
    details: dict[str, ReadyCheck] = {}
    """Each check's state, what it found and how long it took."""
