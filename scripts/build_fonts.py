"""Build the fonts bundled in ``src/adcraft/render/fonts`` from open-licensed sources.

Sources (all SIL OFL 1.1):

* unpacked PyPI ``fontpkg-*`` wheels under ``--src`` (default ``/tmp/fonts/x``), e.g.
  ``pip download fontpkg-inter==4.1.post1 --no-deps`` and unzip;
* Debian's ``fonts-noto-cjk`` (``/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc``),
  ``fonts-noto-core`` (Noto Sans Symbols 2) and ``fonts-noto-color-emoji`` (Noto Color Emoji,
  ``/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf``).

Variable fonts become static instances (every axis but ``wght`` pinned at its default), the
Simplified Chinese face of Noto Sans CJK is subset to the blocks ad copy uses, and Noto Sans,
Noto Sans Arabic and Heebo's Hebrew are merged into one fallback face (``NotoSansMulti``) so a
string mixing Latin, Cyrillic, Arabic and Hebrew still renders in a single face.

The build is deterministic: timestamps are kept from the sources. It also writes the licence
texts and ``FONTS.md``. Run from the repository root::

    python scripts/build_fonts.py [--src DIR] [--cjk-dir DIR] [--out DIR]
    python scripts/build_fonts.py --emoji-only    # just the emoji subset, into the package
    python scripts/build_fonts.py --figures-only  # lining figures in the built Playfair faces

Needs fontTools and skia-pathops (build-time dependencies only, for instancing and overlap
removal; adcraft itself reads fonts through Pillow).
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.merge import Merger  # type: ignore[import-untyped]
from fontTools.merge import Options as MergeOptions
from fontTools.ttLib import TTCollection, TTFont, newTable  # type: ignore[import-untyped]
from fontTools.ttLib.scaleUpem import scale_upem  # type: ignore[import-untyped]
from fontTools.ttLib.tables import ttProgram  # type: ignore[import-untyped]
from fontTools.varLib import instancer  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[1]
WEIGHTS = {"Regular": 400, "SemiBold": 600, "Bold": 700, "ExtraBold": 800}


@dataclass(frozen=True)
class Source:
    """One upstream font package and what to make from it."""

    family: str  # file-stem family, e.g. "PlayfairDisplay"
    package: str  # unpacked wheel folder, e.g. "fontpkg_inter"
    file: str  # font file inside ``<package>/files``
    styles: tuple[str, ...]  # weights to produce (keys of WEIGHTS)
    rename: str | None = None  # new family name where the original is a Reserved Font Name
    lining_figures: bool = False  # make the 'lnum' figures the default (see lining_by_default)


SOURCES = (
    Source(
        "Inter",
        "fontpkg_inter",
        "Inter[opsz,wght].ttf",
        ("Regular", "SemiBold", "Bold", "ExtraBold"),
    ),
    Source("NotoSans", "fontpkg_noto_sans", "NotoSans[wdth,wght].ttf", ("Regular", "Bold")),
    Source(
        "NotoSansArabic",
        "fontpkg_noto_sans_arabic",
        "NotoSansArabic[wdth,wght].ttf",
        ("Regular", "Bold"),
    ),
    Source("Heebo", "fontpkg_heebo", "Heebo[wght].ttf", ("Regular", "Bold")),
    # OFL section 3: a modified "Playfair Display" may not keep that name.
    Source(
        "PlayfairDisplay",
        "fontpkg_playfair_display",
        "PlayfairDisplay[wght].ttf",
        ("Regular", "Bold"),
        rename="Adcraft Serif Display",
        lining_figures=True,
    ),
    Source(
        "Montserrat",
        "fontpkg_montserrat",
        "Montserrat[wght].ttf",
        ("Regular", "SemiBold", "ExtraBold"),
    ),
    Source("Oswald", "fontpkg_oswald", "Oswald[wght].ttf", ("Bold",)),
    # Static upstream files: copied byte for byte.
    Source("Poppins", "fontpkg_poppins", "Poppins-{style}.ttf", ("Regular", "SemiBold", "Bold")),
    Source("BebasNeue", "fontpkg_bebas_neue", "BebasNeue-Regular.ttf", ("Regular",)),
    Source(
        "DMSerifDisplay",
        "fontpkg_dm_serif_display",
        "DMSerifDisplay-Regular.ttf",
        ("Regular",),
    ),
)

# Unicode blocks kept in the CJK subset: what Chinese, Japanese and Korean ad copy needs, plus
# the Latin, symbols and currency that appear beside it.
CJK_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x017F, "Latin Extended-A"),
    (0x01CD, 0x01DC, "pinyin tone letters"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x045F, "Cyrillic"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x20A0, 0x20CF, "Currency Symbols"),
    (0x2100, 0x218F, "Letterlike Symbols, Number Forms"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics"),
    (0x25A0, 0x26FF, "Geometric Shapes, Miscellaneous Symbols"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x3040, 0x30FF, "Hiragana, Katakana"),
    (0x3130, 0x318F, "Hangul Compatibility Jamo"),
    (0x31F0, 0x31FF, "Katakana Phonetic Extensions"),
    (0x3200, 0x33FF, "Enclosed CJK, CJK Compatibility"),
    (0x4E00, 0x9FFF, "CJK Unified Ideographs"),
    (0xAC00, 0xD7A3, "Hangul Syllables"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)
# Only default-on features (what raqm applies without being asked) plus palt/halt for tighter
# CJK punctuation on request. 'locl' is left out on purpose: it pulls in thousands of JP/KR/TC
# glyph variants and only fires when a language is passed to the shaper, which adcraft doesn't.
CJK_FEATURES = ["ccmp", "liga", "calt", "kern", "mark", "mkmk", "palt", "halt"]
CJK_FACE = "Noto Sans CJK SC"
NOTO_CJK_COPYRIGHT = (
    "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'."
)
CJK_LIMIT_MB = 30.0

# Regional CJK faces: the same design as NotoSansSC with the glyph forms each locale expects
# (今 冷 麺 注 differ between Japanese and Chinese). Han is cut to the characters a locale's
# standard character set names, so the files stay small; a rarer character falls back to
# NotoSansSC per run at draw time.
REGIONAL_CJK = {
    # JIS X 0208 (levels 1 and 2: 6,355 kanji, kana and the JIS symbols).
    "JP": ("Noto Sans CJK JP", "euc_jp", (range(0xA1, 0xF5),), range(0xA1, 0xFF)),
    # Big5 level 1: the 5,401 frequent Traditional characters, plus Big5's symbol rows.
    "TC": (
        "Noto Sans CJK TC",
        "big5",
        (range(0xA1, 0xC7),),
        [*range(0x40, 0x7F), *range(0xA1, 0xFF)],
    ),
}
# Blocks of Noto Sans Symbols 2 kept: the dingbats and signs ad copy uses (❤ ✓ ✔ ★ ☆ ✈ ☎).
SYMBOL_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x2190, 0x21FF, "Arrows"),
    (0x2300, 0x23FF, "Miscellaneous Technical"),
    (0x25A0, 0x25FF, "Geometric Shapes"),
    (0x2600, 0x26FF, "Miscellaneous Symbols"),
    (0x2700, 0x27BF, "Dingbats"),
    (0x2B00, 0x2BFF, "Miscellaneous Symbols and Arrows"),
)
SYMBOLS_FILE = "NotoSansSymbols2-Regular.ttf"

# Noto Color Emoji (CBDT colour bitmaps, one 109 px strike) cut to the emoji ad copy uses.
# The whole font is 11 MB for ~3,700 glyphs; a subset by code point also keeps every ligature
# (ZWJ sequence, skin tone, keycap) whose parts are all kept. Chosen, with why:
# * Smileys & Emotion: faces, hearts, 💯 💥 💫 💬: the most used emoji in ad copy;
# * hands (👍 👏 🙌 🙏 👉 🤝 ✌ 💪): calls to action and approval, with the five skin tones
#   (they fit: ~0.5 MB of the total), so "👍🏽" is drawn as written;
# * the signs of offers and urgency: ✅ ✔ ❌ ✨ ⭐ 🌟 🔥 ⚡ ⏰ ⏳ ❗ ➡ 🆕 🆓 🔝 💰 💳 🛒 🛍 🏷
#   📦 📣 🎁 🎉 🏆 🥇 🚀, and keycaps 0️⃣–9️⃣ #️⃣ *️⃣ for numbered steps;
# * common objects, food and drink, travel and places (📱 💻 👟 👗 💄 💎 ☕ 🍕 🍷 🚚 ✈ 🚗 🏖
#   🏨 ⛺), the products ads sell;
# * seasons and weather (☀ ❄ 🎄 🎃 🌈 🌸).
# Left out: people and professions (hundreds of gendered and toned ZWJ sequences), animals
# beyond 🐶 🐱 🐾, flags (country and subdivision flags are ~270 glyphs and rarely sales copy)
# and the rest of Symbols. An emoji outside the subset is removed from on-image text with a
# warning, as every emoji was before. ✓ ★ ❤ without U+FE0F are text symbols: Noto Sans
# Symbols 2 draws them in the text colour; "❤️" (with U+FE0F) asks for the colour emoji.
EMOJI_FILE = "NotoColorEmoji.ttf"
EMOJI_LIMIT_MB = 2.0
EMOJI_STRIKE = 109
EMOJI_RANGES = (
    # Smileys & Emotion
    (0x1F600, 0x1F64F, "faces, cat faces, gestures (Emoticons)"),
    (0x1F910, 0x1F92F, "faces, crossed fingers, call-me hand"),
    (0x1F970, 0x1F97A, "faces"),
    (0x1F9D0, 0x1F9D0, "face with monocle"),
    (0x1FAE0, 0x1FAE8, "faces"),
    (0x2639, 0x263A, "frowning, smiling face"),
    (0x2763, 0x2764, "heart exclamation, red heart"),
    (0x1F48B, 0x1F48B, "kiss mark"),
    (0x1F493, 0x1F49F, "hearts"),
    (0x1F5A4, 0x1F5A4, "black heart"),
    (0x1F90D, 0x1F90E, "white, brown heart"),
    (0x1F9E1, 0x1F9E1, "orange heart"),
    (0x1FA75, 0x1FA77, "light blue, grey, pink heart"),
    (0x1F4A2, 0x1F4AF, "anger, boom, sweat, dash, dizzy, speech, 100"),
    (0x1F573, 0x1F573, "hole"),
    # hands
    (0x261D, 0x261D, "index up"),
    (0x270A, 0x270D, "fist, hand, victory, writing"),
    (0x1F446, 0x1F450, "pointing, fist, wave, ok, thumbs, clap, open hands"),
    (0x1F485, 0x1F485, "nail polish"),
    (0x1F4AA, 0x1F4AA, "biceps"),
    (0x1F590, 0x1F590, "hand with fingers splayed"),
    (0x1F596, 0x1F596, "vulcan salute"),
    (0x1F90C, 0x1F90C, "pinched fingers"),
    (0x1F90F, 0x1F90F, "pinching hand"),
    (0x1F918, 0x1F91F, "horns, call me, raised back, fists, handshake, crossed fingers, love-you"),
    (0x1F932, 0x1F932, "palms up"),
    (0x1FAF0, 0x1FAF8, "hands"),
    # ad symbols
    (0x2705, 0x2705, "check mark button"),
    (0x2714, 0x2714, "check mark"),
    (0x2716, 0x2716, "multiply"),
    (0x274C, 0x274C, "cross mark"),
    (0x2728, 0x2728, "sparkles"),
    (0x2B50, 0x2B50, "star"),
    (0x1F31F, 0x1F31F, "glowing star"),
    (0x1F525, 0x1F525, "fire"),
    (0x26A1, 0x26A1, "high voltage"),
    (0x23F0, 0x23F0, "alarm clock"),
    (0x23F1, 0x23F3, "stopwatch, timer, hourglass"),
    (0x231A, 0x231B, "watch, hourglass"),
    (0x203C, 0x203C, "double exclamation"),
    (0x2049, 0x2049, "exclamation question"),
    (0x2753, 0x2755, "question, exclamation marks"),
    (0x2757, 0x2757, "exclamation mark"),
    (0x27A1, 0x27A1, "right arrow"),
    (0x2B05, 0x2B07, "left, up, down arrow"),
    (0x2B55, 0x2B55, "hollow red circle"),
    (0x26D4, 0x26D4, "no entry"),
    (0x1F6AB, 0x1F6AB, "prohibited"),
    (0x1F191, 0x1F19A, "squared CL COOL FREE ID NEW NG OK SOS UP VS"),
    (0x1F51D, 0x1F51D, "TOP arrow"),
    (0x1F534, 0x1F539, "red/blue circles, diamonds"),
    (0x1F7E0, 0x1F7EB, "coloured circles and squares"),
    (0x1F4B0, 0x1F4B8, "money bag, currency, cards, money with wings"),
    (0x1F6CD, 0x1F6CD, "shopping bags"),
    (0x1F6D2, 0x1F6D2, "shopping cart"),
    (0x1F3F7, 0x1F3F7, "label"),
    (0x1F516, 0x1F516, "bookmark"),
    (0x1F4E2, 0x1F4E3, "loudspeaker, megaphone"),
    (0x1F514, 0x1F514, "bell"),
    (0x1F4C8, 0x1F4C9, "charts"),
    (0x1F4CC, 0x1F4CD, "pushpins"),
    (0x1F4E6, 0x1F4E6, "package"),
    (0x1F4E7, 0x1F4E7, "e-mail"),
    (0x1F4DE, 0x1F4DE, "telephone receiver"),
    (0x260E, 0x260E, "telephone"),
    (0x1F4A1, 0x1F4A1, "light bulb"),
    (0x1F50D, 0x1F50E, "magnifying glasses"),
    (0x1F511, 0x1F513, "key, locks"),
    (0x1F3AF, 0x1F3AF, "bullseye"),
    (0x1F3C6, 0x1F3C6, "trophy"),
    (0x1F947, 0x1F949, "medals"),
    (0x1F3C5, 0x1F3C5, "sports medal"),
    (0x1F680, 0x1F680, "rocket"),
    (0x1F389, 0x1F38A, "party popper, confetti"),
    (0x1F380, 0x1F381, "ribbon, gift"),
    (0x1F382, 0x1F384, "birthday cake, jack-o-lantern, tree"),
    (0x1F386, 0x1F388, "fireworks, sparkler, balloon"),
    (0x2600, 0x2601, "sun, cloud"),
    (0x2614, 0x2615, "umbrella with rain, hot beverage"),
    (0x2744, 0x2744, "snowflake"),
    (0x26C4, 0x26C4, "snowman"),
    (0x1F308, 0x1F308, "rainbow"),
    (0x1F319, 0x1F319, "crescent moon"),
    (0x1F30D, 0x1F30F, "globes"),
    # common objects
    (0x1F451, 0x1F462, "crown, hats, glasses, clothes, bags, shoes"),
    (0x1F484, 0x1F484, "lipstick"),
    (0x1F48D, 0x1F48E, "ring, gem"),
    (0x1F4F1, 0x1F4F1, "mobile phone"),
    (0x1F4BB, 0x1F4BB, "laptop"),
    (0x1F4F7, 0x1F4F7, "camera"),
    (0x1F4FA, 0x1F4FA, "television"),
    (0x1F3A7, 0x1F3A7, "headphone"),
    (0x1F3AE, 0x1F3AE, "video game"),
    (0x1F4DA, 0x1F4DA, "books"),
    (0x1F392, 0x1F392, "backpack"),
    (0x1F6CB, 0x1F6CB, "couch"),
    (0x1F6CF, 0x1F6CF, "bed"),
    (0x1F9F4, 0x1F9F4, "lotion"),
    (0x1F9F8, 0x1F9F8, "teddy bear"),
    (0x1F9FC, 0x1F9FC, "soap"),
    (0x1F3E0, 0x1F3E1, "houses"),
    (0x1F3EA, 0x1F3EA, "convenience store"),
    (0x1F3EC, 0x1F3EC, "department store"),
    (0x26BD, 0x26BD, "soccer ball"),
    (0x1F3C0, 0x1F3C0, "basketball"),
    (0x1F6B2, 0x1F6B2, "bicycle"),
    (0x1F43E, 0x1F43E, "paw prints"),
    (0x1F436, 0x1F436, "dog face"),
    (0x1F431, 0x1F431, "cat face"),
    (0x1F331, 0x1F340, "plants, flowers, four-leaf clover"),
    # food & drink
    (0x1F345, 0x1F37F, "food and drink"),
    (0x1F950, 0x1F96F, "food"),
    (0x1F9C0, 0x1F9CB, "cheese, drinks"),
    # travel & places
    (0x1F681, 0x1F6A5, "transport"),
    (0x1F6E9, 0x1F6EC, "airplanes"),
    (0x1F6F3, 0x1F6F3, "ship"),
    (0x2708, 0x2708, "airplane"),
    (0x26F5, 0x26F5, "sailboat"),
    (0x26FA, 0x26FA, "tent"),
    (0x1F3D5, 0x1F3D6, "camping, beach"),
    (0x1F3DD, 0x1F3DD, "desert island"),
    (0x1F3D4, 0x1F3D4, "snow-capped mountain"),
    (0x1F5FA, 0x1F5FA, "world map"),
    (0x1F9F3, 0x1F9F3, "luggage"),
    (0x1F3E8, 0x1F3E8, "hotel"),
)
# Keycaps are the digit (or # *) + U+20E3 ligature; ZWJ joins sequences such as ❤️‍🔥; the
# Fitzpatrick modifiers give the skin-toned hands.
EMOJI_JOINERS = {0x23, 0x2A, *range(0x30, 0x3A), 0x20E3, 0x200D, *range(0x1F3FB, 0x1F400)}

# Sample characters used to describe which scripts a face covers in FONTS.md.
SCRIPT_SAMPLES = {
    "Latin": "AZaz",
    "Latin-1": "éñüß",
    "Latin Ext-A": "łőřş",
    "Greek": "αΩ",
    "Cyrillic": "жЯ",
    "Arabic": "ابج",
    "Hebrew": "אבג",
    "Han": "中国",
    "Kana": "あア",
    "Hangul": "한국",
    "Emoji": "🔥🎁",
}


def instantiate(path: Path, weight: int) -> TTFont:
    """A static instance of a variable font at ``weight``, other axes at their defaults.

    Overlapping contours are merged. Left in place, they carry the OVERLAP_SIMPLE flag, which
    makes FreeType rasterise every glyph 4x4 oversampled: 5-10x slower text drawing at ad
    sizes, for no visible gain once the outlines no longer overlap.
    """
    font = TTFont(path, recalcTimestamp=False)
    axes: dict[str, float | None] = {a.axisTag: None for a in font["fvar"].axes}
    axes["wght"] = weight
    return instancer.instantiateVariableFont(
        font, axes, updateFontNames=True, overlap=instancer.OverlapMode.REMOVE
    )


def render_outlines_as_drawn(path: Path) -> None:
    """Drop a TrueType font's hinting and give it a no-op font program instead.

    Ad images are drawn at large sizes, where hinting buys nothing and costs time: FreeType
    runs its auto-hinter on TrueType fonts without a font program (2-3x the rasterising time,
    outlines nudged to the pixel grid), and real bytecode hinting is slower still. With a
    do-nothing program and no glyph instructions, FreeType draws the outlines exactly as
    designed, the way design tools draw them.
    """
    font = TTFont(path, recalcTimestamp=False)
    if "glyf" not in font:
        return
    for tag in ("fpgm", "prep", "cvt ", "cvar", "hdmx", "LTSH", "VDMX"):
        if tag in font:
            del font[tag]
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        glyf[name].removeHinting()
    fpgm = newTable("fpgm")
    fpgm.program = ttProgram.Program()
    fpgm.program.fromAssembly(["PUSHB[ ]", "0", "FDEF[ ]", "ENDF[ ]"])  # define f0, empty
    font["fpgm"] = fpgm
    maxp = font["maxp"]
    maxp.maxSizeOfInstructions = 0
    maxp.maxFunctionDefs = 1
    maxp.maxStackElements = max(maxp.maxStackElements, 1)
    font.save(path)


def lining_by_default(font: TTFont) -> int:
    """Point the character map's figures at their lining forms; returns how many moved.

    Playfair Display draws old-style figures unless the 'lnum' feature is asked for: "179 €" in
    a price pill then has a descending 9 and a small 1, which reads as a typesetting slip in a
    price, a percentage or a headline number (the only places adcraft sets it). Asking for the
    feature at every measure and draw call would have to be done everywhere alike; freezing it
    into the file keeps what is measured and what is drawn the same glyphs by construction.
    """
    lining: dict[str, str] = {}
    gsub = font["GSUB"].table
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag != "lnum":
            continue
        for index in record.Feature.LookupListIndex:
            for table in gsub.LookupList.Lookup[index].SubTable:
                table = getattr(table, "ExtSubTable", table)
                lining.update(getattr(table, "mapping", None) or {})
    moved = 0
    for cmap in font["cmap"].tables:
        for code, glyph in list(cmap.cmap.items()):
            if glyph in lining:
                cmap.cmap[code] = lining[glyph]
                moved += 1
    return moved


def rename_family(font: TTFont, family: str, style: str) -> None:
    """Give a font a new family name in every name record that shows it."""
    names = font["name"]
    ribbi = style in ("Regular", "Bold")
    legacy_family = family if ribbi else f"{family} {style}"
    postscript = re.sub(r"[^A-Za-z0-9]", "", family) + "-" + style
    names.removeNames(nameID=3)
    names.removeNames(nameID=16)
    names.removeNames(nameID=17)
    names.removeNames(nameID=25)
    names.setName(legacy_family, 1, 3, 1, 0x409)
    names.setName(style if ribbi else "Regular", 2, 3, 1, 0x409)
    names.setName(f"{postscript};adcraft", 3, 3, 1, 0x409)
    names.setName(f"{family} {style}".replace(" Regular", ""), 4, 3, 1, 0x409)
    names.setName(postscript, 6, 3, 1, 0x409)
    if not ribbi:
        names.setName(family, 16, 3, 1, 0x409)
        names.setName(style, 17, 3, 1, 0x409)
    if "STAT" in font:
        del font["STAT"]  # its names still carry the old family


def build_static(src_root: Path, out: Path) -> list[str]:
    """Instances and copies of the Latin, Arabic and Hebrew families; returns the file names."""
    made = []
    for source in SOURCES:
        files = src_root / source.package / "files"
        for style in source.styles:
            target = out / f"{source.family}-{style}.ttf"
            if "[" not in source.file:
                shutil.copyfile(files / source.file.format(style=style), target)
            else:
                font = instantiate(files / source.file, WEIGHTS[style])
                if source.rename:
                    rename_family(font, source.rename, style)
                if source.lining_figures:
                    lining_by_default(font)
                font.save(target)
            made.append(target.name)
            print(f"  {target.name:34} {target.stat().st_size / 1e6:6.2f} MB")
    return made


def subset_font(font: TTFont, unicodes: set[int], features: list[str] | str) -> None:
    """Subset ``font`` in place to ``unicodes`` keeping ``features`` (``'*'`` for all)."""
    options = subset.Options()
    options.layout_features = features if isinstance(features, list) else ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    options.drop_tables += ["vhea", "vmtx", "VORG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


def build_cjk(cjk_dir: Path, out: Path, drop_hangul: bool) -> list[str]:
    """Noto Sans CJK SC Regular/Bold, subset to CJK_RANGES; returns the file names."""
    made = []
    for style in ("Regular", "Bold"):
        ttc = cjk_dir / f"NotoSansCJK-{style}.ttc"
        index = _face_index(ttc, CJK_FACE)
        font = TTFont(ttc, fontNumber=index, recalcTimestamp=False)
        unicodes = {
            cp
            for lo, hi, block in CJK_RANGES
            if not (drop_hangul and block.startswith("Hangul"))
            for cp in range(lo, hi + 1)
        }
        subset_font(font, unicodes, CJK_FEATURES)
        target = out / f"NotoSansSC-{style}.otf"
        font.save(target)
        made.append(target.name)
        print(f"  {target.name:34} {target.stat().st_size / 1e6:6.2f} MB")
    return made


def charset(codec: str, leads: tuple[range, ...], trails: object) -> set[int]:
    """Every character a double-byte legacy encoding maps with these lead/trail bytes."""
    out: set[int] = set()
    for lead_range in leads:
        for lead in lead_range:
            for trail in trails:  # type: ignore[attr-defined]
                try:
                    char = bytes([lead, trail]).decode(codec)
                except UnicodeDecodeError:
                    continue
                if len(char) == 1:
                    out.add(ord(char))
    return out


def build_regional_cjk(cjk_dir: Path, out: Path) -> list[str]:
    """NotoSans{JP,TC}-{Regular,Bold}.otf: the regional faces, subset (see REGIONAL_CJK)."""
    made = []
    non_han = {
        cp
        for lo, hi, block in CJK_RANGES
        if "Hangul" not in block and "Ideographs" not in block
        for cp in range(lo, hi + 1)
    }
    for region, (face, codec, leads, trails) in REGIONAL_CJK.items():
        unicodes = non_han | charset(codec, leads, trails)
        for style in ("Regular", "Bold"):
            ttc = cjk_dir / f"NotoSansCJK-{style}.ttc"
            font = TTFont(ttc, fontNumber=_face_index(ttc, face), recalcTimestamp=False)
            subset_font(font, unicodes, CJK_FEATURES)
            target = out / f"NotoSans{region}-{style}.otf"
            font.save(target)
            made.append(target.name)
            print(f"  {target.name:34} {target.stat().st_size / 1e6:6.2f} MB")
    return made


def build_symbols(noto_dir: Path, out: Path) -> list[str]:
    """Noto Sans Symbols 2 cut to SYMBOL_RANGES: the fallback for ❤ ✓ ★ and friends."""
    font = TTFont(noto_dir / SYMBOLS_FILE, recalcTimestamp=False)
    # Spaces too: a space between two symbols is drawn in their run.
    unicodes = {0x20, 0xA0} | {cp for lo, hi, _ in SYMBOL_RANGES for cp in range(lo, hi + 1)}
    subset_font(font, unicodes, "*")
    target = out / SYMBOLS_FILE
    font.save(target)
    print(f"  {target.name:34} {target.stat().st_size / 1e6:6.2f} MB")
    return [target.name]


def build_emoji(noto_dir: Path, out: Path) -> list[str]:
    """Noto Color Emoji cut to EMOJI_RANGES (with their ZWJ, keycap and skin-tone ligatures)."""
    font = TTFont(noto_dir / EMOJI_FILE, recalcTimestamp=False)
    unicodes = EMOJI_JOINERS | {cp for lo, hi, _ in EMOJI_RANGES for cp in range(lo, hi + 1)}
    options = subset.Options()
    options.layout_features = ["*"]  # ccmp and the ligatures that build sequences
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    target = out / EMOJI_FILE
    font.save(target)
    size_mb = target.stat().st_size / 1e6
    glyphs = len(font.getGlyphOrder())
    print(f"  {target.name:34} {size_mb:6.2f} MB, {glyphs} glyphs")
    if size_mb > EMOJI_LIMIT_MB:
        raise SystemExit(
            f"{EMOJI_FILE} is {size_mb:.2f} MB, over {EMOJI_LIMIT_MB} MB: cut EMOJI_RANGES"
        )
    return [target.name]


def _face_index(ttc: Path, family: str) -> int:
    """Index of the face whose family name (name ID 1) is ``family`` in a collection."""
    collection = TTCollection(ttc, lazy=True)
    for index, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == family:
            return index
    raise SystemExit(f"{ttc} has no face named {family!r}")


def build_multi(out: Path, tmp: Path) -> list[str]:
    """Merge Noto Sans + Noto Sans Arabic + Heebo's Hebrew into NotoSansMulti-<style>.ttf."""
    made = []
    for style in ("Regular", "Bold"):
        base = TTFont(out / f"NotoSans-{style}.ttf", recalcTimestamp=False)
        arabic = TTFont(out / f"NotoSansArabic-{style}.ttf", recalcTimestamp=False)
        hebrew = TTFont(out / f"Heebo-{style}.ttf", recalcTimestamp=False)
        scale_upem(hebrew, base["head"].unitsPerEm)  # the merger needs one units-per-em
        # Each later font keeps only what the earlier ones lack, so the cmap has no clashes.
        have = set(base.getBestCmap())
        arabic_only = set(arabic.getBestCmap()) - have
        hebrew_only = set(hebrew.getBestCmap()) - have - arabic_only
        subset_font(arabic, arabic_only, "*")
        subset_font(hebrew, hebrew_only, "*")
        parts = []
        for name, font in (("base", base), ("arabic", arabic), ("hebrew", hebrew)):
            for table in ("STAT", "meta", "DSIG"):
                if table in font:
                    del font[table]
            parts.append(tmp / f"{name}-{style}.ttf")
            font.save(parts[-1])
        merged = Merger(MergeOptions()).merge([str(p) for p in parts])
        # Keep the base font's dates so rebuilding gives byte-identical files.
        merged.recalcTimestamp = False
        merged["head"].created = base["head"].created
        merged["head"].modified = base["head"].modified
        rename_family(merged, "Noto Sans Multi", style)
        target = out / f"NotoSansMulti-{style}.ttf"
        merged.save(target)
        made.append(target.name)
        print(f"  {target.name:34} {target.stat().st_size / 1e6:6.2f} MB")
    return made


def write_licenses(src_root: Path, out: Path) -> None:
    """Copy each family's licence text into ``out/licenses``."""
    lic = out / "licenses"
    lic.mkdir(exist_ok=True)
    ofl_text = ""
    for source in SOURCES:
        licence = src_root / source.package / "LICENSE"
        shutil.copyfile(licence, lic / f"{source.family}-OFL.txt")  # byte for byte
        text = licence.read_text("utf-8")
        ofl_text = ofl_text or text[text.index("This Font Software is licensed") :]
    # Debian carries the OFL inside its copyright file; this is upstream noto-cjk's LICENSE
    # header (https://github.com/notofonts/noto-cjk/blob/main/Sans/LICENSE) over the same text.
    (lic / "NotoSansCJK-OFL.txt").write_text(f"{NOTO_CJK_COPYRIGHT}\n\n{ofl_text}", "utf-8")


def scripts_covered(path: Path) -> str:
    """Comma-separated scripts whose sample characters the face maps."""
    cmap = TTFont(path, lazy=True).getBestCmap()
    return ", ".join(s for s, chars in SCRIPT_SAMPLES.items() if all(ord(c) in cmap for c in chars))


def package_version(src_root: Path, package: str) -> str:
    """``fontpkg-inter 4.1.post1`` from the unpacked wheel's dist-info folder."""
    info = next(src_root.glob(f"{package}-*.dist-info"))
    version = info.name.removeprefix(f"{package}-").removesuffix(".dist-info")
    return f"{package.replace('_', '-')} {version}"


def write_fonts_md(src_root: Path, out: Path, dropped_hangul: bool) -> None:
    """Write FONTS.md: one row per bundled file, then how the files were made."""
    rows = []
    for source in SOURCES:
        for style in source.styles:
            name = f"{source.family}-{style}.ttf"
            how = (
                "static instance (wght), overlaps removed, unhinted"
                if "[" in source.file
                else "copied, unhinted"
            )
            if source.rename:
                how += f", family renamed to '{source.rename}' (RFN)"
            if source.lining_figures:
                how += ", lining figures by default"
            rows.append(
                (
                    name,
                    source.family,
                    package_version(src_root, source.package),
                    f"OFL-1.1, licenses/{source.family}-OFL.txt",
                    how,
                )
            )
    for style in ("Regular", "Bold"):
        rows.append(
            (
                f"NotoSansSC-{style}.otf",
                "Noto Sans CJK SC",
                "Debian fonts-noto-cjk 20220127",
                "OFL-1.1, licenses/NotoSansCJK-OFL.txt",
                "SC face from the TTC, subset",
            )
        )
        rows.append(
            (
                f"NotoSansMulti-{style}.ttf",
                "Noto Sans Multi",
                "merged, see below",
                "OFL-1.1, NotoSans/NotoSansArabic/Heebo licences",
                "fontTools.merge",
            )
        )
    rows += addition_rows()
    lines = [
        "# Bundled fonts",
        "",
        "Every file here is under the SIL Open Font License 1.1; the licence texts are in",
        "`licenses/`. The files are generated by `scripts/build_fonts.py`: do not edit them by",
        "hand, rerun the script. A face id is the file stem (`Inter-Bold`).",
        "",
        "| File | Family | Source | Licence | Scripts | Produced by | Size |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, family, pkg, lic, how in sorted(rows):
        size = f"{(out / name).stat().st_size / 1e6:.2f} MB"
        cells = (name, family, pkg, lic, scripts_covered(out / name), how, size)
        lines.append("| " + " | ".join(cells) + " |")
    total = sum(p.stat().st_size for p in out.iterdir() if p.suffix in (".ttf", ".otf"))
    blocks = "\n".join(
        f"  - {b} (U+{lo:04X}–{hi:04X})"
        for lo, hi, b in CJK_RANGES
        if not (dropped_hangul and b.startswith("Hangul"))
    )
    lines += [
        "",
        f"Total: {total / 1e6:.1f} MB.",
        "",
        "## How they were produced",
        "",
        "* **Static instances** (`fontTools.varLib.instancer`): `wght` pinned at 400 Regular,",
        "  600 SemiBold, 700 Bold, 800 ExtraBold; `opsz` (Inter) and `wdth` (Noto) pinned at",
        "  their defaults. Overlapping contours are merged (`skia-pathops`): left in place they",
        "  carry the OVERLAP_SIMPLE flag, which makes FreeType rasterise every glyph 4x4",
        "  oversampled (5-10x slower text).",
        "* **Unhinted**: every TrueType face has its hinting removed and an `fpgm` that defines",
        "  one empty function. Ads are drawn at large sizes, where hinting buys nothing: FreeType",
        "  would run its auto-hinter on a face without a font program (2-3x the rasterising time,",
        "  outlines nudged to the pixel grid), and real bytecode hinting is slower still. Now the",
        "  glyphs are drawn exactly as designed, as design tools draw them.",
        '* **Playfair Display** has the Reserved Font Name "Playfair Display", so its instances',
        '  carry the family name "Adcraft Serif Display" inside the font (OFL section 3). The file',
        "  stem stays `PlayfairDisplay-*` as adcraft's id for where the design comes from.",
        "* **NotoSansSC** is the Simplified Chinese face of Debian's",
        "  `NotoSansCJK-{Regular,Bold}.ttc` subset with `fontTools.subset` to:",
        blocks,
        f"  Layout features kept: {', '.join(CJK_FEATURES)}. Vertical tables and `locl` are",
        "  dropped, so Japanese kanji and Korean hanja use the Simplified Chinese glyph forms.",
        "* **NotoSansMulti** is `fontTools.merge` of the Noto Sans instance, the Noto Sans Arabic",
        "  instance reduced to what Noto Sans lacks, and Heebo (scaled to 1000 units/em) reduced",
        "  to its Hebrew. It is the fallback for a string that mixes Latin/Cyrillic/Greek with",
        "  Arabic and Hebrew. Vertical metrics are the largest of the three (Arabic's).",
    ]
    lines += ADDITION_NOTES
    if dropped_hangul:
        lines.append(f"* Hangul was dropped from NotoSansSC to stay under {CJK_LIMIT_MB:.0f} MB.")
    (out / "FONTS.md").write_text("\n".join(lines) + "\n", "utf-8")


def addition_rows() -> list[tuple[str, str, str, str, str]]:
    """FONTS.md rows of the regional CJK faces and the symbol face."""
    rows = []
    for region, (face, codec, *_) in REGIONAL_CJK.items():
        for style in ("Regular", "Bold"):
            rows.append(
                (
                    f"NotoSans{region}-{style}.otf",
                    face,
                    "Debian fonts-noto-cjk 20220127",
                    "OFL-1.1, licenses/NotoSansCJK-OFL.txt",
                    f"{region} face from the TTC, subset to {codec} Han",
                )
            )
    rows.append(
        (
            SYMBOLS_FILE,
            "Noto Sans Symbols 2",
            "Debian fonts-noto-core 20201225",
            "OFL-1.1, licenses/NotoSansSymbols2-OFL.txt",
            "subset to symbol blocks, unhinted",
        )
    )
    rows.append(
        (
            EMOJI_FILE,
            "Noto Color Emoji",
            "Debian fonts-noto-color-emoji 2.042",
            "OFL-1.1, licenses/NotoColorEmoji-OFL.txt",
            "subset to the emoji ad copy uses (see below)",
        )
    )
    return rows


ADDITION_NOTES = [
    "* **NotoSansJP** and **NotoSansTC** are the Japanese and Traditional Chinese faces of the",
    "  same TTCs, with the glyph forms those locales expect (今 冷 麺 注 are drawn differently",
    "  in Japanese and Chinese). They keep the non-Han blocks listed above without Hangul, and",
    "  Han cut to a standard character set: JIS X 0208 levels 1 and 2 (6,355 kanji) for",
    "  Japanese, Big5 level 1 (5,401 characters) for Traditional Chinese. A rarer character",
    "  is drawn from NotoSansSC by the per-run fallback. Korean uses NotoSansSC: the Hangul",
    "  of Noto Sans CJK is one design shared by every regional face (only hanja differ).",
    "* **NotoSansSymbols2** is Noto Sans Symbols 2 cut to arrows, technical signs, geometric",
    "  shapes, miscellaneous symbols and dingbats (❤ ✓ ✔ ★ ✈ ☎): the last face of every",
    "  fallback chain.",
    "* **NotoColorEmoji** is Noto Color Emoji (colour bitmaps, one 109 px strike) cut to the",
    "  emoji ad copy uses: Smileys & Emotion with the hearts, hands with their five skin tones,",
    "  the signs of offers and urgency (✅ ✨ ⭐ 🔥 ⏰ 💯 🎁 🎉 🛒 🚚 🆕), keycaps, and common",
    "  objects, food and drink, travel and places; the ZWJ sequences among them are kept (❤️‍🔥).",
    "  The list and why is `EMOJI_RANGES` in `scripts/build_fonts.py`. adcraft scales the",
    "  strike to the text size; an emoji outside the subset is removed with a warning.",
]


def write_addition_licence(noto_dir: Path, out: Path) -> None:
    """Noto Sans Symbols 2's licence: the OFL text under its own copyright line."""
    cjk = (out / "licenses" / "NotoSansCJK-OFL.txt").read_text("utf-8")
    ofl = cjk[cjk.index("This Font Software is licensed") :]
    notice = "Copyright 2022 The Noto Project Authors (https://github.com/notofonts/symbols)"
    (out / "licenses" / "NotoSansSymbols2-OFL.txt").write_text(f"{notice}\n\n{ofl}", "utf-8")
    # The font's own copyright record (name ID 0), over the same OFL text.
    notice = "Copyright 2022 Google Inc. (https://github.com/googlefonts/noto-emoji)"
    (out / "licenses" / "NotoColorEmoji-OFL.txt").write_text(f"{notice}\n\n{ofl}", "utf-8")


def update_fonts_md(out: Path) -> None:
    """Add the addition rows and notes to an existing FONTS.md (``--additions-only``)."""
    md = out / "FONTS.md"
    text = md.read_text("utf-8")
    head, sep, rest = text.partition("\n\nTotal: ")
    table = [
        line
        for line in head.splitlines()
        if not any(line.startswith(f"| {r[0]} ") for r in addition_rows())
    ]
    new = []
    for name, family, pkg, lic, how in addition_rows():
        size = f"{(out / name).stat().st_size / 1e6:.2f} MB"
        cells = (name, family, pkg, lic, scripts_covered(out / name), how, size)
        new.append("| " + " | ".join(cells) + " |")
    at = next(i for i, line in enumerate(table) if line.startswith("|---"))
    body = sorted([*table[at + 1 :], *new])
    total = sum(p.stat().st_size for p in out.iterdir() if p.suffix in (".ttf", ".otf"))
    tail = rest.partition("\n")[2]
    for note in ADDITION_NOTES:
        if note not in tail:
            tail = tail.rstrip("\n") + "\n" + note + "\n"
    md.write_text(
        "\n".join([*table[: at + 1], *body]) + f"{sep}{total / 1e6:.1f} MB.\n" + tail, "utf-8"
    )


def main() -> None:
    """Build every bundled font, the licences and FONTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=Path("/tmp/fonts/x"))
    parser.add_argument("--cjk-dir", type=Path, default=Path("/usr/share/fonts/opentype/noto"))
    parser.add_argument("--noto-dir", type=Path, default=Path("/usr/share/fonts/truetype/noto"))
    parser.add_argument("--out", type=Path, default=REPO / "src/adcraft/render/fonts")
    parser.add_argument(
        "--additions-only",
        action="store_true",
        help=(
            "build only the regional CJK faces, the symbol and the emoji face into an "
            "existing --out"
        ),
    )
    parser.add_argument(
        "--figures-only",
        action="store_true",
        help="make lining figures the default in the built faces that ask for it, in place",
    )
    parser.add_argument(
        "--emoji-only",
        action="store_true",
        help="build only the emoji face into an existing --out",
    )
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    if args.figures_only:
        figures_in_place(out)
        return
    if args.emoji_only:
        build_emoji(args.noto_dir, out)
        write_addition_licence(args.noto_dir, out)
        update_fonts_md(out)
        return
    if args.additions_only:
        build_regional_cjk(args.cjk_dir, out)
        build_symbols(args.noto_dir, out)
        build_emoji(args.noto_dir, out)
        render_outlines_as_drawn(out / SYMBOLS_FILE)
        write_addition_licence(args.noto_dir, out)
        update_fonts_md(out)
        return
    # Build beside the target and swap in at the end, so a failed or running build never
    # leaves the package without fonts.
    with tempfile.TemporaryDirectory(prefix=".fonts-build-", dir=out.parent) as staging_dir:
        staging = Path(staging_dir)
        print("static faces:")
        build_static(args.src, staging)
        print("CJK:")
        cjk = build_cjk(args.cjk_dir, staging, drop_hangul=False)
        cjk_mb = sum((staging / n).stat().st_size for n in cjk) / 1e6
        dropped = cjk_mb > CJK_LIMIT_MB
        if dropped:
            print(f"  {cjk_mb:.1f} MB is over {CJK_LIMIT_MB} MB: rebuilding without Hangul")
            build_cjk(args.cjk_dir, staging, drop_hangul=True)
        print("regional CJK and symbols:")
        build_regional_cjk(args.cjk_dir, staging)
        build_symbols(args.noto_dir, staging)
        build_emoji(args.noto_dir, staging)
        print("merged fallback:")
        with tempfile.TemporaryDirectory() as tmp:
            build_multi(staging, Path(tmp))
        for path in sorted(staging.glob("*.ttf")):
            render_outlines_as_drawn(path)
        write_licenses(args.src, staging)
        write_addition_licence(args.noto_dir, staging)
        write_fonts_md(args.src, staging, dropped)
        _replace_contents(staging, out)
    total = sum(p.stat().st_size for p in out.iterdir() if p.suffix in (".ttf", ".otf"))
    print(f"total {total / 1e6:.1f} MB in {out}")


def figures_in_place(out: Path) -> None:
    """Apply lining_by_default to already built faces and note it in FONTS.md."""
    md = out / "FONTS.md"
    text = md.read_text("utf-8")
    for source in SOURCES:
        if not source.lining_figures:
            continue
        for style in source.styles:
            path = out / f"{source.family}-{style}.ttf"
            font = TTFont(path, recalcTimestamp=False)
            print(f"  {path.name}: {lining_by_default(font)} character map entries")
            font.save(path)
            row = re.compile(rf"^(\| {re.escape(path.name)} \|(?:[^|]*\|){{4}}[^|]*?)( \|)", re.M)
            if "lining figures by default" not in (row.search(text) or [""])[0]:
                text = row.sub(r"\1, lining figures by default\2", text)
    md.write_text(text, "utf-8")


def _replace_contents(staging: Path, out: Path) -> None:
    """Make ``out`` hold exactly the fonts, licences and FONTS.md built in ``staging``."""
    built = {p.name for p in staging.iterdir()}
    for old in out.iterdir():
        if old.suffix in (".ttf", ".otf") and old.name not in built:
            old.unlink()
    shutil.rmtree(out / "licenses", ignore_errors=True)
    for path in staging.iterdir():
        path.replace(out / path.name)  # atomic per file on one filesystem


if __name__ == "__main__":
    main()
