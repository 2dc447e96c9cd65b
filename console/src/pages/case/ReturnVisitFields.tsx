// 回访: three-way satisfaction and a score of 1–5 (digits pick it), by someone other than the handler.
import { Form, Input, Radio, Rate } from "antd";
import { L, useT } from "../../i18n";

const SATISFACTION = [
  { value: "SATISFIED", zh: "满意", en: "Satisfied" },
  { value: "BASICALLY_SATISFIED", zh: "基本满意", en: "Basically satisfied" },
  { value: "DISSATISFIED", zh: "不满意", en: "Dissatisfied" },
];

export function ReturnVisitFields() {
  const t = useT();
  return (
    <>
      <Form.Item name="satisfaction" label={<L zh="满意度" en="Satisfaction" />} rules={[{ required: true, message: t("请选择满意度", "Pick one") }]}>
        <Radio.Group aria-label={t("满意度", "Satisfaction")} optionType="button"
                     options={SATISFACTION.map((s) => ({ value: s.value, label: t(s.zh, s.en) }))} />
      </Form.Item>
      <Form.Item name="score" label={<L zh="评分 1–5" en="Score 1–5" />} rules={[{ required: true }]}>
        <Rate count={5} aria-label={t("评分", "Score")} />
      </Form.Item>
      <Form.Item name="comment" label={<L zh="回访记录" en="Notes" />}>
        <Input.TextArea rows={3} maxLength={2000} aria-label={t("回访记录", "Notes")} />
      </Form.Item>
    </>
  );
}
