// 新建/修改楼栋, 新建/修改房屋: forms in drawers (archive:manage). Each its own idempotency key; the
// API's error under the form — a CONFLICT names the building or flat already on file.
import { Checkbox, Form, Input, InputNumber, Select } from "antd";
import { request } from "../../api/client";
import type { ArchiveUnitFragment, UnitUse } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { checkInto, submitForm, useAction } from "../../ui/action";
import { FormDrawer } from "../../ui/FormDrawer";
import { UNIT_USES } from "../../ui/labels";
import { CreateBuildingDoc, CreateUnitDoc, UpdateBuildingDoc, UpdateUnitDoc } from "./queries";

interface BuildingValues { name: string; floors: number }
export interface BuildingRow { id: string; name: string; floors: number; unitCount: number }

/** New building when `building` is null, else its edit. */
export function BuildingDrawer({ projectId, building, onClose, onSaved }:
  { projectId: string; building: BuildingRow | null; onClose: () => void; onSaved: (id: string) => void }) {
  const t = useT();
  const [form] = Form.useForm<BuildingValues>();
  const save = useAction(building ? "updateBuilding" : "createBuilding", async (key, v: BuildingValues) => {
    const id = building
      ? checkInto(form, (await request(UpdateBuildingDoc, { buildingId: building.id, input: { name: v.name.trim(), floors: v.floors }, key })).updateBuilding).building?.id
      : checkInto(form, (await request(CreateBuildingDoc, { input: { projectId, name: v.name.trim(), floors: v.floors }, key })).createBuilding).building?.id;
    if (id) onSaved(id);
  });
  return (
    <FormDrawer open title={building ? <span><L zh="修改楼栋" en="Edit building" /> · {building.name}</span> : <L zh="新建楼栋" en="New building" />}
                busy={save.busy} error={save.error} onSubmit={() => void submitForm(form, save).then((ok) => ok && onClose())}
                onClose={onClose} testId="building-drawer">
      <Form form={form} name="building" layout="vertical" disabled={save.busy}
            initialValues={building ? { name: building.name, floors: building.floors } : { floors: 18 }}>
        <Form.Item name="name" label={t("楼栋名称（如 3号楼）", "Name (e.g. 3号楼)")} rules={[{ required: true, whitespace: true, message: t("请填写楼栋名称", "Enter a name") }]}>
          <Input autoFocus maxLength={50} />
        </Form.Item>
        <Form.Item name="floors" label={t("层数", "Floors")} rules={[{ required: true, message: t("请填写层数", "Enter the floors") }]}>
          <InputNumber min={1} max={200} precision={0} style={{ width: 120 }} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface UnitValues { entrance?: string; number: string; floor: number; areaM2?: number | null; use: UnitUse; vacant: boolean }

/** New flat of `buildingId` when `unit` is null, else its edit. */
export function UnitFormDrawer({ buildingId, buildingName, unit, onClose, onSaved }:
  { buildingId: string; buildingName: string; unit: ArchiveUnitFragment | null; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<UnitValues>();
  const save = useAction(unit ? "updateUnit" : "createUnit", async (key, v: UnitValues) => {
    const fields = { entrance: (v.entrance ?? "").trim(), number: v.number.trim(), floor: v.floor, areaM2: v.areaM2 ?? null, use: v.use, vacant: v.vacant };
    if (unit) checkInto(form, (await request(UpdateUnitDoc, { unitId: unit.id, input: fields, key })).updateUnit);
    else checkInto(form, (await request(CreateUnitDoc, { input: { buildingId, ...fields }, key })).createUnit);
    onSaved();
  });
  return (
    <FormDrawer open busy={save.busy} error={save.error} testId="unit-form-drawer"
                title={unit ? <span><L zh="修改房屋" en="Edit flat" /> · {unit.label}</span> : <span><L zh="新建房屋" en="New flat" /> · {buildingName}</span>}
                onSubmit={() => void submitForm(form, save).then((ok) => ok && onClose())} onClose={onClose}>
      <Form form={form} name="unit" layout="vertical" disabled={save.busy}
            initialValues={unit ? { entrance: unit.entrance, number: unit.number, floor: unit.floor, areaM2: unit.areaM2, use: unit.use, vacant: unit.vacant }
              : { use: "RESIDENTIAL", vacant: false }}>
        <Form.Item name="entrance" label={t("单元（没有则留空）", "Entrance (empty if none)")}><Input maxLength={20} style={{ width: 120 }} /></Form.Item>
        <Form.Item name="number" label={t("房号（如 1502）", "Number (e.g. 1502)")} rules={[{ required: true, whitespace: true, message: t("请填写房号", "Enter the number") }]}>
          <Input autoFocus maxLength={20} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="floor" label={t("楼层", "Floor")} rules={[{ required: true, message: t("请填写楼层", "Enter the floor") }]}>
          <InputNumber min={-10} max={200} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="areaM2" label={t("建筑面积 m²", "Area m²")}><InputNumber min={0} max={100000} style={{ width: 160 }} /></Form.Item>
        <Form.Item name="use" label={t("用途", "Use")}>
          <Select style={{ width: 160 }} options={UNIT_USES.map((u) => ({ value: u.value, label: t(u.zh, u.en) }))} />
        </Form.Item>
        <Form.Item name="vacant" valuePropName="checked"><Checkbox><L zh="空置（确认无人居住）" en="Vacant (confirmed empty)" /></Checkbox></Form.Item>
      </Form>
    </FormDrawer>
  );
}
