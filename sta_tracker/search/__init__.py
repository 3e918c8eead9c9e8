"""Search over both apps: the agreements' provisions (clauses) and the proposals (reviews).

It depends on both and lives in the project package; neither app depends on it, and ``clauses``
imports nothing of ``reviews``.
"""
