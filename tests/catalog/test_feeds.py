"""Feed import: every dialect, the per-row report, and hostile or huge input."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adcraft.catalog.feeds.importer import FeedOptions, FeedReader, read_all, sniff
from adcraft.cli import app
from adcraft.errors import FeedError
from tests.fixtures.feeds.make_feeds import BROKEN, merchant_xml, shopify_csv

IMG = "https://images.example.com"


def _read(data: bytes, **options: object) -> FeedReader:
    reader = FeedReader(io.BytesIO(data), FeedOptions.model_validate(options))
    reader.products_list = list(reader.products())  # type: ignore[attr-defined]
    return reader


def test_merchant_xml_feed_keeps_valid_items_and_reports_each_broken_row() -> None:
    reader = _read(merchant_xml(240, IMG))
    products = reader.products_list  # type: ignore[attr-defined]
    report = reader.report
    assert report.dialect == "merchant_xml"
    assert (report.rows, report.products, report.skipped) == (240, 235, 5)
    assert sorted(report.skipped_by_code) == sorted(BROKEN.values())
    by_code = {i.code: i for i in report.issues}
    assert by_code["duplicate_id"].product_id == "SKU-00001"
    assert by_code["unknown_currency"].row == 32
    assert "XYZ" in by_code["unknown_currency"].message
    assert {p.language for p in products} >= {"en", "de", "fr", "es", "ja", "ru"}
    assert {p.price.currency for p in products if p.price} == {"USD", "EUR", "JPY", "RUB", "GBP"}
    sale = next(p for p in products if p.id == "SKU-00010")
    assert sale.sale_price is not None and sale.price is not None
    assert sale.sale_price.amount < sale.price.amount
    assert sale.sale_start is not None and sale.sale_start.year == 2026
    assert next(p for p in products if p.id == "SKU-00009").custom_labels[0] == "clearance"
    assert next(p for p in products if p.id == "SKU-00011").availability == "out_of_stock"


def test_shopify_csv_groups_variant_rows_and_turns_compare_at_into_a_sale() -> None:
    reader = _read(shopify_csv(240, IMG), currency="EUR")
    products = {p.id: p for p in reader.products_list}  # type: ignore[attr-defined]
    assert reader.report.dialect == "shopify_csv"
    assert reader.report.rows == 240  # one per handle, not per variant row
    assert reader.report.skipped_by_code == {"bad_price": 2, "duplicate_id": 1, "missing_title": 1}
    two = products["sku-00002"]  # three variant rows, the second with its own image
    assert two.additional_image_links == (f"{IMG}/img/3.png",)
    assert two.description == "Sac léger de 30 litres pour la randonnée"
    ten = products["sku-00010"]
    assert ten.sale_price is not None and ten.price is not None
    assert ten.price.amount == pytest.approx(ten.sale_price.amount * 1.25, abs=0.01)
    assert products["sku-00009"].custom_labels[0] == "clearance"


def test_shopify_prices_without_a_currency_are_reported() -> None:
    reader = _read(shopify_csv(3, IMG))
    assert reader.report.skipped_by_code == {"bad_price": 3}
    assert "no currency" in reader.report.issues[0].message


def test_atom_feed_with_g_namespace() -> None:
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" '
        b'xmlns:g="http://base.google.com/ns/1.0" xml:lang="de">'
        b"<entry><g:id>A1</g:id><title>Zelt</title><summary>Leicht</summary>"
        b'<link href="https://shop.example.com/a1"/><g:image_link>https://i.example.com/1.jpg'
        b"</g:image_link><g:additional_image_link>https://i.example.com/2.jpg"
        b"</g:additional_image_link><g:additional_image_link>https://i.example.com/3.jpg"
        b"</g:additional_image_link><g:price>1.299,00 EUR</g:price>"
        b"<g:custom_label_2>winter</g:custom_label_2></entry></feed>"
    )
    [p] = _read(atom).products_list  # type: ignore[attr-defined]
    assert (p.id, p.title, p.description, p.link) == (
        "A1",
        "Zelt",
        "Leicht",
        "https://shop.example.com/a1",
    )
    assert p.language == "de" and p.price is not None and p.price.amount == 1299.0
    assert len(p.additional_image_links) == 2 and p.custom_labels[2] == "winter"


def test_merchant_tsv_and_meta_csv_use_attribute_headers() -> None:
    tsv = (
        b"id\tg:title\tdescription\tlink\timage_link\tprice\tsale_price\tcustom_label_0\n"
        b"T1\tMug\tStoneware\thttps://s.example.com/1\thttps://i.example.com/1.jpg\t"
        b"12.50 EUR\t9.99 EUR\tclearance\n"
    )
    [t] = _read(tsv).products_list  # type: ignore[attr-defined]
    assert t.price is not None and t.price.amount == 12.5 and t.custom_labels[0] == "clearance"
    meta = (
        b"id,title,description,availability,condition,price,link,image_link,brand\n"
        b'M1,"Lamp, brass",Warm light,in stock,new,USD 40.00,https://s.example.com/m1,'
        b"https://i.example.com/m1.jpg,Lumo\n"
    )
    reader = _read(meta)
    [m] = reader.products_list  # type: ignore[attr-defined]
    assert reader.report.dialect == "meta_csv"
    assert (m.title, m.brand, m.availability) == ("Lamp, brass", "Lumo", "in_stock")
    assert m.price is not None and (m.price.amount, m.price.currency) == (40.0, "USD")


def test_generic_csv_and_json_lines_with_a_column_mapping() -> None:
    csv_data = (
        "Sku;Name;Cost;Pic\n".replace(";", ",") + "g1,Chair,80.00 GBP,https://i.example.com/c.jpg\n"
    )
    mapping = {"id": "Sku", "title": "Name", "price": "Cost", "image_link": "Pic"}
    [c] = _read(csv_data.encode(), dialect="csv", mapping=mapping).products_list  # type: ignore[attr-defined]
    assert (c.id, c.title) == ("g1", "Chair") and c.price is not None
    lines = [
        {
            "sku": "j1",
            "name": "Desk",
            "price": "150 USD",
            "image_link": "https://i.example.com/d.jpg",
        },
        "not json",
        {"sku": "j2", "name": "", "price": "1 USD", "image_link": "https://i.example.com/e.jpg"},
    ]
    data = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines).encode()
    reader = _read(data, mapping={"id": "sku", "title": "name"})
    assert reader.report.dialect == "jsonl"
    assert [p.id for p in reader.products_list] == ["j1"]  # type: ignore[attr-defined]
    assert reader.report.skipped_by_code == {"missing_title": 1, "unreadable": 1}
    with pytest.raises(FeedError, match="mapping"):
        _read(csv_data.encode(), dialect="csv")


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>1</g:id>
<title>&lol3;</title></item></channel></rss>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>1</g:id>
<title>&xxe;</title></item></channel></rss>"""


@pytest.mark.parametrize("payload", [BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_xml_bombs_and_external_entities_are_refused(payload: bytes) -> None:
    with pytest.raises(FeedError, match="refused"):
        _read(payload)


def test_cli_feed_check_reports_rows_and_refuses_a_bomb(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(merchant_xml(60, IMG))
    res = CliRunner().invoke(app, ["feed", "check", str(feed), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["products"] == 55 and report["skipped_by_code"]["missing_image"] == 1
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(BOMB)
    res = CliRunner().invoke(app, ["feed", "check", str(bomb)])
    assert res.exit_code == 2 and "error:" in res.output and "Traceback" not in res.output
    assert sniff(io.BytesIO(b"\xef\xbb\xbf<rss/>")) == "merchant_xml"


def test_a_large_feed_is_streamed_in_flat_memory(tmp_path: Path) -> None:
    """~4 MB of XML: the parser's peak allocation stays a small fraction of the file (the
    benchmark script checks a 2 GB-class feed's resident memory the same way)."""
    item = merchant_xml(1, IMG).split(b"<item>", 1)[1].split(b"</item>", 1)[0]
    feed = tmp_path / "big.xml"
    with feed.open("wb") as f:
        f.write(b'<?xml version="1.0"?><rss xmlns:g="http://base.google.com/ns/1.0"><channel>')
        padding = b"<note>" + b"x" * 400 + b"</note>"  # an element the importer ignores
        for i in range(6_000):
            body = item.replace(b"SKU-00000", b"SKU-%07d" % i)
            f.write(b"<item>" + body + padding + b"</item>\n")
        f.write(b"</channel></rss>")
    size = feed.stat().st_size
    assert size > 3.5 * 2**20
    tracemalloc.start()
    try:
        products, report = read_all_count(feed)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert products == 6_000 and report == 0
    assert peak < 2 * 2**20, f"peak {peak / 2**20:.1f} MiB while reading {size / 2**20:.0f} MiB"


def read_all_count(path: Path) -> tuple[int, int]:
    """Count products without keeping them (as a bulk run reads a feed)."""
    from adcraft.catalog.feeds.importer import open_feed

    reader, fh = open_feed(path)
    with fh:
        n = sum(1 for _ in reader.products())
    return n, reader.report.skipped


def test_read_all_on_a_written_fixture(tmp_path: Path) -> None:
    path = tmp_path / "shop.csv"
    path.write_bytes(shopify_csv(20, IMG))
    products, report = read_all(path, FeedOptions(currency="USD", language="de"))
    assert report.products == len(products) == 18
    assert {p.language for p in products} == {"de"}


SUBSCRIPTION_XML = b"""<?xml version="1.0"?>
<rss xmlns:g="http://base.google.com/ns/1.0"><channel>
<item><g:id>P1</g:id><title>Phone X on FiberNet</title>
<g:image_link>https://i.example.com/p1.jpg</g:image_link><g:price>0.00 USD</g:price>
<g:subscription_cost><g:period>month</g:period><g:period_length>24</g:period_length>
<g:amount>35.00 USD</g:amount></g:subscription_cost></item>
<item><g:id>P2</g:id><title>Phone Y</title>
<g:image_link>https://i.example.com/p2.jpg</g:image_link><g:price>0.00 USD</g:price>
<g:subscription_cost><g:period>fortnight</g:period><g:period_length>6</g:period_length>
<g:amount>20.00 USD</g:amount></g:subscription_cost></item>
</channel></rss>"""


def test_a_merchant_subscription_cost_is_the_price_per_period_and_drawn_with_it() -> None:
    from adcraft.catalog.bulk.product_render import brief_for
    from adcraft.catalog.bulk.rules import Effect
    from adcraft.catalog.bulk.spec import RunSpec
    from adcraft.compose import price_label

    reader = _read(SUBSCRIPTION_XML)
    [p] = reader.products_list  # type: ignore[attr-defined]
    assert p.price is not None
    assert (p.price.amount, p.price.currency, p.price.period) == (35.0, "USD", "month")
    # A period the feed's dialect does not have is a skipped row that says which and why.
    (issue,) = reader.report.issues
    assert issue.code == "bad_price_period" and "fortnight" in issue.message
    brief = brief_for(p, RunSpec(), Effect(), None)
    assert price_label(brief) == "$35/mo"
    # The TSV form of the same attribute: "period:length:amount".
    tsv = (
        b"id\ttitle\timage_link\tprice\tsubscription_cost\n"
        b"T1\tPhone X\thttps://i.example.com/1.jpg\t0 USD\tmonth:24:35.00 USD\n"
    )
    [t] = _read(tsv).products_list  # type: ignore[attr-defined]
    assert t.price is not None and (t.price.amount, t.price.period) == (35.0, "month")


def test_a_merchant_period_length_is_the_prices_minimum_term() -> None:
    from adcraft.catalog.bulk.product_render import brief_for
    from adcraft.catalog.bulk.rules import Effect
    from adcraft.catalog.bulk.spec import RunSpec

    [p] = _read(SUBSCRIPTION_XML).products_list  # type: ignore[attr-defined]
    assert p.price is not None and (p.price.period, p.price.min_term) == ("month", 24)
    brief = brief_for(p, RunSpec(), Effect(), None)
    assert brief.price is not None and brief.price.min_term == 24
    tsv = (
        b"id\ttitle\timage_link\tprice\tsubscription_cost\n"
        b"T1\tPhone X\thttps://i.example.com/1.jpg\t0 USD\tmonth:12:35.00 USD\n"
        b"T2\tPhone Y\thttps://i.example.com/2.jpg\t0 USD\tmonth:1:20.00 USD\n"
        b"T3\tPhone Z\thttps://i.example.com/3.jpg\t0 USD\tmonth:twelve:20.00 USD\n"
    )
    reader = _read(tsv)
    [twelve, one] = reader.products_list  # type: ignore[attr-defined]
    assert twelve.price is not None and twelve.price.min_term == 12
    # One period is no commitment beyond the period paid.
    assert one.price is not None and one.price.min_term is None
    (issue,) = reader.report.issues
    assert issue.code == "bad_subscription_cost" and "twelve" in issue.message


def test_a_price_period_column_gives_the_price_and_the_sale_price_their_period() -> None:
    csv_data = (
        b"Sku,Name,Cost,Sale,Billing,Pic\n"
        b"h1,Sea View Room,189 EUR,149 EUR,per night,https://i.example.com/h.jpg\n"
        b"h2,Garden Room,99 EUR,,hourly,https://i.example.com/g.jpg\n"
    )
    mapping = {
        "id": "Sku",
        "title": "Name",
        "price": "Cost",
        "sale_price": "Sale",
        "price_period": "Billing",
        "image_link": "Pic",
    }
    reader = _read(csv_data, dialect="csv", mapping=mapping)
    [room] = reader.products_list  # type: ignore[attr-defined]
    assert room.price is not None and room.sale_price is not None
    assert (room.price.period, room.sale_price.period) == ("night", "night")
    assert reader.report.skipped_by_code == {"bad_price_period": 1}
    assert "hourly" in reader.report.issues[0].message
