// 工单详情 The case page: header with the SLA chips; left the timeline and escalations; right
// 下一步 (the transitions the viewer may perform, each a drawer) and the progress as the resident
// sees it. Case events refetch the page live.
import { App, Button, Card, Descriptions, Empty, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useSubscription } from "../../api/live";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { CaseDetailFragment, CasePlaceFragment, CaseState } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { useKeys } from "../../ui/keys";
import { CHANNELS, KINDS, SEVERITIES } from "../../ui/labels";
import { RevealValue } from "../../ui/RevealValue";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { ActionDrawer } from "./ActionDrawer";
import { offered, type ActionSpec } from "./actions";
import { CaseTimeline, Escalations } from "./History";
import { ResidentProgress } from "./Progress";
import { CaseReadPanels } from "./ReadPanels";
import { CaseLiveDoc, CasePageDoc } from "./queries";
import { SlaChips } from "./SlaChips";
import { useActionParam } from "./useActionParam";

const RESOLVED = new Set<CaseState>(["RESOLVED", "CONFIRMED", "CLOSED"]);
const FINISHED = new Set<CaseState>(["CLOSED", "CANCELLED", "DECLINED"]);
const when = (at: string) => new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" });

function Header({ c, place }: { c: CaseDetailFragment; place: CasePlaceFragment | null }) {
  const t = useT();
  const kind = KINDS.find((k) => k.value === c.kind);
  const severity = SEVERITIES.find((s) => s.value === c.severity);
  // Once resolved, who handled it (a reopen may dispatch it to someone else); before, who it is dispatched to.
  const who = RESOLVED.has(c.state) ? c.handler ?? c.assignee : c.assignee;
  return (
    <Card size="small" data-testid="case-header"
          title={<Space wrap><span className="fc-num" style={{ fontSize: 16 }}>{c.number}</span><Tag data-testid="case-state">{c.stateLabel}</Tag>
            {c.overdue && <Tag className="fc-chip-late">⚠ {t("超时", "Overdue")}</Tag>}
            {c.reworkLevel > 1 && <Tag>{t(`返工 L${c.reworkLevel}`, `Rework L${c.reworkLevel}`)}</Tag>}
            {c.brokenPromises > 0 && <Tag>{t(`失约 ${c.brokenPromises}`, `${c.brokenPromises} broken`)}</Tag>}</Space>}
>
      <SlaChips c={c} />
      <Typography.Paragraph style={{ fontSize: 15, margin: "8px 0" }}>{c.description}</Typography.Paragraph>
      <Descriptions size="small" column={3} items={[
        { key: "kind", label: t("类型", "Kind"), children: `${t(kind?.zh ?? c.kind, kind?.en ?? c.kind)} · ${t(severity?.zh ?? "", severity?.en ?? "")}` },
        { key: "cat", label: t("类别", "Category"), children: c.category.name },
        { key: "project", label: t("项目", "Project"), children: c.project?.name },
        place?.unit
          ? { key: "place", label: t("楼栋·房号", "Flat"), children: <span data-testid="case-unit">{place.unit.label}</span> }
          : { key: "place", label: t("位置", "Place"), children: c.publicArea ?? "—" },
        ...(place?.resident ? [{ key: "resident", label: t("住户", "Resident"), children: <CaseResident c={c} resident={place.resident} /> }] : []),
        { key: "who", label: t("处理人", "Handler"), children: <span data-testid="case-assignee">{who?.displayName ?? "—"}</span> },
        { key: "received", label: t("受理", "Received"), children: when(c.receivedAt) },
        { key: "due", label: t("承诺时限", "Promised by"), children: <span data-testid="case-due">{c.commitmentDue ? when(c.commitmentDue) : "—"}</span> },
        { key: "channel", label: t("渠道", "Channel"), children: t(CHANNELS.find((ch) => ch.value === c.channel)?.zh ?? c.channel, c.channel) },
      ]} />
    </Card>
  );
}

// The reporter: name and masked phone; their page for whoever keeps the archive, and 显示 by the
// assignee's rule (their own open case) or with personal_data:read.
function CaseResident({ c, resident }: { c: CaseDetailFragment; resident: NonNullable<CasePlaceFragment["resident"]> }) {
  const { viewer } = useAuth();
  const projectId = c.project?.id;
  const name = can(viewer, "ARCHIVE_READ", projectId) && !resident.erased
    ? <Link to={`/residents/${resident.id}`} data-testid="case-resident-link">{resident.name}</Link> : <span>{resident.name}</span>;
  const mine = !!viewer?.user && c.assignee?.id === viewer.user.id && !FINISHED.has(c.state);
  const mayReveal = !resident.erased && (can(viewer, "PERSONAL_DATA_READ", projectId) || mine);
  return (
    <Space size={6} data-testid="case-resident">
      {name}
      <RevealValue residentId={resident.id} field="PHONE" masked={resident.phoneMasked} allowed={mayReveal} caseId={mine ? c.id : undefined} />
    </Space>
  );
}

function NextSteps({ actions, onOpen }: { actions: ActionSpec[]; onOpen: (a: ActionSpec) => void }) {
  return (
    <Card size="small" title={<L zh="下一步" en="Next step" />} data-testid="next-steps">
      {actions.length === 0 ? <span className="fc-beside"><L zh="你在此状态下没有可执行的操作" en="Nothing for you to do now" /></span> : (
        <div className="fc-actions">
          {actions.map((a, i) => (
            <Button key={a.id} type={i === 0 ? "primary" : "default"} onClick={() => onOpen(a)} data-action={a.id}>
              <L zh={a.zh} en={a.en} />{a.hotkey && <kbd className="fc-kbd">{a.hotkey.toUpperCase()}</kbd>}
            </Button>
          ))}
        </div>
      )}
    </Card>
  );
}

export default function CasePage() {
  const { id = "" } = useParams();
  const { message } = App.useApp();
  const t = useT();
  const page = useQuery(CasePageDoc, { id });
  const [c, setCase] = useState<CaseDetailFragment | null>(null);
  const [open, setOpen] = useState<ActionSpec | null>(null);

  useEffect(() => setCase(page.data?.case ?? null), [page.data]);
  useSubscription(CaseLiveDoc, { projectId: c?.project?.id ?? null }, (d) => {
    if (d.caseUpdates.case.id === id) void page.refetch();
  }, () => void page.refetch());

  const actions = c ? offered(c) : [];
  useKeys(Object.fromEntries(actions.filter((a) => a.hotkey).map((a) => [a.hotkey!, () => setOpen(a)])), !open);
  useActionParam(c !== null && c.id === id, actions, setOpen);

  if (page.loading && !page.data) return <Loading rows={10} />;
  if (page.data && !page.data.case) {
    return <Nothing zh="无权查看或工单不存在" en="Not visible, or no such case" action={<Link to="/queue"><L zh="回工作台" en="Back to the queue" /></Link>} />;
  }
  return (
    <div data-testid="case-page">
      <ErrorBanner error={page.error} onRetry={() => void page.refetch()} />
      {c && <Header c={c} place={page.data?.case ?? null} />}
      {c && page.data && (
        <div className="fc-case">
          <div>
            <Card size="small" title={<L zh="处理记录" en="Timeline" />}><CaseTimeline entries={page.data.caseTimeline} /></Card>
            <Escalations items={c.escalations} />
          </div>
          <div>
            <NextSteps actions={actions} onOpen={setOpen} />
            {page.data.caseProgress ? <ResidentProgress progress={page.data.caseProgress} /> : <Empty />}
            <CaseReadPanels c={c} />
          </div>
        </div>
      )}
      {c && open && (
        <ActionDrawer key={open.id} action={open} c={c} onClose={() => setOpen(null)} onStale={() => void page.refetch()}
                      onChanged={(next) => { setCase(next); void page.refetch(); }}
                      onDone={(next) => {
                        setCase(next);
                        setOpen(null);
                        void message.success(t(`${open.zh}：已完成`, `${open.en}: done`), 2);
                        void page.refetch();
                      }} />
      )}
    </div>
  );
}

