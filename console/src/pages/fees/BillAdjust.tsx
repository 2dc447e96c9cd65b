// 减免 / 作废 one open bill (fee:adjust): a waiver of part or all of what it owes, or a cancellation
// of a bill nobody has paid towards; each with a reason the audit log keeps.
import { Button, Input, Segmented, Space } from "antd";
import { useState } from "react";
import { check, request } from "../../api/client";
import type { FeeBillFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { toFen, yuan } from "./money";
import { CancelBillDoc, WaiveBillDoc } from "./queries";

export function BillAdjust({ bill, onDone, onClose }: { bill: FeeBillFragment; onDone: () => void; onClose: () => void }) {
  const t = useT();
  const [how, setHow] = useState<"waive" | "cancel">("waive");
  const [amount, setAmount] = useState(yuan(bill.outstanding).replace(/,/g, ""));
  const [reason, setReason] = useState("");
  const act = useAction("adjustBill", async (key, kind: "waive" | "cancel", fen: number, why: string) => {
    if (kind === "waive") check((await request(WaiveBillDoc, { id: bill.id, amount: fen, reason: why, key })).waiveBill);
    else check((await request(CancelBillDoc, { id: bill.id, reason: why, key })).cancelBill);
    onDone();
  });
  const fen = toFen(amount);
  const ready = reason.trim() !== "" && (how === "cancel" || (fen !== null && fen > 0));
  return (
    <div data-testid="fee-adjust">
      <Space wrap>
        <Segmented value={how} onChange={(v) => setHow(v as "waive" | "cancel")} options={[
          { value: "waive", label: t("减免", "Waive") }, { value: "cancel", label: t("作废", "Cancel") }]} />
        {how === "waive" && <Input style={{ width: 100 }} value={amount} onChange={(e) => setAmount(e.target.value)} aria-label={t("减免金额（元）", "Amount waived (yuan)")} />}
        <Input style={{ width: 220 }} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t("原因", "Reason")}
               placeholder={how === "waive" ? t("减免原因（必填），如 困难户", "Why (required)") : t("作废原因（必填），如 重复出账", "Why (required)")} />
        <Button type="primary" danger disabled={!ready} loading={act.busy} data-testid="fee-adjust-confirm"
                onClick={() => void act.run(how, fen ?? 0, reason.trim())}>
          {how === "waive" ? <L zh="确认减免" en="Waive" /> : <L zh="确认作废" en="Cancel bill" />}
        </Button>
        <Button onClick={onClose}><L zh="取消" en="Close" /></Button>
      </Space>
      <FormError error={act.error} testId="fee-adjust-error" />
    </div>
  );
}
