"""Entities: persons, companies, addresses, vehicles and their links, as FollowTheMoney
statements with provenance (issue 16, decision 0047)."""
