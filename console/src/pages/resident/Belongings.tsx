// The resident's 联系方式 (masked; 添加 and 删除), 车辆 and 宠物, with their forms for archive:manage.
import { Button, Card, Form, Input, List, Select, Space, Table, Tag } from "antd";
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { check, request } from "../../api/client";
import type { ArchivePetFragment, ArchiveVehicleFragment, ContactKind } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, checkInto, submitForm, useAction } from "../../ui/action";
import { FormDrawer } from "../../ui/FormDrawer";
import { CONTACT_KINDS } from "../../ui/labels";
import { PetDrawer, VehicleDrawer } from "../archive/BelongingForms";
import { VaccineCell } from "../archive/PetsTab";
import { RemoveButton } from "../archive/RemoveButton";
import { spaceName } from "../archive/VehiclesTab";
import { AddContactDoc, RemoveContactDoc } from "./queries";
import type { Resident } from "./ResidentPage";

interface Props { resident: Resident; projectId: string; manage: boolean; onChanged: () => void }
type Contact = Resident["contacts"][number];
interface ContactValues { kind: ContactKind; value: string; label?: string }

function AddContactDrawer({ resident, onClose, onSaved }: { resident: Resident; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<ContactValues>();
  const add = useAction("addResidentContact", async (key, v: ContactValues) => {
    checkInto(form, (await request(AddContactDoc, { residentId: resident.id, kind: v.kind, value: v.value.trim(), label: (v.label ?? "").trim(), key })).addResidentContact);
    onSaved();
  });
  return (
    <FormDrawer open title={<span><L zh="添加联系方式" en="Add a contact" /> · {resident.name}</span>} busy={add.busy} error={add.error}
                testId="contact-drawer" onSubmit={() => void submitForm(form, add).then((ok) => ok && onClose())} onClose={onClose}>
      <Form form={form} name="contact" layout="vertical" disabled={add.busy} initialValues={{ kind: "MOBILE" }}>
        <Form.Item name="kind" label={t("类型", "Kind")}>
          <Select style={{ width: 160 }} options={CONTACT_KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
        </Form.Item>
        <Form.Item name="value" label={t("号码或账号", "Number or account")} rules={[{ required: true, whitespace: true, message: t("请填写", "Enter it") }]}>
          <Input autoFocus maxLength={100} />
        </Form.Item>
        <Form.Item name="label" label={t("说明（如 紧急联系人·女儿）", "Label (e.g. daughter)")}><Input maxLength={50} /></Form.Item>
      </Form>
    </FormDrawer>
  );
}

function ContactRow({ contact, manage, onRemoved }: { contact: Contact; manage: boolean; onRemoved: () => void }) {
  const remove = useAction("removeResidentContact", async (key) => {
    check((await request(RemoveContactDoc, { contactId: contact.id, key })).removeResidentContact);
    onRemoved();
  });
  return (
    <List.Item data-testid="contact" actions={manage ? [
      <Button key="remove" size="small" type="link" loading={remove.busy} onClick={() => void remove.run()} data-testid="remove-contact">
        <L zh="删除" en="Remove" /></Button>] : []}>
      <Space size={6} wrap>
        <Tag>{contact.kindLabel}</Tag>
        <span className="fc-num">{contact.valueMasked}</span>
        {contact.label && <span className="fc-beside">{contact.label}</span>}
      </Space>
      <FormError error={remove.error} />
    </List.Item>
  );
}

/** 联系方式: beside the cases, where the agent looks for whom else to call. */
export function Contacts({ resident, manage, onChanged }: Omit<Props, "projectId">) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  return (
    <Card size="small" style={{ marginBottom: 12 }} title={<L zh={`联系方式 ${resident.contacts.length}`} en={`Contacts ${resident.contacts.length}`} />}
          extra={manage && <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-contact"><L zh="添加" en="Add" /></Button>}
          data-testid="resident-contacts">
      <List size="small" dataSource={resident.contacts} locale={{ emptyText: t("没有其他联系方式", "No other contacts") }}
            renderItem={(c) => <ContactRow contact={c} manage={manage} onRemoved={onChanged} />} />
      {adding && <AddContactDrawer resident={resident} onClose={() => setAdding(false)} onSaved={onChanged} />}
    </Card>
  );
}

/** 车辆 and 宠物 with their forms. */
export function Belongings({ resident, projectId, manage, onChanged }: Props) {
  const t = useT();
  const [vehicle, setVehicle] = useState<ArchiveVehicleFragment | "new" | null>(null);
  const [pet, setPet] = useState<ArchivePetFragment | "new" | null>(null);
  const owner = { id: resident.id, name: resident.name };
  const add = (testId: string, onClick: () => void, zh: string, en: string) => manage && (
    <Button size="small" icon={<PlusOutlined />} onClick={onClick} data-testid={testId}><L zh={zh} en={en} /></Button>);

  const vehicleColumns: ColumnsType<ArchiveVehicleFragment> = [
    { title: <L zh="车牌" en="Plate" />, dataIndex: "plate", width: 100, render: (p: string) => <span className="fc-num">{p}</span> },
    { title: <L zh="类型" en="Kind" />, dataIndex: "kindLabel", width: 80 },
    { title: <L zh="品牌·颜色" en="Brand · colour" />, key: "brand", render: (_, v) => [v.brand, v.colour].filter(Boolean).join(" · ") || "—" },
    { title: <L zh="车位" en="Space" />, key: "space", width: 110, render: (_, v) => (v.space ? spaceName(v.space) : "—") },
    { title: <L zh="有效期至" en="Valid until" />, dataIndex: "validUntil", width: 96, render: (d: string | null) => <span className="fc-num">{d ?? "—"}</span> },
    ...(manage ? [{ title: "", key: "edit", width: 96, render: (_: unknown, v: ArchiveVehicleFragment) => (
      <Space size={0}>
        <Button size="small" type="text" icon={<EditOutlined />} aria-label={t("修改车辆", "Edit vehicle")} data-testid="edit-vehicle" onClick={() => setVehicle(v)} />
        <RemoveButton what="vehicle" id={v.id} onRemoved={onChanged} />
      </Space>) }] : []),
  ];
  const petColumns: ColumnsType<ArchivePetFragment> = [
    { title: <L zh="名字" en="Name" />, dataIndex: "name", width: 90 },
    { title: <L zh="种类" en="Species" />, key: "species", width: 120, render: (_, p) => [p.speciesLabel, p.breed].filter(Boolean).join(" · ") },
    { title: <L zh="犬证号" en="Licence" />, dataIndex: "licenceNo", width: 130, render: (n: string) => <span className="fc-num" style={{ whiteSpace: "nowrap" }}>{n || "—"}</span> },
    { title: <L zh="最近疫苗" en="Vaccinated" />, key: "vaccine", render: (_, p) => <VaccineCell pet={p} /> },
    ...(manage ? [{ title: "", key: "edit", width: 96, render: (_: unknown, p: ArchivePetFragment) => (
      <Space size={0}>
        <Button size="small" type="text" icon={<EditOutlined />} aria-label={t("修改宠物", "Edit pet")} data-testid="edit-pet" onClick={() => setPet(p)} />
        <RemoveButton what="pet" id={p.id} onRemoved={onChanged} />
      </Space>) }] : []),
  ];

  return (
    <>
      <Card size="small" style={{ marginTop: 12 }} title={<L zh={`车辆 ${resident.vehicles.length}`} en={`Vehicles ${resident.vehicles.length}`} />}
            extra={add("add-vehicle", () => setVehicle("new"), "登记车辆", "Register")} data-testid="resident-vehicles">
        <Table<ArchiveVehicleFragment> rowKey="id" size="small" pagination={false} columns={vehicleColumns} dataSource={resident.vehicles}
                                       locale={{ emptyText: t("没有车辆", "No vehicles") }} />
      </Card>
      <Card size="small" style={{ marginTop: 12 }} title={<L zh={`宠物 ${resident.pets.length}`} en={`Pets ${resident.pets.length}`} />}
            extra={add("add-pet", () => setPet("new"), "登记宠物", "Register")} data-testid="resident-pets">
        <Table<ArchivePetFragment> rowKey="id" size="small" pagination={false} columns={petColumns} dataSource={resident.pets}
                                   locale={{ emptyText: t("没有宠物", "No pets") }} />
      </Card>
      {vehicle && <VehicleDrawer projectId={projectId} vehicle={vehicle === "new" ? null : vehicle} owner={owner}
                                 onClose={() => setVehicle(null)} onSaved={onChanged} />}
      {pet && <PetDrawer projectId={projectId} pet={pet === "new" ? null : pet} owner={owner} onClose={() => setPet(null)} onSaved={onChanged} />}
    </>
  );
}
