// 工作台 The project queue: tabs by state with live counts, each list sorted by the server by time
// left (the worst open SLA target first), text search and kind filter in the URL, cursor pages.
// Each row's SLA chip counts down live; case events patch rows in place (new ones wait in a pill,
// nothing re-sorts under the cursor) and refresh the counts. Keys: J/K, Enter, /, C, D, G+digit.
import { Badge, Button, Input, Select, Space, Table, Tabs, Tag, type InputRef } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useCallback, useEffect, useMemo, useRef, useState, type HTMLAttributes } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError, request } from "../../api/client";
import { useSubscription } from "../../api/live";
import { useQuery, useThrottled } from "../../api/useQuery";
import { useAuth, type Viewer } from "../../auth";
import type { CaseFilter, CaseKind, QueueCaseFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { useKeys } from "../../ui/keys";
import { CHANNELS, KINDS, SEVERITIES } from "../../ui/labels";
import { nextTarget, SlaChip } from "../../ui/sla";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { CaseEventsDoc, CasesDoc, CountsDoc, MyQueueDoc } from "./queries";
import { TABS, WORKING_STATES, type QueueTab } from "./tabs";

function useColumns(): ColumnsType<QueueCaseFragment> {
  const t = useT();
  return useMemo(() => [
    { title: <L zh="时效" en="SLA" />, key: "sla", width: 250, render: (_, c) => <SlaChip target={nextTarget(c.sla.targets)} /> },
    { title: <L zh="编号" en="Number" />, dataIndex: "number", width: 190, render: (n: string, c) => <Link to={`/cases/${c.id}`} className="fc-num" data-testid="case-link">{n}</Link> },
    { title: <L zh="类型/紧急度" en="Kind" />, key: "kind", width: 110, render: (_, c) => (
      <span>{t(KINDS.find((k) => k.value === c.kind)?.zh ?? c.kind, c.kind)} · {t(SEVERITIES.find((s) => s.value === c.severity)?.zh ?? "", c.severity)}</span>) },
    { title: <L zh="类别" en="Category" />, key: "category", width: 90, render: (_, c) => c.category.name },
    { title: <L zh="状态" en="State" />, key: "state", width: 140, render: (_, c) => <Tag>{c.stateLabel}</Tag> },
    { title: <L zh="位置" en="Place" />, key: "place", width: 130, render: (_, c) => c.publicArea ?? "—" },
    { title: <L zh="描述" en="Description" />, dataIndex: "description", ellipsis: true },
    { title: <L zh="处理人" en="Handler" />, key: "assignee", width: 90, render: (_, c) => c.assignee?.displayName ?? "—" },
    { title: <L zh="渠道" en="Channel" />, key: "channel", width: 80, render: (_, c) => t(CHANNELS.find((ch) => ch.value === c.channel)?.zh ?? c.channel, c.channel) },
    { title: <L zh="项目" en="Project" />, key: "project", width: 110, render: (_, c) => c.project?.name ?? "" },
  ], [t]);
}

/** Whether some grant lets the viewer work cases (myQueue asks case:work). */
function works(viewer: Viewer | null): boolean {
  return !!viewer && (viewer.permissions.includes("CASE_WORK") || viewer.roles.some((g) => g.permissions.includes("CASE_WORK")));
}

export default function QueuePage() {
  const t = useT();
  const navigate = useNavigate();
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const tabs = useMemo(() => TABS.filter((x) => x.key !== "mine" || works(viewer)), [viewer]);
  const me = viewer?.user?.id ?? null;
  const tab: QueueTab = tabs.find((x) => x.key === params.get("tab")) ?? tabs[0];
  const text = params.get("q") ?? "";
  const kind = (params.get("kind") as CaseKind | null) ?? null;
  const [rows, setRows] = useState<QueueCaseFragment[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [waiting, setWaiting] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const latest = useRef(0);
  const search = useRef<InputRef>(null);
  const gPressed = useRef(0);
  const counts = useQuery(CountsDoc, {});
  const refreshCounts = useThrottled(() => void counts.refetch(), 5000);
  const columns = useColumns();

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next, { replace: true });
  };

  const load = useCallback(async (after: string | null) => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const words = { text: text || null, kind };
      const mine: CaseFilter = { assigneeId: me, states: WORKING_STATES };
      const page = tab.filter === null && !text && !kind ? (await request(MyQueueDoc, { after })).myQueue
        : (await request(CasesDoc, { filter: { ...(tab.filter ?? mine), ...words }, after })).cases;
      if (ticket !== latest.current) return; // another tab or filter asked since
      const nodes = page.edges.map((e) => e.node);
      setRows((old) => (after ? [...old, ...nodes] : nodes));
      setTotal(page.totalCount);
      setCursor(page.pageInfo.endCursor ?? null);
      setMore(page.pageInfo.hasNextPage);
      setError(null);
      if (!after) {
        setWaiting(0);
        setSelected(nodes[0]?.id ?? null);
      }
    } catch (e) {
      if (ticket === latest.current) setError(e instanceof ApiError ? e : new ApiError("INTERNAL", String(e)));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [tab, text, kind, me]);

  useEffect(() => void load(null), [load]);

  useSubscription(CaseEventsDoc, {}, (data) => {
    const changed = data.caseUpdates.case;
    setRows((old) => {
      if (old.some((r) => r.id === changed.id)) return old.map((r) => (r.id === changed.id ? changed : r));
      if (data.caseUpdates.topic === "case.received") setWaiting((n) => n + 1);
      return old;
    });
    refreshCounts();
  }, () => {
    void load(null);
    void counts.refetch();
  });

  const move = (step: number) => {
    if (rows.length === 0) return;
    const at = rows.findIndex((r) => r.id === selected);
    const next = rows[Math.min(rows.length - 1, Math.max(0, at < 0 ? 0 : at + step))];
    setSelected(next.id);
    document.querySelector(`[data-case="${next.id}"]`)?.scrollIntoView({ block: "nearest" });
  };
  const openSelected = (action?: string) => {
    if (selected) navigate(`/cases/${selected}${action ? `?action=${action}` : ""}`);
  };
  const digit = (d: string) => () => {
    if (Date.now() - gPressed.current > 1500) return;
    gPressed.current = 0;
    const to = tabs.find((x) => x.digit === d);
    if (to) set("tab", to.key === tabs[0].key ? null : to.key);
  };
  useKeys({
    j: () => move(1), k: () => move(-1), Enter: () => openSelected(), "/": () => search.current?.focus(),
    c: () => openSelected("commit"), d: () => openSelected("dispatch"), g: () => { gPressed.current = Date.now(); },
    ...Object.fromEntries(TABS.map((x) => [x.digit, digit(x.digit)])),
  });

  const count = (x: QueueTab) => counts.data?.caseCounts[x.count];
  return (
    <div>
      <Tabs activeKey={tab.key} tabBarGutter={16} onChange={(k) => set("tab", k === tabs[0].key ? null : k)} data-testid="queue-tabs" items={tabs.map((x) => ({
        key: x.key,
        label: (
          <span data-tab={x.key} title={`${x.en} · G ${x.digit.toUpperCase()}`}>
            {t(x.zh, x.en)}{" "}
            <Badge count={count(x) ?? "…"} showZero overflowCount={9999} color={x.key === "overdue" && count(x) ? "#fa8c16" : "#bfbfbf"}
                   data-testid={`count-${x.key}`} />
          </span>
        ),
      }))} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search ref={search} allowClear defaultValue={text} placeholder={t("编号、描述或位置，如 漏水（/）", "Number, words or place (/)")} style={{ width: 280 }}
                      onSearch={(v) => set("q", v || null)} aria-label={t("搜索工单", "Search cases")} />
        <Select allowClear value={kind ?? undefined} placeholder={t("类型", "Kind")} style={{ width: 120 }} aria-label={t("类型", "Kind")}
                onChange={(v) => set("kind", v ?? null)} options={KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
        {total !== null && <span className="fc-beside" data-testid="queue-total">{t(`共 ${total} 条 · 按剩余时间排序`, `${total} cases · by time left`)}</span>}
        {waiting > 0 && <Button size="small" type="primary" shape="round" onClick={() => void load(null)} aria-live="polite">
          {t(`${waiting} 条新工单`, `${waiting} new cases`)}</Button>}
      </Space>
      <ErrorBanner error={error ?? counts.error} onRetry={() => { void load(null); void counts.refetch(); }} />
      {loading && rows.length === 0 ? <Loading /> : rows.length === 0 && !error ? (
        <Nothing zh={text || kind ? "没有符合条件的工单，换个词或清除类型试试" : `「${tab.zh}」下没有工单，按 G 和数字看其他标签`}
                 en={text || kind ? "No case matches: try other words or clear the kind" : `Nothing under ${tab.en}: G and a digit shows another tab`} />
      ) : (
        <>
          <Table<QueueCaseFragment> size="small" rowKey="id" columns={columns} dataSource={rows} pagination={false}
                                    scroll={{ x: 1360 }} data-testid="queue-table" loading={loading}
                                    rowClassName={(c) => (c.id === selected ? "fc-selected" : "")}
                                    onRow={(c) => ({ onClick: () => setSelected(c.id), "data-case": c.id } as HTMLAttributes<HTMLElement>)} />
          {more && <Button style={{ marginTop: 12 }} onClick={() => void load(cursor)} loading={loading}><L zh="加载更多" en="Load more" /></Button>}
        </>
      )}
    </div>
  );
}
