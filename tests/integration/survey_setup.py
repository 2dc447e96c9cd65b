"""What the survey tests share: a project's buildings of flats with someone living in each (and
some empty), and a questionnaire of each kind of question, written as the owner."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from domain.surveys import service
from domain.surveys.commands import CampaignStep, CreateCampaign, CreateQuestionnaire
from domain.surveys.model import CampaignSpec, OptionSpec, QuestionSpec
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role

QUESTIONS = (QuestionSpec("rating", "您对物业服务总体是否满意？", dimension="overall", weight=40),
             QuestionSpec("single", "公共区域保洁是否及时？", dimension="cleaning", weight=20,
                          options=(OptionSpec("及时", 100), OptionSpec("一般", 60), OptionSpec("不及时", 0))),
             QuestionSpec("multiple", "您希望改进哪些方面？", required=False,
                          options=(OptionSpec("绿化"), OptionSpec("停车"), OptionSpec("门禁"))),
             QuestionSpec("text", "其他意见和建议", required=False))


async def populate(owner_engine, org, project: str, buildings: dict[str, int], *, empty: int = 0) -> dict[str, list[uuid.UUID]]:
    """Each building's flats, each with a resident living there now; `empty` more flats per
    building with nobody (never sampled)."""
    flats: dict[str, list[uuid.UUID]] = {}
    p = org.projects[project]
    async with owner_engine.begin() as conn:
        for name, count in buildings.items():
            b = uuid.uuid4()
            await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name) VALUES (:o, :p, :b, :n)"),
                               {"o": org.org_id, "p": p, "b": b, "n": name})
            flats[name] = []
            for n in range(count + empty):
                u, r = uuid.uuid4(), uuid.uuid4()
                await conn.execute(text("INSERT INTO units (org_id, project_id, id, building_id, number, floor) "
                                        "VALUES (:o, :p, :u, :b, :n, 1)"), {"o": org.org_id, "p": p, "u": u, "b": b, "n": f"{n + 101}"})
                if n >= count:
                    continue
                flats[name].append(u)
                await conn.execute(text("INSERT INTO residents (org_id, project_id, id, name) VALUES (:o, :p, :r, :n)"),
                                   {"o": org.org_id, "p": p, "r": r, "n": f"住户{name}{n}"})
                await conn.execute(text("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role) "
                                        "VALUES (:o, :p, :u, :r, 'owner')"), {"o": org.org_id, "p": p, "u": u, "r": r})
    return flats


def uow_of(platform, org) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def questionnaire(platform, org, title: str = "年度满意度调查") -> uuid.UUID:
    return await service.create_questionnaire(CreateQuestionnaire(title, "感谢参与", QUESTIONS), uow_of(platform, org))


async def opened(platform, org, questionnaire_id: uuid.UUID, *, project: str = "P1", mode: str = "percent", value: int = 50,
                 seed: str | None = "s1", cooldown: int = 90) -> uuid.UUID:
    now = datetime.now(UTC)
    spec = CampaignSpec(f"调查-{uuid.uuid4().hex[:6]}", now - timedelta(minutes=1), now + timedelta(days=14), mode, value, cooldown,
                        seed)
    cid = await service.create_campaign(CreateCampaign(org.projects[project], questionnaire_id, spec), uow_of(platform, org))
    await service.open_campaign(CampaignStep(cid), uow_of(platform, org))
    return cid


async def sample_of(owner_engine, campaign_id: uuid.UUID) -> set[uuid.UUID]:
    async with owner_engine.connect() as conn:
        return {r[0] for r in await conn.execute(text("SELECT unit_id FROM survey_samples WHERE campaign_id = :c"),
                                                  {"c": campaign_id})}
