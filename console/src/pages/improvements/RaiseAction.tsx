// 提出整改 Raise a corrective action from what showed the need — an alert, an inspection, a case
// review — prefilled with its source: title, description, owner (the project's members: whom the
// API accepts), due day (a week from today by default). Offered to improvement:raise holders on the
// project; the API checks again. Its own idempotency key; the API's error under the form.
import { Button, DatePicker, Form, Input, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { Link } from "react-router-dom";
import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { ActionSource } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { checkInto, submitForm, useAction } from "../../ui/action";
import { FormDrawer } from "../../ui/FormDrawer";
import { ProjectMembersDoc, RaiseImprovementDoc } from "./queries";

interface Values { title: string; description: string; ownerId: string; dueOn: Dayjs }
export interface RaiseSource { projectId: string; source: ActionSource; sourceId: string | null; title: string; description: string }

function RaiseForm({ from, onClose }: { from: RaiseSource; onClose: (raisedId?: string) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const members = useQuery(ProjectMembersDoc, { projectId: from.projectId });
  const raise = useAction("raiseImprovementAction", async (key, v: Values) => {
    const payload = checkInto(form, (await request(RaiseImprovementDoc, {
      key,
      input: { projectId: from.projectId, source: from.source, sourceId: from.sourceId, title: v.title.trim(),
               description: v.description.trim(), ownerId: v.ownerId, dueOn: v.dueOn.format("YYYY-MM-DD") },
    })).raiseImprovementAction);
    onClose(payload.action?.id);
  });
  const people = members.data?.project?.members ?? [];
  return (
    <FormDrawer open title={<L zh="提出整改" en="Raise a corrective action" />} busy={raise.busy} error={raise.error ?? members.error}
                onSubmit={() => void submitForm(form, raise)} onClose={() => onClose()} testId="raise-action">
      <Form<Values> form={form} layout="vertical" disabled={raise.busy}
                    initialValues={{ title: from.title.slice(0, 100), description: from.description.slice(0, 2000), dueOn: dayjs().add(7, "day") }}>
        <Form.Item label={t("来源", "Source")}>
          <span data-testid="raise-source">{members.data?.project?.name} · {t(SOURCE_ZH[from.source] ?? from.source, from.source)}</span>
        </Form.Item>
        <Form.Item name="title" label={t("整改事项", "Title")}
                   rules={[{ required: true, whitespace: true, message: t("请填写整改事项", "Write what must be put right") }, { max: 100 }]}>
          <Input maxLength={100} showCount data-testid="raise-title" />
        </Form.Item>
        <Form.Item name="description" label={t("整改要求", "What is expected")} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={4} maxLength={2000} data-testid="raise-description" />
        </Form.Item>
        <Form.Item name="ownerId" label={t("责任人", "Owner")} rules={[{ required: true, message: t("请选择责任人", "Choose the owner") }]}>
          <Select showSearch optionFilterProp="label" loading={members.loading} data-testid="raise-owner"
                  notFoundContent={t("本项目还没有账号：先在管理中授予角色", "Nobody holds a role here yet")}
                  options={people.map((m) => ({ value: m.id, label: `${m.displayName} (${m.username})` }))} />
        </Form.Item>
        <Form.Item name="dueOn" label={t("完成期限", "Due")} rules={[{ required: true, message: t("请选择完成期限", "Choose a due day") }]}>
          <DatePicker allowClear={false} data-testid="raise-due" disabledDate={(d) => d.isBefore(dayjs(), "day") || d.isAfter(dayjs().add(1, "year"))} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

const SOURCE_ZH: Record<string, string> = { CASE_REVIEW: "案例研判", ALERT: "客情预警", INSPECTION: "品质检查", OTHER: "其他" };

/** The 提出整改 button and its form; nothing for a viewer without improvement:raise on the project. */
export function RaiseActionButton({ from, onRaised }: { from: RaiseSource; onRaised?: () => void }) {
  const { viewer } = useAuth();
  const [open, setOpen] = useState(false);
  const [raised, setRaised] = useState<string | null>(null);
  if (!can(viewer, "IMPROVEMENT_RAISE", from.projectId)) return null;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="raise-action-open"><L zh="提出整改" en="Raise an action" /></Button>
      {raised && <Link to={`/improvements?action=${raised}&state=ALL`} style={{ marginLeft: 8 }} data-testid="raised-link">
        <L zh="已提出，查看整改" en="Raised: open it" /></Link>}
      {open && <RaiseForm from={from} onClose={(id) => { setOpen(false); if (id) { setRaised(id); onRaised?.(); } }} />}
    </>
  );
}
