// 催缴设置 (fee:manage): the project's quiet hours (Beijing; a window may cross midnight) and the cap
// of automatic reminders per flat and month (1–10), then the schedules — who is reminded (days
// overdue, least amount, items), how often, told through which bridges (the company's webhook
// channels of this project or company-wide subscribed to fee.reminders, listed by reminderChannels with
// fee:manage alone) and whether in the owner app.
import { Button, Card, Checkbox, Drawer, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, TimePicker, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { FeeScheduleFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { checkInto, FormError, submitForm, useAction } from "../../ui/action";
import { ErrorBanner, Loading } from "../../ui/states";
import { toFen, yuan } from "./money";
import { ChargeItemsDoc } from "./queries";
import { CreateReminderScheduleDoc, FeeChannelsDoc, FeeReminderSettingsDoc, SetFeeSettingsDoc, UpdateReminderScheduleDoc } from "./reminderQueries";

const TOPIC = "fee.reminders";
const hm = (time: string) => dayjs(`2000-01-01T${time}`);

function Settings({ projectId, value, onSaved }: {
  projectId: string; value: { quietFrom: string; quietUntil: string; reminderCapPerMonth: number }; onSaved: () => void;
}) {
  const [form] = Form.useForm<{ quietFrom: Dayjs; quietUntil: Dayjs; cap: number }>();
  useEffect(() => form.setFieldsValue({ quietFrom: hm(value.quietFrom), quietUntil: hm(value.quietUntil), cap: value.reminderCapPerMonth }), [form, value]);
  const save = useAction("setFeeSettings", async (key, v: { quietFrom: Dayjs; quietUntil: Dayjs; cap: number }) => {
    checkInto(form, (await request(SetFeeSettingsDoc, { projectId, key, quietFrom: v.quietFrom.format("HH:mm:00"),
      quietUntil: v.quietUntil.format("HH:mm:00"), cap: v.cap })).setFeeSettings);
    onSaved();
  });
  return (
    <Card size="small" title={<L zh="免打扰与上限" en="Quiet hours and cap" />} data-testid="fee-settings">
      <Form form={form} layout="inline" disabled={save.busy}>
        <Form.Item name="quietFrom" label={<L zh="免打扰从" en="Quiet from" />} rules={[{ required: true }]}>
          <TimePicker format="HH:mm" minuteStep={5} allowClear={false} needConfirm={false} data-testid="quiet-from" />
        </Form.Item>
        <Form.Item name="quietUntil" label={<L zh="至" en="until" />} rules={[{ required: true }]}>
          <TimePicker format="HH:mm" minuteStep={5} allowClear={false} needConfirm={false} data-testid="quiet-until" />
        </Form.Item>
        <Form.Item name="cap" label={<L zh="每户每月最多" en="Per flat a month" />} rules={[{ required: true }]}>
          <InputNumber min={1} max={10} style={{ width: 64 }} data-testid="reminder-cap" />
        </Form.Item>
        <Button type="primary" loading={save.busy} onClick={() => void submitForm(form, save)} data-testid="fee-settings-save">
          <L zh="保存" en="Save" /></Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ margin: "8px 0 0" }}>
        <L zh="北京时间；免打扰时段可跨零点（如 21:00 至 08:30），期间到期的催缴在时段结束后发送。上限只计自动催缴，人工记录不计。"
           en="Beijing time; the window may cross midnight (21:00 to 08:30); what falls due in it is sent after. The cap counts automatic reminders only." />
      </Typography.Paragraph>
      <FormError error={save.error} />
    </Card>
  );
}

interface ScheduleForm { name: string; minOverdueDays: number; minYuan: string; everyDays: number; chargeItemIds: string[]; channelIds: string[]; toApp: boolean; active: boolean }

function ScheduleDrawer({ projectId, schedule, onClose, onSaved }: {
  projectId: string; schedule: FeeScheduleFragment | null; onClose: () => void; onSaved: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<ScheduleForm>();
  const items = useQuery(ChargeItemsDoc, { projectId });
  // reminderChannels needs fee:manage only: the project's and the company's webhooks subscribed to the topic.
  const channels = useQuery(FeeChannelsDoc, { projectId });
  const usable = channels.data?.reminderChannels ?? [];
  const save = useAction("saveReminderSchedule", async (key, v: ScheduleForm) => {
    const input = { name: v.name.trim(), minOverdueDays: v.minOverdueDays, minAmount: toFen(v.minYuan || "0") ?? 0, everyDays: v.everyDays,
      chargeItemIds: v.chargeItemIds, channelIds: v.channelIds, toApp: v.toApp, active: v.active };
    if (schedule) checkInto(form, (await request(UpdateReminderScheduleDoc, { id: schedule.id, input, key })).updateReminderSchedule);
    else checkInto(form, (await request(CreateReminderScheduleDoc, { projectId, input, key })).createReminderSchedule);
    onSaved();
    onClose();
  });
  const initial: ScheduleForm = schedule ? {
    name: schedule.name, minOverdueDays: schedule.minOverdueDays, minYuan: yuan(schedule.minAmount).replace(/,/g, ""), everyDays: schedule.everyDays,
    chargeItemIds: schedule.chargeItemIds ?? [], channelIds: schedule.channelIds, toApp: schedule.toApp, active: schedule.active,
  } : { name: "", minOverdueDays: 30, minYuan: "0", everyDays: 7, chargeItemIds: [], channelIds: [], toApp: true, active: true };
  const required = { required: true, message: t("必填", "Required") };
  return (
    <Drawer open width={480} onClose={onClose} destroyOnHidden data-testid="schedule-drawer"
            title={schedule ? <span><L zh="修改催缴计划" en="Edit schedule" /> · {schedule.name}</span> : <L zh="新建催缴计划" en="New schedule" />}
            extra={<Button type="primary" loading={save.busy} onClick={() => void submitForm(form, save)} data-testid="schedule-save">
              <L zh="保存" en="Save" /></Button>}>
      <Form form={form} layout="vertical" initialValues={initial} disabled={save.busy}>
        <Form.Item name="name" label={<L zh="名称" en="Name" />} rules={[required]}><Input maxLength={60} placeholder={t("如 逾期一个月提醒", "e.g. a month overdue")} /></Form.Item>
        <Space wrap>
          <Form.Item name="minOverdueDays" label={<L zh="逾期天数≥" en="Days overdue ≥" />} rules={[required]}><InputNumber min={1} max={3650} /></Form.Item>
          <Form.Item name="minYuan" label={<L zh="逾期金额≥（元）" en="Overdue ≥ (yuan)" />}
                     rules={[{ validator: async (_, v: string) => { if (v && toFen(v) === null) throw new Error(t("金额格式不正确", "Not an amount")); } }]}>
            <Input style={{ width: 110 }} /></Form.Item>
          <Form.Item name="everyDays" label={<L zh="间隔天数" en="Every (days)" />} rules={[required]}><InputNumber min={1} max={365} /></Form.Item>
        </Space>
        <Form.Item name="chargeItemIds" label={<L zh="收费项目（不选即全部）" en="Items (none: all)" />}>
          <Select mode="multiple" allowClear options={(items.data?.chargeItems ?? []).map((i) => ({ value: i.id, label: i.name }))} />
        </Form.Item>
        <Form.Item name="channelIds" label={<L zh="通知渠道" en="Channels" />}
                   extra={channels.error ? t("无法列出催缴渠道：可只在业主 App 中提醒。", "Channels cannot be listed: remind in the owner app.")
                     : t(`本项目或全公司的 Webhook 渠道，需订阅 ${TOPIC}；在 设置 → 通知渠道 中添加。`,
                         `Webhook channels of this project or the company subscribed to ${TOPIC}; added in Settings → Channels.`)}>
          <Select mode="multiple" allowClear data-testid="schedule-channels" disabled={!!channels.error} notFoundContent={t("没有可用的 Webhook 渠道", "No webhook channel")}
                  options={usable.map((c) => ({ value: c.id, label: `${c.name}${c.active ? "" : t("（停用）", " (off)")}` }))} />
        </Form.Item>
        <Form.Item name="toApp" valuePropName="checked"><Checkbox><L zh="同时在业主 App 中提醒" en="Also in the owner app" /></Checkbox></Form.Item>
        <Form.Item name="active" label={<L zh="启用" en="Active" />} valuePropName="checked"><Switch /></Form.Item>
      </Form>
      <FormError error={save.error} />
    </Drawer>
  );
}

export function ReminderSettingsTab({ projectId }: { projectId: string }) {
  const t = useT();
  const q = useQuery(FeeReminderSettingsDoc, { projectId });
  const items = useQuery(ChargeItemsDoc, { projectId });
  const channels = useQuery(FeeChannelsDoc, { projectId });
  const [editing, setEditing] = useState<FeeScheduleFragment | "new" | null>(null);
  const name = (list: { id: string; name: string }[] | undefined, id: string) => list?.find((x) => x.id === id)?.name ?? t("渠道", "channel");
  if (q.loading && !q.data) return <Loading />;
  return (
    <div data-testid="fee-reminder-settings">
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.data && <Settings projectId={projectId} value={q.data.feeSettings} onSaved={() => void q.refetch()} />}
      <Card size="small" style={{ marginTop: 12 }} title={<L zh="催缴计划" en="Reminder schedules" />}
            extra={<Button size="small" type="primary" onClick={() => setEditing("new")} data-testid="schedule-new"><L zh="新建计划" en="New schedule" /></Button>}>
        <Table<FeeScheduleFragment> size="small" rowKey="id" pagination={false} dataSource={q.data?.reminderSchedules ?? []} data-testid="schedules"
                                    locale={{ emptyText: t("还没有催缴计划：不会自动催缴", "No schedule: nothing is sent automatically") }} columns={[
          { title: <L zh="名称" en="Name" />, dataIndex: "name" },
          { title: <L zh="条件" en="Who" />, key: "who", render: (_, s) => t(`逾期≥${s.minOverdueDays}天，≥${yuan(s.minAmount)}元`, `≥${s.minOverdueDays} d, ≥¥${yuan(s.minAmount)}`) },
          { title: <L zh="间隔" en="Every" />, key: "e", width: 80, render: (_, s) => t(`${s.everyDays} 天`, `${s.everyDays} d`) },
          { title: <L zh="项目" en="Items" />, key: "i", render: (_, s) => s.chargeItemIds?.length
            ? s.chargeItemIds.map((id) => name(items.data?.chargeItems, id)).join("、") : t("全部", "All") },
          { title: <L zh="渠道" en="Channels" />, key: "c", render: (_, s) => [
            ...s.channelIds.map((id) => name(channels.data?.reminderChannels, id)), ...(s.toApp ? [t("业主App", "Owner app")] : [])].join("、") || "—" },
          { title: <L zh="状态" en="State" />, key: "a", width: 70, render: (_, s) => <Tag color={s.active ? "green" : undefined}>{s.active ? t("启用", "Active") : t("停用", "Off")}</Tag> },
          { title: "", key: "edit", width: 70, render: (_, s) => <Button size="small" onClick={() => setEditing(s)} data-testid="schedule-edit"><L zh="修改" en="Edit" /></Button> },
        ]} />
      </Card>
      {editing && <ScheduleDrawer projectId={projectId} schedule={editing === "new" ? null : editing} onClose={() => setEditing(null)}
                                  onSaved={() => void q.refetch()} />}
    </div>
  );
}
