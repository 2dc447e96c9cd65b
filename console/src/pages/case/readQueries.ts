// What the case page's read panels ask: written replies, referrals, HQ's review (and the two
// written-reply acts). Separate from queries.ts so the panels stand on their own.
import { graphql } from "../../gql";

graphql(`
  fragment WrittenReplyPanel on WrittenReply {
    id version reason basis alternatives createdAt printPath
    signedBy { id displayName }
    deliveries { id via viaLabel recipient deliveredAt note recorder { displayName } }
  }
`);

export const CaseReadDoc = graphql(`
  query CaseReadPanels($caseId: ID!) {
    writtenReplies(caseId: $caseId) { ...WrittenReplyPanel }
    caseReferrals(caseId: $caseId) {
      id status statusLabel reason requestedAction createdAt dueAt answeredAt acknowledgedAt outcome overdue remindersSent escalatedLevel
      body { id name kindLabel deliveryLabel }
      creator { displayName }
    }
    caseReview(caseId: $caseId) {
      id verdict verdictLabel rootCauseLabel rootCause lessons correctiveActions tags shared version reviewedAt
      reviewer { displayName }
    }
  }
`);

export const ReviseReplyDoc = graphql(`
  mutation ReviseWrittenReply($caseId: ID!, $reply: WrittenReplyInput!, $key: String) {
    reviseWrittenReply(caseId: $caseId, reply: $reply, idempotencyKey: $key) { case { id } errors { code message field } }
  }
`);

export const ReplyDeliveryDoc = graphql(`
  mutation RecordReplyDelivery($input: ReplyDeliveryInput!, $key: String) {
    recordReplyDelivery(input: $input, idempotencyKey: $key) { reply { ...WrittenReplyPanel } errors { code message field } }
  }
`);
