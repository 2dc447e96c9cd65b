// 结果 A campaign's results (survey:read): the score (stored at closing, live while open), the
// response rate, then by building, by dimension and by question — each option's count and share,
// a rating's mean, written answers for those who may read the archive — and the workbook
// (/export/surveys/{id}.xlsx). Shares are one blue: no colour here says good or bad.
import { DownloadOutlined } from "@ant-design/icons";
import { Button, Card, Col, Progress, Row, Select, Space, Statistic, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { download } from "../../api/documents";
import { asApiError, FormError } from "../../ui/action";
import type { ApiError } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { SurveyCampaignRowFragment, SurveyResultsQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { DIMENSIONS, KINDS, STATES, named, percent, when } from "./labels";
import { SurveyResultsDoc } from "./queries";

type Results = SurveyResultsQuery["surveyResults"];
type QuestionResult = Results["byQuestion"][number];
const BLUE = "#1677ff";

function Share({ share }: { share: number | null | undefined }) {
  return <Progress percent={Math.round((share ?? 0) * 1000) / 10} size="small" status="normal" showInfo={false} strokeColor={BLUE} style={{ width: 180, margin: 0 }} />;
}

function Question({ q }: { q: QuestionResult }) {
  const t = useT();
  return (
    <Card size="small" style={{ marginBottom: 8 }} data-testid={`survey-r-question-${q.position}`}
          title={<span>{q.position}. {q.text} <Tag style={{ marginLeft: 4 }}>{named(KINDS, q.kind, t)}</Tag></span>}
          extra={<Space size="middle" className="fc-num">
            <span>{t(`${q.answers} 人答`, `${q.answers} answered`)}</span>
            {q.meanRating && <span data-testid="survey-r-mean">{t("平均", "Mean")} {q.meanRating} / 5</span>}
            {q.score && <span>{t("得分", "Score")} {q.score}</span>}
          </Space>}>
      {q.options.map((o) => (
        <div key={o.optionId} style={{ display: "flex", alignItems: "center", gap: 8 }} data-testid="survey-r-option">
          <span style={{ width: 160 }}>{o.label}</span>
          <Share share={o.share} />
          <span className="fc-num" style={{ width: 110 }}>{o.count} {t("人", "")} · {percent(o.share)}</span>
        </div>
      ))}
      {q.kind === "RATING" && !q.answers && <Typography.Text type="secondary">{t("暂无回答", "No answer yet")}</Typography.Text>}
      {q.kind === "TEXT" && (q.texts.length ? (
        <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="survey-r-texts">{q.texts.map((x, i) => <li key={i}>{x}</li>)}</ul>
      ) : <Typography.Text type="secondary">{q.answers ? t("文字回答仅对可查看档案者显示", "Written answers are shown to archive readers only") : t("暂无回答", "No answer yet")}</Typography.Text>)}
    </Card>
  );
}

export function ResultsTab({ campaigns, campaignId, onCampaign }: {
  campaigns: SurveyCampaignRowFragment[]; campaignId: string | null; onCampaign: (id: string) => void;
}) {
  const t = useT();
  const started = campaigns.filter((c) => c.state === "OPEN" || c.state === "CLOSED");
  const campaign = started.find((c) => c.id === campaignId) ?? started[0] ?? null;
  const q = useQuery(SurveyResultsDoc, { campaignId: campaign?.id ?? "" }, !campaign);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  if (!started.length) return <Nothing zh="还没有开始过的调查活动" en="No campaign has opened yet" />;
  const r = q.data?.surveyResults ?? null;
  const save = () => {
    if (!campaign) return;
    setExportError(null);
    download(`/export/surveys/${encodeURIComponent(campaign.id)}.xlsx`, `满意度调查-${campaign.title}.xlsx`).catch((e) => setExportError(asApiError(e)));
  };
  return (
    <div data-testid="survey-results">
      <Space wrap style={{ marginBottom: 8 }}>
        <Select style={{ minWidth: 260 }} value={campaign?.id} aria-label={t("调查活动", "Campaign")} data-testid="survey-r-campaign"
                onChange={onCampaign} options={started.map((c) => ({ value: c.id, label: `${c.title} · ${named(STATES, c.state, t)}` }))} />
        <Button icon={<DownloadOutlined />} onClick={save} data-testid="survey-r-export"><L zh="导出 Excel" en="Export" /></Button>
      </Space>
      <FormError error={exportError} />
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !r ? <Loading /> : r && (
        <>
          <div className="fc-kpis">
            <Card size="small"><Statistic title={r.campaign.state === "CLOSED" ? t("得分", "Score") : t("得分（进行中）", "Score (so far)")}
                                          value={r.score ?? "—"} data-testid="survey-r-score" /></Card>
            <Card size="small"><Statistic title={t("回收率", "Response rate")} value={percent(r.responseRate)} data-testid="survey-r-rate" /></Card>
            <Card size="small"><Statistic title={t("已答/样本（户）", "Answered/sample")} value={`${r.responses}/${r.sampleSize}`} data-testid="survey-r-responses" /></Card>
            <Card size="small"><Statistic title={t("状态", "State")} value={named(STATES, r.campaign.state, t)} /></Card>
            <Card size="small"><Statistic title={t("时间", "Period")} value={`${when(r.campaign.opensAt).slice(5)} – ${when(r.campaign.closesAt).slice(5)}`} /></Card>
          </div>
          <Row gutter={12}>
            <Col xs={24} lg={14}>
              <Card size="small" title={<L zh="按楼栋" en="By building" />} style={{ marginBottom: 12 }}>
                <Table size="small" rowKey="buildingId" dataSource={r.byBuilding} pagination={false} data-testid="survey-r-buildings"
                       locale={{ emptyText: t("无样本", "No sample") }} columns={[
                  { title: <L zh="楼栋" en="Building" />, dataIndex: "buildingName" },
                  { title: <L zh="样本" en="Sample" />, dataIndex: "sampleSize", align: "right", width: 64 },
                  { title: <L zh="已答" en="Answered" />, dataIndex: "responses", align: "right", width: 64 },
                  { title: <L zh="回收率" en="Response rate" />, key: "r", align: "right", width: 80, render: (_, b) => <span className="fc-num">{percent(b.responseRate)}</span> },
                  { title: <L zh="得分" en="Score" />, key: "s", align: "right", width: 70, render: (_, b) => <span className="fc-num">{b.score ?? "—"}</span> },
                ]} />
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Card size="small" title={<L zh="按维度" en="By dimension" />} style={{ marginBottom: 12 }}>
                <Table size="small" rowKey="dimension" dataSource={r.byDimension} pagination={false} data-testid="survey-r-dimensions"
                       locale={{ emptyText: t("暂无计分回答", "No scored answer yet") }} columns={[
                  { title: <L zh="维度" en="Dimension" />, key: "d", render: (_, d) => named(DIMENSIONS, d.dimension, t) },
                  { title: <L zh="回答" en="Answers" />, dataIndex: "answers", align: "right", width: 64 },
                  { title: <L zh="得分" en="Score" />, key: "s", align: "right", width: 70, render: (_, d) => <span className="fc-num">{d.score ?? "—"}</span> },
                ]} />
              </Card>
            </Col>
          </Row>
          <Typography.Title level={5}><L zh="按题目" en="By question" /></Typography.Title>
          {r.byQuestion.map((x) => <Question key={x.questionId} q={x} />)}
        </>
      )}
    </div>
  );
}
