async def test_login_and_viewer(gql, org):
    token = await gql.login(org)
    body = await gql("{ viewer { kind user { username } allProjects } organization { slug } }", token=token)
    assert body["data"]["viewer"] == {"kind": "USER", "user": {"username": "admin"}, "allProjects": True}
    assert body["data"]["organization"]["slug"] == org.slug


async def test_healthz_and_readyz(client):
    assert (await client.get("/healthz")).status_code == 200
    r = await client.get("/readyz")
    assert r.status_code == 200 and r.json()["checks"] == {"database": True, "broker": True}


async def test_a_chunked_body_over_the_limit_is_refused_with_a_code(client):
    async def chunks():
        for _ in range(40):
            yield b" " * 65_536

    r = await client.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
