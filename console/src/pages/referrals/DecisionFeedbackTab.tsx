// 决策反馈 The month's recurring out-of-remit problems (at least 3 cases of one category and body),
// reported to the government department; the reported items as a board by status, each moved one
// step on with its evidence; the counts per status on top.
import { Button, Card, DatePicker, Drawer, Input, Space, Statistic, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { DecisionFeedbackTabQuery, FeedbackCountsFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys } from "../../ui/keys";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { FormError, useAction } from "../../ui/action";
import { FeedbackBoard } from "./FeedbackBoard";
import { DecisionFeedbackDoc, ReportFeedbackDoc } from "./queries";
import type { TabProps } from "./ReferralsPage";

type Candidate = DecisionFeedbackTabQuery["decisionFeedbackCandidates"][number];

function Counts({ c }: { c: FeedbackCountsFragment }) {
  const t = useT();
  return (
    <div className="fc-kpis" data-testid="feedback-summary">
      <Card size="small"><Statistic title={t("已上报", "Reported")} value={c.reported} /></Card>
      <Card size="small"><Statistic title={t("已确认", "Acknowledged")} value={c.acknowledged} /></Card>
      <Card size="small"><Statistic title={t("已整改", "Corrected")} value={c.corrected} /></Card>
      <Card size="small"><Statistic title={t("已落实", "Implemented")} value={c.implemented} /></Card>
      <Card size="small"><Statistic title={t("未落实 / 合计", "Open / total")} value={`${c.open} / ${c.total}`} /></Card>
      <Card size="small"><Statistic title={t("最久未落实", "Oldest open")} value={c.oldestOpenAgeDays == null ? "—" : t(`${c.oldestOpenAgeDays} 天`, `${c.oldestOpenAgeDays} d`)} /></Card>
    </div>
  );
}

function ReportForm({ c, onClose, onDone }: { c: Candidate | null; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [title, setTitle] = useState("");
  const [summary, setSummary] = useState("");
  useEffect(() => {
    if (c) setTitle(`${c.projectName}${c.category.label}问题${c.body ? `（${c.body.name}）` : ""}`);
  }, [c]);
  const act = useAction("reportDecisionFeedback", async (key, on: Candidate) => {
    check((await request(ReportFeedbackDoc, { key, input: {
      projectId: on.projectId, month: on.period, categoryCode: on.category.code, bodyId: on.body?.id ?? null,
      title: title.trim(), summary: summary.trim() } })).reportDecisionFeedback);
    onDone();
  });
  const submit = () => c && void act.run(c);
  return (
    <Drawer open={!!c} onClose={onClose} width={520} title={<L zh="上报决策反馈" en="Report decision feedback" />} data-testid="feedback-report">
      {c && (
        <div onKeyDown={formKeys(submit, onClose)}>
          <p>{c.projectName} · {c.category.label} · {c.body?.name ?? t("未指定单位", "no body")} · {c.period.slice(0, 7)} · {t(`${c.caseCount} 件`, `${c.caseCount} cases`)}</p>
          <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} aria-label={t("标题", "Title")} placeholder={t("标题", "Title")} />
          <Input.TextArea rows={5} value={summary} onChange={(e) => setSummary(e.target.value)} maxLength={2000} style={{ marginTop: 8 }}
                          aria-label={t("反映内容", "Summary")} placeholder={t("反映的问题和请求部门做什么（必填）", "What recurs and what is asked of the department (required)")} />
          <Button type="primary" style={{ marginTop: 8 }} loading={act.busy} disabled={!title.trim() || !summary.trim()} onClick={submit}
                  data-testid="feedback-report-submit"><L zh="上报" en="Report" /> (Ctrl+Enter)</Button>
          <FormError error={act.error} />
        </div>
      )}
    </Drawer>
  );
}

function columns(t: (zh: string, en: string) => string, may: (c: Candidate) => boolean, onReport: (c: Candidate) => void): ColumnsType<Candidate> {
  return [
    { title: <L zh="项目" en="Project" />, dataIndex: "projectName", width: 120 },
    { title: <L zh="类别" en="Category" />, key: "cat", width: 110, render: (_, c) => c.category.label },
    { title: <L zh="责任单位" en="Body" />, key: "body", width: 150, render: (_, c) => c.body?.name ?? <span className="fc-beside">{t("未指定", "None named")}</span> },
    { title: <L zh="件数" en="Cases" />, key: "count", width: 150, render: (_, c) => (
      <span className="fc-num">{c.caseCount} <span className="fc-beside">{t(`转办${c.referredCount} · 退回${c.returnedCount} · 婉拒${c.declinedCount}`, `referred ${c.referredCount} · returned ${c.returnedCount} · declined ${c.declinedCount}`)}</span></span>) },
    { title: <L zh="工单样例" en="Sample cases" />, key: "sample", ellipsis: true, render: (_, c) => <span className="fc-num fc-beside">{c.sampleCaseNumbers.join("、")}</span> },
    { title: "", key: "act", width: 110, render: (_, c) => c.alreadyReported ? <Tag>{t("已上报", "Reported")}</Tag>
      : c.reportable && may(c) ? <Button size="small" type="primary" onClick={() => onReport(c)} data-testid="feedback-candidate-report"><L zh="上报" en="Report" /></Button>
      : <span className="fc-beside">{c.reportable ? "" : t("不足3件", "Under 3 cases")}</span> },
  ];
}

export function DecisionFeedbackTab({ projectId, tick }: TabProps) {
  const t = useT();
  const { viewer } = useAuth();
  const [month, setMonth] = useState(() => dayjs().startOf("month"));
  const data = useQuery(DecisionFeedbackDoc, { projectId, month: month.format("YYYY-MM-DD") });
  const [reporting, setReporting] = useState<Candidate | null>(null);
  const { refetch } = data;
  useEffect(() => {
    if (tick) void refetch();
  }, [tick, refetch]);

  const may = (p: string) => can(viewer, "DECISION_FEEDBACK_MANAGE", p);
  if (data.loading && !data.data) return <Loading />;
  const d = data.data;
  return (
    <div data-testid="feedback-tab">
      <ErrorBanner error={data.error} onRetry={() => void refetch()} />
      {d && <Counts c={d.decisionFeedbackSummary.total} />}
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text strong><L zh="待上报（同月同类同单位 ≥3 件）" en="To report (3+ cases of a kind in a month)" /></Typography.Text>
        <DatePicker picker="month" allowClear={false} value={month} disabledDate={(v) => v.isAfter(dayjs(), "month")}
                    onChange={(v) => v && setMonth(v.startOf("month"))} aria-label={t("月份", "Month")} />
      </Space>
      {d && (d.decisionFeedbackCandidates.length === 0 ? (
        <Nothing zh="本月没有反复出现的非本单位职责问题" en="No recurring out-of-remit problem this month" />
      ) : (
        <Table<Candidate> size="small" pagination={false} data-testid="feedback-candidates"
                          rowKey={(c) => `${c.projectId}:${c.category.code}:${c.body?.id ?? "-"}`}
                          dataSource={d.decisionFeedbackCandidates} columns={columns(t, (c) => may(c.projectId), setReporting)} />
      ))}
      <Typography.Title level={5} style={{ marginTop: 16 }}><L zh="上报事项" en="Reported items" /></Typography.Title>
      {d && <FeedbackBoard items={d.decisionFeedback} may={may} onChanged={() => void refetch()} />}
      <ReportForm c={reporting} onClose={() => {
        setReporting(null);
        void refetch(); // someone may have reported it meanwhile (CONFLICT)
      }} onDone={() => {
        setReporting(null);
        void refetch();
      }} />
    </div>
  );
}
