"""What the tests of hostile and malformed input share: every answer, whatever was sent, is checked
to carry a stable code — never a 500, never a stack trace, never an error without
`extensions.code` (`check`) — and the requests are sent through it (`send`, `gql`)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import PASSWORD

LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken errors { code message field } } }"
VIEWER = "{ viewer { kind } }"
REFRESH = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken errors { code message } } }"
LOGOUT = "mutation($t: String!) { logout(refreshToken: $t) { ok errors { code } } }"
CREATE_PROJECT = """mutation($i: CreateProjectInput!) { createProject(input: $i) {
  project { id } errors { code field message } } }"""


class Reply:
    """One checked response: its status, its parsed JSON and the codes of its errors."""

    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.text = response.text
        self.body: Any = response.json()

    @property
    def items(self) -> list[dict]:
        return self.body if isinstance(self.body, list) else [self.body]

    @property
    def errors(self) -> list[dict]:
        return [e for item in self.items for e in (item.get("errors") or [])]

    @property
    def codes(self) -> set[str]:
        return {e["extensions"]["code"] for e in self.errors}

    @property
    def code(self) -> str:
        assert self.errors, self.text[:2000]
        return self.errors[0]["extensions"]["code"]

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def empty(self) -> bool:
        """No data: none at all, or only nulls where a nullable root field failed."""
        return self.data is None or all(v is None for v in self.data.values())


def check(response: httpx.Response) -> Reply:
    """What every answer must satisfy, whatever was sent."""
    text = response.text
    assert response.status_code != 500, text[:2000]
    assert response.status_code < 500, text[:2000]
    assert "Traceback" not in text and 'File "' not in text, text[:2000]
    assert response.headers.get("content-type", "").startswith("application/json"), (response.status_code, text[:500])
    reply = Reply(response)
    assert isinstance(reply.body, (dict, list)), text[:500]
    for item in reply.items:
        assert isinstance(item, dict), text[:500]
        for error in item.get("errors") or []:
            assert error.get("message"), error
            assert (error.get("extensions") or {}).get("code"), error
            assert error["extensions"]["code"] != "INTERNAL", error
            assert "stacktrace" not in error["extensions"] and "exception" not in error["extensions"], error
    return reply


async def send(client: httpx.AsyncClient, body: Any = None, *, token: str | None = None, api_key: str | None = None,
               headers: dict[str, str] | None = None, raw: bytes | None = None, status: int | None = 200,
               method: str = "POST", params: dict[str, str] | None = None) -> Reply:
    """Posts to /graphql (a JSON body, or raw bytes) and checks the answer."""
    h = dict(headers or {})
    if token is not None:
        h["authorization"] = f"Bearer {token}"
    if api_key is not None:
        h["x-api-key"] = api_key
    if raw is not None:
        h.setdefault("content-type", "application/json")
        r = await client.request(method, "/graphql", content=raw, headers=h, params=params)
    elif method == "GET":
        r = await client.get("/graphql", headers={"accept": "application/json", **h}, params=params)
    else:
        r = await client.request(method, "/graphql", json=body, headers=h, params=params)
    reply = check(r)
    if status is not None:
        assert reply.status == status, (reply.status, reply.text[:2000])
    return reply


async def gql(client, query: str, variables: dict | None = None, **kw) -> Reply:
    return await send(client, {"query": query, "variables": variables or {}}, **kw)


async def login(client, org, username: str = "admin", password: str = PASSWORD) -> dict:
    reply = await gql(client, LOGIN, {"i": {"organization": org if isinstance(org, str) else org.slug,
                                            "username": username, "password": password}})
    return reply.data["login"]


async def token_of(client, org, username: str = "admin") -> str:
    payload = await login(client, org, username)
    assert payload["errors"] == [], payload
    return payload["accessToken"]
