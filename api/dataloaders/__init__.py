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


class Loaders:
    def __init__(self, db: RequestDb) -> None:
        self.project_by_id = DataLoader(lambda keys: project_by_id(db, keys))
        self.case_by_id = DataLoader(lambda keys: case_by_id(db, keys))
        self.deliveries_by_reply = DataLoader(lambda keys: deliveries_by_reply(db, keys))
        self.attempts_by_delivery = DataLoader(lambda keys: attempts_by_delivery(db, keys))
        self.department_by_id = DataLoader(lambda keys: department_by_id(db, keys))
        self.departments_by_project = DataLoader(lambda keys: departments_by_project(db, keys))
        self.user_by_id = DataLoader(lambda keys: user_by_id(db, keys))
        self.grants_by_user = DataLoader(lambda keys: grants_by_user(db, keys))
        self.targets_by_case = DataLoader(lambda keys: targets_by_case(db, keys))
        self.escalations_by_case = DataLoader(lambda keys: escalations_by_case(db, keys))
        self.progress_entries_by_case = DataLoader(lambda keys: progress_entries_by_case(db, keys))
        self.staff_by_project = DataLoader(lambda keys: staff_by_project(db, keys))
        self.actor_by_id = DataLoader(lambda keys: actor_by_id(db, keys))
        self.repeats_by_case = DataLoader(lambda keys: repeats_by_case(db, keys))
        self.category_by_code = DataLoader(lambda keys: category_by_code(db, keys))
        self.building_by_id = DataLoader(lambda keys: building_by_id(db, keys))
        self.unit_by_id = DataLoader(lambda keys: unit_by_id(db, keys))
        self.unit_pages_by_building = DataLoader(lambda keys: unit_pages_by_building(db, keys))
        self.charge_item_by_id = DataLoader(lambda keys: charge_item_by_id(db, keys))
        self.last_reminder_by_unit = DataLoader(lambda keys: last_reminder_by_unit(db, keys))
        self.hold_by_unit = DataLoader(lambda keys: hold_by_unit(db, keys))
        self.bill_by_id = DataLoader(lambda keys: bill_by_id(db, keys))
        self.payment_by_id = DataLoader(lambda keys: payment_by_id(db, keys))
        self.allocations_by_payment = DataLoader(lambda keys: allocations_by_payment(db, keys))
        self.resident_by_id = DataLoader(lambda keys: resident_by_id(db, keys))
        self.occupancies_by_resident = DataLoader(lambda keys: occupancies_by_resident(db, keys))
        self.occupancies_by_unit = DataLoader(lambda keys: occupancies_by_unit(db, keys))
        self.open_cases_by_resident = DataLoader(lambda keys: open_cases_by_resident(db, keys))
        self.open_cases_by_unit = DataLoader(lambda keys: open_cases_by_unit(db, keys))
        self.targets_by_notice = DataLoader(lambda keys: targets_by_notice(db, keys))
        self.versions_by_article = DataLoader(lambda keys: versions_by_article(db, keys))
        self.uses_by_article = DataLoader(lambda keys: uses_by_article(db, keys))
        self.escalations_by_action = DataLoader(lambda keys: escalations_by_action(db, keys))
        self.staff_visits_by_case = DataLoader(lambda keys: staff_visits_by_case(db, keys))
        self.praised_by_case = DataLoader(lambda keys: praised_by_case(db, keys))
        self.entries_by_shift_log = DataLoader(lambda keys: entries_by_shift_log(db, keys))
        self.acks_by_shift_log = DataLoader(lambda keys: acks_by_shift_log(db, keys))
        self.read_units_by_notice = DataLoader(lambda keys: read_units_by_notice(db, keys))
        self.recent_cases_by_resident = DataLoader(lambda keys: recent_cases_by_resident(db, keys))
        self.contacts_by_resident = DataLoader(lambda keys: contacts_by_resident(db, keys))
        self.vehicles_by_resident = DataLoader(lambda keys: vehicles_by_resident(db, keys))
        self.pets_by_resident = DataLoader(lambda keys: pets_by_resident(db, keys))
        self.parking_spaces_by_unit = DataLoader(lambda keys: parking_spaces_by_unit(db, keys))
        self.vehicles_by_space = DataLoader(lambda keys: vehicles_by_space(db, keys))
        self.parking_space_by_id = DataLoader(lambda keys: parking_space_by_id(db, keys))
        self.vehicle_by_id = DataLoader(lambda keys: vehicle_by_id(db, keys))
        self.pet_by_id = DataLoader(lambda keys: pet_by_id(db, keys))
