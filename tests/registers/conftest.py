"""The API fixtures (a partner in Enschede with a token) for the register tests."""

from tests.api.conftest import api, enschede_org, partner  # noqa: F401
