"""Every string the web app shows comes from i18n.js and exists in every language it offers."""

from __future__ import annotations

import re
import shutil
import string
import subprocess
from pathlib import Path

import pytest

from adcraft.notes import TEMPLATES as NOTE_TEMPLATES
from adcraft.problem_codes import PROBLEMS

WEB = Path(__file__).resolve().parents[2] / "src/adcraft/web"
# Keys built at run time from a known set of values: prefix -> values.
DYNAMIC = {
    "status.": ["pending", "running", "completed", "failed"],
    "preset.": [
        "meta",
        "tiktok",
        "google",
        "iab",
        "pinterest",
        "linkedin",
        "x",
        "snapchat",
        "generic",
    ],
    "gallery.by.": ["rank", "variant", "format"],
    "new.product.": ["catalog", "new"],
    "new.period.": ["none", "day", "night", "week", "month", "year"],
    "detail.preview.where.": ["image", "platform"],
    "review.state.": ["draft", "in_review", "changes_requested", "approved", "exported"],
    "review.to.": ["in_review", "approved", "changes_requested"],
    "review.activity.": ["review", "comment", "edit", "regenerate", "download"],
    "new.change.image.": ["catalog", "upload", "bank", "generate", "none"],
    "title.": [
        "signin",
        "new",
        "task",
        "campaigns",
        "brand-kits",
        "bank",
        "analytics",
        "experiments",
        "runs",
        "settings",
        "team",
        "join",
        "shared",
    ],
    "role.": ["admin", "editor", "reviewer", "viewer"],
    "layout.": ["product", "text"],
    "keys.state.": ["active", "expiring", "expired", "revoked"],
    "signin.ssoError.": ["failed", "no-account", "unverified", "cancelled", "unavailable"],
    "role.help.": ["admin", "editor", "reviewer", "viewer"],
    "analytics.metric.": [
        "adoption_rate",
        "edit_distance_below_20_share",
        "regenerations_at_most_3_share",
        "time_to_asset_p50_s",
        "task_success_rate",
        "latency",
        "impressions",
        "clicks",
        "ctr",
        "conversions",
    ],
    "analytics.period.": ["24h", "7d", "30d"],
    "exp.policy.": ["fixed", "thompson", "top_two_thompson"],
    "exp.status.": ["running", "paused", "stopped"],
    "exp.serving.": ["running", "paused", "stopped"],
    "exp.action.": ["pause", "resume", "stop"],
    "exp.verdict.": ["not_yet_decided", "non_inferior", "inferior"],
    "runs.status.": ["running", "paused", "cancelled", "completed"],
    "runs.state.": ["running", "paused", "cancelled", "completed"],
    "runs.item.": ["pending", "running", "completed", "failed", "cancelled"],
    "runs.count.": ["completed", "failed", "pending", "running", "cancelled", "reused"],
    "runs.action.": ["pause", "resume", "retry", "cancel"],
    "error.status.": [
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "415",
        "422",
        "429",
        "500",
        "502",
        "503",
        "504",
    ],
    "versionAction.": ["generated", "edit", "swap_image", "regenerate_text", "regenerate_image"],
    # Score reasons by their API code (adcraft.scoring.reasons); "other" is shown as written.
    "reason.": [
        "text_overlap",
        "text_overflow",
        "cut_off",
        "outside_safe_zone",
        "low_contrast",
        "text_over_product",
        "missing_facts",
        "truncated_fields",
        "good_alignment",
        "loose_alignment",
        "calm_background",
        "busy_background",
        "balanced_composition",
        "lopsided_composition",
        "uses_free_space",
        "covers_salient_area",
        "light_on_text",
        "text_share",
        "high_contrast",
        "sharp_product",
        "soft_product",
        "well_exposed_product",
        "badly_exposed_product",
        "clipping",
        "no_ctr_model",
        "predicted_ctr",
        "ctr_history_more",
        "ctr_history_fewer",
        "ctr_effect",
    ],
    # Warnings and not-publishable reasons by their API code (adcraft.notes), and the parts a
    # deal may be shown without; "other" is shown as written.
    "note.": list(NOTE_TEMPLATES),
    "note.gap.": ["code", "deadline", "qualifier", "afterTrial"],
    "note.period.": ["day", "night", "week", "month", "year"],
    # The API's refusals by their code (adcraft.problem_codes); another is shown as written.
    "problem.": list(PROBLEMS),
    # Style names come from /capabilities; an unknown one is shown as the server names it.
    "style.": ["minimal", "bold", "elegant", "festive", "energetic", "studio", "pattern"],
}


def _languages(src: str) -> list[str]:
    """The codes in `STRINGS = { en, ru, … }`: a language added there is checked like the others."""
    found = re.search(r"export const STRINGS = \{([^}]*)\};", src)
    assert found, "no STRINGS table"
    return [code.strip() for code in found.group(1).split(",") if code.strip()]


def _tables() -> dict[str, dict[str, str]]:
    src = (WEB / "i18n.js").read_text("utf-8")
    out: dict[str, dict[str, str]] = {}
    for lang in _languages(src):
        block = re.search(rf"const {lang} = \{{(.*?)\n\}};", src, re.S)
        assert block, f"no {lang} table"
        out[lang] = dict(re.findall(r"^\s*'([^']+)': '((?:[^'\\]|\\.)*)',$", block.group(1), re.M))
    return out


def _used() -> tuple[set[str], set[str]]:
    static: set[str] = set()
    prefixes: set[str] = set()
    for f in [*WEB.glob("*.js"), *WEB.glob("views/*.js")]:
        text = f.read_text("utf-8")
        static |= set(re.findall(r"\bt\(\s*'([^']+)'", text))
        prefixes |= set(re.findall(r"\bt\(\s*`([^`$]+)\$\{", text))
    html = (WEB / "index.html").read_text("utf-8")
    static |= set(re.findall(r'data-i18n="([^"]+)"', html))
    return static, prefixes


def test_every_language_has_the_same_keys() -> None:
    tables = _tables()
    assert {"en", "ru", "he"} <= set(tables)
    assert len(tables["en"]) > 250
    for lang, table in tables.items():
        missing = sorted(set(tables["en"]) - set(table))
        extra = sorted(set(table) - set(tables["en"]))
        assert not missing and not extra, f"{lang}: missing {missing}, not in English {extra}"


def test_every_language_is_offered_and_translated() -> None:
    # The language menu lists each table under its own name, and a table is not English copied.
    src = (WEB / "i18n.js").read_text("utf-8")
    offered = re.search(r"export const LANGS = \{([^}]*)\};", src)
    assert offered
    names = dict(re.findall(r"(\w+): '([^']+)'", offered.group(1)))
    tables = _tables()
    assert set(names) == set(tables)
    for lang, table in tables.items():
        if lang == "en":
            continue
        same = [k for k, v in table.items() if v == tables["en"][k] and re.search(r"[a-z]{4}", v)]
        # Platform names (Meta, TikTok…) are the same in every language; prose is not.
        assert len(same) < 15, f"{lang}: still English: {same}"


def test_right_to_left_languages_are_marked() -> None:
    # Hebrew mirrors the app: setLang and the first load set dir from this set.
    src = (WEB / "i18n.js").read_text("utf-8")
    rtl = re.search(r"export const RTL = new Set\(\[([^\]]*)\]\)", src)
    assert rtl
    assert "'he'" in rtl.group(1)
    assert "'en'" not in rtl.group(1)
    assert "'ru'" not in rtl.group(1)


def test_every_key_used_exists() -> None:
    tables = _tables()
    static, prefixes = _used()
    missing = sorted(k for k in static if k not in tables["en"])
    assert not missing, f"keys used in the app but missing from i18n.js: {missing}"
    for prefix in prefixes:
        if prefix in ("field.", "metric."):
            continue  # optional labels: the raw field/metric name is the fallback
        assert prefix in DYNAMIC, f"dynamic key {prefix}… has no known values in this test"
        for value in DYNAMIC[prefix]:
            assert prefix + value in tables["en"], prefix + value


def test_every_built_in_style_has_a_name() -> None:
    # The form names each style of /capabilities in the UI language: a new built-in style needs one.
    from adcraft.domain.style import DEFAULT_STYLE_ORDER

    assert DYNAMIC["style."] == list(DEFAULT_STYLE_ORDER)


def test_every_score_reason_has_words() -> None:
    # The gallery says each reason code of the API in the UI language: a new code needs words.
    from adcraft.scoring.reasons import CODES, TEMPLATES

    assert DYNAMIC["reason."] == list(TEMPLATES)
    assert set(CODES) - set(TEMPLATES) == {"other"}


def test_every_warning_and_publishability_code_has_words_in_every_language() -> None:
    # The gallery and the creative dialog say each note code of the API in the UI language,
    # filling in the same values the engine's English line has: a new code needs words in
    # every catalogue, and words that drop or invent a value would say something else.
    from adcraft.notes import CODES

    assert set(CODES) - set(NOTE_TEMPLATES) == {"other"}
    tables = _tables()
    assert {"en", "ru", "he"} <= set(tables)
    wrong = []
    for code, template in NOTE_TEMPLATES.items():
        want = sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)
        for lang, table in tables.items():
            said = table.get(f"note.{code}")
            if said is None or sorted(re.findall(r"\{(\w+)\}", said)) != want:
                wrong.append(f"{lang} note.{code}: {said!r}")
            elif lang != "en" and said == tables["en"][f"note.{code}"]:
                wrong.append(f"{lang} note.{code}: still English")
    assert not wrong, wrong


def test_every_refusal_code_has_words_in_every_language() -> None:
    # The page says each coded 422 of the API in its language with the values the English
    # message has: a new code needs words in every catalogue, with the same values.
    tables = _tables()
    wrong = []
    for code, template in PROBLEMS.items():
        want = sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)
        for lang, table in tables.items():
            said = table.get(f"problem.{code}")
            if said is None or sorted(re.findall(r"\{(\w+)\}", said)) != want:
                wrong.append(f"{lang} problem.{code}: {said!r}")
            elif lang != "en" and said == tables["en"][f"problem.{code}"]:
                wrong.append(f"{lang} problem.{code}: still English")
    assert not wrong, wrong


def test_placeholders_match_between_languages() -> None:
    tables = _tables()
    wrong = []
    for key, en in tables["en"].items():
        ph = sorted(re.findall(r"\{(\w+)\}", en))
        for lang, table in tables.items():
            if ph != sorted(re.findall(r"\{(\w+)\}", table.get(key, ""))):
                wrong.append(f"{lang} {key}")
    assert not wrong, f"placeholders differ from English: {wrong}"


def test_no_hard_coded_text_in_views() -> None:
    # Text nodes in h(...) calls must come from t(...): look for string literals that read as words.
    offenders = []
    for f in WEB.glob("views/*.js"):
        for n, line in enumerate(f.read_text("utf-8").splitlines(), 1):
            for lit in re.findall(r"h\('\w+', \{[^}]*\}, '([^']+)'", line):
                if re.search(r"[A-Za-zА-Яа-я\u0590-\u05FF]{3,}", lit):
                    offenders.append(f"{f.name}:{n}: {lit}")
    assert not offenders, offenders


def test_modules_parse_without_a_browser() -> None:
    # A syntax error would blank the whole app; catch it even where Chromium is missing.
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed: the browser tests cover module syntax")
    for f in [*WEB.glob("*.js"), *WEB.glob("views/*.js")]:
        r = subprocess.run(
            [node, "--input-type=module", "--check"],
            input=f.read_bytes(),
            capture_output=True,
            timeout=30,
        )
        assert r.returncode == 0, f"{f.name}: {r.stderr.decode(errors='replace')[:500]}"
