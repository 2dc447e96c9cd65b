// 巡查管理 (/patrols, patrol:manage): a project's routes with their points in walking order (打印二维码
// opens the label sheet), their plans, and a week of runs — 漏巡 in red. Routes, points and plans are
// edited and switched off and on in place, a run not finished is cancelled with its reason.
import { Button, Card, Col, List, Row, Space, Table, Tag, Tooltip, Typography, message } from "antd";
import { useEffect, useMemo, useState, type HTMLAttributes } from "react";
import { openPrint } from "../../api/documents";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { PatrolRoutesQuery, PatrolRunRowFragment } from "../../gql/graphql";
import { L, useLang, useT } from "../../i18n";
import { ProjectHeader, useProjectParam } from "../../ui/ProjectPicker";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { ActiveSwitch, CancelRun, EditPlan, EditPoint, EditRoute } from "./EditActions";
import { AddPointForm, NewPlanForm, NewRouteForm } from "./RouteForms";
import { PatrolProjectsDoc, PatrolRoutesDoc, PatrolRunsDoc, addDays, beijingDay, windowText } from "./queries";
import "./patrol.css";

type Route = PatrolRoutesQuery["patrolRoutes"][number];
type Plan = Route["plans"][number];
const CADENCE: Record<string, string> = { DAILY: "每天", WEEKLY: "每周", MONTHLY: "每月" };
const WEEKDAYS = ["", "一", "二", "三", "四", "五", "六", "日"];

function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  return addDays(day, -weekday);
}

export default function PatrolsPage() {
  const { viewer } = useAuth();
  const options = useQuery(PatrolProjectsDoc, {});
  const projects = useMemo(() => options.data?.projects.edges.map((e) => e.node) ?? [], [options.data]);
  const [projectId, setProject] = useProjectParam(projects);
  // A route, point or plan changed changes the runs too (cancelled, recounted, made again): they read again.
  const [changes, setChanges] = useState(0);
  return (
    <div className="fc-page">
      <ProjectHeader zh="巡查管理" en="Patrols" projects={projects} value={projectId} onChange={setProject}
                     loading={options.loading} testId="patrols-project" />
      <ErrorBanner error={options.error} onRetry={() => void options.refetch()} />
      {projectId && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={10}><Routes projectId={projectId} mayManage={can(viewer, "PATROL_MANAGE", projectId)} onChanged={() => setChanges((n) => n + 1)} /></Col>
          <Col xs={24} xl={14}><WeekRuns projectId={projectId} mayManage={can(viewer, "PATROL_MANAGE", projectId)} changes={changes} /></Col>
        </Row>
      )}
    </div>
  );
}

function planText(p: Plan): string {
  const when = p.cadence === "WEEKLY" ? `周${p.weekdays.map((d) => WEEKDAYS[d]).join("、")}` : p.cadence === "MONTHLY" ? `${p.monthDays.join("、")}日` : "";
  const hours = Math.floor(p.windowMinutes / 60);
  const length = hours && p.windowMinutes % 60 ? `${hours}小时${p.windowMinutes % 60}分` : hours ? `${hours}小时` : `${p.windowMinutes}分钟`;
  const span = p.endsOn ? `${p.startsOn} 至 ${p.endsOn}` : `${p.startsOn} 起长期`;
  return `${CADENCE[p.cadence] ?? p.cadence}${when} ${p.windowStart.slice(0, 5)} 起 ${length} · ${span} · ${p.assignee?.displayName ?? "部门"}${p.active ? "" : " · 已停用"}`;
}

function Routes({ projectId, mayManage, onChanged }: { projectId: string; mayManage: boolean; onChanged: () => void }) {
  const t = useT();
  const list = useQuery(PatrolRoutesDoc, { projectId });
  const refresh = () => void list.refetch();
  const changed = () => { refresh(); onChanged(); };
  const routes = list.data?.patrolRoutes ?? [];
  const members = list.data?.project?.members ?? [];
  const departments = list.data?.project?.departments ?? [];
  const print = (id: string) => openPrint(`/print/patrol-points?route=${encodeURIComponent(id)}`)
    .catch((e: unknown) => void message.error(e instanceof Error ? e.message : String(e)));
  return (
    <Card title={<L zh="巡查路线" en="Routes" />} data-testid="patrols-routes">
      <ErrorBanner error={list.error} onRetry={refresh} />
      {list.loading && !list.data ? <Loading /> : routes.length === 0 && <Nothing zh="还没有巡查路线，先新建一条。" en="No routes yet: add one below." />}
      {routes.map((r) => (
        <Card key={r.id} type="inner" size="small" style={{ marginBottom: 12 }} data-testid="patrols-route"
              title={<Space>{r.name}<Tag>{r.kindLabel}</Tag>{!r.active && <Tag data-testid="patrols-route-inactive">{t("已停用", "Off")}</Tag>}</Space>}
              extra={mayManage && (
                <Space size={0} wrap>
                  <EditRoute route={r} onDone={changed} />
                  <ActiveSwitch kind="route" id={r.id} active={r.active} onDone={changed} />
                  {r.points.some((p) => p.active) && <Button onClick={() => void print(r.id)} data-testid="patrols-print">{t("打印二维码", "Print QR codes")}</Button>}
                </Space>
              )}>
          <List size="small" dataSource={r.points} locale={{ emptyText: t("还没有巡查点", "No points yet") }}
                renderItem={(p) => (
                  <List.Item data-testid="patrols-point" data-active={String(p.active)} className={p.active ? "" : "fc-inactive"}
                             extra={mayManage && <Space size={0}><EditPoint point={p} onDone={changed} /><ActiveSwitch kind="point" id={p.id} active={p.active} onDone={changed} /></Space>}>
                    <span>
                      <span className="fc-num">{p.position}.</span>&nbsp;{p.name}
                      {p.place && <Typography.Text type="secondary">&nbsp;· {p.place}</Typography.Text>}
                      {p.checks.length > 0 && <Typography.Text type="secondary">&nbsp;（{p.checks.join("、")}）</Typography.Text>}
                      {!p.active && <Tag style={{ marginLeft: 8 }}>{t("已停用", "Off")}</Tag>}
                    </span>
                  </List.Item>
                )} />
          {mayManage && r.active && <AddPointForm routeId={r.id} onAdded={refresh} />}
          <Typography.Text strong><L zh="计划" en="Plans" /></Typography.Text>
          {r.plans.length === 0
            ? <div><Typography.Text type="secondary">{t("还没有计划：不会生成巡查任务。", "No plan: no runs are made.")}</Typography.Text></div>
            : r.plans.map((p) => (
              <div key={p.id} data-testid="patrols-plan" data-active={String(p.active)} className={p.active ? "" : "fc-inactive"}>
                {planText(p)}
                {mayManage && <><EditPlan plan={p} members={members} departments={departments} onDone={changed} />
                  <ActiveSwitch kind="plan" id={p.id} active={p.active} onDone={changed} /></>}
              </div>
            ))}
        </Card>
      ))}
      {mayManage && (
        <Space direction="vertical" style={{ width: "100%" }}>
          <NewRouteForm projectId={projectId} onCreated={refresh} />
          {routes.length > 0 && <NewPlanForm routes={routes} members={members} onCreated={changed} />}
        </Space>
      )}
    </Card>
  );
}

function WeekRuns({ projectId, mayManage, changes }: { projectId: string; mayManage: boolean; changes: number }) {
  const t = useT();
  const { lang } = useLang();
  const [monday, setMonday] = useState(() => mondayOf(beijingDay()));
  const runs = useQuery(PatrolRunsDoc, { projectId, from: monday, to: addDays(monday, 6) });
  const { refetch } = runs;
  useEffect(() => { if (changes > 0) void refetch(); }, [changes, refetch]);
  const rows = runs.data?.patrolRuns ?? [];
  const missed = rows.filter((r) => r.state === "MISSED").length;
  return (
    <Card data-testid="patrols-week"
          title={<Space><L zh="巡查任务" en="Runs" /><span className="fc-num">{`${monday} – ${addDays(monday, 6)}`}</span></Space>}
>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button onClick={() => setMonday(addDays(monday, -7))}>{t("上一周", "Previous")}</Button>
        <Button onClick={() => setMonday(mondayOf(beijingDay()))}>{t("本周", "This week")}</Button>
        <Button onClick={() => setMonday(addDays(monday, 7))}>{t("下一周", "Next")}</Button>
        {missed > 0 && <Tag color="red" data-testid="patrols-missed-count">{t(`⚠ 漏巡 ${missed}`, `⚠ ${missed} missed`)}</Tag>}
      </Space>
      <ErrorBanner error={runs.error} onRetry={() => void runs.refetch()} />
      <Table<PatrolRunRowFragment> rowKey="id" size="small" pagination={false} loading={runs.loading && !runs.data} dataSource={rows}
             rowClassName={(r) => (r.state === "MISSED" ? "fc-missed-row" : "")} data-testid="patrols-runs" scroll={{ x: true }}
             locale={{ emptyText: t("本周没有巡查任务", "No runs this week") }}
             onRow={(r) => ({ "data-testid": "patrols-run", "data-state": r.state } as HTMLAttributes<HTMLElement>)}
             columns={[
               { title: <L zh="日期" en="Day" />, render: (_, r) => <span className="fc-num" style={{ whiteSpace: "nowrap" }}>{beijingDay(new Date(r.dueFrom)).slice(5)}</span> },
               { title: <L zh="时段" en="Window" />, render: (_, r) => <span className="fc-num">{windowText(r.dueFrom, r.dueUntil, lang === "zh")}</span> },
               { title: <L zh="路线" en="Route" />, render: (_, r) => <span style={{ whiteSpace: "nowrap" }}>{r.route?.name}</span> },
               { title: <L zh="巡查人" en="Walker" />, render: (_, r) => r.assignee?.displayName ?? t("部门", "Department") },
               { title: <L zh="进度" en="Done" />, render: (_, r) => <span className="fc-num">{`${r.pointsDone}/${r.pointsTotal}`}</span> },
               { title: <L zh="状态" en="State" />,
                 render: (_, r) => (r.state === "MISSED" ? <Tag color="red">{`⚠ ${r.stateLabel}`}</Tag>
                   : r.state === "CANCELLED" ? <Tooltip title={r.cancelReason}><Tag data-testid="patrols-run-cancelled">{r.stateLabel}</Tag></Tooltip>
                   : <Tag>{r.stateLabel}</Tag>) },
               ...(mayManage ? [{
                 title: "", key: "actions",
                 render: (_: unknown, r: PatrolRunRowFragment) => ((r.state === "SCHEDULED" || r.state === "IN_PROGRESS")
                   ? <CancelRun runId={r.id} onDone={() => void runs.refetch()} />
                   : r.state === "CANCELLED" && r.cancelReason ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.cancelReason}</Typography.Text> : null),
               }] : []),
             ]} />
    </Card>
  );
}
