"""What the 12345 tests share: a bridge made through the API, and requests signed as a bridge
signs them."""

from __future__ import annotations

import time
import uuid

import orjson
import pytest

from api.graphql.types.node import from_global_id
from domain.notifications.signing import webhook_signature
from tests.workers.test_delivery import Receiver

ADD_BRIDGE = ("mutation($i: GovBridgeInput!, $k: String) { addGovBridge(input: $i, idempotencyKey: $k) { "
              "bridge { id name city callbackUrl active inboundPath receiver { username } } secret errors { code field message } } }")
ORDER_FIELDS = ("id orderNumber category urgency urgencyLabel status statusLabel requesterName requesterPhone responseDue "
                "resolveDue respondedAt answeredAt result returnedReason evaluation evaluationLabel respondedOnTime resolvedOnTime "
                "answers { kind kindLabel text status attempts } case { id number state channel kind severity commitmentDue }")
ANSWER = ("mutation($o: ID!, $kind: GovAnswerKind!, $t: String, $r: String, $b: ID, $k: String) { answerGovOrder(orderId: $o, "
          "kind: $kind, text: $t, reason: $r, bodyId: $b, idempotencyKey: $k) { order { %s } errors { code field message } } }"
          % ORDER_FIELDS)
ORDERS = "query($p: ID, $s: GovOrderStatus) { govOrders(projectId: $p, status: $s) { %s } }" % ORDER_FIELDS
RATES = ("query($p: ID) { govOrderRates(projectId: $p) { month total { %s } projects { projectCode figures { %s } } } }"
         % (("received responseDue respondedOnTime resolveDue resolvedOnTime evaluated satisfied returned responseRate "
             "resolutionRate satisfactionRate",) * 2))


async def add_bridge(gql, token: str, project: str, receiver: str, url: str, **over) -> dict:
    body = await gql(ADD_BRIDGE, {"i": {"projectId": project, "name": "北京12345", "city": "北京市", "callbackUrl": url,
                                        "receiverId": receiver, **over}}, token=token)
    payload = body["data"]["addGovBridge"]
    assert payload["errors"] == [], payload
    return {**payload["bridge"], "secret": payload["secret"], "uuid": from_global_id(payload["bridge"]["id"], "GovBridge")}


def order(number: str = "BJ-2026-0001", **over) -> dict:
    return {"type": "order", "order_number": number, "category": "物业管理", "category_code": "public_area", "urgency": "day",
            "content": "小区东门路灯不亮，夜间出行不便", "address": "东门", "requester": {"name": "李女士", "phone": "13800138000"},
            **over}


async def post(client, bridge: dict, payload: dict | bytes, *, secret: str | None = None, delivery: str | None = None,
               timestamp: int | None = None, signature: str | None = None):
    delivery = delivery or f"dlv-{uuid.uuid4().hex}"
    raw = payload if isinstance(payload, bytes) else orjson.dumps({"id": delivery, **payload})  # the signed body names its delivery
    ts = timestamp if timestamp is not None else int(time.time())
    headers = {"x-firstcall-delivery": delivery, "x-firstcall-timestamp": str(ts),
               "x-firstcall-signature": signature or webhook_signature(secret or bridge["secret"], ts, raw),
               "content-type": "application/json"}
    return await client.post(bridge["inboundPath"], content=raw, headers=headers)


@pytest.fixture(scope="session")
def callback_url():
    """A government receiver that stays up all session: answers queued by one test are relayed by
    whichever test runs the worker next, and must not keep failing there."""
    receiver = Receiver(fail_first=0)
    yield f"{receiver.url}/cb"
    receiver.server.shutdown()
    receiver.server.server_close()
