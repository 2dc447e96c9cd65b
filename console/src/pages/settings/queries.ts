import { graphql } from "../../gql";

// Projects the viewer may see, with their working hours (the SLA project picker uses them too).
export const SettingsProjectsDoc = graphql(`
  query SettingsProjects {
    projects(first: 100) { edges { node { id code name workOpens workCloses } } }
  }
`);

graphql(`
  fragment SlaPolicyCell on SlaPolicy {
    kind severity clock commitMinutes arriveMinutes resolveMinutes visitMinutes overridden updatedAt updater { displayName }
  }
`);

export const SlaPoliciesDoc = graphql(`
  query SlaPolicies($projectId: ID) { slaPolicies(projectId: $projectId) { ...SlaPolicyCell } }
`);

export const SetSlaPolicyDoc = graphql(`
  mutation SetSlaPolicy($input: SlaPolicyInput!, $key: String) {
    setSlaPolicy(input: $input, idempotencyKey: $key) { policies { ...SlaPolicyCell } errors { code message field } }
  }
`);

export const RemoveSlaOverrideDoc = graphql(`
  mutation RemoveSlaOverride($projectId: ID!, $kind: CaseKind!, $severity: Severity!, $key: String) {
    removeSlaOverride(projectId: $projectId, kind: $kind, severity: $severity, idempotencyKey: $key) {
      policies { ...SlaPolicyCell } errors { code message field }
    }
  }
`);

export const LadderDoc = graphql(`
  query EscalationLadder { escalationLadder { remindPercent l1Percent l2Percent l3Percent } }
`);

export const SetLadderDoc = graphql(`
  mutation SetEscalationLadder($input: EscalationLadderInput!, $key: String) {
    setEscalationLadder(input: $input, idempotencyKey: $key) {
      ladder { remindPercent l1Percent l2Percent l3Percent } errors { code message field }
    }
  }
`);

export const CalendarGapsDoc = graphql(`
  query CalendarGaps { calendarGaps }
`);

export const CalendarDaysDoc = graphql(`
  query CalendarDays($year: Int!) { calendarDays(year: $year) { day working name } }
`);

export const SetCalendarDayDoc = graphql(`
  mutation SetCalendarDay($day: Date!, $working: Boolean!, $name: String!, $key: String) {
    setCalendarDay(day: $day, working: $working, name: $name, idempotencyKey: $key) {
      days { day working name } errors { code message field }
    }
  }
`);

export const RemoveCalendarDayDoc = graphql(`
  mutation RemoveCalendarDay($day: Date!, $key: String) {
    removeCalendarDay(day: $day, idempotencyKey: $key) { days { day working name } errors { code message field } }
  }
`);

export const SetWorkingHoursDoc = graphql(`
  mutation SetProjectWorkingHours($projectId: ID!, $opens: Time!, $closes: Time!, $key: String) {
    setProjectWorkingHours(projectId: $projectId, opens: $opens, closes: $closes, idempotencyKey: $key) {
      project { id workOpens workCloses } errors { code message field }
    }
  }
`);

graphql(`
  fragment AlertSettingsFields on AlertSettingsType {
    riskWords clusterOrange clusterRed clusterHours repeatComplaints repeatDays repeatReopenings
    breachOrange breachRed breachDays breachMinCases satisfactionTarget satisfactionMinVisits satisfactionDrop
    collectionTarget collectionDrop collectionMinBills
  }
`);

export const AlertSettingsDoc = graphql(`
  query AlertSettings { alertSettings { ...AlertSettingsFields } }
`);

export const SetAlertSettingsDoc = graphql(`
  mutation SetAlertSettings($input: AlertSettingsInput!, $key: String) {
    setAlertSettings(input: $input, idempotencyKey: $key) { settings { ...AlertSettingsFields } errors { code message field } }
  }
`);

graphql(`
  fragment KpiWeightsFields on KpiWeights {
    response resolution satisfaction firstContact onTime perComplaintPer1000 perBrokenPromise inspection collection survey calls
  }
`);

export const KpiWeightsDoc = graphql(`
  query KpiWeights { kpiWeights { ...KpiWeightsFields } }
`);

export const SetKpiWeightsDoc = graphql(`
  mutation SetKpiWeights($input: KpiWeightsInput!, $key: String) {
    setKpiWeights(input: $input, idempotencyKey: $key) { weights { ...KpiWeightsFields } errors { code message field } }
  }
`);
