"""A development install without configured keys makes its own, per data folder: nothing signed
with a key from the source or the README opens it."""

from __future__ import annotations

import stat

import pytest

from tenants.auth.tokens import TokenSigner
from tenants.principal import Grant, Principal
from tenants.roles import Role
from tenants.settings import ConfigurationError, Settings
from tests.api._bad_input import VIEWER, gql

# What every demo signed with before keys were made per data folder.
OLD_DEVELOPMENT_KEY = b"firstcall-development-secret-not-for-production:secret_key"


def test_two_data_folders_get_different_keys_and_each_keeps_its_own(tmp_path):
    first, second = Settings(FIRSTCALL_DATA_DIR=tmp_path / "a"), Settings(FIRSTCALL_DATA_DIR=tmp_path / "b")
    keys = {name: (first.secret(name), second.secret(name)) for name in ("secret_key", "data_key", "lookup_key")}
    for name, (a, b) in keys.items():
        assert a != b, name
        assert len(a) >= 32
    assert len({a for a, _ in keys.values()}) == 3  # three keys, not one used three times
    stored = tmp_path / "a" / "keys.json"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    # A later run on the same folder (a new process: a new Settings) signs with the same key.
    assert Settings(FIRSTCALL_DATA_DIR=tmp_path / "a").secret("secret_key") == keys["secret_key"][0]
    # Configured keys win, and production still insists on them.
    assert Settings(FIRSTCALL_DATA_DIR=tmp_path / "c", SECRET_KEY="configured").secret("secret_key") == b"configured"
    assert not (tmp_path / "c" / "keys.json").exists()
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        Settings(FIRSTCALL_MODE="production", DATABASE_URL="postgresql://x/y", BROKER_URL="redis://x")


async def test_a_token_signed_with_the_old_development_key_is_refused(client, org, platform):
    principal = Principal("user", org.admin_id, org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))
    forged, _ = TokenSigner(OLD_DEVELOPMENT_KEY, 15).issue_access(principal)
    reply = await gql(client, VIEWER, token=forged)
    assert reply.data is None and reply.codes == {"UNAUTHENTICATED"}
    genuine, _ = TokenSigner(platform.settings.secret("secret_key"), 15).issue_access(principal)
    assert (await gql(client, VIEWER, token=genuine)).data["viewer"]["kind"] == "USER"
