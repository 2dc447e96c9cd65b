"""The demo company 示范物业: headquarters, 12 projects of different types, buildings, units,
residents with Chinese names, every department, staff in every role, logins, an integrator key,
an owner app's key, and a property fee with last month's bills in the first project. Seeded once;
a second run finds the company and reuses it."""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from tqdm import tqdm

from domain.kpi.rollups import rebuild
from firstcall.demo_fees import add_fees
from firstcall.demo_history import add_duty_roster, add_history
from tenants.auth.passwords import hash_password
from tenants.auth.tokens import TokenSigner
from tenants.db import DatabaseUrls
from tenants.personal_data import PersonalDataCipher, mask_id_number, mask_phone
from domain.directory import service as directory
from domain.directory.commands import CreateApiKey
from domain.directory.provisioning import ProjectInput, as_system, create_organization, create_project
from domain.archive.values import id_check_digit
from tenants.roles import Permission, Role
from tenants.settings import Settings

SLUG = "demo"
NAME = "示范物业"
PASSWORD = "firstcall-demo"

PROJECTS = [
    ("XH", "翠湖花园", "residential", "杭州", "西湖区翠湖路88号", 6, 18),
    ("JS", "锦绣江南", "residential", "杭州", "滨江区江南大道1200号", 8, 26),
    ("YJ", "云景公寓", "residential", "上海", "浦东新区云景路16号", 4, 32),
    ("ZX", "中心大厦", "office", "上海", "黄浦区中山东一路6号", 1, 38),
    ("JR", "前海金融中心", "cbd", "深圳", "南山区前海大道2000号", 3, 45),
    ("XG", "星河广场", "commercial", "深圳", "福田区星河路9号", 2, 6),
    ("LS", "林语山庄", "villa", "杭州", "余杭区林语路3号", 12, 3),
    ("BY", "碧云别墅", "villa", "苏州", "吴中区碧云路18号", 10, 3),
    ("KC", "科创园", "industrial", "苏州", "工业园区创新路100号", 5, 8),
    ("BJ", "滨江壹号", "residential", "南京", "鼓楼区滨江路1号", 6, 30),
    ("TY", "天悦城", "mixed", "南京", "建邺区天悦路66号", 5, 24),
    ("GM", "国贸中心", "office", "北京", "朝阳区建国门外大街1号", 2, 40),
]
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉玉兰海燕鹏飞丹宇欣怡浩然子涵思远雨萱梓轩晨阳嘉怡俊杰佳琪"

# Each project's register of outside bodies (外部单位): on paper, so the demo needs no network.
OUTSIDE_BODIES = [
    ("street_office", "{district}街道办事处", "城管科", 5), ("residents_committee", "{name}社区居委会", "居委会主任", 3),
    ("police_station", "{district}派出所", "社区民警", 3), ("law_enforcement", "{district}城管执法中队", "执法队长", 5),
    ("housing_bureau", "{city}住房和城乡建设局", "物业科", 10), ("utility", "{city}供电公司", "客户服务中心", 2),
]

AREA_CODES = {"杭州": "0571", "上海": "021", "深圳": "0755", "苏州": "0512", "南京": "025", "北京": "010"}

HQ_USERS = [(Role.ORG_ADMIN, "admin", "企业管理员"), (Role.HQ_SUPERVISOR, "hq", "总部督导"), (Role.HQ_QUALITY, "quality", "总部品质")]
PROJECT_USERS = [
    (Role.PROJECT_MANAGER, "pm", "项目经理", "admin"),
    (Role.CS_SUPERVISOR, "cssup", "客服主管", "customer_service"),
    (Role.CS_AGENT, "agent", "客服专员", "customer_service"),
    (Role.DISPATCHER, "dispatch", "调度员", "customer_service"),
    (Role.TECHNICIAN, "tech", "维修工", "engineering"),
    (Role.STAFF, "staff", "秩序维护员", "security"),
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "136", "158", "186", "177")) + f"{rng.randrange(10**8):08d}"


def _id_number(rng: random.Random) -> str:
    first17 = (f"{rng.choice((110101, 310104, 330106, 440305, 320505))}{rng.randrange(1960, 2004)}"
               f"{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{rng.randrange(1000):03d}")
    rng.choice("0123456789X")  # the old random check digit, still drawn so every later draw of the demo stays the same
    return first17 + id_check_digit(first17)


async def _seed_project(conn: AsyncConnection, org_id: uuid.UUID, spec: tuple, rng: random.Random,
                        cipher: PersonalDataCipher, pw_hash: str, logins: list[dict[str, str]]) -> None:
    code, name, ptype, city, address, n_buildings, floors = spec
    units_per_floor = 1 if ptype == "villa" else (2 if ptype in ("office", "cbd", "commercial") else 4)
    households = n_buildings * floors * units_per_floor
    project_id = await create_project(conn, org_id, "system:demo", ProjectInput(code, name, ptype, city, address, households))
    departments = {r.kind: r.id for r in await conn.execute(
        text("SELECT kind, id FROM departments WHERE org_id = :o AND project_id = :p"), {"o": org_id, "p": project_id})}
    unit_rows, resident_rows, stay_rows = [], [], []
    for b in range(1, n_buildings + 1):
        building_id = uuid.uuid4()
        bname = f"{b}号楼" if ptype != "villa" else f"{b}栋"
        await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name, floors) VALUES (:o, :p, :id, :n, :f)"),
                           {"o": org_id, "p": project_id, "id": building_id, "n": bname, "f": floors})
        for f in range(1, floors + 1):
            for u in range(1, units_per_floor + 1):
                unit_id = uuid.uuid4()
                unit_rows.append({"o": org_id, "p": project_id, "id": unit_id, "b": building_id,
                                  "n": f"{f}{u:02d}", "f": f, "a": rng.choice((68, 89, 96, 120, 143, 180, 260))})
                for i in range(rng.choice((1, 1, 2, 3))):
                    phone, idn, resident_id = _phone(rng), _id_number(rng), uuid.uuid4()
                    resident_rows.append({
                        "o": org_id, "p": project_id, "id": resident_id, "n": _name(rng),
                        "pe": cipher.encrypt(phone), "ph": cipher.lookup_hash(phone), "pm": mask_phone(phone),
                        "ie": cipher.encrypt(idn), "ih": cipher.lookup_hash(idn), "im": mask_id_number(idn),
                    })
                    role = "owner" if i == 0 else rng.choice(("family", "family", "tenant"))
                    stay_rows.append({"o": org_id, "p": project_id, "u": unit_id, "r": resident_id, "role": role,
                                      "pc": i == 0})
    await conn.execute(text("INSERT INTO units (org_id, project_id, id, building_id, number, floor, area_m2) "
                            "VALUES (:o, :p, :id, :b, :n, :f, :a)"), unit_rows)
    await conn.execute(text(
        "INSERT INTO residents (org_id, project_id, id, name, phone_enc, phone_hash, phone_masked, "
        "id_kind, id_number_enc, id_number_hash, id_number_masked) "
        "VALUES (:o, :p, :id, :n, :pe, :ph, :pm, 'id_card', :ie, :ih, :im)"), resident_rows)
    # A person and where they live are two things (docs/archive.md §2.1): the stay names the flat.
    await conn.execute(text(
        "INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact) "
        "VALUES (:o, :p, :u, :r, :role, :pc)"), stay_rows)
    # Every department staffed; the first project's people also get logins in every role.
    for dept_id in departments.values():
        for _ in range(rng.randint(2, 4)):
            await conn.execute(text("INSERT INTO staff (org_id, project_id, id, department_id, name, title) "
                                    "VALUES (:o, :p, :id, :d, :n, :t)"),
                               {"o": org_id, "p": project_id, "id": uuid.uuid4(), "d": dept_id, "n": _name(rng), "t": ""})
    district = address[:3]
    for kind, body, contact, days in OUTSIDE_BODIES:
        await conn.execute(text(
            "INSERT INTO outside_bodies (org_id, project_id, kind, name, contact_name, contact_phone, address, delivery, "
            "  feedback_days, created_by) VALUES (:o, :p, :k, :n, :c, :ph, :a, 'letter', :d, 'system:demo')"),
            {"o": org_id, "p": project_id, "k": kind, "n": body.format(district=district, city=city, name=name), "c": contact,
             "ph": f"{AREA_CODES[city]}-{rng.randrange(10**7, 10**8)}", "a": f"{city}{district}", "d": days})
    for role, prefix, title, dept in PROJECT_USERS:
        staff_id, user_id = uuid.uuid4(), uuid.uuid4()
        username = f"{prefix}.{code.lower()}"
        await conn.execute(text("INSERT INTO staff (org_id, project_id, id, department_id, name, title) VALUES (:o, :p, :id, :d, :n, :t)"),
                           {"o": org_id, "p": project_id, "id": staff_id, "d": departments[dept], "n": _name(rng), "t": title})
        await conn.execute(text("INSERT INTO users (org_id, id, staff_id, username, display_name, password_hash) "
                                "VALUES (:o, :id, :s, :u, :d, :h)"),
                           {"o": org_id, "id": user_id, "s": staff_id, "u": username, "d": f"{name}{title}", "h": pw_hash})
        await conn.execute(text("INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES (:o, :u, :r, :p)"),
                           {"o": org_id, "u": user_id, "r": role.value, "p": project_id})
        if code == "XH":
            logins.append({"role": role.value, "username": username, "password": PASSWORD})


async def seed_demo(settings: Settings, urls: DatabaseUrls) -> dict[str, Any]:
    saved = settings.data_dir / "demo.json"
    engine = create_async_engine(urls.owner)
    try:
        async with engine.connect() as conn:
            org_id = (await conn.execute(text("SELECT org_id FROM organizations WHERE slug = :s"), {"s": SLUG})).scalar()
        if org_id is not None and saved.exists():
            return json.loads(saved.read_text())
        if org_id is not None:  # the data is there but the printed details were lost: new key
            return await _details(engine, org_id, settings, [])
        rng = random.Random(2026)
        cipher = PersonalDataCipher(settings.secret("data_key"), settings.secret("lookup_key"))
        org_id, _ = await create_organization(engine, slug=SLUG, name=NAME, admin_username="admin", admin_password=PASSWORD)
        pw_hash = hash_password(PASSWORD)
        logins = [{"role": Role.ORG_ADMIN.value, "username": "admin", "password": PASSWORD}]
        async with engine.begin() as conn:
            for role, username, title in HQ_USERS[1:]:
                user_id = uuid.uuid4()
                await conn.execute(text("INSERT INTO users (org_id, id, username, display_name, password_hash) "
                                        "VALUES (:o, :id, :u, :d, :h)"),
                                   {"o": org_id, "id": user_id, "u": username, "d": title, "h": pw_hash})
                await conn.execute(text("INSERT INTO role_assignments (org_id, user_id, role) VALUES (:o, :u, :r)"),
                                   {"o": org_id, "u": user_id, "r": role.value})
                logins.append({"role": role.value, "username": username, "password": PASSWORD})
        for spec in tqdm(PROJECTS, desc="seeding 示范物业", unit="project"):
            async with engine.begin() as conn:
                await _seed_project(conn, org_id, spec, rng, cipher, pw_hash, logins)
        history = await add_history(engine, org_id)
        await add_duty_roster(engine, org_id)
        await add_fees(engine, org_id)
        async with engine.begin() as conn:  # the history's figures, for the HQ overview from the start
            await conn.execute(text("SELECT set_config('app.org_id', :o, true), set_config('app.project_ids', '*', true)"),
                               {"o": str(org_id)})
            await rebuild(conn)
        return {**await _details(engine, org_id, settings, logins), "history_cases": history}
    finally:
        await engine.dispose()


async def _details(engine, org_id: uuid.UUID, settings: Settings, logins: list[dict[str, str]]) -> dict[str, Any]:
    signer = TokenSigner(settings.secret("secret_key"), settings.access_token_minutes)
    async with engine.begin() as conn:
        projects = [r.id for r in await conn.execute(
            text("SELECT id FROM projects WHERE org_id = :o ORDER BY code LIMIT 2"), {"o": org_id})]
        _, key = await directory.create_api_key(CreateApiKey(name="示范集成 Demo integrator", access="read", project_ids=projects),
                                                as_system(conn, org_id, "system:demo"), hash_secret=signer.hash_secret)
        # An owner app's key signs residents of the first project in (docs/owner-app.md's worked example).
        _, app_key = await directory.create_api_key(
            CreateApiKey(name="示范业主App Demo owner app", access="read_write", project_ids=projects[:1],
                         permissions=[Permission.RESIDENT_SIGN_IN]),
            as_system(conn, org_id, "system:demo"), hash_secret=signer.hash_secret)
        resident = (await conn.execute(text(
            "SELECT r.name, r.phone_enc FROM residents r JOIN occupancies o "
            "ON o.org_id = r.org_id AND o.resident_id = r.id AND o.moved_out_on IS NULL AND o.role = 'owner' "
            "WHERE r.org_id = :o AND r.project_id = :p AND r.erased_at IS NULL AND r.phone_enc IS NOT NULL "
            "ORDER BY r.name, r.id LIMIT 1"), {"o": org_id, "p": projects[0]})).first()
    if not logins:
        logins = [{"role": "org_admin", "username": "admin", "password": PASSWORD}]
    owner_app: dict[str, str] = {"api_key": app_key.token}
    if resident is not None:
        cipher = PersonalDataCipher(settings.secret("data_key"), settings.secret("lookup_key"))
        owner_app |= {"resident": resident.name, "phone": cipher.decrypt(resident.phone_enc)}
    return {"organization": SLUG, "org_id": str(org_id), "logins": logins, "api_key": key.token, "owner_app": owner_app}
