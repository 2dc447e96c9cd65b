"""档案 and 住户 in a real browser (docs/archive.md §8): an agent finds a building's flats as a grid,
opens a flat and its people, opens a resident, reveals the phone with a reason (shown, then masked
again; the reveal recorded with its reason), moves the resident out and back in; the case page names
the flat and the resident and links to them; a project manager reads who revealed what; a
technician is refused the archive."""

from __future__ import annotations

import re
import uuid
from datetime import date

from playwright.async_api import Page, expect
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tenants.personal_data import PersonalDataCipher, mask_phone
from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user

NAMES = "陈静 刘洋 杨帆 黄磊 赵敏 吴昊 周婷 徐强 孙丽 马超 朱琳 胡军 郭雪 何平 高远 林峰 罗娟 郑凯 梁爽".split()
REVEALS = ("query($p: ID!, $r: ID) { personalDataReveals(projectId: $p, residentId: $r) "
           "{ edges { node { actorName field reason } } } }")


async def _estate(owner_engine, settings, org) -> dict:
    """项目1's archive as the demo keeps one: 1号楼 of six floors, four flats a floor — two marked
    vacant, two with nobody on file —, 2号楼 and the 30-floor 9号楼; 王建国 owns 301 with his family, 张伟 rented it
    before. Phones sealed as the API seals them, so a reveal decrypts a real number."""
    cipher = PersonalDataCipher(settings.secret("data_key"), settings.secret("lookup_key"))
    o, p = org.org_id, org.projects["P1"]
    b1, b2, tower = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    units = {f"{f}{n:02d}": uuid.uuid4() for f in range(1, 7) for n in range(1, 5)}
    vacant, unaccounted = {"102", "103"}, {"504", "604"}
    people: list[tuple[uuid.UUID, str, str | None]] = []
    stays: list[dict] = []

    def person(name: str, phone: str | None) -> uuid.UUID:
        rid = uuid.uuid4()
        people.append((rid, name, phone))
        return rid

    owner = person("王建国", "13800138000")
    stays += [{"u": units["301"], "r": owner, "role": "owner", "pc": True, "i": date(2021, 3, 1), "x": None},
              {"u": units["301"], "r": person("李秀英", "13900139001"), "role": "family", "pc": False, "i": date(2021, 3, 1),
               "x": None},
              {"u": units["301"], "r": person("张伟", "13600136002"), "role": "tenant", "pc": False, "i": date(2018, 5, 1),
               "x": date(2021, 2, 20)}]
    others = iter(NAMES)
    for number, unit in units.items():
        if number not in vacant | unaccounted | {"301"}:
            stays.append({"u": unit, "r": person(next(others), f"1580000{len(people):04d}"), "role": "owner", "pc": True,
                          "i": None, "x": None})
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name, floors) VALUES (:o, :p, :b1, '1号楼', 6), "
                                "(:o, :p, :b2, '2号楼', 2), (:o, :p, :t, '9号楼', 30)"), {"o": o, "p": p, "b1": b1, "b2": b2, "t": tower})
        # A tower of 120 flats, more than one page of the API (100): the grid shows them all.
        await conn.execute(text("INSERT INTO units (org_id, project_id, building_id, number, floor, vacant) "
                                "SELECT :o, :p, :t, f || lpad(n::text, 2, '0'), f, true "
                                "FROM generate_series(1, 30) f, generate_series(1, 4) n"), {"o": o, "p": p, "t": tower})
        await conn.execute(text("INSERT INTO units (org_id, project_id, id, building_id, number, floor, area_m2, vacant) "
                                "VALUES (:o, :p, :id, :b, :n, :f, 89, :v)"),
                           [{"o": o, "p": p, "id": u, "b": b1, "n": n, "f": int(n[0]), "v": n in vacant} for n, u in units.items()])
        await conn.execute(text("INSERT INTO residents (org_id, project_id, id, name, phone_enc, phone_hash, phone_masked) "
                                "VALUES (:o, :p, :id, :n, :pe, :ph, :pm)"),
                           [{"o": o, "p": p, "id": rid, "n": name, "pe": cipher.encrypt(phone), "ph": cipher.lookup_hash(phone),
                             "pm": mask_phone(phone)} for rid, name, phone in people if phone])
        await conn.execute(text("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact, "
                                "moved_in_on, moved_out_on) VALUES (:o, :p, :u, :r, :role, :pc, :i, :x)"),
                           [{"o": o, "p": p, **s} for s in stays])
    return {"owner": to_global_id("Resident", owner), "unit": to_global_id("Unit", units["301"]),
            "project": to_global_id("Project", p)}


async def _case_for(gql, org, estate) -> str:
    body = await gql('mutation($p: ID!, $u: ID!, $r: ID!) { registerCase(input: {projectId: $p, kind: REPAIR, channel: PHONE, '
                     'category: "water_power", unitId: $u, reporterResidentId: $r, description: "卫生间下水道堵塞"}) '
                     '{ case { id number } errors { code message } } }',
                     {"p": estate["project"], "u": estate["unit"], "r": estate["owner"]}, token=await gql.login(org))
    assert body["data"]["registerCase"]["errors"] == [], body
    return body["data"]["registerCase"]["case"]["number"]


async def _stays(page: Page) -> list[str]:
    rows = page.get_by_test_id("resident-stays").locator("tbody tr.ant-table-row")
    return [re.sub(r"\s+", " ", t) for t in await rows.all_inner_texts()]


async def test_an_agent_keeps_the_archive_and_a_technician_is_refused(page, org, owner_engine, settings, gql):
    estate = await _estate(owner_engine, settings, org)
    number = await _case_for(gql, org, estate)
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "pm", "project_manager", "P1")
    await add_user(owner_engine, org, "tech", "technician", "P1")

    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("档案")).click()
    await expect(page.get_by_test_id("building")).to_have_count(3)
    await expect(page.get_by_test_id("building").first).to_contain_text("1号楼")
    grid = page.get_by_test_id("flat-grid")
    await expect(grid.get_by_test_id("flat")).to_have_count(24)
    await expect(grid.locator("[data-state=vacant]")).to_have_count(2)
    await expect(grid.locator("[data-state=unaccounted]")).to_have_count(2)
    flat = grid.get_by_test_id("flat").filter(has_text="301")
    await expect(flat).to_contain_text("2人")  # 张伟 moved out: two live there now
    await shot(page, "70-archive-flat-grid")
    await page.get_by_test_id("building").filter(has_text="9号楼").click()
    await expect(grid.get_by_test_id("flat")).to_have_count(120)
    await expect(grid.locator("[data-state=vacant]")).to_have_count(120)
    await shot(page, "70b-archive-tower")
    await page.get_by_test_id("building").filter(has_text="1号楼").click()
    await expect(grid.get_by_test_id("flat")).to_have_count(24)

    await flat.click()
    drawer = page.get_by_test_id("unit-drawer")
    await expect(page.get_by_test_id("unit-drawer-title")).to_have_text("1号楼 301")
    await expect(drawer.get_by_test_id("occupants-now")).to_contain_text("王建国")
    await expect(drawer.get_by_test_id("occupants-now")).to_contain_text("李秀英")
    await expect(drawer.get_by_test_id("occupants-before")).to_contain_text("张伟")
    await expect(drawer.get_by_test_id("occupants-before")).to_contain_text("2021-02-20")
    await page.wait_for_timeout(300)  # the drawer's slide-in, for the picture
    await shot(page, "71-archive-flat-drawer")

    await drawer.get_by_test_id("occupant-link").filter(has_text="王建国").click()
    await expect(page.get_by_test_id("resident-title")).to_have_text("王建国")
    phone = page.get_by_test_id("phone-value")
    await expect(phone).to_have_text("138****8000")
    await expect(page.get_by_test_id("resident-open-cases")).to_contain_text(number)
    await expect(page.get_by_test_id("resident-reveals")).to_have_count(0)  # an agent does not read the audit trail

    # 显示 with a reason: the number, a countdown, and the reveal recorded with that reason.
    await page.get_by_test_id("phone-reveal").click()
    form = page.get_by_test_id("phone-reveal-form")
    await form.get_by_text("回访联系").click()
    await form.get_by_test_id("phone-reveal-confirm").click()
    await expect(phone).to_have_text("13800138000")
    await expect(page.get_by_test_id("phone-countdown")).to_contain_text("秒后隐藏")
    await shot(page, "72-resident-phone-revealed")
    reveals = await gql(REVEALS, {"p": estate["project"], "r": estate["owner"]}, token=await gql.login(org))
    assert reveals["data"]["personalDataReveals"]["edges"] == [
        {"node": {"actorName": "agent", "field": "PHONE", "reason": "回访联系"}}], reveals

    # 迁出 today, then 迁入 the same flat again: the closed stay stays in the history.
    await page.get_by_test_id("move-out").click()
    out = page.get_by_test_id("move-out-drawer")
    await expect(out).to_contain_text("1号楼 301")
    await out.get_by_test_id("move-out-drawer-submit").click()
    await expect(out).to_have_count(0)
    await expect(page.get_by_test_id("move-out")).to_have_count(0)
    assert [s for s in await _stays(page) if "已迁出" in s and "1号楼 301" in s]
    await page.get_by_test_id("move-in").click()
    into = page.get_by_test_id("move-in-drawer")
    await into.get_by_test_id("move-in-unit").click()
    await page.keyboard.type("301")
    await page.locator(".ant-select-item-option", has_text="1号楼 301").click()
    await into.get_by_test_id("move-in-drawer-submit").click()
    await expect(into).to_have_count(0)
    await expect(page.get_by_test_id("move-out")).to_have_count(1)
    stays = await _stays(page)
    assert len(stays) == 2 and "现住" in stays[0] and "已迁出" in stays[1], stays
    # The number masks itself again after 30 seconds.
    await expect(phone).to_have_text("138****8000", timeout=35_000)
    await shot(page, "73-resident-moved-out-and-in")

    # 住户: the table by phone (any spelling) and by flat.
    await page.goto("/archive?tab=residents")
    search = page.get_by_test_id("resident-search")
    await search.get_by_label("电话").fill("138 0013 8000")
    await search.get_by_test_id("resident-search-submit").click()
    table = page.get_by_test_id("resident-table")
    await expect(table.locator("tbody tr.ant-table-row")).to_have_count(1)
    await expect(table).to_contain_text("王建国")
    await search.get_by_label("电话").fill("")
    await search.get_by_label("房号").fill("1-301")
    await search.get_by_test_id("resident-search-submit").click()
    await expect(page.get_by_test_id("flat-note")).to_contain_text("1号楼 301")
    await expect(table.locator("tbody tr.ant-table-row")).to_have_count(2)
    await shot(page, "74-archive-residents")
    await table.get_by_text("王建国").click()
    await expect(page.get_by_test_id("resident-title")).to_have_text("王建国")

    # The case page names the flat and the resident, who links back to their page.
    await page.get_by_test_id("resident-open-cases").get_by_test_id("resident-case").click()
    await expect(page.get_by_test_id("case-unit")).to_have_text("1号楼 301")
    resident = page.get_by_test_id("case-resident")
    await expect(resident).to_contain_text("王建国")
    await expect(resident).to_contain_text("138****8000")
    await shot(page, "75-case-flat-and-resident")
    case_url = page.url
    await resident.get_by_test_id("case-resident-link").click()
    await expect(page).to_have_url(re.compile(r"/residents/"))
    await expect(page.get_by_test_id("resident-title")).to_have_text("王建国")
    resident_url = page.url
    await sign_out(page)

    # A project manager reads who revealed the number, and why.
    await sign_in(page, org.slug, "pm", PASSWORD)
    await page.goto(resident_url)
    log = page.get_by_test_id("resident-reveals")
    await expect(log).to_contain_text("回访联系")
    await expect(log).to_contain_text("agent")
    await shot(page, "76-resident-reveal-log")
    await sign_out(page)

    # A technician: no 档案 in the menu; typed in, a plain refusal and no 住户 tab.
    await sign_in(page, org.slug, "tech", PASSWORD)
    await expect(page.get_by_role("menuitem", name=re.compile("档案"))).to_have_count(0)
    await page.goto("/archive?tab=residents")
    await expect(page.get_by_text("无权查看档案")).to_be_visible()
    await expect(page.get_by_role("tab", name=re.compile("住户"))).to_have_count(0)
    await shot(page, "77-archive-technician-refused")
    # On a case the technician learns whom to call, not the archive: no link, no 显示 (not theirs).
    await page.goto(case_url)
    resident = page.get_by_test_id("case-resident")
    await expect(resident).to_contain_text("王建国")
    await expect(resident).to_contain_text("138****8000")
    await expect(resident.get_by_test_id("case-resident-link")).to_have_count(0)
    await expect(resident.get_by_test_id("phone-reveal")).to_have_count(0)


async def test_a_manager_builds_the_archive_from_nothing_and_hq_only_reads_it(page, org, owner_engine, gql):
    await add_user(owner_engine, org, "pm", "project_manager", "P1")
    await add_user(owner_engine, org, "hq", "hq_supervisor", None)
    project = to_global_id("Project", org.projects["P1"])

    await sign_in(page, org.slug, "pm", PASSWORD)
    await page.goto(f"/archive?project={project}")
    await expect(page.get_by_test_id("building-list")).to_contain_text("还没有楼栋")
    await page.get_by_test_id("new-building").click()
    drawer = page.get_by_test_id("building-drawer")
    await drawer.get_by_label("楼栋名称").fill("5号楼")
    await drawer.get_by_label("层数").fill("12")
    await page.keyboard.press("Control+Enter")
    await expect(drawer).to_have_count(0)
    await expect(page.get_by_test_id("building-title")).to_have_text("5号楼")

    for attempt in range(2):  # the second time the flat is on file: CONFLICT under the form
        await page.get_by_test_id("new-flat").click()
        form = page.get_by_test_id("unit-form-drawer")
        await form.get_by_label("单元").fill("1")
        await form.get_by_label("房号").fill("1201")
        await form.get_by_label("楼层").fill("12")
        await form.get_by_label("建筑面积").fill("96.5")
        await form.get_by_test_id("unit-form-drawer-submit").click()
        if attempt == 0:
            await expect(form).to_have_count(0)
    error = form.get_by_test_id("form-error")
    await expect(error).to_contain_text("该楼栋已有房屋")
    await expect(error).to_contain_text("CONFLICT")
    await shot(page, "78-archive-flat-conflict")
    await form.get_by_role("button", name="关闭 Close").click()
    flat = page.get_by_test_id("flat")
    await expect(flat).to_have_count(1)
    await expect(flat).to_have_attribute("data-state", "unaccounted")

    await flat.click()  # 修改房屋: marked vacant, the grid turns it grey
    await page.get_by_test_id("edit-flat").click()
    edit = page.get_by_test_id("unit-form-drawer")
    await edit.get_by_label(re.compile("空置")).check()
    await edit.get_by_test_id("unit-form-drawer-submit").click()
    await expect(edit).to_have_count(0)
    await expect(page.get_by_test_id("unit-state")).to_have_text("空置")
    await page.keyboard.press("Escape")
    await expect(flat).to_have_attribute("data-state", "vacant")

    # 登记住户: a wrong phone answered under the form, then the resident in that flat.
    await page.get_by_role("tab", name=re.compile("住户")).click()
    await page.get_by_test_id("register-resident").click()
    reg = page.get_by_test_id("register-drawer")
    await reg.get_by_label("姓名或单位名称").fill("赵雷")
    await reg.get_by_label("电话").fill("12345")
    await reg.get_by_test_id("register-unit").click()
    await page.keyboard.type("1201")
    await page.locator(".ant-select-item-option", has_text="5号楼 1单元 1201").click()
    await reg.get_by_test_id("register-drawer-submit").click()
    await expect(reg.get_by_test_id("form-error")).to_contain_text("手机号或固话格式不正确")
    await shot(page, "79-archive-register-bad-phone")
    await reg.get_by_label("电话").fill("+86 139 1234 5678")
    await reg.get_by_test_id("register-drawer-submit").click()
    await expect(page.get_by_test_id("resident-title")).to_have_text("赵雷")
    await expect(page.get_by_test_id("phone-value")).to_have_text("139****5678")
    assert await _stays(page) == ["5号楼 1单元 1201 业主 — — 现住 迁出 Move out"], await _stays(page)

    # 核实 and 编辑.
    await expect(page.get_by_test_id("resident-verified")).to_have_text("从未核实")
    await page.get_by_test_id("confirm-resident").click()
    await expect(page.get_by_test_id("resident-verified")).not_to_have_text("从未核实")
    await page.get_by_test_id("edit-resident").click()
    edit = page.get_by_test_id("edit-resident-drawer")
    await edit.get_by_label("备注").fill("夜班，白天勿扰")
    await page.keyboard.press("Control+Enter")
    await expect(edit).to_have_count(0)
    await expect(page.get_by_test_id("resident-header")).to_contain_text("夜班，白天勿扰")

    # Thirty reveals in the hour: the next one is refused with the API's message, Chinese first.
    resident = page.url.rsplit("/", 1)[1]
    token = await gql.login(org, "pm")
    for _ in range(30):
        body = await gql('mutation($r: ID!) { revealResidentData(residentId: $r, field: PHONE, reason: "核实身份") '
                         '{ errors { code } } }', {"r": resident}, token=token)
        assert body["data"]["revealResidentData"]["errors"] == [], body
    await page.get_by_test_id("phone-reveal").click()
    form = page.get_by_test_id("phone-reveal-form")
    await form.get_by_text("其他…").click()
    await form.get_by_label("其他原因").fill("业主委托查询")
    await form.get_by_test_id("phone-reveal-confirm").click()
    refused = form.get_by_test_id("phone-reveal-error")
    await expect(refused).to_contain_text("RATE_LIMITED")
    await expect(refused).to_contain_text("分钟后可再查看")
    await expect(page.get_by_test_id("phone-value")).to_have_text("139****5678")
    await shot(page, "80-resident-reveal-rate-limited")
    await sign_out(page)

    # Headquarters reads the archive and is offered no form.
    await sign_in(page, org.slug, "hq", PASSWORD)
    await page.goto(f"/archive?project={project}")
    await expect(page.get_by_test_id("archive-read-only")).to_be_visible()
    await expect(page.get_by_test_id("flat")).to_have_count(1)
    await expect(page.get_by_test_id("new-building")).to_have_count(0)
    await expect(page.get_by_test_id("new-flat")).to_have_count(0)
    await page.goto(f"/residents/{resident}")
    await expect(page.get_by_test_id("resident-title")).to_have_text("赵雷")
    await expect(page.get_by_test_id("edit-resident")).to_have_count(0)
    await expect(page.get_by_test_id("phone-reveal")).to_have_count(0)
    await expect(page.get_by_test_id("resident-reveals")).to_contain_text("核实身份")
    await shot(page, "81-resident-hq-read-only")
