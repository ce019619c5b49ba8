"""The refusals a marketer meets in the web app carry a code and its values, so the page says
them in its own language (the English detail stays for the CLI and older clients)."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any, cast

import pytest
from fastapi import UploadFile

from adcraft.api.intake import ingest_font, read_upload
from adcraft.api.routes.products import _record
from adcraft.api.routes.versions import _check_edits
from adcraft.api.uploaded import UploadIn, check_fits, create_uploaded, creative_format
from adcraft.errors import AdcraftError, ImageInputError, InputError, PayloadTooLarge
from adcraft.review_links import add_guest_comment

NOTHING = cast(Any, None)  # the refusal comes before any database or store is touched


def _coded(err: AdcraftError) -> tuple[str | None, dict[str, Any]]:
    return err.code, dict(err.params)


def test_an_empty_upload_is_named_by_its_file() -> None:
    upload = UploadFile(io.BytesIO(b""), filename="фото.jpg")
    with pytest.raises(ImageInputError) as got:
        read_upload(upload, 1000, "the image")
    assert _coded(got.value) == ("file_empty", {"name": "фото.jpg"})
    assert str(got.value) == "фото.jpg is empty (0 bytes): choose the file again"


def test_an_upload_above_its_cap_is_named_by_its_file() -> None:
    upload = UploadFile(io.BytesIO(b"x" * (2**20 + 1)), filename="products.json")
    with pytest.raises(PayloadTooLarge) as got:
        read_upload(upload, 2**20, "products file")
    assert _coded(got.value) == ("file_too_big", {"name": "products.json", "max_mib": "1"})


def test_a_file_that_is_not_a_font() -> None:
    with pytest.raises(InputError) as got:
        ingest_font(NOTHING, NOTHING, "t1", b"wOFF and more", "Brand.woff")
    assert _coded(got.value) == ("font_not_supported", {"name": "Brand.woff"})


def test_an_uploaded_ad_that_is_not_an_ad_picture() -> None:
    limits = SimpleNamespace(max_upload_bytes=2**20, max_pixels=10**8)
    c = cast(Any, SimpleNamespace(settings=SimpleNamespace(limits=limits)))
    form = UploadIn(
        format_id="meta_feed_square", landing_url="https://shop.example/", filename="ad.txt"
    )
    with pytest.raises(ImageInputError) as got:
        create_uploaded(c, NOTHING, "t1", b"this is a text file, not an ad", form)
    assert _coded(got.value) == ("ad_image_not_supported", {"name": "ad.txt"})


def test_an_uploaded_ad_of_another_shape_or_too_small() -> None:
    square = creative_format("meta_feed_square")
    with pytest.raises(InputError) as got:
        check_fits(1200, 628, square, "banner.png")
    assert _coded(got.value) == (
        "ad_image_wrong_shape",
        {
            "name": "banner.png",
            "width": 1200,
            "height": 628,
            "format": "meta_feed_square",
            "format_width": 1080,
            "format_height": 1080,
        },
    )
    with pytest.raises(InputError) as got:
        check_fits(300, 300, square, "tiny.png")
    code, params = _coded(got.value)
    assert code == "ad_image_too_small"
    assert (params["min_width"], params["min_height"]) == (600, 600)


def test_an_edit_longer_than_its_size_allows() -> None:
    cur = cast(
        Any,
        SimpleNamespace(
            copy_fields={"headline": "Trail 3 Tent"}, platform_text={}, copy_limits={"headline": 30}
        ),
    )
    with pytest.raises(InputError) as got:
        _check_edits(cur, {"headline": "A tent for every trail " * 3})
    assert _coded(got.value) == ("copy_too_long", {"field": "headline", "length": 68, "max": 30})


def test_an_imported_product_that_is_not_an_object_or_not_valid() -> None:
    with pytest.raises(InputError) as got:
        _record(["lamp-7"], 2)
    assert _coded(got.value) == ("product_not_object", {"number": 3})
    with pytest.raises(InputError) as got:
        _record({"sku": "lamp-7", "name": "Desk Lamp", "price": {"amount": -1}}, 0)
    code, params = _coded(got.value)
    assert code == "product_invalid" and params["product"] == "lamp-7"
    assert "price" in str(params["reason"])


@pytest.mark.parametrize(
    ("name", "text", "code", "params"),
    [
        ("  ", "Love it", "guest_name_empty", {}),
        ("Dana", "   ", "comment_empty", {}),
        ("Dana", "x" * 1001, "comment_too_long", {"length": 1001, "max": 1000}),
        ("D" * 81, "Love it", "guest_name_too_long", {"length": 81, "max": 80}),
    ],
)
def test_a_guest_comment_without_words_or_too_long(
    name: str, text: str, code: str, params: dict[str, Any]
) -> None:
    with pytest.raises(InputError) as got:
        add_guest_comment(NOTHING, NOTHING, "cr1", name, text)
    said_code, said = _coded(got.value)
    assert said_code == code
    assert params.items() <= said.items()
