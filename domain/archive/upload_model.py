"""The rules of an upload and of an import request (docs/archive.md §6.4), pure: what a stored
workbook must be, and what a request records — the audit row (no personal data: sizes, checksum,
dry run) and the `archive.import_requested` event the worker's consumer hears."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from uuid import UUID, uuid4

from domain.archive.workbook import MAX_BYTES
from domain.errors import DomainError, ErrorCode, ErrorReason, invalid
from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry
from tenants.roles import Permission

__all__ = ["KINDS", "MAX_BYTES", "ImportRequest", "StoredUpload", "clean_file_name", "import_kind", "import_running",
           "too_large", "upload_expired"]
MAX_NAME = 255
# What an uploaded workbook is, and what importing it needs: the pipeline is one, the data is not.
KINDS: dict[str, Permission] = {"archive": Permission.ARCHIVE_IMPORT, "fee_opening": Permission.FEE_IMPORT}


def import_kind(kind: str | None) -> str:
    """`archive` when not given; an unknown kind is VALIDATION."""
    if not kind:
        return "archive"
    if kind not in KINDS:
        raise invalid(f"未知的导入类型“{kind[:30]}”（可用：{'、'.join(KINDS)}）。kind must be one of {', '.join(KINDS)}.", "kind")
    return kind


def clean_file_name(name: str | None) -> str:
    """The last path part, without control characters, at most 255 characters ('' when none)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return kept[:MAX_NAME]


def too_large(size: int) -> DomainError:
    return DomainError(ErrorCode.VALIDATION, f"文件过大（{size / 1048576:.1f} MB），上限 20 MB。"
                                             f"The file is too large ({size} bytes; the limit is 20 MB).", "body")


@dataclass(kw_only=True)
class StoredUpload(Aggregate):
    org_id: UUID
    project_id: UUID
    id: UUID
    file_name: str
    size: int
    sha256: str
    kind: str = "archive"

    @classmethod
    def receive(cls, *, org_id: UUID, project_id: UUID, file_name: str | None, data: bytes,
                kind: str = "archive") -> StoredUpload:
        if not data:
            raise invalid("文件为空，请选择要导入的 Excel 工作簿。The body is empty: send the workbook.", "body")
        if len(data) > MAX_BYTES:
            raise too_large(len(data))
        u = cls(org_id=org_id, project_id=project_id, id=uuid4(), file_name=clean_file_name(file_name), size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), kind=kind)
        u.audit.append(AuditEntry("archive.uploaded", "archive_upload", u.id, project_id=project_id,
                                  data={"size": u.size, "sha256": u.sha256, "kind": kind}))
        return u


@dataclass(kw_only=True)
class ImportRequest(Aggregate):
    org_id: UUID
    project_id: UUID
    id: UUID
    upload_id: UUID
    dry_run: bool

    @classmethod
    def queue(cls, *, org_id: UUID, project_id: UUID, upload_id: UUID, sha256: str, dry_run: bool) -> ImportRequest:
        r = cls(org_id=org_id, project_id=project_id, id=uuid4(), upload_id=upload_id, dry_run=dry_run)
        event = Event("archive.import_requested", org_id, project_id, {"import_id": str(r.id), "dry_run": dry_run})
        r.events.append(event)
        r.audit.append(AuditEntry("archive.import_requested", "archive_import", r.id, project_id=project_id,
                                  data={"uploadId": str(upload_id), "sha256": sha256, "dryRun": dry_run},
                                  event_id=event.id))
        return r


def import_running() -> DomainError:
    return DomainError(ErrorCode.CONFLICT, "该项目正在导入，请等待当前导入完成。Another import of this project is queued or running.",
                       "uploadId", reason=ErrorReason.IMPORT_RUNNING)


def upload_expired() -> DomainError:
    return DomainError(ErrorCode.INVALID_STATE, "上传的文件已过期（保留 24 小时），请重新上传。"
                                                "The upload has expired (uploads are kept 24 hours): upload the file again.",
                       "uploadId")
