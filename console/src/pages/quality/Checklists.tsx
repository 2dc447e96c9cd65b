// 检查表 The company's checklists: switch one on or off, or make a new one (its items never change
// afterwards — a new version is a new checklist). Each form its own idempotency key.
import { Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { check, request } from "../../api/client";
import type { ChecklistDetailFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys } from "../../ui/keys";
import { DEPARTMENT_KINDS, when } from "./common";
import { FormError, submitForm, useAction } from "../../ui/action";
import { CreateChecklistDoc, SetChecklistActiveDoc } from "./queries";

interface Values {
  name: string;
  items: { title: string; maxPoints: number; guidance?: string; departmentKind?: string }[];
}

function NewChecklist({ onSaved }: { onSaved: (c: ChecklistDetailFragment) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();

  const save = useAction("createInspectionChecklist", async (key, v: Values) => {
    const input = { name: v.name, items: v.items.map((i) => ({ title: i.title, maxPoints: i.maxPoints, guidance: i.guidance ?? "", departmentKind: i.departmentKind ?? null })) };
    const saved = check((await request(CreateChecklistDoc, { input, key })).createInspectionChecklist).checklist;
    form.resetFields();
    if (saved) onSaved(saved);
  });
  const { busy, error } = save;

  const submit = () => submitForm(form, save); // a second press while busy is the same act

  const required = { required: true, message: t("必填", "Required") };
  return (
    <div onKeyDown={formKeys(() => void submit(), () => undefined)} data-testid="checklist-form" style={{ marginTop: 12 }}>
      <Form<Values> form={form} layout="vertical" disabled={busy} initialValues={{ items: [{ maxPoints: 10 }] }}>
        <Form.Item name="name" label={t("新建检查表", "New checklist")} rules={[required]}>
          <Input maxLength={100} placeholder={t("名称，如 2026 年秋季品质检查", "Name")} />
        </Form.Item>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, n) => (
                <Space key={f.key} align="start" style={{ display: "flex" }}>
                  <span className="fc-num" style={{ lineHeight: "24px" }}>{n + 1}.</span>
                  <Form.Item name={[f.name, "title"]} rules={[required]} style={{ marginBottom: 6 }}>
                    <Input placeholder={t("检查项", "Item")} maxLength={200} style={{ width: 220 }} aria-label={t(`第${n + 1}项名称`, `Item ${n + 1}`)} />
                  </Form.Item>
                  <Form.Item name={[f.name, "maxPoints"]} rules={[required]} style={{ marginBottom: 6 }}>
                    <InputNumber min={1} max={100} precision={0} style={{ width: 72 }} aria-label={t(`第${n + 1}项满分`, `Item ${n + 1} points`)} />
                  </Form.Item>
                  <Form.Item name={[f.name, "departmentKind"]} style={{ marginBottom: 6 }}>
                    <Select allowClear placeholder={t("部门", "Department")} style={{ width: 96 }}
                            options={DEPARTMENT_KINDS.map((d) => ({ value: d.value, label: t(d.zh, d.en) }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, "guidance"]} style={{ marginBottom: 6 }}>
                    <Input placeholder={t("评分标准", "How to judge")} maxLength={1000} style={{ width: 200 }} />
                  </Form.Item>
                  {fields.length > 1 && <Button onClick={() => remove(f.name)} aria-label={t("删除此项", "Remove")}>−</Button>}
                </Space>
              ))}
              <Button onClick={() => add({ maxPoints: 10 })}><L zh="加一项" en="Add an item" /></Button>
            </>
          )}
        </Form.List>
        <Button type="primary" style={{ marginTop: 8 }} onClick={() => void submit()} loading={busy} data-testid="checklist-save">
          <L zh="保存检查表" en="Save checklist" /> (Ctrl+Enter)
        </Button>
      </Form>
      <FormError error={error} />
    </div>
  );
}

export function Checklists({ list, canManage, onChanged }: { list: ChecklistDetailFragment[]; canManage: boolean; onChanged: () => void }) {
  const t = useT();
  const [busy, setBusy] = useState<string | null>(null);
  // One key per checklist and direction: the arguments are the input, so another switch is another act.
  const setActive = useAction("setInspectionChecklistActive", async (key, checklistId: string, active: boolean) => {
    check((await request(SetChecklistActiveDoc, { checklistId, active, key })).setInspectionChecklistActive);
    onChanged();
  });
  const error = setActive.error;

  async function toggle(c: ChecklistDetailFragment, active: boolean) {
    setBusy(c.id);
    await setActive.run(c.id, active);
    setBusy(null);
  }

  const columns: ColumnsType<ChecklistDetailFragment> = [
    { title: <L zh="检查表" en="Checklist" />, dataIndex: "name" },
    { title: <L zh="项数" en="Items" />, key: "n", width: 60, align: "right", render: (_, c) => c.items.length },
    { title: <L zh="满分" en="Max" />, dataIndex: "maxPoints", width: 60, align: "right" },
    { title: <L zh="新建" en="Created" />, key: "at", width: 150, render: (_, c) => <span className="fc-num">{when(c.createdAt)}</span> },
    { title: <L zh="启用" en="On" />, key: "on", width: 80, render: (_, c) => canManage
      ? <Switch size="small" checked={c.active} loading={busy === c.id} onChange={(v) => void toggle(c, v)} aria-label={t(`启用 ${c.name}`, `${c.name} on`)} />
      : <Tag>{c.active ? t("启用", "On") : t("停用", "Off")}</Tag> },
  ];
  return (
    <Card size="small" style={{ marginTop: 12 }} title={<L zh="检查表" en="Checklists" />} data-testid="checklists">
      <Table<ChecklistDetailFragment> size="small" rowKey="id" columns={columns} dataSource={list} pagination={false}
                                      locale={{ emptyText: t("暂无检查表", "No checklist yet") }} />
      <FormError error={error} />
      {canManage && <NewChecklist onSaved={onChanged} />}
    </Card>
  );
}
