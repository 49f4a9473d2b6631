"""Candidate matches between person entities, and their review (issue 16 item 2, decision 0053)."""
