// 排班 Put someone on duty: kind (派单值班 dispatch, or 接访 reception: a project manager or CS
// supervisor of the project, which the API checks), department, person (the project's members:
// whom the API accepts), start and end (at most 24 hours). Its own idempotency key; the API's
// error under the form.
import { Button, DatePicker, Form, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { check, request } from "../../api/client";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import type { ShiftKind } from "../../gql/graphql";
import { AddDutyShiftDoc } from "./queries";

interface Values { kind: ShiftKind; departmentId: string; userId: string; startsAt: Dayjs; endsAt: Dayjs }
interface Props {
  projectId: string;
  departments: { id: string; name: string }[];
  members: { id: string; displayName: string; username: string }[];
  onAdded: () => void;
}

export function AddShiftForm({ projectId, departments, members, onAdded }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const add = useAction("addDutyShift", async (key, v: Values) => {
    check((await request(AddDutyShiftDoc, {
      key,
      input: { projectId, kind: v.kind, departmentId: v.departmentId, userId: v.userId, startsAt: v.startsAt.toISOString(), endsAt: v.endsAt.toISOString() },
    })).addDutyShift);
  });
  // A shift from this hour, eight hours long: the common case needs only a department and a person.
  const start = dayjs().startOf("hour");

  async function submit(v: Values) {
    if (await add.run(v)) {
      form.resetFields(["userId"]);
      onAdded();
    }
  }

  return (
    <div style={{ marginBottom: 12 }} data-testid="add-shift">
      <Form<Values> form={form} name="shift" layout="inline" onFinish={(v) => void submit(v)} disabled={add.busy}
                    initialValues={{ kind: "DISPATCH", startsAt: start, endsAt: start.add(8, "hour") }}>
        <Form.Item name="kind" label={t("类型", "Kind")}>
          <Select<ShiftKind> style={{ width: 110 }} data-testid="shift-kind-select"
                  options={[{ value: "DISPATCH", label: t("派单值班", "Dispatch") }, { value: "RECEPTION", label: t("接访", "Reception") }]} />
        </Form.Item>
        <Form.Item name="departmentId" label={t("部门", "Department")} rules={[{ required: true, message: t("请选择部门", "Choose a department") }]}>
          <Select style={{ width: 130 }} data-testid="shift-department" options={departments.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="userId" label={t("值班人", "Person")} rules={[{ required: true, message: t("请选择值班人", "Choose a person") }]}>
          <Select style={{ width: 150 }} showSearch optionFilterProp="label" data-testid="shift-person"
                  notFoundContent={t("本项目还没有账号：先在管理中授予角色", "Nobody holds a role here yet")}
                  options={members.map((m) => ({ value: m.id, label: `${m.displayName} (${m.username})` }))} />
        </Form.Item>
        <Form.Item name="startsAt" label={t("开始", "Starts")} rules={[{ required: true }]}>
          <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" allowClear={false} style={{ width: 160 }} data-testid="shift-start" />
        </Form.Item>
        <Form.Item name="endsAt" label={t("结束", "Ends")} rules={[{ required: true }]}>
          <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" allowClear={false} style={{ width: 160 }} data-testid="shift-end" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={add.busy} data-testid="shift-submit"><L zh="排班" en="Add shift" /></Button>
        </Form.Item>
      </Form>
      <FormError error={add.error} />
    </div>
  );
}
