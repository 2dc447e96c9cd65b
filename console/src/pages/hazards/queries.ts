import { graphql } from "../../gql";
import type { HazardCategory, HazardGrade, HazardState } from "../../gql/graphql";

export const HazardProjectsDoc = graphql(`
  query HazardProjects { projects(first: 100) { edges { node { id code name } } } }
`);

graphql(`
  fragment HazardRow on Hazard {
    id number source sourceLabel title description category categoryLabel grade gradeLabel place photos
    deadline state stateLabel overdue rectificationNote rectificationPhotos rectifiedAt verifiedAt verifyNote
    failedCount acceptedReason createdAt
    project { id name }
    owner { id displayName username }
    reporter { displayName }
    verifier { displayName }
    escalations { level levelLabel firedAt recipientCount }
  }
`);

export const HazardsDoc = graphql(`
  query Hazards($projectId: ID!, $filter: HazardFilter) {
    hazards(projectId: $projectId, filter: $filter, first: 100) { totalCount edges { node { ...HazardRow } } }
  }
`);

export const HazardMembersDoc = graphql(`
  query HazardOwners($projectId: ID!) { project(id: $projectId) { id name members { id username displayName } } }
`);

export const ReportHazardDoc = graphql(`
  mutation ReportHazard($input: ReportHazardInput!, $key: String) {
    reportHazard(input: $input, idempotencyKey: $key) { hazard { ...HazardRow } errors { code message field } }
  }
`);

export const AssignHazardDoc = graphql(`
  mutation AssignHazard($hazardId: ID!, $ownerId: ID!, $deadline: DateTime, $key: String) {
    assignHazard(hazardId: $hazardId, ownerId: $ownerId, deadline: $deadline, idempotencyKey: $key) {
      hazard { ...HazardRow } errors { code message field }
    }
  }
`);

export const RectifyHazardDoc = graphql(`
  mutation RectifyHazard($hazardId: ID!, $note: String!, $photos: [String!], $key: String) {
    recordHazardRectification(hazardId: $hazardId, note: $note, photos: $photos, idempotencyKey: $key) {
      hazard { ...HazardRow } errors { code message field }
    }
  }
`);

export const VerifyHazardDoc = graphql(`
  mutation VerifyHazard($hazardId: ID!, $passed: Boolean!, $note: String, $newDeadline: DateTime, $key: String) {
    verifyHazard(hazardId: $hazardId, passed: $passed, note: $note, newDeadline: $newDeadline, idempotencyKey: $key) {
      hazard { ...HazardRow } errors { code message field }
    }
  }
`);

export const AcceptHazardRiskDoc = graphql(`
  mutation AcceptHazardRisk($hazardId: ID!, $reason: String!, $key: String) {
    acceptHazardRisk(hazardId: $hazardId, reason: $reason, idempotencyKey: $key) { hazard { ...HazardRow } errors { code message field } }
  }
`);

graphql(`
  fragment SweepProgressRow on SweepProjectProgress {
    projectId projectName state itemsChecked submittedAt late hazardsMajor hazardsSignificant hazardsGeneral hazardsLow
  }
`);

graphql(`
  fragment SweepRow on Sweep {
    id title reason dueAt state launchedAt createdAt projectIds closedAt closeNote
    checklist { code text category categoryLabel }
    progress { ...SweepProgressRow }
  }
`);

export const SweepsDoc = graphql(`
  query Sweeps { sweeps(first: 100) { ...SweepRow } }
`);

export const SweepProgressDoc = graphql(`
  query SweepBoard($sweepId: ID!) { sweepProgress(sweepId: $sweepId) { ...SweepProgressRow } }
`);

export const CreateSweepDoc = graphql(`
  mutation CreateSweep($input: CreateSweepInput!, $key: String) {
    createSweep(input: $input, idempotencyKey: $key) { sweep { ...SweepRow } errors { code message field } }
  }
`);

export const LaunchSweepDoc = graphql(`
  mutation LaunchSweep($sweepId: ID!, $key: String) {
    launchSweep(sweepId: $sweepId, idempotencyKey: $key) { sweep { ...SweepRow } errors { code message field } }
  }
`);

export const RecordSweepResultDoc = graphql(`
  mutation RecordSweepResult($sweepId: ID!, $projectId: ID!, $itemCode: String!, $result: SweepResult!, $note: String!,
                             $hazard: SweepHazardInput, $key: String) {
    recordSweepResult(sweepId: $sweepId, projectId: $projectId, itemCode: $itemCode, result: $result, note: $note,
                      hazard: $hazard, idempotencyKey: $key) {
      sweep { ...SweepRow } hazard { id number } errors { code message field }
    }
  }
`);

export const SubmitSweepDoc = graphql(`
  mutation SubmitSweep($sweepId: ID!, $projectId: ID!, $key: String) {
    submitSweep(sweepId: $sweepId, projectId: $projectId, idempotencyKey: $key) { sweep { ...SweepRow } errors { code message field } }
  }
`);

export const UpdateSweepDoc = graphql(`
  mutation UpdateSweep($input: UpdateSweepInput!, $key: String) {
    updateSweep(input: $input, idempotencyKey: $key) { sweep { ...SweepRow } errors { code message field } }
  }
`);

export const CloseSweepDoc = graphql(`
  mutation CloseSweep($sweepId: ID!, $note: String!, $key: String) {
    closeSweep(sweepId: $sweepId, note: $note, idempotencyKey: $key) { sweep { ...SweepRow } errors { code message field } }
  }
`);

export const STATES: { value: HazardState; zh: string; en: string }[] = [
  { value: "OPEN", zh: "待指派", en: "Open" },
  { value: "RECTIFYING", zh: "整改中", en: "Rectifying" },
  { value: "RECTIFIED", zh: "待验证", en: "To verify" },
  { value: "VERIFIED", zh: "已验证", en: "Verified" },
  { value: "ACCEPTED", zh: "风险接受", en: "Accepted" },
];

export const GRADES: { value: HazardGrade; zh: string; en: string; colour: string }[] = [
  { value: "MAJOR", zh: "重大", en: "Major", colour: "red" },
  { value: "SIGNIFICANT", zh: "较大", en: "Significant", colour: "orange" },
  { value: "GENERAL", zh: "一般", en: "General", colour: "gold" },
  { value: "LOW", zh: "低", en: "Low", colour: "default" },
];

export const CATEGORIES: { value: HazardCategory; zh: string; en: string }[] = [
  { value: "FIRE", zh: "消防", en: "Fire" },
  { value: "ELECTRICAL", zh: "用电", en: "Electrical" },
  { value: "GAS", zh: "燃气", en: "Gas" },
  { value: "ELEVATOR", zh: "电梯", en: "Elevator" },
  { value: "STRUCTURE", zh: "结构", en: "Structure" },
  { value: "FALLING", zh: "高空坠物", en: "Falling objects" },
  { value: "WATER", zh: "给排水", en: "Water and drains" },
  { value: "TRAFFIC", zh: "交通", en: "Traffic" },
  { value: "OTHER", zh: "其他", en: "Other" },
];

export const gradeColour = (g: HazardGrade) => GRADES.find((x) => x.value === g)?.colour ?? "default";

/** An instant as Beijing wall time, minutes. */
export function beijing(at: string): string {
  return new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false, year: "numeric", month: "2-digit",
                                                day: "2-digit", hour: "2-digit", minute: "2-digit" });
}

export function httpsLinks(text: string): string[] {
  return text.split(/\s+/).map((s) => s.trim()).filter(Boolean);
}
