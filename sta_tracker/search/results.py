"""What a search returns: frozen dataclasses the page, the API and the benchmark read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.safestring import SafeString

from clauses.models import language_name


@dataclass(frozen=True)
class VersionMention:
    """A version holding the provision: its title, page and whether it changed the text."""

    label: str
    title: str
    url: str
    changed: bool
    matched: bool


@dataclass(frozen=True)
class ProvisionHit:
    """One provision (an agreement's clause key through its versions) and its latest match."""

    agreement_slug: str
    agreement_title: str
    key: str
    kind: str
    title: str
    title_html: SafeString
    number: str
    heading: str
    snippet_html: SafeString
    url: str
    history_url: str
    rank: float
    clause_id: int
    language: str
    version_id: int
    version_label: str
    version_title: str
    in_force_from: dt.date
    in_force_until: dt.date | None
    period: str
    text_status: str
    text_notice: str
    versions: tuple[VersionMention, ...]
    versions_text: str

    @property
    def language_label(self) -> str:
        return language_name(self.language)


@dataclass(frozen=True)
class ProposalHit:
    proposal_id: int
    title: str
    title_html: SafeString
    state: str
    state_label: str
    snippet_html: SafeString
    url: str
    rank: float


@dataclass(frozen=True)
class DocumentHit:
    """A provision of an instrument's own text (a protocol, an exchange of letters)."""

    instrument_title: str
    agreement_title: str
    number: str
    heading_html: SafeString
    snippet_html: SafeString
    url: str


@dataclass(frozen=True)
class SearchResults:
    query: str
    terms: tuple[str, ...]
    method: str
    method_note: str
    # Provisions found (among the ranked candidates when ``ranked_among`` is set).
    total: int
    provisions: tuple[ProvisionHit, ...]
    # Clauses found, in every version; the planner's estimate, rounded, when ``total_estimated``.
    clause_total: int
    proposal_total: int
    proposals: tuple[ProposalHit, ...]
    documents: tuple[DocumentHit, ...] = ()
    more_documents: bool = False
    total_estimated: bool = False
    ranked_among: int = 0
    # The notices of the texts shown (illustrative, partial...), once each.
    notices: tuple[str, ...] = ()
    # What nothing was found for, when the results are those of ``corrected``.
    corrected: str = ""
    suggestion: str = ""
    # A plain sentence when the language asked for (or written in) has no text to search.
    language_message: str = ""
    # Single letters or digits left out of the query, and the sentence saying so.
    ignored: tuple[str, ...] = ()
    ignored_message: str = ""
