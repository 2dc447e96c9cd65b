// 档案 The property archive of one project: 楼栋房屋 (buildings, each building's flats as a floor ×
// flat grid, a flat's people, spaces and open cases in a drawer), 住户 (the residents, filtered; a
// row opens the resident page), 车辆车位 (spaces and vehicles), 宠物 and 准确率 (the
// archive's accuracy, each check's records to fix); the header exports the tab's lists
// as Excel and offers the import template. Reading needs archive:read; editing archive:manage on the project — the API
// decides again and its error shows under the form. The project and tab live in the URL.
import { Space, Tabs, Typography } from "antd";
import { useMemo } from "react";
import { useSearchParams } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import { can, holdsAnywhere, useAuth } from "../../auth";
import { L } from "../../i18n";
import { ProjectSelect } from "../../ui/ProjectPicker";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { AccuracyTab } from "./AccuracyTab";
import { BuildingsTab } from "./BuildingsTab";
import { TabExports } from "./Exports";
import { PetsTab } from "./PetsTab";
import { ResidentsTab } from "./ResidentsTab";
import { ArchiveProjectsDoc } from "./queries";
import { VehiclesTab } from "./VehiclesTab";

const TABS = ["residents", "vehicles", "pets", "accuracy"];

export default function ArchivePage() {
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const allowed = holdsAnywhere(viewer, "ARCHIVE_READ");
  const projects = useQuery(ArchiveProjectsDoc, {}, !allowed);
  // Only the projects whose archive the viewer may read: a project role elsewhere gives nothing here.
  const list = useMemo(() => (projects.data?.projects.edges.map((e) => e.node) ?? [])
    .filter((p) => can(viewer, "ARCHIVE_READ", p.id)), [projects.data, viewer]);
  const projectId = params.get("project") ?? list[0]?.id ?? null;
  const project = list.find((p) => p.id === projectId) ?? null;
  const tab = TABS.find((k) => k === params.get("tab")) ?? "units";
  const manage = can(viewer, "ARCHIVE_MANAGE", projectId);

  const set = (changes: Record<string, string | null>) => setParams((p) => {
    Object.entries(changes).forEach(([k, v]) => (v === null ? p.delete(k) : p.set(k, v)));
    return p;
  });

  if (!allowed) {
    return <Nothing zh="无权查看档案：需要“查看档案”权限（客服、调度、项目经理、总部）。"
                    en="You may not read the property archive (archive:read is needed)." />;
  }
  return (
    <div data-testid="archive-page">
      {/* The exports sit on the header's right, not in the tab bar: beside five tabs they pushed 准确率 into its overflow menu. */}
      <div className="fc-archive-head">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}><L zh="档案" en="Property archive" /></Typography.Title>
          <ProjectSelect projects={list} value={projectId} testId="archive-project"
                         onChange={(v: string) => set({ project: v, building: null })} />
          {!manage && projectId && <Typography.Text type="secondary" data-testid="archive-read-only"><L zh="只能查看" en="Read only" /></Typography.Text>}
        </Space>
        {project && <TabExports tab={tab} project={project} />}
      </div>
      <ErrorBanner error={projects.error} onRetry={() => void projects.refetch()} />
      {projects.loading && !projects.data ? <Loading />
        : !projectId ? <Nothing zh="没有可查看档案的项目。" en="No project whose archive you may read." />
        : (
          <Tabs activeKey={tab} onChange={(k) => set({ tab: k === "units" ? null : k })} destroyOnHidden items={[
            { key: "units", label: <L zh="楼栋房屋" en="Buildings & flats" />,
              children: <BuildingsTab projectId={projectId} manage={manage} buildingId={params.get("building")} unitId={params.get("unit")}
                                      onBuilding={(id) => set({ building: id })} /> },
            { key: "residents", label: <L zh="住户" en="Residents" />,
              children: <ResidentsTab projectId={projectId} manage={manage} /> },
            { key: "vehicles", label: <L zh="车辆车位" en="Vehicles & spaces" />,
              children: <VehiclesTab projectId={projectId} manage={manage} /> },
            { key: "pets", label: <L zh="宠物" en="Pets" />,
              children: <PetsTab projectId={projectId} manage={manage} /> },
            { key: "accuracy", label: <L zh="准确率" en="Accuracy" />,
              children: <AccuracyTab projectId={projectId} manage={manage} onTab={(k) => set({ tab: k })} /> },
          ]} />
        )}
    </div>
  );
}
