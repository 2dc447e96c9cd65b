// 转办: an outside body of the case's project (from outsideBodies; switched-off ones cannot be
// chosen), why, and what it is asked to do.
import { Form, Select, type FormInstance } from "antd";
import { useEffect, useState } from "react";
import { request } from "../../api/client";
import type { CaseDetailFragment, CaseOutsideBodiesQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import type { FormValues } from "./actions";
import { Required } from "./fields";
import { OutsideBodiesDoc } from "./queries";

type Body = CaseOutsideBodiesQuery["outsideBodies"][number];

export function ReferFields({ c }: { c: CaseDetailFragment; form: FormInstance<FormValues> }) {
  const t = useT();
  const [bodies, setBodies] = useState<Body[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const projectId = c.project?.id;
  useEffect(() => {
    if (!projectId) return;
    request(OutsideBodiesDoc, { projectId }).then((d) => setBodies(d.outsideBodies)).catch((e: unknown) => setFailed(String(e)));
  }, [projectId]);
  const none = bodies !== null && !bodies.some((b) => b.active);
  return (
    <>
      <Form.Item name="bodyId" label={<L zh="外部单位" en="Outside body" />}
                 rules={[{ required: true, message: t("请选择外部单位", "Pick an outside body") }]}
                 extra={failed ?? (none ? t("本项目还没有可用的外部单位：请主管先在外部单位登记。", "This project has no active outside body yet: a supervisor registers one first.") : undefined)}>
        <Select autoFocus loading={bodies === null && !failed} aria-label={t("外部单位", "Outside body")}
                placeholder={t("选择街道办、居委会、派出所……", "Street office, residents' committee, police …")}
                options={(bodies ?? []).map((b) => ({
                  value: b.id, disabled: !b.active,
                  label: `${b.name} · ${b.kindLabel.split(" ")[0]} · ${b.deliveryLabel.split(" ")[0]} · ${t(`${b.feedbackDays} 天内反馈`, `${b.feedbackDays} days`)}${b.active ? "" : t("（已停用）", " (off)")}`,
                }))} />
      </Form.Item>
      <Required name="reason" zh="转办原因" en="Reason" rows={2} />
      <Required name="requestedAction" zh="请求事项" en="What the body is asked to do" rows={2} />
    </>
  );
}
