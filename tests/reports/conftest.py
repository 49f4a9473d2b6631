"""The dashboards' small world (Enschede and three Twente peers, a target, a mayor, an
analyst, an outsider, a regional bestuurder) serves the reports too."""

from tests.dashboards.conftest import world  # noqa: F401 - the fixture
