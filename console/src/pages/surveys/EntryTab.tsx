// 录入 Staff entering a sampled flat's answers taken by phone, on a visit or on paper
// (survey:conduct): an open campaign, its sample still to answer (by building and number, or a flat
// typed in part), the questionnaire's form, the channel → enterSurveyResponse; then the next flat of
// the list is picked, so the desk goes down the sample one after another.
import { Alert, Button, Card, Form, Input, Segmented, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { checkInto, FormError, useAction } from "../../ui/action";
import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { SurveyCampaignRowFragment, SurveyEntryChannel } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { AnswerForm, toAnswers, type Answers } from "./AnswerForm";
import { CHANNELS, when } from "./labels";
import { EnterResponseDoc, SurveyQuestionnairesDoc, SurveySampleDoc } from "./queries";

export function EntryTab({ campaigns, campaignId, onCampaign, onEntered }: {
  campaigns: SurveyCampaignRowFragment[]; campaignId: string | null; onCampaign: (id: string) => void; onEntered: () => void;
}) {
  const t = useT();
  const open = campaigns.filter((c) => c.state === "OPEN");
  const campaign = open.find((c) => c.id === campaignId) ?? open[0] ?? null;
  const [pending, setPending] = useState(true);
  const [typed, setTyped] = useState("");
  const [flat, setFlat] = useState<string | null>(null);
  const [channel, setChannel] = useState<SurveyEntryChannel>("PHONE");
  const [done, setDone] = useState<string | null>(null);
  const sample = useQuery(SurveySampleDoc, { campaignId: campaign?.id ?? "", pending, flat: typed.trim() || null }, !campaign);
  const questionnaires = useQuery(SurveyQuestionnairesDoc, {}, !campaign);
  const questionnaire = questionnaires.data?.surveyQuestionnaires.find((q) => q.id === campaign?.questionnaireId) ?? null;
  const [form] = Form.useForm<Answers>();
  const rows = useMemo(() => sample.data?.surveySample ?? [], [sample.data]);
  const chosen = rows.find((r) => r.unitId === flat) ?? null;

  useEffect(() => { // the first flat still to answer is ready to enter
    if (!chosen && rows.length) setFlat(rows.find((r) => !r.answered)?.unitId ?? null);
  }, [rows, chosen]);
  const chosenId = chosen?.unitId ?? null;
  useEffect(() => form.resetFields(), [chosenId, form]); // one flat's answers never carry over to the next

  const enter = useAction("enterSurveyResponse", async (key, unitId: string, via: SurveyEntryChannel, values: Answers) => {
    if (!campaign || !questionnaire) return;
    checkInto(form, (await request(EnterResponseDoc, { campaignId: campaign.id, unitId, channel: via, answers: toAnswers(questionnaire, values), key }))
      .enterSurveyResponse);
    setDone(rows.find((r) => r.unitId === unitId)?.label ?? null);
    form.resetFields();
    setFlat(null);
    await sample.refetch();
    onEntered();
  });
  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (values && chosen) await enter.run(chosen.unitId, channel, values);
  };

  if (!open.length) return <Nothing zh="没有进行中的调查活动：先在“调查活动”中开始一个" en="No open campaign: open one under Campaigns first" />;
  return (
    <div data-testid="survey-entry">
      <Space wrap style={{ marginBottom: 8 }}>
        <Select style={{ minWidth: 260 }} value={campaign?.id} aria-label={t("调查活动", "Campaign")} data-testid="survey-e-campaign"
                onChange={(v: string) => { onCampaign(v); setFlat(null); setDone(null); }}
                options={open.map((c) => ({ value: c.id, label: `${c.title}（${c.answered}/${c.sampleSize ?? "—"}）` }))} />
        {campaign && <Typography.Text type="secondary" className="fc-num">{t(`截止 ${when(campaign.closesAt)}`, `closes ${when(campaign.closesAt)}`)}</Typography.Text>}
      </Space>
      <ErrorBanner error={sample.error ?? questionnaires.error} onRetry={() => void sample.refetch()} />
      <div className="fc-split">
        <Card size="small" title={<L zh="样本住户" en="Sampled flats" />} extra={
          <Space size={4}>
            <Switch size="small" checked={!pending} onChange={(v) => setPending(!v)} data-testid="survey-e-show-all" />
            <Typography.Text type="secondary">{t("含已答", "Answered too")}</Typography.Text>
          </Space>
        }>
          <Input.Search allowClear placeholder={t("房号，如 3单元 1502", "Flat, e.g. 1502")} aria-label={t("查找房屋", "Find a flat")}
                        style={{ marginBottom: 8 }} onSearch={setTyped} onChange={(e) => !e.target.value && setTyped("")} data-testid="survey-e-find" />
          <Table size="small" rowKey="unitId" dataSource={rows} pagination={false} loading={sample.loading && !sample.data} scroll={{ y: 360 }}
                 data-testid="survey-e-flats" rowClassName={(r) => (r.unitId === chosen?.unitId ? "fc-selected" : "")}
                 locale={{ emptyText: pending ? t("样本住户都已答完", "Every sampled flat has answered") : t("没有样本住户", "No sampled flat") }}
                 onRow={(r) => ({ onClick: () => { if (!r.answered) { setFlat(r.unitId); enter.clear(); } }, style: { cursor: r.answered ? "default" : "pointer" } })}
                 columns={[
                   { title: <L zh="房屋" en="Flat" />, dataIndex: "label" },
                   { title: <L zh="状态" en="State" />, key: "a", width: 120, render: (_, r) => (r.answered
                     ? <Tag>{t("已答", "Answered")} · {r.channelLabel?.split(" ")[0]}</Tag>
                     : <Typography.Text type="secondary">{t("待录入", "To enter")}</Typography.Text>) },
                 ]} />
          {rows.length === 100 && <Typography.Text type="secondary"><L zh="显示前 100 户，输入房号查找其余" en="First 100 shown: type a flat for the rest" /></Typography.Text>}
        </Card>
        <Card size="small" data-testid="survey-e-form-card"
              title={chosen ? <span data-testid="survey-e-flat">{chosen.label}</span> : <L zh="选择左侧住户" en="Pick a flat" />}
              extra={<Segmented value={channel} onChange={(v) => setChannel(v as SurveyEntryChannel)} data-testid="survey-e-channel"
                                options={CHANNELS.map((c) => ({ value: c.value, label: t(c.zh, c.en) }))} />}>
          {done && <Alert type="success" showIcon style={{ marginBottom: 8 }} data-testid="survey-e-done"
                          message={t(`已录入 ${done}`, `Entered for ${done}`)} />}
          {questionnaires.loading && !questionnaires.data ? <Loading rows={4} /> : !questionnaire ? (
            <Typography.Text type="secondary"><L zh="找不到该活动的问卷" en="The campaign's questionnaire is not found" /></Typography.Text>
          ) : !chosen ? (
            <Typography.Text type="secondary"><L zh="先在左侧选一户" en="Pick a flat on the left first" /></Typography.Text>
          ) : (
            <>
              <AnswerForm questionnaire={questionnaire} form={form} disabled={enter.busy} />
              <Button type="primary" loading={enter.busy} onClick={() => void submit()} data-testid="survey-e-submit">
                <L zh="提交答卷" en="Submit" /></Button>
              <FormError error={enter.error} />
            </>
          )}
        </Card>
      </div>
    </div>
  );
}
