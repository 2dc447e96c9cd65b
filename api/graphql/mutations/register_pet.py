from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._belongings_payload import PetPayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.belongings import PetSpeciesType, load_pet
from api.graphql.types.node import from_global_id
from domain.archive import belongings_service as service
from domain.archive.belongings_commands import RegisterPet
from domain.archive.kinds import PetSpecies
from tenants.roles import Permission


@strawberry.input(description="A resident's pet; its flat, when given, of the same project.")
class RegisterPetInput:
    resident_id: strawberry.ID
    name: str
    species: PetSpeciesType
    unit_id: strawberry.ID | None = None
    breed: str = ""
    licence_no: str = strawberry.field(default="", description="犬证号")
    vaccinated_on: date | None = strawberry.field(default=None, description="最近疫苗日期, not after today")


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="登记宠物 Register a resident's pet; names are unique among the owner's pets.")
@user_errors(PetPayload)
async def register_pet(info: Info, input: RegisterPetInput, idempotency_key: IdempotencyKey = None) -> PetPayload:
    cmd = RegisterPet(
        resident_id=from_global_id(input.resident_id, "Resident", "residentId"), name=input.name,
        species=PetSpecies(input.species), unit_id=from_global_id(input.unit_id, "Unit", "unitId") if input.unit_id else None,
        breed=input.breed, licence_no=input.licence_no, vaccinated_on=input.vaccinated_on, idempotency_key=idempotency_key)
    done = await service.register_pet(cmd, unit_of_work(info))
    return PetPayload(pet=await load_pet(info, done.id))
