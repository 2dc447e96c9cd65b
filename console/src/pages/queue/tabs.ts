// 工作台 tabs: what each lists and which count it shows. The states follow the API's caseCounts
// (domain/cases/queue.py TAB_STATES); G then the digit switches to it.
import type { CaseFilter, CaseState, QueueCountsQuery } from "../../gql/graphql";

export interface QueueTab {
  key: string;
  zh: string;
  en: string;
  digit: string;
  count: keyof QueueCountsQuery["caseCounts"];
  filter: CaseFilter | null; // null: myQueue
}

export const OPEN_STATES: CaseState[] = ["RECEIVED", "COMMITTED", "DISPATCHED", "ACCEPTED", "IN_PROGRESS", "REOPENED", "DECLINE_REQUESTED", "REFERRED"];
export const WORKING_STATES: CaseState[] = ["DISPATCHED", "ACCEPTED", "IN_PROGRESS", "REOPENED"];

export const TABS: QueueTab[] = [
  { key: "mine", zh: "我的待办", en: "Mine", digit: "m", count: "mine", filter: null },
  { key: "open", zh: "全部未办结", en: "All open", digit: "0", count: "open", filter: { states: OPEN_STATES } },
  { key: "commit", zh: "待承诺", en: "To commit", digit: "1", count: "toCommit", filter: { states: ["RECEIVED"] } },
  { key: "dispatch", zh: "待派单", en: "To dispatch", digit: "2", count: "toDispatch", filter: { states: ["COMMITTED", "REOPENED"] } },
  { key: "accept", zh: "待接单", en: "To accept", digit: "3", count: "toAccept", filter: { states: ["DISPATCHED"] } },
  { key: "working", zh: "处理中", en: "In progress", digit: "4", count: "inProgress", filter: { states: ["ACCEPTED", "IN_PROGRESS"] } },
  { key: "confirm", zh: "待确认", en: "To confirm", digit: "5", count: "toConfirm", filter: { states: ["RESOLVED"] } },
  { key: "visit", zh: "待回访", en: "To visit", digit: "6", count: "toVisit", filter: { states: ["CONFIRMED"] } },
  { key: "overdue", zh: "超时", en: "Overdue", digit: "7", count: "overdue", filter: { overdue: true } },
  { key: "decline", zh: "婉拒待批", en: "Decline asked", digit: "8", count: "declineRequested", filter: { states: ["DECLINE_REQUESTED"] } },
  { key: "referred", zh: "转办中", en: "Referred", digit: "9", count: "referred", filter: { states: ["REFERRED"] } },
];
