// A flat's drawer: what it is, who lives there now and who did before (Unit.occupants(current:
// false)), each person a link to their page, its parking spaces and its open cases (whoever
// reported them); 修改房屋 with archive:manage.
import { Button, Descriptions, Drawer, List, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { Link } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import type { ArchiveUnitDetailQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading } from "../../ui/states";
import { flatState } from "./FlatGrid";
import { UnitFormDrawer } from "./PlaceForms";
import { UnitDetailDoc } from "./queries";

type Unit = Extract<NonNullable<ArchiveUnitDetailQuery["node"]>, { history: unknown }>;
type Stay = NonNullable<Unit["history"]>[number];
const day = (at: string) => new Date(at).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" });

export function UnitDrawer({ unitId, manage, onClose, onChanged }: { unitId: string; manage: boolean; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const detail = useQuery(UnitDetailDoc, { id: unitId });
  const [editing, setEditing] = useState(false);
  const unit = detail.data?.node && "history" in detail.data.node ? detail.data.node as Unit : null;
  const stays = unit?.history ?? [];
  const columns: ColumnsType<Stay> = [
    { title: <L zh="姓名" en="Name" />, key: "name", render: (_, s) => <Link to={`/residents/${s.resident.id}`} data-testid="occupant-link">{s.resident.name}</Link> },
    { title: <L zh="身份" en="Role" />, key: "role", width: 130, render: (_, s) => <span style={{ whiteSpace: "nowrap" }}>{s.roleLabel}{s.primaryContact && <Tag style={{ marginLeft: 4 }}>{t("主联系人", "Primary")}</Tag>}</span> },
    { title: <L zh="电话" en="Phone" />, key: "phone", width: 110, render: (_, s) => <span className="fc-num">{s.resident.phoneMasked ?? "—"}</span> },
    { title: <L zh="迁入" en="In" />, dataIndex: "movedInOn", width: 96, render: (d: string | null) => <span className="fc-num">{d ?? "—"}</span> },
    { title: <L zh="迁出" en="Out" />, dataIndex: "movedOutOn", width: 96, render: (d: string | null) => <span className="fc-num">{d ?? "—"}</span> },
  ];
  const state = unit ? flatState(unit) : null;
  return (
    <Drawer open width={620} onClose={onClose} destroyOnHidden data-testid="unit-drawer"
            title={<span data-testid="unit-drawer-title">{unit?.label ?? <L zh="房屋" en="Flat" />}</span>}
            extra={manage && unit && <Button onClick={() => setEditing(true)} data-testid="edit-flat"><L zh="修改房屋" en="Edit flat" /></Button>}>
      <ErrorBanner error={detail.error} onRetry={() => void detail.refetch()} />
      {detail.loading && !detail.data ? <Loading rows={4} /> : unit && (
        <>
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }} items={[
            { key: "use", label: t("用途", "Use"), children: unit.useLabel },
            { key: "area", label: t("面积", "Area"), children: unit.areaM2 ? `${unit.areaM2} m²` : "—" },
            { key: "floor", label: t("楼层", "Floor"), children: unit.floor },
            { key: "state", label: t("状态", "State"), children: <span data-testid="unit-state">{state === "occupied" ? t("有人住", "Occupied")
              : state === "vacant" ? t("空置", "Vacant") : t("未登记（无住户，也未标空置）", "Unaccounted (nobody on file, not vacant)")}</span> },
          ]} />
          <Typography.Title level={5}><L zh="现住" en="Living here" /></Typography.Title>
          <Table<Stay> rowKey="id" size="small" pagination={false} columns={columns} data-testid="occupants-now"
                       dataSource={stays.filter((s) => s.current)} locale={{ emptyText: t("现在没有住户", "Nobody lives here now") }} />
          <Typography.Title level={5} style={{ marginTop: 16 }}><L zh="曾住" en="Before" /></Typography.Title>
          <Table<Stay> rowKey="id" size="small" pagination={false} columns={columns} data-testid="occupants-before"
                       dataSource={stays.filter((s) => !s.current)} locale={{ emptyText: t("没有迁出记录", "No earlier stays") }} />
          <Typography.Title level={5} style={{ marginTop: 16 }}><L zh={`车位 ${unit.parkingSpaces.length}`} en={`Parking spaces ${unit.parkingSpaces.length}`} /></Typography.Title>
          <List size="small" data-testid="unit-spaces" dataSource={unit.parkingSpaces} locale={{ emptyText: t("没有车位", "No parking space") }}
                renderItem={(p) => (
                  <List.Item>
                    <Space size={6} wrap>
                      <span className="fc-num">{p.area ? `${p.area} ${p.number}` : p.number}</span>
                      <Tag>{p.tenureLabel}</Tag>
                      {p.holder && <Link to={`/residents/${p.holder.id}`}>{p.holder.name}</Link>}
                      {p.vehicles.map((v) => <Tag key={v.id} className="fc-num">{v.plate}</Tag>)}
                    </Space>
                  </List.Item>
                )} />
          <Typography.Title level={5} style={{ marginTop: 16 }}><L zh={`未完成工单 ${unit.openCases.length}`} en={`Open cases ${unit.openCases.length}`} /></Typography.Title>
          <List size="small" data-testid="unit-open-cases" dataSource={unit.openCases} locale={{ emptyText: t("没有未完成的工单", "No open cases") }}
                renderItem={(c) => (
                  <List.Item>
                    <Space size={6} wrap style={{ width: "100%" }}>
                      <Link to={`/cases/${c.id}`} className="fc-num" data-testid="unit-case">{c.number}</Link>
                      <Tag>{c.stateLabel}</Tag>
                      <span className="fc-beside fc-num">{day(c.receivedAt)}</span>
                      <Typography.Text ellipsis style={{ maxWidth: 300 }}>{c.description}</Typography.Text>
                    </Space>
                  </List.Item>
                )} />
        </>
      )}
      {editing && unit && (
        <UnitFormDrawer buildingId={unit.building.id} buildingName={unit.building.name} unit={unit} onClose={() => setEditing(false)}
                        onSaved={() => { void detail.refetch(); onChanged(); }} />
      )}
    </Drawer>
  );
}
