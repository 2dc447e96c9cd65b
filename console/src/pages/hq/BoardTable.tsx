// 表格 The board as a virtualised sortable table: health, 三率 and 收缴率 with ▲▼ against last month, 档案准确率,
// score and rank with the standard-score trend. Rows whose figures just changed pulse.
import { Table, Tooltip } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useMemo, type HTMLAttributes } from "react";
import { L, useT } from "../../i18n";
import { Delta, HEALTH, HealthDot, healthOf, pct, type Row } from "./health";

function columns(t: (zh: string, en: string) => string): ColumnsType<Row> {
  const rate = (key: "responseRate" | "resolutionRate" | "satisfactionRate" | "collectionRate", zh: string, en: string) => ({
    title: <L zh={zh} en={en} />, key, width: 96, align: "right" as const,
    sorter: (a: Row, b: Row) => (a.month[key] ?? -1) - (b.month[key] ?? -1),
    render: (_: unknown, r: Row) => <span className="fc-num">{pct(r.month[key])}<Delta now={r.month[key]} before={r.previousMonth[key]} /></span>,
  });
  return [
    { title: <L zh="健康" en="Health" />, key: "health", width: 76, fixed: "left",
      sorter: (a, b) => HEALTH[healthOf(a)].order - HEALTH[healthOf(b)].order, render: (_, r) => <HealthDot health={healthOf(r)} /> },
    { title: <L zh="项目" en="Project" />, key: "name", width: 130, fixed: "left", sorter: (a, b) => a.project.name.localeCompare(b.project.name, "zh"),
      render: (_, r) => <span>{r.project.name} <span className="fc-beside">{r.project.code}</span></span> },
    { title: <L zh="城市" en="City" />, key: "city", width: 64, render: (_, r) => r.project.city },
    { title: <L zh="类型" en="Type" />, key: "type", width: 72, render: (_, r) => r.project.propertyTypeLabel.split(" ")[0] },
    { title: <L zh="未办结" en="Open" />, dataIndex: "open", width: 72, align: "right", sorter: (a, b) => a.open - b.open,
      render: (v: number) => <span className="fc-num" data-testid="open-count">{v}</span> },
    { title: <L zh="超时" en="Overdue" />, dataIndex: "overdue", width: 72, align: "right", sorter: (a, b) => a.overdue - b.overdue },
    { title: <L zh="今日超时" en="Breached today" />, dataIndex: "breachedToday", width: 96, align: "right", sorter: (a, b) => a.breachedToday - b.breachedToday },
    { title: <L zh="预警" en="Alerts" />, key: "alerts", width: 96, sorter: (a, b) => a.alerts.red * 1e6 + a.alerts.orange * 1e3 + a.alerts.yellow - (b.alerts.red * 1e6 + b.alerts.orange * 1e3 + b.alerts.yellow),
      render: (_, r) => <span className="fc-num" data-testid="alert-counts">{t("红", "R")}{r.alerts.red} {t("橙", "O")}{r.alerts.orange} {t("黄", "Y")}{r.alerts.yellow}</span> },
    rate("responseRate", "响应率", "Response"),
    rate("resolutionRate", "解决率", "Resolution"),
    rate("satisfactionRate", "满意率", "Satisfaction"),
    // 收缴率 of the month's bills, whenever paid; "—" for a project that billed nothing.
    rate("collectionRate", "收缴率", "Collection"),
    // Sorted, worst first only: the archives to fix lead; a project never computed goes last.
    { title: <L zh="档案准确率" en="Archive accuracy" />, key: "archiveAccuracy", width: 110, align: "right", sortDirections: ["ascend"],
      sorter: (a, b) => (a.archiveAccuracy ?? 2) - (b.archiveAccuracy ?? 2),
      render: (_, r) => <span className="fc-num" data-testid="archive-accuracy">{pct(r.archiveAccuracy)}</span> },
    { title: <L zh="得分" en="Score" />, key: "score", width: 64, align: "right", sorter: (a, b) => (a.score ?? -1) - (b.score ?? -1),
      render: (_, r) => <span className="fc-num">{r.score?.toFixed(1) ?? "—"}</span> },
    { title: <L zh="标准分" en="Std" />, key: "std", width: 72, align: "right", sorter: (a, b) => (a.standardScore ?? -1) - (b.standardScore ?? -1),
      render: (_, r) => <span className="fc-num">{r.standardScore?.toFixed(1) ?? "—"}</span> },
    { title: <L zh="排名" en="Rank" />, key: "rank", width: 80, align: "right", sorter: (a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9),
      render: (_, r) => <Tooltip title={t("标准分较上月", "Standard score vs last month")}>
        <span className="fc-num">{r.rank ?? "—"}{r.trend != null && r.trend !== 0 && <span className={r.trend > 0 ? "fc-up" : "fc-down"}> {r.trend > 0 ? "▲" : "▼"}{Math.abs(r.trend).toFixed(1)}</span>}</span>
      </Tooltip> },
  ];
}

export default function BoardTable({ rows, changed, loading, onOpen, onDrawn }: {
  rows: Row[]; changed: Set<string>; loading: boolean; onOpen: (r: Row) => void; onDrawn: () => void;
}) {
  const t = useT();
  const cols = useMemo(() => columns(t), [t]);
  useEffect(() => {
    if (rows.length) requestAnimationFrame(() => onDrawn());
  }, [rows, onDrawn]);
  return (
    <Table<Row> virtual size="small" rowKey={(r) => r.project.id} columns={cols} dataSource={rows} pagination={false}
                scroll={{ x: 1388, y: 560 }} data-testid="hq-table" loading={loading}
                rowClassName={(r) => (changed.has(r.project.id) ? "fc-pulse" : "")}
                onRow={(r) => ({ onClick: () => onOpen(r), onKeyDown: (e) => e.key === "Enter" && onOpen(r), tabIndex: 0,
                                 "data-project": r.project.code } as HTMLAttributes<HTMLElement>)} />
  );
}
