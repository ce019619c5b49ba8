"""The demo bank: Microsoft's Fluent Emoji 3D renders (MIT, ~3 400 transparent 256x256 WebP
files named by code point) from the npm package ``@lobehub/fluent-emoji-3d``, captioned with
CLDR labels and keywords in several languages from ``emojibase-data`` (MIT) and Unicode names.

Both packages are fetched with ``npm pack`` (the npm registry is the only source needed) and
cached; ``build_demo`` writes a captions.json sidecar next to the renders and ingests them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import unicodedata
from pathlib import Path
from typing import Any

from adcraft.errors import ProviderUnavailable
from adcraft.imagery.bank.demo_usage import SUBGROUP_USAGE
from adcraft.imagery.bank.hypotheses import derive_hypotheses
from adcraft.imagery.bank.ingest import Progress, ingest_folder
from adcraft.imagery.bank.models import IngestReport
from adcraft.imagery.bank.quality import QualityLimits
from adcraft.imagery.bank.store import Bank

RENDERS = "@lobehub/fluent-emoji-3d@1.1.0"
ANNOTATIONS = "emojibase-data@17.0.0"
LANGUAGES = ("ru", "de", "fr", "es", "ja", "zh")
"""Languages whose CLDR labels and keywords go into each record's i18n field."""


def fetch_packages(cache: Path) -> tuple[Path, Path]:
    """(renders folder, emojibase folder), fetched with npm pack into ``cache`` once."""
    renders, annotations = cache / "fluent-emoji-3d", cache / "emojibase-data"
    if (renders / "assets").is_dir() and (annotations / "en" / "data.json").is_file():
        return renders / "assets", annotations
    npm = shutil.which("npm")
    if npm is None:
        raise ProviderUnavailable(
            "building the demo bank needs npm (to fetch @lobehub/fluent-emoji-3d): "
            "install Node.js, or pass --from with an unpacked copy"
        )
    cache.mkdir(parents=True, exist_ok=True)
    for spec, target in ((RENDERS, renders), (ANNOTATIONS, annotations)):
        try:
            out = subprocess.run(
                [npm, "pack", spec, "--json", "--pack-destination", str(cache)],
                check=True,
                capture_output=True,
                text=True,
                timeout=600,
            )
            name = json.loads(out.stdout)[0]["filename"].replace("@", "").replace("/", "-")
        except (subprocess.SubprocessError, OSError, ValueError, KeyError, IndexError) as exc:
            detail = getattr(exc, "stderr", "") or exc
            raise ProviderUnavailable(
                f"npm pack {spec} failed ({detail}): check access to the npm registry"
            ) from exc
        _extract(cache / name, target)
    return renders / "assets", annotations


def _extract(tarball: Path, target: Path) -> None:
    """Unpack an npm tarball's ``package/`` folder into ``target`` (safe paths only)."""
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(tarball) as tar:
        tar.extractall(tmp, filter="data")
    shutil.rmtree(target, ignore_errors=True)
    (tmp / "package").rename(target)
    shutil.rmtree(tmp, ignore_errors=True)
    tarball.unlink(missing_ok=True)


def _norm(hexcode: str) -> str:
    """A code point sequence key that ignores case, zero padding and invisible selectors."""
    parts = [p.lstrip("0") or "0" for p in hexcode.lower().replace("_", "-").split("-")]
    # Variation selector 16 and the tag terminator are spelt out in some sources, not others.
    return "-".join(p for p in parts if p not in ("fe0f", "e007f"))


def _index_emojibase(folder: Path, lang: str) -> dict[str, dict[str, Any]]:
    """Emojibase records (skin-tone variants included) by normalised code points."""
    path = folder / lang / "data.json"
    if not path.is_file():
        return {}
    out: dict[str, dict[str, Any]] = {}
    for rec in json.loads(path.read_text("utf-8")):
        out[_norm(rec["hexcode"])] = rec
        for skin in rec.get("skins") or ():
            out[_norm(skin["hexcode"])] = {**rec, **skin, "tags": rec.get("tags", [])}
    return out


def _unicode_name(stem: str) -> str:
    """The Unicode name of a single code point render ('' for sequences: names of their parts,
    such as 'emoji modifier fitzpatrick type-1-2', say nothing useful)."""
    parts = [p for p in _norm(stem).split("-") if p]
    if len(parts) != 1:
        return ""
    try:
        return unicodedata.name(chr(int(parts[0], 16)), "").lower()
    except (ValueError, OverflowError):
        return ""


def demo_captions(renders: Path, annotations: Path) -> list[dict[str, Any]]:
    """Sidecar entries (file, caption, keywords, hypotheses, i18n) for every render."""
    en = _index_emojibase(annotations, "en")
    other = {lang: _index_emojibase(annotations, lang) for lang in LANGUAGES}
    messages = json.loads((annotations / "en" / "messages.json").read_text("utf-8"))
    subgroups = {s["order"]: s["key"] for s in messages["subgroups"]}
    entries: list[dict[str, Any]] = []
    for path in sorted(renders.glob("*.webp")):
        key = _norm(path.stem)
        rec = en.get(key)
        uname = _unicode_name(path.stem)
        caption = (rec or {}).get("label") or uname
        if not caption:
            continue  # no name anywhere: ingest reports it as uncaptioned
        keywords = [t for t in (rec or {}).get("tags", []) if t]
        if uname and uname != caption and uname not in keywords:
            keywords.append(uname)
        subgroup = subgroups.get((rec or {}).get("subgroup", -1), "")
        i18n = {}
        for lang, table in other.items():
            loc = table.get(key)
            if loc and loc.get("label"):
                i18n[lang] = ", ".join([loc["label"], *loc.get("tags", [])[:8]])
        entries.append(
            {
                "file": path.name,
                "caption": caption,
                "keywords": keywords,
                "hypotheses": list(
                    derive_hypotheses(caption, keywords, SUBGROUP_USAGE.get(subgroup, ()))
                ),
                "i18n": i18n,
            }
        )
    return entries


def write_sidecar(renders: Path, annotations: Path, target: Path | None = None) -> Path:
    """Write captions.json for the renders (next to them unless ``target`` is given)."""
    path = target or renders / "captions.json"
    entries = demo_captions(renders, annotations)
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=0), "utf-8")
    return path


def build_demo(
    bank: Bank,
    cache: Path,
    *,
    rebuild: bool = True,
    progress: Progress | None = None,
) -> IngestReport:
    """Fetch the renders and annotations (cached) and ingest them all into ``bank``."""
    renders, annotations = fetch_packages(cache)
    sidecar = write_sidecar(renders, annotations, cache / "captions.json")
    if rebuild:
        bank.clear()
    # The renders are small by design (256 px): accept them down to 128 px.
    return ingest_folder(
        bank, renders, captions=sidecar, limits=QualityLimits(min_side=128), progress=progress
    )
