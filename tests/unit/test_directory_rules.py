"""The directory's input rules, without a database: what a project, login, role grant and API key
must look like, and which field a refusal names."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.directory import rules
from domain.errors import DomainError, ErrorCode
from tenants.roles import Permission, Role


def field_of(check, *args, **kwargs) -> str | None:
    with pytest.raises(DomainError) as caught:
        check(*args, **kwargs)
    assert caught.value.code == ErrorCode.VALIDATION
    return caught.value.field


def test_a_project_is_trimmed_and_its_code_upper_cased():
    p = rules.check_project(rules.ProjectInput(" xh-1 ", " 翠湖花园 ", "residential", city=" 杭州 ", households=10))
    assert (p.code, p.name, p.city, p.address) == ("XH-1", "翠湖花园", "杭州", "")
    assert field_of(rules.check_project, rules.ProjectInput("-X", "名", "residential")) == "code"
    assert field_of(rules.check_project, rules.ProjectInput("X", "名", "castle")) == "propertyType"
    assert field_of(rules.check_project, rules.ProjectInput("X", "名", "office", households=-1)) == "households"
    assert field_of(rules.check_project, rules.ProjectInput("X", "  ", "office")) == "name"


def test_logins_and_companies():
    assert rules.check_username(" Li.Wei ") == "li.wei"
    assert field_of(rules.check_username, "x") == "username"
    assert field_of(rules.check_password, "short") == "password"
    assert rules.check_slug(" Acme-1 ") == "acme-1"
    assert field_of(rules.check_slug, "a") == "slug"
    assert rules.check_phone("139 1234-5678") == "13912345678"
    assert field_of(rules.check_phone, "12ab") == "phone"


def test_a_role_is_granted_company_wide_or_on_one_project():
    rules.check_role_scope(Role.ORG_ADMIN, None)
    rules.check_role_scope(Role.DISPATCHER, uuid.uuid4())
    assert field_of(rules.check_role_scope, Role.HQ_SUPERVISOR, uuid.uuid4()) == "projectId"
    assert field_of(rules.check_role_scope, Role.TECHNICIAN, None) == "projectId"


def test_an_api_key():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert rules.check_api_key(" 集成 ", "read", None, None, None, now=now) == ("集成", None)
    assert rules.check_api_key("k", "read_write", [Permission.CASE_DISPATCH, Permission.CASE_DISPATCH], None, None,
                               now=now) == ("k", ["case:dispatch"])
    assert field_of(rules.check_api_key, "k", "write", None, None, None) == "access"
    assert field_of(rules.check_api_key, "k", "read", [Permission.CASE_DISPATCH], None, None) == "access"
    assert field_of(rules.check_api_key, "k", "read_write", [], None, None) == "permissions"
    assert field_of(rules.check_api_key, "k", "read_write", [Permission.ROLE_ASSIGN], None, None) == "permissions"
    assert field_of(rules.check_api_key, "k", "read", None, now - timedelta(seconds=1), None, now=now) == "expiresAt"
    assert field_of(rules.check_api_key, "k", "read", None, None, []) == "projectIds"
