"""Rebuilding the demo after people made cases from its signals removes those cases.

Starts from the session's Twente demo (tests/shared_demo.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from knooppunt.cases import services
from knooppunt.cases.models import Case, Forum
from knooppunt.demo.users import demo_users
from knooppunt.signals.models import Signal
from tests.shared_demo import TODAY

pytestmark = pytest.mark.django_db


def test_rebuilding_the_demo_after_people_made_cases_from_its_signals(twente_demo):
    coordinator = get_user_model().objects.get(username=demo_users()[0].username)
    forum = Forum.objects.get(name="Signalenoverleg Enschede")
    signal = Signal.objects.filter(is_synthetic=True, municipality__name="Enschede",
                                   case_links__isnull=True).first()
    case = services.open_case(user=coordinator, signals=[signal], forum=forum, title="demo",
                              opened_on=TODAY)
    twente_demo.rebuild()
    assert not Case.objects.filter(pk=case.pk).exists()
