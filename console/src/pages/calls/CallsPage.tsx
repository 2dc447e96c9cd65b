// 通话记录 A project's calls of a Beijing month (docs/centre-day.md §8): each call's time, the
// caller's masked number, answered after so many seconds or abandoned, and the case it was
// registered as (a link); above them the month's figures — 呼入量, 接通率, 三声接听率, 放弃率, 平均等待
// (callFigures). With calls:manage, the 话务对接 tab manages the telephony integrations. Project,
// month and tab live in the URL.
import { DatePicker, Space, Statistic, Table, Tabs, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useMemo } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { CallMonthQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ProjectSelect } from "../../ui/ProjectPicker";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { CallIntegrationsTab } from "./CallIntegrationsTab";
import { CallMonthDoc, CallProjectsDoc } from "./queries";

type Call = CallMonthQuery["callRecords"][number];
const pct = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`);
const time = (at: string) => new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
const waited = (c: Call) => Math.round((new Date(c.answeredAt ?? c.endedAt).getTime() - new Date(c.queuedAt).getTime()) / 1000);

function MonthTab({ projectId, month }: { projectId: string; month: dayjs.Dayjs }) {
  const t = useT();
  const from = month.startOf("month").format("YYYY-MM-DD");
  const to = month.endOf("month").format("YYYY-MM-DD");
  const q = useQuery(CallMonthDoc, { projectId, from, to });
  const total = q.data?.callFigures.total;
  return (
    <div data-testid="calls-month">
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading /> : (
        <>
          <Space size={32} wrap style={{ marginBottom: 12 }} data-testid="call-figures">
            <Statistic title={t("呼入量", "Offered")} value={total?.offered ?? 0} />
            <Statistic title={t("接通", "Answered")} value={total?.answered ?? 0} />
            <Statistic title={t("接通率", "Answer rate")} value={pct(total?.answerRate)} />
            <Statistic title={t("三声接听率", "Within three rings")} value={pct(total?.threeRingRate)} />
            <Statistic title={t("放弃率", "Abandoned")} value={pct(total?.abandonRate)} />
            <Statistic title={t("平均等待（秒）", "Average wait (s)")}
                       value={total?.averageWaitSeconds === null || total?.averageWaitSeconds === undefined ? "—" : total.averageWaitSeconds.toFixed(1)} />
          </Space>
          <Table<Call> size="small" rowKey="id" dataSource={q.data?.callRecords ?? []} pagination={{ pageSize: 50, showSizeChanger: false }}
                       data-testid="call-list" locale={{ emptyText: t("本月没有通话记录", "No calls this month") }} columns={[
            { title: <L zh="时间" en="Time" />, dataIndex: "queuedAt", width: 170, render: (at: string) => <span className="fc-num">{time(at)}</span> },
            { title: <L zh="方向" en="Direction" />, dataIndex: "direction", width: 80,
              render: (d: string) => (d === "IN" ? t("呼入", "In") : t("呼出", "Out")) },
            { title: <L zh="号码" en="Number" />, dataIndex: "callerPhoneMasked", width: 130, render: (n: string) => <span className="fc-num">{n}</span> },
            { title: <L zh="接听" en="Answer" />, key: "answer", width: 180, render: (_, c) => (c.abandoned
              ? <Tag data-testid="call-abandoned">{t(`放弃（等待 ${waited(c)} 秒）`, `Abandoned after ${waited(c)} s`)}</Tag>
              : <span data-testid="call-answered">{t(`${waited(c)} 秒接听`, `Answered after ${waited(c)} s`)}</span>) },
            { title: <L zh="工单" en="Case" />, key: "case", render: (_, c) => (c.case
              ? <Link to={`/cases/${encodeURIComponent(c.case.id)}`} data-testid="call-case">{c.case.number}</Link>
              : <Typography.Text type="secondary">—</Typography.Text>) },
          ]} />
        </>
      )}
    </div>
  );
}

export default function CallsPage() {
  const t = useT();
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const projects = useQuery(CallProjectsDoc, {});
  const list = useMemo(() => projects.data?.projects.edges.map((e) => e.node) ?? [], [projects.data]);
  const projectId = params.get("project") ?? list[0]?.id ?? null;
  const asked = params.get("month");
  const month = asked && /^\d{4}-\d{2}$/.test(asked) ? dayjs(`${asked}-01`) : dayjs();
  const manage = can(viewer, "CALLS_MANAGE", projectId);
  const tab = params.get("tab") === "integrations" && manage ? "integrations" : "month";
  const set = (changes: Record<string, string | null>) => setParams((p) => {
    Object.entries(changes).forEach(([k, v]) => (v === null ? p.delete(k) : p.set(k, v)));
    return p;
  });
  return (
    <div data-testid="calls-page">
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}><L zh="通话记录" en="Calls" /></Typography.Title>
        <ProjectSelect projects={list} value={projectId} testId="calls-project"
                       onChange={(v: string) => set({ project: v })} />
        {tab === "month" && (
          <DatePicker picker="month" allowClear={false} value={month} aria-label={t("月份", "Month")} data-testid="calls-month-picker"
                      disabledDate={(d) => d.isAfter(dayjs(), "month")} onChange={(d) => d && set({ month: d.format("YYYY-MM") })} />
        )}
      </Space>
      <ErrorBanner error={projects.error} onRetry={() => void projects.refetch()} />
      {projects.loading && !projects.data ? <Loading /> : !projectId ? (
        <Nothing zh="没有可查看的项目。" en="No project to show." />
      ) : (
        <Tabs activeKey={tab} onChange={(k) => set({ tab: k === "month" ? null : k })} destroyOnHidden items={[
          { key: "month", label: <L zh="通话与指标" en="Calls & figures" />, children: <MonthTab projectId={projectId} month={month} /> },
          ...(manage ? [{ key: "integrations", label: <L zh="话务对接" en="Telephony integrations" />,
                          children: <CallIntegrationsTab projectId={projectId} /> }] : []),
        ]} />
      )}
    </div>
  );
}
