// 楼栋房屋 Buildings on the left, the chosen one's flats as a grid on the right; a flat opens a
// drawer with who lives there now and before. New and edited buildings and flats need archive:manage.
import { Button, Empty, Space, Typography } from "antd";
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useState } from "react";
import { request } from "../../api/client";
import type { ArchiveUnitFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { FlatGrid } from "./FlatGrid";
import { useAllPages } from "./load";
import { BuildingDrawer, UnitFormDrawer, type BuildingRow } from "./PlaceForms";
import { BuildingsDoc, BuildingUnitsDoc } from "./queries";
import { UnitDrawer } from "./UnitDrawer";

interface Props { projectId: string; manage: boolean; buildingId: string | null; onBuilding: (id: string) => void; unitId?: string | null }

export function BuildingsTab({ projectId, manage, buildingId, onBuilding, unitId = null }: Props) {
  const t = useT();
  const buildings = useAllPages(async (after) => (await request(BuildingsDoc, { projectId, after })).buildings, projectId);
  const chosen = buildings.rows?.find((b) => b.id === buildingId) ?? buildings.rows?.[0] ?? null;
  const units = useAllPages(async (after) => (await request(BuildingUnitsDoc, { projectId, buildingId: chosen!.id, after })).units,
                            `${projectId}:${chosen?.id}`, !chosen);
  const [editing, setEditing] = useState<BuildingRow | "new" | null>(null);
  const [newFlat, setNewFlat] = useState(false);
  // A flat named in the URL (a bill run's skipped list links here) opens its drawer at once.
  const [opened, setOpened] = useState<string | null>(unitId);

  return (
    <div className="fc-archive-split">
      <div className="fc-buildings" data-testid="building-list">
        <div style={{ marginBottom: 8 }}>
          <Typography.Text strong><L zh="楼栋" en="Buildings" /></Typography.Text>
          {buildings.rows && <span className="fc-beside fc-num"> · {buildings.rows.length}</span>}
        </div>
        {manage && <Button size="small" type="dashed" block icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="new-building"
                           style={{ marginBottom: 8 }}><L zh="新建楼栋" en="New building" /></Button>}
        <ErrorBanner error={buildings.error} onRetry={() => void buildings.refetch()} />
        {buildings.loading && !buildings.rows ? <Loading rows={4} />
          : buildings.rows?.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE}
                                                  description={manage ? t("还没有楼栋：点“新建楼栋”", "No buildings yet: add one") : t("还没有楼栋", "No buildings yet")} />
          : buildings.rows?.map((b) => (
            <div key={b.id} className={`fc-building${b.id === chosen?.id ? " fc-building-on" : ""}`} data-testid="building"
                 role="button" tabIndex={0} aria-pressed={b.id === chosen?.id}
                 onClick={() => onBuilding(b.id)} onKeyDown={(e) => e.key === "Enter" && onBuilding(b.id)}>
              <span className="fc-building-name">{b.name}</span>
              <span className="fc-beside fc-num">{t(`${b.floors}层 · ${b.unitCount}户`, `${b.floors} fl · ${b.unitCount}`)}</span>
              {manage && <Button size="small" type="text" icon={<EditOutlined />} aria-label={t("修改楼栋", "Edit building")}
                                 data-testid="edit-building" onClick={(e) => { e.stopPropagation(); setEditing(b); }} />}
            </div>
          ))}
      </div>
      <div>
        {chosen && (
          <Space style={{ marginBottom: 8 }} wrap>
            <Typography.Title level={5} style={{ margin: 0 }} data-testid="building-title">{chosen.name}</Typography.Title>
            {units.rows && <span className="fc-beside fc-num">{t(`${units.rows.length} 套`, `${units.rows.length} flats`)}</span>}
            {manage && <Button size="small" icon={<PlusOutlined />} onClick={() => setNewFlat(true)} data-testid="new-flat">
              <L zh="新建房屋" en="New flat" /></Button>}
          </Space>
        )}
        <ErrorBanner error={units.error} onRetry={() => void units.refetch()} />
        {!chosen ? (buildings.rows ? <Nothing zh="先选择或新建一栋楼。" en="Choose or add a building first." /> : null)
          : units.loading && !units.rows ? <Loading />
          : units.rows?.length === 0 ? <Nothing zh={manage ? "这栋楼还没有房屋：点“新建房屋”。" : "这栋楼还没有房屋。"} en="No flats in this building yet." />
          : units.rows && <FlatGrid units={units.rows} onOpen={(u: ArchiveUnitFragment) => setOpened(u.id)} />}
      </div>
      {editing && <BuildingDrawer projectId={projectId} building={editing === "new" ? null : editing} onClose={() => setEditing(null)}
                                  onSaved={(id) => { void buildings.refetch(); onBuilding(id); }} />}
      {newFlat && chosen && <UnitFormDrawer buildingId={chosen.id} buildingName={chosen.name} unit={null} onClose={() => setNewFlat(false)}
                                            onSaved={() => { void units.refetch(); void buildings.refetch(); }} />}
      {opened && <UnitDrawer unitId={opened} manage={manage} onClose={() => setOpened(null)} onChanged={() => void units.refetch()} />}
    </div>
  );
}
