"""The dashboards' small world (Enschede and three Twente peers, a target, a mayor, an
analyst, an outsider, a regional bestuurder) serves the reports too."""

import datetime as dt

import pytest

from knooppunt.geo.models import Municipality
from knooppunt.monitoring.compute import compute_all
from knooppunt.taxonomy.models import Theme
from tests.dashboards.conftest import INDICATORS, world  # noqa: F401 - the fixture
from tests.factories import SignalFactory


@pytest.fixture
def large_dumps(world):  # noqa: F811 - the fixture above
    """The world with 12 drug dumps in its year instead of 2 (decision 0026).

    With 2 the world's year holds hennep 12 and all signals 14, and one audience may not
    see both: the mayor's dashboard shows all signals 14, so a board report that printed
    hennep's 12 would give the 2 drug dumps away, and the rule hides hennep's year. A test
    of what a board report prints about hennep's year needs a world where no theme of
    that year is small; its months stay small (3 dumps), so suppression still happens."""
    enschede = Municipality.objects.get(code="GM0153")
    dump = Theme.objects.get(code="drugsdump")
    for month, extra in ((4, 2), (5, 3), (9, 2), (10, 3)):
        for _i in range(extra):
            SignalFactory(theme=dump, received_on=dt.date(world.year, month, 7),
                          municipality=enschede)
    compute_all(codes=INDICATORS, force=True)
    return world
