"""The diff engine: two versions in, plain frozen dataclasses out; no Django here.

``diff_versions`` compares two versions clause by clause; ``diff_texts`` compares two texts.
Build the input from clause rows with ``clause_texts_from_rows``.
"""

from __future__ import annotations

from .align import ACROSS_THRESHOLD, align_by_similarity, diff_versions, unchanged_clause
from .results import (
    AlignedPair,
    ClauseDiff,
    ClauseText,
    DiffStats,
    Op,
    SimilarityAlignment,
    Status,
    TextDiff,
    VersionDiff,
    clause_texts_from_rows,
    new_side,
    old_side,
)
from .words import diff_split, diff_texts, tokenize

__all__ = [
    "ACROSS_THRESHOLD",
    "AlignedPair",
    "ClauseDiff",
    "ClauseText",
    "DiffStats",
    "Op",
    "SimilarityAlignment",
    "Status",
    "TextDiff",
    "VersionDiff",
    "align_by_similarity",
    "clause_texts_from_rows",
    "diff_split",
    "diff_texts",
    "diff_versions",
    "new_side",
    "old_side",
    "tokenize",
    "unchanged_clause",
]
