// 车辆车位 A project's parking spaces (by area, 只看空闲: no vehicle on it) and its vehicles (by part
// of a plate: 京a·123 finds 京A12345). 新增车位, 登记车辆 and their edits with archive:manage.
import { Button, Form, Input, Space, Switch, Table, Tag, Typography } from "antd";
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { Link } from "react-router-dom";
import { request } from "../../api/client";
import type { ArchiveSpaceFragment, ArchiveVehicleFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner } from "../../ui/states";
import { SpaceDrawer, VehicleDrawer } from "./BelongingForms";
import { SpacesDoc, VehiclesDoc } from "./belongingsQueries";
import { usePaged, type Paged } from "./load";
import { RemoveButton } from "./RemoveButton";

export const spaceName = (s: { area: string; number: string }) => (s.area ? `${s.area} ${s.number}` : s.number);

export function More<N>({ list, testId }: { list: Paged<N>; testId: string }) {
  const t = useT();
  const shown = list.rows?.length ?? 0;
  return (
    <Space style={{ display: "flex", marginTop: 8 }}>
      {list.total !== null && <span className="fc-beside fc-num" data-testid={`${testId}-count`}>{t(`共 ${list.total}，已列 ${shown}`, `${shown} of ${list.total}`)}</span>}
      {list.hasMore && <Button size="small" onClick={() => void list.loadMore()}><L zh="加载更多" en="Load more" /></Button>}
    </Space>
  );
}

export function VehiclesTab({ projectId, manage }: { projectId: string; manage: boolean }) {
  const t = useT();
  const [spaceSearch, setSpaceSearch] = useState<{ area?: string; vacant: boolean }>({ vacant: false });
  const [plate, setPlate] = useState("");
  const spaces = usePaged(async (after) => (await request(SpacesDoc, {
    projectId, area: spaceSearch.area?.trim() || null, vacant: spaceSearch.vacant ? true : null, after })).parkingSpaces,
  `${projectId}:${JSON.stringify(spaceSearch)}`);
  const vehicles = usePaged(async (after) => (await request(VehiclesDoc, { projectId, plate: plate.trim() || null, after })).vehicles,
                            `${projectId}:${plate}`);
  const [space, setSpace] = useState<ArchiveSpaceFragment | "new" | null>(null);
  const [vehicle, setVehicle] = useState<ArchiveVehicleFragment | "new" | null>(null);
  const person = (r: { id: string; name: string } | null | undefined) => (r ? <Link to={`/residents/${r.id}`}>{r.name}</Link> : "—");

  const spaceColumns: ColumnsType<ArchiveSpaceFragment> = [
    { title: <L zh="停车区" en="Area" />, dataIndex: "area", width: 110, render: (a: string) => a || "—" },
    { title: <L zh="车位号" en="Number" />, dataIndex: "number", width: 90, render: (n: string) => <span className="fc-num">{n}</span> },
    { title: <L zh="权属" en="Tenure" />, key: "tenure", width: 150,
      render: (_, s) => <>{s.tenureLabel}{s.leaseUntil && <span className="fc-beside fc-num"> · {t("至", "to ")}{s.leaseUntil}</span>}</> },
    { title: <L zh="持有人" en="Holder" />, key: "holder", width: 110, render: (_, s) => person(s.holder) },
    { title: <L zh="房屋" en="Flat" />, key: "unit", render: (_, s) => s.unit?.label ?? "—" },
    { title: <L zh="车辆" en="Vehicles" />, key: "vehicles", width: 180,
      render: (_, s) => s.vehicles.length ? s.vehicles.map((v) => <Tag key={v.id} className="fc-num">{v.plate}</Tag>) : <span className="fc-beside">{t("空闲", "free")}</span> },
    ...(manage ? [{ title: "", key: "edit", width: 48, render: (_: unknown, s: ArchiveSpaceFragment) => (
      <Button size="small" type="text" icon={<EditOutlined />} aria-label={t("修改车位", "Edit space")} data-testid="edit-space" onClick={() => setSpace(s)} />) }] : []),
  ];
  const vehicleColumns: ColumnsType<ArchiveVehicleFragment> = [
    { title: <L zh="车牌" en="Plate" />, dataIndex: "plate", width: 110, render: (p: string) => <span className="fc-num" data-testid="vehicle-plate">{p}</span> },
    { title: <L zh="类型" en="Kind" />, dataIndex: "kindLabel", width: 90 },
    { title: <L zh="品牌·颜色" en="Brand · colour" />, key: "brand", width: 140, render: (_, v) => [v.brand, v.colour].filter(Boolean).join(" · ") || "—" },
    { title: <L zh="车主" en="Owner" />, key: "owner", width: 110, render: (_, v) => person(v.owner) },
    { title: <L zh="车位" en="Space" />, key: "space", render: (_, v) => (v.space ? spaceName(v.space) : "—") },
    { title: <L zh="有效期至" en="Valid until" />, dataIndex: "validUntil", width: 100, render: (d: string | null) => <span className="fc-num">{d ?? "—"}</span> },
    ...(manage ? [{ title: "", key: "edit", width: 110, render: (_: unknown, v: ArchiveVehicleFragment) => (
      <Space size={0}>
        <Button size="small" type="text" icon={<EditOutlined />} aria-label={t("修改车辆", "Edit vehicle")} data-testid="edit-vehicle" onClick={() => setVehicle(v)} />
        <RemoveButton what="vehicle" id={v.id} onRemoved={() => { void vehicles.refetch(); void spaces.refetch(); }} />
      </Space>) }] : []),
  ];

  return (
    <div>
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Title level={5} style={{ margin: 0 }}><L zh="车位" en="Parking spaces" /></Typography.Title>
        <Form layout="inline" onFinish={(v: { area?: string; vacant?: boolean }) => setSpaceSearch({ area: v.area, vacant: !!v.vacant })}>
          <Form.Item name="area" label={t("停车区", "Area")}><Input allowClear style={{ width: 120 }} placeholder="地下B1" /></Form.Item>
          <Form.Item name="vacant" label={t("只看空闲", "Free only")} valuePropName="checked"><Switch size="small" /></Form.Item>
          <Form.Item><Button htmlType="submit"><L zh="查找" en="Search" /></Button></Form.Item>
        </Form>
        {manage && <Button size="small" icon={<PlusOutlined />} onClick={() => setSpace("new")} data-testid="new-space"><L zh="新增车位" en="New space" /></Button>}
      </Space>
      <ErrorBanner error={spaces.error} onRetry={() => void spaces.refetch()} />
      <Table<ArchiveSpaceFragment> rowKey="id" size="small" pagination={false} columns={spaceColumns} dataSource={spaces.rows ?? []}
                                   loading={spaces.loading && !spaces.rows} data-testid="space-table"
                                   locale={{ emptyText: t("没有车位", "No parking spaces") }} />
      <More list={spaces} testId="spaces" />

      <Space style={{ margin: "20px 0 8px" }} wrap>
        <Typography.Title level={5} style={{ margin: 0 }}><L zh="车辆" en="Vehicles" /></Typography.Title>
        <Input.Search allowClear style={{ width: 280 }} placeholder={t("车牌的一部分，如 京A·123", "Part of a plate")} aria-label={t("车牌", "Plate")}
                      data-testid="plate-search" onSearch={(v) => setPlate(v)} />
        {manage && <Button size="small" icon={<PlusOutlined />} onClick={() => setVehicle("new")} data-testid="new-vehicle"><L zh="登记车辆" en="Register a vehicle" /></Button>}
      </Space>
      <ErrorBanner error={vehicles.error} onRetry={() => void vehicles.refetch()} />
      <Table<ArchiveVehicleFragment> rowKey="id" size="small" pagination={false} columns={vehicleColumns} dataSource={vehicles.rows ?? []}
                                     loading={vehicles.loading && !vehicles.rows} data-testid="vehicle-table"
                                     locale={{ emptyText: plate ? t("没有这个车牌", "No such plate") : t("没有车辆", "No vehicles") }} />
      <More list={vehicles} testId="vehicles" />

      {space && <SpaceDrawer projectId={projectId} space={space === "new" ? null : space} onClose={() => setSpace(null)}
                             onSaved={() => void spaces.refetch()} />}
      {vehicle && <VehicleDrawer projectId={projectId} vehicle={vehicle === "new" ? null : vehicle} owner={null} onClose={() => setVehicle(null)}
                                 onSaved={() => { void vehicles.refetch(); void spaces.refetch(); }} />}
    </div>
  );
}
