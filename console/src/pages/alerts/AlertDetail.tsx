// One alert: what it says, its cases, and what can be done — 签收 (A) and 处置 with a required
// note (R). Each form has its own idempotency key; the API's error shows beside the action.
import { Button, Card, Descriptions, Input, Space, Tag, Typography } from "antd";
import { useImperativeHandle, useRef, useState, type Ref } from "react";
import type { TextAreaRef } from "antd/es/input/TextArea";
import { ApiError, check, request } from "../../api/client";
import type { AlertRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ALERT_TAG } from "../../ui/alerts";
import { formKeys } from "../../ui/keys";
import { ProjectName } from "../../ui/ProjectName";
import { RaiseActionButton } from "../improvements/RaiseAction";
import { AlertCases } from "./AlertCases";
import { AcknowledgeAlertDoc, ResolveAlertDoc } from "./queries";

export interface DetailHandle {
  acknowledge: () => void;
  startResolving: () => void;
}

const when = (at: string | null | undefined) => (at ? new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) : "");

interface Props {
  alert: AlertRowFragment;
  canHandle: boolean;
  onChanged: (a: AlertRowFragment) => void;
  ref?: Ref<DetailHandle>;
}

export function AlertDetail({ alert, canHandle, onChanged, ref }: Props) {
  const t = useT();
  const [note, setNote] = useState("");
  const noteRef = useRef<TextAreaRef>(null);
  const ack = useAction("acknowledgeAlert", async (key) => {
    const payload = check((await request(AcknowledgeAlertDoc, { alertId: alert.id, key })).acknowledgeAlert);
    if (payload.alert) onChanged(payload.alert);
  });
  const resolve = useAction("resolveAlert", async (key) => {
    if (!note.trim()) {
      noteRef.current?.focus();
      throw new ApiError("VALIDATION", t("请填写处置说明", "Write what was done"));
    }
    const payload = check((await request(ResolveAlertDoc, { alertId: alert.id, note: note.trim(), key })).resolveAlert);
    if (payload.alert) onChanged(payload.alert);
  });
  const run = (kind: "ack" | "resolve") => {
    if (ack.busy || resolve.busy) return;
    (kind === "ack" ? resolve : ack).clear(); // the error shown is the last act's
    void (kind === "ack" ? ack : resolve).run();
  };

  useImperativeHandle(ref, () => ({
    acknowledge: () => run("ack"),
    startResolving: () => noteRef.current?.focus(),
  }));

  const open = alert.state !== "resolved";
  return (
    <Card size="small" data-testid="alert-detail" data-alert-state={alert.state}
          title={<span><Tag color={ALERT_TAG[alert.colour]}>{alert.colourLabel}</Tag>{alert.title}</span>}>
      <Typography.Paragraph>{alert.detail}</Typography.Paragraph>
      <Descriptions size="small" column={1} items={[
        { key: "rule", label: t("规则", "Rule"), children: alert.ruleLabel },
        { key: "project", label: t("项目", "Project"), children: <ProjectName id={alert.projectId} /> },
        { key: "opened", label: t("发生", "Opened"), children: when(alert.openedAt) },
        ...(alert.acknowledgedAt ? [{ key: "ack", label: t("签收", "Acknowledged"), children: `${when(alert.acknowledgedAt)} · ${alert.acknowledger?.displayName ?? ""}` }] : []),
        ...(alert.resolvedAt ? [{ key: "res", label: t("处置", "Resolved"), children: `${when(alert.resolvedAt)} · ${alert.resolver?.displayName ?? ""}` }] : []),
        ...(alert.resolutionNote ? [{ key: "note", label: t("处置说明", "Note"), children: alert.resolutionNote }] : []),
      ]} />
      {canHandle && open && (
        <div style={{ marginTop: 8 }} onKeyDown={formKeys(() => run("resolve"), () => noteRef.current?.blur())}>
          <Input.TextArea ref={noteRef} rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000}
                          aria-label={t("处置说明", "What was done")} placeholder={t("处置说明（必填），如 已致电业主并安排维修", "What was done (required)")} />
          <Space style={{ marginTop: 8 }}>
            {alert.state === "open" && (
              <Button onClick={() => run("ack")} loading={ack.busy} data-testid="alert-ack">
                <L zh="签收" en="Acknowledge" /> (A)
              </Button>
            )}
            <Button type="primary" onClick={() => run("resolve")} loading={resolve.busy} data-testid="alert-resolve">
              <L zh="处置" en="Resolve" /> (R · Ctrl+Enter)
            </Button>
          </Space>
        </div>
      )}
      <FormError error={ack.error ?? resolve.error} testId="alert-action-error" />
      <div style={{ marginTop: 8 }}>
        <RaiseActionButton from={{ projectId: alert.projectId, source: "ALERT", sourceId: alert.id, title: alert.title, description: alert.detail }} />
      </div>
      <Typography.Title level={5} style={{ marginTop: 12 }}><L zh="相关工单" en="Cases" /> ({alert.caseIds.length})</Typography.Title>
      <AlertCases cases={alert.cases} named={alert.caseIds.length} />
    </Card>
  );
}
