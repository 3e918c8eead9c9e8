"""The one exception the import engine raises, worded for the person who supplied the file."""

from __future__ import annotations


class TextImportError(Exception):
    """A file cannot be imported; the message says why and what to do about it."""
