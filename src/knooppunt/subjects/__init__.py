"""Subjects: persons, companies, addresses and vehicles that cases concern."""
