// 员工 A project's staff: phones masked; 显示号码 asks the API for the full number (audited there)
// and shows it in place until the page is left. New staff members from a drawer; 导出员工 the
// project's staff as the archive template's 员工 sheet.
import { Button, Form, Input, Select, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { AdminStaffQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, submitForm, useAction } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { FormDrawer } from "../../ui/FormDrawer";
import { ExportButton } from "../archive/Exports";
import { CreateStaffDoc, RevealPhoneDoc, StaffDoc } from "./queries";

type Staff = NonNullable<AdminStaffQuery["project"]>["staff"][number];
interface Project { id: string; name: string; code: string; departments: { id: string; name: string }[] }
interface StaffValues { name: string; title?: string; phone?: string; departmentId?: string }

export function StaffPanel({ projects }: { projects: Project[] }) {
  const t = useT();
  const { viewer } = useAuth();
  const [projectId, setProjectId] = useState<string | null>(null);
  const current = projects.find((p) => p.id === projectId) ?? projects[0];
  const staff = useQuery(StaffDoc, { projectId: current?.id ?? "" }, !current);
  const [shown, setShown] = useState<Record<string, string>>({});
  const [adding, setAdding] = useState(false);
  const reveal = useAction("revealStaffPhone", async (_key, staffId: string) => {
    const value = check((await request(RevealPhoneDoc, { staffId })).revealStaffPhone).value;
    setShown((s) => ({ ...s, [staffId]: value ?? "—" }));
  });
  const mayReveal = can(viewer, "PERSONAL_DATA_READ", current?.id);

  const columns: ColumnsType<Staff> = [
    { title: <L zh="姓名" en="Name" />, dataIndex: "name", width: 120 },
    { title: <L zh="部门" en="Department" />, dataIndex: "departmentName", width: 120, render: (d: string | null) => d ?? "—" },
    { title: <L zh="职务" en="Title" />, dataIndex: "title", width: 120 },
    {
      title: <L zh="电话" en="Phone" />, key: "phone",
      render: (_, s) => s.phoneMasked ? (
        <Space>
          <span className="fc-num" data-testid="staff-phone">{shown[s.id] ?? s.phoneMasked}</span>
          {mayReveal && !shown[s.id] && (
            <Button size="small" type="link" onClick={() => void reveal.run(s.id)} data-testid="reveal-phone">
              <L zh="显示号码" en="Reveal" />
            </Button>
          )}
        </Space>
      ) : "—",
    },
  ];

  return (
    <div style={{ marginTop: 24 }}>
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Title level={5} style={{ margin: 0 }}><L zh="员工" en="Staff" /></Typography.Title>
        <Select style={{ minWidth: 180 }} value={current?.id} aria-label={t("项目", "Project")}
                options={projects.map((p) => ({ value: p.id, label: p.name }))} onChange={(v: string) => setProjectId(v)} />
        {can(viewer, "STAFF_MANAGE", current?.id) && current && (
          <Button onClick={() => setAdding(true)} data-testid="new-staff"><L zh="新增员工" en="New staff member" /></Button>
        )}
        {current && can(viewer, "STAFF_READ", current.id) && <ExportButton kind="staff" project={current} />}
        <Typography.Text type="secondary"><L zh="显示完整号码会记入审计日志。" en="Revealing a full number is recorded in the audit log." /></Typography.Text>
      </Space>
      <ErrorBanner error={staff.error} onRetry={() => void staff.refetch()} />
      <FormError error={reveal.error} />
      {!current ? <Nothing zh="没有可查看的项目。" en="No project to show." />
        : staff.loading && !staff.data ? <Loading rows={3} />
        : (staff.data?.project?.staff.length ?? 0) === 0 ? <Nothing zh="该项目还没有员工，点击“新增员工”。" en="No staff here yet: add one." />
        : <Table<Staff> rowKey="id" size="small" columns={columns} dataSource={staff.data?.project?.staff ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }} />}
      {adding && current && <StaffDrawer project={current} onClose={() => setAdding(false)} onDone={() => void staff.refetch()} />}
    </div>
  );
}

function StaffDrawer({ project, onClose, onDone }: { project: Project; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<StaffValues>();
  const create = useAction("createStaff", async (key, v: StaffValues) => {
    check((await request(CreateStaffDoc, {
      input: { name: v.name, title: v.title ?? "", phone: v.phone || null, projectId: project.id, departmentId: v.departmentId ?? null },
      key,
    })).createStaff);
  });
  const submit = async () => {
    if (await submitForm(form, create)) {
      onDone();
      onClose();
    }
  };
  return (
    <FormDrawer open title={<span><L zh="新增员工" en="New staff member" /> · {project.name}</span>} busy={create.busy}
                error={create.error} onSubmit={() => void submit()} onClose={onClose} testId="staff-drawer">
      <Form form={form} name="staff" layout="vertical" disabled={create.busy}>
        <Form.Item name="name" label={t("姓名", "Name")} rules={[{ required: true }]}><Input autoFocus /></Form.Item>
        <Form.Item name="departmentId" label={t("部门", "Department")}>
          <Select allowClear options={project.departments.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="title" label={t("职务", "Title")}><Input /></Form.Item>
        <Form.Item name="phone" label={t("电话", "Phone")}><Input inputMode="tel" /></Form.Item>
      </Form>
    </FormDrawer>
  );
}
