from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._belongings_payload import PetPayload, cleared, given
from api.graphql.mutations._archive_payload import kept
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


@strawberry.input(description="Fields left out keep their value; unitId and vaccinatedOn given as null clear it, no other may be null.")
class UpdatePetInput:
    resident_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Another owner of the same project.")
    unit_id: strawberry.ID | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    species: PetSpeciesType | None = strawberry.UNSET
    breed: str | None = strawberry.UNSET
    licence_no: str | None = strawberry.UNSET
    vaccinated_on: date | None = strawberry.UNSET


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="修改宠物 Edit a pet: e.g. record its latest vaccination.")
@user_errors(PetPayload)
async def update_pet(info: Info, pet_id: strawberry.ID, input: UpdatePetInput, idempotency_key: IdempotencyKey = None) -> PetPayload:
    unit = given(input.unit_id)
    owner, species = kept(input.resident_id, "residentId"), kept(input.species, "species")
    cmd = UpdatePet(
        pet_id=from_global_id(pet_id, "Pet", "petId"),
        resident_id=from_global_id(owner, "Resident", "residentId") if owner else None,
        unit_id=from_global_id(unit, "Unit", "unitId") if unit else None, name=kept(input.name, "name"),
        species=PetSpecies(species) if species else None, breed=kept(input.breed, "breed"),
        licence_no=kept(input.licence_no, "licenceNo"),
        vaccinated_on=given(input.vaccinated_on), clear=cleared(unit_id=input.unit_id, vaccinated_on=input.vaccinated_on),
        idempotency_key=idempotency_key)
    done = await service.update_pet(cmd, unit_of_work(info))
    return PetPayload(pet=await load_pet(info, done.id))
