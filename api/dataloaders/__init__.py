"""Per-request dataloaders, one per file; each batches its keys into one SQL statement."""

from __future__ import annotations

import asyncio

from api.dataloaders.actor_by_id import actor_by_id
from api.dataloaders.building_by_id import building_by_id
from api.dataloaders.unit_by_id import unit_by_id
from api.dataloaders.unit_pages_by_building import unit_pages_by_building
from api.dataloaders.charge_item_by_id import charge_item_by_id
from api.dataloaders.hold_by_unit import hold_by_unit
from api.dataloaders.last_reminder_by_unit import last_reminder_by_unit
from api.dataloaders.bill_by_id import bill_by_id
from api.dataloaders.payment_by_id import payment_by_id
from api.dataloaders.allocations_by_payment import allocations_by_payment
from api.dataloaders.resident_by_id import resident_by_id
from api.dataloaders.occupancies_by_resident import occupancies_by_resident
from api.dataloaders.occupancies_by_unit import occupancies_by_unit
from api.dataloaders.open_cases_by_resident import open_cases_by_resident
from api.dataloaders.open_cases_by_unit import open_cases_by_unit
from api.dataloaders.read_units_by_notice import read_units_by_notice
from api.dataloaders.targets_by_notice import targets_by_notice
from api.dataloaders.uses_by_article import uses_by_article
from api.dataloaders.escalations_by_action import escalations_by_action
from api.dataloaders.staff_visits_by_case import staff_visits_by_case
from api.dataloaders.praised_by_case import praised_by_case
from api.dataloaders.entries_by_shift_log import acks_by_shift_log, entries_by_shift_log
from api.dataloaders.versions_by_article import versions_by_article
from api.dataloaders.recent_cases_by_resident import recent_cases_by_resident
from api.dataloaders.contacts_by_resident import contacts_by_resident
from api.dataloaders.vehicles_by_resident import vehicles_by_resident
from api.dataloaders.pets_by_resident import pets_by_resident
from api.dataloaders.parking_spaces_by_unit import parking_spaces_by_unit
from api.dataloaders.vehicles_by_space import vehicles_by_space
from api.dataloaders.parking_space_by_id import parking_space_by_id
from api.dataloaders.vehicle_by_id import vehicle_by_id
from api.dataloaders.pet_by_id import pet_by_id
from api.dataloaders.attempts_by_delivery import attempts_by_delivery
from api.dataloaders.case_by_id import case_by_id
from api.dataloaders.category_by_code import category_by_code
from api.dataloaders.deliveries_by_reply import deliveries_by_reply
from api.dataloaders.department_by_id import department_by_id
from api.dataloaders.departments_by_project import departments_by_project
from api.dataloaders.escalations_by_case import escalations_by_case
from api.dataloaders.progress_entries_by_case import progress_entries_by_case
from api.dataloaders.grants_by_user import grants_by_user
from api.dataloaders.project_by_id import project_by_id
from api.dataloaders.repeats_by_case import repeats_by_case
from api.dataloaders.staff_by_project import staff_by_project
from api.dataloaders.targets_by_case import targets_by_case
from api.dataloaders.user_by_id import user_by_id
from api.request_db import RequestDb
from strawberry.dataloader import DataLoader as _DataLoader


class DataLoader(_DataLoader):
    """A loader whose answers survive the cancellation of one caller. Fields that ask for the
    same key share one future; graphql-core cancels the siblings of a failed field, and awaiting
    the shared future itself would cancel it for every other field waiting on that key."""

    def load(self, key):  # type: ignore[no-untyped-def]
        return asyncio.shield(super().load(key))


# Each request's loaders, made on first use: a request asks one or two of these, and making all
# of them cost more than the registration's own Python (bench/intake_profile.py).
_LOADS = {load.__name__: load for load in (
    project_by_id,
    case_by_id,
    deliveries_by_reply,
    attempts_by_delivery,
    department_by_id,
    departments_by_project,
    user_by_id,
    grants_by_user,
    targets_by_case,
    escalations_by_case,
    progress_entries_by_case,
    staff_by_project,
    actor_by_id,
    repeats_by_case,
    category_by_code,
    building_by_id,
    unit_by_id,
    unit_pages_by_building,
    charge_item_by_id,
    last_reminder_by_unit,
    hold_by_unit,
    bill_by_id,
    payment_by_id,
    allocations_by_payment,
    resident_by_id,
    occupancies_by_resident,
    occupancies_by_unit,
    open_cases_by_resident,
    open_cases_by_unit,
    targets_by_notice,
    versions_by_article,
    uses_by_article,
    escalations_by_action,
    staff_visits_by_case,
    praised_by_case,
    entries_by_shift_log,
    acks_by_shift_log,
    read_units_by_notice,
    recent_cases_by_resident,
    contacts_by_resident,
    vehicles_by_resident,
    pets_by_resident,
    parking_spaces_by_unit,
    vehicles_by_space,
    parking_space_by_id,
    vehicle_by_id,
    pet_by_id,
)}


class Loaders:
    """`loaders.<name>`: the DataLoader of `api/dataloaders/<name>.py` for this request, made the
    first time it is asked for and kept on the instance (so later reads are plain attributes)."""

    def __init__(self, db: RequestDb) -> None:
        self._db = db

    def __getattr__(self, name: str) -> DataLoader:
        load = _LOADS.get(name)
        if load is None:
            raise AttributeError(name)
        db = self._db
        loader = DataLoader(lambda keys: load(db, keys))
        setattr(self, name, loader)
        return loader
