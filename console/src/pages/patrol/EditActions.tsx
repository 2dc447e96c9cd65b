// The patrol:manage changes of /patrols after the fact: 修改 a route, point or plan (a dialog with
// what it holds now), 停用/启用 each of them (switching off asks first: a plan or route switched off
// cancels its runs not started), and 取消 a run with its reason.
import { Button, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Select, Typography, type ButtonProps } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState, type ReactNode } from "react";
import { check, request } from "../../api/client";
import type { PatrolCadence, PatrolKind, PatrolRoutesQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, checkInto, submitForm, useAction } from "../../ui/action";
import { CADENCES, KINDS } from "./RouteForms";
import {
  CancelPatrolRunDoc, SetPatrolPlanActiveDoc, SetPatrolPointActiveDoc, SetPatrolRouteActiveDoc, UpdatePatrolPlanDoc, UpdatePatrolPointDoc,
  UpdatePatrolRouteDoc,
} from "./queries";

type Route = PatrolRoutesQuery["patrolRoutes"][number];
type Point = Route["points"][number];
type Plan = Route["plans"][number];
type Kind = "route" | "point" | "plan";
const OFF_WARNING: Record<Kind, [string, string]> = {
  route: ["停用后不再生成巡查任务，未开始的任务将被取消。继续？", "No more runs; runs not started are cancelled. Go on?"],
  point: ["停用后该点不计入未开始的任务、不再打印，其二维码不能打卡。继续？", "Left out of runs not started and off the sheet; its code takes no visits. Go on?"],
  plan: ["停用后不再生成巡查任务，未开始的任务将被取消。继续？", "No more runs; runs not started are cancelled. Go on?"],
};

async function setActive(kind: Kind, id: string, active: boolean, key: string): Promise<void> {
  if (kind === "route") check((await request(SetPatrolRouteActiveDoc, { routeId: id, active, key })).setPatrolRouteActive);
  else if (kind === "point") check((await request(SetPatrolPointActiveDoc, { pointId: id, active, key })).setPatrolPointActive);
  else check((await request(SetPatrolPlanActiveDoc, { planId: id, active, key })).setPatrolPlanActive);
}

/** 停用 (asked first) or 启用 a route, point or plan; the API's refusal shows beside it. */
export function ActiveSwitch({ kind, id, active, onDone }: { kind: Kind; id: string; active: boolean; onDone: () => void }) {
  const t = useT();
  const toggle = useAction(`setPatrol-${kind}-active`, async (key, on: boolean) => { await setActive(kind, id, on, key); onDone(); });
  const [zh, en] = OFF_WARNING[kind];
  return (
    <span>
      {active ? (
        <Popconfirm title={t(zh, en)} okText={t("停用", "Switch off")} cancelText={t("取消", "Cancel")} onConfirm={() => void toggle.run(false)}>
          <Button size="small" type="link" danger loading={toggle.busy} data-testid={`patrols-${kind}-off`}>{t("停用", "Switch off")}</Button>
        </Popconfirm>
      ) : (
        <Button size="small" type="link" loading={toggle.busy} onClick={() => void toggle.run(true)} data-testid={`patrols-${kind}-on`}>{t("启用", "Switch on")}</Button>
      )}
      {toggle.error && <Typography.Text type="danger" role="alert">{toggle.error.message}</Typography.Text>}
    </span>
  );
}

/** A link that opens a dialog holding a form; the dialog closes when onOk's action went through. */
function EditDialog({ label, title, testId, busy, onOk, children, okText, danger }: {
  label: string; title: ReactNode; testId: string; busy: boolean; onOk: () => Promise<boolean>; children: ReactNode; okText?: string; danger?: boolean;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" type="link" danger={danger} onClick={() => setOpen(true)} data-testid={testId}>{label}</Button>
      <Modal open={open} title={title} okText={okText ?? t("保存", "Save")} cancelText={t("返回", "Back")} confirmLoading={busy} destroyOnHidden
             okButtonProps={{ danger, "data-testid": `${testId}-ok` } as ButtonProps}
             onCancel={() => setOpen(false)} onOk={() => void onOk().then((done) => { if (done) setOpen(false); })}>
        <div data-testid={`${testId}-dialog`}>{children}</div>
      </Modal>
    </>
  );
}

export function EditRoute({ route, onDone }: { route: Route; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; kind: PatrolKind }>();
  const save = useAction("updatePatrolRoute", async (key, v: { name: string; kind: PatrolKind }) => {
    checkInto(form, (await request(UpdatePatrolRouteDoc, { input: { routeId: route.id, name: v.name, kind: v.kind }, key })).updatePatrolRoute);
    onDone();
  });
  return (
    <EditDialog label={t("修改", "Edit")} title={<L zh="修改巡查路线" en="Edit route" />} testId="patrols-route-edit" busy={save.busy}
                onOk={() => submitForm(form, save)}>
      <Form form={form} name="patrolRouteEdit" layout="vertical" initialValues={{ name: route.name, kind: route.kind }}>
        <Form.Item name="name" label={t("路线名称", "Name")} rules={[{ required: true, message: t("请输入路线名称", "Name the route") }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="kind" label={t("类型", "Kind")}><Select options={KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} /></Form.Item>
      </Form>
      <FormError error={save.error} />
    </EditDialog>
  );
}

interface PointValues { name: string; place?: string; checks?: string }

export function EditPoint({ point, onDone }: { point: Point; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<PointValues>();
  const save = useAction("updatePatrolPoint", async (key, v: PointValues) => {
    const checks = (v.checks ?? "").split(/[,，、;；\n]/).map((c) => c.trim()).filter(Boolean);
    checkInto(form, (await request(UpdatePatrolPointDoc, { input: { pointId: point.id, name: v.name, place: v.place ?? "", checks }, key })).updatePatrolPoint);
    onDone();
  });
  return (
    <EditDialog label={t("修改", "Edit")} title={<L zh="修改巡查点（二维码不变）" en="Edit point (its QR code stays)" />} testId="patrols-point-edit"
                busy={save.busy} onOk={() => submitForm(form, save)}>
      <Form form={form} name="patrolPointEdit" layout="vertical" initialValues={{ name: point.name, place: point.place, checks: point.checks.join("、") }}>
        <Form.Item name="name" label={t("巡查点名称", "Name")} rules={[{ required: true, message: t("请输入巡查点名称", "Name the point") }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="place" label={t("位置", "Place")}><Input maxLength={200} /></Form.Item>
        <Form.Item name="checks" label={t("检查项，用顿号分隔", "Checks, comma-separated")}><Input.TextArea autoSize /></Form.Item>
      </Form>
      <FormError error={save.error} />
    </EditDialog>
  );
}

interface PlanValues {
  who: string; cadence: PatrolCadence; weekdays?: number[]; monthDays?: number[]; start: string; minutes: number; startsOn: Dayjs; endsOn?: Dayjs | null;
}

export function EditPlan({ plan, members, departments, onDone }: {
  plan: Plan; members: { id: string; displayName: string; username: string }[]; departments: { id: string; name: string }[]; onDone: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<PlanValues>();
  const cadence = Form.useWatch("cadence", form);
  const save = useAction("updatePatrolPlan", async (key, v: PlanValues) => {
    const [kind, id] = v.who.split(":");
    checkInto(form, (await request(UpdatePatrolPlanDoc, {
      key,
      input: {
        planId: plan.id, assigneeId: kind === "user" ? id : null, departmentId: kind === "dept" ? id : null, cadence: v.cadence,
        weekdays: v.weekdays ?? null, monthDays: v.monthDays ?? null, windowStart: `${v.start}:00`, windowMinutes: v.minutes,
        startsOn: v.startsOn.format("YYYY-MM-DD"), endsOn: v.endsOn ? v.endsOn.format("YYYY-MM-DD") : null,
      },
    })).updatePatrolPlan);
    onDone();
  });
  const who = plan.assignee ? `user:${plan.assignee.id}` : `dept:${plan.departmentId ?? ""}`;
  return (
    <EditDialog label={t("修改", "Edit")}
                title={<L zh="修改巡查计划（未到时段的任务按新计划生成；新起止日期之外未开始的任务将取消，进行中和已完成的不变）"
                          en="Edit plan (runs to come are remade; runs not started outside the new dates are cancelled, those under way or done stay)" />}
                testId="patrols-plan-edit" busy={save.busy} onOk={() => submitForm(form, save)}>
      <Form form={form} name="patrolPlanEdit" layout="vertical" initialValues={{ who, cadence: plan.cadence, weekdays: plan.weekdays, monthDays: plan.monthDays,
                                                          start: plan.windowStart.slice(0, 5), minutes: plan.windowMinutes,
                                                          startsOn: dayjs(plan.startsOn), endsOn: plan.endsOn ? dayjs(plan.endsOn) : null }}>
        <Form.Item name="who" label={t("巡查人或部门", "Walker or department")} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: "label" }}
                  options={[...members.map((m) => ({ value: `user:${m.id}`, label: `${m.displayName} (${m.username})` })),
                            ...departments.map((d) => ({ value: `dept:${d.id}`, label: `${t("部门", "Department")}：${d.name}` }))]} />
        </Form.Item>
        <Form.Item name="cadence" label={t("频次", "Cadence")}><Select options={CADENCES.map((c) => ({ value: c.value, label: t(c.zh, c.en) }))} /></Form.Item>
        {cadence === "WEEKLY" && (
          <Form.Item name="weekdays" label={t("星期", "Weekdays")} rules={[{ required: true, message: t("选择星期", "Choose days") }]}>
            <Select mode="multiple" options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`周${"一二三四五六日"[d - 1]}`, dayjs().day(d % 7).format("ddd")) }))} />
          </Form.Item>
        )}
        {cadence === "MONTHLY" && (
          <Form.Item name="monthDays" label={t("每月几号", "Days of the month")} rules={[{ required: true, message: t("选择日期", "Choose days") }]}>
            <Select mode="multiple" options={Array.from({ length: 31 }, (_, i) => ({ value: i + 1, label: `${i + 1}` }))} />
          </Form.Item>
        )}
        <Form.Item name="start" label={t("开始时间", "Window opens")}
                   rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: t("时间如 09:00", "A time like 09:00") }]}>
          <Input placeholder="09:00" />
        </Form.Item>
        <Form.Item name="minutes" label={t("时长（分钟）", "Minutes")} rules={[{ required: true }]}>
          <InputNumber min={10} max={1440} />
        </Form.Item>
        <Form.Item name="startsOn" label={t("开始日期", "First day")} rules={[{ required: true, message: t("请选择开始日期", "Choose the first day") }]}>
          <DatePicker allowClear={false} aria-label={t("开始日期", "First day")} data-testid="patrols-plan-starts" />
        </Form.Item>
        <Form.Item name="endsOn" label={t("结束日期（不填为长期）", "Last day (empty: no end)")} dependencies={["startsOn"]}
                   rules={[({ getFieldValue }) => ({
                     validator: (_, end: Dayjs | null | undefined) => {
                       const start: Dayjs | undefined = getFieldValue("startsOn");
                       return !end || !start || !end.isBefore(start, "day") ? Promise.resolve()
                         : Promise.reject(new Error(t("结束日期不能早于开始日期", "The last day cannot be before the first")));
                     },
                   })]}>
          <DatePicker aria-label={t("结束日期", "Last day")} data-testid="patrols-plan-ends" />
        </Form.Item>
      </Form>
      <FormError error={save.error} />
    </EditDialog>
  );
}

export function CancelRun({ runId, onDone }: { runId: string; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const cancel = useAction("cancelPatrolRun", async (key, v: { reason: string }) => {
    checkInto(form, (await request(CancelPatrolRunDoc, { runId, reason: v.reason, key })).cancelPatrolRun);
    onDone();
  });
  return (
    <EditDialog label={t("取消", "Cancel")} title={<L zh="取消巡查任务（不计漏巡，不再升级）" en="Cancel the run (never missed, never escalates)" />}
                testId="patrols-run-cancel" busy={cancel.busy} onOk={() => submitForm(form, cancel)} okText={t("取消任务", "Cancel the run")} danger>
      <Form form={form} name="patrolRunCancel" layout="vertical">
        <Form.Item name="reason" label={t("取消原因", "Reason")} rules={[{ required: true, whitespace: true, message: t("请填写取消原因", "Give the reason") }]}>
          <Input.TextArea maxLength={200} autoSize />
        </Form.Item>
      </Form>
      <FormError error={cancel.error} />
    </EditDialog>
  );
}
