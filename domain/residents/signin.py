"""住户登录 The exchange (docs/resident-services.md §2.1): an integrator's backend has checked who the
person is (an SMS code, WeChat's phone-number check) and, with its API key, asks for their
resident tokens. It runs in the key's own unit of work, so row-level security bounds the match to
the key's company and projects. Every matched resident is a session (a person with flats in two
projects is two residents); a WeChat identity sent with the phone is bound to each of them, so a
later sign-in by the openid alone finds them. Each exchange is audited — the key and the
resident, never the phone or openid. The tokens are issued by the caller and never stored."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.archive.values import BadValue, canonical_phone
from domain.errors import DomainError, ErrorCode, ErrorReason, forbidden, invalid
from domain.residents import quota
from domain.residents import repository as residents
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.personal_data import PersonalDataCipher
from tenants.roles import Permission

MAX_IDENTITY = 64  # WeChat appids are 18 characters, openids 28, unionids 29


@dataclass(frozen=True)
class SignIn:
    phone: str | None = None
    wechat_app_id: str | None = None
    openid: str | None = None
    unionid: str | None = None
    project_id: UUID | None = None
    channel: str = "app"  # app | wechat: what a case registered with the token is recorded as


@dataclass(frozen=True)
class Signed:
    resident_id: UUID
    project_id: UUID


def _identity(value: str | None, field: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > MAX_IDENTITY:
        raise invalid(f"「{field}」最多 {MAX_IDENTITY} 个字符。{field} may have at most {MAX_IDENTITY} characters.", field)
    return value


async def sign_in(cmd: SignIn, uow: UnitOfWork, *, key_id: UUID | None, cipher: PersonalDataCipher) -> list[Signed]:
    """The residents the key may sign in as this person, at most ten; NOT_FOUND (NO_RESIDENT) when none."""
    if key_id is None:
        raise forbidden("仅限集成方 API 密钥：住户登录由集成方服务器用其密钥发起。"
                        "Only an integrator's API key may sign a resident in.")
    try:
        phone = canonical_phone(cmd.phone) if cmd.phone and cmd.phone.strip() else None
    except BadValue as e:
        raise invalid(e.message, "phone") from None
    app_id, openid = _identity(cmd.wechat_app_id, "wechatAppId"), _identity(cmd.openid, "openid")
    unionid = _identity(cmd.unionid, "unionid")
    if (openid is None) != (app_id is None):
        raise invalid("须同时提供 openid 与 wechatAppId。Send openid together with wechatAppId.", "openid")
    if phone is None and openid is None:
        raise invalid("请提供手机号或微信 openid。Send a phone number, or a WeChat openid with its wechatAppId.", "phone")
    identities = [("wechat_openid", app_id or "", openid), ("wechat_unionid", "", unionid)]
    hashes = [(kind, app, cipher.exact_hash(f"{kind}:{app}:{value}")) for kind, app, value in identities if value]
    async with uow:
        if cmd.project_id is not None:
            uow.require(Permission.RESIDENT_SIGN_IN, cmd.project_id)
        await quota.count(uow.conn, quota.KEY_EXCHANGES, uow.org_id, subject_hash=cipher.exact_hash(f"key:{key_id}"))
        subject = f"phone:{phone}" if phone else f"wechat_openid:{app_id}:{openid}"
        await quota.count(uow.conn, quota.IDENTITY_EXCHANGES, uow.org_id, subject_hash=cipher.exact_hash(subject))
        if phone is not None:
            rows = await residents.by_phone(uow.conn, uow.org_id, cipher.lookup_hash(phone), cmd.project_id)
        else:
            kind, app, value_hash = hashes[0]
            rows = await residents.by_identity(uow.conn, uow.org_id, kind, app, value_hash, cmd.project_id)
        signed = [Signed(r.id, r.project_id) for r in rows if uow.may(Permission.RESIDENT_SIGN_IN, r.project_id)]
        if not signed:
            raise DomainError(ErrorCode.NOT_FOUND, "档案中没有该住户（或已迁出）。No resident on file matches (or they have moved out).",
                              "phone" if phone else "openid", reason=ErrorReason.NO_RESIDENT)
        record = Aggregate()
        for s in signed:
            if phone is not None:
                for kind, app, value_hash in hashes:
                    await residents.bind(uow.conn, uow.org_id, s.project_id, s.resident_id, kind, app, value_hash, key_id)
            record.audit.append(AuditEntry(action="resident.signed_in", entity="resident", entity_id=s.resident_id,
                                           project_id=s.project_id,
                                           data={"key_id": str(key_id), "method": "phone" if phone else "wechat",
                                                 "channel": cmd.channel}))
        uow.track(record)
        await uow.commit()
    return signed
