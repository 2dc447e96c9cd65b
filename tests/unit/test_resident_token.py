"""Resident tokens (docs/resident-services.md §2.2): `typ` keeps them apart from users' access
tokens in both directions, they expire, and their claims make a principal that holds
resident:self on its one project and nothing else."""

import time
from uuid import uuid4

import pytest

from tenants.auth.errors import AuthCode, AuthError
from tenants.auth.tokens import TokenSigner
from tenants.principal import Grant, Principal
from tenants.roles import ROLE_PERMISSIONS, Permission, Role


def _resident_token(signer: TokenSigner):
    resident, org, project, key = uuid4(), uuid4(), uuid4(), uuid4()
    token, exp = signer.issue_resident(resident, org, project, key, "wechat")
    return token, exp, (resident, org, project, key)


def test_claims_make_a_resident_principal_of_one_project():
    signer = TokenSigner(b"k", 15, resident_minutes=10)
    token, exp, (resident, org, project, key) = _resident_token(signer)
    assert time.time() + 590 < exp <= time.time() + 600
    p = signer.read_resident(token)
    assert (p.kind, p.id, p.org_id, p.resident_key_id, p.resident_channel) == ("resident", resident, org, key, "wechat")
    assert p.actor == f"resident:{resident}"
    assert p.scope.projects == frozenset({project}) and p.scope.resident_id == resident
    assert p.permissions(project) == {Permission.RESIDENT_SELF}
    assert p.permissions(uuid4()) == frozenset() and p.permissions(None) == frozenset()
    assert p.can_anywhere(Permission.RESIDENT_SELF) and not p.can_anywhere(Permission.CASE_READ)
    assert signer.typ(token) == "resident"


def test_a_resident_token_is_no_access_token_and_back():
    signer = TokenSigner(b"k", 15)
    token, _, _ = _resident_token(signer)
    access, _ = signer.issue_access(Principal("user", uuid4(), uuid4(), (Grant(Role.ORG_ADMIN, None),)))
    for read, wrong in ((signer.read_access, token), (signer.read_resident, access)):
        with pytest.raises(AuthError) as e:
            read(wrong)
        assert e.value.code == AuthCode.UNAUTHENTICATED
    # Once verified and cached as one kind, still refused as the other.
    signer.read_resident(token)
    signer.read_access(access)
    with pytest.raises(AuthError):
        signer.read_access(token)
    with pytest.raises(AuthError):
        signer.read_resident(access)
    assert signer.typ(access) == "access" and signer.typ("garbage") is None


def test_expired_and_forged_resident_tokens_are_refused():
    expired = TokenSigner(b"k", 15)
    expired.resident_seconds = -10
    token, _, _ = _resident_token(expired)
    with pytest.raises(AuthError) as e:
        TokenSigner(b"k", 15).read_resident(token)
    assert e.value.code == AuthCode.TOKEN_EXPIRED
    forged, _, _ = _resident_token(TokenSigner(b"other", 15))
    with pytest.raises(AuthError) as e:
        TokenSigner(b"k", 15).read_resident(forged)
    assert e.value.code == AuthCode.UNAUTHENTICATED


def test_resident_self_is_in_no_role_and_sign_in_is_for_keys_on_purpose():
    from tenants.roles import API_KEY_GRANTABLE, API_KEY_READ, API_KEY_READ_WRITE
    assert all(Permission.RESIDENT_SELF not in held for held in ROLE_PERMISSIONS.values())
    assert Permission.RESIDENT_SELF not in API_KEY_GRANTABLE
    assert Permission.RESIDENT_SIGN_IN in API_KEY_GRANTABLE
    assert Permission.RESIDENT_SIGN_IN not in API_KEY_READ | API_KEY_READ_WRITE
