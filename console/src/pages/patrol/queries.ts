import { graphql } from "../../gql";

graphql(`
  fragment PatrolRunRow on PatrolRun {
    id state stateLabel dueFrom dueUntil startedAt finishedAt missedAt cancelledAt cancelReason pointsTotal pointsDone
    route { id name kindLabel }
    assignee { id displayName }
  }
`);

export const PatrolRunsDoc = graphql(`
  query PatrolRuns($projectId: ID!, $from: Date!, $to: Date) {
    patrolRuns(projectId: $projectId, from: $from, to: $to) { ...PatrolRunRow }
  }
`);

graphql(`
  fragment PatrolVisitRow on PatrolVisit {
    id pointId at scanned result resultLabel note photos talkNote talkedUnitId caseId by
  }
`);

export const PatrolRunDoc = graphql(`
  query PatrolRun($id: ID!) {
    node(id: $id) {
      __typename
      ... on PatrolRun {
        ...PatrolRunRow
        route { id name kindLabel kind projectId points { id position name place checks active addedAt } }
        visits { ...PatrolVisitRow }
      }
    }
  }
`);

export const StartPatrolRunDoc = graphql(`
  mutation StartPatrolRun($runId: ID!, $key: String) {
    startPatrolRun(runId: $runId, idempotencyKey: $key) { run { id state } errors { code message field reason } }
  }
`);

export const RecordPatrolVisitDoc = graphql(`
  mutation RecordPatrolVisit($input: RecordPatrolVisitInput!, $key: String) {
    recordPatrolVisit(input: $input, idempotencyKey: $key) {
      visit { ...PatrolVisitRow }
      run { id state pointsDone }
      errors { code message field reason }
    }
  }
`);

export const FinishPatrolRunDoc = graphql(`
  mutation FinishPatrolRun($runId: ID!, $key: String) {
    finishPatrolRun(runId: $runId, idempotencyKey: $key) { run { id state } errors { code message field reason } }
  }
`);

export const PatrolCategoriesDoc = graphql(`
  query PatrolCategories($kind: CaseKind!) { caseCategories(kind: $kind) { code name } }
`);

export const CaseFromPatrolVisitDoc = graphql(`
  mutation CaseFromPatrolVisit($visitId: ID!, $input: CaseFromPatrolVisitInput!, $key: String) {
    caseFromPatrolVisit(visitId: $visitId, input: $input, idempotencyKey: $key) { case { id number } errors { code message field } }
  }
`);

export const PatrolFlatsDoc = graphql(`
  query PatrolFlats($flat: String!, $projectId: ID!) { callerLookup(flat: $flat, projectId: $projectId) { units { id label } } }
`);

export const PatrolRoutesDoc = graphql(`
  query PatrolRoutes($projectId: ID!) {
    patrolRoutes(projectId: $projectId, includeInactive: true) {
      id name kind kindLabel active
      points { id position name place checks active }
      plans { id cadence weekdays monthDays windowStart windowMinutes startsOn endsOn active assignee { id displayName } departmentId }
    }
    project(id: $projectId) { id members { id username displayName } departments { id name } }
  }
`);

export const CreatePatrolRouteDoc = graphql(`
  mutation CreatePatrolRoute($projectId: ID!, $name: String!, $kind: PatrolKind!, $key: String) {
    createPatrolRoute(projectId: $projectId, name: $name, kind: $kind, idempotencyKey: $key) { route { id } errors { code message field } }
  }
`);

export const AddPatrolPointDoc = graphql(`
  mutation AddPatrolPoint($input: AddPatrolPointInput!, $key: String) {
    addPatrolPoint(input: $input, idempotencyKey: $key) { point { id } errors { code message field } }
  }
`);

export const CreatePatrolPlanDoc = graphql(`
  mutation CreatePatrolPlan($input: CreatePatrolPlanInput!, $key: String) {
    createPatrolPlan(input: $input, idempotencyKey: $key) { plan { id } errors { code message field } }
  }
`);

export const UpdatePatrolRouteDoc = graphql(`
  mutation UpdatePatrolRoute($input: UpdatePatrolRouteInput!, $key: String) {
    updatePatrolRoute(input: $input, idempotencyKey: $key) { route { id name kind } errors { code message field } }
  }
`);

export const SetPatrolRouteActiveDoc = graphql(`
  mutation SetPatrolRouteActive($routeId: ID!, $active: Boolean!, $key: String) {
    setPatrolRouteActive(routeId: $routeId, active: $active, idempotencyKey: $key) { route { id active } errors { code message field } }
  }
`);

export const UpdatePatrolPointDoc = graphql(`
  mutation UpdatePatrolPoint($input: UpdatePatrolPointInput!, $key: String) {
    updatePatrolPoint(input: $input, idempotencyKey: $key) { point { id name place checks } errors { code message field } }
  }
`);

export const SetPatrolPointActiveDoc = graphql(`
  mutation SetPatrolPointActive($pointId: ID!, $active: Boolean!, $key: String) {
    setPatrolPointActive(pointId: $pointId, active: $active, idempotencyKey: $key) { point { id active } errors { code message field } }
  }
`);

export const UpdatePatrolPlanDoc = graphql(`
  mutation UpdatePatrolPlan($input: UpdatePatrolPlanInput!, $key: String) {
    updatePatrolPlan(input: $input, idempotencyKey: $key) { plan { id } errors { code message field } }
  }
`);

export const SetPatrolPlanActiveDoc = graphql(`
  mutation SetPatrolPlanActive($planId: ID!, $active: Boolean!, $key: String) {
    setPatrolPlanActive(planId: $planId, active: $active, idempotencyKey: $key) { plan { id active } errors { code message field } }
  }
`);

export const CancelPatrolRunDoc = graphql(`
  mutation CancelPatrolRun($runId: ID!, $reason: String!, $key: String) {
    cancelPatrolRun(runId: $runId, reason: $reason, idempotencyKey: $key) { run { id state } errors { code message field } }
  }
`);

/** The Beijing calendar day of an instant, as the API's Date. */
export function beijingDay(at: Date = new Date()): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
}

export function clock(at: string): string {
  return new Date(at).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit" });
}

export const PatrolProjectsDoc = graphql(`
  query PatrolProjects { projects(first: 100) { edges { node { id code name } } } }
`);

/** A run's window in Beijing time: 全天 for a whole day, 次日 when it ends the next day. */
export function windowText(from: string, until: string, zh = true): string {
  const hours = (Date.parse(until) - Date.parse(from)) / 3600_000;
  if (hours === 24 && clock(from) === "00:00") return zh ? "全天" : "All day";
  const nextDay = beijingDay(new Date(until)) !== beijingDay(new Date(from)) && clock(until) !== "00:00";
  return `${clock(from)}–${clock(until)}${nextDay ? (zh ? "（次日）" : " (next day)") : ""}`;
}
