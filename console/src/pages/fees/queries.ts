import { graphql } from "../../gql";

export const FeeProjectsDoc = graphql(`
  query FeeProjects { projects(first: 100) { edges { node { id name code } } } }
`);

export const FeeBuildingsDoc = graphql(`
  query FeeBuildings($projectId: ID!) { buildings(projectId: $projectId, first: 100) { edges { node { id name } } } }
`);

export const FeeFlatsDoc = graphql(`
  query FeeFlats($flat: String!, $projectId: ID!) { callerLookup(flat: $flat, projectId: $projectId) { units { id label } } }
`);

graphql(`
  fragment FeeAgeing on Ageing { d30 d90 d180 d365 over365 }
`);

export const ArrearsDoc = graphql(`
  query Arrears($projectId: ID!, $filter: ArrearsFilter, $orderBy: ArrearsOrder!, $after: String) {
    arrears(projectId: $projectId, filter: $filter, orderBy: $orderBy, first: 50, after: $after) {
      totals { flats overdue overdueYuan outstanding ageing { ...FeeAgeing } }
      edges { cursor node { label contactName contactPhoneMasked overdue overdueYuan outstanding oldestDueOn ageing { ...FeeAgeing } unit { id }
        lastReminder { way wayLabel sentOn } hold { ...FeeHoldFields } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

graphql(`
  fragment FeeBill on Bill {
    id period dueOn amount waived paid outstanding yuan state stateLabel overdue
    unit { id label } chargeItem { id code name }
  }
`);

export const BillsDoc = graphql(`
  query FeeBills($projectId: ID!, $filter: BillFilter, $after: String) {
    bills(projectId: $projectId, filter: $filter, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...FeeBill } }
    }
  }
`);

graphql(`
  fragment FeePayment on Payment {
    id amount yuan unallocated receiptNo paidAt method methodLabel recordedByActor { displayName } reversedAt reverseReason printPath note
    problem clearance { resolution resolutionLabel note }
    allocations { amount bill { id period chargeItem { name } } }
  }
`);

export const UnitAccountDoc = graphql(`
  query FeeUnitAccount($unitId: ID!) {
    unitAccount(unitId: $unitId) {
      outstanding overdue credit openBills oldestDueOn outstandingYuan
      unit { id label }
      bills(state: OPEN, first: 100) { totalCount edges { node { ...FeeBill } } }
      payments(first: 10) { ...FeePayment }
    }
  }
`);

graphql(`
  fragment FeeChargeItem on ChargeItem {
    id code name kind kindLabel basis basisLabel vacantPercent dueDay startsOn endsOn active
    rates { effectiveFrom rate rateYuan }
  }
`);

export const ChargeItemsDoc = graphql(`
  query FeeChargeItems($projectId: ID!) { chargeItems(projectId: $projectId) { ...FeeChargeItem } }
`);

export const BillRunsDoc = graphql(`
  query FeeBillRuns($projectId: ID!) {
    billRuns(projectId: $projectId, first: 10) { id fromMonth toMonth dryRun state created skipped { reason count } total totalYuan createdByActor { displayName } startedAt }
  }
`);

export const RecordPaymentDoc = graphql(`
  mutation FeeRecordPayment($input: RecordPaymentInput!, $key: String) {
    recordPayment(input: $input, idempotencyKey: $key) { payment { ...FeePayment } errors { code message field } }
  }
`);

export const ReversePaymentDoc = graphql(`
  mutation FeeReversePayment($id: ID!, $reason: String!, $key: String) {
    reversePayment(paymentId: $id, reason: $reason, idempotencyKey: $key) { payment { ...FeePayment } errors { code message field } }
  }
`);

export const ClearOverpaidDoc = graphql(`
  mutation FeeClearOverpaid($id: ID!, $resolution: OverpaidResolution!, $note: String!, $key: String) {
    clearOverpaidPayment(paymentId: $id, resolution: $resolution, note: $note, idempotencyKey: $key) { payment { ...FeePayment } errors { code message field } }
  }
`);

export const CreateChargeItemDoc = graphql(`
  mutation FeeCreateChargeItem($input: CreateChargeItemInput!, $key: String) {
    createChargeItem(input: $input, idempotencyKey: $key) { chargeItem { ...FeeChargeItem } errors { code message field } }
  }
`);

export const SetChargeRateDoc = graphql(`
  mutation FeeSetChargeRate($id: ID!, $from: Date!, $rate: Rate1e4!, $key: String) {
    setChargeRate(chargeItemId: $id, effectiveFrom: $from, rate: $rate, idempotencyKey: $key) { chargeItem { ...FeeChargeItem } errors { code message field } }
  }
`);

export const GenerateBillsDoc = graphql(`
  mutation FeeGenerateBills($input: GenerateBillsInput!, $key: String) {
    generateBills(input: $input, idempotencyKey: $key) {
      billRun { id fromMonth toMonth dryRun created skipped { reason count } total totalYuan }
      errors { code message field }
    }
  }
`);

export const WaiveBillDoc = graphql(`
  mutation FeeWaiveBill($id: ID!, $amount: Fen!, $reason: String!, $key: String) {
    waiveBill(billId: $id, amount: $amount, reason: $reason, idempotencyKey: $key) { bill { ...FeeBill } errors { code message field } }
  }
`);

export const CancelBillDoc = graphql(`
  mutation FeeCancelBill($id: ID!, $reason: String!, $key: String) {
    cancelBill(billId: $id, reason: $reason, idempotencyKey: $key) { bill { ...FeeBill } errors { code message field } }
  }
`);
