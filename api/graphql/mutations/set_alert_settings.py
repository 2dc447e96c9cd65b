from __future__ import annotations

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.alert import AlertSettingsType, settings_of
from api.graphql.types.errors import UserError
from domain.alerts.repository import SETTING_NAMES
from domain.alerts.rules import DEFAULT_RISK_WORDS, AlertSettings
from domain.outbox import write_audit
from tenants.roles import Permission

_UPSERT = text(
    f"INSERT INTO alert_settings (org_id, {', '.join(SETTING_NAMES)}, updated_by) VALUES (:o, {', '.join(':' + n for n in SETTING_NAMES)}, :by) "
    "ON CONFLICT (org_id) DO UPDATE SET " + ", ".join(f"{n} = EXCLUDED.{n}" for n in SETTING_NAMES)
    + ", updated_at = now(), updated_by = EXCLUDED.updated_by"
)


@strawberry.input(description="预警阈值 Risk words and thresholds; omitted fields take the defaults.")
class AlertSettingsInput:
    # The defaults are the domain's: one place says what a company starts with.
    risk_words: list[str] = strawberry.field(default_factory=lambda: list(DEFAULT_RISK_WORDS))
    cluster_orange: int = AlertSettings.cluster_orange
    cluster_red: int = AlertSettings.cluster_red
    cluster_hours: int = AlertSettings.cluster_hours
    repeat_complaints: int = AlertSettings.repeat_complaints
    repeat_days: int = AlertSettings.repeat_days
    repeat_reopenings: int = AlertSettings.repeat_reopenings
    breach_orange: float = AlertSettings.breach_orange
    breach_red: float = AlertSettings.breach_red
    breach_days: int = AlertSettings.breach_days
    breach_min_cases: int = AlertSettings.breach_min_cases
    satisfaction_target: float = AlertSettings.satisfaction_target
    satisfaction_min_visits: int = AlertSettings.satisfaction_min_visits
    satisfaction_drop: float = AlertSettings.satisfaction_drop

@strawberry.type
class AlertSettingsPayload:
    settings: AlertSettingsType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.EVALUATION_MANAGE)], description="预警阈值 Set the company's risk words and thresholds.")
@user_errors(AlertSettingsPayload)
async def set_alert_settings(info: Info, input: AlertSettingsInput, idempotency_key: IdempotencyKey = None) -> AlertSettingsPayload:
    require_on(info, Permission.EVALUATION_MANAGE, None)
    p = info.context.require()
    chosen = AlertSettings(**{n: tuple(input.risk_words[:1000]) if n == "risk_words" else getattr(input, n)
                              for n in SETTING_NAMES}).check()

    async def work(conn) -> dict:
        values = {n: list(chosen.risk_words) if n == "risk_words" else getattr(chosen, n) for n in SETTING_NAMES}
        await conn.execute(_UPSERT, {"o": p.org_id, "by": p.actor, **values})
        await write_audit(conn, org_id=p.org_id, project_id=None, actor=p.actor, action="alerts.settings_set",
                          entity="alert_settings", entity_id=None, data=values)
        return {"ok": True}

    await write(info, lambda conn: once(info, conn, idempotency_key, "setAlertSettings", vars(input), work))
    return AlertSettingsPayload(settings=await settings_of(info))
