"""The database refuses a decision, an assessment or a ruling on a screening hit from someone who
already played another part in the same proposal (separation of duties; see
``reviews.permissions.Duty``).

A check constraint cannot look at other rows, so triggers do it: PL/pgSQL functions on
PostgreSQL, ``RAISE(ABORT)`` triggers on SQLite, both raising an integrity error. SQLite drops a
table's triggers when a migration rebuilds that table; tests/reviews/test_separation_of_duties.py
checks on both databases that the triggers still refuse, so such a migration must install them
again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

PROPOSAL_OF_HIT = "(SELECT r.proposal_id FROM reviews_screeningrun r WHERE r.id = NEW.run_id)"

# The part each guarded row plays: the table, its person column, how to reach its proposal, the
# other parts it may not be combined with, and the events that fire the check.
PARTS = {
    "decide": (
        "reviews_decision",
        "decided_by_id",
        "NEW.proposal_id",
        ("submit", "risk_benefit", "security", "adjudicate"),
        (),
    ),
    "risk_benefit": (
        "reviews_riskbenefitassessment",
        "assessor_id",
        "NEW.proposal_id",
        ("submit", "security", "adjudicate", "decide"),
        ("assessor_id",),
    ),
    "security": (
        "reviews_securityassessment",
        "assessor_id",
        "NEW.proposal_id",
        ("submit", "risk_benefit", "decide"),
        ("assessor_id",),
    ),
    "adjudicate": (
        "reviews_screeninghit",
        "adjudicated_by_id",
        PROPOSAL_OF_HIT,
        ("submit", "risk_benefit", "decide"),
        ("adjudicated_by_id",),
    ),
}

MESSAGES = {
    "decide": "separation of duties: the decider submitted, assessed or adjudicated this proposal",
    "risk_benefit": (
        "separation of duties: the risk-benefit assessor took another part in this proposal"
    ),
    "security": "separation of duties: the security assessor took another part in this proposal",
    "adjudicate": "separation of duties: the adjudicator took another part in this proposal",
}


def _played(part: str, person: str, proposal: str) -> str:
    """SQL that is true when ``person`` already played ``part`` in ``proposal``."""
    if part == "submit":
        return f"{person} = (SELECT p.submitter_id FROM reviews_proposal p WHERE p.id = {proposal})"  # nosec B608 - fixed names, no input
    if part == "adjudicate":
        return (
            "EXISTS (SELECT 1 FROM reviews_screeninghit h JOIN reviews_screeningrun r "  # nosec B608 - fixed names, no input
            f"ON r.id = h.run_id WHERE r.proposal_id = {proposal} "
            f"AND h.adjudicated_by_id = {person})"
        )
    table, column = {
        "risk_benefit": ("reviews_riskbenefitassessment", "assessor_id"),
        "security": ("reviews_securityassessment", "assessor_id"),
        "decide": ("reviews_decision", "decided_by_id"),
    }[part]
    return f"EXISTS (SELECT 1 FROM {table} x WHERE x.proposal_id = {proposal} AND x.{column} = {person})"  # nosec B608 - fixed names, no input


def _conflict(part: str) -> str:
    _, column, proposal, others, _ = PARTS[part]
    person = f"NEW.{column}"
    checks = " OR ".join(_played(other, person, proposal) for other in others)
    return f"{person} IS NOT NULL AND ({checks})"


def _name(part: str) -> str:
    return f"reviews_{part}_separate_duties"


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for part, (table, _, _, _, updated) in PARTS.items():
        name = _name(part)
        events = "INSERT" + (f" OR UPDATE OF {', '.join(updated)}" if updated else "")
        if vendor == "postgresql":
            # Why: params=None keeps any "%" away from parameter merging, as in append_only.
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN
                    IF {_conflict(part)} THEN
                        RAISE EXCEPTION USING
                            ERRCODE = 'integrity_constraint_violation',
                            MESSAGE = '{MESSAGES[part]}';
                    END IF;
                    RETURN NEW;
                END
                $$ LANGUAGE plpgsql;
                """,
                params=None,
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE {events} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}();"
            )
        elif vendor == "sqlite":
            sqlite_events = ["INSERT"] + ([f"UPDATE OF {', '.join(updated)}"] if updated else [])
            for number, event in enumerate(sqlite_events):
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_{number} BEFORE {event} ON {table} FOR EACH ROW "
                    f"WHEN {_conflict(part)} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGES[part]}'); END;",
                    params=None,
                )


def remove(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for part, (table, _, _, _, _) in PARTS.items():
        name = _name(part)
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}();")
        elif vendor == "sqlite":
            for number in range(2):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{number};")


class Migration(migrations.Migration):
    dependencies = [("reviews", "0013_security_clears_named_matches")]

    operations = [migrations.RunPython(install, remove)]
