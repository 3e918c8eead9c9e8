"""The programme report: the figures of any period, and the page, CSV and DOCX made of them."""

from __future__ import annotations

from .figures import ProgrammeReport, programme_report

__all__ = ["ProgrammeReport", "programme_report"]
