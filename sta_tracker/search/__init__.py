"""Search over both apps (kept in the project package, which may depend on both): the agreements' provisions (clauses) and the proposals (reviews).

It depends on both; neither depends on it, and ``clauses`` imports nothing of ``reviews``.
"""
