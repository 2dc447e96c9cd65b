// 工作台 The project queue: my cases, all open cases, overdue ones; filters and text search; each
// row's SLA chip counts down live, and case events patch rows in place (new ones wait in a pill).
import { Button, Input, Select, Space, Table, Tabs, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { ApiError, request } from "../../api/client";
import { useSubscription } from "../../api/live";
import { graphql } from "../../gql";
import type { CaseFilter, CaseKind, QueueCaseFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { KINDS, SEVERITIES } from "../../ui/labels";
import { nextTarget, SlaChip } from "../../ui/sla";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";

graphql(`
  fragment QueueCase on Case {
    id number kind severity channel state stateLabel description publicArea receivedAt overdue
    category { code name }
    project { id name }
    assignee { id displayName }
    sla { targets { target targetLabel dueAt metAt state stateLabel provisional } }
  }
`);

const MyQueueDoc = graphql(`
  query MyQueue($after: String) {
    myQueue(first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ...QueueCase } } }
  }
`);

const CasesDoc = graphql(`
  query QueueCases($filter: CaseFilter, $after: String) {
    cases(filter: $filter, first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ...QueueCase } } }
  }
`);

const CaseEventsDoc = graphql(`
  subscription QueueEvents {
    caseUpdates { topic case { ...QueueCase } }
  }
`);

const OPEN_STATES: CaseFilter["states"] = ["RECEIVED", "COMMITTED", "DISPATCHED", "ACCEPTED", "IN_PROGRESS", "REOPENED", "DECLINE_REQUESTED", "REFERRED"];
type Tab = "mine" | "open" | "overdue";

function useColumns(): ColumnsType<QueueCaseFragment> {
  const t = useT();
  return useMemo(() => [
    { title: <L zh="时效" en="SLA" />, key: "sla", width: 170, render: (_, c) => <SlaChip target={nextTarget(c.sla.targets)} /> },
    { title: <L zh="编号" en="Number" />, dataIndex: "number", width: 190, render: (n: string, c) => <Link to={`/cases/${c.id}`} className="fc-num" data-testid="case-link">{n}</Link> },
    { title: <L zh="类型/紧急度" en="Kind" />, key: "kind", width: 110, render: (_, c) => (
      <span>{t(KINDS.find((k) => k.value === c.kind)?.zh ?? c.kind, c.kind)} · {t(SEVERITIES.find((s) => s.value === c.severity)?.zh ?? "", c.severity)}</span>) },
    { title: <L zh="类别" en="Category" />, key: "category", width: 90, render: (_, c) => c.category.name },
    { title: <L zh="状态" en="State" />, key: "state", width: 140, render: (_, c) => <Tag>{c.stateLabel}</Tag> },
    { title: <L zh="位置" en="Place" />, key: "place", width: 130, render: (_, c) => c.publicArea ?? "—" },
    { title: <L zh="描述" en="Description" />, dataIndex: "description", ellipsis: true },
    { title: <L zh="处理人" en="Handler" />, key: "assignee", width: 90, render: (_, c) => c.assignee?.displayName ?? "—" },
    { title: <L zh="项目" en="Project" />, key: "project", width: 110, render: (_, c) => c.project?.name ?? "" },
  ], [t]);
}

export default function QueuePage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = (params.get("tab") as Tab) || "mine";
  const text = params.get("q") ?? "";
  const kind = (params.get("kind") as CaseKind | null) ?? null;
  const [rows, setRows] = useState<QueueCaseFragment[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [waiting, setWaiting] = useState(0);
  const columns = useColumns();

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next, { replace: true });
  };

  const load = useCallback(async (after: string | null) => {
    setLoading(true);
    try {
      const filter: CaseFilter = { text: text || null, kind, ...(tab === "overdue" ? { overdue: true } : { states: OPEN_STATES }) };
      const page = tab === "mine" && !text && !kind ? (await request(MyQueueDoc, { after })).myQueue
        : (await request(CasesDoc, { filter, after })).cases;
      const nodes = page.edges.map((e) => e.node);
      setRows((old) => (after ? [...old, ...nodes] : nodes));
      setTotal(page.totalCount);
      setCursor(page.pageInfo.endCursor ?? null);
      setMore(page.pageInfo.hasNextPage);
      setError(null);
      if (!after) setWaiting(0);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError("INTERNAL", String(e)));
    } finally {
      setLoading(false);
    }
  }, [tab, text, kind]);

  useEffect(() => void load(null), [load]);

  useSubscription(CaseEventsDoc, {}, (data) => {
    const changed = data.caseUpdates.case;
    setRows((old) => {
      if (old.some((r) => r.id === changed.id)) return old.map((r) => (r.id === changed.id ? changed : r));
      if (data.caseUpdates.topic === "case.received") setWaiting((n) => n + 1);
      return old;
    });
  }, () => void load(null));

  return (
    <div>
      <Tabs activeKey={tab} onChange={(k) => set("tab", k === "mine" ? null : k)} items={[
        { key: "mine", label: <L zh="我的待办" en="My queue" /> },
        { key: "open", label: <L zh="全部未办结" en="All open" /> },
        { key: "overdue", label: <L zh="超时" en="Overdue" /> },
      ]} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear defaultValue={text} placeholder={t("编号、描述或位置，如 漏水", "Number, words or place")} style={{ width: 260 }}
                      onSearch={(v) => set("q", v || null)} aria-label={t("搜索工单", "Search cases")} />
        <Select allowClear value={kind ?? undefined} placeholder={t("类型", "Kind")} style={{ width: 120 }} aria-label={t("类型", "Kind")}
                onChange={(v) => set("kind", v ?? null)} options={KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
        {total !== null && <span className="fc-beside" data-testid="queue-total">{t(`共 ${total} 条`, `${total} cases`)}</span>}
        {waiting > 0 && <Button size="small" type="primary" shape="round" onClick={() => void load(null)} aria-live="polite">
          {t(`${waiting} 条新工单`, `${waiting} new cases`)}</Button>}
      </Space>
      <ErrorBanner error={error} onRetry={() => void load(null)} />
      {loading && rows.length === 0 ? <Loading /> : rows.length === 0 && !error ? (
        <Nothing zh={text || kind ? "没有符合条件的工单" : "没有待办工单"} en={text || kind ? "No case matches" : "Nothing in the queue"} />
      ) : (
        <>
          <Table<QueueCaseFragment> size="small" rowKey="id" columns={columns} dataSource={rows} pagination={false}
                                    scroll={{ x: 1200 }} data-testid="queue-table" loading={loading} />
          {more && <Button style={{ marginTop: 12 }} onClick={() => void load(cursor)} loading={loading}><L zh="加载更多" en="Load more" /></Button>}
        </>
      )}
    </div>
  );
}
