"""A clause's wording in one version, for the clause page: ``{{ row|clause_text }}``."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from clauses.reading.read_models import ClauseInVersion
from clauses.reading.text_html import clause_text_html

register = template.Library()


@register.filter
def clause_text(row: ClauseInVersion) -> SafeString:
    return clause_text_html(row)
