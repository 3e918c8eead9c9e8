"""Importing an official text: reading it into clauses, previewing what publishing does, publishing.

The readers and the parser (``parse``, ``readers``, ``akn``, ``modes``, ``matching`` and the
rest) are plain Python and import no Django; ``review``, ``services``, ``forms`` and ``views``
are the import page and the publishing service built on them.
"""
