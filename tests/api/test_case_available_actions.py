"""Case.availableActions and Case.handler through GraphQL: for each role, in each state, what is
offered is what the mutations then allow — an offered action is neither FORBIDDEN nor
INVALID_STATE, and one the state allows but the viewer is not offered is FORBIDDEN — and another
company's case answers null."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.cases.actions import CaseAction, allowed_by_state
from domain.cases.states import State
from tests.api.conftest import REGISTER, case_input
from tests.conftest import add_user

READ = "query($id: ID!) { case(id: $id) { state availableActions handler { username } } }"
KEY = "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret errors { code } } }"
BODY = "mutation($i: OutsideBodyInput!) { addOutsideBody(input: $i) { body { id } errors { code } } }"
REPLY = {"reason": "不在服务范围", "basis": "物业服务合同第三条", "alternatives": ["搬家公司 15:00 上门，200 元"]}

# Each action's mutation: its name, the extra variables' declarations, arguments and values.
MUTATIONS: dict[CaseAction, tuple[str, str, str, dict]] = {
    CaseAction.COMMIT: ("commitCase", "", "", {}),
    CaseAction.LINK_REPEAT: ("linkRepeatCase", ", $e: ID!", ", earlierCaseId: $e", {"e": "earlier"}),
    CaseAction.DISPATCH: ("dispatchCase", ", $a: ID", ", assigneeId: $a", {"a": "tech"}),
    CaseAction.REPORT_UNDISPATCHABLE: ("reportUndispatchable", ", $r: String!", ", reason: $r", {"r": "工程部都在外面"}),
    CaseAction.ACCEPT: ("acceptCase", "", "", {}),
    CaseAction.START: ("startCase", "", "", {}),
    CaseAction.PAUSE: ("pauseCase", ", $r: String!", ", reason: $r", {"r": "业主晚上才在家"}),
    CaseAction.RESUME: ("resumeCase", "", "", {}),
    CaseAction.RESOLVE: ("resolveCase", ", $r: String!", ", result: $r", {"r": "已处理"}),
    CaseAction.MISS_PROMISE: ("missPromise", ", $a: String!, $r: String!, $m: String!, $d: DateTime!",
                              ", apology: $a, reason: $r, remedy: $m, newDue: $d",
                              {"a": "抱歉", "r": "缺配件", "m": "先临时处理", "d": "later"}),
    CaseAction.CONFIRM: ("confirmCase", "", "", {}),
    CaseAction.REJECT: ("rejectCase", ", $r: String!", ", reason: $r", {"r": "还在漏"}),
    CaseAction.RETURN_VISIT: ("returnVisit", "", ", satisfaction: SATISFIED, score: 5", {}),
    CaseAction.CANCEL: ("cancelCase", ", $r: String!", ", reason: $r, byResident: true", {"r": "业主撤回"}),
    CaseAction.REQUEST_DECLINE: ("requestDecline", ", $r: String!", ", reason: $r", {"r": "不在服务范围"}),
    CaseAction.APPROVE_DECLINE: ("approveDecline", ", $p: WrittenReplyInput!", ", reply: $p", {"p": REPLY}),
    CaseAction.DENY_DECLINE: ("denyDecline", ", $n: String!", ", note: $n", {"n": "应当办理"}),
    CaseAction.REFER: ("referCase", ", $b: ID!, $r: String!, $q: String!", ", bodyId: $b, reason: $r, requestedAction: $q",
                       {"b": "body", "r": "违章搭建", "q": "请上门查处"}),
}
assert set(MUTATIONS) == set(CaseAction)


class Desk:
    """P1 with its people, an earlier case (for repeats), an outside body and two API keys."""

    def __init__(self, gql, org) -> None:
        self.gql, self.org, self.tokens, self.ids, self.keys = gql, org, {}, {}, {}

    async def call(self, who: str, document: str, variables: dict) -> dict:
        if who in self.keys:
            return await self.gql(document, variables, api_key=self.keys[who])
        return await self.gql(document, variables, token=self.tokens[who])

    async def act(self, who: str, action: CaseAction, case_id: str) -> str | None:
        """The mutation's answer: None, or the error code (top-level or in the payload)."""
        name, declared, args, values = MUTATIONS[action]
        filled = {"earlier": self.ids.get("earlier"), "tech": self.ids.get("tech"), "body": self.ids.get("body"),
                  "later": (datetime.now(UTC) + timedelta(days=30)).isoformat()}
        variables = {k: filled.get(v, v) if isinstance(v, str) else v for k, v in values.items()}
        body = await self.call(who, f"mutation($c: ID!{declared}) {{ {name}(caseId: $c{args}) {{ errors {{ code message }} }} }}",
                               {"c": case_id, **variables})
        if body.get("errors"):
            return body["errors"][0]["extensions"]["code"]
        errors = body["data"][name]["errors"]
        return errors[0]["code"] if errors else None

    async def case_at(self, state: State) -> str:
        """A new case of P1 brought to `state` by the people whose job each step is."""
        case_id = (await self.call("admin", REGISTER, {"i": case_input(self.desk)}))["data"]["registerCase"]["case"]["id"]
        steps = {
            State.RECEIVED: [],
            State.COMMITTED: [("admin", CaseAction.COMMIT)],
            State.DECLINE_REQUESTED: [("admin", CaseAction.COMMIT), ("agent", CaseAction.REQUEST_DECLINE)],
            State.DISPATCHED: [("admin", CaseAction.COMMIT), ("admin", CaseAction.DISPATCH)],
        }
        steps[State.ACCEPTED] = steps[State.DISPATCHED] + [("tech", CaseAction.ACCEPT)]
        steps[State.IN_PROGRESS] = steps[State.ACCEPTED] + [("tech", CaseAction.START)]
        steps[State.RESOLVED] = steps[State.IN_PROGRESS] + [("tech", CaseAction.RESOLVE)]
        steps[State.CONFIRMED] = steps[State.RESOLVED] + [("admin", CaseAction.CONFIRM)]
        for who, action in steps[state]:
            assert await self.act(who, action, case_id) is None, (state, who, action)
        return case_id

    async def offered(self, who: str, case_id: str) -> set[CaseAction]:
        body = await self.call(who, READ, {"id": case_id})
        assert "errors" not in body, body
        return {CaseAction[a] for a in body["data"]["case"]["availableActions"]}


@pytest.fixture
async def desk(gql, org, owner_engine, desk):  # noqa: F811 - extends the shared desk fixture
    d = Desk(gql, org)
    d.desk = desk
    d.tokens = {"admin": await gql.login(org), "agent": desk["agent"][1], "sup": desk["sup"][1], "tech": desk["tech"][1]}
    d.ids["tech"] = desk["tech"][0]
    await add_user(owner_engine, org, "tech2", "technician", "P1")
    await add_user(owner_engine, org, "hq", "hq_supervisor", None)
    d.tokens["tech2"], d.tokens["hq"] = await gql.login(org, "tech2"), await gql.login(org, "hq")
    for name, access in (("read", "READ"), ("resident", "READ_WRITE")):
        key = await gql(KEY, {"i": {"name": name, "access": access}}, token=d.tokens["admin"])
        d.keys[name] = key["data"]["createApiKey"]["secret"]
    d.ids["earlier"] = (await gql(REGISTER, {"i": case_input(desk)}, token=d.tokens["admin"]))["data"]["registerCase"]["case"]["id"]
    body = await gql(BODY, {"i": {"projectId": desk["project"], "kind": "STREET_OFFICE", "name": "长宁街道办", "delivery": "LETTER",
                                  "address": "长宁路1号"}}, token=d.tokens["admin"])
    d.ids["body"] = body["data"]["addOutsideBody"]["body"]["id"]
    return d


STATES = [State.RECEIVED, State.COMMITTED, State.DECLINE_REQUESTED, State.DISPATCHED, State.IN_PROGRESS, State.RESOLVED,
          State.CONFIRMED]
# What each role is offered, per state (P1; the case dispatched to `tech`, who resolves it) —
# written out, so that a change of the rules shows here.
R, C, DR, D, IP, RS, CF = STATES
DESK_FRONT = {R: {"COMMIT", "LINK_REPEAT", "CANCEL", "REQUEST_DECLINE"},
              C: {"LINK_REPEAT", "DISPATCH", "REPORT_UNDISPATCHABLE", "MISS_PROMISE", "CANCEL", "REQUEST_DECLINE"},
              D: {"DISPATCH", "REPORT_UNDISPATCHABLE", "MISS_PROMISE", "CANCEL", "REQUEST_DECLINE"},
              IP: {"MISS_PROMISE"}, RS: {"CONFIRM", "REJECT"}, CF: {"RETURN_VISIT"}}
EXPECTED: dict[str, dict[State, set[str]]] = {
    "agent": DESK_FRONT,
    "tech": {D: {"ACCEPT", "PAUSE"}, IP: {"PAUSE", "RESOLVE"}},  # the assignee
    "tech2": {D: {"PAUSE"}, IP: {"PAUSE"}},  # not the assignee: neither accept, start nor resolve
    "sup": {**DESK_FRONT, DR: {"APPROVE_DECLINE", "DENY_DECLINE"}, C: DESK_FRONT[C] | {"REFER"},
            D: DESK_FRONT[D] | {"REFER", "PAUSE"}, IP: {"MISS_PROMISE", "REFER", "PAUSE"}},
    "hq": {R: {"COMMIT", "LINK_REPEAT"}, C: {"LINK_REPEAT"}, RS: {"CONFIRM", "REJECT"}, CF: {"RETURN_VISIT"}},
    "read": {},  # a read-only key
    "resident": {RS: {"CONFIRM", "REJECT"}, CF: {"RETURN_VISIT"}},  # an owner app's key: the resident's word
}


async def test_what_is_offered_is_what_the_mutations_allow(desk):
    # One test for all roles: the desk's set-up (people, keys, a body) costs more than a role's run.
    for who, state in ((who, state) for who in EXPECTED for state in STATES):
        shared = await desk.case_at(state)
        offered = await desk.offered(who, shared)
        assert {a.name for a in offered} == EXPECTED[who].get(state, set()), (who, state)
        for action in allowed_by_state(state, paused=False):
            if action in offered:  # on a case of its own: acting changes the state
                code = await desk.act(who, action, await desk.case_at(state))
                assert code not in ("FORBIDDEN", "INVALID_STATE"), (who, state, action, code)
            else:
                assert await desk.act(who, action, shared) == "FORBIDDEN", (who, state, action)


async def test_the_supervisor_is_offered_the_decision_and_the_handler_is_named_once_resolved(desk):
    offered = await desk.offered("sup", await desk.case_at(State.DECLINE_REQUESTED))
    assert {CaseAction.APPROVE_DECLINE, CaseAction.DENY_DECLINE} <= offered
    case_id = await desk.case_at(State.IN_PROGRESS)
    assert (await desk.call("sup", READ, {"id": case_id}))["data"]["case"]["handler"] is None
    assert await desk.act("tech", CaseAction.RESOLVE, case_id) is None
    assert await desk.act("sup", CaseAction.CONFIRM, case_id) is None
    seen = (await desk.call("tech", READ, {"id": case_id}))["data"]["case"]
    assert seen["handler"] == {"username": "tech"}
    assert "RETURN_VISIT" not in seen["availableActions"]  # never the handler's (a technician lacks it anyway)
    by_sup = (await desk.call("sup", READ, {"id": case_id}))["data"]["case"]
    assert by_sup["handler"] == {"username": "tech"} and "RETURN_VISIT" in by_sup["availableActions"]


async def test_another_company_s_case_is_null_and_tells_nothing(desk, gql, other_org):
    case_id = await desk.case_at(State.RESOLVED)
    stranger = await gql.login(other_org)
    body = await gql(READ, {"id": case_id}, token=stranger)
    assert body["data"]["case"] is None, body
    assert await desk.act("admin", CaseAction.CONFIRM, case_id) is None  # the case exists and is resolved …
    desk.tokens["stranger"] = stranger
    assert await desk.act("stranger", CaseAction.REJECT, case_id) == "NOT_FOUND"  # … yet out of reach
    ours = (await desk.call("admin", READ, {"id": case_id}))["data"]["case"]
    assert ours["handler"] == {"username": "tech"} and ours["state"] == "CONFIRMED"
