// Headquarters' changes to a sweep (sweep:manage): 修改 while open — title, reason and due time, and
// the checklist while a draft (fixed once launched) — and 结束 with a note: a draft withdrawn, or a
// sweep under way ended (parts not submitted take no more results and stop escalating).
import { Button, DatePicker, Form, Input, Modal, Select, Space } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { request } from "../../api/client";
import type { HazardCategory, SweepRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, checkInto, submitForm, useAction } from "../../ui/action";
import { FormDrawer } from "../../ui/FormDrawer";
import { CATEGORIES, CloseSweepDoc, UpdateSweepDoc } from "./queries";

interface EditValues { title: string; reason: string; dueAt: Dayjs; items?: string; category?: HazardCategory }

function EditSweep({ sweep, onClose }: { sweep: SweepRowFragment; onClose: (changed?: SweepRowFragment) => void }) {
  const t = useT();
  const draft = sweep.state === "DRAFT";
  const [form] = Form.useForm<EditValues>();
  const save = useAction("updateSweep", async (key, v: EditValues) => {
    const lines = (v.items ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
    const p = checkInto(form, (await request(UpdateSweepDoc, {
      key,
      input: {
        sweepId: sweep.id, title: v.title.trim(), reason: (v.reason ?? "").trim(), dueAt: v.dueAt.toISOString(),
        checklist: draft ? lines.map((text, i) => ({ code: `C${String(i + 1).padStart(2, "0")}`, text, category: v.category ?? "OTHER" })) : null,
      },
    })).updateSweep);
    onClose(p.sweep ?? undefined);
  });
  const first = sweep.checklist[0]?.category.toUpperCase() as HazardCategory | undefined;
  return (
    <FormDrawer open title={<L zh="修改排查行动" en="Edit sweep" />} busy={save.busy} error={save.error}
                onSubmit={() => void submitForm(form, save)} onClose={() => onClose()} testId="sweep-edit">
      <Form<EditValues> form={form} name="sweepEdit" layout="vertical" disabled={save.busy}
                        initialValues={{ title: sweep.title, reason: sweep.reason, dueAt: dayjs(sweep.dueAt), category: first ?? "FIRE",
                                         items: sweep.checklist.map((i) => i.text).join("\n") }}>
        <Form.Item name="title" label={t("排查主题", "Title")} rules={[{ required: true, whitespace: true, message: t("请填写主题", "Give a title") }, { max: 100 }]}>
          <Input maxLength={100} data-testid="sweep-edit-title" />
        </Form.Item>
        <Form.Item name="reason" label={t("排查原因", "Reason")} rules={[{ max: 2000 }]}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        {draft && (<>
          <Form.Item name="category" label={t("检查类别", "Category looked for")} rules={[{ required: true }]}>
            <Select options={CATEGORIES.map((c) => ({ value: c.value, label: t(c.zh, c.en) }))} />
          </Form.Item>
          <Form.Item name="items" label={t("检查清单（每行一项，最多 100 项；下发后不能修改）", "Checklist (one item per line, up to 100; fixed once launched)")}
                     rules={[{ required: true, whitespace: true, message: t("请至少写一项", "Write at least one item") }]}>
            <Input.TextArea rows={5} />
          </Form.Item>
        </>)}
        <Form.Item name="dueAt" label={draft ? t("截止时间（90 天内）", "Due (within 90 days)")
                                            : t("截止时间（未提交的项目按新时间提醒和升级）", "Due (parts not submitted are reminded and escalated by it)")}
                   rules={[{ required: true }]}>
          <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" allowClear={false}
                      disabledDate={(d) => d.isBefore(dayjs(), "day") || d.isAfter(dayjs().add(90, "day"))} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

function CloseSweep({ sweep, onClose }: { sweep: SweepRowFragment; onClose: (changed?: SweepRowFragment) => void }) {
  const t = useT();
  const [form] = Form.useForm<{ note: string }>();
  const close = useAction("closeSweep", async (key, v: { note: string }) => {
    const p = checkInto(form, (await request(CloseSweepDoc, { sweepId: sweep.id, note: (v.note ?? "").trim(), key })).closeSweep);
    onClose(p.sweep ?? undefined);
  });
  return (
    <Modal open title={sweep.state === "DRAFT" ? t("撤销草稿", "Withdraw the draft") : t("结束排查行动", "Close the sweep")}
           okText={t("结束", "Close")} cancelText={t("返回", "Back")} okButtonProps={{ danger: true }} confirmLoading={close.busy}
           onCancel={() => onClose()} onOk={() => void submitForm(form, close)}>
      <div data-testid="sweep-close-dialog">
        <p>{sweep.state === "DRAFT" ? t("草稿将不再下发。", "The draft will never be launched.")
          : t("未提交的项目不能再登记，也不再提醒和升级；已登记的隐患留在台账中。", "Parts not submitted take no more results and stop escalating; hazards found stay on the register.")}</p>
        <Form form={form} name="sweepClose" layout="vertical">
          <Form.Item name="note" label={t("结束说明（可不填）", "Note (optional)")} rules={[{ max: 500 }]}>
            <Input.TextArea rows={2} maxLength={500} data-testid="sweep-close-note" />
          </Form.Item>
        </Form>
        <FormError error={close.error} />
      </div>
    </Modal>
  );
}

/** 修改 and 结束 beside an open sweep's title. */
export function SweepActions({ sweep, onChanged }: { sweep: SweepRowFragment; onChanged: (s: SweepRowFragment) => void }) {
  const t = useT();
  const [open, setOpen] = useState<"edit" | "close" | null>(null);
  const done = (s?: SweepRowFragment) => { setOpen(null); if (s) onChanged(s); };
  if (sweep.state === "CLOSED") return null;
  return (
    <Space style={{ marginBottom: 12 }}>
      <Button onClick={() => setOpen("edit")} data-testid="sweep-edit-open">{t("修改", "Edit")}</Button>
      <Button danger onClick={() => setOpen("close")} data-testid="sweep-close-open">{sweep.state === "DRAFT" ? t("撤销", "Withdraw") : t("结束排查", "Close")}</Button>
      {open === "edit" && <EditSweep sweep={sweep} onClose={done} />}
      {open === "close" && <CloseSweep sweep={sweep} onClose={done} />}
    </Space>
  );
}
