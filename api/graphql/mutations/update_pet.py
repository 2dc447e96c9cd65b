from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._belongings_payload import PetPayload, cleared, given
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.belongings import PetSpeciesType, load_pet
from api.graphql.types.node import from_global_id
from domain.archive import belongings_service as service
from domain.archive.belongings_commands import UpdatePet
from domain.archive.kinds import PetSpecies
from tenants.roles import Permission


@strawberry.input(description="Fields left out keep their value; unitId and vaccinatedOn given as null clear it.")
class UpdatePetInput:
    resident_id: strawberry.ID | None = strawberry.field(default=None, description="Another owner of the same project.")
    unit_id: strawberry.ID | None = strawberry.UNSET
    name: str | None = None
    species: PetSpeciesType | None = None
    breed: str | None = None
    licence_no: str | None = None
    vaccinated_on: date | None = strawberry.UNSET


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="修改宠物 Edit a pet: e.g. record its latest vaccination.")
@user_errors(PetPayload)
async def update_pet(info: Info, pet_id: strawberry.ID, input: UpdatePetInput, idempotency_key: IdempotencyKey = None) -> PetPayload:
    unit = given(input.unit_id)
    cmd = UpdatePet(
        pet_id=from_global_id(pet_id, "Pet", "petId"),
        resident_id=from_global_id(input.resident_id, "Resident", "residentId") if input.resident_id else None,
        unit_id=from_global_id(unit, "Unit", "unitId") if unit else None, name=input.name,
        species=PetSpecies(input.species) if input.species else None, breed=input.breed, licence_no=input.licence_no,
        vaccinated_on=given(input.vaccinated_on), clear=cleared(unit_id=input.unit_id, vaccinated_on=input.vaccinated_on),
        idempotency_key=idempotency_key)
    done = await service.update_pet(cmd, unit_of_work(info))
    return PetPayload(pet=await load_pet(info, done.id))
