"""Generated documents over the case lists answer the same through the compiled path as through
strawberry alone, field for field and key order included, errors with their codes and paths."""

from __future__ import annotations

import os

from api.graphql.compiled.document import plan_for
from tests.api.case_documents import Documents
from tests.api.conftest import REGISTER, case_input
from tests.api.test_alert_window_rules import register, reopen_twice, visited
from tests.api.test_compiled_cases import _cases, _pairs, slow  # noqa: F401 (a fixture)

SEED, COUNT = int(os.environ.get("DOCUMENTS_SEED", 13)), int(os.environ.get("DOCUMENTS_COUNT", 300))


async def test_generated_documents_answer_alike_on_both_paths(client, slow, gql, desk, org):  # noqa: F811
    ids = await _cases(gql, desk, n=4)
    await visited(gql, desk, "BASICALLY_SATISFIED")  # resolved, confirmed and visited
    await reopen_twice(gql, desk, await register(gql, desk, desk["agent"][1]))
    odd = 'quotes " and \\ backslash, a line\nbreak, 🙂 and \u2028 — 漏水'
    odd_case = case_input(desk, description=odd, severity="EMERGENCY", kind="REPAIR", unitId=None, publicArea='东门 "广场"',
                          photos=["https://img.example/1.jpg", "https://img.example/照片 2.jpg"])
    registered = await gql(REGISTER, {"i": odd_case}, token=desk["agent"][1])
    assert registered["data"]["registerCase"]["errors"] == [], registered
    first = await gql("{ cases(first: 2) { pageInfo { endCursor } } }", token=desk["sup"][1])
    documents = Documents(SEED, {"project": desk["project"], "case": ids[0], "user": desk["tech"][0],
                                 "cursor": first["data"]["cases"]["pageInfo"]["endCursor"]})
    tokens = (desk["sup"][1], desk["tech"][1], await gql.login(org))
    compiled, differences = 0, []
    for i in range(COUNT):
        query, variables, operation_name = documents.document()
        body = {"query": query, "variables": variables, "operationName": operation_name}
        headers = {"authorization": f"Bearer {tokens[i % len(tokens)]}"}
        fast, reference = await _answer(client, body, headers), await _answer(slow, body, headers)
        compiled += plan_for(query) is not None
        if fast != reference:
            differences.append((body, fast, reference))
    assert not differences, f"{len(differences)} of {COUNT} differ; the first: {differences[:3]}"[:8000]
    assert compiled >= COUNT // 5, compiled  # the generator keeps giving the compiled path work


async def _answer(client, body, headers) -> tuple:
    response = await client.post("/graphql", json=body, headers=headers)
    assert response.status_code < 500, response.text[:2000]
    return response.status_code, _pairs(response.text)
