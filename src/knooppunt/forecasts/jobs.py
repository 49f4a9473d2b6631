"""Keeping the evaluations of signal forecasts current: a scheduled job.

`refresh_stale(today)` re-evaluates every forecast (target — a theme's signals or police
incidents —, area, horizon, cell size) that has been evaluated before when its newest
evaluation is stale: a month has passed since (its last tested month is not the last
complete one) or the target's rows changed (the data version differs). `knooppunt run_jobs`
runs it in a thread once an hour, beside the indicator refresh (`monitoring.jobs`); cron may
run `knooppunt evaluate_forecasts` instead. A refusal (too little history) is logged and
tried again next round.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import date

from django.db import close_old_connections

from knooppunt.analytics.forecasts import ForecastRefused, month_label

from . import targets
from .evaluation import evaluate_area, held_out_months
from .models import ForecastEvaluation

logger = logging.getLogger(__name__)
INTERVAL_SECONDS = 3600.0


def stale(evaluation: ForecastEvaluation, today: date) -> bool:
    """Whether a newer evaluation would differ: other months to test, or other data."""
    from knooppunt.analytics.hotspot_service import area_by_code

    last = month_label(held_out_months(today, evaluation.horizon)[-1])
    if evaluation.last_month != last:
        return True
    area = area_by_code(evaluation.area_code)
    target = targets.of(evaluation)
    return target.data_version(area.code, target.rows(area)) != evaluation.data_version


def refresh_stale(today: date) -> list[ForecastEvaluation]:
    """Re-evaluate the stale forecasts of Dutch areas; the new evaluations."""
    newest: dict[tuple, ForecastEvaluation] = {}
    for evaluation in (ForecastEvaluation.objects.exclude(area_code="")
                       .select_related("theme", "dataset", "offence")
                       .order_by("-evaluated_at", "-pk")):
        key = (evaluation.theme_id, evaluation.dataset_id, evaluation.offence_id,
               evaluation.area_code, evaluation.horizon, evaluation.cell_size)
        newest.setdefault(key, evaluation)
    made = []
    for evaluation in newest.values():
        if not stale(evaluation, today):
            continue
        try:
            # The same features as before (e.g. the demo's, without its derived register);
            # `evaluate_forecasts` makes an evaluation with the current default.
            made.append(evaluate_area(targets.of(evaluation), evaluation.area_code,
                                      today=today, cell_size=evaluation.cell_size,
                                      horizon=evaluation.horizon,
                                      features=tuple(evaluation.features) or None))
        except (ForecastRefused, ValueError) as refused:
            logger.warning("forecast evaluation %s refused: %s", evaluation, refused)
    return made


def refresh_forever(interval_seconds: float = INTERVAL_SECONDS) -> None:
    from django.utils import timezone

    while True:
        close_old_connections()
        try:
            refresh_stale(timezone.localdate())
        except Exception:  # keep the thread alive; the next round tries again
            logger.exception("forecast evaluation refresh failed")
        finally:
            close_old_connections()
        time.sleep(interval_seconds)


def start_refresh_thread(interval_seconds: float = INTERVAL_SECONDS) -> threading.Thread:
    thread = threading.Thread(target=refresh_forever, args=(interval_seconds,), daemon=True,
                              name="knooppunt-forecast-evaluations")
    thread.start()
    return thread
