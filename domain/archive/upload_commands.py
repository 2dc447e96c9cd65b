"""What a caller asks of the archive's upload and import (docs/archive.md §6.4): store a workbook,
then import it — a dry run first, then for real from the same upload."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class StoreUpload:
    project_id: UUID
    file_name: str
    data: bytes
    kind: str = "archive"  # upload_model.KINDS: the archive, or opening balances (fees §6.8)


@dataclass(frozen=True, slots=True)
class RequestImport:
    upload_id: UUID
    dry_run: bool = True
    idempotency_key: str | None = None
