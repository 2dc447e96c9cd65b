// 登记住户 A person or company and, when given, their first stay in a flat (archive:manage). The
// phone and ID number are checked by the API (canonical forms, the ID card's checksum); a CONFLICT
// names the resident already on file, with a link to open them.
import { Checkbox, DatePicker, Form, Input, Select } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { Link } from "react-router-dom";
import { request } from "../../api/client";
import type { IdKind, OccupantRole, ResidentKind } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { checkInto, submitForm, useAction } from "../../ui/action";
import { FormDrawer } from "../../ui/FormDrawer";
import { ID_KINDS, OCCUPANT_ROLES, RESIDENT_KINDS } from "../../ui/labels";
import { RegisterResidentDoc } from "./queries";
import { UnitPicker } from "./UnitPicker";

interface Values {
  name: string; kind: ResidentKind; phone?: string; idKind?: IdKind; idNumber?: string; note?: string;
  unitId?: string; role: OccupantRole; movedInOn?: Dayjs | null; primaryContact: boolean;
}

export function RegisterResidentDrawer({ projectId, onClose, onRegistered }: { projectId: string; onClose: () => void; onRegistered: (id: string) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [existing, setExisting] = useState<string | null>(null);
  const register = useAction("registerResident", async (key, v: Values) => {
    setExisting(null);
    const payload = (await request(RegisterResidentDoc, { key, input: {
      projectId, name: v.name.trim(), kind: v.kind, phone: v.phone?.trim() || null, idKind: v.idNumber?.trim() ? v.idKind ?? null : null,
      idNumber: v.idNumber?.trim() || null, note: v.note?.trim() ?? "", unitId: v.unitId ?? null, role: v.role,
      movedInOn: v.unitId && v.movedInOn ? v.movedInOn.format("YYYY-MM-DD") : null, primaryContact: !!v.unitId && v.primaryContact,
    } })).registerResident;
    setExisting(payload.errors[0]?.existingId ?? null);
    const id = checkInto(form, payload).resident?.id;
    if (id) onRegistered(id);
  });
  return (
    <FormDrawer open title={<L zh="登记住户" en="Register a resident" />} busy={register.busy} error={register.error} testId="register-drawer"
                onSubmit={() => void submitForm(form, register)} onClose={onClose}>
      <Form form={form} name="register" layout="vertical" disabled={register.busy}
            initialValues={{ kind: "PERSON", idKind: "ID_CARD", role: "OWNER", primaryContact: false }}>
        <Form.Item name="name" label={t("姓名或单位名称", "Name")} rules={[{ required: true, whitespace: true, message: t("请填写姓名", "Enter a name") }]}>
          <Input autoFocus maxLength={100} />
        </Form.Item>
        <Form.Item name="kind" label={t("类型", "Kind")}>
          <Select style={{ width: 120 }} options={RESIDENT_KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
        </Form.Item>
        <Form.Item name="phone" label={t("电话", "Phone")}><Input inputMode="tel" maxLength={30} placeholder="138 0013 8000" /></Form.Item>
        <Form.Item label={t("证件", "ID")} style={{ marginBottom: 0 }}>
          <Form.Item name="idKind" style={{ display: "inline-block", width: 170, marginRight: 8 }}>
            <Select options={ID_KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
          </Form.Item>
          <Form.Item name="idNumber" style={{ display: "inline-block", width: 200 }}><Input maxLength={30} /></Form.Item>
        </Form.Item>
        <Form.Item name="unitId" label={t("房屋（可稍后迁入）", "Flat (or move in later)")}><UnitPicker projectId={projectId} testId="register-unit" /></Form.Item>
        <Form.Item label={t("身份与迁入", "Role and move-in")} style={{ marginBottom: 0 }}>
          <Form.Item name="role" style={{ display: "inline-block", width: 100, marginRight: 8 }}>
            <Select options={OCCUPANT_ROLES.map((r) => ({ value: r.value, label: t(r.zh, r.en) }))} />
          </Form.Item>
          <Form.Item name="movedInOn" style={{ display: "inline-block", width: 150, marginRight: 8 }}>
            <DatePicker placeholder={t("迁入日期", "Moved in")} />
          </Form.Item>
          <Form.Item name="primaryContact" valuePropName="checked" style={{ display: "inline-block" }}>
            <Checkbox><L zh="主联系人" en="Primary contact" /></Checkbox>
          </Form.Item>
        </Form.Item>
        <Form.Item name="note" label={t("备注", "Note")}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
      </Form>
      {existing && <Link to={`/residents/${existing}`} data-testid="open-existing"><L zh="打开已登记的住户" en="Open the resident on file" /></Link>}
    </FormDrawer>
  );
}
