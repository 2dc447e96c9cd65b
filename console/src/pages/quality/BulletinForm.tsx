// 起草通报 Draft a bulletin (or rewrite a draft): kind, project and department, month, title and
// text, linked cases of that project, the figures it rests on. A criticism names a department and
// cites a figure or a case — the API says so if not. Its own idempotency key per draft.
import { Button, DatePicker, Form, Input, Segmented, Select, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { check, request } from "../../api/client";
import type { BulletinDetailFragment, BulletinFigure, BulletinKind } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys } from "../../ui/keys";
import { BULLETIN_KINDS, FIGURES, useProjects } from "./common";
import { FormError, submitForm, useAction } from "../../ui/action";
import { DraftBulletinDoc, LinkableCasesDoc } from "./queries";

interface Values {
  kind: BulletinKind;
  projectId: string;
  departmentId?: string;
  month: Dayjs;
  title: string;
  body: string;
  caseIds: string[];
  citedFigures: BulletinFigure[];
}

/** Cases of the project to link, found by number or words. */
function CasePicker({ projectId, value, onChange, initial }: {
  projectId?: string; value?: string[]; onChange?: (v: string[]) => void; initial: { id: string; number: string }[];
}) {
  const t = useT();
  const [options, setOptions] = useState(initial.map((c) => ({ value: c.id, label: c.number })));
  const search = async (text: string) => {
    if (!projectId) return;
    const r = await request(LinkableCasesDoc, { filter: { projectId, text: text || null } }).catch(() => null);
    const found = r?.cases.edges.map((e) => ({ value: e.node.id, label: `${e.node.number} ${e.node.description.slice(0, 20)}` })) ?? [];
    setOptions((old) => [...old.filter((o) => value?.includes(o.value)), ...found.filter((f) => !value?.includes(f.value))]);
  };
  return <Select mode="multiple" showSearch={{ filterOption: false, onSearch: (s) => void search(s) }} onFocus={() => void search("")}
                 value={value} onChange={onChange} options={options} maxCount={20} disabled={!projectId}
                 aria-label={t("关联工单", "Linked cases")} placeholder={t("按编号或描述搜索", "Search by number or words")} />;
}

export function BulletinForm({ editing, onSaved }: { editing: BulletinDetailFragment | null; onSaved: (b: BulletinDetailFragment) => void }) {
  const t = useT();
  const { projects } = useProjects();
  const [form] = Form.useForm<Values>();
  const projectId = Form.useWatch("projectId", form);
  const departments = projects.find((p) => p.id === projectId)?.departments ?? [];

  useEffect(() => {
    if (!editing && !projectId && projects.length === 1) form.setFieldValue("projectId", projects[0]?.id);
  }, [editing, projectId, projects, form]);

  const save = useAction("draftBulletin", async (key, v: Values) => {
    const input = { projectId: v.projectId, kind: v.kind, title: v.title, body: v.body, month: v.month.startOf("month").format("YYYY-MM-DD"),
                    departmentId: v.departmentId ?? null, caseIds: v.caseIds ?? [], citedFigures: v.citedFigures ?? [] };
    const saved = check((await request(DraftBulletinDoc, { input, bulletinId: editing?.id ?? null, key })).draftBulletin).bulletin;
    if (saved) onSaved(saved);
  });
  const { busy, error } = save;

  const submit = () => submitForm(form, save); // a second press while busy is the same act

  const initial: Partial<Values> = editing
    ? { kind: editing.kind, projectId: editing.projectId, departmentId: editing.department?.id, month: dayjs(editing.month), title: editing.title,
        body: editing.body, caseIds: editing.cases.map((c) => c.id), citedFigures: editing.citedFigures }
    : { kind: "PRAISE", month: dayjs(), caseIds: [], citedFigures: [] };
  const required = { required: true, message: t("必填", "Required") };
  return (
    <div onKeyDown={formKeys(() => void submit(), () => undefined)} data-testid="bulletin-form">
      <Typography.Title level={5}>{editing ? <L zh="修改草稿" en="Rewrite the draft" /> : <L zh="起草通报" en="Draft a bulletin" />}</Typography.Title>
      <Form<Values> form={form} layout="vertical" initialValues={initial} disabled={busy} requiredMark
                    onValuesChange={(changed: Partial<Values>) => {
                      if ("projectId" in changed) form.setFieldsValue({ departmentId: undefined, caseIds: [] });
                    }}>
        <Form.Item name="kind" label={t("类型", "Kind")} rules={[required]}>
          <Segmented options={BULLETIN_KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
        </Form.Item>
        <div style={{ display: "flex", gap: 8 }}>
          <Form.Item name="projectId" label={t("项目", "Project")} rules={[required]} style={{ flex: 1 }}>
            <Select options={projects.map((p) => ({ value: p.id, label: p.name }))} placeholder={t("选择项目", "Project")} disabled={!!editing} />
          </Form.Item>
          <Form.Item name="departmentId" label={t("部门", "Department")} style={{ flex: 1 }}>
            <Select allowClear options={departments.map((d) => ({ value: d.id, label: d.name }))} placeholder={t("批评须选部门", "Required for a criticism")} />
          </Form.Item>
          <Form.Item name="month" label={t("月份", "Month")} rules={[required]}>
            <DatePicker picker="month" allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), "month")} />
          </Form.Item>
        </div>
        <Form.Item name="title" label={t("标题", "Title")} rules={[required]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="body" label={t("正文", "Text")} rules={[required]}>
          <Input.TextArea rows={4} maxLength={5000} />
        </Form.Item>
        <Form.Item name="caseIds" label={t("关联工单", "Linked cases")}>
          <CasePicker projectId={projectId} initial={editing?.cases ?? []} />
        </Form.Item>
        <Form.Item name="citedFigures" label={t("依据指标", "Figures cited")}>
          <Select mode="multiple" options={FIGURES.map((f) => ({ value: f.value, label: t(f.zh, f.en) }))} aria-label={t("依据指标", "Figures cited")} />
        </Form.Item>
        <Button type="primary" onClick={() => void submit()} loading={busy} data-testid="bulletin-save">
          <L zh="保存草稿" en="Save draft" /> (Ctrl+Enter)
        </Button>
      </Form>
      <FormError error={error} />
    </div>
  );
}
