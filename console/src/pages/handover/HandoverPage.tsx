// 交接班 Handover: the service centre's open shift log of a project — what the last shift left
// (carried items, stuck ones in red), signing for it by name (签收) before writing, notes and open
// items, closing an item, handing over with a summary — and the 早会 briefing of the day beside it,
// with its missed patrols, overdue hazards and today's notices, printed on A4 by 打印.
import { Alert, App, Button, Card, Col, Input, List, Row, Select, Space, Statistic, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { check, request } from "../../api/client";
import { openPrint } from "../../api/documents";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { HandoverEntryFragment, LogEntryKind } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, asApiError, useAction } from "../../ui/action";
import { ProjectHeader, useProjectParam } from "../../ui/ProjectPicker";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import {
  AcknowledgeHandoverDoc, AddLogEntryDoc, BriefingDoc, CloseLogItemDoc, HandOverShiftDoc, HandoverProjectsDoc, OpenLogDoc,
  OpenShiftLogDoc, briefingDay,
} from "./queries";

const SHIFT_HOURS = 12;
const COLOURS: Record<string, string> = { red: "red", orange: "orange", yellow: "gold" };

function when(at: string): string {
  return new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
}

export default function HandoverPage() {
  const { viewer } = useAuth();
  const options = useQuery(HandoverProjectsDoc, {});
  const projects = useMemo(() => options.data?.projects.edges.map((e) => e.node) ?? [], [options.data]);
  const [projectId, setProject] = useProjectParam(projects);
  return (
    <div className="fc-page">
      <ProjectHeader zh="交接班" en="Shift handover" projects={projects} value={projectId} onChange={setProject}
                     loading={options.loading} testId="handover-project" />
      <ErrorBanner error={options.error} onRetry={() => void options.refetch()} />
      {projectId && (
        <Row gutter={16}>
          <Col xs={24} lg={14}><ShiftLogCard projectId={projectId} mayWrite={can(viewer, "HANDOVER_WRITE", projectId)} /></Col>
          <Col xs={24} lg={10}><Briefing projectId={projectId} /></Col>
        </Row>
      )}
    </div>
  );
}

function ShiftLogCard({ projectId, mayWrite }: { projectId: string; mayWrite: boolean }) {
  const t = useT();
  const log = useQuery(OpenLogDoc, { projectId });
  const current = log.data?.shiftLogs.edges[0]?.node ?? null;
  const [kind, setKind] = useState<LogEntryKind>("OPEN_ITEM");
  const [text, setText] = useState("");
  const [summary, setSummary] = useState("");
  const refresh = () => void log.refetch();
  const open = useAction("openShiftLog", async (key) => {
    const start = new Date();
    const end = new Date(start.getTime() + SHIFT_HOURS * 3600_000);
    check((await request(OpenShiftLogDoc, { projectId, start: start.toISOString(), end: end.toISOString(), key })).openShiftLog);
    refresh();
  });
  const ack = useAction("acknowledgeHandover", async (key, logId: string) => {
    check((await request(AcknowledgeHandoverDoc, { logId, key })).acknowledgeHandover);
    refresh();
  });
  const add = useAction("addLogEntry", async (key, logId: string, k: LogEntryKind, body: string) => {
    check((await request(AddLogEntryDoc, { logId, kind: k, text: body, key })).addLogEntry);
    setText("");
    refresh();
  });
  const close = useAction("closeLogItem", async (key, entryId: string) => {
    check((await request(CloseLogItemDoc, { entryId, key: `${key}:${entryId}` })).closeLogItem);
    refresh();
  });
  const handOver = useAction("handOverShift", async (key, logId: string, s: string) => {
    check((await request(HandOverShiftDoc, { logId, summary: s, key })).handOverShift);
    setSummary("");
    refresh();
  });
  const error = open.error ?? ack.error ?? add.error ?? close.error ?? handOver.error;

  if (log.loading && !log.data) return <Card><Loading /></Card>;
  if (!current) {
    return (
      <Card title={<L zh="值班日志" en="Shift log" />}>
        <ErrorBanner error={log.error} onRetry={refresh} />
        <FormError error={error} />
        <Nothing zh="服务中心当前没有值班日志。接班后，上一班的遗留事项会带入。" en="No open shift log: open one and the last shift's open items come with it."
                 action={mayWrite && <Button type="primary" onClick={() => void open.run()} disabled={open.busy} data-testid="handover-open">{t("接班", "Take over")}</Button>} />
      </Card>
    );
  }
  const carried = current.entries.filter((e) => e.carriedFromId);
  const locked = current.needsMyAcknowledgement;
  return (
    <Card title={<Space><L zh="值班日志" en="Shift log" /><Typography.Text type="secondary">{`${when(current.shiftStart)} – ${when(current.shiftEnd)} · ${current.author?.displayName ?? ""}`}</Typography.Text></Space>}
          data-testid="handover-log">
      <ErrorBanner error={log.error} onRetry={refresh} />
      <FormError error={error} />
      {locked && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="handover-ack-needed"
               message={t(`上一班交来 ${carried.length} 项遗留事项，请阅读后签收，再记录。`, `The last shift left ${carried.length} open items: read them and sign before writing.`)}
               action={mayWrite && <Button type="primary" size="small" disabled={ack.busy} onClick={() => void ack.run(current.id)} data-testid="handover-ack">{t("签收", "Acknowledge")}</Button>} />
      )}
      {current.acknowledgements.length > 0 && (
        <Typography.Paragraph type="secondary" data-testid="handover-acks">
          {t("已签收：", "Signed: ")}{current.acknowledgements.map((a) => `${a.user?.displayName ?? ""} ${when(a.at)}`).join("，")}
        </Typography.Paragraph>
      )}
      <List<HandoverEntryFragment> size="small" dataSource={current.entries} locale={{ emptyText: t("还没有记录", "Nothing written yet") }}
            renderItem={(e) => (
              <List.Item data-testid="handover-entry"
                         actions={e.kind === "OPEN_ITEM" && !e.doneAt && mayWrite ? [
                           <Button key="close" type="link" size="small" disabled={close.busy} onClick={() => void close.run(e.id)} data-testid="handover-close">{t("销项", "Close")}</Button>] : []}>
                <Space wrap>
                  <Tag color={e.kind === "OPEN_ITEM" ? "blue" : undefined}>{e.kindLabel}</Tag>
                  {e.carryCount > 0 && <Tag color={e.flagged ? "red" : "orange"}>{t(`已交接 ${e.carryCount} 次`, `Carried ${e.carryCount}×`)}</Tag>}
                  <span style={e.doneAt ? { textDecoration: "line-through" } : undefined}>{e.text}</span>
                  {e.case && <a href={`/cases/${encodeURIComponent(e.case.id)}`}>{e.case.number}</a>}
                  <Typography.Text type="secondary">{`${e.author.displayName} ${when(e.at)}`}</Typography.Text>
                </Space>
              </List.Item>
            )} />
      {mayWrite && (
        <Space.Compact style={{ width: "100%", marginTop: 12 }}>
          <Select<LogEntryKind> value={kind} onChange={setKind} style={{ width: 130 }} disabled={locked}
                  options={[{ value: "OPEN_ITEM", label: t("遗留事项", "Open item") }, { value: "NOTE", label: t("记事", "Note") }]} />
          <Input value={text} onChange={(ev) => setText(ev.target.value)} maxLength={2000} disabled={locked} aria-label={t("记录内容", "Entry")}
                 placeholder={t("写下发生了什么，或留给下一班的事", "What happened, or what the next shift must do")} data-testid="handover-text" />
          <Button type="primary" disabled={locked || !text.trim() || add.busy} onClick={() => void add.run(current.id, kind, text)} data-testid="handover-add">{t("记录", "Add")}</Button>
        </Space.Compact>
      )}
      {mayWrite && (
        <Space.Compact style={{ width: "100%", marginTop: 12 }}>
          <Input value={summary} onChange={(ev) => setSummary(ev.target.value)} maxLength={5000} aria-label={t("交班小结", "Summary")}
                 placeholder={t("交班小结（未销项的遗留事项会带给下一班）", "Summary (open items go to the next shift)")} data-testid="handover-summary" />
          <Button danger disabled={handOver.busy} onClick={() => void handOver.run(current.id, summary)} data-testid="handover-hand-over">{t("交班", "Hand over")}</Button>
        </Space.Compact>
      )}
    </Card>
  );
}

function Briefing({ projectId }: { projectId: string }) {
  const t = useT();
  const date = briefingDay();
  const { message } = App.useApp();
  const b = useQuery(BriefingDoc, { projectId, date });
  const m = b.data?.morningBriefing;
  const print = () => openPrint(`/print/morning-briefing?project=${encodeURIComponent(projectId)}&date=${date}`)
    .catch((e: unknown) => void message.error(asApiError(e).message));
  return (
    <Card title={<L zh={`早会 ${date}`} en={`Morning briefing ${date}`} />} data-testid="handover-briefing"
          extra={<Button size="small" onClick={() => void print()} data-testid="briefing-print">{t("打印", "Print")}</Button>}>
      <ErrorBanner error={b.error} onRetry={() => void b.refetch()} />
      {!m ? <Loading rows={4} /> : (
        <>
          <Row gutter={[12, 12]}>
            <Col span={8}><Statistic title={t("夜间遗留", "Night's open items")} value={m.nightOpenItemCount} /></Col>
            <Col span={8}><Statistic title={t("多次交接", "Carried 3×+")} value={m.flaggedItemCount} valueStyle={m.flaggedItemCount ? { color: "#cf1322" } : undefined} /></Col>
            <Col span={8}><Statistic title={t("夜间来单", "Received overnight")} value={m.receivedCaseCount} /></Col>
            <Col span={8}><Statistic title={t("超时工单", "Overdue cases")} value={m.overdueCaseCount} /></Col>
            <Col span={8}><Statistic title={t("逾期整改", "Overdue actions")} value={m.overdueActionCount} /></Col>
            <Col span={8}><Statistic title={t("昨日失约", "Promises broken")} value={m.brokenPromiseCount} /></Col>
            <Col span={8}><Statistic title={t("漏巡", "Missed patrols")} value={m.missedPatrolCount} valueStyle={m.missedPatrolCount ? { color: "#cf1322" } : undefined} /></Col>
            <Col span={8}><Statistic title={t("逾期隐患", "Overdue hazards")} value={m.overdueHazardCount} valueStyle={m.overdueHazardCount ? { color: "#cf1322" } : undefined} /></Col>
            <Col span={8}><Statistic title={t("今日通知", "Notices today")} value={m.noticeTodayCount} /></Col>
          </Row>
          <Space style={{ margin: "12px 0" }} wrap>
            {m.openAlerts.map((a) => <Tag key={a.colour} color={COLOURS[a.colour]}>{`${a.label} ${a.count}`}</Tag>)}
          </Space>
          <List size="small" dataSource={m.nightOpenItems} locale={{ emptyText: t("夜间没有遗留事项", "The night left nothing open") }}
                renderItem={(i) => (
                  <List.Item data-testid="briefing-item">
                    <Space>{i.flagged && <Tag color="red">{t(`已交接 ${i.carries} 次`, `Carried ${i.carries}×`)}</Tag>}{i.entry.text}</Space>
                  </List.Item>
                )} />
          {m.missedPatrols.length > 0 && (
            <List size="small" header={<L zh="漏巡" en="Missed patrols" />} dataSource={m.missedPatrols}
                  renderItem={(r) => <List.Item data-testid="briefing-missed">{`${r.route?.name ?? ""} · ${when(r.dueUntil)}`}</List.Item>} />
          )}
          {m.overdueHazards.length > 0 && (
            <List size="small" header={<L zh="逾期隐患" en="Overdue hazards" />} dataSource={m.overdueHazards}
                  renderItem={(h) => (
                    <List.Item data-testid="briefing-hazard">
                      <a href={`/hazards?project=${encodeURIComponent(projectId)}&hazard=${encodeURIComponent(h.id)}`}>{h.number}</a>
                      {` ${h.title} · ${t("期限", "due")} ${when(h.deadline)}`}
                    </List.Item>
                  )} />
          )}
          {m.noticesToday.length > 0 && (
            <List size="small" header={<L zh="今日通知" en="Notices today" />} dataSource={m.noticesToday}
                  renderItem={(n) => <List.Item data-testid="briefing-notice"><Space><Tag>{n.stateLabel}</Tag>{n.title}</Space></List.Item>} />
          )}
        </>
      )}
    </Card>
  );
}
