// 调查活动 A project's campaigns, newest first: state, when, the sample asked for and drawn, answers
// so far and the score. survey:manage on the project creates them and moves them on — 开始调查
// (draws the sample now), 结束调查 (stores the score), 取消 with a reason (frees the sample's flats).
// Every reader opens a campaign's results; survey:conduct holders go to 录入 for an open one.
import { Button, Card, Input, Progress, Space, Table, Tag, Typography } from "antd";
import { useState, type HTMLAttributes } from "react";
import { check, request } from "../../api/client";
import type { QueryState } from "../../api/useQuery";
import type { SurveyCampaignRowFragment, SurveyCampaignsQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { CampaignForm } from "./CampaignForm";
import { SAMPLE_MODES, STATES, named, when } from "./labels";
import { CancelCampaignDoc, CloseCampaignDoc, OpenCampaignDoc } from "./queries";

type Campaign = SurveyCampaignRowFragment;

function sampleAsked(c: Campaign, t: (zh: string, en: string) => string): string {
  if (c.sampleMode === "ALL") return named(SAMPLE_MODES, c.sampleMode, t);
  return c.sampleMode === "PERCENT" ? t(`每栋 ${c.sampleValue}%`, `${c.sampleValue}% per building`) : t(`约 ${c.sampleValue} 户`, `about ${c.sampleValue} flats`);
}

export function CampaignsTab({ projectId, campaigns, mayManage, mayConduct, onResults, onEnter }: {
  projectId: string; campaigns: QueryState<SurveyCampaignsQuery>; mayManage: boolean; mayConduct: boolean;
  onResults: (id: string) => void; onEnter: (id: string) => void;
}) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const [cancelling, setCancelling] = useState<Campaign | null>(null);
  const [reason, setReason] = useState("");
  const reload = () => void campaigns.refetch();
  const step = useAction("surveyCampaignStep", async (key, id: string, to: "open" | "close") => {
    if (to === "open") check((await request(OpenCampaignDoc, { id, key })).openSurveyCampaign);
    else check((await request(CloseCampaignDoc, { id, key })).closeSurveyCampaign);
    reload();
  });
  const cancel = useAction("cancelSurveyCampaign", async (key, id: string, why: string) => {
    check((await request(CancelCampaignDoc, { id, reason: why, key })).cancelSurveyCampaign);
    setCancelling(null);
    setReason("");
    reload();
  });
  const rows = campaigns.data?.surveyCampaigns ?? [];
  return (
    <div data-testid="survey-campaigns">
      <ErrorBanner error={campaigns.error} onRetry={reload} />
      {mayManage && !adding && (
        <Button type="primary" style={{ marginBottom: 8 }} onClick={() => setAdding(true)} data-testid="survey-c-new"><L zh="新建调查活动" en="New campaign" /></Button>
      )}
      {adding && (
        <div style={{ marginBottom: 12 }}>
          <CampaignForm projectId={projectId} onCancel={() => setAdding(false)} onSaved={() => { setAdding(false); reload(); }} />
        </div>
      )}
      {campaigns.loading && !campaigns.data ? <Loading /> : rows.length === 0 ? (
        <Nothing zh={mayManage ? "暂无调查活动：点“新建调查活动”" : "暂无调查活动"} en={mayManage ? "No campaign yet: make one" : "No campaign yet"} />
      ) : (
        <Table<Campaign> size="small" rowKey="id" dataSource={rows} pagination={false} data-testid="survey-c-list"
                         onRow={(c) => ({ "data-campaign": c.title } as HTMLAttributes<HTMLElement>)} columns={[
          { title: <L zh="活动" en="Campaign" />, key: "t", render: (_, c) => (
            <div>
              <div>{c.title}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.questionnaireTitle}</Typography.Text>
            </div>
          ) },
          { title: <L zh="状态" en="State" />, key: "s", width: 80, render: (_, c) => <Tag data-testid="survey-c-state">{named(STATES, c.state, t)}</Tag> },
          { title: <L zh="开始 — 结束" en="Opens — closes" />, key: "w", width: 150,
            render: (_, c) => <span className="fc-num" style={{ fontSize: 12 }}>{when(c.opensAt)}<br />{when(c.closesAt)}</span> },
          { title: <L zh="抽样" en="Sample" />, key: "m", width: 110, render: (_, c) => (
            <span>{sampleAsked(c, t)}<br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`免打扰 ${c.cooldownDays} 天`, `cooldown ${c.cooldownDays} d`)}</Typography.Text></span>
          ) },
          { title: <L zh="已答/样本" en="Answered/sample" />, key: "r", width: 130, render: (_, c) => (
            <div data-testid="survey-c-progress">
              <span className="fc-num">{c.answered}/{c.sampleSize ?? "—"}</span>
              {!!c.sampleSize && <Progress percent={Math.round((c.answered / c.sampleSize) * 100)} size="small" showInfo={false} />}
            </div>
          ) },
          { title: <L zh="得分" en="Score" />, key: "sc", width: 64, align: "right",
            render: (_, c) => <span className="fc-num">{c.score ?? "—"}</span> },
          { title: <L zh="操作" en="Actions" />, key: "a", width: 280, render: (_, c) => (
            <Space size={4} wrap>
              {mayManage && c.state === "DRAFT" && <Button size="small" type="primary" loading={step.busy} data-testid="survey-c-open"
                                                           onClick={() => void step.run(c.id, "open")}>{t("开始调查", "Open")}</Button>}
              {mayConduct && c.state === "OPEN" && <Button size="small" type="primary" data-testid="survey-c-enter"
                                                           onClick={() => onEnter(c.id)}>{t("录入", "Enter")}</Button>}
              {mayManage && c.state === "OPEN" && <Button size="small" loading={step.busy} data-testid="survey-c-close"
                                                          onClick={() => void step.run(c.id, "close")}>{t("结束调查", "Close")}</Button>}
              {mayManage && (c.state === "DRAFT" || c.state === "OPEN") && (
                <Button size="small" danger data-testid="survey-c-cancel" onClick={() => { setCancelling(c); cancel.clear(); }}>{t("取消", "Cancel")}</Button>
              )}
              {c.state !== "DRAFT" && c.state !== "CANCELLED" && (
                <Button size="small" type="link" data-testid="survey-c-results" onClick={() => onResults(c.id)}>{t("结果", "Results")}</Button>
              )}
              {c.state === "CANCELLED" && c.cancelReason && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t("原因：", "Reason: ")}{c.cancelReason}</Typography.Text>
              )}
            </Space>
          ) },
        ]} />
      )}
      <FormError error={step.error} />
      {cancelling && (
        <Card size="small" style={{ marginTop: 12 }} title={t(`取消调查：${cancelling.title}`, `Cancel: ${cancelling.title}`)} data-testid="survey-c-cancel-form">
          <Space.Compact style={{ width: "100%" }}>
            <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} aria-label={t("取消原因", "Reason")}
                   placeholder={t("取消原因（必填）", "Why (required)")} data-testid="survey-c-cancel-reason" />
            <Button danger type="primary" disabled={!reason.trim()} loading={cancel.busy} data-testid="survey-c-cancel-confirm"
                    onClick={() => void cancel.run(cancelling.id, reason.trim())}>{t("确认取消", "Cancel it")}</Button>
            <Button onClick={() => setCancelling(null)}>{t("返回", "Back")}</Button>
          </Space.Compact>
          <Typography.Paragraph type="secondary" style={{ margin: "6px 0 0" }}>
            <L zh="取消后不计分，样本住户可被下次调查抽取。" en="A cancelled campaign scores nothing; its flats may be sampled again." />
          </Typography.Paragraph>
          <FormError error={cancel.error} />
        </Card>
      )}
    </div>
  );
}
