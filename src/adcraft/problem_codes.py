"""Refusals of the API with stable codes, to say in any language.

A refusal made with :func:`refuse` carries its code and values; the problem+json body gives
them as ``code`` and ``params`` beside the English ``detail`` (the CLI and older clients show
that). The web app words each code in its own language and shows ``detail`` for one it has no
words for. Codes are part of the API: never rename one.
"""

from __future__ import annotations

from typing import TypeVar

from adcraft.errors import AdcraftError, InputError, TooManyRequests

#: code -> English template (``str.format``).
PROBLEMS: dict[str, str] = {
    "too_many_formats": "{count} formats selected, at most {max} per request",
    "too_many_variants": "variants must be at most {max}, got {count}",
    "logo_needs_kit": "logo formats need a brand kit with a logo: pick one or drop them",
    "product_needed": "give brief.product_name or a product_id from the catalogue",
    "campaign_name_empty": "the campaign name is empty: give it a name",
    "sku_exists": "a product with sku {sku!r} exists: PUT to change it",
    "sku_taken": "another product already has sku {sku!r}",
    "too_many_products": "{count} products; import at most {max} at once",
    # A picture the marketer uploads: the refusals one sees most, so said in their language.
    "image_empty": "image {name!r} is empty (0 bytes): upload the file again",
    "image_file_too_big": (
        "image {name!r} is {mib} MiB, above the {max_mib} MiB limit: export a smaller file"
    ),
    "image_too_many_pixels": (
        "image {name!r} is {width}x{height} ({mp} megapixels), above the {max_mp} megapixel "
        "limit: downscale it first"
    ),
    "image_not_supported": (
        "image {name!r} is not a supported image: use PNG, JPEG, WebP, GIF, TIFF or BMP"
    ),
    "image_damaged": "image {name!r} is truncated or damaged: re-export or upload it again",
    "image_transparent": "image {name!r} is fully transparent: there is nothing to show",
    # Any file the marketer uploads (a picture, a font, a products file).
    "file_empty": "{name} is empty (0 bytes): choose the file again",
    "file_too_big": "{name} is above the {max_mib} MiB limit: send a smaller file",
    "font_not_supported": "{name} is not a TrueType or OpenType font (.ttf/.otf)",
    "font_unreadable": "{name} cannot be loaded: {reason}",
    # A finished ad uploaded as it is, for one format.
    "ad_image_not_supported": "{name} is not a JPEG, PNG or WebP image: upload the ad as one",
    "ad_image_wrong_type": "{name} is a {image_format} image: upload a JPEG, PNG or WebP",
    "ad_image_wrong_shape": (
        "{name} is {width}×{height}; format {format} is {format_width}×{format_height}: "
        "upload an image of that size or of the same aspect ratio"
    ),
    "ad_image_too_small": (
        "{name} is {width}×{height}, smaller than the {min_width}×{min_height} that format "
        "{format} needs at least: upload it at {format_width}×{format_height}"
    ),
    # An edit of a creative's copy.
    "copy_too_long": "{field} has {length} characters; this size allows {max}: shorten it",
    # A picture by its link: only what the link shows (never query, credentials or a fragment).
    "image_url_invalid": "{url} is not a valid URL: {reason}",
    "image_url_scheme": "URL scheme {scheme!r} is not allowed: use an http(s) link",
    "image_url_credentials": "{url} carries a user name or password: give a plain public link",
    "image_url_no_host": "{url} has no host name",
    "image_url_unresolved": "cannot resolve host {host!r} of {url}: {reason}",
    "image_url_no_address": "host {host!r} of {url} has no address",
    "image_url_not_public": (
        "{url} points to {address}, a private, local or reserved address: "
        "only public internet addresses may be fetched"
    ),
    "image_url_no_location": "{url} answered HTTP {status} without a Location to follow",
    "image_url_too_many_redirects": (
        "{url} redirects more than {max} times: link the image directly"
    ),
    "image_url_http_error": "fetching {url} failed: HTTP {status} {reason}",
    "image_url_web_page": (
        "{url} is a web page ({content_type}), not an image: link the image file itself"
    ),
    "image_url_too_big": "{url} is {mib} MiB, above the {max_mib} MiB limit",
    "image_url_sends_too_much": "{url} sends more than {max_mib} MiB: use a smaller image",
    "image_url_timeout": "fetching {url} timed out: try again or upload the file",
    "image_url_tls_failed": "secure connection to {url} failed: {reason}",
    "image_url_failed": "fetching {url} failed: {reason}",
    # A products.json the marketer imports into the catalogue.
    "products_file_not_json": "the products file is not valid JSON: {reason}",
    "products_file_not_list": "the products file must hold a JSON list of product objects",
    "product_not_object": "product #{number} is not a JSON object",
    "product_invalid": "product {product!r}: {reason}",
    # A visitor's comment on a shared review link.
    "guest_name_empty": "your name is empty: write something",
    "guest_name_too_long": "your name is {length} characters long: at most {max}",
    "comment_empty": "the comment is empty: write something",
    "comment_too_long": "the comment is {length} characters long: at most {max}",
    # The workspace's own copywriter endpoint and remover (the settings page), checked on save.
    "llm_url_invalid": "llm.base_url {url!r} must be an http(s) URL such as https://host/v1",
    "llm_url_credentials": (
        "llm.base_url must not carry a user or password: give the key as api_key"
    ),
    "llm_url_unresolved": "llm.base_url: cannot resolve {host!r} ({reason})",
    "llm_url_private": (
        "llm.base_url: {host} resolves to a private address ({address}); this server only "
        "calls public endpoints for tenants (an operator can allow private ones with "
        "ADCRAFT_PROVIDERS__ALLOW_PRIVATE_LLM_URLS=true)"
    ),
    "llm_key_needed": (
        "llm.api_key: the endpoint changed, so give its key again (the stored one is only "
        "sent to the URL it was saved with)"
    ),
    "llm_test_failed": "the LLM endpoint failed a test call: {reason}",
    "llm_test_timeout": "the LLM endpoint did not answer the test call in time",
    "llm_test_empty": "the LLM endpoint answered the test call with an empty message",
    "remover_not_allowed": "default_remover {name!r} is not one of {choices}",
    "remover_not_installed": "default_remover {name!r} is not installed on this server: {reason}",
    # A brand kit's logo and fonts, by the uploaded files they name.
    "brand_kit_logo_not_picture": "logo: asset {asset} is a font, upload a logo",
    "brand_kit_heading_font_not_font": (
        "heading font: asset {asset} is a picture, not a font: upload a font"
    ),
    "brand_kit_body_font_not_font": (
        "body font: asset {asset} is a picture, not a font: upload a font"
    ),
    # A catalogue bulk run: its rules, worker count and where its creatives are exported.
    "rule_no_arrow": "rule {rule!r} has no '->': write e.g. 'sale_price? -> template=promo'",
    "rule_bad_condition": (
        "rule condition {condition!r} is not field?, !field, field=v or field~v"
    ),
    "rule_bad_action": "rule action {action!r} is not template=, offer=, badge= or style=",
    "rule_invalid": "rule {rule!r}: {reason}",
    # Pausing, resuming, cancelling or retrying a run its state does not allow (409).
    "run_cannot_pause": "run {run} is {run_status}: it cannot be paused",
    "run_cannot_resume": "run {run} is {run_status}: it cannot be resumed",
    "run_cannot_cancel": "run {run} is {run_status}: it cannot be cancelled",
    "run_nothing_to_retry": "run {run} has no failed products to retry",
    # Editing a creative: a new version (edit, swap_image, place) and its edit preview.
    "edit_needs_copy": "an edit needs at least one field in 'copy', e.g. {{'headline': '...'}}",
    "field_not_in_creative": "field {field!r} is not in this creative: use {fields}",
    "swap_image_needs_one": "swap_image needs exactly one of image_asset_id or image_url",
    "place_needs_placement": "place needs 'placement': the moves of the product and the text",
    "logo_nothing_to_move": "a logo format has nothing to move: its logo fills the safe area",
    "edit_preview_needs_copy": "an edit preview needs at least one field in 'copy'",
    "copy_by_format_unknown": (
        "copy_by_format names {unknown}, not a size of this variant: use {sizes}"
    ),
    # Generating a set or its style preview: where the product picture comes from.
    "one_product_image": (
        "give one product image: an upload, image_url, image_asset_id, image_source=bank "
        "or image_source=generate"
    ),
    "one_product_image_preview": (
        "give one product image: image_url, image_asset_id, image_source=bank "
        "or image_source=generate"
    ),
    # Feedback on a creative: an edit's field and text, a problem report's message.
    "feedback_edit_incomplete": "an edit needs 'field' and 'final_text'",
    "report_needs_message": "a problem report needs a 'message' saying what is wrong",
    # Tracking links and the click redirect.
    "landing_url_invalid": "landing URL {url!r} must be an absolute http(s) URL with a host",
    "tracking_version_missing": "creative has versions 1..{latest}, not {version}",
    "redirect_not_landing": "the redirect target is not this creative's landing URL",
    # Analytics: the dates of a report, deleting events, a batch of events sent.
    "since_not_before_until": "'since' must be before 'until'",
    "date_out_of_range": "'{name}' must be between {min_year} and {max_year}",
    "delete_events_needs_one": "pass either user_hash=<hash> or all=true",
    "events_not_json": "the request body is not valid JSON: {reason}",
    "events_not_list": 'send {{"events": [ ... ]}} with a list of event objects',
    "run_workers_out_of_range": "workers must be between 1 and {max} (catalog.max_workers)",
    "export_target_no_bucket": "export target {target!r} has no bucket: use s3://bucket/prefix",
    "export_target_invalid": "export target {target!r}: give a folder or s3://bucket/prefix",
    # A product feed uploaded or fetched for the catalogue, as it is read.
    "feed_format_unknown": (
        "cannot tell the feed's format from its first line: give the dialect ({dialects})"
    ),
    "feed_needs_mapping": "a generic CSV feed needs a column mapping (attribute=column)",
    "feed_csv_invalid": "the feed is not valid CSV near line {line}: {reason}",
    "feed_xml_unsafe": (
        "the XML feed declares a document type or entities ({reason}); product feeds need "
        "neither, and they can hide entity bombs or read local files, so the feed is refused"
    ),
    "feed_xml_malformed": "the XML feed is malformed: {reason}",
    "feed_url_no_location": "{url} answered HTTP {status} without a Location",
    "feed_url_http_error": "fetching the feed {url} failed: HTTP {status}",
    "feed_url_too_big": "the feed {url} is larger than {max_gib} GiB",
    "feed_url_timeout": "fetching the feed {url} took too long",
    "feed_url_failed": "fetching the feed {url} failed: {reason}",
    "feed_url_too_many_redirects": "{url} redirects more than {max} times",
    # An A/B experiment: its arms when it is made, and pausing, resuming or stopping it.
    "experiment_too_few_arms": (
        "an experiment needs at least two arms (one control and one to test)"
    ),
    "experiment_one_control": 'exactly one arm must be the control ("control": true)',
    "experiment_version_missing": (
        "creative {creative} has no version {version} (versions: {versions})"
    ),
    "experiment_cannot_pause": "cannot pause an experiment that is {experiment_status}",
    "experiment_cannot_resume": "cannot resume an experiment that is {experiment_status}",
    "experiment_cannot_stop": "cannot stop an experiment that is {experiment_status}",
    # A request body above its cap (413), refused before or while it is read.
    "upload_too_big": "the upload is above the {max_mib} MiB limit: send a smaller body",
    "request_too_big": "the request body is above the {max_mib} MiB limit: send a smaller body",
    "anonymous_request_too_big": (
        "a request without a valid API key is above the {max_bytes:,} bytes limit: "
        "send a smaller body"
    ),
    # A body that stopped arriving (408): a slow or broken connection.
    "body_too_slow": "the request body arrived too slowly: send it again",
    # Too much at once (429); the answer's Retry-After header says when to try again.
    "rate_limited": ("rate limit of {per_minute} requests per minute reached: retry in {wait_s} s"),
    "too_many_streams": (
        "this API key already has {count} open progress streams (the limit): close one "
        "or poll GET /tasks/{{id}}"
    ),
    "too_many_tasks": (
        "{count} tasks are still queued or running (limit {max}): wait for some to finish"
    ),
    # Password sign-in: the same members whether or not the email has an account.
    "sign_in_wrong": "wrong email or password",
    "sign_in_locked_seconds": (
        "too many wrong passwords were tried for this email: password sign-in with it is "
        "paused, try again in {seconds} s"
    ),
    "sign_in_locked_minutes": (
        "too many wrong passwords were tried for this email: password sign-in with it is "
        "paused, try again in {minutes} min"
    ),
}


E = TypeVar("E", bound=AdcraftError)


def say(code: str, **params: str | int | float) -> str:
    """The English message of ``code`` with its values."""
    return PROBLEMS[code].format(**params)


def too_many(
    code: str,
    *,
    retry_after: float,
    kind: type[TooManyRequests] = TooManyRequests,
    **params: str | int | float,
) -> TooManyRequests:
    """A 429 refusal by its code, with the seconds to wait before trying again; ``kind``: a
    subclass for callers that tell refusals apart (a locked sign-in)."""
    err = kind(say(code, **params), retry_after=retry_after)
    err.code = code
    err.params = params
    return err


def refuse(code: str, *, kind: type[E] = InputError, **params: str | int | float) -> E:  # type: ignore[assignment]
    """A 422 with the English message of ``code``, its code and its values; ``kind``: the
    error class, for callers that tell refusals apart (an image's, a brief's) or that answer
    with another status (a file above its cap: 413)."""
    err = kind(say(code, **params))
    err.code = code
    err.params = params
    return err
