import { graphql } from "../../gql";

graphql(`
  fragment CaseDetail on Case {
    id number kind severity channel state stateLabel description publicArea receivedAt commitmentDue overdue
    waitingOnResident reopenCount reworkLevel brokenPromises satisfaction visitScore resolvedAt confirmedAt
    project { id name }
    category { code name }
    assignee { id displayName }
    handler { id displayName }
    availableActions
    sla { state stateLabel targets { target round targetLabel dueAt metAt state stateLabel provisional minutesLeft } }
    escalations { id level levelLabel reason reasonLabel target dueAt firedAt recipients { id displayName } }
  }
`);

// The flat and the resident: on the page only, not in the fragment the live events and the
// transitions answer (they do not change with a transition).
graphql(`
  fragment CasePlace on Case {
    unit { id label }
    resident { id name phoneMasked erased }
  }
`);

export const CasePageDoc = graphql(`
  query CasePage($id: ID!) {
    case(id: $id) { ...CaseDetail ...CasePlace }
    caseTimeline(caseId: $id) { at action fromState toState note actedBy { kind displayName } }
    caseProgress(caseId: $id) { number stateLabel commitmentDue steps { at stage title message } }
  }
`);

export const CaseLiveDoc = graphql(`
  subscription CaseLive($projectId: ID) {
    caseUpdates(projectId: $projectId) { topic case { ...CaseDetail } }
  }
`);

export const ProposalsDoc = graphql(`
  query DispatchProposals($caseId: ID!) {
    dispatchProposals(caseId: $caseId) { shiftEndsAt openCases matchesCategory user { id displayName } department { id name } }
  }
`);

export const RepeatCandidatesDoc = graphql(`
  query RepeatCandidates($filter: CaseFilter) {
    cases(filter: $filter, first: 10) { edges { node { id number description receivedAt } } }
  }
`);

export const CaseAfterDoc = graphql(`
  query CaseAfter($id: ID!) {
    case(id: $id) { ...CaseDetail }
  }
`);

export const OutsideBodiesDoc = graphql(`
  query CaseOutsideBodies($projectId: ID!) {
    outsideBodies(projectId: $projectId) { id name kindLabel deliveryLabel feedbackDays active }
  }
`);

export const DeclineLetterDoc = graphql(`
  query CaseDeclineLetter($caseId: ID!) {
    writtenReplies(caseId: $caseId) { id version printPath }
  }
`);
