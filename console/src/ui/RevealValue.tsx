// 显示 A resident's phone or ID number, masked until asked for with a reason (回访联系, 上门联系,
// 核实身份 or one typed): the API records who, when and why, allows 30 an hour per person, and the
// value shows for 30 seconds, then masks again. caseId: the assignee's rule for their open case.
import { Button, Input, Popover, Radio, Space } from "antd";
import { useEffect, useState } from "react";
import { ApiError, request } from "../api/client";
import { graphql } from "../gql";
import type { PersonalDataField } from "../gql/graphql";
import { L, useT } from "../i18n";
import { FormError, useAction } from "./action";

const RevealDoc = graphql(`
  mutation RevealResidentData($residentId: ID!, $field: PersonalDataField!, $reason: String!, $caseId: ID, $key: String) {
    revealResidentData(residentId: $residentId, field: $field, reason: $reason, caseId: $caseId, idempotencyKey: $key) {
      value replayed errors { code message retryAfter }
    }
  }
`);

const REASONS = [
  { zh: "回访联系", en: "Follow-up call" },
  { zh: "上门联系", en: "Arranging a visit" },
  { zh: "核实身份", en: "Checking identity" },
];
const OTHER = "其他";
const SHOWN_SECONDS = 30;

interface Props { residentId: string; field: PersonalDataField; masked: string | null; caseId?: string; allowed: boolean; onRevealed?: () => void }

export function RevealValue({ residentId, field, masked, caseId, allowed, onRevealed }: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState(REASONS[0].zh);
  const [other, setOther] = useState("");
  const [shown, setShown] = useState<{ value: string; left: number } | null>(null);
  const testId = field === "PHONE" ? "phone" : "id-number";

  useEffect(() => {
    if (!shown) return;
    const timer = window.setTimeout(() => setShown(shown.left <= 1 ? null : { ...shown, left: shown.left - 1 }), 1000);
    return () => window.clearTimeout(timer);
  }, [shown]);

  const reveal = useAction(`reveal:${field}`, async (key, reason: string) => {
    const payload = (await request(RevealDoc, { residentId, field, reason, caseId: caseId ?? null, key })).revealResidentData;
    const e = payload.errors[0];
    if (e) {
      const wait = e.code === "RATE_LIMITED" && e.retryAfter ? t(`（约 ${Math.ceil(e.retryAfter / 60)} 分钟后可再查看）`, ` (again in about ${Math.ceil(e.retryAfter / 60)} min)`) : "";
      throw new ApiError(e.code, e.message + wait);
    }
    setShown({ value: payload.value ?? t("未登记", "none on file"), left: SHOWN_SECONDS });
    setOpen(false);
    onRevealed?.();
  });
  const reason = picked === OTHER ? other.trim() : picked;

  if (!masked) return <span className="fc-beside">—</span>;
  return (
    <Space size={4}>
      <span className="fc-num" data-testid={`${testId}-value`} data-shown={shown ? "1" : "0"}>{shown ? shown.value : masked}</span>
      {shown && <span className="fc-beside fc-num" data-testid={`${testId}-countdown`}>{t(`${shown.left} 秒后隐藏`, `hides in ${shown.left}s`)}</span>}
      {allowed && !shown && (
        <Popover open={open} onOpenChange={(o) => { setOpen(o); if (!o) reveal.clear(); }} trigger="click" placement="bottomLeft"
                 title={<L zh="查看原因（记入查看记录）" en="Why (recorded)" />}
                 content={
                   <div style={{ width: 280 }} data-testid={`${testId}-reveal-form`}>
                     <Radio.Group value={picked} onChange={(e) => setPicked(e.target.value as string)} style={{ display: "flex", flexDirection: "column", gap: 4 }}>
                       {REASONS.map((r) => <Radio key={r.zh} value={r.zh}><L zh={r.zh} en={r.en} /></Radio>)}
                       <Radio value={OTHER}><L zh="其他…" en="Other…" /></Radio>
                     </Radio.Group>
                     {picked === OTHER && <Input autoFocus style={{ marginTop: 6 }} maxLength={200} value={other} onChange={(e) => setOther(e.target.value)}
                                                 placeholder={t("请写明原因", "Say why")} aria-label={t("其他原因", "Other reason")} />}
                     <Button type="primary" style={{ marginTop: 8 }} loading={reveal.busy} disabled={reason.length < 2}
                             onClick={() => void reveal.run(reason)} data-testid={`${testId}-reveal-confirm`}>
                       <L zh="显示" en="Show" />
                     </Button>
                     <FormError error={reveal.error} testId={`${testId}-reveal-error`} />
                   </div>
                 }>
          <Button size="small" type="link" data-testid={`${testId}-reveal`}><L zh="显示" en="Show" /></Button>
        </Popover>
      )}
    </Space>
  );
}
