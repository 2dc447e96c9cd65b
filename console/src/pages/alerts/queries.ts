import { graphql } from "../../gql";

graphql(`
  fragment AlertRow on Alert {
    id rule ruleLabel colour colourLabel title detail state projectId caseIds openedAt
    acknowledgedAt resolvedAt resolutionNote
    acknowledger { kind displayName } resolver { kind displayName }
    cases { id number stateLabel description publicArea receivedAt project { id name } }
  }
`);

export const AlertsDoc = graphql(`
  query AlertsCentre($state: String) {
    alerts(state: $state, first: 200) { ...AlertRow }
  }
`);

export const AlertEventsDoc = graphql(`
  subscription AlertsCentreEvents {
    alerts { topic alert { ...AlertRow } }
  }
`);

export const AcknowledgeAlertDoc = graphql(`
  mutation AcknowledgeAlert($alertId: ID!, $key: String) {
    acknowledgeAlert(alertId: $alertId, idempotencyKey: $key) { alert { ...AlertRow } errors { code message field } }
  }
`);

export const ResolveAlertDoc = graphql(`
  mutation ResolveAlert($alertId: ID!, $note: String!, $key: String) {
    resolveAlert(alertId: $alertId, note: $note, idempotencyKey: $key) { alert { ...AlertRow } errors { code message field } }
  }
`);
