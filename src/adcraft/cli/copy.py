"""`adcraft copy` and `adcraft edit-distance`: write ad copy, and measure how much it was edited.

Register on the main app with ``from adcraft.cli.copy import register; register(app)``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from adcraft.cli.options import fail
from adcraft.errors import AdcraftError, InputError


def build_copywriter(provider: str | None = None, settings: Any = None) -> Any:
    """The copywriter for a provider name, built by the provider registry (``adcraft.wiring``)."""
    from adcraft.wiring import create_copywriter

    return create_copywriter(provider, settings)


def _brief(**kw: Any) -> Any:
    from adcraft.products import brief_from_flags, load_brand_kit

    return brief_from_flags(
        product_file=kw["product_file"],
        product_id=kw["product_id"],
        title=kw["title"],
        description=kw["description"],
        selling_points=kw["selling_point"],
        offers=kw["offer"],
        price=kw["price"],
        currency=kw["currency"],
        cta=kw["cta"],
        language=kw["language"],
        brand=load_brand_kit(kw["brand_kit"]),
    )


def _specs(template_id: str, format_id: str, platform_text: bool) -> tuple[list[Any], list[Any]]:
    from adcraft.compose import field_specs, platform_specs
    from adcraft.domain.formats import default_registry
    from adcraft.domain.template import load_template

    fmt = default_registry()[format_id]
    on_image = list(field_specs(load_template(template_id), fmt))
    return on_image, list(platform_specs(fmt)) if platform_text else []


def _format(format_id: str) -> Any:
    from adcraft.domain.formats import default_registry

    return default_registry()[format_id]


def _show_text_ad(ad: dict[str, Any], notes: list[str], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(ad, ensure_ascii=False, indent=1))
        return
    for note in notes:
        typer.echo(f"warning: {note}")
    typer.echo(f"── {ad['format']} ──")
    for key, value in ad.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict) and "text" in item:
                typer.echo(f"  {key:14} {item['length']:>3}/{item['limit']:<3} {item['text']}")
    for name, found in dict(ad.get("short", {})).items():
        typer.echo(f"  note: only {found} distinct {name}s: add selling points or offers")


def _draft(
    writer: Any, brief: Any, specs: list[Any], variant: int, n: int, notes: list[str]
) -> dict[str, Any]:
    from adcraft.copywriting.hook import HookCopywriter
    from adcraft.copywriting.limits import measure
    from adcraft.copywriting.writer import Draft, LLMCopywriter, describe_draft

    if isinstance(writer, LLMCopywriter | HookCopywriter):
        d = describe_draft(writer.draft(brief, specs, variant=variant, n_variants=n))
    else:
        copy = writer.write(brief, specs, variant=variant, n_variants=n)
        d = describe_draft(Draft(copy, missing_before_truncation=copy.missing_facts))
    d["flags"] = list(dict.fromkeys([*notes, *d["flags"]]))
    d["limits"] = {
        s.name: {"length": measure(d["fields"][s.name], s.counting), "limit": s.max_chars}
        for s in specs
    }
    return d


def copy_cmd(
    product_file: Annotated[Path | None, typer.Option(help="products.json catalogue")] = None,
    product_id: Annotated[str | None, typer.Option(help="Product id in the catalogue")] = None,
    title: Annotated[str | None, typer.Option(help="Product title")] = None,
    description: Annotated[str, typer.Option(help="Product description")] = "",
    selling_point: Annotated[list[str] | None, typer.Option(help="Repeat for each point")] = None,
    offer: Annotated[list[str] | None, typer.Option(help="Offer text; repeat for more")] = None,
    price: Annotated[float | None, typer.Option(help="Price amount")] = None,
    currency: Annotated[str, typer.Option(help="ISO 4217 code")] = "USD",
    cta: Annotated[str | None, typer.Option(help="Call to action")] = None,
    image: Annotated[str | None, typer.Option(help="Accepted for parity; not used")] = None,
    logo: Annotated[Path | None, typer.Option(help="Accepted for parity; not used")] = None,
    brand_kit: Annotated[Path | None, typer.Option(help="Brand kit JSON")] = None,
    language: Annotated[str, typer.Option(help="Copy language (ISO 639-1)")] = "en",
    template: Annotated[str, typer.Option(help="classic, promo or text_led")] = "classic",
    format_id: Annotated[
        str,
        typer.Option(
            "--format",
            help="Format whose shape and platform text to write; a text-only format "
            "(google_rsa_text) writes its headlines, descriptions and paths",
        ),
    ] = "meta_feed_square",
    variants: Annotated[int, typer.Option(help="Number of variants", min=1, max=24)] = 3,
    provider: Annotated[
        str | None, typer.Option(help="builtin, openai or llamacpp (default: ADCRAFT_LLM_PROVIDER)")
    ] = None,
    platform_text: Annotated[
        bool, typer.Option(help="Also write the format's upload text fields")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Write ad copy for a product: fields, lengths and limits, attempts, key-fact check."""
    from adcraft.copywriting.injection import injection_warning, neutralize_brief
    from adcraft.copywriting.textads import write_text_ad
    from adcraft.products import describe

    try:
        brief = _brief(
            product_file=product_file,
            product_id=product_id,
            title=title,
            description=description,
            selling_point=selling_point,
            offer=offer,
            price=price,
            currency=currency,
            cta=cta,
            language=language,
            brand_kit=brand_kit,
        )
        # Instruction-like sentences are removed before any copy is written, and reported.
        brief, removed = neutralize_brief(brief)
        injections = [i.model_dump() for i in removed]
        notes = [injection_warning(i) for i in removed]
        writer = build_copywriter(provider)
        fmt = _format(format_id)
        if fmt.kind == "text":
            ad = write_text_ad(writer, brief, fmt).as_dict()
            _show_text_ad({**ad, "injections": injections}, notes, as_json)
            return
        on_image, platform = _specs(template, format_id, platform_text)
        out: list[dict[str, Any]] = []
        for v in range(variants):
            item: dict[str, Any] = {
                "variant": v,
                "on_image": _draft(writer, brief, on_image, v, variants, notes),
            }
            if platform:
                item["platform_text"] = _draft(writer, brief, platform, v, variants, notes)
            item["injections"] = injections
            out.append(item)
    except ValidationError as exc:
        fail(describe(exc))
        return
    except AdcraftError as exc:
        fail(str(exc))
        return
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for note in notes:
        typer.echo(f"warning: {note}")
    for item in out:
        typer.echo(f"── variant {item['variant'] + 1} ──")
        for part in ("on_image", "platform_text"):
            if part in item:
                _print_draft(item[part], part)


def _print_draft(d: dict[str, Any], part: str) -> None:
    typer.echo(
        f"  [{part.replace('_', ' ')}] provider {d['provider']}, angle {d['angle']}, "
        f"attempts {d['attempts']}"
    )
    for name, text in d["fields"].items():
        lim = d["limits"][name]
        cut = " (truncated)" if name in d["truncated"] else ""
        typer.echo(f"    {name:22} {lim['length']:>3}/{lim['limit']:<3} {text}{cut}")
    if d["key_facts"]:
        lost = set(d["missing_facts"])
        marks = ", ".join(f"{'✗' if f in lost else '✓'} {f}" for f in d["key_facts"])
        typer.echo(f"    key facts: {marks}")
    for flag in d["flags"]:
        typer.echo(f"    flag: {flag}")


def _load_fields(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is not readable JSON: {exc}") from None
    if isinstance(data, dict):
        for key in ("copy", "fields"):
            if isinstance(data.get(key), dict):
                data = data[key]
                break
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise InputError(f"{path} must hold a JSON object of field name -> text")
    return data


def edit_distance_cmd(
    generated: Annotated[
        Path | None, typer.Argument(help="JSON {field: text} as generated")
    ] = None,
    final: Annotated[Path | None, typer.Argument(help="JSON {field: text} as published")] = None,
    generated_text: Annotated[str | None, typer.Option(help="One generated text")] = None,
    final_text: Annotated[str | None, typer.Option(help="One final text")] = None,
    target: Annotated[float, typer.Option(help="Adoption target (share of final length)")] = 0.2,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Combined normalised Levenshtein distance between generated and final copy."""
    from adcraft.copywriting.editdistance import edit_distance

    try:
        if generated_text is not None or final_text is not None:
            gen, fin = {"text": generated_text or ""}, {"text": final_text or ""}
        elif generated is not None and final is not None:
            gen, fin = _load_fields(generated), _load_fields(final)
        else:
            raise InputError(
                "give GENERATED and FINAL JSON files, or --generated-text and --final-text"
            )
    except AdcraftError as exc:
        fail(str(exc))
        return
    report = edit_distance(gen, fin)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "distance": report.distance,
                    "final_len": report.final_len,
                    "ratio": round(report.ratio, 4),
                    "normalized": round(report.normalized, 4),
                    "meets_target": report.meets(target),
                    "fields": [vars(f) for f in report.fields],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    for f in report.fields:
        typer.echo(f"{f.field:24} {f.distance:>4} edits  ({f.generated_len} → {f.final_len} chars)")
    verdict = "meets" if report.meets(target) else "misses"
    typer.echo(
        f"combined: {report.distance} edits / {report.final_len} chars = "
        f"{report.ratio:.1%} (normalised {report.normalized:.3f}); {verdict} the "
        f"{target:.0%} target"
    )


def register(app: typer.Typer) -> None:
    """Add `copy` and `edit-distance` to a Typer app."""
    app.command("copy")(copy_cmd)
    app.command("edit-distance")(edit_distance_cmd)
