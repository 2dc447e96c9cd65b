// 设置: the rules the work runs by — SLA policies, the escalation ladder, the holiday calendar,
// working hours, alert thresholds and the evaluation's weights. A tab shows when the viewer holds
// the permission that changes it (company-wide or on a project); the API decides again on saving.
import { Alert, Button, Space, Tabs, Typography } from "antd";
import { useState, type ReactNode } from "react";
import { useSearchParams } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import { holdsAnywhere, useAuth } from "../../auth";
import type { SettingsProjectsQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { AlertSettingsTab } from "./AlertSettingsTab";
import { CalendarTab } from "./CalendarTab";
import { HoursTab } from "./HoursTab";
import { KpiWeightsTab } from "./KpiWeightsTab";
import { LadderTab } from "./LadderTab";
import { CalendarGapsDoc, SettingsProjectsDoc } from "./queries";
import { holdsCompanyWide } from "./shared";
import { SlaTab } from "./SlaTab";

export type ProjectRow = SettingsProjectsQuery["projects"]["edges"][number]["node"];

export default function SettingsPage() {
  const { viewer } = useAuth();
  const t = useT();
  const [params, setParams] = useSearchParams();
  const sla = holdsAnywhere(viewer, "SLA_MANAGE");
  const hours = holdsAnywhere(viewer, "PROJECT_UPDATE");
  const evaluation = holdsAnywhere(viewer, "EVALUATION_MANAGE");
  const projects = useQuery(SettingsProjectsDoc, {}, !(sla || hours));
  const gaps = useQuery(CalendarGapsDoc, {}, !sla);
  const [year, setYear] = useState(() => new Date().getFullYear());

  const list = projects.data?.projects.edges.map((e) => e.node) ?? [];
  const needProjects = (node: () => ReactNode) => (!projects.data && projects.loading ? <Loading /> : node());
  const tabs = [
    ...(sla ? [
      { key: "sla", label: t("时效标准", "SLA policies"), children: needProjects(() => <SlaTab projects={list} />) },
      { key: "ladder", label: t("升级阶梯", "Escalation ladder"), children: <LadderTab /> },
      { key: "calendar", label: t("节假日", "Calendar"), children: <CalendarTab year={year} setYear={setYear} onChanged={() => void gaps.refetch()} /> },
    ] : []),
    ...(hours ? [{ key: "hours", label: t("工作时间", "Working hours"),
                   children: needProjects(() => <HoursTab projects={list} onChanged={() => void projects.refetch()} />) }] : []),
    ...(evaluation ? [
      { key: "alerts", label: t("预警阈值", "Alert settings"), children: <AlertSettingsTab /> },
      { key: "kpi", label: t("考评权重", "KPI weights"), children: <KpiWeightsTab /> },
    ] : []),
  ];
  const active = tabs.find((x) => x.key === params.get("tab"))?.key ?? tabs[0]?.key;
  const show = (key: string) => setParams((p) => {
    p.set("tab", key);
    return p;
  }, { replace: true });

  if (!tabs.length) {
    return <Nothing zh="你没有可修改的设置" en="There are no settings you may change" />;
  }
  const gapYears = gaps.data?.calendarGaps ?? [];
  return (
    <div data-testid="settings-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}><L zh="设置" en="Settings" /></Typography.Title>
      {gapYears.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="calendar-gaps"
               message={<L zh={`${gapYears.join("、")} 年还没有节假日日历：按工作日计时的时限暂按周一至周五计算，请录入放假和调休`}
                           en={`No holiday calendar for ${gapYears.join(", ")}: working-day clocks count Monday to Friday until you enter the days`} />}
               action={holdsCompanyWide(viewer, "SLA_MANAGE") && <Space>{gapYears.map((y) => (
                 <Button key={y} size="small" onClick={() => { setYear(y); show("calendar"); }}>{t(`录入 ${y}`, `Enter ${y}`)}</Button>
               ))}</Space>} />
      )}
      <ErrorBanner error={projects.error} onRetry={() => void projects.refetch()} />
      <Tabs activeKey={active} onChange={show} items={tabs} destroyOnHidden />
    </div>
  );
}
