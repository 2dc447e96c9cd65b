import { graphql } from "../../gql";

export const ProjectsDoc = graphql(`
  query ReferralProjects {
    projects(first: 100) { edges { node { id code name } } }
  }
`);

graphql(`
  fragment ReferralRow on Referral {
    id caseId projectId status statusLabel reason requestedAction createdAt dueAt overdue remindersSent escalatedLevel
    acknowledgedAt answeredAt outcome
    project { id name }
    body { id projectId name kindLabel delivery deliveryLabel contactName contactPhone }
    creator { displayName }
    case { id number description stateLabel project { id name } }
    deliveries { id kind status title }
    history { kind kindLabel via note at actedBy { displayName } }
  }
`);

export const ReferralsDoc = graphql(`
  query ReferralsTab($projectId: ID, $status: ReferralStatus) {
    referrals(projectId: $projectId, status: $status, first: 200) { ...ReferralRow }
  }
`);

export const RecordFeedbackDoc = graphql(`
  mutation RecordReferralFeedback($referralId: ID!, $feedback: ReferralFeedback!, $note: String, $key: String) {
    recordReferralFeedback(referralId: $referralId, feedback: $feedback, note: $note, idempotencyKey: $key) {
      referral { ...ReferralRow } errors { code message field }
    }
  }
`);

export const WithdrawReferralDoc = graphql(`
  mutation WithdrawReferral($referralId: ID!, $reason: String!, $key: String) {
    withdrawReferral(referralId: $referralId, reason: $reason, idempotencyKey: $key) {
      referral { ...ReferralRow } errors { code message field }
    }
  }
`);

export const LetterPrintedDoc = graphql(`
  mutation MarkReferralLetterPrinted($referralId: ID!, $key: String) {
    markReferralLetterPrinted(referralId: $referralId, idempotencyKey: $key) {
      referral { ...ReferralRow } errors { code message field }
    }
  }
`);

graphql(`
  fragment GovOrderRow on GovOrder {
    id projectId orderNumber category urgency urgencyLabel content address requesterName requesterPhone receivedAt
    responseDue resolveDue status statusLabel respondedAt answeredAt result returnedReason evaluation evaluationLabel
    respondedOnTime resolvedOnTime
    answers { id kind kindLabel text status createdAt }
    case { id number stateLabel state }
  }
`);

graphql(`
  fragment GovFigures on GovRateFigures {
    received responseDue respondedOnTime resolveDue resolvedOnTime evaluated satisfied returned
    responseRate resolutionRate satisfactionRate
  }
`);

export const GovOrdersDoc = graphql(`
  query GovOrdersTab($projectId: ID, $status: GovOrderStatus) {
    govOrders(projectId: $projectId, status: $status, first: 200) { ...GovOrderRow }
    govOrderRates(projectId: $projectId) { month total { ...GovFigures } }
  }
`);

export const OutsideBodiesDoc = graphql(`
  query GovReturnBodies($projectId: ID!) {
    outsideBodies(projectId: $projectId) { id name kindLabel active }
  }
`);

export const AnswerGovOrderDoc = graphql(`
  mutation AnswerGovOrder($orderId: ID!, $kind: GovAnswerKind!, $text: String, $reason: String, $bodyId: ID, $key: String) {
    answerGovOrder(orderId: $orderId, kind: $kind, text: $text, reason: $reason, bodyId: $bodyId, idempotencyKey: $key) {
      order { ...GovOrderRow } errors { code message field }
    }
  }
`);

graphql(`
  fragment FeedbackItem on DecisionFeedbackItem {
    id projectId projectName category { code label } body { id name } period title summary status statusLabel nextStatus
    caseCount caseNumbers reportedAt ageDays reporter { displayName }
    steps { status statusLabel evidence at actedBy { displayName } }
  }
`);

graphql(`
  fragment FeedbackCounts on DecisionFeedbackCounts {
    reported acknowledged corrected implemented open total oldestOpenAgeDays
  }
`);

export const DecisionFeedbackDoc = graphql(`
  query DecisionFeedbackTab($projectId: ID, $month: Date) {
    decisionFeedbackCandidates(projectId: $projectId, month: $month) {
      projectId projectName category { code label } body { id name kind } period caseCount
      referredCount returnedCount declinedCount sampleCaseNumbers itemId alreadyReported reportable
    }
    decisionFeedback(projectId: $projectId, first: 200) { ...FeedbackItem }
    decisionFeedbackSummary { total { ...FeedbackCounts } projects { projectId projectName counts { ...FeedbackCounts } } }
  }
`);

export const ReportFeedbackDoc = graphql(`
  mutation ReportDecisionFeedback($input: ReportDecisionFeedbackInput!, $key: String) {
    reportDecisionFeedback(input: $input, idempotencyKey: $key) { item { ...FeedbackItem } errors { code message field } }
  }
`);

export const AdvanceFeedbackDoc = graphql(`
  mutation AdvanceDecisionFeedback($input: AdvanceDecisionFeedbackInput!, $key: String) {
    advanceDecisionFeedback(input: $input, idempotencyKey: $key) { item { ...FeedbackItem } errors { code message field } }
  }
`);

export const ReferralsLiveDoc = graphql(`
  subscription ReferralsLive($projectId: ID) {
    caseUpdates(projectId: $projectId) { topic case { id channel } }
  }
`);
