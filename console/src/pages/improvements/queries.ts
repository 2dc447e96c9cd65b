import { graphql } from "../../gql";

export const ImprovementProjectsDoc = graphql(`
  query ImprovementProjects { projects(first: 100) { edges { node { id code name } } } }
`);

graphql(`
  fragment ImprovementRow on ImprovementAction {
    id source sourceLabel sourceId title description dueOn state stateLabel overdue
    evidenceNote evidenceFiles doneAt verifiedAt returnReason returnedCount createdAt
    project { id name }
    owner { id displayName username }
    raiser { displayName }
    escalations { level levelLabel firedAt recipientCount }
  }
`);

export const ImprovementsDoc = graphql(`
  query Improvements($projectId: ID, $state: ActionState, $overdue: Boolean!, $ownerId: ID) {
    improvementActions(projectId: $projectId, state: $state, overdue: $overdue, ownerId: $ownerId, first: 100) {
      totalCount edges { node { ...ImprovementRow } }
    }
  }
`);

// One action's history and what it was raised from (a case review opens its case's page).
export const ImprovementDetailDoc = graphql(`
  query ImprovementDetail($id: ID!, $sourceId: ID!, $withSource: Boolean!) {
    node(id: $id) {
      __typename
      ... on ImprovementAction { id history { at action label note late actor { displayName } } }
    }
    source: node(id: $sourceId) @include(if: $withSource) {
      __typename
      ... on Alert { id title colourLabel }
      ... on Inspection { id checklistName inspectedOn }
      ... on CaseReview { id caseId case { number } }
    }
  }
`);

export const ProjectMembersDoc = graphql(`
  query ImprovementOwners($projectId: ID!) { project(id: $projectId) { id name members { id username displayName } } }
`);

export const RaiseImprovementDoc = graphql(`
  mutation RaiseImprovementAction($input: RaiseImprovementActionInput!, $key: String) {
    raiseImprovementAction(input: $input, idempotencyKey: $key) { action { ...ImprovementRow } errors { code message field } }
  }
`);

export const CompleteImprovementDoc = graphql(`
  mutation CompleteImprovementAction($actionId: ID!, $note: String!, $files: [String!], $key: String) {
    completeImprovementAction(actionId: $actionId, evidenceNote: $note, evidenceFiles: $files, idempotencyKey: $key) {
      action { ...ImprovementRow } errors { code message field }
    }
  }
`);

export const VerifyImprovementDoc = graphql(`
  mutation VerifyImprovementAction($actionId: ID!, $passed: Boolean!, $note: String, $newDueOn: Date, $key: String) {
    verifyImprovementAction(actionId: $actionId, passed: $passed, note: $note, newDueOn: $newDueOn, idempotencyKey: $key) {
      action { ...ImprovementRow } errors { code message field }
    }
  }
`);

export const STATES = [
  { value: "OPEN", zh: "整改中", en: "Open" },
  { value: "DONE", zh: "待验证", en: "To verify" },
  { value: "VERIFIED", zh: "已验证", en: "Verified" },
] as const;

export const beijing = (at: string | null | undefined) => (at ? new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) : "");

/** The ladder's level as a tag colour: remind grey-blue, L1 gold, L2 orange, L3 red. */
export const LEVEL_COLOUR: Record<string, string> = { remind: "blue", l1: "gold", l2: "orange", l3: "red" };

/** Whole Beijing days past the due day (the API says whether it is overdue; this says by how much). */
export function daysLate(dueOn: string): number {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  return Math.max(0, Math.round((Date.parse(today) - Date.parse(dueOn)) / 86_400_000));
}
