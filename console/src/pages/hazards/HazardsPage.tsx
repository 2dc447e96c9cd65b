// 隐患 Hazards (docs/centre-day.md §2.2, §2.3): two tabs. 隐患台账 — a project's register, filtered
// by state, grade and 只看逾期 (the overdue tinted red), a row opening its drawer (HazardDrawer),
// 上报隐患 for hazard:report holders, 导出 the register as a workbook (headquarters also the whole
// company's). 排查 — HQ's dragnet sweeps (SweepsTab). Project, tab, filters and the open hazard live
// in the URL.
import { App, Button, Segmented, Select, Space, Switch, Table, Tabs, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useMemo, useState, type HTMLAttributes } from "react";
import { useSearchParams } from "react-router-dom";
import { download } from "../../api/documents";
import { useQuery } from "../../api/useQuery";
import { can, holdsAnywhere, useAuth } from "../../auth";
import type { HazardGrade, HazardRowFragment, HazardState } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ProjectSelect } from "../../ui/ProjectPicker";
import { asApiError } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import "../improvements/improvements.css";
import { HazardDrawer } from "./HazardDrawer";
import { beijing, GRADES, gradeColour, HazardProjectsDoc, HazardsDoc, STATES } from "./queries";
import { ReportHazard } from "./ReportHazard";
import { SweepsTab } from "./SweepsTab";

function Register({ projectId, set }: { projectId: string; set: (c: Record<string, string | null>) => void }) {
  const t = useT();
  const { viewer } = useAuth();
  const [params] = useSearchParams();
  const state = (STATES.find((s) => s.value === params.get("state"))?.value ?? null) as HazardState | null;
  const grade = (GRADES.find((g) => g.value === params.get("grade"))?.value ?? null) as HazardGrade | null;
  const overdue = params.get("overdue") === "1";
  const [reporting, setReporting] = useState(false);
  const q = useQuery(HazardsDoc, { projectId, filter: { state, grade, overdue } });
  const [rows, setRows] = useState<HazardRowFragment[]>([]);
  useEffect(() => {
    if (q.data) setRows(q.data.hazards.edges.map((e) => e.node));
  }, [q.data]);
  const opened = rows.find((h) => h.id === params.get("hazard")) ?? null;
  // A changed hazard stays in view with its new state until the list is reloaded.
  const changed = (h: HazardRowFragment) => setRows((old) => old.map((x) => (x.id === h.id ? h : x)));

  const columns: ColumnsType<HazardRowFragment> = [
    { title: <L zh="编号" en="No." />, dataIndex: "number", width: 165, render: (n: string) => <span className="fc-num">{n}</span> },
    { title: <L zh="隐患" en="Hazard" />, key: "title", ellipsis: true, render: (_, h) => (
      <span data-testid="hazard-title">{h.overdue && <Tag color="red">{t("逾期", "Overdue")}</Tag>}{h.title}</span>) },
    { title: <L zh="等级" en="Grade" />, key: "grade", width: 80, render: (_, h) => <Tag color={gradeColour(h.grade)}>{h.gradeLabel}</Tag> },
    { title: <L zh="类别" en="Category" />, dataIndex: "categoryLabel", width: 90 },
    { title: <L zh="来源" en="Source" />, dataIndex: "sourceLabel", width: 80 },
    { title: <L zh="位置" en="Place" />, dataIndex: "place", width: 140, ellipsis: true },
    { title: <L zh="责任人" en="Owner" />, key: "owner", width: 90, ellipsis: true, render: (_, h) => h.owner?.displayName ?? "—" },
    { title: <L zh="整改期限" en="Deadline" />, key: "deadline", width: 140, render: (_, h) => <span className="fc-num">{beijing(h.deadline)}</span> },
    { title: <L zh="状态" en="State" />, key: "state", width: 90, render: (_, h) => <Tag data-testid="hazard-row-state">{h.stateLabel}</Tag> },
  ];

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented value={state ?? "ALL"} aria-label={t("状态", "State")} data-testid="hazards-state"
                   onChange={(v) => set({ state: v === "ALL" ? null : String(v), hazard: null })}
                   options={[{ value: "ALL", label: t("全部", "All") }, ...STATES.map((s) => ({ value: s.value, label: t(s.zh, s.en) }))]} />
        <Select style={{ width: 120 }} allowClear value={grade ?? undefined} placeholder={t("全部等级", "All grades")}
                aria-label={t("等级", "Grade")} data-testid="hazards-grade"
                options={GRADES.map((g) => ({ value: g.value, label: t(g.zh, g.en) }))} onChange={(v?: string) => set({ grade: v ?? null })} />
        <span><Switch size="small" checked={overdue} onChange={(v) => set({ overdue: v ? "1" : null })} aria-label={t("只看逾期", "Overdue only")}
                      data-testid="hazards-overdue" /> <L zh="只看逾期" en="Overdue only" /></span>
        {q.data && <span className="fc-beside">{t(`共 ${q.data.hazards.totalCount} 项`, `${q.data.hazards.totalCount} hazards`)}</span>}
        {can(viewer, "HAZARD_REPORT", projectId) && (
          <Button type="primary" onClick={() => setReporting(true)} data-testid="hazard-report-open"><L zh="上报隐患" en="Report a hazard" /></Button>)}
      </Space>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading /> : rows.length === 0 && !q.error ? (
        <Nothing zh="没有符合条件的隐患。" en="No hazard matches." />
      ) : (
        <Table<HazardRowFragment> size="small" rowKey="id" columns={columns} dataSource={rows} pagination={false} data-testid="hazards"
                                  scroll={{ x: 980 }}
                                  rowClassName={(h) => [h.overdue ? "fc-overdue" : "", h.id === opened?.id ? "fc-selected" : ""].join(" ")}
                                  onRow={(h) => ({ onClick: () => set({ hazard: h.id }), "data-hazard": h.title,
                                                   "data-overdue": h.overdue ? "1" : "0" } as HTMLAttributes<HTMLElement>)} />
      )}
      {reporting && <ReportHazard projectId={projectId} onClose={(made) => {
        setReporting(false);
        if (made) { void q.refetch(); set({ hazard: made.id, state: null }); }
      }} />}
      {opened && <HazardDrawer key={opened.id} hazard={opened} onChanged={changed} onClose={() => set({ hazard: null })} />}
    </div>
  );
}

function today(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** 导出 The register as a workbook: the chosen project's, and for headquarters the whole company's too. */
function ExportButton({ project }: { project: { id: string; code: string } | null }) {
  const t = useT();
  const { message } = App.useApp();
  const { viewer } = useAuth();
  const [busy, setBusy] = useState(false);
  const headquarters = !!viewer?.roles.some((g) => !g.project);
  const save = (projectId: string | null, name: string) => {
    setBusy(true);
    const query = projectId ? `?project=${encodeURIComponent(projectId)}` : "";
    download(`/export/hazards.xlsx${query}`, `隐患台账-${name}-${today()}.xlsx`)
      .catch((e: unknown) => void message.error(asApiError(e).message))
      .finally(() => setBusy(false));
  };
  return (
    <Space.Compact>
      {project && <Button loading={busy} onClick={() => save(project.id, project.code)} data-testid="hazards-export">{t("导出", "Export")}</Button>}
      {headquarters && <Button loading={busy} onClick={() => save(null, "全公司")} data-testid="hazards-export-company">{t("导出全公司", "Export the company")}</Button>}
    </Space.Compact>
  );
}

export default function HazardsPage() {
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const projects = useQuery(HazardProjectsDoc, {});
  const list = useMemo(() => projects.data?.projects.edges.map((e) => e.node) ?? [], [projects.data]);
  const projectId = params.get("project") ?? list[0]?.id ?? null;
  const tab = params.get("tab") === "sweeps" ? "sweeps" : "register";
  const set = (changes: Record<string, string | null>) => setParams((p) => {
    Object.entries(changes).forEach(([k, v]) => (v === null ? p.delete(k) : p.set(k, v)));
    return p;
  }, { replace: true });
  const sweepsOffered = holdsAnywhere(viewer, "SWEEP_MANAGE") || holdsAnywhere(viewer, "SWEEP_RECORD");
  return (
    <div data-testid="hazards-page">
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}><L zh="隐患" en="Hazards" /></Typography.Title>
        <ProjectSelect projects={list} value={projectId} testId="hazards-project" loading={projects.loading} style={{ minWidth: 200 }}
                       onChange={(v: string) => set({ project: v, hazard: null })} />
        {tab === "register" && <ExportButton project={list.find((p) => p.id === projectId) ?? null} />}
      </Space>
      <ErrorBanner error={projects.error} onRetry={() => void projects.refetch()} />
      <Tabs destroyOnHidden activeKey={tab} onChange={(k) => set({ tab: k === "register" ? null : k, hazard: null })} items={[
        { key: "register", label: <L zh="隐患台账" en="Register" />, children: projectId
          ? <Register key={projectId} projectId={projectId} set={set} />
          : projects.data && <Nothing zh="没有可查看的项目。" en="No project to show." /> },
        ...(sweepsOffered ? [{ key: "sweeps", label: <L zh="排查" en="Sweeps" />, children: <SweepsTab projectId={projectId} /> }] : []),
      ]} />
    </div>
  );
}

