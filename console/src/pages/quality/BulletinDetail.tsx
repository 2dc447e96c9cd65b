// One bulletin as it reads (the preview of a draft), its print, and what can be done with it:
// publish a draft (the month's figures are frozen then, and shown), withdraw a published one with a
// reason. Each action its own idempotency key; the API's error shows under it.
import { App, Button, Card, Checkbox, Descriptions, Input, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { openPrint } from "../../api/documents";
import { ApiError, check, request } from "../../api/client";
import { can, useAuth } from "../../auth";
import type { BulletinDetailFragment, FiguresFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FIGURES, pct, when } from "./common";
import { asApiError, FormError, useAction } from "../../ui/action";
import { PublishBulletinDoc, WithdrawBulletinDoc } from "./queries";

export function FrozenFigures({ f }: { f: FiguresFragment }) {
  const t = useT();
  const k = f.kpis;
  return (
    <Descriptions size="small" column={2} bordered data-testid="frozen-figures" styles={{ label: { whiteSpace: "nowrap" }, content: { whiteSpace: "nowrap" } }}
                  title={<span><L zh="冻结数据" en="Frozen figures" /> <span className="fc-beside">{when(f.takenAt)}</span></span>}
                  items={[
                    { key: "r", label: t("受理量", "Received"), children: k.received },
                    { key: "c", label: t("投诉", "Complaints"), children: f.complaints },
                    { key: "o", label: t("未办结", "Open"), children: f.open },
                    { key: "od", label: t("超时", "Overdue"), children: f.overdue },
                    { key: "rr", label: t("响应率", "Response"), children: pct(k.responseRate) },
                    { key: "sr", label: t("解决率", "Resolution"), children: pct(k.resolutionRate) },
                    { key: "sat", label: t("满意率", "Satisfaction"), children: pct(k.satisfactionRate) },
                    { key: "ot", label: t("按时办结率", "On time"), children: pct(k.onTimeRate) },
                    { key: "rv", label: t("回访率", "Return visits"), children: pct(k.returnVisitRate) },
                    { key: "bp", label: t("失约", "Broken promises"), children: k.brokenPromises },
                    { key: "es", label: t("升级", "Escalations"), children: k.escalations },
                    { key: "cp", label: t("千户投诉率", "Per 1000"), children: k.complaintsPer1000?.toFixed(2) ?? "—" },
                    ...(f.caseNumbers.length ? [{ key: "n", label: t("关联工单", "Cases"), span: 2, children: f.caseNumbers.join("、") }] : []),
                  ]} />
  );
}

interface Props {
  b: BulletinDetailFragment;
  onChanged: (b: BulletinDetailFragment) => void;
  onEdit: () => void;
}

export function BulletinDetail({ b, onChanged, onEdit }: Props) {
  const t = useT();
  const { viewer } = useAuth();
  const { message } = App.useApp();
  const [circulate, setCirculate] = useState(false);
  const [reason, setReason] = useState("");
  const mayPublish = can(viewer, "BULLETIN_PUBLISH", b.projectId);
  const companyWide = !!viewer?.permissions.includes("BULLETIN_PUBLISH");

  // Publishing and withdrawing are two acts, each with its own key.
  const publish = useAction("publishBulletin", async (key) => {
    const payload = check((await request(PublishBulletinDoc, { bulletinId: b.id, circulate, key })).publishBulletin);
    if (payload.bulletin) onChanged(payload.bulletin);
  });
  const withdraw = useAction("withdrawBulletin", async (key) => {
    if (!reason.trim()) throw new ApiError("VALIDATION", t("请写明撤回原因", "Say why it is withdrawn"));
    const payload = check((await request(WithdrawBulletinDoc, { bulletinId: b.id, reason: reason.trim(), key })).withdrawBulletin);
    if (payload.bulletin) onChanged(payload.bulletin);
  });
  const busy = publish.busy || withdraw.busy;
  const error = publish.error ?? withdraw.error;
  const act = (kind: "publish" | "withdraw") => (kind === "publish" ? publish : withdraw).run();


  const figureNames = b.citedFigures.map((f) => t(FIGURES.find((x) => x.value === f)?.zh ?? f, f));
  return (
    <Card size="small" data-testid="bulletin-detail" data-state={b.state}
          title={<span><Tag>{b.kindLabel.split(" ")[0]}</Tag>{b.title}</span>}
          extra={<Button onClick={() => openPrint(b.printPath).catch((e: unknown) => void message.error(asApiError(e).message))} data-testid="bulletin-print">
            <L zh="打印" en="Print" /></Button>}>
      {b.state === "DRAFT" && <Typography.Text type="secondary"><L zh="预览：发布时冻结本月数据" en="Preview: the month's figures are frozen on publishing" /></Typography.Text>}
      <Descriptions size="small" column={2} style={{ marginTop: 8 }} items={[
        { key: "s", label: t("状态", "State"), children: <Tag data-testid="bulletin-state">{b.stateLabel}</Tag> },
        { key: "m", label: t("月份", "Month"), children: b.month.slice(0, 7) },
        { key: "p", label: t("项目", "Project"), children: b.project?.name ?? "" },
        { key: "d", label: t("部门", "Department"), children: b.department?.name ?? "—" },
        ...(figureNames.length ? [{ key: "f", label: t("依据指标", "Figures cited"), span: 2, children: figureNames.join("、") }] : []),
        ...(b.cases.length ? [{ key: "c", label: t("关联工单", "Cases"), span: 2, children: b.cases.map((c) => c.number).join("、") }] : []),
        ...(b.publishedAt ? [{ key: "pa", label: t("发布", "Published"), children: `${when(b.publishedAt)}${b.circulated ? t(" · 全公司通报", " · circulated") : ""}` }] : []),
        ...(b.withdrawnAt ? [{ key: "w", label: t("撤回", "Withdrawn"), children: `${when(b.withdrawnAt)} · ${b.withdrawalReason ?? ""}` }] : []),
      ]} />
      <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginTop: 8 }}>{b.body}</Typography.Paragraph>
      {b.figures && <FrozenFigures f={b.figures} />}
      {mayPublish && b.state === "DRAFT" && (
        <Space style={{ marginTop: 12 }} wrap>
          <Button type="primary" onClick={() => void act("publish")} loading={busy} data-testid="bulletin-publish"><L zh="发布" en="Publish" /></Button>
          {companyWide && <Checkbox checked={circulate} onChange={(e) => setCirculate(e.target.checked)}><L zh="全公司通报" en="Circulate company-wide" /></Checkbox>}
          <Button onClick={onEdit}><L zh="修改草稿" en="Edit draft" /></Button>
        </Space>
      )}
      {mayPublish && b.state === "PUBLISHED" && (
        <Space.Compact style={{ marginTop: 12, width: "100%" }}>
          <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} aria-label={t("撤回原因", "Reason")}
                 placeholder={t("撤回原因（必填）", "Why it is withdrawn (required)")} />
          <Button onClick={() => void act("withdraw")} loading={busy} data-testid="bulletin-withdraw"><L zh="撤回" en="Withdraw" /></Button>
        </Space.Compact>
      )}
      <FormError error={error} />
    </Card>
  );
}
