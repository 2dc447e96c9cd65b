"""The documents and the callers of bench/load_soak.py: the console's own operations (queue, case
page, intake, transitions, HQ board, inbox) and an integrator's (registerCase with an idempotency
key under an API key, a signed call record), each request timed and every error kept with its
code and a sample."""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from domain.notifications.signing import webhook_signature

QUEUE_CASE = """fragment QueueCase on Case {
  id number kind severity channel state stateLabel description publicArea receivedAt overdue
  category { code name } project { id name } assignee { id displayName }
  sla { targets { target targetLabel dueAt metAt state stateLabel provisional } } }"""
CASE_DETAIL = """fragment CaseDetail on Case {
  id number kind severity channel state stateLabel description publicArea receivedAt commitmentDue overdue
  waitingOnResident reopenCount reworkLevel brokenPromises satisfaction visitScore resolvedAt confirmedAt
  project { id name } category { code name } assignee { id displayName } handler { id displayName } availableActions
  sla { state stateLabel targets { target round targetLabel dueAt metAt state stateLabel provisional minutesLeft } }
  escalations { id level levelLabel reason reasonLabel target dueAt firedAt recipients { id displayName } } }"""
CASE_LIST = QUEUE_CASE + """
query QueueCases($filter: CaseFilter, $after: String, $first: Int = 50) {
  cases(filter: $filter, first: $first, after: $after, orderBy: TIME_LEFT) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ...QueueCase } } } }"""
MY_QUEUE = QUEUE_CASE + """
query MyQueue {
  myQueue(first: 50, orderBy: TIME_LEFT) { totalCount pageInfo { hasNextPage endCursor } edges { node { ...QueueCase } } } }"""
COUNTS = ("query QueueCounts { caseCounts { toCommit toDispatch toAccept inProgress toConfirm toVisit overdue "
          "declineRequested referred open mine } }")
CASE_PAGE = CASE_DETAIL + """
query CasePage($id: ID!) {
  case(id: $id) { ...CaseDetail unit { id label } resident { id name phoneMasked erased } }
  caseTimeline(caseId: $id) { at action fromState toState note actedBy { kind displayName } }
  caseProgress(caseId: $id) { number stateLabel commitmentDue steps { at stage title message } } }"""
REGISTER = """mutation IntakeRegister($input: RegisterCaseInput!, $key: String) {
  registerCase(input: $input, idempotencyKey: $key) { case { id number } errors { code message field } } }"""
COMMIT = """mutation IntakeCommit($caseId: ID!, $key: String) {
  commitCase(caseId: $caseId, idempotencyKey: $key) { case { id number state stateLabel commitmentDue } errors { code message field } } }"""
DISPATCH = CASE_DETAIL + """
mutation CaseDispatch($caseId: ID!, $assigneeId: ID, $key: String) {
  dispatchCase(caseId: $caseId, assigneeId: $assigneeId, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } } }"""
ACCEPT = CASE_DETAIL + """
mutation CaseAccept($caseId: ID!, $key: String) {
  acceptCase(caseId: $caseId, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } } }"""
RESOLVE = CASE_DETAIL + """
mutation CaseResolve($caseId: ID!, $result: String!, $key: String) {
  resolveCase(caseId: $caseId, result: $result, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } } }"""
UNREAD = "query InboxUnreadCount { notifications(unreadOnly: true, first: 1) { unreadCount } }"
INBOX = """query InboxPage($unreadOnly: Boolean!) {
  notifications(unreadOnly: $unreadOnly, first: 100) {
    unreadCount items { id topic title body caseId createdAt readAt escalationLevel } } }"""
OVERVIEW = """query OrgOverview($month: Date) { orgOverview(month: $month) {
  month open overdue breachedToday scoredAt alerts { red orange yellow blue }
  totals { received responseRate resolutionRate satisfactionRate collectionRate }
  previousTotals { received responseRate resolutionRate satisfactionRate collectionRate }
  projects { project { id code name city propertyType propertyTypeLabel } open overdue breachedToday
    alerts { red orange yellow blue } month { received responseRate resolutionRate satisfactionRate collectionRate }
    previousMonth { responseRate resolutionRate satisfactionRate collectionRate } score standardScore rank trend archiveAccuracy } } }"""
WORDS = ("厨房水龙头漏水", "楼道灯不亮", "电梯异响", "楼上装修噪音", "门禁卡失效", "地下车库渗水", "空调外机滴水")


@dataclass
class Errors:
    count: int = 0
    codes: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)


class Recorder:
    """Latencies per operation; an error is a transport failure, a non-2xx status, a GraphQL error
    or a payload's `errors` — each counted by operation and code, the first three kept as samples."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, Errors] = defaultdict(Errors)
        self.acknowledged: list[str] = []  # case ids registerCase answered with

    def fail(self, op: str, code: str, sample: str) -> None:
        e = self.errors[op]
        e.count += 1
        e.codes[code] += 1
        if len(e.samples) < 3:
            e.samples.append(sample[:400])

    async def post(self, http: httpx.AsyncClient, op: str, path: str, *, headers: dict[str, str], content: bytes) -> dict | None:
        started = time.perf_counter()
        try:
            r = await http.post(path, content=content, headers={"content-type": "application/json", **headers})
        except httpx.HTTPError as e:
            self.latencies[op].append((time.perf_counter() - started) * 1000)
            self.fail(op, type(e).__name__, repr(e))
            return None
        self.latencies[op].append((time.perf_counter() - started) * 1000)
        try:
            body = r.json()
        except ValueError:
            body = None
        if not 200 <= r.status_code < 300 or not isinstance(body, dict):
            code = (body or {}).get("errors", [{}])[0].get("extensions", {}).get("code") if isinstance(body, dict) else None
            self.fail(op, f"HTTP {r.status_code}" + (f" {code}" if code else ""), r.text)
            return None
        return body

    async def gql(self, http: httpx.AsyncClient, op: str, headers: dict[str, str], query: str,
                  variables: dict | None = None) -> dict | None:
        body = await self.post(http, op, "/graphql", headers=headers,
                               content=json.dumps({"query": query, "variables": variables or {}}, ensure_ascii=False).encode())
        if body is None:
            return None
        if body.get("errors"):
            first = body["errors"][0]
            self.fail(op, str(first.get("extensions", {}).get("code", "GRAPHQL")), json.dumps(first, ensure_ascii=False))
            return None
        data = body.get("data") or {}
        for value in data.values():
            if isinstance(value, dict) and value.get("errors"):
                self.fail(op, str(value["errors"][0].get("code")), json.dumps(value["errors"][0], ensure_ascii=False))
                return None
        return data


@dataclass
class World:
    """What the callers share: the base data, their tokens, the cases they know of, and the
    technicians' trays (cases dispatched to each, worked only by that technician's one client)."""

    projects: list[str]  # Project global ids
    agents: dict[str, str]  # project gid → agent username
    technicians: dict[str, list[tuple[str, str]]]  # project gid → [(username, User gid)]
    tokens: dict[str, dict[str, str]]  # username (or "api-key") → headers
    integrations: dict[str, tuple[str, str]]  # project gid → (integration id, secret)
    known: dict[str, deque] = field(default_factory=dict)  # project gid → recent case gids
    trays: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))  # technician username → case gids
    active_technicians: set[str] = field(default_factory=set)

    def case_of(self, rng: random.Random, project: str | None = None) -> str | None:
        pool = self.known.get(project or rng.choice(self.projects))
        return rng.choice(pool) if pool else None


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _key() -> str:
    return uuid.uuid4().hex


class Caller:
    """One client: a role, a login (or the API key) and its own loop until `until`."""

    def __init__(self, seed: int, index: int, role: str, world: World, rec: Recorder, http: httpx.AsyncClient) -> None:
        """`index`: this client's place among the clients of its role (the agents and technicians
        spread over the projects first, so few clients still meet in the same projects)."""
        self.rng = random.Random(seed)
        self.role, self.world, self.rec, self.http = role, world, rec, http
        self.project = world.projects[index % len(world.projects)]
        self.pending: list[tuple[str, str]] = []  # (case gid, state) registered or committed by this agent
        self.accepted: list[str] = []
        if role == "agent":
            self.user = world.agents[self.project]
        elif role == "technician":
            staff = world.technicians[self.project]
            self.user = staff[(index // len(world.projects)) % len(staff)][0]
            world.active_technicians.add(self.user)
        elif role == "hq":
            self.user = "admin"
        else:
            self.user = "api-key"
        self.headers = world.tokens[self.user]

    async def run(self, until: float, pause: float) -> None:
        while time.monotonic() < until:
            started = time.monotonic()
            await getattr(self, self.role)()
            if pause:
                wait = self.rng.expovariate(1 / pause) - (time.monotonic() - started)
                if wait > 0:
                    await asyncio.sleep(min(wait, max(until - time.monotonic(), 0)))

    async def _list(self, project: str | None) -> None:
        data = await self.rec.gql(self.http, "cases list", self.headers, CASE_LIST,
                                  {"filter": {"projectId": project} if project else {}, "first": 50})
        if data:
            for edge in data["cases"]["edges"][:5]:
                node = edge["node"]
                pool = self.world.known.setdefault(node["project"]["id"], deque(maxlen=500))
                pool.append(node["id"])

    async def _page(self, project: str | None) -> None:
        case = self.world.case_of(self.rng, project)
        if case:
            await self.rec.gql(self.http, "case page", self.headers, CASE_PAGE, {"id": case})

    async def _register(self, op: str, channel: str) -> str | None:
        variables = {"input": {"projectId": self.project, "kind": "REPAIR", "channel": channel, "category": "water_power",
                               "publicArea": f"{self.rng.randint(1, 12)}号楼大堂", "description": self.rng.choice(WORDS)},
                     "key": _key()}
        data = await self.rec.gql(self.http, op, self.headers, REGISTER, variables)
        if not data:
            return None
        gid = data["registerCase"]["case"]["id"]
        self.rec.acknowledged.append(gid)
        self.world.known.setdefault(self.project, deque(maxlen=500)).append(gid)
        if op.endswith("(API key)") and self.rng.random() < 0.2:  # a retry after a lost answer: the same case again
            again = await self.rec.gql(self.http, "registerCase replay", self.headers, REGISTER, variables)
            if again and again["registerCase"]["case"]["id"] != gid:
                self.rec.fail("registerCase replay", "IDEMPOTENCY_MISMATCH", f"{gid} then {again['registerCase']['case']['id']}")
        return gid

    async def agent(self) -> None:
        op = _pick(self.rng, {"list": 30, "counts": 20, "page": 20, "inbox": 10, "register": 10, "move": 10 if self.pending else 0})
        if op == "list":
            await self._list(self.project)
        elif op == "counts":
            await self.rec.gql(self.http, "caseCounts", self.headers, COUNTS)
        elif op == "page":
            await self._page(self.project)
        elif op == "inbox":
            await self.rec.gql(self.http, "notifications", self.headers, UNREAD)
        elif op == "register":
            gid = await self._register("registerCase", "PHONE")
            if gid:
                self.pending.append((gid, "received"))
        else:
            gid, state = self.pending.pop(0)
            if state == "received":
                if await self.rec.gql(self.http, "commitCase", self.headers, COMMIT, {"caseId": gid, "key": _key()}):
                    self.pending.append((gid, "committed"))
                return
            staff = self.world.technicians[self.project]
            working = [t for t in staff if t[0] in self.world.active_technicians] or staff
            username, user_gid = self.rng.choice(working)
            variables = {"caseId": gid, "assigneeId": user_gid, "key": _key()}
            if await self.rec.gql(self.http, "dispatchCase", self.headers, DISPATCH, variables):
                self.world.trays[username].append(gid)

    async def technician(self) -> None:
        tray = self.world.trays[self.user]
        op = _pick(self.rng, {"queue": 30, "page": 20, "inbox": 10, "accept": 30 if tray else 0, "resolve": 30 if self.accepted else 0})
        if op == "queue":
            await self.rec.gql(self.http, "myQueue", self.headers, MY_QUEUE)
        elif op == "page":
            await self._page(self.project)
        elif op == "inbox":
            await self.rec.gql(self.http, "notifications", self.headers, INBOX, {"unreadOnly": False})
        elif op == "accept":
            gid = tray.popleft()
            if await self.rec.gql(self.http, "acceptCase", self.headers, ACCEPT, {"caseId": gid, "key": _key()}):
                self.accepted.append(gid)
        else:
            gid = self.accepted.pop(0)
            variables = {"caseId": gid, "result": "已修复，业主确认", "key": _key()}
            await self.rec.gql(self.http, "resolveCase", self.headers, RESOLVE, variables)

    async def hq(self) -> None:
        op = _pick(self.rng, {"overview": 30, "list": 25, "counts": 20, "inbox": 15, "page": 10})
        if op == "overview":
            await self.rec.gql(self.http, "orgOverview", self.headers, OVERVIEW)
        elif op == "list":
            await self._list(None)
        elif op == "counts":
            await self.rec.gql(self.http, "caseCounts", self.headers, COUNTS)
        elif op == "inbox":
            await self.rec.gql(self.http, "notifications", self.headers, INBOX, {"unreadOnly": False})
        else:
            await self._page(None)

    async def integrator(self) -> None:
        op = _pick(self.rng, {"register": 40, "call": 30, "list": 30})
        if op == "register":
            await self._register("registerCase (API key)", "APP")
        elif op == "list":
            await self._list(self.project)
        else:
            await self.call()

    async def call(self) -> None:
        integration, secret = self.world.integrations[self.project]
        delivery, ended = _key(), datetime.now(UTC) - timedelta(seconds=self.rng.randint(5, 60))
        body = json.dumps({"id": delivery, "call_id": f"CTI-{delivery[:16]}", "direction": "in",
                           "caller_phone": f"138{self.rng.randrange(10 ** 8):08d}",
                           "queued_at": (ended - timedelta(seconds=200)).isoformat(),
                           "answered_at": (ended - timedelta(seconds=180)).isoformat(),
                           "ended_at": ended.isoformat(), "agent_username": self.world.agents[self.project]}).encode()
        stamp = int(time.time())
        signed = {"x-firstcall-delivery": delivery, "x-firstcall-timestamp": str(stamp),
                  "x-firstcall-signature": webhook_signature(secret, stamp, body)}
        answer = await self.rec.post(self.http, "inbound call (signed)", f"/inbound/calls/{integration}", content=body, headers=signed)
        if answer is not None and "call_record_id" not in answer:
            self.rec.fail("inbound call (signed)", "NO_RECORD", json.dumps(answer))


def roles(clients: int) -> list[str]:
    """30% agents, 40% technicians, 20% HQ viewers, 10% integrators."""
    shares = (("agent", 0.3), ("technician", 0.4), ("hq", 0.2))
    counts = {role: int(clients * share) for role, share in shares}
    out = [role for role, n in counts.items() for _ in range(n)]
    return out + ["integrator"] * (clients - len(out))


def summary(rec: Recorder, seconds: float) -> dict[str, Any]:
    def pct(values: list[float], p: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(len(values) * p))], 1) if values else float("nan")

    ops = {op: {"n": len(v), "per_s": round(len(v) / seconds, 1), "p50_ms": pct(v, 0.5), "p99_ms": pct(v, 0.99),
                "errors": rec.errors[op].count if op in rec.errors else 0} for op, v in sorted(rec.latencies.items())}
    everything = [x for v in rec.latencies.values() for x in v]
    return {"requests": len(everything), "requests_per_s": round(len(everything) / seconds, 1),
            "p50_ms": pct(everything, 0.5), "p99_ms": pct(everything, 0.99),
            "errors": sum(e.count for e in rec.errors.values()), "operations": ops,
            "error_detail": {op: {"count": e.count, "codes": dict(e.codes), "samples": e.samples} for op, e in rec.errors.items()}}
