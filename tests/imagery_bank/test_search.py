"""Two-stage text search over the fixture bank (USE + Qdrant local mode) and seeded picks."""

from __future__ import annotations

from pathlib import Path

import pytest

from adcraft.errors import EmptyBank, InputError
from adcraft.imagery.bank.search import pick, script_warning, search
from adcraft.imagery.bank.source import BankImageSource
from adcraft.imagery.bank.store import Bank
from adcraft.imagery.source import ImageRequest
from adcraft.providers.index_numpy import NumpyIndex
from tests.imagery_bank.conftest import HashEncoder


@pytest.mark.parametrize(
    ("product", "description", "expected"),
    [
        ("Fresh strawberries delivered to your door", None, "1f353"),
        ("Running shoes, 30% off this week", "a sneaker", "1f45f"),
        ("Кофе с собой со скидкой", "чашка горячего кофе", "2615"),  # Russian
        ("Billige Flüge nach Paris", None, "2708-fe0f"),  # German
        ("学生用笔记本电脑", None, "1f4bb"),  # Chinese: laptop for students
        ("Pizza delivery in 30 minutes", "a slice of pizza", "1f355"),
    ],
)
def test_the_right_image_ranks_first(
    bank: Bank, product: str, description: str | None, expected: str
) -> None:
    result = search(bank, product, description, top=5)
    assert result.hits[0].id == expected, [h.id for h in result.hits]
    assert result.candidates == len(bank)
    assert not result.warnings


def test_description_reranks_within_the_product_candidates(bank: Bank) -> None:
    plain = search(bank, "Summer sale on fresh fruit", top=3)
    apple = search(bank, "Summer sale on fresh fruit", "a shiny red apple", top=3)
    assert apple.hits[0].id == "1f34e"
    assert plain.description.startswith("a picture of")


def test_pick_is_reproducible_and_varies_with_the_seed(bank: Bank) -> None:
    picks = [pick(bank, "gifts for a birthday party", seed=s).id for s in range(12)]
    assert picks == [pick(bank, "gifts for a birthday party", seed=s).id for s in range(12)]
    assert len(set(picks)) >= 2
    top10 = {h.id for h in search(bank, "gifts for a birthday party", top=10).hits}
    assert set(picks) <= top10


def test_bank_as_image_source_gives_an_rgba_visual(bank: Bank) -> None:
    sourced = BankImageSource(bank).get(ImageRequest("Fresh strawberries", seed=3))
    assert sourced.source.startswith("bank:") and sourced.key
    assert sourced.image.mode == "RGBA"
    visual = sourced.visual()
    assert visual.has_cutout and visual.remover == "alpha"


def test_empty_bank_and_empty_query_are_clear_errors(tmp_path: Path) -> None:
    empty = Bank(tmp_path, encoder=HashEncoder(), index=NumpyIndex())
    with pytest.raises(EmptyBank, match="adcraft bank add"):
        search(empty, "anything")
    with pytest.raises(InputError, match="product/offer text"):
        search(empty, "  ", None)


def test_unknown_script_warns() -> None:
    english = frozenset({"en"})
    assert script_warning("Кофе с собой", english, "minilm") is not None
    assert script_warning("Coffee to go", english, "minilm") is None
    use = frozenset({"en", "ru", "zh"})
    assert script_warning("Кофе с собой", use, "use") is None
    warning = script_warning("קפה לדרך", use, "use")
    assert warning is not None and "Hebrew" in warning
