"""The shared append-only RunPython emits exactly the SQL the migrations' own pairs emitted."""

from __future__ import annotations

from typing import Any

from sta_tracker import append_only

TABLES = ("reviews_historicaltravelplan", "reviews_incident")
FUNCTION = "reviews_refuse_change"


class _Connection:
    def __init__(self, vendor: str) -> None:
        self.vendor = vendor


class _RecordingEditor:
    """Stands in for a schema editor and keeps each statement it is asked to run."""

    def __init__(self, vendor: str = "postgresql") -> None:
        self.connection = _Connection(vendor)
        self.statements: list[str] = []

    def execute(self, sql: str, params: Any = ()) -> None:
        self.statements.append(sql)


def _old_install(editor: _RecordingEditor) -> None:
    # As migrations 0007, 0010, 0012, 0015 and 0016 wrote it before the shared operation.
    append_only.refuse_row_changes(editor, FUNCTION, TABLES)
    append_only.refuse_truncate(editor, FUNCTION, TABLES)


def _old_remove(editor: _RecordingEditor) -> None:
    append_only.allow_truncate(editor, TABLES)
    append_only.allow_row_changes(editor, TABLES)


def test_operation_installs_the_same_sql_as_the_old_pair() -> None:
    old, new = _RecordingEditor(), _RecordingEditor()
    _old_install(old)
    append_only.operation(FUNCTION, TABLES).code(None, new)
    assert new.statements == old.statements
    assert len(new.statements) == 2 * len(TABLES)
    assert "BEFORE TRUNCATE ON reviews_incident" in new.statements[-1]


def test_operation_removes_the_same_sql_as_the_old_pair() -> None:
    old, new = _RecordingEditor(), _RecordingEditor()
    _old_remove(old)
    append_only.operation(FUNCTION, TABLES).reverse_code(None, new)
    assert new.statements == old.statements
    assert new.statements[0].startswith(
        "DROP TRIGGER IF EXISTS reviews_historicaltravelplan_no_truncate"
    )


def test_operation_emits_nothing_off_postgresql() -> None:
    editor = _RecordingEditor(vendor="sqlite")
    operation = append_only.operation(FUNCTION, TABLES)
    operation.code(None, editor)
    operation.reverse_code(None, editor)
    assert editor.statements == []
