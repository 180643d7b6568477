"""Cross-validated precision and recall of the learned coder, per theme.

What a researcher should expect of ``learned`` codes on the answers nobody
hand-coded: each theme's labelled answers (``labels``) are predicted in
stratified k-fold cross-validation (shuffled with a fixed seed), each by a
classifier fitted without it, with the same features, classifier and threshold
as ``learned.code_learned``. Notebook ``05_validate`` prints it.

Labelled answers that are campaign copies of each other can fall in different
folds, which flatters the figures a little on campaign-heavy consultations.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.coding import learned
from helpers.coding.codebook import Codebook
from helpers.coding.labels import training_labels
from helpers.core.consultation import Consultation

REPORT_COLUMNS = [
    "theme_id", "n_positive", "n_negative", "folds", "tp", "fp", "fn",
    "precision", "recall", "f1", "note",
]  # fmt: skip


def learned_report(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None,
    hand_coded: pd.DataFrame | None,
    overrides: str | Path | pd.DataFrame | None = None,
    encode: learned.Encoder | None = None,
    folds: int = 5,
    seed: int = learned.SEED,
) -> pd.DataFrame:
    """Cross-validated precision and recall of the learned coder, per theme.

    Stratified ``folds``-fold cross-validation (shuffled with ``seed``; fewer folds
    when a theme has fewer labels of a kind) over each theme's labelled answers:
    every labelled answer is predicted by a classifier that never saw it. Columns:
    theme_id, n_positive, n_negative, folds, tp, fp, fn, precision, recall, f1 and
    ``note`` (why a theme is not learned). Precision is empty when nothing was predicted.
    """
    from sklearn.model_selection import StratifiedKFold

    labels = training_labels(answers, codebook, hand_coded, overrides)
    themes, skipped = learned._themes_to_learn(labels, codebook)
    rows = []
    if themes:
        pool = learned._feature_answers(answers, codebook, consultation, labels, themes)
        features = learned.build_features(pool, respondents, encode)
    for theme_id in themes:
        x_rows, y = learned._training(features, labels, theme_id)
        k = int(min(folds, y.sum(), len(y) - y.sum()))
        predicted = np.zeros(len(y), dtype=int)
        for train, test in StratifiedKFold(k, shuffle=True, random_state=seed).split(x_rows, y):
            model = learned._classifier().fit(features.answers[x_rows[train]], y[train])
            predicted[test] = (
                model.predict_proba(features.answers[x_rows[test]])[:, 1] >= learned.THRESHOLD
            )
        tp = int(((predicted == 1) & (y == 1)).sum())
        fp = int(((predicted == 1) & (y == 0)).sum())
        fn = int(((predicted == 0) & (y == 1)).sum())
        precision = tp / (tp + fp) if tp + fp else np.nan
        recall = tp / (tp + fn) if tp + fn else np.nan
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
        rows.append(
            (
                theme_id,
                int(y.sum()),
                int(len(y) - y.sum()),
                k,
                tp,
                fp,
                fn,
                precision,
                recall,
                f1,
                "",
            )
        )
    for t, pos, neg, reason in skipped.itertuples(index=False):
        rows.append((t, pos, neg, 0, 0, 0, 0, np.nan, np.nan, np.nan, reason))
    order = {t: i for i, t in enumerate(codebook.theme_ids)}
    out = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    return out.sort_values("theme_id", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )
