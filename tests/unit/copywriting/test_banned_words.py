"""Brand-kit banned words: matched whole-word, case- and accent-insensitively; never written."""

from __future__ import annotations

import pytest

from adcraft.compose import platform_specs
from adcraft.copywriting.offline import BuiltinCopywriter, FieldSpec
from adcraft.copywriting.safety import banned_in, contains_term
from adcraft.domain.brief import BrandKit, Brief
from adcraft.domain.formats import default_registry


@pytest.mark.parametrize(
    ("text", "term", "hit"),
    [
        ("Cheap tents, 20% off", "cheap", True),
        ("CHEAP tents", "Cheap", True),
        ("Cheapest tents", "cheap", False),  # whole words only
        ("Günstige Zelte", "gunstige", True),  # accent-insensitive
        ("Gunstige Zelte", "günstige", True),
        ("Дешёвые палатки", "дешевые", True),
        ("Envío GRATIS", "gratis", True),
        ("Envío gratuito", "gratis", False),
        ("限时超便宜的帐篷", "便宜", True),  # CJK: a word anywhere
        ("格安テント、今だけ", "格安", True),
        ("Smartwatch 限时", "art", False),  # a Latin term stays whole inside CJK copy
        ("خيام رخيصة", "رخيصة", True),
        ("אוהלים זולים", "זולים", True),
        ("Ucuz çadırlar", "UCUZ", True),
        ("Tanie namioty", "tanie", True),
    ],
)
def test_banned_word_matching(text: str, term: str, hit: bool) -> None:
    assert contains_term(text, term) is hit


SPECS = [
    FieldSpec("headline", "", 40),
    FieldSpec("body", "", 125),
    FieldSpec("badge", "", 14),
    FieldSpec("cta", "", 18),
    FieldSpec("disclaimer", "", 60),
]


@pytest.mark.parametrize(
    ("lang", "offer", "points", "banned"),
    [
        (
            "en",
            "Cheap tents: 20% off this weekend",
            ("waterproof 3000 mm", "cheap and light"),
            "cheap",
        ),
        (
            "de",
            "Günstig: 20 % Rabatt auf alle Zelte",
            ("wasserdicht", "günstig und leicht"),
            "GUNSTIG",
        ),
        ("ru", "Дешёвые палатки: скидка 20%", ("непромокаемая", "дешевая и лёгкая"), "дешёвые"),
        ("ja", "格安テント 20%オフ", ("防水", "格安で軽量"), "格安"),
    ],
)
def test_the_builtin_writer_never_writes_a_banned_word(
    lang: str, offer: str, points: tuple[str, ...], banned: str
) -> None:
    brief = Brief(
        product_name="Trail 3 Tent",
        offer=offer,
        selling_points=points,
        language=lang,
        brand=BrandKit(banned_words=(banned,)),
    )
    fmt = default_registry()["meta_feed_square"]
    for v in range(6):
        on_image = BuiltinCopywriter().write(brief, SPECS, variant=v, n_variants=6).fields
        platform = (
            BuiltinCopywriter().write(brief, platform_specs(fmt), variant=v, n_variants=6).fields
        )
        for name, text in {**on_image, **platform}.items():
            assert not banned_in(text, (banned,)), f"{lang} v{v} {name}: {text}"
        assert on_image["headline"], "a headline is still written without the banned word"
