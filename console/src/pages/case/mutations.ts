// Every transition the case page offers; each answers the case as the page shows it.
import { graphql } from "../../gql";


export const CommitDoc = graphql(`
  mutation CaseCommit($caseId: ID!, $due: DateTime, $key: String) {
    commitCase(caseId: $caseId, due: $due, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const DispatchDoc = graphql(`
  mutation CaseDispatch($caseId: ID!, $assigneeId: ID, $onDuty: Boolean!, $key: String) {
    dispatchCase(caseId: $caseId, assigneeId: $assigneeId, onDuty: $onDuty, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const AcceptDoc = graphql(`
  mutation CaseAccept($caseId: ID!, $key: String) {
    acceptCase(caseId: $caseId, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const StartDoc = graphql(`
  mutation CaseStart($caseId: ID!, $key: String) {
    startCase(caseId: $caseId, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const PauseDoc = graphql(`
  mutation CasePause($caseId: ID!, $reason: String!, $key: String) {
    pauseCase(caseId: $caseId, reason: $reason, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const ResumeDoc = graphql(`
  mutation CaseResume($caseId: ID!, $key: String) {
    resumeCase(caseId: $caseId, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const ResolveDoc = graphql(`
  mutation CaseResolve($caseId: ID!, $result: String!, $key: String) {
    resolveCase(caseId: $caseId, result: $result, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const MissPromiseDoc = graphql(`
  mutation CaseMissPromise($caseId: ID!, $apology: String!, $reason: String!, $remedy: String!, $newDue: DateTime!, $key: String) {
    missPromise(caseId: $caseId, apology: $apology, reason: $reason, remedy: $remedy, newDue: $newDue, idempotencyKey: $key) {
      case { ...CaseDetail } errors { code message field }
    }
  }
`);
export const ConfirmDoc = graphql(`
  mutation CaseConfirm($caseId: ID!, $key: String) {
    confirmCase(caseId: $caseId, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const RejectDoc = graphql(`
  mutation CaseReject($caseId: ID!, $reason: String!, $key: String) {
    rejectCase(caseId: $caseId, reason: $reason, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const ReturnVisitDoc = graphql(`
  mutation CaseReturnVisit($caseId: ID!, $satisfaction: Satisfaction!, $score: Int!, $comment: String!, $key: String) {
    returnVisit(caseId: $caseId, satisfaction: $satisfaction, score: $score, comment: $comment, idempotencyKey: $key) {
      case { ...CaseDetail } errors { code message field }
    }
  }
`);
export const CancelDoc = graphql(`
  mutation CaseCancel($caseId: ID!, $reason: String!, $byResident: Boolean!, $key: String) {
    cancelCase(caseId: $caseId, reason: $reason, byResident: $byResident, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const LinkRepeatDoc = graphql(`
  mutation CaseLinkRepeat($caseId: ID!, $earlierCaseId: ID!, $key: String) {
    linkRepeatCase(caseId: $caseId, earlierCaseId: $earlierCaseId, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);

export const UndispatchableDoc = graphql(`
  mutation CaseUndispatchable($caseId: ID!, $reason: String!, $key: String) {
    reportUndispatchable(caseId: $caseId, reason: $reason, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const RequestDeclineDoc = graphql(`
  mutation CaseRequestDecline($caseId: ID!, $reason: String!, $key: String) {
    requestDecline(caseId: $caseId, reason: $reason, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const ApproveDeclineDoc = graphql(`
  mutation CaseApproveDecline($caseId: ID!, $reply: WrittenReplyInput!, $key: String) {
    approveDecline(caseId: $caseId, reply: $reply, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const DenyDeclineDoc = graphql(`
  mutation CaseDenyDecline($caseId: ID!, $note: String!, $key: String) {
    denyDecline(caseId: $caseId, note: $note, idempotencyKey: $key) { case { ...CaseDetail } errors { code message field } }
  }
`);
export const ReferDoc = graphql(`
  mutation CaseRefer($caseId: ID!, $bodyId: ID!, $reason: String!, $requestedAction: String!, $key: String) {
    referCase(caseId: $caseId, bodyId: $bodyId, reason: $reason, requestedAction: $requestedAction, idempotencyKey: $key) {
      referral { id } errors { code message field }
    }
  }
`);
