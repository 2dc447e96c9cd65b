// 宠物 A project's pets by name: by species and 需打疫苗 (a dog or cat with no shot in the last year,
// as the API reckons it). 登记宠物 and edits with archive:manage.
import { Button, Select, Space, Switch, Table, Tag } from "antd";
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { Link } from "react-router-dom";
import { request } from "../../api/client";
import type { ArchivePetFragment, PetSpecies } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { PET_SPECIES } from "../../ui/labels";
import { ErrorBanner } from "../../ui/states";
import { PetDrawer } from "./BelongingForms";
import { PetsDoc } from "./belongingsQueries";
import { usePaged } from "./load";
import { RemoveButton } from "./RemoveButton";
import { More } from "./VehiclesTab";

/** 需打疫苗 in words and a neutral tag: a due shot is a chore, not an alert. */
export function VaccineCell({ pet }: { pet: ArchivePetFragment }) {
  const t = useT();
  return (
    <Space size={4}>
      <span className="fc-num">{pet.vaccinatedOn ?? t("无记录", "none")}</span>
      {pet.vaccinationDue && <Tag data-testid="vaccination-due">{t("需打疫苗", "Shot due")}</Tag>}
    </Space>
  );
}

export function PetsTab({ projectId, manage }: { projectId: string; manage: boolean }) {
  const t = useT();
  const [species, setSpecies] = useState<PetSpecies | null>(null);
  const [due, setDue] = useState(false);
  const pets = usePaged(async (after) => (await request(PetsDoc, { projectId, species, vaccinationDue: due ? true : null, after })).pets,
                        `${projectId}:${species}:${due}`);
  const [pet, setPet] = useState<ArchivePetFragment | "new" | null>(null);

  const columns: ColumnsType<ArchivePetFragment> = [
    { title: <L zh="名字" en="Name" />, dataIndex: "name", width: 100, render: (n: string) => <span data-testid="pet-name">{n}</span> },
    { title: <L zh="种类" en="Species" />, dataIndex: "speciesLabel", width: 70 },
    { title: <L zh="品种" en="Breed" />, dataIndex: "breed", width: 110, render: (b: string) => b || "—" },
    { title: <L zh="犬证号" en="Licence" />, dataIndex: "licenceNo", width: 140, render: (n: string) => <span className="fc-num" style={{ whiteSpace: "nowrap" }}>{n || "—"}</span> },
    { title: <L zh="最近疫苗" en="Vaccinated" />, key: "vaccine", width: 190, render: (_, p) => <VaccineCell pet={p} /> },
    { title: <L zh="主人" en="Owner" />, key: "owner", width: 100, render: (_, p) => <Link to={`/residents/${p.owner.id}`}>{p.owner.name}</Link> },
    { title: <L zh="房屋" en="Flat" />, key: "unit", render: (_, p) => p.unit?.label ?? "—" },
    ...(manage ? [{ title: "", key: "edit", width: 110, render: (_: unknown, p: ArchivePetFragment) => (
      <Space size={0}>
        <Button size="small" type="text" icon={<EditOutlined />} aria-label={t("修改宠物", "Edit pet")} data-testid="edit-pet" onClick={() => setPet(p)} />
        <RemoveButton what="pet" id={p.id} onRemoved={() => void pets.refetch()} />
      </Space>) }] : []),
  ];

  return (
    <div>
      <Space style={{ marginBottom: 12 }} wrap>
        <span><L zh="种类" en="Species" /></span>
        <Select allowClear style={{ width: 100 }} value={species ?? undefined} onChange={(v: PetSpecies | undefined) => setSpecies(v ?? null)}
                aria-label={t("种类", "Species")} data-testid="pet-species" placeholder={t("全部", "All")}
                options={PET_SPECIES.map((s) => ({ value: s.value, label: t(s.zh, s.en) }))} />
        <span><L zh="只看疫苗到期" en="Shot due only" /></span>
        <Switch size="small" checked={due} onChange={setDue} aria-label={t("只看疫苗到期", "Shot due only")} data-testid="pet-due" />
        {manage && <Button size="small" icon={<PlusOutlined />} onClick={() => setPet("new")} data-testid="new-pet"><L zh="登记宠物" en="Register a pet" /></Button>}
      </Space>
      <ErrorBanner error={pets.error} onRetry={() => void pets.refetch()} />
      <Table<ArchivePetFragment> rowKey="id" size="small" pagination={false} columns={columns} dataSource={pets.rows ?? []}
                                 loading={pets.loading && !pets.rows} data-testid="pet-table"
                                 locale={{ emptyText: due ? t("没有需打疫苗的宠物", "No shot due") : t("没有宠物", "No pets") }} />
      <More list={pets} testId="pets" />
      {pet && <PetDrawer projectId={projectId} pet={pet === "new" ? null : pet} owner={null} onClose={() => setPet(null)}
                         onSaved={() => void pets.refetch()} />}
    </div>
  );
}
