// 品质检查 A month's inspections (one project or all visible), each one's items and findings beside;
// recording one as a keyboard grid; the checklists below.
import { Button, Card, DatePicker, Descriptions, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import dayjs, { type Dayjs } from "dayjs";
import { useState, type HTMLAttributes } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import { holdsAnywhere, useAuth } from "../../auth";
import type { InspectionDetailFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { RaiseActionButton } from "../improvements/RaiseAction";
import { Checklists } from "./Checklists";
import { useProjects } from "./common";
import { InspectionGrid } from "./InspectionGrid";
import { ChecklistsDoc, InspectionsDoc } from "./queries";

/** What the inspection found short, as a corrective action's description: the findings, else the items below full marks. */
function inspectionNeeds(i: InspectionDetailFragment): string {
  const findings = i.findings.map((f) => `#${f.position} ${f.description}`);
  const short = i.results.filter((r) => !r.notApplicable && r.points != null && r.points < r.maxPoints)
    .map((r) => `#${r.position} ${r.title}（${r.points}/${r.maxPoints}）${r.comment ? `：${r.comment}` : ""}`);
  return (findings.length ? findings : short).join("\n");
}

function InspectionDetail({ i }: { i: InspectionDetailFragment }) {
  const t = useT();
  return (
    <Card size="small" data-testid="inspection-detail" title={<span>{i.checklistName} · {i.project?.name}</span>}
          extra={<RaiseActionButton from={{ projectId: i.projectId, source: "INSPECTION", sourceId: i.id,
                                            title: `${i.checklistName}整改（${i.inspectedOn}）`, description: inspectionNeeds(i) }} />}>
      <Descriptions size="small" column={2} items={[
        { key: "d", label: t("检查日期", "Day"), children: i.inspectedOn },
        { key: "i", label: t("检查人", "Inspector"), children: <span data-testid="inspection-inspector">{i.inspector.displayName}</span> },
        { key: "s", label: t("状态", "State"), children: <Tag>{i.stateLabel}</Tag> },
        { key: "p", label: t("得分", "Points"), children: <span className="fc-num">{i.totalPoints ?? "—"} / {i.maxPoints ?? "—"}</span> },
        { key: "sc", label: t("得分率", "Score"), children: <span className="fc-num" data-testid="inspection-score">{i.score?.toFixed(1) ?? "—"}</span> },
        ...(i.note ? [{ key: "n", label: t("备注", "Note"), span: 2, children: i.note }] : []),
      ]} />
      <Table size="small" rowKey="itemId" pagination={false} dataSource={i.results} style={{ marginTop: 8 }} columns={[
        { title: "#", dataIndex: "position", width: 36 },
        { title: <L zh="检查项" en="Item" />, dataIndex: "title" },
        { title: <L zh="得分" en="Points" />, key: "p", width: 90, align: "right", render: (_, r) => (
          <span className="fc-num">{r.notApplicable ? t("不适用", "n/a") : `${r.points ?? "—"} / ${r.maxPoints}`}</span>) },
        { title: <L zh="说明" en="Comment" />, dataIndex: "comment", ellipsis: true },
      ]} />
      {i.findings.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 12 }}><L zh="整改项" en="Findings" /></Typography.Title>
          {i.findings.map((f) => (
            <div key={f.id}>#{f.position} {f.description} {f.case ? <Link to={`/cases/${f.case.id}`} className="fc-num">{f.case.number}</Link> : null}</div>
          ))}
        </>
      )}
    </Card>
  );
}

export function InspectionsTab() {
  const t = useT();
  const { viewer } = useAuth();
  const { projects } = useProjects();
  const [projectId, setProjectId] = useState<string | null>(null);
  // A link from elsewhere (整改's source) names the inspection and its month.
  const [params] = useSearchParams();
  const [month, setMonth] = useState<Dayjs>(() => (params.get("month") ? dayjs(`${params.get("month")}-01`) : dayjs()));
  const [selected, setSelected] = useState<string | null>(params.get("inspection"));
  const [recording, setRecording] = useState(false);
  const q = useQuery(InspectionsDoc, { projectId, month: month.startOf("month").format("YYYY-MM-DD") });
  const checklists = useQuery(ChecklistsDoc, {});
  const canManage = holdsAnywhere(viewer, "INSPECTION_MANAGE");
  const rows = q.data?.inspections ?? [];
  const current = rows.find((r) => r.id === selected) ?? rows[0];

  const columns: ColumnsType<InspectionDetailFragment> = [
    { title: <L zh="日期" en="Day" />, dataIndex: "inspectedOn", width: 100, render: (d: string) => <span className="fc-num">{d}</span> },
    { title: <L zh="项目" en="Project" />, key: "p", width: 90, ellipsis: true, render: (_, i) => i.project?.name },
    { title: <L zh="检查表" en="Checklist" />, dataIndex: "checklistName", ellipsis: true },
    { title: <L zh="得分率" en="Score" />, key: "s", width: 70, align: "right", render: (_, i) => <span className="fc-num">{i.score?.toFixed(1) ?? "—"}</span> },
    { title: <L zh="状态" en="State" />, key: "st", width: 120, render: (_, i) => <Tag>{i.stateLabel}</Tag> },
  ];

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear value={projectId ?? undefined} placeholder={t("全部项目", "All projects")} style={{ width: 140 }}
                aria-label={t("项目", "Project")} onChange={(v) => setProjectId(v ?? null)} options={projects.map((p) => ({ value: p.id, label: p.name }))} />
        <DatePicker picker="month" value={month} onChange={(d) => d && setMonth(d)} allowClear={false} aria-label={t("月份", "Month")} />
        {canManage && <Button type="primary" onClick={() => setRecording((r) => !r)} data-testid="inspection-new">
          {recording ? <L zh="收起" en="Close" /> : <L zh="记录检查" en="Record an inspection" />}</Button>}
        <span className="fc-beside">{t(`共 ${rows.length} 次`, `${rows.length} inspections`)}</span>
      </Space>
      {recording && checklists.data && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <InspectionGrid checklists={checklists.data.inspectionChecklists} projectId={projectId}
                          onRecorded={(i) => { setRecording(false); setSelected(i.id); void q.refetch(); }} />
        </Card>
      )}
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading /> : rows.length === 0 && !q.error ? (
        <Nothing zh={canManage ? "本月暂无检查：点“记录检查”" : "本月暂无检查"} en={canManage ? "No inspection this month: record one" : "No inspection this month"} />
      ) : (
        <div className="fc-split">
          <Table<InspectionDetailFragment> size="small" rowKey="id" columns={columns} dataSource={rows} pagination={false} data-testid="inspections"
                                           rowClassName={(i) => (i.id === current?.id ? "fc-selected" : "")}
                                           onRow={(i) => ({ onClick: () => setSelected(i.id) } as HTMLAttributes<HTMLElement>)} />
          {current && <InspectionDetail i={current} />}
        </div>
      )}
      <ErrorBanner error={checklists.error} onRetry={() => void checklists.refetch()} />
      <Checklists list={checklists.data?.inspectionChecklists ?? []} canManage={canManage} onChanged={() => void checklists.refetch()} />
    </div>
  );
}
