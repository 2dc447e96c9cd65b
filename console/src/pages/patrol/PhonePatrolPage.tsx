// 巡查 on the phone (/m/patrol): my runs due today — 待巡查, 巡查中, 漏巡 in red — and a run opened:
// its points in walking order, each recorded where it stands (scanned or typed code), then 完成巡查.
import { Button, Card, Space, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { useAuth } from "../../auth";
import type { PatrolRunRowFragment } from "../../gql/graphql";
import { L, useLang, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ProjectSelect, useProjectParam } from "../../ui/ProjectPicker";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { PointCard } from "./PointCard";
import { FinishPatrolRunDoc, PatrolProjectsDoc, PatrolRunDoc, PatrolRunsDoc, StartPatrolRunDoc, beijingDay, windowText } from "./queries";
import "./patrol.css";

const ORDER: Record<string, number> = { IN_PROGRESS: 0, SCHEDULED: 1, MISSED: 2, DONE: 3, CANCELLED: 4 };

export default function PhonePatrolPage() {
  const [params, setParams] = useSearchParams();
  const run = params.get("run");
  if (run) return <RunView id={run} onBack={() => setParams((p) => { p.delete("run"); return p; })} />;
  return <MyRuns onOpen={(id) => setParams((p) => { p.set("run", id); return p; })} />;
}

function MyRuns({ onOpen }: { onOpen: (id: string) => void }) {
  const { viewer } = useAuth();
  const options = useQuery(PatrolProjectsDoc, {});
  const projects = useMemo(() => options.data?.projects.edges.map((e) => e.node) ?? [], [options.data]);
  const [projectId, setProject] = useProjectParam(projects);
  const today = beijingDay();
  const runs = useQuery(PatrolRunsDoc, { projectId: projectId ?? "", from: today, to: today }, !projectId);
  // Mine: planned for me, or for a department (the API says whether I am in it).
  const mine = (runs.data?.patrolRuns ?? [])
    .filter((r) => !r.assignee || r.assignee.id === viewer?.user?.id)
    .sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) || a.dueFrom.localeCompare(b.dueFrom));
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}><L zh="今日巡查" en="Today's patrols" /></Typography.Title>
      {projects.length > 1 && (
        <ProjectSelect projects={projects} value={projectId} onChange={setProject} style={{ width: "100%", marginBottom: 12 }} />
      )}
      <ErrorBanner error={options.error ?? runs.error} onRetry={() => void runs.refetch()} />
      {runs.loading && !runs.data ? <Loading rows={3} />
        : mine.length === 0 ? <Nothing zh="今天没有您的巡查任务。" en="No patrol runs for you today." />
        : mine.map((r) => <RunCard key={r.id} run={r} onOpen={() => onOpen(r.id)} />)}
    </div>
  );
}

function RunCard({ run, onOpen }: { run: PatrolRunRowFragment; onOpen: () => void }) {
  const { lang } = useLang();
  const missed = run.state === "MISSED";
  return (
    <Card hoverable className={`fc-run-card${missed ? " fc-run-missed" : ""}`} onClick={onOpen} role="button" tabIndex={0}
          onKeyDown={(e) => { if (e.key === "Enter") onOpen(); }} data-testid="patrol-run" data-state={run.state}>
      <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
        <span className="fc-run-title">{run.route?.name ?? "—"}</span>
        <span className="fc-run-state">{missed ? <Tag color="red">{`⚠ ${run.stateLabel}`}</Tag> : <Tag>{run.stateLabel}</Tag>}</span>
      </Space>
      <div className="fc-run-meta fc-num">
        {`${run.route?.kindLabel ?? ""} · ${windowText(run.dueFrom, run.dueUntil, lang === "zh")} · ${run.pointsDone}/${run.pointsTotal}`}
      </div>
    </Card>
  );
}

function RunView({ id, onBack }: { id: string; onBack: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const found = useQuery(PatrolRunDoc, { id });
  const run = found.data?.node?.__typename === "PatrolRun" ? found.data.node : null;
  const [opened, setOpened] = useState<string | null>(null);
  const refresh = () => void found.refetch();
  const start = useAction("startPatrolRun", async (key) => { check((await request(StartPatrolRunDoc, { runId: id, key })).startPatrolRun); refresh(); });
  const finish = useAction("finishPatrolRun", async (key) => { check((await request(FinishPatrolRunDoc, { runId: id, key })).finishPatrolRun); refresh(); });
  const back = <Button type="link" onClick={onBack} style={{ paddingLeft: 0 }} data-testid="patrol-back">{t("← 今日巡查", "← Today's patrols")}</Button>;
  if (found.loading && !found.data) return <div>{back}<Loading /></div>;
  if (!run) return <div>{back}<ErrorBanner error={found.error} onRetry={refresh} /><Nothing zh="找不到该巡查任务。" en="No such patrol run." /></div>;
  const visits = new Map(run.visits.map((v) => [v.pointId, v]));
  // A point switched off takes no visits; one visited before it was switched off still shows. A point
  // added to the route after the run started is not part of it.
  const started = run.startedAt ? Date.parse(run.startedAt) : null;
  const points = (run.route?.points ?? []).filter((p) => visits.has(p.id)
    || (p.active && (started === null || !p.addedAt || Date.parse(p.addedAt) <= started)));
  const closed = run.state === "DONE" || run.state === "MISSED" || run.state === "CANCELLED";
  // The first point not yet recorded is open; a tap opens another.
  const current = opened ?? points.find((p) => !visits.has(p.id))?.id ?? null;
  const nameOf = (pointId: string) => points.find((p) => p.id === pointId)?.name ?? "";
  return (
    <div data-testid="patrol-run-view">
      {back}
      <Typography.Title level={4} style={{ margin: "0 0 4px" }}>{run.route?.name}</Typography.Title>
      <div className="fc-run-meta fc-num" style={{ marginBottom: 12 }}>
        {run.state === "MISSED" ? <Tag color="red">{`⚠ ${run.stateLabel}`}</Tag> : <Tag data-testid="patrol-run-state">{run.stateLabel}</Tag>}
        {`${windowText(run.dueFrom, run.dueUntil, lang === "zh")} · `}<span data-testid="patrol-progress">{`${run.pointsDone}/${run.pointsTotal}`}</span>
      </div>
      <ErrorBanner error={found.error} onRetry={refresh} />
      {run.state === "SCHEDULED" && (
        <Button block size="large" style={{ marginBottom: 12 }} onClick={() => void start.run()} loading={start.busy} data-testid="patrol-start">
          {t("开始巡查", "Start")}
        </Button>
      )}
      <FormError error={start.error} />
      {points.map((p) => (
        <PointCard key={p.id} runId={run.id} projectId={run.route?.projectId ?? ""} point={p} visit={visits.get(p.id) ?? null}
                   open={!closed && current === p.id} onOpen={() => setOpened(current === p.id ? "" : p.id)} closed={closed}
                   onRecorded={() => { setOpened(null); refresh(); }} nameOf={nameOf} />
      ))}
      {!closed && (
        <Button type="primary" block size="large" onClick={() => void finish.run()} loading={finish.busy} disabled={run.state === "SCHEDULED" && run.pointsDone === 0}
                data-testid="patrol-finish">
          {run.pointsDone < run.pointsTotal
            ? t(`完成巡查（${run.pointsTotal - run.pointsDone} 个点未打卡）`, `Finish (${run.pointsTotal - run.pointsDone} points not recorded)`)
            : t("完成巡查", "Finish")}
        </Button>
      )}
      <FormError error={finish.error} />
    </div>
  );
}
