"""Uploads are kept in memory, never in a temporary file, and never held past the limit.

Why: a request cut off mid-upload (a worker killed at its timeout) left Django's temporary
upload files behind. In memory, nothing outlives the process. Bytes past the larger of
``STA_IMPORT_MAX_BYTES`` and ``STA_ATTACHMENT_MAX_BYTES`` are counted and dropped, so the file's
``size`` is the true one and the view refuses it saying by how much, while at most the limit
and one chunk are held.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class BoundedMemoryUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        limit = max(int(settings.STA_IMPORT_MAX_BYTES), int(settings.STA_ATTACHMENT_MAX_BYTES))
        room = max(0, limit + 1 - self.file.tell())
        self.file.write(raw_data[:room])
        self.received += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
