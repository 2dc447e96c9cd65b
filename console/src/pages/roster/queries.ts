import { graphql } from "../../gql";

export const RosterProjectsDoc = graphql(`
  query RosterProjects { projects(first: 100) { edges { node { id name code } } } }
`);

export const RosterDoc = graphql(`
  query Roster($projectId: ID!, $from: DateTime!, $to: DateTime!) {
    project(id: $projectId) {
      id
      name
      departments { id kind name }
      members { id username displayName }
    }
    dutyRoster(projectId: $projectId, from: $from, to: $to) {
      id
      startsAt
      endsAt
      kind
      user { id displayName }
      department { id name }
    }
  }
`);

export const AddDutyShiftDoc = graphql(`
  mutation AddDutyShift($input: DutyShiftInput!, $key: String) {
    addDutyShift(input: $input, idempotencyKey: $key) {
      shift { id }
      errors { code message field }
    }
  }
`);

export const RemoveDutyShiftDoc = graphql(`
  mutation RemoveDutyShift($shiftId: ID!, $key: String) {
    removeDutyShift(shiftId: $shiftId, idempotencyKey: $key) {
      removedShiftId
      errors { code message field }
    }
  }
`);
