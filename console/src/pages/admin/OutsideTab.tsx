// 外部单位 · 12345: a project's outside bodies (`outside_body:manage`) and 12345 热线对接 (`gov_bridge:manage`,
// the shared signed-integration tab), and the company's 12345 deadlines per city. Signing secrets are shown once.
import { Select, Space, Typography } from "antd";
import { useState } from "react";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { BodiesPanel } from "./BodiesPanel";
import { GovIntegrationsPanel } from "./GovIntegrationsPanel";
import { CityDeadlines } from "./CityDeadlines";
import { AdminProjectsDoc } from "./queries";

export default function OutsideTab() {
  const t = useT();
  const { viewer } = useAuth();
  const projects = useQuery(AdminProjectsDoc, {});
  const list = projects.data?.projects.edges.map((e) => e.node) ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const projectId = chosen ?? list[0]?.id ?? null;
  if (projects.loading && !projects.data) return <Loading />;
  return (
    <div>
      <ErrorBanner error={projects.error} onRetry={() => void projects.refetch()} />
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text><L zh="项目" en="Project" /></Typography.Text>
        <Select style={{ minWidth: 200 }} value={projectId ?? undefined} aria-label={t("项目", "Project")} data-testid="outside-project"
                options={list.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))} onChange={(v: string) => setChosen(v)} />
      </Space>
      {!projectId ? <Nothing zh="没有可查看的项目。" en="No project to show." /> : (
        <>
          {can(viewer, "OUTSIDE_BODY_MANAGE", projectId) && <BodiesPanel key={`b${projectId}`} projectId={projectId} />}
          {can(viewer, "GOV_BRIDGE_MANAGE", projectId) && <GovIntegrationsPanel key={`g${projectId}`} projectId={projectId} />}
        </>
      )}
      {can(viewer, "GOV_BRIDGE_MANAGE") && <CityDeadlines />}
    </div>
  );
}
