// 催缴 on one arrears row (fee:collect): 记录催缴 — a reminder a person made (电话, 上门, 书面) with a
// note, a record in the flat's history that counts toward no cap; 暂停催缴 — the automatic reminders
// paused until a day, with the reason (协商中); 恢复催缴 ends the pause now. One menu per row, so the
// arrears list keeps its columns in view. The API checks again.
import { DownOutlined } from "@ant-design/icons";
import { Alert, App, Button, DatePicker, Dropdown, Input, Modal, Segmented, Space, Table, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { FeeHoldFieldsFragment, ReminderWay } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ErrorBanner } from "../../ui/states";
import { yuan } from "./money";
import { FeeRemindersDoc, HoldFeeRemindersDoc, RecordFeeReminderDoc, ReleaseFeeHoldDoc } from "./reminderQueries";

export const WAYS: { value: ReminderWay; zh: string; en: string }[] = [
  { value: "PHONE", zh: "电话", en: "Phone" }, { value: "VISIT", zh: "上门", en: "Visit" }, { value: "LETTER", zh: "书面", en: "Letter" },
];

export interface Flat { unitId: string; label: string }

/** The row's 催缴 cell: the last reminder and an open hold, in words. */
export function ReminderState({ last, hold }: { last: { wayLabel: string; sentOn: string } | null | undefined; hold: FeeHoldFieldsFragment | null | undefined }) {
  const t = useT();
  return (
    <span data-testid="arrears-reminder-state">
      {last ? <span className="fc-num">{last.wayLabel} {last.sentOn}</span> : <Typography.Text type="secondary">{t("未催缴", "None yet")}</Typography.Text>}
      {hold && <div><Tag color="orange" title={hold.reason}>{t(`暂停至 ${hold.until}`, `Held to ${hold.until}`)}</Tag></div>}
    </span>
  );
}

/** The row's 催缴 menu: 记录催缴, then 暂停催缴 or, for a held flat, 恢复催缴 (asked to confirm). */
export function RemindMenu({ flat, held, onOpen, onDone }: {
  flat: Flat; held: boolean; onOpen: (mode: "record" | "hold") => void; onDone: () => void;
}) {
  const t = useT();
  const { message, modal } = App.useApp();
  const release = useAction("releaseFeeHold", async (key) => {
    check((await request(ReleaseFeeHoldDoc, { unitId: flat.unitId, key })).releaseFeeHold);
    onDone();
  });
  const resume = () => modal.confirm({
    title: t(`恢复 ${flat.label} 的自动催缴？`, `Resume automatic reminders of ${flat.label}?`),
    okText: t("恢复催缴", "Resume"), cancelText: t("取消", "Cancel"), okButtonProps: { "data-testid": "arrears-release-confirm" },
    onOk: async () => {
      if (!(await release.run())) void message.error(t("恢复催缴未成功，请重试", "Not resumed: try again"));
    },
  });
  const items = [
    { key: "record", label: <span data-testid="arrears-remind"><L zh="记录催缴" en="Record a reminder" /></span> },
    held ? { key: "release", label: <span data-testid="arrears-release"><L zh="恢复催缴" en="Resume reminders" /></span> }
      : { key: "hold", label: <span data-testid="arrears-hold"><L zh="暂停催缴" en="Hold reminders" /></span> },
  ];
  return (
    <Dropdown trigger={["click"]} menu={{ items, onClick: ({ key }) => (key === "release" ? resume() : onOpen(key as "record" | "hold")) }}>
      <Button size="small" loading={release.busy} data-testid="arrears-remind-menu"><L zh="催缴" en="Remind" /> <DownOutlined /></Button>
    </Dropdown>
  );
}

/** The dialog of one flat: what to record (a reminder or a hold) and the flat's recent reminders. */
export function ReminderDialog({ flat, mode, onClose, onDone }: { flat: Flat; mode: "record" | "hold"; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const history = useQuery(FeeRemindersDoc, { unitId: flat.unitId });
  const [way, setWay] = useState<ReminderWay>("PHONE");
  const [note, setNote] = useState("");
  const [until, setUntil] = useState<Dayjs>(dayjs().add(1, "month"));
  const [reason, setReason] = useState("");
  const record = useAction("recordFeeReminder", async (key, w: ReminderWay, n: string) => {
    check((await request(RecordFeeReminderDoc, { unitId: flat.unitId, way: w, note: n, key })).recordFeeReminder);
    onDone();
    onClose();
  });
  const hold = useAction("holdFeeReminders", async (key, u: string, r: string) => {
    check((await request(HoldFeeRemindersDoc, { unitId: flat.unitId, until: u, reason: r, key })).holdFeeReminders);
    onDone();
    onClose();
  });
  const busy = record.busy || hold.busy;
  const ok = mode === "record" ? () => void record.run(way, note.trim())
    : () => void hold.run(until.format("YYYY-MM-DD"), reason.trim());
  return (
    <Modal open destroyOnHidden onCancel={onClose} width={620} data-testid="reminder-dialog"
           title={<span>{mode === "record" ? <L zh="记录催缴" en="Record a reminder" /> : <L zh="暂停催缴" en="Hold reminders" />} · {flat.label}</span>}
           okText={mode === "record" ? <L zh="记录" en="Record" /> : <L zh="暂停" en="Hold" />} cancelText={<L zh="取消" en="Cancel" />}
           okButtonProps={{ loading: busy, disabled: mode === "hold" && !reason.trim(), "data-testid": "reminder-save" }}
           onOk={ok}>
      {mode === "record" ? (
        <Space direction="vertical" style={{ width: "100%" }}>
          <Segmented value={way} onChange={(v) => setWay(v as ReminderWay)} data-testid="reminder-way"
                     options={WAYS.map((w) => ({ value: w.value, label: t(w.zh, w.en) }))} />
          <Input.TextArea rows={2} maxLength={500} showCount value={note} onChange={(e) => setNote(e.target.value)}
                          aria-label={t("备注", "Note")} placeholder={t("如 业主答应月底前缴清", "e.g. will pay by the month's end")} />
          <Typography.Text type="secondary">
            <L zh="人工催缴只作记录，不计入每月自动催缴上限。" en="A person's reminder is a record: it counts toward no monthly cap." />
          </Typography.Text>
        </Space>
      ) : (
        <Space direction="vertical" style={{ width: "100%" }}>
          <Space wrap>
            <span style={{ display: "inline-block", width: 96 }}><L zh="暂停至" en="Until" /></span>
            <DatePicker value={until} allowClear={false} onChange={(d) => d && setUntil(d)} aria-label={t("暂停至", "Hold until")}
                        disabledDate={(d) => d.isBefore(dayjs(), "day") || d.isAfter(dayjs().add(1, "year"))} />
          </Space>
          <Space>
            <span style={{ display: "inline-block", width: 96 }}><L zh="原因" en="Reason" /></span>
            <Input style={{ width: 420 }} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t("暂停原因", "Reason")}
                   placeholder={t("必填，如 协商中、诉讼中", "Required, e.g. negotiating")} />
          </Space>
          <Typography.Text type="secondary">
            <L zh="暂停期间不发送自动催缴；最长一年。" en="No automatic reminder is sent while held; a year at most." />
          </Typography.Text>
        </Space>
      )}
      <FormError error={record.error ?? hold.error} testId="reminder-error" />
      <Typography.Title level={5} style={{ marginTop: 16 }}><L zh="最近催缴" en="Recent reminders" /></Typography.Title>
      <ErrorBanner error={history.error} onRetry={() => void history.refetch()} />
      {history.data && history.data.feeReminders.length === 0 ? <Alert type="info" message={t("还没有催缴记录", "No reminder yet")} /> : (
        <Table size="small" rowKey="id" pagination={false} loading={history.loading} dataSource={history.data?.feeReminders ?? []}
               data-testid="reminder-history" columns={[
          { title: <L zh="日期" en="Day" />, dataIndex: "sentOn", width: 100, render: (d: string) => <span className="fc-num">{d}</span> },
          { title: <L zh="方式" en="Way" />, key: "w", width: 110, render: (_, r) => r.scheduleName ? `${r.wayLabel} · ${r.scheduleName}` : r.wayLabel },
          { title: <L zh="当日逾期" en="Overdue then" />, key: "o", width: 100, align: "right", render: (_, r) => <span className="fc-num">{yuan(r.overdue)}</span> },
          { title: <L zh="备注" en="Note" />, dataIndex: "note" },
        ]} />
      )}
    </Modal>
  );
}
