"""The case chain world of tests/cases, plus a case with subjects in it."""

from __future__ import annotations

import pytest

from ..cases.conftest import Chain, _dutch, chain, open_case  # noqa: F401 - fixtures


@pytest.fixture
def case(chain):  # noqa: F811 - the fixture imported above
    return open_case(chain)
