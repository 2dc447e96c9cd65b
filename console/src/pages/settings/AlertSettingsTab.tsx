// 预警阈值: the risk words that raise an alert from a case's words, and the thresholds of the other
// rules. Company-wide; evaluation:manage changes them. Shares are edited as percents.
import { Button, Card, Col, Form, InputNumber, Row, Select, Typography } from "antd";
import { useEffect } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { useAuth } from "../../auth";
import type { AlertSettingsFieldsFragment, AlertSettingsInput } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys } from "../../ui/keys";
import { ErrorBanner, Loading } from "../../ui/states";
import { AlertSettingsDoc, SetAlertSettingsDoc } from "./queries";
import { holdsCompanyWide, useSaveAndReload } from "./shared";
import { FormError, useAction } from "../../ui/action";

type Values = AlertSettingsFieldsFragment;
type Numeric = Exclude<keyof Values, "riskWords">;

const SHARES: Numeric[] = ["breachOrange", "breachRed", "satisfactionTarget", "satisfactionDrop", "collectionTarget", "collectionDrop"];

const GROUPS: { zh: string; en: string; fields: { name: Numeric; zh: string; en: string; unit: string }[] }[] = [
  { zh: "群发诉求", en: "Cluster", fields: [
    { name: "clusterHours", zh: "时间窗", en: "Window", unit: "小时" },
    { name: "clusterOrange", zh: "橙色：同楼工单", en: "Orange at", unit: "单" },
    { name: "clusterRed", zh: "红色：同楼工单", en: "Red at", unit: "单" },
  ] },
  { zh: "重复投诉", en: "Repeat complainant", fields: [
    { name: "repeatDays", zh: "时间窗", en: "Window", unit: "天" },
    { name: "repeatComplaints", zh: "投诉次数", en: "Complaints", unit: "次" },
    { name: "repeatReopenings", zh: "同单重开", en: "Reopenings", unit: "次" },
  ] },
  { zh: "超时率", en: "SLA breaches", fields: [
    { name: "breachDays", zh: "时间窗", en: "Window", unit: "天" },
    { name: "breachOrange", zh: "橙色：超时占比", en: "Orange at", unit: "%" },
    { name: "breachRed", zh: "红色：超时占比", en: "Red at", unit: "%" },
    { name: "breachMinCases", zh: "最少工单", en: "Min. cases", unit: "单" },
  ] },
  { zh: "满意度", en: "Satisfaction", fields: [
    { name: "satisfactionTarget", zh: "目标满意率", en: "Target", unit: "%" },
    { name: "satisfactionDrop", zh: "环比下降", en: "Drop", unit: "%" },
    { name: "satisfactionMinVisits", zh: "最少回访", en: "Min. visits", unit: "次" },
  ] },
  // 收费率下滑: a closed month's month-end collection rate; red at twice the drop.
  { zh: "收费率下滑", en: "Collection falling", fields: [
    { name: "collectionTarget", zh: "目标收缴率", en: "Target", unit: "%" },
    { name: "collectionDrop", zh: "环比下降", en: "Drop", unit: "%" },
    { name: "collectionMinBills", zh: "最少账单", en: "Min. bills", unit: "张" },
  ] },
];

function toForm(s: Values): Values {
  const v = { ...s, riskWords: [...s.riskWords] };
  SHARES.forEach((k) => (v[k] = Math.round(s[k] * 1000) / 10));
  return v;
}

function fromForm(v: Values): Values {
  const s = { ...v, riskWords: v.riskWords.map((w) => w.trim()).filter(Boolean) };
  SHARES.forEach((k) => (s[k] = Math.round(v[k] * 10) / 1000));
  return s;
}

export function AlertSettingsTab() {
  const { viewer } = useAuth();
  const t = useT();
  const q = useQuery(AlertSettingsDoc, {});
  const [form] = Form.useForm<Values>();
  const submit = useAction("setAlertSettings", async (key, input: AlertSettingsInput) => {
    check((await request(SetAlertSettingsDoc, { input, key })).setAlertSettings);
  });
  const editable = holdsCompanyWide(viewer, "EVALUATION_MANAGE");
  const settings = q.data?.alertSettings;

  useEffect(() => {
    if (settings) {
      form.setFieldsValue(toForm(settings));
    }
  }, [settings, form]);

  const { saving, save } = useSaveAndReload(async () => {
    const v = await form.validateFields().catch(() => null);
    return v !== null && submit.run(fromForm(v));
  }, q.refetch);

  if (!q.data && q.loading) return <Loading />;
  return (
    <div data-testid="alert-settings-tab" style={{ maxWidth: 960 }} onKeyDown={formKeys(() => void save(), () => undefined)}>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      <Form<Values> form={form} layout="vertical" disabled={!editable || saving}>
        <Form.Item name="riskWords" label={<L zh="风险词（工单描述含其一即预警）" en="Risk words (a case mentioning one raises an alert)" />}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[",", "，", " "]} aria-label={t("风险词", "Risk words")}
                  placeholder={t("输入后回车添加", "Type a word, then Enter")} data-testid="risk-words" />
        </Form.Item>
        <Row gutter={12}>
          {GROUPS.map((g) => (
            <Col key={g.zh} xs={24} md={12} style={{ marginBottom: 12 }}>
              <Card size="small" title={<L zh={g.zh} en={g.en} />}>
                {g.fields.map((f) => (
                  <Form.Item key={f.name} name={f.name} label={t(f.zh, f.en)} rules={[{ required: true }]} style={{ marginBottom: 8 }}>
                    <InputNumber min={0} precision={f.unit === "%" ? 1 : 0} max={f.unit === "%" ? 100 : undefined} suffix={f.unit}
                                 style={{ width: 160 }} aria-label={`${g.zh} ${f.zh}`} />
                  </Form.Item>
                ))}
              </Card>
            </Col>
          ))}
        </Row>
      </Form>
      {editable ? (
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="alert-settings-save">
          <L zh="保存预警设置" en="Save alert settings" /> (Ctrl+Enter)
        </Button>
      ) : <Typography.Text type="secondary"><L zh="只读：修改需要考评设置权限" en="Read only: changing needs evaluation:manage" /></Typography.Text>}
      <FormError error={submit.error} />
    </div>
  );
}
