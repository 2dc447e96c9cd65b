// 编辑, 迁入, 迁出: the resident page's forms in drawers (archive:manage), each its own idempotency
// key, the API's error under the form. An edit counts as 核实 (the person is on the line).
import { Checkbox, DatePicker, Form, Input, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { check, request } from "../../api/client";
import type { IdKind, OccupantRole, ResidentKind } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { checkInto, submitForm, useAction } from "../../ui/action";
import { FormDrawer } from "../../ui/FormDrawer";
import { ID_KINDS, OCCUPANT_ROLES, RESIDENT_KINDS } from "../../ui/labels";
import { UnitPicker } from "../archive/UnitPicker";
import { MoveInDoc, MoveOutDoc, UpdateResidentDoc } from "./queries";
import type { Resident } from "./ResidentPage";

interface EditValues { name: string; kind: ResidentKind; phone?: string; idKind?: IdKind; idNumber?: string; note?: string }

export function EditResidentDrawer({ resident, onClose, onSaved }: { resident: Resident; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<EditValues>();
  // Numbers are never sent back to the console: a blank field keeps what is on file.
  const save = useAction("updateResident", async (key, v: EditValues) => {
    checkInto(form, (await request(UpdateResidentDoc, { residentId: resident.id, key, input: {
      name: v.name.trim(), kind: v.kind, note: v.note?.trim() ?? "",
      phone: v.phone?.trim() || null, idNumber: v.idNumber?.trim() || null, idKind: v.idNumber?.trim() ? v.idKind ?? null : null,
    } })).updateResident);
    onSaved();
  });
  return (
    <FormDrawer open title={<span><L zh="编辑住户" en="Edit resident" /> · {resident.name}</span>} busy={save.busy} error={save.error}
                testId="edit-resident-drawer" onSubmit={() => void submitForm(form, save).then((ok) => ok && onClose())} onClose={onClose}>
      <Form form={form} name="edit-resident" layout="vertical" disabled={save.busy}
            initialValues={{ name: resident.name, kind: resident.kind, idKind: resident.idKind ?? "ID_CARD", note: resident.note }}>
        <Form.Item name="name" label={t("姓名或单位名称", "Name")} rules={[{ required: true, whitespace: true, message: t("请填写姓名", "Enter a name") }]}>
          <Input autoFocus maxLength={100} />
        </Form.Item>
        <Form.Item name="kind" label={t("类型", "Kind")}>
          <Select style={{ width: 120 }} options={RESIDENT_KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
        </Form.Item>
        <Form.Item name="phone" label={t("新电话", "New phone")} extra={t(`现为 ${resident.phoneMasked ?? "未登记"}；留空则不变`, `Now ${resident.phoneMasked ?? "none"}; blank keeps it`)}>
          <Input inputMode="tel" maxLength={30} />
        </Form.Item>
        <Form.Item label={t("新证件号", "New ID number")} extra={t(`现为 ${resident.idNumberMasked ?? "未登记"}；留空则不变`, `Now ${resident.idNumberMasked ?? "none"}; blank keeps it`)}>
          <Form.Item name="idKind" noStyle><Select style={{ width: 170, marginRight: 8 }} options={ID_KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} /></Form.Item>
          <Form.Item name="idNumber" noStyle><Input maxLength={30} style={{ width: 200 }} /></Form.Item>
        </Form.Item>
        <Form.Item name="note" label={t("备注", "Note")}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface MoveInValues { unitId: string; role: OccupantRole; movedInOn?: Dayjs | null; primaryContact: boolean }

export function MoveInDrawer({ resident, projectId, onClose, onSaved }: { resident: Resident; projectId: string; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<MoveInValues>();
  const move = useAction("moveInResident", async (key, v: MoveInValues) => {
    check((await request(MoveInDoc, { key, input: {
      unitId: v.unitId, residentId: resident.id, role: v.role, movedInOn: v.movedInOn ? v.movedInOn.format("YYYY-MM-DD") : null, primaryContact: v.primaryContact,
    } })).moveInResident);
    onSaved();
  });
  return (
    <FormDrawer open title={<span><L zh="迁入" en="Move in" /> · {resident.name}</span>} busy={move.busy} error={move.error}
                testId="move-in-drawer" onSubmit={() => void submitForm(form, move).then((ok) => ok && onClose())} onClose={onClose}>
      <Form form={form} name="move-in" layout="vertical" disabled={move.busy} initialValues={{ role: "OWNER", movedInOn: dayjs(), primaryContact: false }}>
        <Form.Item name="unitId" label={t("房屋", "Flat")} rules={[{ required: true, message: t("请选择房屋", "Choose a flat") }]}>
          <UnitPicker projectId={projectId} testId="move-in-unit" />
        </Form.Item>
        <Form.Item name="role" label={t("身份", "Role")}>
          <Select style={{ width: 120 }} options={OCCUPANT_ROLES.map((r) => ({ value: r.value, label: t(r.zh, r.en) }))} />
        </Form.Item>
        <Form.Item name="movedInOn" label={t("迁入日期", "Moved in on")}><DatePicker data-testid="move-in-date" /></Form.Item>
        <Form.Item name="primaryContact" valuePropName="checked"><Checkbox><L zh="主联系人" en="Primary contact" /></Checkbox></Form.Item>
      </Form>
    </FormDrawer>
  );
}

export function MoveOutDrawer({ stay, onClose, onSaved }: { stay: { id: string; movedInOn?: string | null; unit: { label: string } }; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ movedOutOn: Dayjs }>();
  const move = useAction("moveOutResident", async (key, v: { movedOutOn: Dayjs }) => {
    check((await request(MoveOutDoc, { occupancyId: stay.id, movedOutOn: v.movedOutOn.format("YYYY-MM-DD"), key })).moveOutResident);
    onSaved();
  });
  return (
    <FormDrawer open title={<span><L zh="迁出" en="Move out" /> · {stay.unit.label}</span>} busy={move.busy} error={move.error}
                testId="move-out-drawer" onSubmit={() => void submitForm(form, move).then((ok) => ok && onClose())} onClose={onClose}>
      <Form form={form} name="move-out" layout="vertical" disabled={move.busy} initialValues={{ movedOutOn: dayjs() }}>
        <Form.Item name="movedOutOn" label={t("迁出日期", "Moved out on")} rules={[{ required: true, message: t("请选择日期", "Choose a day") }]}
                   extra={t(`迁入于 ${stay.movedInOn ?? "不详"}；最晚可登记到 31 天后`, `Moved in ${stay.movedInOn ?? "unknown"}; at most 31 days ahead`)}>
          <DatePicker allowClear={false} data-testid="move-out-date" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
