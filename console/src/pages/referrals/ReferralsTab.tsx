// 转办 Referrals of the viewer's projects with each body's answer deadline; a row opens its detail.
import { Segmented, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useState, type HTMLAttributes } from "react";
import { Link } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import type { ReferralRowFragment, ReferralStatus } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { ReferralDeadline } from "./deadlines";
import { ReferralsDoc } from "./queries";
import { ReferralDetail } from "./ReferralDetail";
import type { TabProps } from "./ReferralsPage";

const STATUSES: { value: ReferralStatus | "ALL"; zh: string; en: string }[] = [
  { value: "ALL", zh: "全部", en: "All" },
  { value: "SENT", zh: "已转办", en: "Sent" },
  { value: "ACKNOWLEDGED", zh: "已签收", en: "Acknowledged" },
  { value: "ANSWERED", zh: "已答复", en: "Answered" },
  { value: "WITHDRAWN", zh: "已撤回", en: "Withdrawn" },
];

function columns(t: (zh: string, en: string) => string): ColumnsType<ReferralRowFragment> {
  return [
    { title: <L zh="工单" en="Case" />, key: "case", width: 190, render: (_, r) => r.case
      ? <span><Link to={`/cases/${r.case.id}`} onClick={(e) => e.stopPropagation()} className="fc-num">{r.case.number}</Link><br /><span className="fc-beside">{r.project?.name}</span></span>
      : <span className="fc-beside">{t("无权查看", "Not visible")}</span> },
    { title: <L zh="外部单位" en="Outside body" />, key: "body", width: 170, render: (_, r) => r.body
      ? <span>{r.body.name}<br /><span className="fc-beside">{r.body.kindLabel} · {r.body.deliveryLabel}</span></span> : "—" },
    { title: <L zh="转办原因 · 请求事项" en="Reason · asked" />, key: "reason", ellipsis: true,
      render: (_, r) => <span title={`${r.reason}\n${r.requestedAction}`}>{r.reason}<br /><span className="fc-beside">{r.requestedAction}</span></span> },
    { title: <L zh="状态" en="Status" />, key: "status", width: 110, render: (_, r) => <Tag data-testid="referral-status">{r.statusLabel}</Tag> },
    { title: <L zh="反馈期限" en="Answer due" />, key: "due", width: 170, render: (_, r) => <ReferralDeadline r={r} /> },
    { title: <L zh="催办 · 升级" en="Reminders · level" />, key: "chase", width: 100, align: "right",
      render: (_, r) => <span className="fc-num">{r.remindersSent}{r.escalatedLevel ? ` · ${r.escalatedLevel.toUpperCase()}` : ""}</span> },
  ];
}

export function ReferralsTab({ projectId, tick, status, onStatus }: TabProps) {
  const t = useT();
  const chosen = (STATUSES.find((s) => s.value === status)?.value ?? "ALL");
  const list = useQuery(ReferralsDoc, { projectId, status: chosen === "ALL" ? null : chosen });
  const [openId, setOpenId] = useState<string | null>(null);
  const [rows, setRows] = useState<ReferralRowFragment[]>([]);
  const { refetch } = list;

  useEffect(() => setRows(list.data?.referrals ?? []), [list.data]);
  useEffect(() => {
    if (tick) void refetch();
  }, [tick, refetch]);

  const open = rows.find((r) => r.id === openId) ?? null;
  return (
    <div data-testid="referrals-tab">
      <Segmented value={chosen} onChange={(v) => onStatus(v === "ALL" ? null : String(v))} style={{ marginBottom: 8 }}
                 options={STATUSES.map((s) => ({ value: s.value, label: t(s.zh, s.en) }))} />
      <ErrorBanner error={list.error} onRetry={() => void refetch()} />
      {list.loading && !list.data ? <Loading /> : rows.length === 0 && !list.error ? (
        chosen === "ALL" ? <Nothing zh="没有转办记录：在工单页的下一步中选择「转办」" en="No referrals: refer a case from its page" />
          : <Nothing zh="没有此状态的转办：选择「全部」查看其余" en="None in this status: choose All for the rest" />
      ) : (
        <Table<ReferralRowFragment> rowKey="id" size="small" pagination={false} dataSource={rows} columns={columns(t)}
                                    rowClassName={(r) => (r.id === openId ? "fc-selected" : "")} data-testid="referral-rows"
                                    onRow={(r) => ({ onClick: () => setOpenId(r.id), "data-referral": r.id } as HTMLAttributes<HTMLElement>)} />
      )}
      <ReferralDetail referral={open} onClose={() => setOpenId(null)}
                      onChanged={(r) => setRows((all) => all.map((x) => (x.id === r.id ? r : x)))} />
    </div>
  );
}
