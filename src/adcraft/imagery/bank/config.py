"""Bank settings (from ``ADCRAFT_*`` environment variables or arguments) and the wiring that
turns them into a ``Bank``: the only place the bank's providers are chosen."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from adcraft.errors import InputError
from adcraft.imagery.bank.ports import Captioner, TextEncoder, Vectors
from adcraft.imagery.bank.store import Bank

ENCODERS = ("use", "minilm")
"""Built-in encoder names; anything else is read as a local sentence-transformers folder."""


def default_bank_path() -> Path:
    """``$ADCRAFT_HOME/bank``, else ``~/.local/share/adcraft/bank``."""
    home = os.environ.get("ADCRAFT_HOME")
    base = Path(home) if home else Path.home() / ".local" / "share" / "adcraft"
    return base / "bank"


class BankSettings(BaseModel):
    """Where the bank lives and which providers serve it."""

    model_config = ConfigDict(frozen=True)

    path: Path
    encoder: str = "use"
    """'use' (multilingual, default), 'minilm' (English) or a sentence-transformers folder."""
    qdrant_url: str | None = None
    """A Qdrant server; None keeps the vectors in ``path/qdrant`` (embedded local mode)."""
    qdrant_api_key: str | None = None
    collection_prefix: str = "adcraft_"
    index_accelerator: Literal["exact", "hnsw", "off"] = "exact"
    """Local mode only: who answers searches. 'exact': an in-memory mirror of the collection
    (one matrix product, 10-50x faster than local mode's Python scan); 'hnsw': a faiss graph
    over the mirror with exact re-scoring; 'off': Qdrant local mode itself. A server URL always
    uses the server's own index."""
    caption_url: str | None = None
    """An OpenAI-compatible endpoint with a vision model; None: captions must come from files."""
    caption_model: str = "gpt-4o-mini"
    caption_api_key: str | None = None

    @classmethod
    def from_env(cls, **overrides: object) -> BankSettings:
        """Settings from ADCRAFT_BANK_PATH, ADCRAFT_TEXT_ENCODER, ADCRAFT_QDRANT_URL,
        ADCRAFT_QDRANT_API_KEY, ADCRAFT_INDEX_ACCELERATOR, ADCRAFT_CAPTION_URL/_MODEL/_API_KEY;
        overrides win when not None."""
        env = os.environ
        values: dict[str, object] = {
            "path": env.get("ADCRAFT_BANK_PATH") or default_bank_path(),
            "encoder": env.get("ADCRAFT_TEXT_ENCODER") or "use",
            "qdrant_url": env.get("ADCRAFT_QDRANT_URL") or None,
            "qdrant_api_key": env.get("ADCRAFT_QDRANT_API_KEY") or None,
            "index_accelerator": env.get("ADCRAFT_INDEX_ACCELERATOR") or "exact",
            "caption_url": env.get("ADCRAFT_CAPTION_URL") or None,
            "caption_model": env.get("ADCRAFT_CAPTION_MODEL") or "gpt-4o-mini",
            "caption_api_key": env.get("ADCRAFT_CAPTION_API_KEY") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)


def get_encoder(name: str) -> TextEncoder:
    """The text encoder for a setting: 'use', 'minilm' or a model folder."""
    if name == "use":
        from adcraft.providers.encoder_use import UniversalSentenceEncoder

        return UniversalSentenceEncoder()
    if name == "minilm":
        from adcraft.providers.encoder_st import minilm_encoder

        return minilm_encoder()
    path = Path(name).expanduser()
    if not path.exists():
        raise InputError(
            f"text encoder {name!r} is neither {' nor '.join(ENCODERS)} nor an existing "
            "sentence-transformers folder: check ADCRAFT_TEXT_ENCODER"
        )
    from adcraft.providers.encoder_st import SentenceTransformerEncoder

    return SentenceTransformerEncoder(path)


class SharedEncoder:
    """One loaded encoder per setting and process, one call at a time (runtimes such as
    USE's are not re-entrant); the image bank and the CTR model's copy features share it."""

    def __init__(self, inner: TextEncoder, setting: str) -> None:
        self.inner = inner
        self.setting = setting
        self.name = inner.name
        self.dim = inner.dim
        self.languages = inner.languages
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        """The inner encoder's vectors."""
        with self._lock:
            return self.inner.encode(texts)


_shared: dict[str, SharedEncoder] = {}
_shared_lock = threading.Lock()


def shared_encoder(name: str) -> SharedEncoder:
    """The text encoder for a setting ('use', 'minilm' or a model folder), built once per
    process (its weights load on first use)."""
    with _shared_lock:
        if name not in _shared:
            _shared[name] = SharedEncoder(get_encoder(name), name)
        return _shared[name]


def get_captioner(settings: BankSettings) -> Captioner | None:
    """The vision captioner when an endpoint is configured."""
    if not settings.caption_url:
        return None
    from adcraft.providers.caption_openai import OpenAICaptioner

    return OpenAICaptioner(
        settings.caption_url, model=settings.caption_model, api_key=settings.caption_api_key
    )


def open_bank(settings: BankSettings, encoder: TextEncoder | None = None) -> Bank:
    """The bank the settings describe (created empty when missing)."""
    from adcraft.providers.index_qdrant import QdrantIndex

    enc = encoder or get_encoder(settings.encoder)
    if settings.qdrant_url:
        index = QdrantIndex(
            url=settings.qdrant_url,
            api_key=settings.qdrant_api_key,
            prefix=settings.collection_prefix,
        )
    else:
        index = QdrantIndex(
            path=settings.path / "qdrant",
            prefix=settings.collection_prefix,
            accelerator=settings.index_accelerator,
        )
    try:
        return Bank(settings.path, encoder=enc, index=index)
    except BaseException:
        index.close()
        raise
