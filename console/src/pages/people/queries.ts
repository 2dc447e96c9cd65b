import { graphql } from "../../gql";

export const PeopleProjectsDoc = graphql(`
  query PeopleProjects { projects(first: 100) { edges { node { id code name } } } }
`);

export const PeopleFiguresDoc = graphql(`
  query PeopleFigures($projectId: ID!, $month: Date) {
    peopleFigures(projectId: $projectId, month: $month) {
      user { id displayName username }
      firstReceived takenAtReception handled resolved resolvedOnTime visited satisfied basicallySatisfied dissatisfied
      brokenPromises rework visitsDone resolutionRate onTimeRate satisfactionRate reworkRate
      praise staffVisits staffVisitsAcknowledged staffVisitsDisputed staffVisitsCoached
    }
    departmentFigures(projectId: $projectId, month: $month) {
      departmentId departmentName people
      firstReceived takenAtReception handled resolved resolvedOnTime visited satisfied basicallySatisfied dissatisfied
      brokenPromises rework visitsDone resolutionRate onTimeRate satisfactionRate reworkRate
      praise staffVisits staffVisitsAcknowledged staffVisitsDisputed staffVisitsCoached
    }
    projectCosts(projectId: $projectId, month: $month) {
      month households headcount labourCostFen otherCostFen enteredBy enteredAt costPerHouseholdFen householdsPerHead
    }
  }
`);

export const SetProjectStaffingDoc = graphql(`
  mutation SetProjectStaffing($projectId: ID!, $month: Date!, $headcount: Int!, $labourCostFen: Fen!, $otherCostFen: Fen!, $key: String) {
    setProjectStaffing(projectId: $projectId, month: $month, headcount: $headcount, labourCostFen: $labourCostFen,
                       otherCostFen: $otherCostFen, idempotencyKey: $key) {
      costs { month households headcount labourCostFen otherCostFen enteredBy enteredAt costPerHouseholdFen householdsPerHead }
      errors { code message field }
    }
  }
`);
