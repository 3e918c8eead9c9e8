"""On PostgreSQL, every history table, the events, the decisions and the audit chain refuse
UPDATE, DELETE and TRUNCATE (0002 already refused row changes to events and decisions)."""

from typing import Any

from django.db import migrations

from sta_tracker import append_only

FUNCTION = "reviews_refuse_change"
HISTORY_TABLES = (
    "reviews_historicalproposal",
    "reviews_historicalproposal_cited_clauses",
    "reviews_historicalpartnerinstitution",
    "reviews_historicalpartnerperson",
    "reviews_historicalproposalattachment",
    "reviews_historicalcetedition",
    "reviews_historicalcetcategory",
    "reviews_historicalcetterm",
    "reviews_historicalscreeninglist",
    "reviews_historicalscreeninghit",
    "reviews_historicalriskbenefitassessment",
    "reviews_historicalrubricscore",
    "reviews_historicalsecurityassessment",
    "reviews_historicaldecision",
    "reviews_historicalclausechangeflag",
)
# Row triggers from 0002.
GUARDED_BY_0002 = ("reviews_decision", "reviews_decision_cited_clauses", "reviews_proposalevent")
CHAIN = ("reviews_auditlink",)


def install(apps: Any, schema_editor: Any) -> None:
    append_only.refuse_row_changes(schema_editor, FUNCTION, HISTORY_TABLES + CHAIN)
    append_only.refuse_truncate(schema_editor, FUNCTION, HISTORY_TABLES + GUARDED_BY_0002 + CHAIN)


def remove(apps: Any, schema_editor: Any) -> None:
    append_only.allow_truncate(schema_editor, HISTORY_TABLES + GUARDED_BY_0002 + CHAIN)
    append_only.allow_row_changes(schema_editor, HISTORY_TABLES + CHAIN)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0005_audit_chain")]

    operations = [migrations.RunPython(install, remove)]
