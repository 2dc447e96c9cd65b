import { graphql } from "../../gql";

graphql(`
  fragment ArchiveSpace on ParkingSpace {
    id area number tenure tenureLabel leaseUntil
    unit { id label }
    holder { id name }
    vehicles { id plate }
  }
`);

graphql(`
  fragment ArchiveVehicle on Vehicle {
    id plate kind kindLabel brand colour validUntil
    owner { id name }
    space { id area number }
  }
`);

graphql(`
  fragment ArchivePet on Pet {
    id name species speciesLabel breed licenceNo vaccinatedOn vaccinationDue
    owner { id name }
    unit { id label }
  }
`);

export const SpacesDoc = graphql(`
  query ArchiveSpaces($projectId: ID!, $area: String, $vacant: Boolean, $after: String) {
    parkingSpaces(projectId: $projectId, area: $area, vacant: $vacant, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...ArchiveSpace } }
    }
  }
`);

// Every space of the project for a vehicle's picker, a page of 100 at a time.
export const SpaceOptionsDoc = graphql(`
  query ArchiveSpaceOptions($projectId: ID!, $after: String) {
    parkingSpaces(projectId: $projectId, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id area number holder { id } } }
    }
  }
`);

export const VehiclesDoc = graphql(`
  query ArchiveVehicles($projectId: ID!, $plate: String, $after: String) {
    vehicles(projectId: $projectId, plate: $plate, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...ArchiveVehicle } }
    }
  }
`);

export const PetsDoc = graphql(`
  query ArchivePets($projectId: ID!, $species: PetSpecies, $vaccinationDue: Boolean, $after: String) {
    pets(projectId: $projectId, species: $species, vaccinationDue: $vaccinationDue, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...ArchivePet } }
    }
  }
`);

export const ResidentOptionsDoc = graphql(`
  query ArchiveResidentOptions($projectId: ID!, $name: String) {
    residents(projectId: $projectId, filter: { name: $name, current: false }, first: 20) {
      edges { node { id name phoneMasked } }
    }
  }
`);

export const CreateSpaceDoc = graphql(`
  mutation ArchiveCreateSpace($input: CreateParkingSpaceInput!, $key: String) {
    createParkingSpace(input: $input, idempotencyKey: $key) { parkingSpace { id } errors { code message field existingId } }
  }
`);

export const UpdateSpaceDoc = graphql(`
  mutation ArchiveUpdateSpace($spaceId: ID!, $input: UpdateParkingSpaceInput!, $key: String) {
    updateParkingSpace(spaceId: $spaceId, input: $input, idempotencyKey: $key) { parkingSpace { id } errors { code message field existingId } }
  }
`);

export const RegisterVehicleDoc = graphql(`
  mutation ArchiveRegisterVehicle($input: RegisterVehicleInput!, $key: String) {
    registerVehicle(input: $input, idempotencyKey: $key) { vehicle { id } errors { code message field existingId } }
  }
`);

export const UpdateVehicleDoc = graphql(`
  mutation ArchiveUpdateVehicle($vehicleId: ID!, $input: UpdateVehicleInput!, $key: String) {
    updateVehicle(vehicleId: $vehicleId, input: $input, idempotencyKey: $key) { vehicle { id } errors { code message field existingId } }
  }
`);

export const RemoveVehicleDoc = graphql(`
  mutation ArchiveRemoveVehicle($vehicleId: ID!, $key: String) {
    removeVehicle(vehicleId: $vehicleId, idempotencyKey: $key) { removedId errors { code message } }
  }
`);

export const RegisterPetDoc = graphql(`
  mutation ArchiveRegisterPet($input: RegisterPetInput!, $key: String) {
    registerPet(input: $input, idempotencyKey: $key) { pet { id } errors { code message field existingId } }
  }
`);

export const UpdatePetDoc = graphql(`
  mutation ArchiveUpdatePet($petId: ID!, $input: UpdatePetInput!, $key: String) {
    updatePet(petId: $petId, input: $input, idempotencyKey: $key) { pet { id } errors { code message field existingId } }
  }
`);

export const RemovePetDoc = graphql(`
  mutation ArchiveRemovePet($petId: ID!, $key: String) {
    removePet(petId: $petId, idempotencyKey: $key) { removedId errors { code message } }
  }
`);
