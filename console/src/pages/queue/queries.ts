// 工作台 The queue's operations: pages sorted by the server (worst SLA target first), the tab
// counts, and the case events that patch rows and refresh the counts.
import { graphql } from "../../gql";

graphql(`
  fragment QueueCase on Case {
    id number kind severity channel state stateLabel description publicArea receivedAt overdue
    category { code name }
    project { id name }
    assignee { id displayName }
    sla { targets { target targetLabel dueAt metAt state stateLabel provisional } }
  }
`);

export const MyQueueDoc = graphql(`
  query MyQueue($after: String) {
    myQueue(first: 50, after: $after, orderBy: TIME_LEFT) { totalCount pageInfo { hasNextPage endCursor } edges { node { ...QueueCase } } }
  }
`);

export const CasesDoc = graphql(`
  query QueueCases($filter: CaseFilter, $after: String, $first: Int = 50) {
    cases(filter: $filter, first: $first, after: $after, orderBy: TIME_LEFT) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { ...QueueCase } }
    }
  }
`);

export const CountsDoc = graphql(`
  query QueueCounts {
    caseCounts { toCommit toDispatch toAccept inProgress toConfirm toVisit overdue declineRequested referred open mine }
  }
`);

export const CaseEventsDoc = graphql(`
  subscription QueueEvents {
    caseUpdates { topic case { ...QueueCase } }
  }
`);
