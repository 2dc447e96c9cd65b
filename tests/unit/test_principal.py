from uuid import uuid4

from tenants.context import TenantScope
from tenants.principal import Grant, Principal
from tenants.roles import API_KEY_READ, API_KEY_READ_WRITE, ROLE_PERMISSIONS, Permission, Role

ORG = uuid4()
P1, P2 = uuid4(), uuid4()


def test_every_role_has_a_permission_entry():
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_org_wide_role_sees_all_projects():
    p = Principal("user", uuid4(), ORG, (Grant(Role.HQ_SUPERVISOR, None),))
    assert p.projects is None and p.scope.all_projects
    assert p.can(Permission.PROJECT_READ, P1) and not p.can(Permission.PROJECT_CREATE)


def test_project_roles_are_limited_to_their_projects():
    p = Principal("user", uuid4(), ORG, (Grant(Role.PROJECT_MANAGER, P1), Grant(Role.TECHNICIAN, P2)))
    assert p.projects == frozenset({P1, P2})
    assert p.can(Permission.STAFF_MANAGE, P1)
    assert not p.can(Permission.STAFF_MANAGE, P2)
    assert not p.can(Permission.STAFF_MANAGE)  # not company-wide
    assert p.can_anywhere(Permission.STAFF_MANAGE)


def test_user_without_roles_sees_nothing():
    p = Principal("user", uuid4(), ORG, ())
    assert p.projects == frozenset()
    assert p.scope.setting_values()[1] == "{}"


def test_api_keys_never_manage_people_or_keys():
    for perms in (API_KEY_READ, API_KEY_READ_WRITE):
        assert not perms & {Permission.USER_MANAGE, Permission.ROLE_ASSIGN, Permission.API_KEY_MANAGE, Permission.PROJECT_CREATE}


def test_scoped_key_has_write_permissions_only_on_its_projects():
    key = Principal("api_key", uuid4(), ORG, key_permissions=API_KEY_READ_WRITE, key_projects=frozenset({P1}))
    assert key.can(Permission.STAFF_MANAGE, P1)
    assert not key.can(Permission.STAFF_MANAGE, P2)
    assert not key.can(Permission.STAFF_MANAGE)
    assert key.can(Permission.PROJECT_READ)


def test_scope_settings_are_built_from_uuids_only():
    scope = TenantScope(ORG, frozenset({P2, P1}), "user:" + str(uuid4()))
    org, projects, actor = scope.setting_values()
    assert org == str(ORG) and projects == "{" + ",".join(sorted((str(P1), str(P2)))) + "}"
    import pytest

    with pytest.raises(ValueError):
        TenantScope(ORG, None, "x'; DROP TABLE projects; --").setting_values()
