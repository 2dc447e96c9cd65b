// 跳过的房屋 A bill run's flats and spaces it could not bill (no area, no rate, a space without a
// flat), by reason then flat, as the archive is now: each flat links to its building in the archive
// so staff fix the gap there and run the dry run again.
import { Table, Typography } from "antd";
import { Link } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import type { FeeSkippedUnitsQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner } from "../../ui/states";
import { month } from "./money";
import { SkippedUnitsDoc } from "./reminderQueries";

type Skipped = NonNullable<FeeSkippedUnitsQuery["billRun"]>["skippedUnits"][number];

export function SkippedUnits({ runId, projectId }: { runId: string; projectId: string }) {
  const t = useT();
  const q = useQuery(SkippedUnitsDoc, { id: runId });
  const rows = q.data?.billRun?.skippedUnits ?? [];
  if (q.data && rows.length === 0) return null;
  const archive = (u: NonNullable<Skipped["unit"]>) =>
    `/archive?project=${encodeURIComponent(projectId)}&building=${encodeURIComponent(u.building.id)}&unit=${encodeURIComponent(u.id)}`;
  return (
    <div style={{ marginTop: 8 }} data-testid="fee-skipped">
      <Typography.Text strong><L zh="跳过的房屋（在档案中补全后重新试算）" en="Skipped (complete the archive, then run again)" /></Typography.Text>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      <Table<Skipped> size="small" pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false} loading={q.loading}
                      rowKey={(r) => `${r.reason}:${r.chargeItemName}:${r.unit?.id ?? r.spaceLabel ?? r.unitLabel}`} dataSource={rows} columns={[
        { title: <L zh="原因" en="Reason" />, dataIndex: "reasonLabel", width: 120 },
        { title: <L zh="房屋 / 车位" en="Flat / space" />, key: "u", render: (_, r) => {
          const label = [r.unitLabel, r.spaceLabel].filter(Boolean).join(" · ") || "—";
          return r.unit ? <Link to={archive(r.unit)} data-testid="fee-skipped-link" title={t("在档案中打开", "Open in the archive")}>{label}</Link> : label;
        } },
        { title: <L zh="收费项目" en="Item" />, dataIndex: "chargeItemName", width: 110 },
        { title: <L zh="月数" en="Months" />, key: "m", width: 150, render: (_, r) => (
          <span className="fc-num">{r.months} · {month(r.firstMonth)}{r.lastMonth !== r.firstMonth ? ` – ${month(r.lastMonth)}` : ""}</span>) },
      ]} />
    </div>
  );
}
