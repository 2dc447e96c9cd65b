// PIPL on the resident's page. 导出个人信息 (personal_data:read): a reason picked, then the workbook
// of everything on file about them, fetched with the session's token and saved (the API records
// who, when and why). 删除个人信息 (personal_data:erase): a reason and the resident's name typed to
// confirm — nothing else stands between the click and an erasure that cannot be undone.
import { Button, Form, Input, Popover, Radio, Typography } from "antd";
import { useState } from "react";
import { check, request } from "../../api/client";
import { download } from "../../api/documents";
import { L, useT } from "../../i18n";
import { FormError, submitForm, useAction } from "../../ui/action";
import { FormDrawer } from "../../ui/FormDrawer";
import { EraseResidentDoc } from "./queries";

const EXPORT_REASONS = [
  { zh: "住户本人申请查阅", en: "The resident asked to see it" },
  { zh: "住户申请复制", en: "The resident asked for a copy" },
  { zh: "住户申请转移", en: "The resident asked to move it" },
];
const ERASE_REASONS = [
  { zh: "住户本人申请删除", en: "The resident asked for erasure" },
  { zh: "已迁出，不再需要保存", en: "Moved out, no longer needed" },
  { zh: "住户撤回同意", en: "The resident withdrew consent" },
];
const OTHER = "其他";

function ReasonPicker({ reasons, value, onChange, other, onOther, testId }:
  { reasons: typeof EXPORT_REASONS; value: string; onChange: (v: string) => void; other: string; onOther: (v: string) => void; testId: string }) {
  const t = useT();
  return (
    <div data-testid={testId}>
      <Radio.Group value={value} onChange={(e) => onChange(e.target.value as string)} style={{ display: "flex", flexDirection: "column", gap: 4 }}>
        {reasons.map((r) => <Radio key={r.zh} value={r.zh}><L zh={r.zh} en={r.en} /></Radio>)}
        <Radio value={OTHER}><L zh="其他…" en="Other…" /></Radio>
      </Radio.Group>
      {value === OTHER && <Input autoFocus style={{ marginTop: 6 }} maxLength={200} value={other} onChange={(e) => onOther(e.target.value)}
                                 placeholder={t("请写明原因", "Say why")} aria-label={t("其他原因", "Other reason")} />}
    </div>
  );
}

export function ExportPersonalData({ residentId, name }: { residentId: string; name: string }) {
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState(EXPORT_REASONS[0].zh);
  const [other, setOther] = useState("");
  const reason = picked === OTHER ? other.trim() : picked;
  const run = useAction("exportPersonalData", async (_key, why: string) => {
    const day = new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    await download(`/export/residents/${encodeURIComponent(residentId)}/personal-data.xlsx?reason=${encodeURIComponent(why)}`,
                   `个人信息-${name}-${day}.xlsx`);
    setOpen(false);
  });
  return (
    <Popover open={open} onOpenChange={(o) => { setOpen(o); if (!o) run.clear(); }} trigger="click" placement="bottomRight"
             title={<L zh="导出原因（记入查看记录）" en="Why (recorded)" />}
             content={
               <div style={{ width: 300 }}>
                 <ReasonPicker reasons={EXPORT_REASONS} value={picked} onChange={setPicked} other={other} onOther={setOther} testId="export-reason" />
                 <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: "8px 0 0" }}>
                   <L zh="文件含完整号码，仅交住户本人。" en="The file holds the full numbers: for the resident only." />
                 </Typography.Paragraph>
                 <Button type="primary" style={{ marginTop: 8 }} loading={run.busy} disabled={reason.length < 2}
                         onClick={() => void run.run(reason)} data-testid="export-confirm"><L zh="下载 XLSX" en="Download XLSX" /></Button>
                 <FormError error={run.error} testId="export-error" />
               </div>
             }>
      <Button data-testid="export-personal-data"><L zh="导出个人信息" en="Export personal data" /></Button>
    </Popover>
  );
}

interface EraseValues { reason: string; other?: string; name: string }

export function EraseResidentDrawer({ residentId, name, onClose, onErased }: { residentId: string; name: string; onClose: () => void; onErased: () => void }) {
  const t = useT();
  const [form] = Form.useForm<EraseValues>();
  const picked = Form.useWatch("reason", form);
  const erase = useAction("eraseResident", async (key, v: EraseValues) => {
    const reason = v.reason === OTHER ? (v.other ?? "").trim() : v.reason;
    check((await request(EraseResidentDoc, { residentId, reason, key })).eraseResident);
    onErased();
  });
  return (
    <FormDrawer open title={<span><L zh="删除个人信息" en="Erase personal data" /> · {name}</span>} busy={erase.busy} error={erase.error}
                testId="erase-drawer" submitLabel={<L zh="删除个人信息" en="Erase" />} onSubmit={() => void submitForm(form, erase).then((ok) => ok && onClose())} onClose={onClose}>
      <Typography.Paragraph>
        <L zh="姓名、电话、证件号、备注、联系方式、车辆和宠物将被删除，工单中的姓名和电话改为 ***；房屋入住记录和工单保留（匿名）。此操作不可撤销。"
           en="Name, phone, ID number, note, contacts, vehicles and pets are deleted; their name and phone in cases become ***. Stays and cases remain, anonymised. This cannot be undone." />
      </Typography.Paragraph>
      <Form form={form} name="erase" layout="vertical" disabled={erase.busy} initialValues={{ reason: ERASE_REASONS[0].zh }}>
        <Form.Item name="reason" label={t("原因", "Reason")}>
          <Radio.Group style={{ display: "flex", flexDirection: "column", gap: 4 }} data-testid="erase-reason">
            {ERASE_REASONS.map((r) => <Radio key={r.zh} value={r.zh}><L zh={r.zh} en={r.en} /></Radio>)}
            <Radio value={OTHER}><L zh="其他…" en="Other…" /></Radio>
          </Radio.Group>
        </Form.Item>
        {picked === OTHER && (
          <Form.Item name="other" label={t("其他原因", "Other reason")}
                     rules={[{ required: true, whitespace: true, min: 2, message: t("请写明原因（至少 2 个字）", "Say why (2 characters at least)") }]}>
            <Input maxLength={200} />
          </Form.Item>
        )}
        <Form.Item name="name" label={t(`输入住户姓名“${name}”以确认`, `Type the resident's name “${name}” to confirm`)}
                   rules={[{ validator: async (_, typed?: string) => {
                     if ((typed ?? "").trim() !== name) throw new Error(t("姓名不一致", "The name does not match"));
                   } }]}>
          <Input autoComplete="off" data-testid="erase-name" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
