"""The monitoring commands answer in Dutch and do what they say."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from knooppunt.monitoring.models import PeerGroup, Statistic

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_compute_and_detect():
    text = run("load_statistics")
    assert "statistieken: 1050" in text  # 342 municipalities + 708 national figures
    assert Statistic.objects.filter(area_code="GM0153", table="47018NED").exists()
    assert PeerGroup.objects.filter(kind="regio").count() == 25
    first = run("compute_indicators", "--indicator", "misdrijven-brengdelicten")
    assert "misdrijven-brengdelicten: 390 waarden" in first  # 342 + 25 + 10 + 12 + 1
    assert "ongewijzigd" in run("compute_indicators", "--indicator",
                                "misdrijven-brengdelicten")
    assert run("detect_alerts", "--month", "2025-01") == ""


@pytest.mark.parametrize(("args", "message"), [
    (("compute_indicators", "--watch", "0"), "--watch"),
    (("detect_alerts", "--month", "januari"), "JJJJ-MM"),
    (("import-statistics", "bestaat-niet.csv", "--table", "47022NED"), "niet gevonden"),
])
def test_bad_arguments_are_refused_in_dutch(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
