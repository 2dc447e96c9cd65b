// 问卷表单 A questionnaire's questions as the person on the phone or at the door answers them: a
// rating 1–5, one option, several options, or words. Required questions must be answered (the
// API checks again and names 第 N 题).
import { Checkbox, Form, Input, Radio, Typography } from "antd";
import type { FormInstance } from "antd";
import type { SurveyAnswerInput, SurveyQuestionnaireFullFragment } from "../../gql/graphql";
import { useT } from "../../i18n";

export type Answers = Record<string, number | string | string[] | undefined>;

const RATINGS = [
  { value: 1, zh: "很不满意", en: "Very poor" }, { value: 2, zh: "不满意", en: "Poor" }, { value: 3, zh: "一般", en: "Fair" },
  { value: 4, zh: "满意", en: "Good" }, { value: 5, zh: "很满意", en: "Very good" },
];

/** The form's values as the API's answers; questions left blank are left out. */
export function toAnswers(q: SurveyQuestionnaireFullFragment, values: Answers): SurveyAnswerInput[] {
  const out: SurveyAnswerInput[] = [];
  for (const x of q.questions) {
    const v = values[x.id];
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length)) continue;
    if (x.kind === "RATING") out.push({ questionId: x.id, rating: Number(v) });
    else if (x.kind === "SINGLE") out.push({ questionId: x.id, optionIds: [String(v)] });
    else if (x.kind === "MULTIPLE") out.push({ questionId: x.id, optionIds: v as string[] });
    else if (String(v).trim()) out.push({ questionId: x.id, text: String(v).trim() });
  }
  return out;
}

export function AnswerForm({ questionnaire, form, disabled }: { questionnaire: SurveyQuestionnaireFullFragment; form: FormInstance<Answers>; disabled: boolean }) {
  const t = useT();
  const needed = { required: true, message: t("必答题", "Required") };
  return (
    <Form form={form} layout="vertical" disabled={disabled} data-testid="survey-answer-form">
      {questionnaire.intro && <Typography.Paragraph type="secondary">{questionnaire.intro}</Typography.Paragraph>}
      {questionnaire.questions.map((x) => (
        <Form.Item key={x.id} name={x.id} rules={x.required ? [needed] : []} required={x.required} data-testid={`survey-answer-${x.position}`}
                   label={<span>{x.position}. {x.text}{!x.required && <Typography.Text type="secondary">{t("（选答）", " (optional)")}</Typography.Text>}</span>}>
          {x.kind === "RATING" ? (
            <Radio.Group optionType="button" options={RATINGS.map((r) => ({ value: r.value, label: `${r.value} ${t(r.zh, r.en)}` }))} />
          ) : x.kind === "SINGLE" ? (
            <Radio.Group options={x.options.map((o) => ({ value: o.id, label: o.label }))} />
          ) : x.kind === "MULTIPLE" ? (
            <Checkbox.Group options={x.options.map((o) => ({ value: o.id, label: o.label }))} />
          ) : (
            <Input.TextArea rows={2} maxLength={1000} showCount />
          )}
        </Form.Item>
      ))}
    </Form>
  );
}
