"""The rules of an archive upload and an import request (domain/archive/upload_model.py): what is
kept of a file's name, an empty or oversized body refused, and what a request records — never a
person's data."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from domain.archive.upload_model import MAX_BYTES, ImportRequest, StoredUpload, clean_file_name
from domain.errors import DomainError


@pytest.mark.parametrize(("given", "kept"), [
    ("档案.xlsx", "档案.xlsx"), ("C:\\Users\\王\\Desktop\\档案.xlsx", "档案.xlsx"), ("../../etc/passwd", "passwd"),
    ("a\x00b\nc.xlsx", "abc.xlsx"), (None, ""), ("  ", ""), ("x" * 300 + ".xlsx", "x" * 255),
])
def test_only_the_files_own_name_is_kept(given, kept):
    assert clean_file_name(given) == kept


def test_an_upload_records_its_size_and_checksum_only():
    org, project = uuid.uuid4(), uuid.uuid4()
    u = StoredUpload.receive(org_id=org, project_id=project, file_name="13800138000 王建国.xlsx", data=b"PK\x03\x04data")
    assert (u.size, u.sha256) == (8, hashlib.sha256(b"PK\x03\x04data").hexdigest())
    [entry] = u.audit
    assert (entry.action, entry.entity_id, entry.project_id) == ("archive.uploaded", u.id, project)
    assert entry.data == {"size": 8, "sha256": u.sha256, "kind": "archive"}  # not the name, which may name a person
    assert u.events == []


@pytest.mark.parametrize(("data", "start"), [(b"", "文件为空"), (b"x" * (MAX_BYTES + 1), "文件过大")])
def test_an_empty_or_oversized_body_is_refused(data, start):
    with pytest.raises(DomainError) as refused:
        StoredUpload.receive(org_id=uuid.uuid4(), project_id=uuid.uuid4(), file_name="a.xlsx", data=data)
    assert (refused.value.code, refused.value.field) == ("VALIDATION", "body")
    assert refused.value.message.startswith(start)


def test_a_request_is_announced_and_audited_once():
    upload = uuid.uuid4()
    r = ImportRequest.queue(org_id=uuid.uuid4(), project_id=uuid.uuid4(), upload_id=upload, sha256="ab" * 32, dry_run=False)
    [event], [entry] = r.events, r.audit
    assert (event.topic, event.payload) == ("archive.import_requested", {"import_id": str(r.id), "dry_run": False})
    assert entry.event_id == event.id and entry.data == {"uploadId": str(upload), "sha256": "ab" * 32, "dryRun": False}
