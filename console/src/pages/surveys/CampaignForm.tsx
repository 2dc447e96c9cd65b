// 新建调查活动 A project's campaign (survey:manage on the project): an active questionnaire, a title,
// when it opens and closes, the sample — every eligible flat, a percentage of each building, or
// about a number of flats spread over the buildings — and the cooldown that leaves out flats asked
// lately. A draft until opened (here, or by the schedule at its opening time).
import { Button, Card, DatePicker, Form, Input, InputNumber, Select, Space } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { SurveyCampaignRowFragment, SurveySampleMode } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { checkInto, FormError, submitForm, useAction } from "../../ui/action";
import { SAMPLE_MODES } from "./labels";
import { CreateCampaignDoc, SurveyQuestionnairesDoc } from "./queries";

interface Values { questionnaireId: string; title: string; range: [Dayjs, Dayjs]; mode: SurveySampleMode; value: number; cooldownDays: number }

export function CampaignForm({ projectId, onSaved, onCancel }: {
  projectId: string; onSaved: (c: SurveyCampaignRowFragment) => void; onCancel: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const mode = Form.useWatch("mode", form);
  const questionnaires = useQuery(SurveyQuestionnairesDoc, {});
  const active = (questionnaires.data?.surveyQuestionnaires ?? []).filter((q) => q.active);
  const save = useAction("createSurveyCampaign", async (key, v: Values) => {
    const input = { questionnaireId: v.questionnaireId, title: v.title.trim(), opensAt: v.range[0].toISOString(), closesAt: v.range[1].toISOString(),
                    sample: { mode: v.mode, value: v.mode === "ALL" ? 0 : v.value }, cooldownDays: v.cooldownDays };
    const made = checkInto(form, (await request(CreateCampaignDoc, { projectId, input, key })).createSurveyCampaign).campaign;
    if (made) onSaved(made);
  });
  const required = { required: true, message: t("必填", "Required") };
  return (
    <Card size="small" title={<L zh="新建调查活动" en="New campaign" />} data-testid="survey-c-form">
      <Form form={form} layout="vertical" disabled={save.busy}
            initialValues={{ range: [dayjs().startOf("minute"), dayjs().add(14, "day").endOf("day").startOf("minute")], mode: "PERCENT", value: 30,
                             cooldownDays: 90 }}>
        <Space wrap align="start">
          <Form.Item name="questionnaireId" label={t("问卷", "Questionnaire")} rules={[required]}>
            <Select style={{ width: 220 }} data-testid="survey-c-questionnaire" loading={questionnaires.loading}
                    placeholder={t("选择启用的问卷", "An active questionnaire")}
                    notFoundContent={t("没有启用的问卷：请总部先制定问卷", "No active questionnaire: HQ makes them")}
                    options={active.map((q) => ({ value: q.id, label: q.title }))} />
          </Form.Item>
          <Form.Item name="title" label={t("活动名称", "Title")} rules={[required]}>
            <Input style={{ width: 240 }} maxLength={100} data-testid="survey-c-title" placeholder={t("如：四季度满意度调查", "e.g. Q4 satisfaction survey")} />
          </Form.Item>
        </Space>
        <Form.Item name="range" label={t("开始 — 结束", "Opens — closes")} rules={[required]}>
          <DatePicker.RangePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" allowClear={false} data-testid="survey-c-range" />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="mode" label={t("抽样", "Sample")}>
            <Select style={{ width: 130 }} data-testid="survey-c-mode" options={SAMPLE_MODES.map((m) => ({ value: m.value, label: t(m.zh, m.en) }))} />
          </Form.Item>
          {mode === "PERCENT" && (
            <Form.Item name="value" label={t("每栋楼比例 %", "Share of each building %")} rules={[required]}>
              <InputNumber min={1} max={100} style={{ width: 100 }} data-testid="survey-c-value" />
            </Form.Item>
          )}
          {mode === "COUNT" && (
            <Form.Item name="value" label={t("约多少户（按楼栋分摊）", "About how many flats")} rules={[required]}>
              <InputNumber min={1} max={100000} style={{ width: 120 }} data-testid="survey-c-value" />
            </Form.Item>
          )}
          <Form.Item name="cooldownDays" label={t("免打扰天数", "Cooldown days")}
                     tooltip={t("这些天内被本项目其他调查抽中的住户不再抽取", "Flats sampled by another campaign of the project within these days are left out")}>
            <InputNumber min={0} max={730} style={{ width: 100 }} data-testid="survey-c-cooldown" />
          </Form.Item>
        </Space>
      </Form>
      <Space>
        <Button type="primary" loading={save.busy} onClick={() => void submitForm(form, save)} data-testid="survey-c-save"><L zh="保存为草稿" en="Save as draft" /></Button>
        <Button onClick={onCancel}><L zh="取消" en="Cancel" /></Button>
      </Space>
      <FormError error={save.error} />
    </Card>
  );
}
