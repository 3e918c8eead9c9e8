from __future__ import annotations

from django.apps import AppConfig


class StaTrackerConfig(AppConfig):
    name = "sta_tracker"
    verbose_name = "STA Tracker"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import pre_delete, pre_save
        from simple_history.signals import pre_create_historical_record

        from .database import install_client_deadline
        from .history import refuse_unrecorded_history, refuse_unrecorded_write
        from .pagecache import install_write_watch

        install_client_deadline()
        # Why every connection, whatever the settings: a command or a worker writes too, and a
        # kept page must not outlive its data (sta_tracker/pagecache.py).
        connection_created.connect(install_write_watch, dispatch_uid="sta_pages_write_watch")

        # Why no sender: every historied model, including those added later, is covered.
        pre_save.connect(refuse_unrecorded_write, dispatch_uid="sta_refuse_unrecorded_save")
        pre_delete.connect(refuse_unrecorded_write, dispatch_uid="sta_refuse_unrecorded_delete")
        pre_create_historical_record.connect(
            refuse_unrecorded_history, dispatch_uid="sta_refuse_unrecorded_history"
        )
