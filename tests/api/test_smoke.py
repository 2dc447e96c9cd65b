async def test_login_and_viewer(gql, org):
    token = await gql.login(org)
    body = await gql("{ viewer { kind user { username } allProjects } organization { slug } }", token=token)
    assert body["data"]["viewer"] == {"kind": "USER", "user": {"username": "admin"}, "allProjects": True}
    assert body["data"]["organization"]["slug"] == org.slug


async def test_healthz_and_readyz(client):
    assert (await client.get("/healthz")).status_code == 200
    r = await client.get("/readyz")
    assert r.status_code == 200 and r.json()["checks"] == {"database": True, "broker": True}
