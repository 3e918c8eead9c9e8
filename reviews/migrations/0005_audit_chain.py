"""The audit chain's links, and a link for every event and decision already written."""

from typing import Any

import django.utils.timezone
from django.db import migrations, models

from reviews.audit import DECISION, EVENT, GENESIS, decision_content, event_content, link_hash


def seal_existing(apps: Any, schema_editor: Any) -> None:
    """Seal the events and decisions written before the chain existed, oldest first.

    A decision and the event of its transition share a transaction; the decision was written
    first, so it comes first at equal times.
    """
    event_model = apps.get_model("reviews", "ProposalEvent")
    decision_model = apps.get_model("reviews", "Decision")
    link_model = apps.get_model("reviews", "AuditLink")
    records: list[tuple[Any, int, str, int, dict[str, Any]]] = []
    for event in event_model.objects.order_by("pk"):
        records.append((event.created_at, 1, EVENT, event.pk, event_content(event)))
    for decision in decision_model.objects.order_by("pk"):
        cited = decision.cited_clauses.values_list("pk", flat=True)
        records.append(
            (decision.decided_at, 0, DECISION, decision.pk, decision_content(decision, cited))
        )
    records.sort(key=lambda r: (r[0], r[1], r[3]))
    prev = GENESIS
    for seq, (_, _, kind, record_id, content) in enumerate(records, start=1):
        digest = link_hash(seq, kind, record_id, prev, content)
        link_model.objects.create(
            seq=seq, kind=kind, record_id=record_id, prev_hash=prev, hash=digest
        )
        prev = digest


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_clause_change_flags"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seq",
                    models.PositiveBigIntegerField(
                        help_text="Position in the chain, from 1.", unique=True
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("event", "Transition event"), ("decision", "Decision")],
                        max_length=16,
                    ),
                ),
                ("record_id", models.PositiveBigIntegerField()),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["seq"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "record_id"), name="audit_link_one_per_record"
                    )
                ],
            },
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
