import { graphql } from "../../gql";

export const ProjectsDoc = graphql(`
  query QualityProjects {
    projects(first: 100) { edges { node { id code name departments { id kind name } } } }
  }
`);

// 研判 reviews
graphql(`
  fragment ReviewCaseRow on Case {
    id number kind stateLabel description publicArea receivedAt
    category { code name }
    project { id name }
  }
`);

graphql(`
  fragment ReviewDetail on CaseReview {
    id caseId projectId verdict verdictLabel rootCauseCategory rootCauseLabel rootCause lessons correctiveActions
    tags shared version reviewedAt reviewer { displayName }
  }
`);

export const ReviewCasesDoc = graphql(`
  query ReviewCases($filter: CaseFilter) {
    cases(filter: $filter, first: 100) { totalCount edges { node { ...ReviewCaseRow } } }
    caseReviews(first: 200) { caseId verdictLabel version }
  }
`);

export const CaseReviewDoc = graphql(`
  query CaseReviewOne($caseId: ID!) {
    caseReview(caseId: $caseId) { ...ReviewDetail }
  }
`);

export const SharedLessonsDoc = graphql(`
  query SharedLessons {
    sharedLessons(first: 50) {
      reviewId caseNumber projectName verdict rootCauseCategory rootCause lessons correctiveActions tags version
    }
  }
`);

export const ReviewCaseDoc = graphql(`
  mutation ReviewCaseForm($input: ReviewCaseInput!, $key: String) {
    reviewCase(input: $input, idempotencyKey: $key) { review { ...ReviewDetail } errors { code message field } }
  }
`);

// 通报 bulletins
graphql(`
  fragment Figures on BulletinFigures {
    takenAt month households complaints open overdue caseNumbers
    kpis { received responseRate resolutionRate satisfactionRate firstContactRate returnVisitRate onTimeRate
           averageHandlingHours complaintsPer1000 brokenPromises escalations }
  }
`);

graphql(`
  fragment BulletinDetail on Bulletin {
    id kind kindLabel title body month state stateLabel citedFigures circulated projectId printPath
    createdAt publishedAt withdrawnAt withdrawalReason
    project { id name }
    department { id name }
    cases { id number description }
    figures { ...Figures }
  }
`);

export const BulletinsDoc = graphql(`
  query Bulletins($state: BulletinState) {
    bulletins(state: $state, first: 100) { ...BulletinDetail }
  }
`);

export const CircularsDoc = graphql(`
  query Circulars {
    circulars(first: 50) { bulletinId kind kindLabel title body month subject publishedAt withdrawnAt withdrawalReason printPath }
  }
`);

export const LinkableCasesDoc = graphql(`
  query LinkableCases($filter: CaseFilter) {
    cases(filter: $filter, first: 20) { edges { node { id number description } } }
  }
`);

export const DraftBulletinDoc = graphql(`
  mutation DraftBulletin($input: BulletinInput!, $bulletinId: ID, $key: String) {
    draftBulletin(input: $input, bulletinId: $bulletinId, idempotencyKey: $key) { bulletin { ...BulletinDetail } errors { code message field } }
  }
`);

export const PublishBulletinDoc = graphql(`
  mutation PublishBulletin($bulletinId: ID!, $circulate: Boolean!, $key: String) {
    publishBulletin(bulletinId: $bulletinId, circulate: $circulate, idempotencyKey: $key) { bulletin { ...BulletinDetail } errors { code message field } }
  }
`);

export const WithdrawBulletinDoc = graphql(`
  mutation WithdrawBulletin($bulletinId: ID!, $reason: String!, $key: String) {
    withdrawBulletin(bulletinId: $bulletinId, reason: $reason, idempotencyKey: $key) { bulletin { ...BulletinDetail } errors { code message field } }
  }
`);

// 品质检查 inspections
graphql(`
  fragment ChecklistDetail on InspectionChecklist {
    id name active createdAt maxPoints
    items { id position title guidance maxPoints departmentKind }
  }
`);

graphql(`
  fragment InspectionDetail on Inspection {
    id projectId checklistId checklistName inspectedOn state stateLabel totalPoints maxPoints score note submittedAt
    project { id name } inspector { displayName }
    results { itemId position title maxPoints points notApplicable comment }
    findings { id itemId position description severity kind category caseId case { id number } }
  }
`);

export const InspectionsDoc = graphql(`
  query Inspections($projectId: ID, $month: Date) {
    inspections(projectId: $projectId, month: $month) { ...InspectionDetail }
  }
`);

export const ChecklistsDoc = graphql(`
  query Checklists {
    inspectionChecklists(includeInactive: true) { ...ChecklistDetail }
  }
`);

export const CreateChecklistDoc = graphql(`
  mutation CreateChecklist($input: InspectionChecklistInput!, $key: String) {
    createInspectionChecklist(input: $input, idempotencyKey: $key) { checklist { ...ChecklistDetail } errors { code message field } }
  }
`);

export const SetChecklistActiveDoc = graphql(`
  mutation SetChecklistActive($checklistId: ID!, $active: Boolean!, $key: String) {
    setInspectionChecklistActive(checklistId: $checklistId, active: $active, idempotencyKey: $key) { checklist { ...ChecklistDetail } errors { code message field } }
  }
`);

export const RecordInspectionDoc = graphql(`
  mutation RecordInspection($input: RecordInspectionInput!, $key: String) {
    recordInspection(input: $input, idempotencyKey: $key) { inspection { ...InspectionDetail } errors { code message field } }
  }
`);
