from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.alert import AlertSettingsType, settings_of
from api.graphql.types.errors import UserError
from domain.alerts import service
from domain.alerts.commands import SetAlertSettings
from domain.alerts.repository import SETTING_NAMES
from domain.alerts.rules import DEFAULT_RISK_WORDS, AlertSettings
from tenants.roles import Permission


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
    collection_target: float = AlertSettings.collection_target
    collection_drop: float = AlertSettings.collection_drop
    collection_min_bills: int = AlertSettings.collection_min_bills

@strawberry.type
class AlertSettingsPayload:
    settings: AlertSettingsType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.EVALUATION_MANAGE)],
                     description="预警阈值 Set the company's risk words and thresholds.")
@user_errors(AlertSettingsPayload)
async def set_alert_settings(info: Info, input: AlertSettingsInput, idempotency_key: IdempotencyKey = None) -> AlertSettingsPayload:
    uow = unit_of_work(info)
    uow.require(Permission.EVALUATION_MANAGE)  # company-wide, before the input is read (the service checks it again)
    given = AlertSettings(**{n: tuple(input.risk_words[:1000]) if n == "risk_words" else getattr(input, n)
                             for n in SETTING_NAMES})
    await service.set_alert_settings(SetAlertSettings(given, idempotency_key=idempotency_key), uow)
    return AlertSettingsPayload(settings=await settings_of(info))
