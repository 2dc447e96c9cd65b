// One notice: its words, audience and times; the next steps the viewer may take (修改 / 提交审核 for
// drafters, 通过 / 退回 / 撤回 for notice:publish holders — the API checks again and its error shows
// here); once published, 已读 N / 送达 M and the flats that have not read it (使用App marked), by
// building, with the Excel export, and what each channel was sent.
import { Alert, App, Button, Card, Descriptions, Input, Space, Statistic, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { check, request } from "../../api/client";
import { download } from "../../api/documents";
import type { NoticeDetailFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { asApiError, FormError, useAction } from "../../ui/action";
import { AUDIENCES, when } from "./labels";
import { ApproveNoticeDoc, ReturnNoticeDoc, SubmitNoticeDoc, WithdrawNoticeDoc } from "./queries";
import { UnreadList } from "./UnreadList";

interface Props {
  notice: NoticeDetailFragment;
  mayDraft: boolean;
  mayPublish: boolean;
  onChanged: (n: NoticeDetailFragment) => void;
  onEdit: () => void;
  /** The read and reach counts as the unread list last saw them, for the list's row. */
  onCounts: (recipientCount: number | null, readUnitCount: number) => void;
}

type Step = "submit" | "approve" | "return" | "withdraw";

export function NoticeDetail({ notice: n, mayDraft, mayPublish, onChanged, onEdit, onCounts }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const [asking, setAsking] = useState<"return" | "withdraw" | null>(null);
  const [why, setWhy] = useState("");
  const act = useAction("notice", async (key, step: Step, text: string) => {
    const id = n.id;
    const payload = step === "submit" ? (await request(SubmitNoticeDoc, { id, key })).submitNotice
      : step === "approve" ? (await request(ApproveNoticeDoc, { id, key })).approveNotice
      : step === "return" ? (await request(ReturnNoticeDoc, { id, note: text, key })).returnNotice
      : (await request(WithdrawNoticeDoc, { id, reason: text, key })).withdrawNotice;
    const changed = check(payload).notice;
    if (changed) onChanged(changed);
  });
  useEffect(() => setWhy(""), [asking]);
  const run = async (step: Step, text = "") => {
    if (await act.run(step, text)) setAsking(null);
  };
  const urgent = n.kind === "EMERGENCY" || n.kind === "OUTAGE";
  const audience = AUDIENCES.find((a) => a.value === n.audience);
  const reached = n.state === "PUBLISHED" || n.state === "EXPIRED" || (n.state === "WITHDRAWN" && n.publishedAt !== null);

  const buttons = (
    <Space wrap style={{ marginTop: 8 }}>
      {n.state === "DRAFT" && mayDraft && <Button onClick={onEdit} data-testid="notice-edit"><L zh="修改" en="Edit" /></Button>}
      {n.state === "DRAFT" && mayDraft && (
        <Button type="primary" loading={act.busy} onClick={() => void run("submit")} data-testid="notice-submit"><L zh="提交审核" en="Submit" /></Button>
      )}
      {((n.state === "PENDING") || (n.state === "DRAFT" && urgent)) && mayPublish && (
        <Button type="primary" loading={act.busy} onClick={() => void run("approve")} data-testid="notice-approve">
          {n.state === "DRAFT" ? <L zh="直接发布" en="Publish now" /> : <L zh="通过" en="Approve" />}
        </Button>
      )}
      {n.state === "PENDING" && mayPublish && (
        <Button onClick={() => setAsking("return")} data-testid="notice-return"><L zh="退回" en="Return" /></Button>
      )}
      {(n.state === "PUBLISHED" || n.state === "SCHEDULED") && mayPublish && (
        <Button danger onClick={() => setAsking("withdraw")} data-testid="notice-withdraw"><L zh="撤回" en="Withdraw" /></Button>
      )}
    </Space>
  );

  return (
    <Card size="small" data-testid="notice-detail"
          title={<span><Tag>{n.kindLabel}</Tag>{n.title}</span>} extra={<Tag data-testid="notice-detail-state">{n.stateLabel}</Tag>}>
      {n.returnedNote && n.state === "DRAFT" && (
        <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={<span>{t("退回意见", "Returned")}：{n.returnedNote}</span>} />
      )}
      {n.state === "WITHDRAWN" && (
        <Alert type="info" showIcon style={{ marginBottom: 8 }}
               message={<span>{t("已撤回", "Withdrawn")} {when(n.withdrawnAt)} · {n.withdrawnByActor?.displayName}：{n.withdrawReason}</span>} />
      )}
      <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }} data-testid="notice-body-text">{n.body}</Typography.Paragraph>
      <Descriptions size="small" column={2} items={[
        { key: "a", label: t("发送范围", "Audience"), children: audience ? t(audience.zh, audience.en)
          + (n.audience === "BUILDINGS" ? ` · ${n.buildingIds.length}` : n.audience === "UNITS" ? ` · ${n.unitIds.length}` : "") : n.audience },
        { key: "au", label: t("起草人", "Author"), children: n.authorActor.displayName },
        { key: "p", label: t("发布时间", "Published"), children: n.publishedAt ? when(n.publishedAt) : n.publishAt ? `${t("定时", "At")} ${when(n.publishAt)}` : "—" },
        { key: "e", label: t("失效时间", "Expires"), children: when(n.expiresAt) },
        { key: "ap", label: t("审核人", "Approver"), children: n.approverActor?.displayName ?? "—" },
        { key: "c", label: t("渠道", "Channels"), children: n.channelIds.length ? String(n.channelIds.length) : t("仅App", "App only") },
      ]} />
      {buttons}
      {n.state === "PENDING" && !mayPublish && (
        <Typography.Text type="secondary" data-testid="notice-waiting">
          <L zh="已提交，等待审核（项目经理或客服主管）" en="Submitted: waiting for a project manager or CS supervisor to approve" />
        </Typography.Text>
      )}
      {asking && (
        <div style={{ marginTop: 8 }} data-testid="notice-why">
          <Input.TextArea rows={2} maxLength={500} value={why} onChange={(e) => setWhy(e.target.value)} autoFocus
                          placeholder={asking === "return" ? t("退回意见（必填）", "Why it goes back (required)") : t("撤回原因（必填）", "Why (required)")} />
          <Space style={{ marginTop: 4 }}>
            <Button type="primary" danger={asking === "withdraw"} disabled={!why.trim()} loading={act.busy}
                    onClick={() => void run(asking, why.trim())} data-testid="notice-why-confirm">
              {asking === "return" ? <L zh="确认退回" en="Return it" /> : <L zh="确认撤回" en="Withdraw it" />}
            </Button>
            <Button onClick={() => setAsking(null)}><L zh="取消" en="Cancel" /></Button>
          </Space>
        </div>
      )}
      <FormError error={act.error} />
      {reached && (
        <UnreadList notice={n} onCounts={onCounts} onExport={() => download(`/export/notices/${encodeURIComponent(n.id)}/unread.xlsx`, `未读名单-${n.title}.xlsx`)
          .catch((e: unknown) => void message.error(asApiError(e).message))} mayExport={mayDraft || mayPublish} />
      )}
      {n.state === "SCHEDULED" && <Statistic title={t("定时发布", "Publishes at")} value={when(n.publishAt)} />}
    </Card>
  );
}
