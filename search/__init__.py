"""Search over both apps: the agreements' provisions (clauses) and the proposals (reviews).

It depends on both; neither depends on it, and ``clauses`` imports nothing of ``reviews``.
"""
