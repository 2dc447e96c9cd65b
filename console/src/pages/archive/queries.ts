import { graphql } from "../../gql";

export const ArchiveProjectsDoc = graphql(`
  query ArchiveProjects { projects(first: 100) { edges { node { id name code } } } }
`);

export const BuildingsDoc = graphql(`
  query ArchiveBuildings($projectId: ID!, $after: String) {
    buildings(projectId: $projectId, first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name floors unitCount } }
    }
  }
`);

graphql(`
  fragment ArchiveUnit on Unit {
    id entrance number floor areaM2 use useLabel vacant label
    occupants { id }
  }
`);

// A building's flats with their current occupants counted, a page at a time (first ≤ 100).
export const BuildingUnitsDoc = graphql(`
  query ArchiveBuildingUnits($projectId: ID!, $buildingId: ID!, $after: String) {
    units(projectId: $projectId, filter: { buildingId: $buildingId }, first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...ArchiveUnit } }
    }
  }
`);

export const UnitDetailDoc = graphql(`
  query ArchiveUnitDetail($id: ID!) {
    node(id: $id) {
      ... on Unit {
        ...ArchiveUnit
        building { id name }
        history: occupants(current: false) {
          id role roleLabel primaryContact movedInOn movedOutOn current
          resident { id name phoneMasked }
        }
        parkingSpaces { id area number tenureLabel holder { id name } vehicles { id plate } }
        openCases { id number stateLabel description receivedAt }
      }
    }
  }
`);

export const ResidentsDoc = graphql(`
  query ArchiveResidents($projectId: ID!, $filter: ResidentFilter, $after: String) {
    residents(projectId: $projectId, filter: $filter, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...ArchiveResidentRow } }
    }
  }
`);

graphql(`
  fragment ArchiveResidentRow on Resident {
    id name kind phoneMasked verifiedAt
    occupancies(current: false) { id roleLabel current unit { id label } }
  }
`);

export const FlatLookupDoc = graphql(`
  query ArchiveFlatLookup($flat: String!, $projectId: ID!) {
    callerLookup(flat: $flat, projectId: $projectId) {
      units { id label }
      residents { ...ArchiveResidentRow }
    }
  }
`);

export const FlatOptionsDoc = graphql(`
  query ArchiveFlatOptions($flat: String!, $projectId: ID!) {
    callerLookup(flat: $flat, projectId: $projectId) { units { id label } }
  }
`);

export const CreateBuildingDoc = graphql(`
  mutation ArchiveCreateBuilding($input: CreateBuildingInput!, $key: String) {
    createBuilding(input: $input, idempotencyKey: $key) { building { id } errors { code message field existingId } }
  }
`);

export const UpdateBuildingDoc = graphql(`
  mutation ArchiveUpdateBuilding($buildingId: ID!, $input: UpdateBuildingInput!, $key: String) {
    updateBuilding(buildingId: $buildingId, input: $input, idempotencyKey: $key) { building { id } errors { code message field } }
  }
`);

export const CreateUnitDoc = graphql(`
  mutation ArchiveCreateUnit($input: CreateUnitInput!, $key: String) {
    createUnit(input: $input, idempotencyKey: $key) { unit { id } errors { code message field existingId } }
  }
`);

export const UpdateUnitDoc = graphql(`
  mutation ArchiveUpdateUnit($unitId: ID!, $input: UpdateUnitInput!, $key: String) {
    updateUnit(unitId: $unitId, input: $input, idempotencyKey: $key) { unit { id } errors { code message field existingId } }
  }
`);

export const RegisterResidentDoc = graphql(`
  mutation ArchiveRegisterResident($input: RegisterResidentInput!, $key: String) {
    registerResident(input: $input, idempotencyKey: $key) { resident { id } errors { code message field existingId } }
  }
`);
