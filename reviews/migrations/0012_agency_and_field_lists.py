"""U.S. agency and scientific field become entries of lists kept in the admin.

Every distinct free-text value of a proposal becomes an entry (values differing only in case or
spacing share one), and the proposal points at it. History rows are append-only, so those
written before keep their text in ``us_agency_text`` / ``scientific_field_text``; on
PostgreSQL the new history tables refuse changes like the others.
"""

from typing import Any

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from sta_tracker import append_only

FUNCTION = "reviews_refuse_change"
HISTORY_TABLES = ("reviews_historicalagency", "reviews_historicalscientificfield")
REASON = "Made a list entry of a value proposals gave as free text"
# (proposal field, list model)
LISTS = (("us_agency", "Agency"), ("scientific_field", "ScientificField"))


def _system_user(apps: Any) -> Any:
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    user_model = apps.get_model(app_label, model_name)
    user, _ = user_model.objects.get_or_create(
        username=settings.STA_SYSTEM_USERNAME,
        defaults={
            "is_active": False,
            "first_name": "STA Tracker",
            "last_name": "(system)",
            "password": "!unusable-system-account",
        },
    )
    return user


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def entries_from_free_text(apps: Any, schema_editor: Any) -> None:
    """Make an entry of every distinct value and point each proposal at its entry."""
    proposal_model = apps.get_model("reviews", "Proposal")
    user = None
    for field, model_name in LISTS:
        entry_model = apps.get_model("reviews", model_name)
        history_model = apps.get_model("reviews", f"Historical{model_name}")
        entries = {_key(e.name): e for e in entry_model.objects.all()}
        values = proposal_model.objects.exclude(**{f"{field}_text": ""}).order_by("pk")
        for proposal in values:
            text = " ".join(getattr(proposal, f"{field}_text").split())
            if not text:
                continue
            entry = entries.get(_key(text))
            if entry is None:
                entry = entry_model.objects.create(name=text[:200])
                entries[_key(text)] = entry
                user = user or _system_user(apps)
                # Why by hand: historical models in a migration send no signals, so
                # simple-history writes no row; the list's history still starts here.
                history_model.objects.create(
                    id=entry.pk,
                    name=entry.name,
                    active=entry.active,
                    order=entry.order,
                    history_date=timezone.now(),
                    history_type="+",
                    history_user=user,
                    history_change_reason=REASON,
                )
            setattr(proposal, f"{field}_id", entry.pk)
            proposal.save(update_fields=[field])
    if schema_editor.connection.vendor == "postgresql":
        # Why: the FK checks are deferred; pending, they would stop the columns' removal below.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def free_text_from_entries(apps: Any, schema_editor: Any) -> None:
    proposal_model = apps.get_model("reviews", "Proposal")
    for proposal in proposal_model.objects.select_related("us_agency", "scientific_field"):
        for field, _ in LISTS:
            entry = getattr(proposal, field)
            setattr(proposal, f"{field}_text", entry.name if entry else "")
        proposal.save(update_fields=[f"{field}_text" for field, _ in LISTS])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")



def _entry_fields() -> list[tuple[str, Any]]:
    return [
        ("name", models.CharField(max_length=200, unique=True)),
        (
            "active",
            models.BooleanField(
                default=True,
                help_text="Offered on the proposal form and in the API; old proposals keep it.",
            ),
        ),
        (
            "order",
            models.PositiveSmallIntegerField(
                default=0, help_text="Lists show entries by this number, then by name."
            ),
        ),
    ]


def _history_fields() -> list[tuple[str, Any]]:
    return [
        (
            "id",
            models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
        ),
        ("name", models.CharField(db_index=True, max_length=200)),
        *_entry_fields()[1:],
        ("history_id", models.AutoField(primary_key=True, serialize=False)),
        ("history_date", models.DateTimeField(db_index=True)),
        ("history_change_reason", models.TextField(null=True)),
        (
            "history_type",
            models.CharField(
                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
            ),
        ),
        (
            "history_user",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]


def _history_options(name: str, plural: str) -> dict[str, Any]:
    return {
        "verbose_name": f"historical {name}",
        "verbose_name_plural": f"historical {plural}",
        "ordering": ("-history_date", "-history_id"),
        "get_latest_by": ("history_date", "history_id"),
    }


def _id() -> Any:
    return models.BigAutoField(
        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0011_condition_and_assignment_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Agency",
            fields=[("id", _id()), *_entry_fields()],
            options={
                "verbose_name": "U.S. agency",
                "verbose_name_plural": "U.S. agencies",
                "ordering": ["order", "name"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="ScientificField",
            fields=[("id", _id()), *_entry_fields()],
            options={
                "verbose_name": "scientific field",
                "ordering": ["order", "name"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="HistoricalAgency",
            fields=_history_fields(),
            options=_history_options("U.S. agency", "U.S. agencies"),
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalScientificField",
            fields=_history_fields(),
            options=_history_options("scientific field", "scientific fields"),
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        append_only.operation(FUNCTION, HISTORY_TABLES),
        # The free text moves aside, on proposals for now and on their history for good.
        migrations.RenameField("proposal", "us_agency", "us_agency_text"),
        migrations.RenameField("proposal", "scientific_field", "scientific_field_text"),
        migrations.RenameField("historicalproposal", "us_agency", "us_agency_text"),
        migrations.RenameField("historicalproposal", "scientific_field", "scientific_field_text"),
        migrations.AlterField(
            model_name="historicalproposal",
            name="us_agency_text",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="U.S. agency (free text)"
            ),
        ),
        migrations.AlterField(
            model_name="historicalproposal",
            name="scientific_field_text",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="scientific field (free text)"
            ),
        ),
        migrations.AddField(
            model_name="proposal",
            name="us_agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="proposals",
                to="reviews.agency",
                verbose_name="U.S. agency",
            ),
        ),
        migrations.AddField(
            model_name="proposal",
            name="scientific_field",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="proposals",
                to="reviews.scientificfield",
            ),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="us_agency",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="reviews.agency",
                verbose_name="U.S. agency",
            ),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="scientific_field",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="reviews.scientificfield",
            ),
        ),
        migrations.RunPython(entries_from_free_text, free_text_from_entries),
        migrations.RemoveField("proposal", "us_agency_text"),
        migrations.RemoveField("proposal", "scientific_field_text"),
        # The form's wording of the basic-research questions is now the model's.
        migrations.AlterField(
            model_name="proposal",
            name="basic_research_declared",
            field=models.BooleanField(
                default=False,
                help_text="The 2024 text limits cooperation to basic research.",
                verbose_name="declared basic research",
            ),
        ),
        migrations.AlterField(
            model_name="historicalproposal",
            name="basic_research_declared",
            field=models.BooleanField(
                default=False,
                help_text="The 2024 text limits cooperation to basic research.",
                verbose_name="declared basic research",
            ),
        ),
        migrations.AlterField(
            model_name="proposal",
            name="basic_research_explanation",
            field=models.TextField(blank=True, verbose_name="why it is basic research"),
        ),
        migrations.AlterField(
            model_name="historicalproposal",
            name="basic_research_explanation",
            field=models.TextField(blank=True, verbose_name="why it is basic research"),
        ),
    ]
