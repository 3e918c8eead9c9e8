"""Researcher safety: travel plans (historied), incident reports and what they led to
(append-only; incidents historied too).

On PostgreSQL the new history tables, the incident reports and their follow-ups refuse UPDATE,
DELETE and TRUNCATE. The choices of events and notifications gain the new actions and kinds; a
change of choices alone rebuilds no table, so no trigger of reviews/0006 or 0014 is dropped on
SQLite.
"""


import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from sta_tracker import append_only

FUNCTION = "reviews_refuse_change"
APPEND_ONLY_TABLES = (
    "reviews_historicaltravelplan",
    "reviews_historicalincident",
    "reviews_incident",
    "reviews_incidentfollowup",
)



class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0015_reciprocity_and_disputes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='notificationoutbox',
            name='kind',
            field=models.CharField(choices=[('hits_to_adjudicate', 'Screening hits to adjudicate'), ('entered_review', 'Entered review'), ('returned', 'Returned for changes'), ('decided', 'Decision recorded'), ('suspended', 'Suspended'), ('resumed', 'Resumed'), ('terminated', 'Terminated'), ('reminder', 'Reminder'), ('clause_changed', 'A cited clause changed'), ('condition_resolved', 'A condition met or waived'), ('assigned', 'Assessment assigned'), ('trip_recorded', 'A trip to brief'), ('incident_reported', 'A researcher-safety incident'), ('dispute', 'A dispute moved on')], max_length=32),
        ),
        migrations.AlterField(
            model_name='proposalevent',
            name='action',
            field=models.CharField(choices=[('submit', 'Submit'), ('resubmit', 'Resubmit'), ('withdraw', 'Withdraw'), ('screen', 'Screen (hits to adjudicate)'), ('screen_clear', 'Screen (nothing to adjudicate)'), ('adjudicate', 'Adjudicate a screening hit'), ('adjudicate_last', 'Adjudicate the last screening hit'), ('assess_risk_benefit', 'Assess risks and benefits'), ('assess_security', 'Assess national security'), ('return', 'Return for changes'), ('approve', 'Approve'), ('approve_with_conditions', 'Approve with conditions'), ('reject', 'Reject'), ('suspend', 'Suspend'), ('resume', 'Resume'), ('resume_with_conditions', 'Resume (with conditions)'), ('terminate', 'Terminate'), ('acknowledge_conditions', 'Acknowledge the conditions'), ('meet_condition', 'Mark a condition met'), ('waive_condition', 'Waive a condition'), ('assign', 'Assign an assessment'), ('record_trip', 'Record a trip'), ('record_briefing', 'Record a pre-travel briefing'), ('report_incident', 'Report an incident'), ('record_exchange', 'Record a data exchange'), ('correct_exchange', 'Correct a data exchange'), ('open_dispute', 'Open a dispute (consultation requested)'), ('hold_consultation', 'Hold the consultation'), ('resolve_dispute', 'Resolve the dispute')], max_length=32),
        ),
        migrations.CreateModel(
            name='HistoricalTravelPlan',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('traveller', models.CharField(max_length=200, verbose_name='who travels')),
                ('destination', models.CharField(max_length=300, verbose_name='where')),
                ('host_institution', models.CharField(blank=True, max_length=300)),
                ('starts_on', models.DateField(verbose_name='from')),
                ('ends_on', models.DateField(verbose_name='to')),
                ('purpose', models.TextField()),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('briefing_given_by', models.CharField(blank=True, help_text='The person or office.', max_length=200, verbose_name='briefing given by')),
                ('briefing_given_on', models.DateField(blank=True, null=True, verbose_name='briefing given on')),
                ('device_guidance_given', models.BooleanField(default=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('briefing_recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('proposal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.proposal')),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical travel plan',
                'verbose_name_plural': 'historical travel plans',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='TravelPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('traveller', models.CharField(max_length=200, verbose_name='who travels')),
                ('destination', models.CharField(max_length=300, verbose_name='where')),
                ('host_institution', models.CharField(blank=True, max_length=300)),
                ('starts_on', models.DateField(verbose_name='from')),
                ('ends_on', models.DateField(verbose_name='to')),
                ('purpose', models.TextField()),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('briefing_given_by', models.CharField(blank=True, help_text='The person or office.', max_length=200, verbose_name='briefing given by')),
                ('briefing_given_on', models.DateField(blank=True, null=True, verbose_name='briefing given on')),
                ('device_guidance_given', models.BooleanField(default=False)),
                ('briefing_recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='travel_plans', to='reviews.proposal')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['starts_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Incident',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('detention', 'Detention or questioning'), ('device', 'Device search or seizure'), ('harassment', 'Harassment'), ('data_demand', 'Demand for data'), ('other', 'Other')], max_length=16)),
                ('occurred_on', models.DateField()),
                ('place', models.CharField(max_length=300)),
                ('description', models.TextField()),
                ('reported_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='incidents', to='reviews.proposal')),
                ('reported_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('travel_plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='incidents', to='reviews.travelplan')),
            ],
            options={
                'ordering': ['-occurred_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalIncident',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('detention', 'Detention or questioning'), ('device', 'Device search or seizure'), ('harassment', 'Harassment'), ('data_demand', 'Demand for data'), ('other', 'Other')], max_length=16)),
                ('occurred_on', models.DateField()),
                ('place', models.CharField(max_length=300)),
                ('description', models.TextField()),
                ('reported_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('proposal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.proposal')),
                ('reported_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('travel_plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.travelplan')),
            ],
            options={
                'verbose_name': 'historical incident',
                'verbose_name_plural': 'historical incidents',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='IncidentFollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('dispute', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='incident_follow_up', to='reviews.dispute')),
                ('ground', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='incident_follow_up', to='reviews.projectground')),
                ('incident', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='reviews.incident')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['incident', 'recorded_at', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('dispute__isnull', True), ('ground__isnull', False)), models.Q(('dispute__isnull', False), ('ground__isnull', True)), _connector='OR'), name='incident_follow_up_names_one')],
            },
        ),
        migrations.AddIndex(
            model_name='travelplan',
            index=models.Index(fields=['briefing_given_on', 'starts_on'], name='reviews_tra_briefin_142ec5_idx'),
        ),
        migrations.AddConstraint(
            model_name='travelplan',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='travel_plan_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='travelplan',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('traveller', ''), _negated=True), models.Q(('destination', ''), _negated=True)), name='travel_plan_names_who_and_where'),
        ),
        migrations.AddConstraint(
            model_name='travelplan',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('briefing_given_by', ''), ('briefing_given_on__isnull', True), ('briefing_recorded_by__isnull', True)), models.Q(('briefing_given_on__isnull', False), ('briefing_recorded_by__isnull', False), models.Q(('briefing_given_by', ''), _negated=True)), _connector='OR'), name='travel_plan_briefing_recorded_whole'),
        ),
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(fields=['occurred_on', 'kind'], name='reviews_inc_occurre_f6f0d9_idx'),
        ),
        migrations.AddConstraint(
            model_name='incident',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['detention', 'device', 'harassment', 'data_demand', 'other'])), name='incident_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='incident',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('description', ''), _negated=True), models.Q(('place', ''), _negated=True)), name='incident_says_what_and_where'),
        ),
        append_only.operation(FUNCTION, APPEND_ONLY_TABLES),
    ]
