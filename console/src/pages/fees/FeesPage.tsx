// 收费 A project's fees (docs/resident-services.md §6, §11): 欠费 (the arrears list with its ageing
// buckets), 账单 (bills by month and state), 收款 (a payment at the desk for one flat, oldest first or
// by bill, its receipt; a reversal with a reason) and 收费项目 (items and rates; bills generated
// after a dry run, its skipped flats listed), with fee:manage 催缴设置 (quiet hours, cap, schedules) and
// 支付对接 (payment integrations); the arrears rows carry 催缴 and the list its export; 期初导入 opens
// the archive's import page for opening balances. Buttons follow the viewer's permissions on the
// project (fee:collect, fee:adjust, fee:manage, fee:import); the API checks again. Project, tab and
// flat live in the URL.
import { UploadOutlined } from "@ant-design/icons";
import { Button, Space, Tabs, Typography } from "antd";
import { useMemo } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import { L } from "../../i18n";
import { ProjectSelect } from "../../ui/ProjectPicker";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { ArrearsTab } from "./ArrearsTab";
import { BillsTab } from "./BillsTab";
import { CollectTab } from "./CollectTab";
import { IntegrationsTab } from "./IntegrationsTab";
import { ItemsTab } from "./ItemsTab";
import { FeeProjectsDoc } from "./queries";
import { ReminderSettingsTab } from "./ReminderSettingsTab";

const TABS = ["arrears", "bills", "collect", "items", "reminders", "integrations"];

export default function FeesPage() {
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const projects = useQuery(FeeProjectsDoc, {});
  const list = useMemo(() => (projects.data?.projects.edges.map((e) => e.node) ?? []).filter((p) => can(viewer, "FEE_READ", p.id)),
    [projects.data, viewer]);
  const projectId = params.get("project") ?? list[0]?.id ?? null;
  const project = list.find((p) => p.id === projectId) ?? null;
  const set = (changes: Record<string, string | null>) => setParams((p) => {
    Object.entries(changes).forEach(([k, v]) => (v === null ? p.delete(k) : p.set(k, v)));
    return p;
  });
  const perms = {
    collect: can(viewer, "FEE_COLLECT", projectId),
    adjust: can(viewer, "FEE_ADJUST", projectId),
    manage: can(viewer, "FEE_MANAGE", projectId),
    import: can(viewer, "FEE_IMPORT", projectId),
  };
  const asked = TABS.find((k) => k === params.get("tab")) ?? "arrears";
  const tab = !perms.manage && (asked === "reminders" || asked === "integrations") ? "arrears" : asked;
  const collectFor = (unitId: string) => set({ tab: "collect", unit: unitId });

  return (
    <div data-testid="fees-page">
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}><L zh="收费" en="Fees" /></Typography.Title>
        <ProjectSelect projects={list} value={projectId} testId="fees-project"
                       onChange={(v: string) => set({ project: v, unit: null })} />
        {perms.import && projectId && (
          <Button icon={<UploadOutlined />} data-testid="fees-opening-import"
                  onClick={() => navigate(`/archive/import?project=${encodeURIComponent(projectId)}&kind=fee_opening`)}>
            <L zh="期初导入" en="Opening balances" /></Button>
        )}
      </Space>
      <ErrorBanner error={projects.error} onRetry={() => void projects.refetch()} />
      {projects.loading && !projects.data ? <Loading /> : !projectId ? (
        <Nothing zh="没有可查看收费的项目（需要“查看收费”权限）。" en="No project whose fees you may read (fee:read)." />
      ) : (
        <Tabs activeKey={tab} onChange={(k) => set({ tab: k === "arrears" ? null : k })} destroyOnHidden items={[
          { key: "arrears", label: <L zh="欠费" en="Arrears" />,
            children: <ArrearsTab project={project ?? { id: projectId, code: "" }} onCollect={perms.collect ? collectFor : null}
                                  mayRemind={perms.collect} /> },
          { key: "bills", label: <L zh="账单" en="Bills" />, children: <BillsTab projectId={projectId} /> },
          { key: "collect", label: <L zh="收款" en="Payments" />,
            children: <CollectTab projectId={projectId} unitId={params.get("unit")} onUnit={(u) => set({ unit: u })}
                                  mayCollect={perms.collect} mayAdjust={perms.adjust} /> },
          { key: "items", label: <L zh="收费项目" en="Charge items" />, children: <ItemsTab projectId={projectId} mayManage={perms.manage} /> },
          ...(perms.manage ? [
            { key: "reminders", label: <L zh="催缴设置" en="Reminders" />, children: <ReminderSettingsTab projectId={projectId} /> },
            { key: "integrations", label: <L zh="支付对接" en="Payment integrations" />, children: <IntegrationsTab projectId={projectId} /> },
          ] : []),
        ]} />
      )}
    </div>
  );
}
