// 城市时限 A city's 12345 deadlines for the whole company, one row per urgency; defaults marked.
import { Button, Input, InputNumber, Space, Table, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { AdminCityDeadlinesQuery, GovUrgency } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ErrorBanner, Loading } from "../../ui/states";
import { CityDeadlinesDoc, SetCityDeadlinesDoc } from "./queries";

type Row = AdminCityDeadlinesQuery["govCityDeadlines"][number];
type Minutes = Record<string, { responseMinutes: number; resolveMinutes: number }>;

export function CityDeadlines() {
  const t = useT();
  const [city, setCity] = useState<string | null>(null);
  const list = useQuery(CityDeadlinesDoc, { city });
  const [edits, setEdits] = useState<Minutes>({});
  useEffect(() => setEdits({}), [list.data]);
  const save = useAction("setGovCityDeadlines", async (key, rows: Row[]) => {
    const deadlines = rows.map((r) => ({ urgency: r.urgency as GovUrgency, ...(edits[r.urgency] ?? r) }))
      .map(({ urgency, responseMinutes, resolveMinutes }) => ({ urgency, responseMinutes, resolveMinutes }));
    check((await request(SetCityDeadlinesDoc, { city: city ?? "", deadlines, key })).setGovCityDeadlines);
    await list.refetch();
  });
  const rows = list.data?.govCityDeadlines ?? [];
  const edit = (r: Row, field: "responseMinutes" | "resolveMinutes", v: number | null) =>
    setEdits((e) => ({ ...e, [r.urgency]: { ...(e[r.urgency] ?? r), [field]: v ?? 0 } }));

  return (
    <div>
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Title level={5} style={{ margin: 0 }}><L zh="12345 城市时限" en="12345 deadlines by city" /></Typography.Title>
        <Input.Search allowClear style={{ width: 200 }} placeholder={t("城市，如 北京市", "City")} onSearch={(v) => setCity(v || null)} />
      </Space>
      <ErrorBanner error={list.error} onRetry={() => void list.refetch()} />
      {list.loading && !list.data ? <Loading rows={3} /> : (
        <Table<Row> rowKey={(r) => `${r.city}:${r.urgency}`} size="small" pagination={false} dataSource={rows}
                    locale={{ emptyText: t("还没有设置任何城市：输入城市查看默认时限。", "No city set yet: enter one to see the defaults.") }}
                    columns={[
                      { title: <L zh="城市" en="City" />, dataIndex: "city", width: 100 },
                      { title: <L zh="紧急程度" en="Urgency" />, dataIndex: "urgencyLabel", width: 120,
                        render: (l: string, r) => <span>{l} {r.isDefault && <Tag>{t("默认", "default")}</Tag>}</span> },
                      { title: <L zh="签收（分钟）" en="Response (min)" />, key: "resp", width: 140,
                        render: (_, r) => city ? <InputNumber min={1} value={(edits[r.urgency] ?? r).responseMinutes} onChange={(v) => edit(r, "responseMinutes", v)} /> : r.responseMinutes },
                      { title: <L zh="办结（分钟）" en="Result (min)" />, key: "res", width: 140,
                        render: (_, r) => city ? <InputNumber min={1} value={(edits[r.urgency] ?? r).resolveMinutes} onChange={(v) => edit(r, "resolveMinutes", v)} /> : r.resolveMinutes },
                    ]} />
      )}
      {city && rows.length > 0 && (
        <Button type="primary" style={{ marginTop: 8 }} loading={save.busy} onClick={() => void save.run(rows)}>
          <L zh={`保存 ${city} 时限`} en={`Save ${city}'s deadlines`} />
        </Button>
      )}
      <FormError error={save.error} />
    </div>
  );
}
