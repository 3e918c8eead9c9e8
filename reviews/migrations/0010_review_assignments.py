"""Assignments of a proposal's assessments, with their history; assigning is a proposal action
and a kind of mail.

On PostgreSQL the new history table refuses UPDATE, DELETE and TRUNCATE like the others (0006).
"""


import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from sta_tracker import append_only

FUNCTION = "reviews_refuse_change"
HISTORY_TABLES = ("reviews_historicalassignment",)



class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0009_screening_across_scripts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='notificationoutbox',
            name='kind',
            field=models.CharField(choices=[('hits_to_adjudicate', 'Screening hits to adjudicate'), ('entered_review', 'Entered review'), ('returned', 'Returned for changes'), ('decided', 'Decision recorded'), ('suspended', 'Suspended'), ('resumed', 'Resumed'), ('terminated', 'Terminated'), ('reminder', 'Reminder'), ('clause_changed', 'A cited clause changed'), ('assigned', 'Assessment assigned')], max_length=32),
        ),
        migrations.AlterField(
            model_name='proposalevent',
            name='action',
            field=models.CharField(choices=[('submit', 'Submit'), ('resubmit', 'Resubmit'), ('withdraw', 'Withdraw'), ('screen', 'Screen (hits to adjudicate)'), ('screen_clear', 'Screen (nothing to adjudicate)'), ('adjudicate', 'Adjudicate a screening hit'), ('adjudicate_last', 'Adjudicate the last screening hit'), ('assess_risk_benefit', 'Assess risks and benefits'), ('assess_security', 'Assess national security'), ('return', 'Return for changes'), ('approve', 'Approve'), ('approve_with_conditions', 'Approve with conditions'), ('reject', 'Reject'), ('suspend', 'Suspend'), ('resume', 'Resume'), ('resume_with_conditions', 'Resume (with conditions)'), ('terminate', 'Terminate'), ('assign', 'Assign an assessment')], max_length=32),
        ),
        migrations.CreateModel(
            name='HistoricalAssignment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('step', models.CharField(choices=[('risk_benefit', 'Risk–benefit assessment'), ('security', 'National-security assessment')], max_length=32)),
                ('reason', models.TextField()),
                ('assigned_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('assigned_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('assignee', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('proposal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.proposal')),
            ],
            options={
                'verbose_name': 'historical assignment',
                'verbose_name_plural': 'historical assignments',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('step', models.CharField(choices=[('risk_benefit', 'Risk–benefit assessment'), ('security', 'National-security assessment')], max_length=32)),
                ('reason', models.TextField()),
                ('assigned_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('assigned_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('assignee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_assignments', to=settings.AUTH_USER_MODEL)),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='reviews.proposal')),
            ],
            options={
                'ordering': ['proposal', 'step'],
                'indexes': [models.Index(fields=['assignee', 'step'], name='reviews_ass_assigne_84cb1c_idx')],
                'constraints': [models.UniqueConstraint(fields=('proposal', 'step'), name='assignment_one_per_step'), models.CheckConstraint(condition=models.Q(('step__in', ['risk_benefit', 'security'])), name='assignment_step_valid')],
            },
        ),
        append_only.operation(FUNCTION, HISTORY_TABLES),
    ]
