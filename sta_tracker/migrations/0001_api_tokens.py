"""API tokens kept as knox digests; the plain-text DRF tokens that came before are revoked.

Why revoke rather than convert: knox's digest of an old key could be computed, so old keys could
have been kept working, but every one of them was shown in full in the admin to every
administrator. They are deleted, with their table; their owners make new ones on the API tokens
page (docs/security.md).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


PLAIN_TOKENS = "authtoken_token"


def revoke_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if PLAIN_TOKENS not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        (count,) = cursor.fetchone()
    schema_editor.execute("DROP TABLE authtoken_token")
    if count:
        print(f"\n  Revoked {count} plain-text API token(s); their owners must make new ones.")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('token_key', models.CharField(db_index=True, max_length=25)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('expiry', models.DateTimeField(blank=True, null=True)),
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('digest', models.CharField(max_length=128, unique=True)),
                ('label', models.CharField(blank=True, help_text="What the token is for, in its owner's words.", max_length=100)),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('last_used_from', models.GenericIPAddressField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='auth_token_set', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'API token',
                'ordering': ('-created', '-id'),
            },
        ),
        migrations.RunPython(revoke_plain_tokens, migrations.RunPython.noop, elidable=False),
    ]
