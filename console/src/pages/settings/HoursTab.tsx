// 工作时间: the hours a project's working-hours SLA clocks count each working day (Beijing time).
// project:update on the project changes them.
import { Button, Form, Select, Space, Table, TimePicker, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { check, request } from "../../api/client";
import { can, useAuth } from "../../auth";
import type { SetProjectWorkingHoursMutationVariables } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys } from "../../ui/keys";
import { Nothing } from "../../ui/states";
import { SetWorkingHoursDoc } from "./queries";
import type { ProjectRow } from "./SettingsPage";
import { FormError, useAction } from "../../ui/action";

interface Values { opens: Dayjs; closes: Dayjs }

const hm = (time: string) => time.slice(0, 5);
const asTime = (time: string) => dayjs(`2000-01-01T${time}`);

export function HoursTab({ projects, onChanged }: { projects: ProjectRow[]; onChanged: () => void }) {
  const { viewer } = useAuth();
  const t = useT();
  const editableProjects = projects.filter((p) => can(viewer, "PROJECT_UPDATE", p.id));
  const [projectId, setProjectId] = useState(editableProjects[0]?.id ?? "");
  const project = projects.find((p) => p.id === projectId);
  const [form] = Form.useForm<Values>();
  const submit = useAction("setProjectWorkingHours", async (key, i: Omit<SetProjectWorkingHoursMutationVariables, "key">) => {
    check((await request(SetWorkingHoursDoc, { ...i, key })).setProjectWorkingHours);
  });

  useEffect(() => {
    if (project) form.setFieldsValue({ opens: asTime(project.workOpens), closes: asTime(project.workCloses) });
  }, [project, form]);

  async function save() {
    const v = await form.validateFields().catch(() => null);
    if (!v || !project) return;
    const input = { projectId: project.id, opens: v.opens.format("HH:mm:00"), closes: v.closes.format("HH:mm:00") };
    const ok = await submit.run(input);
    if (ok) onChanged();
  }

  if (!projects.length) return <Nothing zh="还没有项目" en="No projects yet" />;
  return (
    <div data-testid="hours-tab" style={{ maxWidth: 760 }}>
      {editableProjects.length > 0 && (
        <div onKeyDown={formKeys(() => void save(), () => undefined)} style={{ marginBottom: 16 }}>
          <Space style={{ marginBottom: 8 }}>
            <span><L zh="项目" en="Project" /></span>
            <Select style={{ minWidth: 220 }} value={projectId} onChange={(v) => { setProjectId(v); submit.clear(); }} aria-label={t("项目", "Project")}
                    data-testid="hours-project" options={editableProjects.map((p) => ({ value: p.id, label: `${p.name} ${p.code}` }))} />
          </Space>
          <Form<Values> form={form} layout="inline" disabled={submit.busy}>
            <Form.Item name="opens" label={t("上班", "Opens")} rules={[{ required: true }]}>
              <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} allowClear={false} aria-label={t("上班", "Opens")} />
            </Form.Item>
            <Form.Item name="closes" label={t("下班", "Closes")} rules={[{ required: true }]}>
              <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} allowClear={false} aria-label={t("下班", "Closes")} />
            </Form.Item>
            <Button type="primary" loading={submit.busy} onClick={() => void save()} data-testid="hours-save"><L zh="保存" en="Save" /></Button>
          </Form>
          <FormError error={submit.error} />
        </div>
      )}
      <Typography.Paragraph type="secondary">
        <L zh="按“工作时间”计时的时限只在工作日的这段时间内计算（北京时间）。" en="Working-hours clocks count only these hours of working days (Beijing time)." />
      </Typography.Paragraph>
      <Table<ProjectRow> size="small" pagination={false} rowKey="id" dataSource={projects} data-testid="hours-table"
                         onRow={(p) => ({ "data-project": p.code } as object)}
                         columns={[
                           { title: t("项目", "Project"), key: "name", render: (_, p) => `${p.name} ${p.code}` },
                           { title: t("工作时间", "Working hours"), key: "hours", render: (_, p) => `${hm(p.workOpens)}–${hm(p.workCloses)}` },
                         ]} />
    </div>
  );
}
