// 准确率 How complete a project's archive is (docs/archive.md §7): the percentage of records with
// no problem as last computed (each night, and after an import), how many were checked, and each
// check's count. A check opens the records failing it as they are now — residents link to their
// page, flats open their drawer, pets and vehicles their tabs' lists — so the count is a to-do
// list. Neutral colours: a gap in the archive is work, not an SLA alarm.
import { Button, Empty, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { Link } from "react-router-dom";
import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { ArchiveProblem, ArchivePetFragment, ArchiveResidentRowFragment, ArchiveUnitFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { AccuracyDoc, ProblemUnitsDoc } from "./accuracyQueries";
import { PetsDoc } from "./belongingsQueries";
import { flatState } from "./FlatGrid";
import { usePaged } from "./load";
import { VaccineCell } from "./PetsTab";
import { ResidentsDoc } from "./queries";
import { UnitDrawer } from "./UnitDrawer";
import { More } from "./VehiclesTab";

type Check = { problem: ArchiveProblem; count: number; label: string };

// What each check is about, for the English beside the server's Chinese label and the list it opens.
const CHECKS: Record<ArchiveProblem, { en: string; of: "residents" | "units" | "pets" | "vehicles" }> = {
  NO_PHONE: { en: "No phone", of: "residents" },
  OWNER_NO_ID: { en: "Owner without ID number", of: "residents" },
  NO_MOVE_IN: { en: "No move-in date", of: "residents" },
  NOT_VERIFIED: { en: "Not verified in a year", of: "residents" },
  UNIT_UNACCOUNTED: { en: "Flat with nobody, not marked vacant", of: "units" },
  UNIT_NO_AREA: { en: "Flat without floor area", of: "units" },
  VACCINATION_DUE: { en: "Dog or cat shot overdue", of: "pets" },
  VEHICLE_EXPIRED: { en: "Vehicle registration expired", of: "vehicles" },
};
const OF = { residents: { zh: "住户", en: "Residents" }, units: { zh: "房屋", en: "Flats" }, pets: { zh: "宠物", en: "Pets" },
             vehicles: { zh: "车辆", en: "Vehicles" } };

export function AccuracyTab({ projectId, manage, onTab }: { projectId: string; manage: boolean; onTab: (tab: string) => void }) {
  const t = useT();
  const figures = useQuery(AccuracyDoc, { projectId });
  const [open, setOpen] = useState<ArchiveProblem | null>(null);
  const row = figures.data?.archiveAccuracy[0] ?? null;

  if (figures.loading && !figures.data) return <Loading />;
  const checks: ColumnsType<Check> = [
    { title: <L zh="检查项" en="Check" />, key: "label",
      render: (_, c) => <>{c.label}<span className="fc-beside"> {CHECKS[c.problem].en}</span></> },
    { title: <L zh="类别" en="Of" />, key: "of", width: 70, render: (_, c) => t(OF[CHECKS[c.problem].of].zh, OF[CHECKS[c.problem].of].en) },
    { title: <L zh="问题数" en="Count" />, dataIndex: "count", width: 80, align: "right",
      render: (n: number) => <span className="fc-num" data-testid="check-count">{n}</span> },
  ];
  return (
    <div data-testid="accuracy-tab">
      <ErrorBanner error={figures.error} onRetry={() => void figures.refetch()} />
      {!row || row.percentage === null || row.percentage === undefined ? (
        <Nothing zh={row?.day ? "没有可核查的记录。" : "尚未计算：每晚计算一次，导入档案后立即重算。"}
                 en={row?.day ? "Nothing to check." : "Not computed yet: each night, and right after an import."} />
      ) : (
        <div className="fc-accuracy">
          <div>
            <Space align="baseline" size={12} wrap>
              <Typography.Text strong><L zh="档案准确率" en="Archive accuracy" /></Typography.Text>
              <span className="fc-accuracy-figure fc-num" data-testid="accuracy-percentage">{row.percentage.toFixed(1)}%</span>
            </Space>
            <div className="fc-beside fc-num" data-testid="accuracy-records" style={{ margin: "4px 0 12px" }}>
              {t(`核查 ${row.recordsChecked} 条记录，${row.recordsWithProblems} 条有问题`,
                 `${row.recordsChecked} records checked, ${row.recordsWithProblems} with a problem`)}
              {row.day && ` · ${t(`${row.day} 计算`, `computed for ${row.day}`)}`}
            </div>
            <Table<Check> rowKey="problem" size="small" pagination={false} columns={checks} dataSource={row.checks} data-testid="accuracy-checks"
                          rowClassName={(c) => (c.problem === open ? "fc-row-on" : c.count ? "fc-row-link" : "fc-row-none")}
                          onRow={(c) => ({ "data-problem": c.problem, "aria-selected": c.problem === open, tabIndex: c.count ? 0 : undefined,
                                           onClick: () => c.count && setOpen(c.problem),
                                           onKeyDown: (e: React.KeyboardEvent) => e.key === "Enter" && c.count && setOpen(c.problem),
                                         }) as React.HTMLAttributes<HTMLElement>} />
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
              <L zh="准确率 = 1 − 有问题的记录 / 核查的记录（现住户、房屋、宠物、车辆）。点检查项列出这些记录。"
                 en="Accuracy = 1 − records with a problem / records checked (current residents, flats, pets, vehicles). Click a check to list them." />
            </Typography.Paragraph>
          </div>
          <div data-testid="accuracy-offenders">
            {open ? <Offenders projectId={projectId} problem={open} label={row.checks.find((c) => c.problem === open)?.label ?? open}
                               manage={manage} onTab={onTab} />
              : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("点左侧的检查项，列出要补全的记录", "Pick a check to list the records to fix")} />}
          </div>
        </div>
      )}
    </div>
  );
}

function Offenders({ projectId, problem, label, manage, onTab }:
  { projectId: string; problem: ArchiveProblem; label: string; manage: boolean; onTab: (tab: string) => void }) {
  const of = CHECKS[problem].of;
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="offenders-title">{label}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        <L zh="当前档案中的记录，补全后即从名单中消失；计数在下次计算时更新。" en="As the archive is now: a record fixed leaves the list; the count follows at the next computation." />
      </Typography.Paragraph>
      {of === "residents" ? <ProblemResidents projectId={projectId} problem={problem} />
        : of === "units" ? <ProblemUnits projectId={projectId} problem={problem} manage={manage} />
        : of === "pets" ? <DuePets projectId={projectId} />
        : (
          <Space direction="vertical">
            <L zh="车辆列表还不能按过期筛选：请在“车辆车位”中看“有效期至”一列。" en="The vehicle list cannot filter by expiry yet: see 有效期至 on the vehicles tab." />
            <Button size="small" onClick={() => onTab("vehicles")}><L zh="去车辆车位" en="Open vehicles" /></Button>
          </Space>
        )}
    </>
  );
}

function ProblemResidents({ projectId, problem }: { projectId: string; problem: ArchiveProblem }) {
  const t = useT();
  const list = usePaged(async (after) => (await request(ResidentsDoc, { projectId, filter: { problem, current: true }, after })).residents,
                        `${projectId}:${problem}`);
  const columns: ColumnsType<ArchiveResidentRowFragment> = [
    { title: <L zh="姓名" en="Name" />, key: "name", width: 140,
      render: (_, r) => <Link to={`/residents/${r.id}`} data-testid="offender-resident">{r.name}</Link> },
    { title: <L zh="电话" en="Phone" />, dataIndex: "phoneMasked", width: 120, render: (p: string | null) => <span className="fc-num">{p ?? "—"}</span> },
    { title: <L zh="房屋" en="Flats" />, key: "flats",
      render: (_, r) => r.occupancies.filter((o) => o.current).map((o) => `${o.unit.label} · ${o.roleLabel}`).join("、") || "—" },
  ];
  return (
    <>
      <ErrorBanner error={list.error} onRetry={() => void list.refetch()} />
      <Table<ArchiveResidentRowFragment> rowKey="id" size="small" pagination={false} columns={columns} dataSource={list.rows ?? []}
                                         loading={list.loading && !list.rows} data-testid="offender-table"
                                         locale={{ emptyText: t("已全部补全", "All fixed") }} />
      <More list={list} testId="offenders" />
    </>
  );
}

function ProblemUnits({ projectId, problem, manage }: { projectId: string; problem: ArchiveProblem; manage: boolean }) {
  const t = useT();
  const list = usePaged(async (after) => (await request(ProblemUnitsDoc, { projectId, problem, after })).units, `${projectId}:${problem}`);
  const [opened, setOpened] = useState<string | null>(null);
  const columns: ColumnsType<ArchiveUnitFragment> = [
    { title: <L zh="房屋" en="Flat" />, key: "label",
      render: (_, u) => <a data-testid="offender-unit" onClick={() => setOpened(u.id)}>{u.label}</a> },
    { title: <L zh="用途" en="Use" />, dataIndex: "useLabel", width: 70 },
    { title: <L zh="面积" en="Area" />, dataIndex: "areaM2", width: 80, render: (a: string | null) => <span className="fc-num">{a ? `${a}㎡` : "—"}</span> },
    { title: <L zh="状态" en="State" />, key: "state", width: 90,
      render: (_, u) => ({ occupied: t("有人住", "occupied"), vacant: t("空置", "vacant"), unaccounted: t("未登记", "unaccounted") })[flatState(u)] },
  ];
  return (
    <>
      <ErrorBanner error={list.error} onRetry={() => void list.refetch()} />
      <Table<ArchiveUnitFragment> rowKey="id" size="small" pagination={false} columns={columns} dataSource={list.rows ?? []}
                                  loading={list.loading && !list.rows} data-testid="offender-table"
                                  locale={{ emptyText: t("已全部补全", "All fixed") }} />
      <More list={list} testId="offenders" />
      {opened && <UnitDrawer unitId={opened} manage={manage} onClose={() => setOpened(null)} onChanged={() => void list.refetch()} />}
    </>
  );
}

function DuePets({ projectId }: { projectId: string }) {
  const t = useT();
  const list = usePaged(async (after) => (await request(PetsDoc, { projectId, species: null, vaccinationDue: true, after })).pets, projectId);
  const columns: ColumnsType<ArchivePetFragment> = [
    { title: <L zh="名字" en="Name" />, dataIndex: "name", width: 100 },
    { title: <L zh="种类" en="Species" />, dataIndex: "speciesLabel", width: 70 },
    { title: <L zh="最近疫苗" en="Vaccinated" />, key: "vaccine", render: (_, p) => <VaccineCell pet={p} /> },
    { title: <L zh="主人" en="Owner" />, key: "owner", width: 100, render: (_, p) => <Link to={`/residents/${p.owner.id}`}>{p.owner.name}</Link> },
  ];
  return (
    <>
      <ErrorBanner error={list.error} onRetry={() => void list.refetch()} />
      <Table<ArchivePetFragment> rowKey="id" size="small" pagination={false} columns={columns} dataSource={list.rows ?? []}
                                 loading={list.loading && !list.rows} data-testid="offender-table"
                                 locale={{ emptyText: t("已全部补全", "All fixed") }} />
      <More list={list} testId="offenders" />
    </>
  );
}
