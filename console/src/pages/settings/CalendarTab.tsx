// 日历: the company's holidays (放假) and make-up working days (调休上班) of a year — what the
// working-hours and working-days clocks skip or count. sla:manage company-wide adds and removes days.
import { Button, DatePicker, Form, Input, InputNumber, Popconfirm, Radio, Space, Table, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { useAuth } from "../../auth";
import type { CalendarDaysQuery, RemoveCalendarDayMutationVariables, SetCalendarDayMutationVariables } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys } from "../../ui/keys";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { CalendarDaysDoc, RemoveCalendarDayDoc, SetCalendarDayDoc } from "./queries";
import { holdsCompanyWide } from "./shared";
import { FormError, useAction } from "../../ui/action";
import { YearView } from "./YearView";

type Day = CalendarDaysQuery["calendarDays"][number];
interface Values { day: Dayjs; working: boolean; name: string }

const WEEKDAYS = ["日", "一", "二", "三", "四", "五", "六"];

export function CalendarTab({ year, setYear, onChanged }: { year: number; setYear: (y: number) => void; onChanged: () => void }) {
  const { viewer } = useAuth();
  const t = useT();
  const q = useQuery(CalendarDaysDoc, { year });
  const editable = holdsCompanyWide(viewer, "SLA_MANAGE");
  const [form] = Form.useForm<Values>();
  const adding = useAction("setCalendarDay", async (key, input: Omit<SetCalendarDayMutationVariables, "key">) => {
    check((await request(SetCalendarDayDoc, { ...input, key })).setCalendarDay);
  });
  const removing = useAction("removeCalendarDay", async (key, input: Omit<RemoveCalendarDayMutationVariables, "key">) => {
    check((await request(RemoveCalendarDayDoc, { ...input, key })).removeCalendarDay);
  });
  const days = q.data?.calendarDays ?? [];

  async function add() {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const day = v.day.format("YYYY-MM-DD");
    const ok = await adding.run({ day, working: v.working, name: v.name.trim() });
    if (ok) {
      form.resetFields(["day", "name"]);
      if (v.day.year() !== year) setYear(v.day.year());
      else await q.refetch();
      onChanged();
    }
  }

  async function remove(d: Day) {
    const ok = await removing.run({ day: d.day });
    if (ok) {
      await q.refetch();
      onChanged();
    }
  }

  return (
    <div data-testid="calendar-tab" style={{ maxWidth: 1000 }}>
      <Space style={{ marginBottom: 12 }}>
        <Button onClick={() => setYear(year - 1)} aria-label={t("上一年", "Previous year")}>‹</Button>
        <InputNumber value={year} min={2000} max={2100} precision={0} onChange={(v) => v && setYear(v)} aria-label={t("年份", "Year")} />
        <Button onClick={() => setYear(year + 1)} aria-label={t("下一年", "Next year")}>›</Button>
        <Typography.Text type="secondary">
          <L zh={`${days.filter((d) => !d.working).length} 天放假 · ${days.filter((d) => d.working).length} 天调休上班`}
             en={`${days.filter((d) => !d.working).length} holidays · ${days.filter((d) => d.working).length} make-up days`} />
        </Typography.Text>
      </Space>
      {!editable && (
        <Typography.Paragraph type="secondary" data-testid="read-only">
          <L zh="只读：节假日全公司通用，修改需要公司级的时效设置权限" en="Read only: the company's calendar needs sla:manage company-wide" />
        </Typography.Paragraph>
      )}
      {editable && (
        <div onKeyDown={formKeys(() => void add(), () => undefined)} style={{ marginBottom: 12 }}>
          <Form<Values> form={form} layout="inline" disabled={adding.busy} initialValues={{ working: false }}>
            <Form.Item name="day" label={t("日期", "Day")} rules={[{ required: true, message: t("请选择日期", "Pick a day") }]}>
              <DatePicker aria-label={t("日期", "Day")} format="YYYY-MM-DD" defaultPickerValue={dayjs(`${year}-01-01`)} />
            </Form.Item>
            <Form.Item name="working" label={t("类型", "Type")}>
              <Radio.Group options={[{ value: false, label: t("放假", "Holiday") }, { value: true, label: t("调休上班", "Make-up working day") }]} />
            </Form.Item>
            <Form.Item name="name" label={t("名称", "Name")} rules={[{ required: true, whitespace: true, message: t("请填写名称，如 春节", "Name it, e.g. Spring Festival") }]}>
              <Input aria-label={t("名称", "Name")} placeholder={t("如 春节", "e.g. Spring Festival")} maxLength={50} style={{ width: 160 }} />
            </Form.Item>
            <Button type="primary" onClick={() => void add()} loading={adding.busy} data-testid="calendar-add"><L zh="添加" en="Add" /></Button>
          </Form>
          <FormError error={adding.error} />
        </div>
      )}
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      <FormError error={removing.error} testId="calendar-remove-error" />
      {q.data && <YearView year={year} days={days} onPick={editable ? (d) => form.setFieldValue("day", dayjs(d)) : undefined} />}
      {!q.data && q.loading ? <Loading /> : days.length === 0 && !q.error ? (
        <Nothing zh={`${year} 年还没有录入节假日`} en={`No holidays entered for ${year}`}
                 action={editable ? <Typography.Text type="secondary">{t("在上方添加放假日和调休上班日", "Add holidays and make-up days above")}</Typography.Text> : null} />
      ) : (
        <Table<Day> size="small" pagination={false} rowKey="day" dataSource={days} data-testid="calendar-days" loading={q.loading}
                    onRow={(d) => ({ "data-day": d.day } as object)}
                    columns={[
                      { title: t("日期", "Day"), dataIndex: "day", render: (d: string) => `${d} 周${WEEKDAYS[dayjs(d).day()]}` },
                      { title: t("类型", "Type"), key: "working", render: (_, d) => (d.working
                        ? <Tag color="orange"><L zh="调休上班" en="Make-up day" /></Tag> : <Tag color="green"><L zh="放假" en="Holiday" /></Tag>) },
                      { title: t("名称", "Name"), dataIndex: "name" },
                      ...(editable ? [{ title: t("操作", "Actions"), key: "act", render: (_: unknown, d: Day) => (
                        <Popconfirm title={t(`删除 ${d.day}？`, `Remove ${d.day}?`)} okText={t("删除", "Remove")} cancelText={t("取消", "Cancel")}
                                    onConfirm={() => remove(d)}>
                          <a data-testid="calendar-remove">{t("删除", "Remove")}</a>
                        </Popconfirm>) }] : []),
                    ]} />
      )}
    </div>
  );
}
