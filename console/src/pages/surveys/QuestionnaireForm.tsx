// 新建问卷 A company questionnaire (survey:manage company-wide): title, intro and its questions in
// order — kind (评分 1–5, 单选, 多选, 文字), required, dimension, weight (only rating and single
// questions are scored), and for a choice its options with the score each gives. Once a campaign
// uses it, it never changes: a new version is a new questionnaire.
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from "antd";
import { request } from "../../api/client";
import type { SurveyDimension, SurveyQuestionKind, SurveyQuestionnaireFullFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { checkInto, FormError, submitForm, useAction } from "../../ui/action";
import { DIMENSIONS, KINDS } from "./labels";
import { CreateQuestionnaireDoc } from "./queries";

interface Question {
  kind: SurveyQuestionKind;
  text: string;
  required: boolean;
  dimension?: SurveyDimension;
  weight?: number;
  options?: { label: string; score?: number }[];
}
interface Values { title: string; intro?: string; questions: Question[] }

const FIRST: Question = { kind: "RATING", text: "", required: true, dimension: "OVERALL", weight: 10 };
const CHOICE_OPTIONS = [{ label: "", score: 100 }, { label: "", score: 0 }];

export function QuestionnaireForm({ onSaved, onCancel }: { onSaved: (q: SurveyQuestionnaireFullFragment) => void; onCancel: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const save = useAction("createSurveyQuestionnaire", async (key, v: Values) => {
    const input = {
      title: v.title.trim(), intro: v.intro?.trim() ?? "",
      questions: v.questions.map((q) => {
        const scored = q.kind === "RATING" || q.kind === "SINGLE";
        const choice = q.kind === "SINGLE" || q.kind === "MULTIPLE";
        return { kind: q.kind, text: q.text.trim(), required: q.required, dimension: q.dimension ?? null,
                 weight: scored ? q.weight ?? 0 : 0,
                 options: choice ? (q.options ?? []).map((o) => ({ label: o.label.trim(), score: q.kind === "SINGLE" ? o.score ?? 0 : 0 })) : [] };
      }),
    };
    const made = checkInto(form, (await request(CreateQuestionnaireDoc, { input, key })).createSurveyQuestionnaire).questionnaire;
    if (made) onSaved(made);
  });
  const required = { required: true, message: t("必填", "Required") };
  return (
    <Card size="small" title={<L zh="新建问卷" en="New questionnaire" />} data-testid="survey-q-form">
      <Form form={form} layout="vertical" disabled={save.busy} initialValues={{ questions: [FIRST] }}>
        <Form.Item name="title" label={t("问卷名称", "Title")} rules={[required]}>
          <Input maxLength={100} data-testid="survey-q-title" placeholder={t("如：2026 年度业主满意度", "e.g. 2026 residents' satisfaction")} />
        </Form.Item>
        <Form.Item name="intro" label={t("说明（开头的话）", "Introduction")}>
          <Input.TextArea rows={2} maxLength={500} data-testid="survey-q-intro" />
        </Form.Item>
        <Form.List name="questions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <QuestionFields key={field.key} index={i} name={field.name} onRemove={fields.length > 1 ? () => remove(field.name) : null} />
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ ...FIRST, dimension: undefined, weight: 0 })} data-testid="survey-q-add">
                <L zh="添加题目" en="Add a question" /></Button>
            </>
          )}
        </Form.List>
      </Form>
      <Space style={{ marginTop: 12 }}>
        <Button type="primary" loading={save.busy} onClick={() => void submitForm(form, save)} data-testid="survey-q-save">
          <L zh="保存问卷" en="Save" /></Button>
        <Button onClick={onCancel}><L zh="取消" en="Cancel" /></Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        <L zh="问卷被调查活动使用后不可修改；要改就新建一版。" en="Once a campaign uses it, it cannot change: make a new version instead." />
      </Typography.Paragraph>
      <FormError error={save.error} />
    </Card>
  );
}

function QuestionFields({ index, name, onRemove }: { index: number; name: number; onRemove: (() => void) | null }) {
  const t = useT();
  const form = Form.useFormInstance<Values>();
  const kind = Form.useWatch(["questions", name, "kind"], form) as SurveyQuestionKind | undefined;
  const scored = kind === "RATING" || kind === "SINGLE";
  const choice = kind === "SINGLE" || kind === "MULTIPLE";
  const required = { required: true, message: t("必填", "Required") };
  const changedKind = (k: SurveyQuestionKind) => {
    if ((k === "SINGLE" || k === "MULTIPLE") && !(form.getFieldValue(["questions", name, "options"]) as unknown[] | undefined)?.length) {
      form.setFieldValue(["questions", name, "options"], CHOICE_OPTIONS);
    }
    if (k === "MULTIPLE" || k === "TEXT") form.setFieldValue(["questions", name, "weight"], 0);
  };
  return (
    <div style={{ borderBottom: "1px dashed #f0f0f0", padding: "6px 0" }} data-testid={`survey-q-question-${index + 1}`}>
      <Space wrap align="start">
        <Typography.Text strong style={{ display: "inline-block", width: 40, paddingTop: 4 }}>{t(`第${index + 1}题`, `Q${index + 1}`)}</Typography.Text>
        <Form.Item name={[name, "kind"]} noStyle>
          <Select style={{ width: 120 }} aria-label={t("题型", "Kind")} data-testid="survey-q-kind" onChange={changedKind}
                  options={KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
        </Form.Item>
        <Form.Item name={[name, "text"]} rules={[required]} style={{ marginBottom: 0 }}>
          <Input style={{ width: 300 }} maxLength={200} placeholder={t("题目", "Question")} aria-label={t("题目", "Question")}
                 data-testid="survey-q-text" />
        </Form.Item>
        <Form.Item name={[name, "required"]} valuePropName="checked" noStyle>
          <Checkbox style={{ paddingTop: 4 }}>{t("必答", "Required")}</Checkbox>
        </Form.Item>
        <Form.Item name={[name, "dimension"]} noStyle>
          <Select style={{ width: 110 }} allowClear placeholder={t("维度", "Dimension")} aria-label={t("维度", "Dimension")}
                  data-testid="survey-q-dimension" options={DIMENSIONS.map((d) => ({ value: d.value, label: t(d.zh, d.en) }))} />
        </Form.Item>
        <Form.Item name={[name, "weight"]} noStyle>
          <InputNumber min={0} max={100} style={{ width: 110 }} disabled={!scored} prefix={t("权重", "Weight")}
                       aria-label={t("权重", "Weight")} data-testid="survey-q-weight" />
        </Form.Item>
        {onRemove && <Button icon={<DeleteOutlined />} onClick={onRemove} aria-label={t("删除此题", "Remove the question")} />}
      </Space>
      {choice && (
        <Form.List name={[name, "options"]}>
          {(opts, { add, remove }) => (
            <div style={{ margin: "6px 0 0 48px" }}>
              {opts.map((o, j) => (
                <Space key={o.key} style={{ display: "flex", marginBottom: 4 }} data-testid="survey-q-option">
                  <Typography.Text type="secondary" style={{ width: 24, display: "inline-block" }}>{String.fromCharCode(65 + j)}</Typography.Text>
                  <Form.Item name={[o.name, "label"]} rules={[required]} noStyle>
                    <Input style={{ width: 200 }} maxLength={100} placeholder={t("选项", "Option")} aria-label={t("选项", "Option")}
                           data-testid="survey-q-option-label" />
                  </Form.Item>
                  {kind === "SINGLE" && (
                    <Form.Item name={[o.name, "score"]} noStyle>
                      <InputNumber min={0} max={100} style={{ width: 110 }} prefix={t("得分", "Score")} aria-label={t("得分", "Score")}
                                   data-testid="survey-q-option-score" />
                    </Form.Item>
                  )}
                  {opts.length > 2 && <Button size="small" icon={<DeleteOutlined />} onClick={() => remove(o.name)}
                                              aria-label={t("删除选项", "Remove the option")} />}
                </Space>
              ))}
              {opts.length < 20 && <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => add({ label: "", score: 0 })}
                                           data-testid="survey-q-option-add"><L zh="添加选项" en="Add an option" /></Button>}
            </div>
          )}
        </Form.List>
      )}
    </div>
  );
}
