import time
from uuid import uuid4

import jwt
import pytest

from tenants.auth.api_keys import KEY_PATTERN, generate_key
from tenants.auth.errors import AuthCode, AuthError
from tenants.auth.passwords import _verify, hash_password, password_problem
from tenants.auth.tokens import TokenSigner
from tenants.personal_data import PersonalDataCipher, mask_id_number, mask_phone
from tenants.principal import Grant, Principal
from tenants.roles import Role
from tenants.settings import ConfigurationError, Settings


def test_access_token_round_trip_and_expiry():
    signer = TokenSigner(b"k", 15)
    p = Principal("user", uuid4(), uuid4(), (Grant(Role.PROJECT_MANAGER, uuid4()), Grant(Role.HQ_QUALITY, None)))
    token, exp = signer.issue_access(p)
    assert exp > time.time() + 800
    back = signer.read_access(token)
    assert (back.id, back.org_id, back.grants) == (p.id, p.org_id, p.grants)
    expired = TokenSigner(b"k", 15)
    expired.access_seconds = -10
    with pytest.raises(AuthError) as e:
        signer.read_access(expired.issue_access(p)[0])
    assert e.value.code == AuthCode.TOKEN_EXPIRED


def test_a_verified_token_is_remembered_only_until_it_expires(monkeypatch):
    signer = TokenSigner(b"k", 15)
    p = Principal("user", uuid4(), uuid4())
    token, exp = signer.issue_access(p)
    assert signer.read_access(token) is signer.read_access(token)  # the second read is the cached one
    monkeypatch.setattr(time, "time", lambda: exp + 1)
    with pytest.raises(AuthError) as e:
        signer.read_access(token)
    assert e.value.code == AuthCode.TOKEN_EXPIRED
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(AuthError):
        TokenSigner(b"k", 15).read_access(tampered)


def test_forged_and_unsigned_tokens_are_refused():
    p = Principal("user", uuid4(), uuid4())
    forged, _ = TokenSigner(b"other", 15).issue_access(p)
    unsigned = jwt.encode({"sub": str(p.id), "org": str(p.org_id), "typ": "access", "iat": 0, "exp": 2**31}, None, algorithm="none")
    for token in (forged, unsigned, "garbage", ""):
        with pytest.raises(AuthError) as e:
            TokenSigner(b"k", 15).read_access(token)
        assert e.value.code == AuthCode.UNAUTHENTICATED


def test_passwords_hash_with_argon2id():
    h = hash_password("long enough password")
    assert h.startswith("$argon2id$")
    assert _verify(h, "long enough password") and not _verify(h, "wrong") and not _verify(None, "x")
    assert password_problem("short") and password_problem("x" * 300) and password_problem("long enough") is None


def test_api_keys_have_a_visible_prefix_and_a_secret():
    key = generate_key()
    assert KEY_PATTERN.match(key.token).groups() == (key.prefix, key.secret)
    assert generate_key().prefix != key.prefix


def test_personal_data_is_encrypted_hashed_and_masked():
    c = PersonalDataCipher(b"data", b"lookup")
    blob = c.encrypt("13800135678")
    assert b"13800135678" not in blob and c.decrypt(blob) == "13800135678"
    assert c.encrypt("13800135678") != blob  # a fresh nonce each time
    assert c.lookup_hash("138-0013-5678") == c.lookup_hash("13800135678")
    assert c.lookup_hash("13800135678") != PersonalDataCipher(b"data", b"other").lookup_hash("13800135678")
    assert mask_phone("13800135678") == "138****5678"
    assert mask_id_number("11010119900307123X") == "1101**********123X"


def test_production_mode_names_every_missing_secret():
    with pytest.raises(ConfigurationError) as e:
        Settings(FIRSTCALL_MODE="production")
    for name in ("DATABASE_URL", "SECRET_KEY", "DATA_ENCRYPTION_KEY", "LOOKUP_HASH_KEY", "BROKER_URL"):
        assert name in str(e.value)
    ok = Settings(FIRSTCALL_MODE="production", DATABASE_URL="postgresql://x@h/db", SECRET_KEY="s", DATA_ENCRYPTION_KEY="d",
                  LOOKUP_HASH_KEY="l", BROKER_URL="redis://h", APP_DB_PASSWORD="p")
    assert ok.secret("secret_key") == b"s"


def test_embedded_default_needs_no_configuration():
    s = Settings()
    assert s.embedded and s.broker_url is None and s.secret("secret_key")
