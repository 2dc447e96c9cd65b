// 车位, 车辆, 宠物: new and edit forms in drawers (archive:manage), each its own idempotency key, the
// API's error under the form (a CONFLICT names the plate or space already on file). From a
// resident's page the owner is fixed; from the archive's tabs the owner is picked by name.
import { DatePicker, Form, Input, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { request } from "../../api/client";
import type { ArchivePetFragment, ArchiveSpaceFragment, ArchiveVehicleFragment, PetSpecies, SpaceTenure, VehicleKind } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { checkInto, submitForm, useAction } from "../../ui/action";
import { FormDrawer } from "../../ui/FormDrawer";
import { PET_SPECIES, SPACE_TENURES, VEHICLE_KINDS } from "../../ui/labels";
import {
  CreateSpaceDoc, RegisterPetDoc, RegisterVehicleDoc, UpdatePetDoc, UpdateSpaceDoc, UpdateVehicleDoc,
} from "./belongingsQueries";
import { ResidentPicker, SpacePicker } from "./Pickers";
import { UnitPicker } from "./UnitPicker";

const ymd = (d?: Dayjs | null) => (d ? d.format("YYYY-MM-DD") : null);
const asDay = (s?: string | null) => (s ? dayjs(s) : null);
export type Owner = { id: string; name: string };

interface SpaceValues { area?: string; number: string; tenure: SpaceTenure; unitId?: string; holderId?: string; leaseUntil?: Dayjs | null }

export function SpaceDrawer({ projectId, space, onClose, onSaved }:
  { projectId: string; space: ArchiveSpaceFragment | null; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<SpaceValues>();
  const tenure = Form.useWatch("tenure", form);
  const save = useAction(space ? "updateParkingSpace" : "createParkingSpace", async (key, v: SpaceValues) => {
    const fields = {
      area: (v.area ?? "").trim(), number: v.number.trim(), tenure: v.tenure, unitId: v.unitId ?? null,
      holderId: v.tenure === "PUBLIC" ? null : v.holderId ?? null, leaseUntil: v.tenure === "LEASED" ? ymd(v.leaseUntil) : null,
    };
    if (space) checkInto(form, (await request(UpdateSpaceDoc, { spaceId: space.id, input: fields, key })).updateParkingSpace);
    else checkInto(form, (await request(CreateSpaceDoc, { input: { projectId, ...fields }, key })).createParkingSpace);
    onSaved();
  });
  return (
    <FormDrawer open busy={save.busy} error={save.error} testId="space-drawer"
                title={space ? <span><L zh="修改车位" en="Edit space" /> · {space.area} {space.number}</span> : <L zh="新增车位" en="New parking space" />}
                onSubmit={() => void submitForm(form, save).then((ok) => ok && onClose())} onClose={onClose}>
      <Form form={form} name="space" layout="vertical" disabled={save.busy}
            initialValues={space ? { area: space.area, number: space.number, tenure: space.tenure, unitId: space.unit?.id,
                                     holderId: space.holder?.id, leaseUntil: asDay(space.leaseUntil) } : { tenure: "OWNED" }}>
        <Form.Item name="area" label={t("停车区（如 地下B1；只有一处可留空）", "Area (e.g. 地下B1; empty if one)")}><Input maxLength={30} style={{ width: 200 }} /></Form.Item>
        <Form.Item name="number" label={t("车位号", "Number")} rules={[{ required: true, whitespace: true, message: t("请填写车位号", "Enter the number") }]}>
          <Input autoFocus maxLength={20} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="tenure" label={t("权属", "Tenure")}>
          <Select style={{ width: 160 }} options={SPACE_TENURES.map((s) => ({ value: s.value, label: t(s.zh, s.en) }))} />
        </Form.Item>
        <Form.Item name="unitId" label={t("所属房屋（可空）", "Flat (optional)")}>
          <UnitPicker projectId={projectId} testId="space-unit" initial={space?.unit ?? null} />
        </Form.Item>
        {tenure !== "PUBLIC" && (
          <Form.Item name="holderId" label={t("持有人", "Holder")}>
            <ResidentPicker projectId={projectId} testId="space-holder" initial={space?.holder ?? null} />
          </Form.Item>
        )}
        {tenure === "LEASED" && <Form.Item name="leaseUntil" label={t("租期至", "Leased until")}><DatePicker /></Form.Item>}
      </Form>
    </FormDrawer>
  );
}

interface VehicleValues { residentId: string; plate: string; kind: VehicleKind; brand?: string; colour?: string; spaceId?: string; validUntil?: Dayjs | null }

/** `owner` fixed (the resident's page) or picked (the archive's tab). */
export function VehicleDrawer({ projectId, vehicle, owner, onClose, onSaved }:
  { projectId: string; vehicle: ArchiveVehicleFragment | null; owner: Owner | null; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<VehicleValues>();
  const residentId = Form.useWatch("residentId", form);
  const save = useAction(vehicle ? "updateVehicle" : "registerVehicle", async (key, v: VehicleValues) => {
    const fields = { plate: v.plate.trim(), kind: v.kind, brand: (v.brand ?? "").trim(), colour: (v.colour ?? "").trim(),
                     spaceId: v.spaceId ?? null, validUntil: ymd(v.validUntil) };
    if (vehicle) {
      // An unchanged owner is left out: null is refused for a field that cannot be cleared.
      checkInto(form, (await request(UpdateVehicleDoc, { vehicleId: vehicle.id, key, input: {
        ...fields, residentId: v.residentId !== vehicle.owner.id ? v.residentId : undefined } })).updateVehicle);
    } else {
      checkInto(form, (await request(RegisterVehicleDoc, { key, input: { residentId: v.residentId, ...fields } })).registerVehicle);
    }
    onSaved();
  });
  const whose = vehicle?.owner ?? owner;
  return (
    <FormDrawer open busy={save.busy} error={save.error} testId="vehicle-drawer"
                title={vehicle ? <span><L zh="修改车辆" en="Edit vehicle" /> · {vehicle.plate}</span>
                  : <span><L zh="登记车辆" en="Register a vehicle" />{owner && ` · ${owner.name}`}</span>}
                onSubmit={() => void submitForm(form, save).then((ok) => ok && onClose())} onClose={onClose}>
      <Form form={form} name="vehicle" layout="vertical" disabled={save.busy}
            initialValues={vehicle ? { residentId: vehicle.owner.id, plate: vehicle.plate, kind: vehicle.kind, brand: vehicle.brand,
                                       colour: vehicle.colour, spaceId: vehicle.space?.id, validUntil: asDay(vehicle.validUntil) }
              : { residentId: owner?.id, kind: "CAR" }}>
        <Form.Item name="residentId" label={t("车主", "Owner")} hidden={!!owner && !vehicle}
                   rules={[{ required: true, message: t("请选择车主", "Choose the owner") }]}>
          <ResidentPicker projectId={projectId} testId="vehicle-owner" initial={whose} />
        </Form.Item>
        <Form.Item name="plate" label={t("车牌号（如 京A·12345）", "Plate (e.g. 京A·12345)")}
                   rules={[{ required: true, whitespace: true, message: t("请填写车牌号", "Enter the plate") }]}>
          <Input autoFocus maxLength={20} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="kind" label={t("类型", "Kind")}>
          <Select style={{ width: 160 }} options={VEHICLE_KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
        </Form.Item>
        <Form.Item label={t("品牌与颜色", "Brand and colour")} style={{ marginBottom: 0 }}>
          <Form.Item name="brand" style={{ display: "inline-block", width: 180, marginRight: 8 }}><Input maxLength={30} placeholder={t("品牌", "Brand")} aria-label={t("品牌", "Brand")} /></Form.Item>
          <Form.Item name="colour" style={{ display: "inline-block", width: 120 }}><Input maxLength={10} placeholder={t("颜色", "Colour")} aria-label={t("颜色", "Colour")} /></Form.Item>
        </Form.Item>
        <Form.Item name="spaceId" label={t("车位（可空）", "Space (optional)")}>
          <SpacePicker projectId={projectId} testId="vehicle-space" holderId={residentId} initial={vehicle?.space ?? null} />
        </Form.Item>
        <Form.Item name="validUntil" label={t("有效期至（可空）", "Valid until (optional)")}><DatePicker /></Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface PetValues { residentId: string; name: string; species: PetSpecies; breed?: string; licenceNo?: string; unitId?: string; vaccinatedOn?: Dayjs | null }

export function PetDrawer({ projectId, pet, owner, onClose, onSaved }:
  { projectId: string; pet: ArchivePetFragment | null; owner: Owner | null; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<PetValues>();
  const save = useAction(pet ? "updatePet" : "registerPet", async (key, v: PetValues) => {
    const fields = { name: v.name.trim(), species: v.species, breed: (v.breed ?? "").trim(), licenceNo: (v.licenceNo ?? "").trim(),
                     unitId: v.unitId ?? null, vaccinatedOn: ymd(v.vaccinatedOn) };
    if (pet) {
      // An unchanged owner is left out, as for a vehicle.
      checkInto(form, (await request(UpdatePetDoc, { petId: pet.id, key, input: {
        ...fields, residentId: v.residentId !== pet.owner.id ? v.residentId : undefined } })).updatePet);
    } else {
      checkInto(form, (await request(RegisterPetDoc, { key, input: { residentId: v.residentId, ...fields } })).registerPet);
    }
    onSaved();
  });
  return (
    <FormDrawer open busy={save.busy} error={save.error} testId="pet-drawer"
                title={pet ? <span><L zh="修改宠物" en="Edit pet" /> · {pet.name}</span>
                  : <span><L zh="登记宠物" en="Register a pet" />{owner && ` · ${owner.name}`}</span>}
                onSubmit={() => void submitForm(form, save).then((ok) => ok && onClose())} onClose={onClose}>
      <Form form={form} name="pet" layout="vertical" disabled={save.busy}
            initialValues={pet ? { residentId: pet.owner.id, name: pet.name, species: pet.species, breed: pet.breed, licenceNo: pet.licenceNo,
                                   unitId: pet.unit?.id, vaccinatedOn: asDay(pet.vaccinatedOn) }
              : { residentId: owner?.id, species: "DOG" }}>
        <Form.Item name="residentId" label={t("主人", "Owner")} hidden={!!owner && !pet}
                   rules={[{ required: true, message: t("请选择主人", "Choose the owner") }]}>
          <ResidentPicker projectId={projectId} testId="pet-owner" initial={pet?.owner ?? owner} />
        </Form.Item>
        <Form.Item name="name" label={t("名字", "Name")} rules={[{ required: true, whitespace: true, message: t("请填写名字", "Enter a name") }]}>
          <Input autoFocus maxLength={30} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="species" label={t("种类", "Species")}>
          <Select style={{ width: 120 }} options={PET_SPECIES.map((s) => ({ value: s.value, label: t(s.zh, s.en) }))} />
        </Form.Item>
        <Form.Item name="breed" label={t("品种", "Breed")}><Input maxLength={30} style={{ width: 180 }} /></Form.Item>
        <Form.Item name="licenceNo" label={t("犬证号", "Dog licence")}><Input maxLength={30} style={{ width: 200 }} /></Form.Item>
        <Form.Item name="unitId" label={t("住在（可空）", "Lives in (optional)")}>
          <UnitPicker projectId={projectId} testId="pet-unit" initial={pet?.unit ?? null} />
        </Form.Item>
        <Form.Item name="vaccinatedOn" label={t("最近疫苗日期", "Last vaccinated")}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), "day")} data-testid="pet-vaccinated" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
