"""The CTR model: LightGBM on creative features and serving context, calibrated, smoothed.

Training (``train``) from aggregated counts — (creative, position, exposure) → impressions,
clicks — which is what the analytics store's GROUP BY returns, so a million impressions become
a few thousand weighted rows:

1. Cells (format × style × category) get a Beta-Binomial smoothed CTR (``smoothing``), used as
   a feature; computed out-of-fold by creative so a creative never sees its own clicks in it.
2. LightGBM, binary log-loss, rows weighted by clicks and non-clicks.
3. Isotonic calibration fitted on 5-fold out-of-fold predictions (folds by creative), then
   applied to the model trained on all data (the cross-fitting sklearn's
   CalibratedClassifierCV(ensemble=False) does).
4. A per-creative Gamma-Poisson multiplier from its own clicks vs the calibrated out-of-fold
   expectation: what the features miss about a creative, learned as far as its data allows.

A creative the model has never seen gets no multiplier: its features alone are the cold-start
prior. Without any model the cell's smoothed CTR is the prior.

With a text encoder (the image bank's configured one), the wording of each creative's copy is
a feature too: every distinct copy text is encoded once, and the vectors are reduced to
``TEXT_DIMS`` numbers by a projection fitted here (PCA over the training texts) and stored with
the model, so a new creative's wording is scored the same way (cold start included).
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import lightgbm as lgb
import numpy as np
from numpy.typing import NDArray

from adcraft.errors import AdcraftError, InputError
from adcraft.experiments.creative_features import CreativeFeatures
from adcraft.scoring.ctr.features import (
    CATEGORICAL_COUNT,
    REFERENCE_POSITION,
    TEXT_DIMS,
    CopyEmbedder,
    CountRow,
    TextProjection,
    Vocabulary,
    creative_vector,
    feature_names,
    with_context,
)
from adcraft.scoring.ctr.smoothing import (
    BetaPrior,
    creative_multiplier,
    fit_beta_prior,
    fit_gamma_strength,
)

if TYPE_CHECKING:
    from adcraft.imagery.bank.ports import TextEncoder

log = logging.getLogger("adcraft.ctr")

MIN_IMPRESSIONS = 10_000
MIN_CLICKS = 200
MIN_CREATIVES = 10
FOLDS = 5
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_sum_hessian_in_leaf": 5.0,
    "min_data_in_leaf": 5,
    "feature_fraction": 0.9,
    "lambda_l2": 1.0,
    "cat_smooth": 20.0,
    "max_cat_to_onehot": 8,
    "verbose": -1,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,  # deterministic and polite on a shared machine
    "seed": 0,
}
ROUNDS = 300


@dataclass(frozen=True)
class Minimum:
    """The least data a model is trained from (fewer and its AUC and calibration are noise)."""

    impressions: int = MIN_IMPRESSIONS
    clicks: int = MIN_CLICKS
    creatives: int = MIN_CREATIVES


class NotEnoughData(InputError):
    """Too few impressions, clicks or creatives to train a CTR model."""


class UnknownCreative(InputError):
    """Counts refer to a creative whose features were not given."""


@dataclass
class Calibration:
    """A monotone map from raw model probability to calibrated CTR (isotonic regression)."""

    x: list[float]
    y: list[float]

    def __call__(self, p: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.interp(p, self.x, self.y)


@dataclass
class TrainingSummary:
    """What a model was trained on."""

    impressions: int
    clicks: int
    creatives: int
    rows: int
    oof_auc: float
    oof_ece: float
    oof_log_loss: float


@dataclass
class CtrModel:
    """A trained model plus everything needed to score any creative, seen or new."""

    booster: lgb.Booster
    calibration: Calibration
    vocab: Vocabulary
    cell_prior: BetaPrior
    cell_counts: dict[str, tuple[float, float]]
    kappa: float
    multipliers: dict[str, float]
    summary: TrainingSummary
    extra: dict[str, Any] = field(default_factory=dict)
    text: TextProjection | None = None
    """How copy wording becomes features; None: the model has no copy-wording features."""
    embedder: CopyEmbedder | None = field(default=None, compare=False, repr=False)
    """The encoder that computes them (not stored: attached when trained or loaded)."""

    @property
    def text_dims(self) -> int:
        """Number of copy-wording columns."""
        return self.text.dims if self.text is not None else 0

    def attach_encoder(self, encoder: TextEncoder | None) -> bool:
        """Use ``encoder`` for the copy-wording features; False (features missing) when it is
        not the encoder the model was trained with."""
        if self.text is None:
            return True
        if encoder is None or encoder.name != self.text.encoder:
            got = "none" if encoder is None else repr(encoder.name)
            log.warning(
                "CTR model trained with text encoder %r, %s available: copy wording is "
                "ignored in its predictions until it is retrained",
                self.text.encoder,
                got,
            )
            self.embedder = None
            return False
        self.embedder = CopyEmbedder(encoder)
        return True

    def text_features(self, creatives: Sequence[CreativeFeatures]) -> NDArray[np.float64]:
        """(n, text_dims) copy-wording features (NaN without text or without the encoder)."""
        n = len(creatives)
        if self.text is None:
            return np.zeros((n, 0))
        if self.embedder is None:
            return np.full((n, self.text.dims), math.nan)
        return self.text.project(self.embedder.vectors([c.copy_text for c in creatives]))

    def cell_ctr(self, c: CreativeFeatures) -> float:
        """The smoothed CTR of the creative's format × style × category cell."""
        clicks, imps = self.cell_counts.get(_cell_key(c), (0.0, 0.0))
        return self.cell_prior.posterior_mean(clicks, imps)

    def _base(self, creatives: Sequence[CreativeFeatures]) -> NDArray[np.float64]:
        text = self.text_features(creatives)
        return np.vstack(
            [
                creative_vector(c, self.vocab, self.cell_ctr(c), text[i] if self.text else None)
                for i, c in enumerate(creatives)
            ]
        )

    def predict(
        self,
        creatives: Sequence[CreativeFeatures],
        position: NDArray[np.float64] | None = None,
        exposure: NDArray[np.float64] | None = None,
        *,
        use_history: bool = True,
    ) -> NDArray[np.float64]:
        """Calibrated CTR of each creative (at the reference context unless given)."""
        n = len(creatives)
        pos = np.full(n, float(REFERENCE_POSITION)) if position is None else position
        exp = np.zeros(n) if exposure is None else exposure
        raw = self.booster.predict(with_context(self._base(creatives), pos, exp))
        p = self.calibration(np.asarray(raw, dtype=float))
        if use_history:
            p = p * np.array([self.multipliers.get(c.creative_id, 1.0) for c in creatives])
        return np.clip(p, 1e-6, 1 - 1e-6)

    def predict_rows(
        self, rows: Sequence[CountRow], creatives: Mapping[str, CreativeFeatures]
    ) -> NDArray[np.float64]:
        """Calibrated CTR of each count row's creative in that row's context."""
        _check_known(rows, creatives)
        cs = [creatives[r.creative_id] for r in rows]
        pos = np.array([r.position for r in rows], dtype=float)
        exp = np.array([r.exposure for r in rows], dtype=float)
        return self.predict(cs, pos, exp)

    def contributions(self, c: CreativeFeatures) -> dict[str, float]:
        """Per-feature contributions to the raw log-odds at the reference context (SHAP)."""
        x = with_context(self._base([c]), np.array([1.0]), np.array([0.0]))
        contrib = np.asarray(self.booster.predict(x, pred_contrib=True))[0]
        names = [*feature_names(self.text_dims), "bias"]
        return dict(zip(names, (float(v) for v in contrib), strict=True))


def _cell_key(c: CreativeFeatures) -> str:
    return "|".join(c.cell)


def _fold(creative_id: str) -> int:
    return int(hashlib.blake2b(creative_id.encode(), digest_size=2).hexdigest(), 16) % FOLDS


def _check_known(rows: Sequence[CountRow], creatives: Mapping[str, CreativeFeatures]) -> None:
    missing = sorted({r.creative_id for r in rows} - set(creatives))
    if missing:
        raise UnknownCreative(
            f"{len(missing)} creative(s) in the events have no features, e.g. {missing[0]!r}"
        )


def check_enough(rows: Sequence[CountRow], minimum: Minimum | None = None) -> tuple[int, int, int]:
    """(impressions, clicks, creatives), or NotEnoughData naming the minimum."""
    need = minimum or Minimum()
    imps = sum(r.impressions for r in rows)
    clicks = sum(r.clicks for r in rows)
    n_creatives = len({r.creative_id for r in rows})
    bad = [r for r in rows if r.clicks < 0 or r.clicks > r.impressions]
    if bad:
        raise InputError(
            f"creative {bad[0].creative_id!r}: {bad[0].clicks} clicks for "
            f"{bad[0].impressions} impressions (clicks without impressions)"
        )
    if imps < need.impressions or clicks < need.clicks or n_creatives < need.creatives:
        raise NotEnoughData(
            f"too little data to train a CTR model: {imps} impressions, {clicks} clicks over "
            f"{n_creatives} creatives; the minimum is {need.impressions} impressions, "
            f"{need.clicks} clicks and {need.creatives} creatives"
        )
    return imps, clicks, n_creatives


def _cell_counts(
    rows: Sequence[CountRow], creatives: Mapping[str, CreativeFeatures], exclude_fold: int = -1
) -> dict[str, tuple[float, float]]:
    acc: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in rows:
        if exclude_fold >= 0 and _fold(r.creative_id) == exclude_fold:
            continue
        a = acc[_cell_key(creatives[r.creative_id])]
        a[0] += r.clicks
        a[1] += r.impressions
    return {k: (v[0], v[1]) for k, v in acc.items()}


def _binary(
    x: NDArray[np.float64], rows: Sequence[CountRow]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    clicks = np.array([r.clicks for r in rows], dtype=float)
    misses = np.array([r.impressions - r.clicks for r in rows], dtype=float)
    keep_c, keep_m = clicks > 0, misses > 0
    xx = np.vstack([x[keep_c], x[keep_m]])
    y = np.r_[np.ones(int(keep_c.sum())), np.zeros(int(keep_m.sum()))]
    w = np.r_[clicks[keep_c], misses[keep_m]]
    return xx, y, w


def _fit(
    x: NDArray[np.float64], rows: Sequence[CountRow], rounds: int, text_dims: int = 0
) -> lgb.Booster:
    xx, y, w = _binary(x, rows)
    data = lgb.Dataset(
        xx,
        label=y,
        weight=w,
        feature_name=feature_names(text_dims),
        categorical_feature=list(range(CATEGORICAL_COUNT)),
        free_raw_data=True,
    )
    return lgb.train(PARAMS, data, num_boost_round=rounds)


def _design(
    rows: Sequence[CountRow],
    creatives: Mapping[str, CreativeFeatures],
    vocab: Vocabulary,
    cells: Mapping[str, tuple[float, float]],
    prior: BetaPrior,
    text: Mapping[str, NDArray[np.float64]] | None = None,
) -> NDArray[np.float64]:
    base: dict[str, NDArray[np.float64]] = {}
    for cid in {r.creative_id for r in rows}:
        c = creatives[cid]
        clicks, imps = cells.get(_cell_key(c), (0.0, 0.0))
        t = text[cid] if text is not None else None
        base[cid] = creative_vector(c, vocab, prior.posterior_mean(clicks, imps), t)
    x = np.vstack([base[r.creative_id] for r in rows])
    return with_context(
        x,
        np.array([r.position for r in rows], dtype=float),
        np.array([r.exposure for r in rows], dtype=float),
    )


def train(
    creatives: Sequence[CreativeFeatures],
    rows: Sequence[CountRow],
    rounds: int = ROUNDS,
    *,
    minimum: Minimum | None = None,
    text_encoder: TextEncoder | None = None,
    encoder_setting: str = "",
    text_dims: int = TEXT_DIMS,
) -> CtrModel:
    """Train, calibrate and smooth a model from count rows; NotEnoughData below the minimum.

    With a ``text_encoder`` (configured as ``encoder_setting``) and copy text on the
    creatives, the copy's wording adds ``text_dims`` features."""
    by_id = {c.creative_id: c for c in creatives}
    _check_known(rows, by_id)
    imps, clicks, n_creatives = check_enough(rows, minimum)
    rows = [r for r in rows if r.impressions > 0]
    seen = [by_id[cid] for cid in sorted({r.creative_id for r in rows})]
    vocab = Vocabulary.fit(seen)
    projection, embedder, text = _copy_features(seen, text_encoder, encoder_setting, text_dims)
    n_text = projection.dims if projection is not None else 0
    folds = np.array([_fold(r.creative_id) for r in rows])
    oof = np.zeros(len(rows))
    for f in range(FOLDS):
        test = folds == f
        if not test.any() or test.all():
            continue
        cells = _cell_counts(rows, by_id, exclude_fold=f)
        prior = fit_beta_prior(cells.values())
        train_rows = [r for r, t in zip(rows, test, strict=True) if not t]
        test_rows = [r for r, t in zip(rows, test, strict=True) if t]
        booster = _fit(
            _design(train_rows, by_id, vocab, cells, prior, text), train_rows, rounds, n_text
        )
        oof[test] = booster.predict(_design(test_rows, by_id, vocab, cells, prior, text))
    calibration = _isotonic(oof, rows)
    cal_oof = calibration(oof)
    cells = _cell_counts(rows, by_id)
    prior = fit_beta_prior(cells.values())
    booster = _fit(_design(rows, by_id, vocab, cells, prior, text), rows, rounds, n_text)
    observed: dict[str, float] = defaultdict(float)
    expected: dict[str, float] = defaultdict(float)
    for r, p in zip(rows, cal_oof, strict=True):
        observed[r.creative_id] += r.clicks
        expected[r.creative_id] += p * r.impressions
    kappa = fit_gamma_strength(observed, expected)
    multipliers = {k: creative_multiplier(observed[k], expected[k], kappa) for k in expected}
    y_imps = np.array([r.impressions for r in rows], dtype=float)
    y_clicks = np.array([r.clicks for r in rows], dtype=float)
    summary = TrainingSummary(
        impressions=imps,
        clicks=clicks,
        creatives=n_creatives,
        rows=len(rows),
        oof_auc=weighted_auc(cal_oof, y_clicks, y_imps),
        oof_ece=expected_calibration_error(cal_oof, y_clicks, y_imps),
        oof_log_loss=log_loss(cal_oof, y_clicks, y_imps),
    )
    return CtrModel(
        booster,
        calibration,
        vocab,
        prior,
        cells,
        kappa,
        multipliers,
        summary,
        text=projection,
        embedder=embedder,
    )


def _copy_features(
    seen: Sequence[CreativeFeatures],
    encoder: TextEncoder | None,
    setting: str,
    dims: int,
) -> tuple[TextProjection | None, CopyEmbedder | None, dict[str, NDArray[np.float64]] | None]:
    """The projection fitted on the distinct copy texts of the training creatives, the cached
    embedder, and each creative's copy-wording features; all None without encoder or text."""
    if encoder is None or dims <= 0 or not any(c.copy_text for c in seen):
        return None, None, None
    embedder = CopyEmbedder(encoder)
    distinct = sorted({c.copy_text for c in seen if c.copy_text})
    try:
        vectors = embedder.vectors(distinct)
    except AdcraftError as exc:  # e.g. the encoder's package is not installed
        log.warning("training without copy-wording features: %s", exc)
        return None, None, None
    projection = TextProjection.fit(vectors, encoder.name, setting or encoder.name, dims)
    features = projection.project(embedder.vectors([c.copy_text for c in seen]))
    return projection, embedder, {c.creative_id: f for c, f in zip(seen, features, strict=True)}


def _isotonic(raw: NDArray[np.float64], rows: Sequence[CountRow]) -> Calibration:
    from sklearn.isotonic import IsotonicRegression  # type: ignore[import-untyped]

    xx, y, w = _binary(raw[:, None], rows)
    iso = IsotonicRegression(out_of_bounds="clip", y_min=1e-6, y_max=1 - 1e-6)
    iso.fit(xx[:, 0], y, sample_weight=w)
    return Calibration([float(v) for v in iso.X_thresholds_], [float(v) for v in iso.y_thresholds_])


def weighted_auc(
    pred: NDArray[np.float64], clicks: NDArray[np.float64], imps: NDArray[np.float64]
) -> float:
    """Impression-level ROC AUC from aggregated rows (ties count one half)."""
    order = np.argsort(pred, kind="stable")
    p, c = pred[order], clicks[order]
    m = imps[order] - c
    # Group equal predictions so ties get the half-credit.
    uniq, start = np.unique(p, return_index=True)
    cs = np.add.reduceat(c, start)
    ms = np.add.reduceat(m, start)
    neg_below = np.cumsum(ms) - ms
    total = cs.sum() * ms.sum()
    if total <= 0 or uniq.size == 0:
        return math.nan
    return float(np.sum(cs * (neg_below + 0.5 * ms)) / total)


def expected_calibration_error(
    pred: NDArray[np.float64],
    clicks: NDArray[np.float64],
    imps: NDArray[np.float64],
    bins: int = 20,
) -> float:
    """ECE over ``bins`` equal-impression bins of predicted CTR: Σ share·|mean pred − CTR|."""
    order = np.argsort(pred, kind="stable")
    p, c, n = pred[order], clicks[order], imps[order]
    cum = np.cumsum(n)
    total = cum[-1] if cum.size else 0.0
    if total <= 0:
        return math.nan
    edges = np.searchsorted(cum, np.linspace(0, total, bins + 1)[1:-1], side="left")
    ece = 0.0
    for idx in np.split(np.arange(p.size), edges):
        if idx.size == 0:
            continue
        w = n[idx].sum()
        if w <= 0:
            continue
        ece += w / total * abs(float(np.sum(p[idx] * n[idx]) / w - c[idx].sum() / w))
    return float(ece)


def log_loss(
    pred: NDArray[np.float64], clicks: NDArray[np.float64], imps: NDArray[np.float64]
) -> float:
    """Mean per-impression log loss."""
    q = np.clip(pred, 1e-9, 1 - 1e-9)
    total = float(imps.sum())
    return float(-(clicks * np.log(q) + (imps - clicks) * np.log1p(-q)).sum() / total)
