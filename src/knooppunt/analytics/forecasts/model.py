"""The learned model: gradient boosting with a Poisson loss, and per-cell explanations.

scikit-learn's HistGradientBoostingRegressor(loss="poisson") predicts the expected count
of a cell from its features (Poisson deviance suits counts that are mostly 0 or small).
Settings are fixed (no tuning on the held-out months): 60 trees of at most 15 leaves,
learning rate 0.15, at least 100 rows per leaf, no early stopping, random_state 0 (small
enough that twelve monthly fits on ~300,000 rows stay within the benchmark's minute).

Explanations are by ablation, one feature at a time: a cell's contribution of feature f is
its prediction minus its prediction with f replaced by f's median over the training rows.
This is a documented approximation (the contributions do not sum exactly to the prediction
and interactions are split arbitrarily); scikit-learn offers no per-row contributions for
this model, and SHAP would add a large dependency (numba) for a small gain in exactness.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# OpenMP threads that sleep while they wait, set before scikit-learn loads its OpenMP
# runtime: on a shared, loaded machine busy-waiting threads made one fit 50x slower.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
from sklearn.ensemble import HistGradientBoostingRegressor  # noqa: E402

LEARNED = "gradient_boosting_poisson"
LEARNED_DESCRIPTION = {
    "en": "Gradient boosting (scikit-learn HistGradientBoostingRegressor, Poisson loss) on "
          "the cell's and its neighbours' past counts, the season and, where the data has "
          "them, past events of other types in the cell and the cell's buildings and "
          "companies from the registers (as known before the forecast month).",
    "nl": "Gradient boosting (scikit-learn HistGradientBoostingRegressor, Poisson-verlies) op "
          "de eerdere aantallen van de cel en haar buren, het seizoen en, waar de gegevens "
          "ze hebben, eerdere gebeurtenissen van andere soorten in de cel en de gebouwen en "
          "bedrijven in de cel uit de registers (zoals bekend vóór de voorspelde maand).",
}
EXPLANATION_METHOD = {
    "en": "Ablation per feature: the prediction minus the prediction with that feature set "
          "to its median over the training rows (an approximation; they need not sum to "
          "the prediction).",
    "nl": "Weglating per kenmerk: de voorspelling min de voorspelling met dat kenmerk op zijn "
          "mediaan over de trainingsrijen (een benadering; de bijdragen tellen niet "
          "precies op tot de voorspelling).",
}
PARAMETERS = {"loss": "poisson", "max_iter": 60, "learning_rate": 0.15,
              "max_leaf_nodes": 15, "min_samples_leaf": 100, "early_stopping": False,
              "random_state": 0}


@dataclass
class FittedModel:
    estimator: HistGradientBoostingRegressor
    features: tuple[str, ...]
    reference: np.ndarray  # per feature: the median over the training rows

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.estimator.predict(X)

    def explain(self, X: np.ndarray) -> np.ndarray:
        """Per row and feature: the contribution by ablation (see the module text)."""
        full = self.predict(X)
        contributions = np.empty_like(X, dtype=np.float64)
        for j in range(X.shape[1]):
            ablated = X.copy()
            ablated[:, j] = self.reference[j]
            contributions[:, j] = full - self.predict(ablated)
        return contributions


def fit(X: np.ndarray, y: np.ndarray, features: tuple[str, ...]) -> FittedModel:
    """The model fitted on rows X (features in order) and counts y."""
    estimator = HistGradientBoostingRegressor(**PARAMETERS)
    estimator.fit(X, y)
    return FittedModel(estimator=estimator, features=tuple(features),
                       reference=np.median(X, axis=0))


def top_contributions(contributions: np.ndarray, features: tuple[str, ...],
                      top: int = 3) -> list[list[tuple[str, float]]]:
    """Per row: the `top` features with the largest absolute contribution, signed."""
    order = np.argsort(-np.abs(contributions), axis=1)[:, :top]
    return [[(features[j], float(contributions[i, j])) for j in row]
            for i, row in enumerate(order)]
