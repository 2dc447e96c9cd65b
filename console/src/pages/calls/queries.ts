import { graphql } from "../../gql";

export const CallProjectsDoc = graphql(`
  query CallProjects { projects(first: 100) { edges { node { id name code } } } }
`);

export const CallMonthDoc = graphql(`
  query CallMonth($projectId: ID!, $from: Date!, $to: Date!) {
    callRecords(projectId: $projectId, from: $from, to: $to) {
      id direction callerPhoneMasked queuedAt answeredAt endedAt abandoned
      case { id number }
    }
    callFigures(projectId: $projectId, from: $from, to: $to) {
      total { offered answered answeredWithinThreeRings abandoned answerRate threeRingRate abandonRate averageWaitSeconds }
    }
  }
`);

graphql(`
  fragment CallIntegration on TelephonyIntegration { id name active ringSeconds lastUsedAt createdAt inboundPath }
`);

export const TelephonyIntegrationsDoc = graphql(`
  query CallIntegrations($projectId: ID!) { telephonyIntegrations(projectId: $projectId) { ...CallIntegration } }
`);

export const AddTelephonyIntegrationDoc = graphql(`
  mutation CallAddIntegration($projectId: ID!, $name: String!, $ringSeconds: Int!, $key: String) {
    addTelephonyIntegration(projectId: $projectId, name: $name, ringSeconds: $ringSeconds, idempotencyKey: $key) {
      integration { ...CallIntegration } secret errors { code message field }
    }
  }
`);

export const RotateTelephonySecretDoc = graphql(`
  mutation CallRotateIntegration($id: ID!, $key: String) {
    rotateTelephonyIntegrationSecret(integrationId: $id, idempotencyKey: $key) { integration { ...CallIntegration } secret errors { code message field } }
  }
`);

export const SetTelephonyActiveDoc = graphql(`
  mutation CallSetIntegrationActive($id: ID!, $active: Boolean!, $key: String) {
    setTelephonyIntegrationActive(integrationId: $id, active: $active, idempotencyKey: $key) { integration { ...CallIntegration } errors { code message field } }
  }
`);
