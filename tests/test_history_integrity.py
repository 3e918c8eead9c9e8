"""Every history row written by the reference-data and import paths names a user and a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from simple_history.models import registered_models

pytestmark = pytest.mark.django_db

AMENDING_TEXT = """Protocol amending the Agreement

Article 1
The Parties shall cooperate in basic research on the basis of equality and reciprocity.

Article 2
Each Party may terminate cooperation on six months' written notice.
"""


def history_rows_missing_user_or_reason() -> list[str]:
    problems = []
    # Many-to-many history rows hang off their owner's row, which carries the user and reason.
    owners = [m for m in set(registered_models.values()) if hasattr(m, "history")]
    for model in owners:
        for record in model.history.all():
            if record.history_user_id is None or not (record.history_change_reason or "").strip():
                problems.append(f"{model.__name__} {record.pk} ({record.history_type})")
    return problems


def test_loading_the_sta_and_importing_a_text_leave_no_anonymous_history(
    tmp_path: Path, erin: Any
) -> None:
    call_command("load_sta", verbosity=0)
    source = tmp_path / "protocol.txt"
    source.write_text(AMENDING_TEXT, encoding="utf-8")
    call_command(
        "import_instrument",
        str(source),
        agreement="sta",
        label="2030-protocol",
        kind="protocol",
        signed_on="2029-08-01",
        effective_from="2029-08-27",
        verbosity=0,
    )
    assert history_rows_missing_user_or_reason() == []


def test_the_check_itself_notices_a_row_without_a_reason(erin: Any) -> None:
    from clauses.models import Agreement

    other = Agreement.objects.create(slug="other", title="Other", short_title="Other")
    record = other.history.get()
    assert history_rows_missing_user_or_reason() == [f"Agreement {record.pk} (+)"]
