// 人员考核 People's figures (docs/centre-day.md §7): a project and a Beijing month (both in the URL);
// per person (peopleFigures) and per department (departmentFigures) the cases taken, handled,
// resolved, visited, with the four rates, the praise (表扬) and the return visits received after a
// complaint (员工回访, with those disputed and coached); the month's 人员与成本 (projectCosts: headcount, costs,
// 户均成本, 人均服务户数) and, for kpi:staffing holders on the project, their entry (setProjectStaffing).
import { Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import dayjs from "dayjs";
import { useMemo } from "react";
import { useSearchParams } from "react-router-dom";
import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { PeopleFiguresQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ProjectSelect } from "../../ui/ProjectPicker";
import { FormError, checkInto, submitForm, useAction } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { toFen, yuan } from "../fees/money";
import { PeopleFiguresDoc, PeopleProjectsDoc, SetProjectStaffingDoc } from "./queries";

type Person = PeopleFiguresQuery["peopleFigures"][number];
type Department = PeopleFiguresQuery["departmentFigures"][number];
type Costs = PeopleFiguresQuery["projectCosts"];
type Figures = Omit<Person, "user" | "__typename">;

const pct = (r: number | null | undefined) => (r === null || r === undefined ? "—" : `${(r * 100).toFixed(1)}%`);

function figureColumns<T extends Figures>(): ColumnsType<T> {
  const n = (zh: string, en: string, key: keyof Figures, width = 64) => ({
    title: <L zh={zh} en={en} />, key: String(key), width, align: "right" as const,
    sorter: (a: T, b: T) => Number(a[key] ?? -1) - Number(b[key] ?? -1),
    render: (_: unknown, r: T) => <span className="fc-num">{String(key).endsWith("Rate") ? pct(r[key] as number | null) : String(r[key])}</span>,
  });
  return [
    n("首问", "First", "firstReceived"), n("接访", "Desk", "takenAtReception"), n("处理", "Handled", "handled"),
    n("办结", "Resolved", "resolved"), n("按时办结", "On time", "resolvedOnTime", 80), n("回访", "Visited", "visited"),
    n("失约", "Broken", "brokenPromises"), n("返工", "Rework", "rework"), n("回访次数", "Visits made", "visitsDone", 80),
    n("表扬", "Praise", "praise"), n("员工回访", "Staff visits", "staffVisits", 80),
    n("有异议", "Disputed", "staffVisitsDisputed", 72), n("已辅导", "Coached", "staffVisitsCoached", 72),
    n("解决率", "Resolution", "resolutionRate", 84), n("按时办结率", "On-time", "onTimeRate", 90),
    n("满意率", "Satisfaction", "satisfactionRate", 90), n("返工率", "Rework rate", "reworkRate", 84),
  ];
}

interface StaffValues { headcount: number; labour: string; other: string }

function StaffingForm({ projectId, month, costs, onSaved }: { projectId: string; month: string; costs: Costs; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<StaffValues>();
  const save = useAction("setProjectStaffing", async (key, v: StaffValues) => {
    checkInto(form, (await request(SetProjectStaffingDoc, {
      projectId, month, headcount: v.headcount, labourCostFen: toFen(v.labour) ?? 0, otherCostFen: toFen(v.other) ?? 0, key,
    })).setProjectStaffing);
    onSaved();
  });
  const amount = { validator: async (_: unknown, v?: string) => { if (toFen(v ?? "") === null) throw new Error(t("请输入金额（元，最多两位小数）", "An amount in yuan, up to two decimals")); } };
  return (
    <Form form={form} layout="inline" disabled={save.busy} data-testid="staffing-form" style={{ rowGap: 8 }}
          initialValues={{ headcount: costs.headcount ?? undefined,
                           labour: costs.labourCostFen !== null && costs.labourCostFen !== undefined ? yuan(costs.labourCostFen).replace(/,/g, "") : "",
                           other: costs.otherCostFen !== null && costs.otherCostFen !== undefined ? yuan(costs.otherCostFen).replace(/,/g, "") : "" }}>
      <Form.Item name="headcount" label={t("人数", "Headcount")} rules={[{ required: true, message: t("请输入人数", "Enter the headcount") }]}>
        <InputNumber min={0} precision={0} style={{ width: 90 }} data-testid="staffing-headcount" />
      </Form.Item>
      <Form.Item name="labour" label={t("人工成本（元）", "Labour (¥)")} rules={[amount]}>
        <Input style={{ width: 130 }} data-testid="staffing-labour" />
      </Form.Item>
      <Form.Item name="other" label={t("其他成本（元）", "Other (¥)")} rules={[amount]}>
        <Input style={{ width: 130 }} data-testid="staffing-other" />
      </Form.Item>
      <Button type="primary" loading={save.busy} onClick={() => void submitForm(form, save)} data-testid="staffing-save"><L zh="保存" en="Save" /></Button>
      <FormError error={save.error} />
    </Form>
  );
}

export default function PeoplePage() {
  const t = useT();
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const projects = useQuery(PeopleProjectsDoc, {});
  const list = useMemo(() => projects.data?.projects.edges.map((e) => e.node) ?? [], [projects.data]);
  const projectId = params.get("project") ?? list[0]?.id ?? null;
  const monthText = /^\d{4}-\d{2}$/.test(params.get("month") ?? "") ? params.get("month")! : dayjs().format("YYYY-MM");
  const month = `${monthText}-01`;
  const q = useQuery(PeopleFiguresDoc, { projectId: projectId ?? "", month }, !projectId);
  const set = (changes: Record<string, string | null>) => setParams((p) => {
    Object.entries(changes).forEach(([k, v]) => (v === null ? p.delete(k) : p.set(k, v)));
    return p;
  }, { replace: true });
  const people: ColumnsType<Person> = [
    { title: <L zh="人员" en="Person" />, key: "user", width: 120, fixed: "left", ellipsis: true,
      render: (_, r) => <span data-testid="people-name">{r.user?.displayName ?? t("接口调用", "API key")}</span> },
    ...figureColumns<Person>(),
  ];
  const departments: ColumnsType<Department> = [
    { title: <L zh="部门" en="Department" />, dataIndex: "departmentName", width: 120, fixed: "left", ellipsis: true },
    { title: <L zh="人数" en="People" />, dataIndex: "people", width: 60, align: "right" },
    ...figureColumns<Department>(),
  ];
  const costs = q.data?.projectCosts;
  return (
    <div data-testid="people-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}><L zh="人员考核" en="People's figures" /></Typography.Title>
        <ProjectSelect projects={list} value={projectId} testId="people-project" loading={projects.loading} style={{ minWidth: 200 }}
                       onChange={(v: string) => set({ project: v })} />
        <DatePicker picker="month" allowClear={false} value={dayjs(month)} aria-label={t("月份", "Month")} data-testid="people-month"
                    disabledDate={(d) => d.isAfter(dayjs(), "month")} onChange={(d) => d && set({ month: d.format("YYYY-MM") })} />
      </Space>
      <ErrorBanner error={projects.error ?? q.error} onRetry={() => void q.refetch()} />
      {!projectId ? (projects.data && <Nothing zh="没有可查看的项目。" en="No project to show." />) : q.loading && !q.data ? <Loading /> : q.data && (
        <>
          <Typography.Title level={5}><L zh="个人考核" en="Per person" /></Typography.Title>
          <Table<Person> size="small" rowKey={(r) => r.user?.id ?? "api"} columns={people} dataSource={q.data.peopleFigures} pagination={false}
                         scroll={{ x: 1500 }} data-testid="people-figures"
                         locale={{ emptyText: t("本月没有受理的工单。", "No case received this month.") }} />
          <Typography.Title level={5} style={{ marginTop: 16 }}><L zh="部门考核" en="Per department" /></Typography.Title>
          <Table<Department> size="small" rowKey="departmentId" columns={departments} dataSource={q.data.departmentFigures} pagination={false}
                             scroll={{ x: 1560 }} data-testid="department-figures"
                             locale={{ emptyText: t("本月没有部门数据。", "No department figures this month.") }} />
          {costs && (
            <Card size="small" style={{ marginTop: 16 }} data-testid="project-costs"
                  title={<L zh={`人员与成本 · ${monthText}`} en={`Staffing and costs · ${monthText}`} />}>
              <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} items={[
                { key: "hh", label: t("户数", "Households"), children: <span className="fc-num">{costs.households}</span> },
                { key: "hc", label: t("人数", "Headcount"), children: <span className="fc-num" data-testid="costs-headcount">{costs.headcount ?? "—"}</span> },
                { key: "lab", label: t("人工成本", "Labour"), children: <span className="fc-num">{costs.labourCostFen === null || costs.labourCostFen === undefined ? "—" : `¥${yuan(costs.labourCostFen)}`}</span> },
                { key: "oth", label: t("其他成本", "Other"), children: <span className="fc-num">{costs.otherCostFen === null || costs.otherCostFen === undefined ? "—" : `¥${yuan(costs.otherCostFen)}`}</span> },
                { key: "cph", label: t("户均成本（元/户·月）", "Cost per household (¥/month)"),
                  children: <span className="fc-num" data-testid="costs-per-household">{costs.costPerHouseholdFen === null || costs.costPerHouseholdFen === undefined ? "—" : (costs.costPerHouseholdFen / 100).toFixed(2)}</span> },
                { key: "hph", label: t("人均服务户数", "Households per head"),
                  children: <span className="fc-num">{costs.householdsPerHead === null || costs.householdsPerHead === undefined ? "—" : costs.householdsPerHead.toFixed(1)}</span> },
              ]} />
              {costs.enteredAt && <Typography.Text type="secondary" data-testid="costs-entered">
                {t(`已录入 ${dayjs(costs.enteredAt).format("YYYY-MM-DD HH:mm")}`, `Entered ${dayjs(costs.enteredAt).format("YYYY-MM-DD HH:mm")}`)}</Typography.Text>}
              {can(viewer, "KPI_STAFFING", projectId) && (
                <div style={{ marginTop: 12 }}>
                  <StaffingForm key={`${projectId}:${month}:${costs.enteredAt ?? ""}`} projectId={projectId} month={month} costs={costs}
                                onSaved={() => void q.refetch()} />
                </div>)}
            </Card>)}
        </>
      )}
    </div>
  );
}
