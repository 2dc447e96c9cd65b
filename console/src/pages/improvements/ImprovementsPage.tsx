// 整改 Corrective actions (docs/centre-day.md §6): of every project the viewer sees or one, filtered
// by state, overdue and 我负责的; open ones by due day (the overdue first, tinted red with the
// ladder's rungs they climbed), then those waiting for verification, then the verified. A row opens
// its drawer (ActionDrawer). Project, filters and the open action live in the URL.
import { Segmented, Select, Space, Switch, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useMemo, useState, type HTMLAttributes } from "react";
import { useSearchParams } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import { useAuth } from "../../auth";
import type { ActionState, ImprovementRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { ActionDrawer } from "./ActionDrawer";
import "./improvements.css";
import { daysLate, ImprovementProjectsDoc, ImprovementsDoc, LEVEL_COLOUR, STATES } from "./queries";

export default function ImprovementsPage() {
  const t = useT();
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const projectId = params.get("project");
  const asked = params.get("state");
  // Open by default: what still needs doing; ALL shows every state.
  const state = asked === "ALL" ? null : ((STATES.find((s) => s.value === asked)?.value ?? "OPEN") as ActionState);
  const overdue = params.get("overdue") === "1";
  const mine = params.get("mine") === "1";
  const projects = useQuery(ImprovementProjectsDoc, {});
  const q = useQuery(ImprovementsDoc, { projectId, state, overdue, ownerId: mine ? viewer?.user?.id ?? null : null });
  const [rows, setRows] = useState<ImprovementRowFragment[]>([]);
  useEffect(() => {
    if (q.data) setRows(q.data.improvementActions.edges.map((e) => e.node));
  }, [q.data]);
  const list = useMemo(() => projects.data?.projects.edges.map((e) => e.node) ?? [], [projects.data]);
  const opened = rows.find((a) => a.id === params.get("action")) ?? null;

  const set = (changes: Record<string, string | null>) => setParams((p) => {
    Object.entries(changes).forEach(([k, v]) => (v === null ? p.delete(k) : p.set(k, v)));
    return p;
  }, { replace: true });
  // A changed action stays in view, with its new state, until the next reload of the list.
  const changed = (a: ImprovementRowFragment) => setRows((old) => old.map((x) => (x.id === a.id ? a : x)));

  const columns: ColumnsType<ImprovementRowFragment> = [
    { title: <L zh="整改事项" en="Action" />, key: "title", ellipsis: true, render: (_, a) => (
      <span data-testid="action-title">{a.overdue && <Tag color="red">{t("逾期", "Overdue")}</Tag>}{a.title}</span>) },
    { title: <L zh="来源" en="Source" />, dataIndex: "sourceLabel", width: 90 },
    { title: <L zh="项目" en="Project" />, key: "project", width: 110, ellipsis: true, render: (_, a) => a.project?.name },
    { title: <L zh="责任人" en="Owner" />, key: "owner", width: 90, ellipsis: true, render: (_, a) => a.owner?.displayName ?? "—" },
    { title: <L zh="完成期限" en="Due" />, key: "due", width: 150, render: (_, a) => (
      <span className="fc-num">{a.dueOn}{a.overdue && <Typography.Text type="danger"> · {t(`逾期${daysLate(a.dueOn)}天`, `${daysLate(a.dueOn)} d late`)}</Typography.Text>}</span>) },
    { title: <L zh="状态" en="State" />, key: "state", width: 110, render: (_, a) => (
      <span><Tag>{a.stateLabel}</Tag>{a.returnedCount > 0 && <Tag color="volcano">{t(`退回${a.returnedCount}次`, `Returned ×${a.returnedCount}`)}</Tag>}</span>) },
    { title: <L zh="升级" en="Escalated" />, key: "esc", width: 150, render: (_, a) => a.escalations.length === 0 ? "—" : (
      <span data-testid="action-escalations">{a.escalations.map((e) => (
        <Tag key={e.level} color={LEVEL_COLOUR[e.level]}>{e.levelLabel.split(" ")[0]}</Tag>))}</span>) },
  ];

  return (
    <div data-testid="improvements-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}><L zh="整改" en="Corrective actions" /></Typography.Title>
        <Select style={{ minWidth: 200 }} allowClear value={projectId ?? undefined} placeholder={t("全部项目", "All projects")}
                aria-label={t("项目", "Project")} showSearch optionFilterProp="label" data-testid="improvements-project"
                options={list.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))}
                onChange={(v?: string) => set({ project: v ?? null, action: null })} />
        <Segmented value={state ?? "ALL"} aria-label={t("状态", "State")} data-testid="improvements-state"
                   onChange={(v) => set({ state: v === "OPEN" ? null : String(v), action: null })}
                   options={[...STATES.map((s) => ({ value: s.value, label: t(s.zh, s.en) })), { value: "ALL", label: t("全部", "All") }]} />
        <span><Switch size="small" checked={overdue} onChange={(v) => set({ overdue: v ? "1" : null })} aria-label={t("只看逾期", "Overdue only")}
                      data-testid="improvements-overdue" /> <L zh="只看逾期" en="Overdue only" /></span>
        <span><Switch size="small" checked={mine} onChange={(v) => set({ mine: v ? "1" : null })} aria-label={t("我负责的", "Mine")}
                      data-testid="improvements-mine" /> <L zh="我负责的" en="Mine" /></span>
        {q.data && <span className="fc-beside">{t(`共 ${q.data.improvementActions.totalCount} 项`, `${q.data.improvementActions.totalCount} actions`)}</span>}
      </Space>
      <ErrorBanner error={projects.error ?? q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading /> : rows.length === 0 && !q.error ? (
        <Nothing zh="没有符合条件的整改措施。整改从预警、品质检查或案例研判中提出。"
                 en="No action matches. Actions are raised from an alert, an inspection or a case review." />
      ) : (
        <Table<ImprovementRowFragment> size="small" rowKey="id" columns={columns} dataSource={rows} pagination={false}
                                       data-testid="improvements" scroll={{ x: 820 }}
                                       rowClassName={(a) => [a.overdue ? "fc-overdue" : "", a.id === opened?.id ? "fc-selected" : ""].join(" ")}
                                       onRow={(a) => ({ onClick: () => set({ action: a.id }), "data-action": a.title,
                                                        "data-overdue": a.overdue ? "1" : "0" } as HTMLAttributes<HTMLElement>)} />
      )}
      {q.data && q.data.improvementActions.totalCount > rows.length && (
        <Typography.Text type="secondary"><L zh={`共 ${q.data.improvementActions.totalCount} 项，显示前 ${rows.length} 项：按项目或状态筛选`}
                                            en={`${q.data.improvementActions.totalCount} in all, the first ${rows.length} shown: filter by project or state`} /></Typography.Text>
      )}
      {opened && <ActionDrawer key={opened.id} action={opened} onChanged={changed} onClose={() => set({ action: null })} />}
    </div>
  );
}
