// 转办·12345·决策反馈 What went outside the company: referrals to outside bodies with their answer
// deadline, 12345 orders with their two deadlines and the month's rates, and decision feedback —
// recurring out-of-remit problems reported to government and followed to the fix. Case events
// (referred, withdrawn, resolved, a new 12345 order) refetch the open tab, at most every 5 s.
import { Select, Space, Tabs } from "antd";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { useSubscription } from "../../api/live";
import { useQuery, useThrottled } from "../../api/useQuery";
import { L, useT } from "../../i18n";
import { DecisionFeedbackTab } from "./DecisionFeedbackTab";
import { GovOrdersTab } from "./GovOrdersTab";
import { ProjectsDoc, ReferralsLiveDoc } from "./queries";
import { ReferralsTab } from "./ReferralsTab";

const TOPICS = new Set(["case.referred", "case.referral_withdrawn", "case.resolved"]);

export default function ReferralsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") ?? "referrals";
  const projectId = params.get("project") || null;
  const [tick, setTick] = useState(0);
  const projects = useQuery(ProjectsDoc, {});
  const options = useMemo(() => projects.data?.projects.edges.map((e) => ({ value: e.node.id, label: `${e.node.name} ${e.node.code}` })) ?? [], [projects.data]);

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    if (key === "tab") next.delete("status");
    setParams(next, { replace: true });
  };

  const bump = useThrottled(() => setTick((n) => n + 1), 5_000);
  useSubscription(ReferralsLiveDoc, { projectId }, (d) => {
    const { topic, case: c } = d.caseUpdates;
    if (TOPICS.has(topic) || (topic === "case.received" && c.channel === "GOV_12345")) bump();
  }, bump);

  const shared = { projectId, tick, status: params.get("status"), onStatus: (s: string | null) => set("status", s) };
  return (
    <div data-testid="referrals-page">
      <Space style={{ marginBottom: 8 }} wrap>
        <Select allowClear showSearch optionFilterProp="label" style={{ width: 240 }} value={projectId ?? undefined}
                placeholder={t("全部项目", "All projects")} aria-label={t("项目", "Project")} options={options}
                onChange={(v?: string) => set("project", v ?? null)} data-testid="project-filter" />
      </Space>
      <Tabs activeKey={tab} onChange={(k) => set("tab", k)} destroyOnHidden items={[
        { key: "referrals", label: <L zh="转办" en="Referrals" />, children: <ReferralsTab {...shared} /> },
        { key: "gov", label: <L zh="12345 工单" en="12345 orders" />, children: <GovOrdersTab {...shared} /> },
        { key: "feedback", label: <L zh="决策反馈" en="Decision feedback" />, children: <DecisionFeedbackTab {...shared} /> },
      ]} />
    </div>
  );
}

export interface TabProps {
  projectId: string | null;
  tick: number;
  status: string | null;
  onStatus: (status: string | null) => void;
}
