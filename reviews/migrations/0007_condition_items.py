"""Conditions of approvals become tracked items (text, owner, due date, status, evidence).

Decisions recorded before keep their conditions text unchanged (it is sealed in the audit
chain); each line of it becomes an item owned by the submitter, with no due date, and a
history row naming the decider. On PostgreSQL the new history table is append-only.
"""

import re
from typing import Any

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from sta_tracker import append_only

FUNCTION = "reviews_refuse_change"
HISTORY_TABLES = ("reviews_historicalconditionitem",)
MIGRATED = "Conditions of a decision recorded as text, one item a line, when items were introduced"


# As reviews.services.conditions.conditions_from_text reads them, frozen here so that the
# migration keeps doing what it did: one condition a line, list marks dropped.
_LIST_MARK = re.compile(r"^\s*(?:[-*•–]|\(?\d{1,3}[.)])\s+")


def _lines(text: str) -> list[str]:
    return [c for c in (_LIST_MARK.sub("", line).strip() for line in text.splitlines()) if c]


def items_from_text(apps: Any, schema_editor: Any) -> None:
    Decision = apps.get_model("reviews", "Decision")
    ConditionItem = apps.get_model("reviews", "ConditionItem")
    HistoricalConditionItem = apps.get_model("reviews", "HistoricalConditionItem")
    now = timezone.now()
    decided = Decision.objects.filter(outcome="approve_with_conditions").order_by("pk")
    for decision in decided.iterator():
        for number, text in enumerate(_lines(decision.conditions), start=1):
            row = ConditionItem.objects.create(
                proposal_id=decision.proposal_id,
                decision_id=decision.pk,
                number=number,
                text=text,
                owner="submitter",
                due_on=None,
            )
            HistoricalConditionItem.objects.create(
                id=row.pk,
                proposal_id=row.proposal_id,
                decision_id=row.decision_id,
                number=row.number,
                text=row.text,
                owner=row.owner,
                due_on=None,
                status=row.status,
                resolution_reason="",
                evidence="",
                history_date=now,
                history_type="+",
                history_user_id=decision.decided_by_id,
                history_change_reason=MIGRATED,
            )



class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0006_append_only_everywhere'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='notificationoutbox',
            name='kind',
            field=models.CharField(choices=[('hits_to_adjudicate', 'Screening hits to adjudicate'), ('entered_review', 'Entered review'), ('returned', 'Returned for changes'), ('decided', 'Decision recorded'), ('suspended', 'Suspended'), ('resumed', 'Resumed'), ('terminated', 'Terminated'), ('reminder', 'Reminder'), ('clause_changed', 'A cited clause changed'), ('condition_resolved', 'A condition met or waived')], max_length=32),
        ),
        migrations.AlterField(
            model_name='proposalevent',
            name='action',
            field=models.CharField(choices=[('submit', 'Submit'), ('resubmit', 'Resubmit'), ('withdraw', 'Withdraw'), ('screen', 'Screen (hits to adjudicate)'), ('screen_clear', 'Screen (nothing to adjudicate)'), ('adjudicate', 'Adjudicate a screening hit'), ('adjudicate_last', 'Adjudicate the last screening hit'), ('assess_risk_benefit', 'Assess risks and benefits'), ('assess_security', 'Assess national security'), ('return', 'Return for changes'), ('approve', 'Approve'), ('approve_with_conditions', 'Approve with conditions'), ('reject', 'Reject'), ('suspend', 'Suspend'), ('resume', 'Resume'), ('resume_with_conditions', 'Resume (with conditions)'), ('terminate', 'Terminate'), ('acknowledge_conditions', 'Acknowledge the conditions'), ('meet_condition', 'Mark a condition met'), ('waive_condition', 'Waive a condition')], max_length=32),
        ),
        migrations.CreateModel(
            name='HistoricalConditionItem',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(help_text='Its place in the decision, from 1.')),
                ('text', models.TextField()),
                ('owner', models.CharField(choices=[('submitter', 'The submitter'), ('agency', 'The agency')], max_length=16)),
                ('due_on', models.DateField(blank=True, help_text='Empty only for conditions recorded as plain text before they were tracked.', null=True)),
                ('status', models.CharField(choices=[('open', 'Open'), ('met', 'Met'), ('waived', 'Waived')], default='open', max_length=16)),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('resolution_reason', models.TextField(blank=True)),
                ('evidence', models.TextField(blank=True, verbose_name='evidence note')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('acknowledged_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('decision', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.decision')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('proposal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.proposal')),
                ('resolved_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical condition item',
                'verbose_name_plural': 'historical condition items',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ConditionItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(help_text='Its place in the decision, from 1.')),
                ('text', models.TextField()),
                ('owner', models.CharField(choices=[('submitter', 'The submitter'), ('agency', 'The agency')], max_length=16)),
                ('due_on', models.DateField(blank=True, help_text='Empty only for conditions recorded as plain text before they were tracked.', null=True)),
                ('status', models.CharField(choices=[('open', 'Open'), ('met', 'Met'), ('waived', 'Waived')], default='open', max_length=16)),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('resolution_reason', models.TextField(blank=True)),
                ('evidence', models.TextField(blank=True, verbose_name='evidence note')),
                ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('decision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='condition_items', to='reviews.decision')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='conditions', to='reviews.proposal')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['proposal', 'decision', 'number'],
                'indexes': [models.Index(fields=['status', 'due_on'], name='reviews_con_status_50d57a_idx')],
                'constraints': [models.UniqueConstraint(fields=('decision', 'number'), name='condition_numbered_once'), models.CheckConstraint(condition=models.Q(('text', ''), _negated=True), name='condition_has_text'), models.CheckConstraint(condition=models.Q(('owner__in', ['submitter', 'agency'])), name='condition_owner_valid'), models.CheckConstraint(condition=models.Q(models.Q(('acknowledged_at__isnull', True), ('acknowledged_by__isnull', True)), models.Q(('acknowledged_at__isnull', False), ('acknowledged_by__isnull', False)), _connector='OR'), name='condition_acknowledged_by_someone'), models.CheckConstraint(condition=models.Q(models.Q(('resolution_reason', ''), ('resolved_at__isnull', True), ('resolved_by__isnull', True), ('status', 'open')), models.Q(('resolved_at__isnull', False), ('resolved_by__isnull', False), ('status__in', ['met', 'waived']), models.Q(('resolution_reason', ''), _negated=True)), _connector='OR'), name='condition_resolved_with_reason')],
            },
        ),
        migrations.RunPython(items_from_text, migrations.RunPython.noop),
        append_only.operation(FUNCTION, HISTORY_TABLES),
    ]
