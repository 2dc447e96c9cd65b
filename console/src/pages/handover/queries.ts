import { graphql } from "../../gql";

export const HandoverProjectsDoc = graphql(`
  query HandoverProjects {
    projects(first: 100) { edges { node { id code name } } }
  }
`);

graphql(`
  fragment HandoverEntry on ShiftLogEntry {
    id kind kindLabel text at doneAt carryCount flagged carriedFromId
    case { id number }
    author { displayName }
  }
`);

export const OpenLogDoc = graphql(`
  query HandoverOpenLog($projectId: ID!) {
    shiftLogs(projectId: $projectId, serviceCentre: true, state: OPEN, first: 1) {
      edges { node {
        id shiftStart shiftEnd previousLogId needsMyAcknowledgement
        author { displayName }
        acknowledgements { at user { displayName } }
        entries { ...HandoverEntry }
      } }
    }
  }
`);

export const BriefingDoc = graphql(`
  query HandoverBriefing($projectId: ID!, $date: Date!) {
    morningBriefing(projectId: $projectId, date: $date) {
      date nightOpenItemCount flaggedItemCount receivedCaseCount overdueCaseCount overdueActionCount brokenPromiseCount
      nightOpenItems { carries flagged entry { id text } }
      openAlerts { colour label count }
      missedPatrolCount overdueHazardCount noticeTodayCount
      missedPatrols { id dueUntil route { name } }
      overdueHazards { id number title deadline }
      noticesToday { id title stateLabel }
    }
  }
`);

export const OpenShiftLogDoc = graphql(`
  mutation OpenShiftLog($projectId: ID!, $start: DateTime!, $end: DateTime!, $key: String) {
    openShiftLog(projectId: $projectId, shiftStart: $start, shiftEnd: $end, idempotencyKey: $key) {
      log { id } errors { code message field }
    }
  }
`);

export const AddLogEntryDoc = graphql(`
  mutation AddLogEntry($logId: ID!, $kind: LogEntryKind!, $text: String!, $key: String) {
    addLogEntry(logId: $logId, kind: $kind, text: $text, idempotencyKey: $key) {
      entry { id } errors { code message field }
    }
  }
`);

export const CloseLogItemDoc = graphql(`
  mutation CloseLogItem($entryId: ID!, $key: String) {
    closeLogItem(entryId: $entryId, idempotencyKey: $key) { entry { id doneAt } errors { code message field } }
  }
`);

export const HandOverShiftDoc = graphql(`
  mutation HandOverShift($logId: ID!, $summary: String!, $key: String) {
    handOverShift(logId: $logId, summary: $summary, idempotencyKey: $key) { log { id state } errors { code message field } }
  }
`);

export const AcknowledgeHandoverDoc = graphql(`
  mutation AcknowledgeHandover($logId: ID!, $key: String) {
    acknowledgeHandover(logId: $logId, idempotencyKey: $key) { log { id needsMyAcknowledgement } errors { code message field } }
  }
`);

/** The briefing's Beijing day: the one whose night (from 18:00 the evening before) has begun. */
export function briefingDay(): string {
  return new Date(Date.now() + (8 + 6) * 3600_000).toISOString().slice(0, 10);
}
