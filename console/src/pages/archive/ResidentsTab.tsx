// 住户 A project's residents: by name (its start), phone (the whole number, any usual spelling),
// flat (part of its number, as callerLookup reads it), role, and whether they live here now. A row
// opens the resident's page; 登记住户 with archive:manage.
import { Button, Form, Input, Select, Space, Switch, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { ApiError, request } from "../../api/client";
import type { ArchiveResidentRowFragment, OccupantRole, ResidentFilter } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { asApiError } from "../../ui/action";
import { OCCUPANT_ROLES } from "../../ui/labels";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { useAllPages } from "./load";
import { FlatLookupDoc, ResidentsDoc } from "./queries";
import { RegisterResidentDrawer } from "./RegisterResident";

interface Search { name?: string; phone?: string; flat?: string; role?: OccupantRole; current: boolean }
type Row = ArchiveResidentRowFragment;

export function ResidentsTab({ projectId, manage }: { projectId: string; manage: boolean }) {
  const t = useT();
  const navigate = useNavigate();
  const [form] = Form.useForm<Search>();
  const [search, setSearch] = useState<Search>({ current: true });
  const [more, setMore] = useState<{ rows: Row[]; after: string | null; total: number } | null>(null);
  const [flatNote, setFlatNote] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const [extraError, setExtraError] = useState<ApiError | null>(null);

  // A flat narrows to its people through callerLookup: one flat matched → the list filtered by it
  // (role and history still apply); several → their current occupants.
  const list = useAllPages<Row>(async () => {
    setFlatNote(null);
    const filter: ResidentFilter = { name: search.name?.trim() || null, phone: search.phone?.trim() || null, role: search.role ?? null, current: search.current };
    if (search.flat?.trim()) {
      const found = (await request(FlatLookupDoc, { flat: search.flat.trim(), projectId })).callerLookup;
      if (found.units.length === 0) {
        setFlatNote(t("没有找到这个房号", "No such flat"));
        return { pageInfo: { hasNextPage: false }, edges: [] };
      }
      if (found.units.length > 1) {
        setFlatNote(t(`匹配 ${found.units.length} 套房屋，列出其现住户：${found.units.map((u) => u.label).join("、")}`,
                      `${found.units.length} flats match; their current residents: ${found.units.map((u) => u.label).join(", ")}`));
        const rows = found.residents.filter((r) => !search.role || r.occupancies.some((o) => o.current && found.units.some((u) => u.id === o.unit.id)));
        return { pageInfo: { hasNextPage: false }, edges: rows.map((node) => ({ node })) };
      }
      filter.unitId = found.units[0].id;
      setFlatNote(found.units[0].label);
    }
    const page = (await request(ResidentsDoc, { projectId, filter })).residents;
    setMore({ rows: [], after: page.pageInfo.hasNextPage ? page.pageInfo.endCursor ?? null : null, total: page.totalCount });
    return { pageInfo: { hasNextPage: false }, edges: page.edges };
  }, `${projectId}:${JSON.stringify(search)}`);

  async function loadMore() {
    if (!more?.after) return;
    try {
      const filter = { name: search.name?.trim() || null, phone: search.phone?.trim() || null, role: search.role ?? null, current: search.current };
      const page = (await request(ResidentsDoc, { projectId, filter, after: more.after })).residents;
      setMore({ rows: [...more.rows, ...page.edges.map((e) => e.node)], after: page.pageInfo.hasNextPage ? page.pageInfo.endCursor ?? null : null, total: page.totalCount });
    } catch (e) {
      setExtraError(asApiError(e));
    }
  }

  const rows = [...(list.rows ?? []), ...(more?.rows ?? [])];
  const columns: ColumnsType<Row> = [
    { title: <L zh="姓名" en="Name" />, dataIndex: "name", width: 140, render: (n: string, r) => <><a data-testid="resident-name">{n}</a>{r.kind === "COMPANY" && <Tag style={{ marginLeft: 4 }}>{t("单位", "Company")}</Tag>}</> },
    { title: <L zh="电话" en="Phone" />, dataIndex: "phoneMasked", width: 120, render: (p: string | null) => <span className="fc-num">{p ?? "—"}</span> },
    {
      title: <L zh="房屋" en="Flats" />, key: "flats",
      render: (_, r) => r.occupancies.length === 0 ? <span className="fc-beside">{t("无房屋", "No flat")}</span> : (
        <Space size={[4, 4]} wrap>
          {r.occupancies.map((o) => (
            <Tag key={o.id} className={o.current ? undefined : "fc-stay-past"} title={o.current ? undefined : t("已迁出", "Moved out")}>
              {o.unit.label} · {o.roleLabel}{!o.current && ` · ${t("已迁出", "out")}`}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: <L zh="核实" en="Verified" />, dataIndex: "verifiedAt", width: 100,
      render: (v: string | null) => <span className="fc-num">{v ? new Date(v).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" }) : "—"}</span> },
  ];

  return (
    <div>
      <Form<Search> form={form} layout="inline" initialValues={{ current: true }} style={{ marginBottom: 12, rowGap: 8 }} data-testid="resident-search"
                    onFinish={(v) => { setMore(null); setSearch({ ...v, current: v.current ?? true }); }}>
        <Form.Item name="name" label={t("姓名", "Name")}><Input allowClear style={{ width: 110 }} placeholder={t("姓名开头", "Starts with")} /></Form.Item>
        <Form.Item name="phone" label={t("电话", "Phone")}><Input allowClear inputMode="tel" style={{ width: 140 }} placeholder={t("完整号码", "Whole number")} /></Form.Item>
        <Form.Item name="flat" label={t("房号", "Flat")}><Input allowClear style={{ width: 120 }} placeholder="3-2-1502" /></Form.Item>
        <Form.Item name="role" label={t("身份", "Role")}>
          <Select allowClear style={{ width: 90 }} options={OCCUPANT_ROLES.map((r) => ({ value: r.value, label: t(r.zh, r.en) }))} />
        </Form.Item>
        <Form.Item name="current" label={t("只看现住", "Living here")} valuePropName="checked"><Switch size="small" /></Form.Item>
        <Form.Item><Button type="primary" htmlType="submit" data-testid="resident-search-submit"><L zh="查找" en="Search" /></Button></Form.Item>
        {manage && <Form.Item><Button onClick={() => setRegistering(true)} data-testid="register-resident"><L zh="登记住户" en="Register" /></Button></Form.Item>}
      </Form>
      <ErrorBanner error={list.error ?? extraError} onRetry={() => void list.refetch()} />
      {flatNote && <div className="fc-beside" style={{ marginBottom: 8 }} data-testid="flat-note">{t("房号：", "Flat: ")}{flatNote}</div>}
      {list.loading && !list.rows ? <Loading />
        : rows.length === 0 ? <Nothing zh="没有符合条件的住户。" en="No resident matches." />
        : (
          <>
            <Table<Row> rowKey="id" size="small" columns={columns} dataSource={rows} pagination={false} data-testid="resident-table"
                        onRow={(r) => ({ onClick: () => navigate(`/residents/${r.id}`) })} />
            <Space style={{ marginTop: 8 }}>
              {more && <span className="fc-beside fc-num">{t(`共 ${more.total} 人，已列 ${rows.length} 人`, `${rows.length} of ${more.total}`)}</span>}
              {more?.after && <Button onClick={() => void loadMore()}><L zh="加载更多" en="Load more" /></Button>}
            </Space>
          </>
        )}
      {registering && <RegisterResidentDrawer projectId={projectId} onClose={() => setRegistering(false)}
                                              onRegistered={(id) => navigate(`/residents/${id}`)} />}
    </div>
  );
}
