"""node(id) for the HQ objects — alerts, bulletins, inspections and checklists: found by their own
company, null for another."""

from __future__ import annotations

from sqlalchemy import text

from api.graphql.types.node import to_global_id

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


async def _rows(owner_engine, org) -> dict[str, str]:
    ids = {"o": org.org_id, "p": org.projects["P1"], "admin": org.admin_id}
    async with owner_engine.begin() as conn:
        made = {
            "Alert": (await conn.execute(text(
                "INSERT INTO alerts (org_id, project_id, rule, scope_key, colour, title, detail, case_ids) "
                "VALUES (:o, :p, 'risk_words', 'case:n', 'red', '风险词', '媒体', '{}') RETURNING id"), ids)).scalar(),
            "Bulletin": (await conn.execute(text(
                "INSERT INTO bulletins (org_id, project_id, kind, title, body, month, drafted_by, state, published_by, published_at) "
                "VALUES (:o, :p, 'praise', '表扬', '处理及时', date_trunc('month', now())::date, 'user:x', 'published', 'user:x', now()) "
                "RETURNING id"), ids)).scalar(),
        }
        ids["ck"] = made["InspectionChecklist"] = (await conn.execute(text(
            "INSERT INTO inspection_checklists (org_id, name, created_by) "
            "VALUES (:o, '月度品质检查', 'user:x') RETURNING id"), ids)).scalar()
        await conn.execute(text("INSERT INTO inspection_checklist_items (org_id, checklist_id, position, title, max_points) "
                                "VALUES (:o, :ck, 1, '大堂地面洁净', 10)"), ids)
        made["Inspection"] = (await conn.execute(text(
            "INSERT INTO inspections (org_id, project_id, checklist_id, inspector_id, inspected_on, state, total_points, max_points, "
            "score, submitted_at) VALUES (:o, :p, :ck, :admin, current_date, 'submitted', 8, 10, 80, now()) RETURNING id"), ids)).scalar()
    return {kind: to_global_id(kind, value) for kind, value in made.items()}


async def test_node_finds_hq_objects_of_its_own_company_only(gql, owner_engine, org, other_org):
    gids = await _rows(owner_engine, org)
    mine, theirs = await gql.login(org), await gql.login(other_org)
    for kind, gid in gids.items():
        assert (await gql(NODE, {"id": gid}, token=mine))["data"]["node"] == {"__typename": kind, "id": gid}, kind
        assert (await gql(NODE, {"id": gid}, token=theirs))["data"]["node"] is None, f"{kind} crossed companies"
