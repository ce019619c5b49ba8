"""The image bank as an ``ImageSource``: text search, seeded pick, bytes from the asset store."""

from __future__ import annotations

from adcraft.imagery.bank.search import POOL, sample, search
from adcraft.imagery.bank.store import Bank
from adcraft.imagery.load import decode_image
from adcraft.imagery.source import ImageRequest, SourcedImage


class BankImageSource:
    """Pick a bank image for the product text and description."""

    name = "bank"

    def __init__(self, bank: Bank, *, pool: int = POOL) -> None:
        self.bank = bank
        self.pool = pool

    def get(self, request: ImageRequest) -> SourcedImage:
        """The sampled image among the best ``pool``, decoded, with its caption."""
        result = search(self.bank, request.product, request.description, top=self.pool)
        hit = sample(result.hits, seed=request.seed)
        loaded = decode_image(self.bank.assets.get(hit.key), f"bank:{hit.id}")
        return SourcedImage(
            image=loaded.image,
            description=hit.caption,
            source=f"bank:{hit.id}",
            key=hit.key,
            warnings=(*result.warnings, *loaded.warnings),
        )
