"""The image bank: images found by text only (captions and usage hypotheses), vectors in
Qdrant, a BM25 baseline, the Fluent Emoji demo bank, and an ``ImageSource`` over it."""

from adcraft.errors import BankError, EmptyBank
from adcraft.imagery.bank.bm25 import BM25, bm25_rank
from adcraft.imagery.bank.config import BankSettings, get_encoder, open_bank
from adcraft.imagery.bank.ingest import ingest_folder
from adcraft.imagery.bank.models import BankImage, IngestReport, SearchHit, SearchResult, Skip
from adcraft.imagery.bank.ports import CaptionDraft, Captioner, IndexHit, TextEncoder, VectorIndex
from adcraft.imagery.bank.search import pick, search
from adcraft.imagery.bank.source import BankImageSource
from adcraft.imagery.bank.store import Bank

__all__ = [
    "BM25",
    "Bank",
    "BankError",
    "BankImage",
    "BankImageSource",
    "BankSettings",
    "CaptionDraft",
    "Captioner",
    "EmptyBank",
    "IndexHit",
    "IngestReport",
    "SearchHit",
    "SearchResult",
    "Skip",
    "TextEncoder",
    "VectorIndex",
    "bm25_rank",
    "get_encoder",
    "ingest_folder",
    "open_bank",
    "pick",
    "search",
]
