// 住户 One resident: masked phone and ID number with 显示 (reason, recorded, 30 s), their flats now
// and before, contacts, vehicles and pets, their open and recent cases; 编辑, 迁入, 迁出, 核实 and the
// belongings' forms with archive:manage on their project; 查看记录 (who revealed what) with
// audit:read; 导出个人信息 with personal_data:read, 删除个人信息 with personal_data:erase. Without archive:read the API answers
// nothing beyond the name, so the page says it may not be shown.
import { Button, Card, Descriptions, List, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { ResidentCaseFragment, ResidentPageQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { KINDS } from "../../ui/labels";
import { RevealValue } from "../../ui/RevealValue";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { Belongings, Contacts } from "./Belongings";
import { EraseResidentDrawer, ExportPersonalData } from "./Pipl";
import { EditResidentDrawer, MoveInDrawer, MoveOutDrawer } from "./ResidentForms";
import { Reveals } from "./Reveals";
import { ConfirmResidentDoc, ResidentPageDoc } from "./queries";

export type Resident = Extract<NonNullable<ResidentPageQuery["node"]>, { occupancies: unknown }>;
type Stay = Resident["occupancies"][number];
const day = (at: string) => new Date(at).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" });

function Cases({ cases, testId }: { cases: ResidentCaseFragment[]; testId: string }) {
  const t = useT();
  return (
    <List size="small" data-testid={testId} dataSource={cases} locale={{ emptyText: t("没有", "None") }}
          renderItem={(c) => {
            const kind = KINDS.find((k) => k.value === c.kind);
            return (
              <List.Item>
                <Space size={6} wrap style={{ width: "100%" }}>
                  <Link to={`/cases/${c.id}`} className="fc-num" data-testid="resident-case">{c.number}</Link>
                  <Tag>{c.stateLabel}</Tag>
                  <span className="fc-beside">{kind ? t(kind.zh, kind.en) : c.kind} · {day(c.receivedAt)}</span>
                  <Typography.Text ellipsis style={{ maxWidth: 320 }}>{c.description}</Typography.Text>
                </Space>
              </List.Item>
            );
          }} />
  );
}

export default function ResidentPage() {
  const { id = "" } = useParams();
  const t = useT();
  const { viewer } = useAuth();
  const page = useQuery(ResidentPageDoc, { id });
  const [editing, setEditing] = useState(false);
  const [movingIn, setMovingIn] = useState(false);
  const [movingOut, setMovingOut] = useState<Stay | null>(null);
  const [revealed, setRevealed] = useState(0);
  const [erasing, setErasing] = useState(false);
  const r = page.data?.node && "occupancies" in page.data.node ? page.data.node as Resident : null;
  const projectId = r?.project?.id ?? null;
  const manage = !!r && !r.erased && can(viewer, "ARCHIVE_MANAGE", projectId);
  const mayReveal = !!r && !r.erased && can(viewer, "PERSONAL_DATA_READ", projectId);
  const mayErase = !!r && !r.erased && can(viewer, "PERSONAL_DATA_ERASE", projectId);
  const confirm = useAction("confirmResident", async (key) => {
    check((await request(ConfirmResidentDoc, { residentId: id, key })).confirmResident);
    await page.refetch();
  });
  const refetch = () => void page.refetch();

  if (page.loading && !page.data) return <Loading rows={10} />;
  if (page.data && !r) {
    return <Nothing zh="无权查看该住户的档案，或住户不存在。" en="This resident's record is not visible to you, or there is none."
                    action={<Link to="/archive"><L zh="回档案" en="Back to the archive" /></Link>} />;
  }

  const stayColumns: ColumnsType<Stay> = [
    { title: <L zh="房屋" en="Flat" />, key: "unit", render: (_, s) => <span data-testid="stay-unit">{s.unit.label}</span> },
    { title: <L zh="身份" en="Role" />, key: "role", width: 120, render: (_, s) => <span style={{ whiteSpace: "nowrap" }}>{s.roleLabel}{s.primaryContact && <Tag style={{ marginLeft: 4 }}>{t("主联系人", "Primary")}</Tag>}</span> },
    { title: <L zh="迁入" en="In" />, dataIndex: "movedInOn", width: 96, render: (d: string | null) => <span className="fc-num">{d ?? "—"}</span> },
    { title: <L zh="迁出" en="Out" />, dataIndex: "movedOutOn", width: 96, render: (d: string | null) => <span className="fc-num">{d ?? "—"}</span> },
    { title: <L zh="状态" en="State" />, key: "state", width: 140, render: (_, s) => s.current ? (
      <Space size={4}><Tag data-testid="stay-state">{t("现住", "Living here")}</Tag>
        {manage && <Button size="small" onClick={() => setMovingOut(s)} data-testid="move-out"><L zh="迁出" en="Move out" /></Button>}</Space>
    ) : <span className="fc-beside" data-testid="stay-state">{t("已迁出", "Moved out")}</span> },
  ];

  return (
    <div data-testid="resident-page">
      <ErrorBanner error={page.error} onRetry={refetch} />
      {r && (
        <>
          <Card size="small" data-testid="resident-header"
                title={<Space wrap>
                  <span style={{ fontSize: 16 }} data-testid="resident-title">{r.name}</span>
                  <Tag>{r.kind === "COMPANY" ? t("单位", "Company") : t("个人", "Person")}</Tag>
                  {r.erased && <Tag data-testid="resident-erased">{t("个人信息已删除", "Personal data erased")}</Tag>}
                  {r.project && <span className="fc-beside">{r.project.name}</span>}
                </Space>}
                extra={<Space wrap>
                  {manage && <>
                    <Button onClick={() => setEditing(true)} data-testid="edit-resident"><L zh="编辑" en="Edit" /></Button>
                    <Button onClick={() => setMovingIn(true)} data-testid="move-in"><L zh="迁入" en="Move in" /></Button>
                    <Button loading={confirm.busy} onClick={() => void confirm.run()} data-testid="confirm-resident"
                            title={t("住户本人在电话或上门时确认了档案", "The person confirmed the record on a call or visit")}>
                      <L zh="核实" en="Confirm" /></Button>
                  </>}
                  {can(viewer, "PERSONAL_DATA_READ", projectId) && <ExportPersonalData residentId={r.id} name={r.name} />}
                  {mayErase && <Button onClick={() => setErasing(true)} data-testid="erase-resident"><L zh="删除个人信息" en="Erase personal data" /></Button>}
                </Space>}>
            <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} items={[
              { key: "phone", label: t("电话", "Phone"), children: <RevealValue residentId={r.id} field="PHONE" masked={r.phoneMasked} allowed={mayReveal}
                                                                                onRevealed={() => setRevealed((n) => n + 1)} /> },
              { key: "id", label: r.idKindLabel ?? t("证件", "ID"), children: <RevealValue residentId={r.id} field="ID_NUMBER" masked={r.idNumberMasked} allowed={mayReveal}
                                                                                            onRevealed={() => setRevealed((n) => n + 1)} /> },
              { key: "verified", label: t("核实", "Verified"), children: <span className="fc-num" data-testid="resident-verified">{r.verifiedAt ? day(r.verifiedAt) : t("从未核实", "never")}</span> },
              ...(r.note ? [{ key: "note", label: t("备注", "Note"), children: r.note }] : []),
            ]} />
            <FormError error={confirm.error} />
            {mayReveal && <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <L zh="显示完整号码须选原因，记入查看记录；每人每小时至多 30 次。" en="Showing a number needs a reason and is recorded; at most 30 an hour per person." />
            </Typography.Text>}
          </Card>
          <div className="fc-case">
            <div>
              <Card size="small" title={<L zh="房屋" en="Flats" />}>
                <Table<Stay> rowKey="id" size="small" pagination={false} columns={stayColumns} dataSource={r.occupancies} data-testid="resident-stays"
                             rowClassName={(s) => (s.current ? "" : "fc-stay-past")} locale={{ emptyText: t("没有房屋，可点“迁入”", "No flat yet") }} />
              </Card>
              {projectId && !r.erased && <Belongings resident={r} projectId={projectId} manage={manage} onChanged={refetch} />}
              {projectId && can(viewer, "AUDIT_READ", projectId) && <Reveals projectId={projectId} residentId={r.id} refresh={revealed} />}
            </div>
            <div>
              {!r.erased && <Contacts resident={r} manage={manage} onChanged={refetch} />}
              <Card size="small" title={<L zh={`未完成工单 ${r.openCases.length}`} en={`Open cases ${r.openCases.length}`} />}>
                <Cases cases={r.openCases} testId="resident-open-cases" />
              </Card>
              <Card size="small" style={{ marginTop: 12 }} title={<L zh="最近工单" en="Recent cases" />}>
                <Cases cases={r.recentCases} testId="resident-recent-cases" />
              </Card>
            </div>
          </div>
          {editing && <EditResidentDrawer resident={r} onClose={() => setEditing(false)} onSaved={refetch} />}
          {movingIn && projectId && <MoveInDrawer resident={r} projectId={projectId} onClose={() => setMovingIn(false)} onSaved={refetch} />}
          {erasing && <EraseResidentDrawer residentId={r.id} name={r.name} onClose={() => setErasing(false)} onErased={refetch} />}
          {movingOut && <MoveOutDrawer stay={movingOut} onClose={() => setMovingOut(null)} onSaved={refetch} />}
        </>
      )}
    </div>
  );
}
