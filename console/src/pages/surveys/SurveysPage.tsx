// 满意度调查 Satisfaction surveys (docs/resident-services.md §7, §11): 问卷 — the company's
// questionnaires (made and switched by company-wide survey:manage, i.e. HQ); 调查活动 — a project's
// campaigns (survey:manage on the project creates, opens, closes, cancels them); 录入 — a sampled
// flat's answers by phone, visit or paper (survey:conduct); 结果 — score, response rate, by building,
// dimension and question, and the workbook (survey:read). Tabs and buttons follow the viewer's
// permissions; the API checks again. Tab, project and campaign live in the URL.
import { Space, Tabs, Typography } from "antd";
import { useMemo } from "react";
import { useSearchParams } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import { L } from "../../i18n";
import { ProjectSelect } from "../../ui/ProjectPicker";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { CampaignsTab } from "./CampaignsTab";
import { EntryTab } from "./EntryTab";
import { QuestionnairesTab } from "./QuestionnairesTab";
import { ResultsTab } from "./ResultsTab";
import { SurveyCampaignsDoc, SurveyProjectsDoc } from "./queries";

const TABS = ["questionnaires", "campaigns", "entry", "results"];

export default function SurveysPage() {
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const projects = useQuery(SurveyProjectsDoc, {});
  const list = useMemo(() => (projects.data?.projects.edges.map((e) => e.node) ?? []).filter((p) => can(viewer, "SURVEY_READ", p.id)),
    [projects.data, viewer]);
  const projectId = params.get("project") ?? list[0]?.id ?? null;
  const campaigns = useQuery(SurveyCampaignsDoc, { projectId: projectId ?? "" }, !projectId);
  // Questionnaires are the company's: only a company-wide holder edits them (HQ), never a project's.
  const editsQuestionnaires = !!viewer?.permissions.includes("SURVEY_MANAGE");
  const perms = { manage: can(viewer, "SURVEY_MANAGE", projectId), conduct: can(viewer, "SURVEY_CONDUCT", projectId) };
  const tab = TABS.find((k) => k === params.get("tab") && (k !== "entry" || perms.conduct))
    ?? (editsQuestionnaires ? "questionnaires" : "campaigns");
  const set = (changes: Record<string, string | null>) => setParams((p) => {
    Object.entries(changes).forEach(([k, v]) => (v === null ? p.delete(k) : p.set(k, v)));
    return p;
  });
  const campaignId = params.get("campaign");
  const rows = campaigns.data?.surveyCampaigns ?? [];
  // Questionnaires are the company's: no project to choose there.
  const needsProject = tab !== "questionnaires";

  return (
    <div data-testid="surveys-page">
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}><L zh="满意度调查" en="Satisfaction surveys" /></Typography.Title>
        {needsProject && <ProjectSelect projects={list} value={projectId} testId="surveys-project"
                                        onChange={(v: string) => set({ project: v, campaign: null })} />}
      </Space>
      <ErrorBanner error={projects.error} onRetry={() => void projects.refetch()} />
      {projects.loading && !projects.data ? <Loading /> : (
        <Tabs activeKey={tab} onChange={(k) => set({ tab: k })} destroyOnHidden items={[
          { key: "questionnaires", label: <L zh="问卷" en="Questionnaires" />, children: <QuestionnairesTab mayEdit={editsQuestionnaires} /> },
          { key: "campaigns", label: <L zh="调查活动" en="Campaigns" />, children: needsProject && !projectId ? null : projectId && (
            <CampaignsTab projectId={projectId} campaigns={campaigns} mayManage={perms.manage} mayConduct={perms.conduct}
                          onResults={(id) => set({ tab: "results", campaign: id })} onEnter={(id) => set({ tab: "entry", campaign: id })} />
          ) },
          ...(perms.conduct ? [{ key: "entry", label: <L zh="录入" en="Enter answers" />, children: projectId && (
            <EntryTab campaigns={rows} campaignId={campaignId} onCampaign={(id) => set({ campaign: id })} onEntered={() => void campaigns.refetch()} />
          ) }] : []),
          { key: "results", label: <L zh="结果" en="Results" />, children: projectId && (
            <ResultsTab campaigns={rows} campaignId={campaignId} onCampaign={(id) => set({ campaign: id })} />
          ) },
        ]} />
      )}
      {needsProject && !projectId && !projects.loading && (
        <Nothing zh="没有可查看满意度调查的项目（需要“查看调查结果”权限）。" en="No project whose surveys you may read (survey:read)." />
      )}
    </div>
  );
}
