"""书面答复 through GraphQL and the print route: versions, deliveries, the printable letter, and
the tenant wall."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from api.graphql.types.node import from_global_id
from domain.cases.written_reply_read import deliveries_of_replies, written_replies, written_reply
from tests.api.conftest import REGISTER, case_input, read_as

REPLY = {"reason": "搬运私人物品不在物业服务范围内", "basis": "《物业服务合同》第三条", "alternatives": ["搬家公司15:00可到，费用约200元"]}
REPLIES = ("query($c: ID!) { writtenReplies(caseId: $c) { id version reason alternatives signedBy { username } printPath html "
           "deliveries { via viaLabel recipient deliveredAt } } }")
REVISE = "mutation($c: ID!, $r: WrittenReplyInput!) { reviseWrittenReply(caseId: $c, reply: $r) { case { state } errors { code field } } }"
DELIVER = ("mutation($i: ReplyDeliveryInput!, $k: String) { recordReplyDelivery(input: $i, idempotencyKey: $k) { "
           "reply { version deliveries { via recipient } } errors { code field message } } }")


async def declined_case(gql, desk) -> str:
    agent, sup = desk["agent"][1], desk["sup"][1]
    case = (await gql(REGISTER, {"i": case_input(desk, description="请帮忙搬运<script>alert(1)</script>家具")}, token=agent))
    c = case["data"]["registerCase"]["case"]["id"]
    for mutation, args, token in (("requestDecline", {"r": "不在服务范围"}, agent),):
        body = await gql(f"mutation($c: ID!, $r: String!) {{ {mutation}(caseId: $c, reason: $r) {{ errors {{ code }} }} }}",
                         {"c": c, **args}, token=token)
        assert body["data"][mutation]["errors"] == []
    body = await gql("mutation($c: ID!, $r: WrittenReplyInput!) { approveDecline(caseId: $c, reply: $r) { errors { code } } }",
                     {"c": c, "r": REPLY}, token=sup)
    assert body["data"]["approveDecline"]["errors"] == []
    return c


async def test_versions_deliveries_and_the_printed_letter(gql, desk, client):
    agent, sup = desk["agent"][1], desk["sup"][1]
    c = await declined_case(gql, desk)
    revised = {**REPLY, "alternatives": ["搬家公司15:00可到，费用约200元", "周末志愿者服务队可协助"]}
    assert (await gql(REVISE, {"c": c, "r": revised}, token=agent))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = (await gql(REVISE, {"c": c, "r": revised}, token=sup))["data"]["reviseWrittenReply"]
    assert body == {"case": {"state": "DECLINED"}, "errors": []}
    replies = (await gql(REPLIES, {"c": c}, token=agent))["data"]["writtenReplies"]
    assert [(r["version"], len(r["alternatives"])) for r in replies] == [(2, 2), (1, 1)]
    assert replies[0]["signedBy"]["username"] == "sup"

    # Read out on the phone, then handed over on paper.
    now = datetime.now(UTC)
    for via, who, at in (("PHONE", "业主本人", now - timedelta(seconds=30)), ("IN_PERSON", "家属 李女士", now)):
        done = await gql(DELIVER, {"i": {"replyId": replies[0]["id"], "via": via, "recipient": who, "deliveredAt": at.isoformat()}},
                         token=agent)
        assert done["data"]["recordReplyDelivery"]["errors"] == [], done
    latest = (await gql(REPLIES, {"c": c}, token=agent))["data"]["writtenReplies"][0]
    assert [(d["via"], d["recipient"]) for d in latest["deliveries"]] == [("PHONE", "业主本人"), ("IN_PERSON", "家属 李女士")]
    assert latest["deliveries"][0]["viaLabel"] == "电话告知 Read out by phone"

    page = latest["html"]
    assert "书面答复" in page and "周末志愿者服务队可协助" in page and "《物业服务合同》第三条" in page
    assert "<script>" not in page and "&lt;script&gt;" in page  # the resident's words cannot run in a browser
    r = await client.get(latest["printPath"], headers={"authorization": f"Bearer {agent}"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.text == page and "default-src 'none'" in r.headers["content-security-policy"]
    assert (await client.get(latest["printPath"])).status_code == 401
    assert (await client.get("/print/written-replies/not-an-id", headers={"authorization": f"Bearer {agent}"})).status_code == 400


async def test_bad_deliveries_are_refused_and_nothing_is_written(gql, desk, owner_engine, org):
    c = await declined_case(gql, desk)
    reply_id = (await gql(REPLIES, {"c": c}, token=desk["agent"][1]))["data"]["writtenReplies"][0]["id"]
    now = datetime.now(UTC)
    base = {"replyId": reply_id, "via": "POST", "recipient": "业主", "deliveredAt": now.isoformat()}
    cases = [
        ({"deliveredAt": (now + timedelta(days=1)).isoformat()}, ("VALIDATION", "deliveredAt")),
        ({"deliveredAt": (now - timedelta(days=30)).isoformat()}, ("VALIDATION", "deliveredAt")),
        ({"recipient": "  "}, ("VALIDATION", "recipient")),
        ({"note": "长" * 501}, ("VALIDATION", "note")),
        ({"replyId": c}, ("VALIDATION", "replyId")),
    ]
    for change, expected in cases:
        body = (await gql(DELIVER, {"i": {**base, **change}}, token=desk["agent"][1]))["data"]["recordReplyDelivery"]
        assert (body["errors"][0]["code"], body["errors"][0]["field"]) == expected, change
    assert (await gql(DELIVER, {"i": base, "k": "d-1"}, token=desk["agent"][1]))["data"]["recordReplyDelivery"]["errors"] == []
    reused = (await gql(DELIVER, {"i": {**base, "via": "SMS"}, "k": "d-1"}, token=desk["agent"][1]))["data"]["recordReplyDelivery"]
    assert reused["errors"][0]["code"] == "CONFLICT"
    replayed = (await gql(DELIVER, {"i": base, "k": "d-1"}, token=desk["agent"][1]))["data"]["recordReplyDelivery"]
    assert replayed["errors"] == [] and len(replayed["reply"]["deliveries"]) == 1
    bad_revision = (await gql(REVISE, {"c": c, "r": {**REPLY, "alternatives": [" "]}}, token=desk["sup"][1]))["data"]["reviseWrittenReply"]
    assert bad_revision["errors"] == [{"code": "VALIDATION", "field": "alternatives"}]
    async with owner_engine.connect() as conn:
        counts = (await conn.execute(text(
            "SELECT (SELECT count(*) FROM written_reply_deliveries WHERE org_id = :o), "
            "(SELECT count(*) FROM written_replies WHERE org_id = :o)"), {"o": org.org_id})).one()
    assert tuple(counts) == (1, 1)


async def test_a_reply_can_only_be_revised_once_declined(gql, desk):
    case = (await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1]))["data"]["registerCase"]["case"]
    body = (await gql(REVISE, {"c": case["id"], "r": REPLY}, token=desk["sup"][1]))["data"]["reviseWrittenReply"]
    assert body["errors"][0]["code"] == "INVALID_STATE"


async def test_written_replies_stay_inside_their_company(gql, desk, other_org, client):
    c = await declined_case(gql, desk)
    reply = (await gql(REPLIES, {"c": c}, token=desk["agent"][1]))["data"]["writtenReplies"][0]
    outsider = await gql.login(other_org)
    assert (await gql(REPLIES, {"c": c}, token=outsider))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(REVISE, {"c": c, "r": REPLY}, token=outsider))["data"]["reviseWrittenReply"]["errors"][0]["code"] == "NOT_FOUND"
    delivery = {"replyId": reply["id"], "via": "POST", "recipient": "x", "deliveredAt": datetime.now(UTC).isoformat()}
    assert (await gql(DELIVER, {"i": delivery}, token=outsider))["data"]["recordReplyDelivery"]["errors"][0]["code"] == "NOT_FOUND"
    r = await client.get(reply["printPath"], headers={"authorization": f"Bearer {outsider}"})
    # Only the coded refusal, which names the thing: nothing of the reply itself.
    assert r.status_code == 404 and r.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert not any(words in r.text for words in (REPLY["reason"], REPLY["basis"], *REPLY["alternatives"]))
    assert (await gql(REPLIES, {"c": c}, token=desk["agent"][1]))["data"]["writtenReplies"][0]["deliveries"] == []


async def test_the_reads_name_the_company_and_give_another_company_nothing(gql, desk, platform, org, other_org):
    c = await declined_case(gql, desk)
    reply = (await gql(REPLIES, {"c": c}, token=desk["agent"][1]))["data"]["writtenReplies"][0]
    delivery = {"replyId": reply["id"], "via": "POST", "recipient": "业主本人", "deliveredAt": datetime.now(UTC).isoformat()}
    assert (await gql(DELIVER, {"i": delivery}, token=desk["agent"][1]))["data"]["recordReplyDelivery"]["errors"] == []
    case_id, reply_id = from_global_id(c, "Case"), from_global_id(reply["id"], "WrittenReply")

    async def reads(db):
        return await written_reply(db, reply_id), await written_replies(db, case_id), await deliveries_of_replies(db, [reply_id])

    one, versions, deliveries = await read_as(platform, org, reads)
    assert (one.id, one.case_id, one.signed_by, one.project_name) == (reply_id, case_id, "sup", "项目1")
    assert [v.id for v in versions] == [reply_id] and [(d.reply_id, d.recipient) for d in deliveries] == [(reply_id, "业主本人")]
    assert await read_as(platform, other_org, reads) == (None, [], [])
