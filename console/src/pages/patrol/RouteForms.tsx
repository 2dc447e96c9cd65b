// The patrol:manage forms of /patrols: a new route, a point at the end of a route, a plan of who
// walks a route when. Editing and switching off are in EditActions.tsx.
import { Button, Form, Input, InputNumber, Select, Space } from "antd";
import dayjs from "dayjs";
import { request } from "../../api/client";
import type { PatrolCadence, PatrolKind } from "../../gql/graphql";
import { useT } from "../../i18n";
import { FormError, checkInto, submitForm, useAction } from "../../ui/action";
import { AddPatrolPointDoc, CreatePatrolPlanDoc, CreatePatrolRouteDoc, beijingDay } from "./queries";

export const KINDS: { value: PatrolKind; zh: string; en: string }[] = [
  { value: "SAFETY", zh: "安全巡查", en: "Safety" },
  { value: "ENGINEERING", zh: "工程巡检", en: "Engineering" },
  { value: "CLEANING", zh: "环境巡查", en: "Cleaning" },
  { value: "GREENING", zh: "绿化巡查", en: "Greening" },
  { value: "VISIT", zh: "巡访", en: "Visit" },
];
export const CADENCES: { value: PatrolCadence; zh: string; en: string }[] = [
  { value: "DAILY", zh: "每天", en: "Daily" },
  { value: "WEEKLY", zh: "每周", en: "Weekly" },
  { value: "MONTHLY", zh: "每月", en: "Monthly" },
];

export function NewRouteForm({ projectId, onCreated }: { projectId: string; onCreated: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; kind: PatrolKind }>();
  const create = useAction("createPatrolRoute", async (key, v: { name: string; kind: PatrolKind }) => {
    checkInto(form, (await request(CreatePatrolRouteDoc, { projectId, name: v.name, kind: v.kind, key })).createPatrolRoute);
    form.resetFields();
    onCreated();
  });
  return (
    <Form form={form} layout="inline" initialValues={{ kind: "SAFETY" }} data-testid="patrols-new-route">
      <Form.Item name="name" rules={[{ required: true, message: t("请输入路线名称", "Name the route") }]}>
        <Input placeholder={t("新路线名称", "New route's name")} aria-label={t("路线名称", "Route name")} maxLength={100} />
      </Form.Item>
      <Form.Item name="kind"><Select style={{ width: 120 }} aria-label={t("类型", "Kind")} options={KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} /></Form.Item>
      <Button onClick={() => void submitForm(form, create)} loading={create.busy}>{t("新建路线", "Add route")}</Button>
      <FormError error={create.error} />
    </Form>
  );
}

export function AddPointForm({ routeId, onAdded }: { routeId: string; onAdded: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; place?: string; checks?: string }>();
  const add = useAction("addPatrolPoint", async (key, v: { name: string; place?: string; checks?: string }) => {
    const checks = (v.checks ?? "").split(/[,，、;；\n]/).map((c) => c.trim()).filter(Boolean);
    checkInto(form, (await request(AddPatrolPointDoc, { input: { routeId, name: v.name, place: v.place ?? "", checks }, key })).addPatrolPoint);
    form.resetFields();
    onAdded();
  });
  return (
    <Form form={form} layout="inline" style={{ margin: "8px 0" }} data-testid="patrols-add-point">
      <Form.Item name="name" rules={[{ required: true, message: t("请输入巡查点名称", "Name the point") }]}>
        <Input placeholder={t("巡查点", "Point")} aria-label={t("巡查点名称", "Point name")} maxLength={100} style={{ width: 140 }} />
      </Form.Item>
      <Form.Item name="place"><Input placeholder={t("位置", "Place")} aria-label={t("位置", "Place")} maxLength={200} style={{ width: 140 }} /></Form.Item>
      <Form.Item name="checks"><Input placeholder={t("检查项，用顿号分隔", "Checks, comma-separated")} aria-label={t("检查项", "Checks")} style={{ width: 180 }} /></Form.Item>
      <Button onClick={() => void submitForm(form, add)} loading={add.busy}>{t("添加巡查点", "Add point")}</Button>
      <FormError error={add.error} />
    </Form>
  );
}

interface PlanValues { routeId: string; assigneeId: string; cadence: PatrolCadence; weekdays?: number[]; monthDays?: number[]; start: string; minutes: number }

export function NewPlanForm({ routes, members, onCreated }: {
  routes: { id: string; name: string }[]; members: { id: string; displayName: string; username: string }[]; onCreated: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<PlanValues>();
  const cadence = Form.useWatch("cadence", form);
  const create = useAction("createPatrolPlan", async (key, v: PlanValues) => {
    checkInto(form, (await request(CreatePatrolPlanDoc, {
      key,
      input: {
        routeId: v.routeId, assigneeId: v.assigneeId, cadence: v.cadence, weekdays: v.weekdays ?? null, monthDays: v.monthDays ?? null,
        windowStart: `${v.start}:00`, windowMinutes: v.minutes, startsOn: beijingDay(),
      },
    })).createPatrolPlan);
    form.resetFields();
    onCreated();
  });
  return (
    <Form form={form} layout="inline" initialValues={{ cadence: "DAILY", start: "09:00", minutes: 120, routeId: routes[0]?.id }} data-testid="patrols-new-plan">
      <Form.Item name="routeId" rules={[{ required: true }]}>
        <Select style={{ width: 140 }} aria-label={t("路线", "Route")} options={routes.map((r) => ({ value: r.id, label: r.name }))} />
      </Form.Item>
      <Form.Item name="assigneeId" rules={[{ required: true, message: t("请选择巡查人", "Choose who walks it") }]}>
        <Select style={{ width: 140 }} showSearch={{ optionFilterProp: "label" }} placeholder={t("巡查人", "Walker")} aria-label={t("巡查人", "Walker")}
                options={members.map((m) => ({ value: m.id, label: `${m.displayName} (${m.username})` }))} />
      </Form.Item>
      <Form.Item name="cadence"><Select style={{ width: 90 }} aria-label={t("频次", "Cadence")} options={CADENCES.map((c) => ({ value: c.value, label: t(c.zh, c.en) }))} /></Form.Item>
      {cadence === "WEEKLY" && (
        <Form.Item name="weekdays" rules={[{ required: true, message: t("选择星期", "Choose days") }]}>
          <Select mode="multiple" style={{ minWidth: 140 }} aria-label={t("星期", "Weekdays")}
                  options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`周${"一二三四五六日"[d - 1]}`, dayjs().day(d % 7).format("ddd")) }))} />
        </Form.Item>
      )}
      {cadence === "MONTHLY" && (
        <Form.Item name="monthDays" rules={[{ required: true, message: t("选择日期", "Choose days") }]}>
          <Select mode="multiple" style={{ minWidth: 140 }} aria-label={t("每月几号", "Days of the month")}
                  options={Array.from({ length: 31 }, (_, i) => ({ value: i + 1, label: `${i + 1}` }))} />
        </Form.Item>
      )}
      <Form.Item name="start" rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: t("时间如 09:00", "A time like 09:00") }]}>
        <Input style={{ width: 80 }} aria-label={t("开始时间", "Window opens")} placeholder="09:00" />
      </Form.Item>
      <Form.Item name="minutes" rules={[{ required: true }]}>
        <InputNumber min={10} max={1440} style={{ width: 110 }} aria-label={t("时长（分钟）", "Minutes")} suffix={t("分钟", "min")} />
      </Form.Item>
      <Space><Button onClick={() => void submitForm(form, create)} loading={create.busy}>{t("新建计划", "Add plan")}</Button></Space>
      <FormError error={create.error} />
    </Form>
  );
}
