// 升级阶梯: at which percent of a target the handler is reminded and each level is told. The
// company's one ladder; sla:manage company-wide changes it (for targets started afterwards).
import { Button, Col, Form, InputNumber, Row, Steps, Typography } from "antd";
import { useEffect } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { useAuth } from "../../auth";
import type { EscalationLadderInput, EscalationLadderQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys } from "../../ui/keys";
import { ErrorBanner, Loading } from "../../ui/states";
import { LadderDoc, SetLadderDoc } from "./queries";
import { holdsCompanyWide, useSaveAndReload } from "./shared";
import { FormError, submitForm, useAction } from "../../ui/action";

type Values = EscalationLadderQuery["escalationLadder"];

// Who is told at each level (design: L0 handler, L1 CS supervisor, L2 project manager, L3 HQ quality).
const LEVELS: { field: "remindPercent" | "l1Percent" | "l2Percent" | "l3Percent"; level: string; zh: string; en: string }[] = [
  { field: "remindPercent", level: "提醒", zh: "处理人", en: "the handler" },
  { field: "l1Percent", level: "L1", zh: "客服主管", en: "CS supervisor" },
  { field: "l2Percent", level: "L2", zh: "项目经理", en: "project manager" },
  { field: "l3Percent", level: "L3", zh: "总部品质", en: "HQ quality" },
];

export function LadderTab() {
  const { viewer } = useAuth();
  const t = useT();
  const q = useQuery(LadderDoc, {});
  const [form] = Form.useForm<Values>();
  const submit = useAction("setEscalationLadder", async (key, input: EscalationLadderInput) => {
    check((await request(SetLadderDoc, { input, key })).setEscalationLadder);
  });
  const editable = holdsCompanyWide(viewer, "SLA_MANAGE");
  const ladder = q.data?.escalationLadder;

  useEffect(() => {
    if (ladder) form.setFieldsValue(ladder);
  }, [ladder, form]);

  const { saving, save } = useSaveAndReload(() => submitForm(form, submit), q.refetch);

  if (!q.data && q.loading) return <Loading rows={4} />;
  return (
    <div data-testid="ladder-tab" style={{ maxWidth: 760 }}>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {ladder && (
        <Steps current={-1} style={{ marginBottom: 20 }} data-testid="ladder-steps"
               items={LEVELS.map((l) => ({ title: `${l.level} · ${ladder[l.field]}%`, description: `${t("通知", "tell")} ${t(l.zh, l.en)}` }))} />
      )}
      <Typography.Paragraph type="secondary">
        <L zh="按时限的百分比触发：到达后通知对应的人；修改只影响之后开始计时的时限。"
           en="Percent of a target at which each step fires; a change applies to targets started afterwards." />
      </Typography.Paragraph>
      <div onKeyDown={formKeys(() => void save(), () => undefined)}>
        <Form<Values> form={form} layout="vertical" disabled={!editable || saving}>
          <Row gutter={12}>
            {LEVELS.map((l) => (
              <Col key={l.field} span={6}>
                <Form.Item name={l.field} label={`${l.level} ${t(l.zh, l.en)}`} rules={[{ required: true }]}>
                  <InputNumber min={1} max={1000} precision={0} suffix="%" style={{ width: "100%" }} aria-label={`${l.level} ${t(l.zh, l.en)}`} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Form>
        {editable ? (
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="ladder-save">
            <L zh="保存阶梯" en="Save ladder" /> (Ctrl+Enter)
          </Button>
        ) : <Typography.Text type="secondary" data-testid="read-only"><L zh="只读：公司统一的阶梯，修改需要公司级的时效设置权限" en="Read only: the company's ladder needs sla:manage company-wide" /></Typography.Text>}
        <FormError error={submit.error} />
      </div>
    </div>
  );
}
