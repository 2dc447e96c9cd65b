// 考评权重: the weights of the monthly evaluation (docs/kpis.md). Rates weigh in points that are
// renormalised over the rates with data; penalties are points off. The API says what is allowed —
// its error shows under the form. evaluation:manage company-wide changes them.
import { Button, Card, Col, Form, InputNumber, Row, Typography } from "antd";
import { useEffect } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { useAuth } from "../../auth";
import type { KpiWeightsFieldsFragment, KpiWeightsInput } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys } from "../../ui/keys";
import { ErrorBanner, Loading } from "../../ui/states";
import { KpiWeightsDoc, SetKpiWeightsDoc } from "./queries";
import { holdsCompanyWide, useSaveAndReload } from "./shared";
import { FormError, submitForm, useAction } from "../../ui/action";

type Values = KpiWeightsFieldsFragment;

const RATES: { name: keyof Values; zh: string; en: string }[] = [
  { name: "response", zh: "响应率", en: "Response" },
  { name: "resolution", zh: "解决率", en: "Resolution" },
  { name: "satisfaction", zh: "满意率", en: "Satisfaction" },
  { name: "firstContact", zh: "首次解决率", en: "First contact" },
  { name: "onTime", zh: "按时办结率", en: "On time" },
  { name: "inspection", zh: "品质检查", en: "Inspection" },
  { name: "collection", zh: "收缴率", en: "Collection" },
  { name: "survey", zh: "满意度调查", en: "Survey" },
  { name: "calls", zh: "接通率", en: "Answer rate" },
];
// Weighed only in the months they have data (an inspection, bills, a closed campaign, calls).
const MONTHLY = new Set<keyof Values>(["inspection", "collection", "survey", "calls"]);

const PENALTIES: { name: keyof Values; zh: string; en: string }[] = [
  { name: "perComplaintPer1000", zh: "每千户每件投诉扣分", en: "Per complaint per 1,000 households" },
  { name: "perBrokenPromise", zh: "每百单每次失约扣分", en: "Per broken promise per 100 cases" },
];

export function KpiWeightsTab() {
  const { viewer } = useAuth();
  const t = useT();
  const q = useQuery(KpiWeightsDoc, {});
  const [form] = Form.useForm<Values>();
  const submit = useAction("setKpiWeights", async (key, input: KpiWeightsInput) => {
    check((await request(SetKpiWeightsDoc, { input, key })).setKpiWeights);
  });
  const editable = holdsCompanyWide(viewer, "EVALUATION_MANAGE");
  const weights = q.data?.kpiWeights;
  const values = Form.useWatch([], form) as Values | undefined;
  // The case rates alone: the others weigh only in the months they have data.
  const total = RATES.filter((r) => !MONTHLY.has(r.name)).reduce((s, r) => s + (Number(values?.[r.name]) || 0), 0);

  useEffect(() => {
    if (weights) {
      form.setFieldsValue(weights);
    }
  }, [weights, form]);

  const { saving, save } = useSaveAndReload(() => submitForm(form, submit), q.refetch);

  if (!q.data && q.loading) return <Loading />;
  const field = (f: { name: keyof Values; zh: string; en: string }, suffix: string) => (
    <Form.Item key={f.name} name={f.name} label={t(f.zh, f.en)} rules={[{ required: true }]} style={{ marginBottom: 8 }}>
      <InputNumber precision={2} suffix={suffix} style={{ width: 160 }} aria-label={t(f.zh, f.en)} />
    </Form.Item>
  );
  return (
    <div data-testid="kpi-weights-tab" style={{ maxWidth: 860 }} onKeyDown={formKeys(() => void save(), () => undefined)}>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      <Typography.Paragraph type="secondary">
        <L zh="得分 = 100 × Σ权重×比率 / Σ有数据比率的权重，再减扣分（每项至多扣去一半）。"
           en="Score = 100 × Σ weight × rate / Σ weights of rates with data, less penalties (each at most half)." />
      </Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" disabled={!editable || saving}>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Card size="small" title={<L zh="比率权重" en="Rate weights" />}
                  extra={<span data-testid="kpi-total">{t("工单比率合计", "Case rates total")} {Math.round(total * 100) / 100}</span>}>
              {RATES.map((r) => field(r, t("分", "pts")))}
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={<L zh="扣分项" en="Penalties" />}>{PENALTIES.map((p) => field(p, t("分", "pts")))}</Card>
          </Col>
        </Row>
      </Form>
      <div style={{ marginTop: 12 }}>
        {editable ? (
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="kpi-save">
            <L zh="保存权重" en="Save weights" /> (Ctrl+Enter)
          </Button>
        ) : <Typography.Text type="secondary"><L zh="只读：修改需要考评设置权限" en="Read only: changing needs evaluation:manage" /></Typography.Text>}
      </div>
      <FormError error={submit.error} />
    </div>
  );
}
