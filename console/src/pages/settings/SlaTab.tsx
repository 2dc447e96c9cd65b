// 时效标准: the policy matrix (case kind × severity, four targets each) of the company or of one
// project, the project's own cells marked 项目覆盖. sla:manage company-wide edits the defaults; on a
// project it edits that project's overrides and puts a cell back to the default.
import { Button, Drawer, Form, InputNumber, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { RemoveSlaOverrideMutationVariables, SlaClock, SlaPolicyCellFragment, SlaPolicyInput } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys } from "../../ui/keys";
import { KINDS, SEVERITIES } from "../../ui/labels";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { RemoveSlaOverrideDoc, SetSlaPolicyDoc, SlaPoliciesDoc } from "./queries";
import { holdsCompanyWide, minutesLabel } from "./shared";
import { FormError, useAction } from "../../ui/action";
import type { ProjectRow } from "./SettingsPage";

const CLOCKS: { value: SlaClock; zh: string; en: string }[] = [
  { value: "ALWAYS", zh: "全天候", en: "24/7" },
  { value: "WORKING_HOURS", zh: "工作时间", en: "Working hours" },
  { value: "WORKING_DAYS", zh: "工作日", en: "Working days" },
];

const TARGETS = [
  { field: "commitMinutes", zh: "承诺", en: "Commit" },
  { field: "arriveMinutes", zh: "到场", en: "Arrive" },
  { field: "resolveMinutes", zh: "完成", en: "Resolve" },
  { field: "visitMinutes", zh: "回访", en: "Visit" },
] as const;

type Cell = SlaPolicyCellFragment;
const order = (c: Cell) => KINDS.findIndex((k) => k.value === c.kind) * 10 + SEVERITIES.findIndex((s) => s.value === c.severity);

export function SlaTab({ projects }: { projects: ProjectRow[] }) {
  const { viewer } = useAuth();
  const t = useT();
  const companyEditable = holdsCompanyWide(viewer, "SLA_MANAGE");
  const [projectId, setProjectId] = useState(() => (companyEditable || !projects.length ? "" : projects[0].id));
  const q = useQuery(SlaPoliciesDoc, { projectId: projectId || null });
  const editable = projectId ? can(viewer, "SLA_MANAGE", projectId) : companyEditable;
  const [editing, setEditing] = useState<Cell | null>(null);
  const removal = useAction("removeSlaOverride", async (key, input: Omit<RemoveSlaOverrideMutationVariables, "key">) => {
    check((await request(RemoveSlaOverrideDoc, { ...input, key })).removeSlaOverride);
  });
  const rows = useMemo(() => [...(q.data?.slaPolicies ?? [])].sort((a, b) => order(a) - order(b)), [q.data]);

  async function restore(c: Cell) {
    const ok = await removal.run({ projectId, kind: c.kind, severity: c.severity });
    if (ok) await q.refetch();
  }

  const label = (list: { value: string; zh: string; en: string }[], v: string) => {
    const f = list.find((x) => x.value === v);
    return f ? <L zh={f.zh} en={f.en} /> : v;
  };

  return (
    <div data-testid="sla-tab">
      <Space style={{ marginBottom: 12 }} wrap>
        <span><L zh="适用范围" en="Scope" /></span>
        <Select style={{ minWidth: 260 }} value={projectId} onChange={(v) => { setProjectId(v); removal.clear(); }}
                aria-label={t("适用范围", "Scope")} data-testid="sla-scope"
                options={[{ value: "", label: t("公司默认 Company defaults", "Company defaults 公司默认") },
                          ...projects.map((p) => ({ value: p.id, label: `${p.name} ${p.code}` }))]} />
        <Typography.Text type="secondary">
          {projectId ? <L zh="标“项目覆盖”的格子是本项目自己的标准，其余沿用公司默认" en="Marked cells are this project's own; the rest follow the company" />
            : <L zh="公司默认适用于没有覆盖的项目" en="Defaults apply to projects without an override" />}
        </Typography.Text>
      </Space>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      <FormError error={removal.error} testId="sla-remove-error" />
      {!q.data && q.loading ? <Loading /> : rows.length === 0 && !q.error ? (
        <Nothing zh="还没有时效标准" en="No SLA policies yet" />
      ) : (
        <Table<Cell> size="small" pagination={false} rowKey={(c) => `${c.kind}:${c.severity}`} dataSource={rows} data-testid="sla-matrix"
                     loading={q.loading} onRow={(c) => ({ "data-cell": `${c.kind}:${c.severity}`, "data-overridden": c.overridden } as object)}
                     columns={[
                       { title: t("类型", "Kind"), key: "kind", render: (_, c) => label(KINDS, c.kind),
                         onCell: (c) => ({ rowSpan: SEVERITIES[0].value === c.severity ? SEVERITIES.length : 0 }) },
                       { title: t("级别", "Severity"), key: "severity", render: (_, c) => label(SEVERITIES, c.severity) },
                       { title: t("计时", "Clock"), key: "clock", render: (_, c) => label(CLOCKS, c.clock) },
                       ...TARGETS.map((x) => ({ title: t(x.zh, x.en), key: x.field, render: (_: unknown, c: Cell) => minutesLabel(c[x.field]) })),
                       { title: t("来源", "Source"), key: "source", render: (_, c) => (c.overridden
                         ? <Tag color="blue" data-testid="overridden"><L zh="项目覆盖" en="Override" /></Tag>
                         : <Typography.Text type="secondary">{t("公司默认", "Default")}</Typography.Text>) },
                       { title: t("更新", "Updated"), key: "updated", render: (_, c) => (
                         <span data-testid="sla-updated">{new Date(c.updatedAt).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" })}
                           <span className="fc-beside"> · {c.updater.displayName}</span></span>) },
                       ...(editable ? [{ title: t("操作", "Actions"), key: "act", render: (_: unknown, c: Cell) => (
                         <Space size="small">
                           <a onClick={() => setEditing(c)} data-testid="sla-edit">{projectId && !c.overridden ? t("覆盖", "Override") : t("修改", "Edit")}</a>
                           {projectId && c.overridden && (
                             <Popconfirm title={t("恢复为公司默认？", "Back to the company default?")} okText={t("恢复", "Restore")}
                                         cancelText={t("取消", "Cancel")} onConfirm={() => restore(c)}>
                               <a data-testid="sla-restore">{t("恢复默认", "Restore default")}</a>
                             </Popconfirm>
                           )}
                         </Space>) }] : []),
                     ]} />
      )}
      {editing && <SlaEditDrawer cell={editing} projectId={projectId} onClose={() => setEditing(null)}
                                 onSaved={() => { setEditing(null); void q.refetch(); }} />}
    </div>
  );
}

type Values = Pick<Cell, "clock" | "commitMinutes" | "arriveMinutes" | "resolveMinutes" | "visitMinutes">;

function SlaEditDrawer({ cell, projectId, onClose, onSaved }: { cell: Cell; projectId: string; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const submit = useAction("setSlaPolicy", async (key, input: SlaPolicyInput) => {
    check((await request(SetSlaPolicyDoc, { input, key })).setSlaPolicy);
  });
  const values = Form.useWatch([], form) as Values | undefined;
  const kind = KINDS.find((k) => k.value === cell.kind);
  const severity = SEVERITIES.find((s) => s.value === cell.severity);

  async function save() {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const ok = await submit.run({ projectId: projectId || null, kind: cell.kind, severity: cell.severity, ...v });
    if (ok) onSaved();
  }

  return (
    <Drawer open width={420} onClose={onClose} destroyOnHidden data-testid="sla-drawer"
            title={<span>{projectId ? t("项目时效", "Project SLA") : t("公司默认时效", "Company default SLA")} · {kind?.zh}·{severity?.zh}</span>}
            footer={<Space><Button type="primary" loading={submit.busy} onClick={() => void save()} data-testid="sla-save">
              <L zh="保存" en="Save" /> (Ctrl+Enter)</Button><Button onClick={onClose}><L zh="取消" en="Cancel" /></Button></Space>}>
      <div onKeyDown={formKeys(() => void save(), onClose)}>
        <Form<Values> form={form} layout="vertical" disabled={submit.busy} initialValues={cell}>
          <Form.Item name="clock" label={t("计时方式", "Clock")} rules={[{ required: true }]}>
            <Select aria-label={t("计时方式", "Clock")} options={CLOCKS.map((c) => ({ value: c.value, label: `${c.zh} ${c.en}` }))} />
          </Form.Item>
          {TARGETS.map((x) => (
            <Form.Item key={x.field} name={x.field} label={`${t(x.zh + "时限", x.en)}（${t("分钟", "minutes")}）`} rules={[{ required: true }]}
                       extra={values?.[x.field] ? minutesLabel(values[x.field]) : null}>
              <InputNumber min={1} precision={0} style={{ width: "100%" }} aria-label={t(x.zh + "时限", x.en)} />
            </Form.Item>
          ))}
        </Form>
        <FormError error={submit.error} />
      </div>
    </Drawer>
  );
}
