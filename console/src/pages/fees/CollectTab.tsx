// 收款 A payment at the desk for one flat: the flat found by number, what it owes (unitAccount), its
// open bills; the money allocated oldest first (先欠先缴) or to the bills ticked (按账单, each paid in
// full); method, time and note; the receipt number shown with 打印收据. Below, the flat's payments,
// each reversible with a reason by fee:adjust holders (冲正: its bills owe again); an integrator's
// payment marked 多收 (OVERPAID) is settled by a fee:collect holder — 退款 refunds the credit left on
// it, 转预存 keeps it for the next bills (结清).
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Segmented, Select, Space, Table, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { check, request } from "../../api/client";
import { openPrint } from "../../api/documents";
import { useQuery } from "../../api/useQuery";
import type { FeeBillFragment, FeePaymentFragment, OverpaidResolution, PayMethod } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { asApiError, checkInto, FormError, submitForm, useAction } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { BillAdjust } from "./BillAdjust";
import { billColumns } from "./BillsTab";
import { FlatPicker } from "./FlatPicker";
import { month, toFen, yuan } from "./money";
import { ClearOverpaidDoc, RecordPaymentDoc, ReversePaymentDoc, UnitAccountDoc } from "./queries";

const METHODS: { value: PayMethod; zh: string; en: string }[] = [
  { value: "CASH", zh: "现金", en: "Cash" }, { value: "WECHAT", zh: "微信", en: "WeChat" }, { value: "ALIPAY", zh: "支付宝", en: "Alipay" },
  { value: "BANK", zh: "银行转账", en: "Bank" }, { value: "POS", zh: "刷卡", en: "Card" }, { value: "OTHER", zh: "其他", en: "Other" },
];

interface Values { amount: string; method: PayMethod; paidAt: Dayjs; note: string; invoiceNo: string }

function Receipt({ p }: { p: FeePaymentFragment }) {
  const t = useT();
  const { message } = App.useApp();
  return (
    <Alert type="success" showIcon style={{ marginTop: 8 }} data-testid="fee-receipt"
           message={<span>{t("已收款", "Received")} ¥{p.yuan} · {t("收据号", "Receipt")} <b data-testid="fee-receipt-no">{p.receiptNo}</b></span>}
           description={<span>{p.allocations.map((a) => `${a.bill?.chargeItem?.name ?? ""} ${a.bill ? month(a.bill.period) : ""} ¥${yuan(a.amount)}`).join("；")}
             {Number(p.unallocated) > 0 && ` · ${t("预存", "Credit")} ¥${yuan(p.unallocated)}`}</span>}
           action={<Button size="small" onClick={() => openPrint(p.printPath).catch((e: unknown) => void message.error(asApiError(e).message))}
                           data-testid="fee-receipt-print"><L zh="打印收据" en="Print receipt" /></Button>} />
  );
}

function Clearing({ payment, onDone }: { payment: FeePaymentFragment; onDone: () => void }) {
  const t = useT();
  const [resolution, setResolution] = useState<OverpaidResolution>("REFUND");
  const [note, setNote] = useState("");
  const clear = useAction("clearOverpaidPayment", async (key, id: string) => {
    check((await request(ClearOverpaidDoc, { id, resolution, note: note.trim(), key })).clearOverpaidPayment);
    onDone();
  });
  return (
    <div style={{ marginTop: 8 }} data-testid="fee-clear-form">
      <Space wrap>
        <Typography.Text>{t("多收预存", "Credit left")} ¥{yuan(payment.unallocated)}</Typography.Text>
        <Segmented value={resolution} onChange={(v) => setResolution(v as OverpaidResolution)} data-testid="fee-clear-resolution" options={[
          { value: "REFUND", label: t("退款", "Refund") }, { value: "CREDIT", label: t("转预存", "Keep as credit") }]} />
        <Input style={{ width: 260 }} maxLength={200} value={note} onChange={(e) => setNote(e.target.value)}
               placeholder={t("备注，如 已退现金", "Note, e.g. refunded in cash")} aria-label={t("结清备注", "Note")} />
        <Button type="primary" loading={clear.busy} onClick={() => void clear.run(payment.id)} data-testid="fee-clear-confirm">
          <L zh="确认结清" en="Settle it" /></Button>
      </Space>
      <FormError error={clear.error} testId="fee-clear-error" />
    </div>
  );
}

function Payments({ payments, mayAdjust, mayCollect, onReversed }: {
  payments: FeePaymentFragment[]; mayAdjust: boolean; mayCollect: boolean; onReversed: () => void;
}) {
  const t = useT();
  const [reversing, setReversing] = useState<string | null>(null);
  const [clearing, setClearing] = useState<string | null>(null);
  const [why, setWhy] = useState("");
  const reverse = useAction("reversePayment", async (key, id: string, reason: string) => {
    check((await request(ReversePaymentDoc, { id, reason, key })).reversePayment);
    setReversing(null);
    onReversed();
  });
  const settling = payments.find((p) => p.id === clearing);
  return (
    <div style={{ marginTop: 12 }}>
      <Typography.Text strong><L zh="缴费记录" en="Payments" /></Typography.Text>
      <Table<FeePaymentFragment> size="small" rowKey="id" dataSource={payments} pagination={false} data-testid="fee-payments"
                                 locale={{ emptyText: t("暂无缴费", "No payment yet") }} columns={[
        { title: <L zh="收据号" en="Receipt" />, dataIndex: "receiptNo", render: (v: string) => <span className="fc-num">{v}</span> },
        { title: <L zh="金额" en="Amount" />, key: "a", align: "right", render: (_, p) => <span className="fc-num">{p.yuan}</span> },
        { title: <L zh="方式" en="Method" />, dataIndex: "methodLabel", width: 70 },
        { title: <L zh="时间" en="Paid at" />, key: "at", render: (_, p) => <span className="fc-num">{dayjs(p.paidAt).format("YYYY-MM-DD HH:mm")}</span> },
        { title: <L zh="经办" en="By" />, key: "by", render: (_, p) => p.recordedByActor.displayName },
        { title: "", key: "p", render: (_, p) => p.problem === "OVERPAID" ? (
          <Space size={4}>
            <Tag color="orange" data-testid="fee-overpaid">{t("多收", "Overpaid")}</Tag>
            {mayCollect && <Button size="small" onClick={() => setClearing(clearing === p.id ? null : p.id)} data-testid="fee-clear">
              <L zh="结清" en="Settle" /></Button>}
          </Space>)
          : p.clearance && <Tag data-testid="fee-cleared">{t("已结清", "Settled")}：{p.clearance.resolutionLabel}</Tag> },
        { title: "", key: "x", render: (_, p) => p.reversedAt ? <Tag>{t("已冲正", "Reversed")}：{p.reverseReason}</Tag>
          : mayAdjust && <Button size="small" danger onClick={() => { setReversing(p.id); setWhy(""); }} data-testid="fee-reverse"><L zh="冲正" en="Reverse" /></Button> },
      ]} />
      {settling && <Clearing key={settling.id} payment={settling} onDone={() => { setClearing(null); onReversed(); }} />}
      {reversing && (
        <Space style={{ marginTop: 8 }} wrap data-testid="fee-reverse-form">
          <Input style={{ width: 300 }} maxLength={500} value={why} onChange={(e) => setWhy(e.target.value)} autoFocus
                 placeholder={t("冲正原因（必填），如 收错户", "Why (required), e.g. wrong flat")} aria-label={t("冲正原因", "Reason")} />
          <Button danger type="primary" disabled={!why.trim()} loading={reverse.busy} onClick={() => void reverse.run(reversing, why.trim())}
                  data-testid="fee-reverse-confirm"><L zh="确认冲正" en="Reverse it" /></Button>
          <Button onClick={() => setReversing(null)}><L zh="取消" en="Cancel" /></Button>
        </Space>
      )}
      <FormError error={reverse.error} testId="fee-reverse-error" />
    </div>
  );
}

export function CollectTab({ projectId, unitId, onUnit, mayCollect, mayAdjust }: {
  projectId: string; unitId: string | null; onUnit: (id: string | null) => void; mayCollect: boolean; mayAdjust: boolean;
}) {
  const t = useT();
  const account = useQuery(UnitAccountDoc, { unitId: unitId ?? "" }, !unitId);
  const [form] = Form.useForm<Values>();
  const [mode, setMode] = useState<"oldest" | "bills">("oldest");
  const [ticked, setTicked] = useState<string[]>([]);
  const [receipt, setReceipt] = useState<FeePaymentFragment | null>(null);
  const [adjusting, setAdjusting] = useState<string | null>(null);
  const a = account.data?.unitAccount;
  const open: FeeBillFragment[] = a?.bills.edges.map((e) => e.node) ?? [];
  useEffect(() => {
    setTicked([]);
    setReceipt(null);
    setAdjusting(null);
  }, [unitId]);
  const columns = [...billColumns(t, false), ...(mayAdjust ? [{
    title: "", key: "adj", width: 60,
    render: (_: unknown, b: FeeBillFragment) => (
      <Button size="small" onClick={() => setAdjusting(adjusting === b.id ? null : b.id)} data-testid="fee-adjust-open">
        <L zh="调整" en="Adjust" /></Button>),
  }] : [])];
  useEffect(() => {
    // The amount follows what is chosen: everything owed, or the ticked bills; the cashier may still type another.
    const fen = mode === "bills" ? open.filter((b) => ticked.includes(b.id)).reduce((s, b) => s + Number(b.outstanding), 0) : Number(a?.outstanding ?? 0);
    form.setFieldValue("amount", fen > 0 ? yuan(fen).replace(/,/g, "") : "");
  }, [mode, ticked, a?.outstanding]); // eslint-disable-line react-hooks/exhaustive-deps

  const pay = useAction("recordPayment", async (key, v: Values) => {
    if (!unitId) return;
    const amount = toFen(v.amount) ?? 0;
    const allocations = mode === "bills" ? open.filter((b) => ticked.includes(b.id)).map((b) => ({ billId: b.id, amount: b.outstanding })) : null;
    const input = { unitId, amount, method: v.method, paidAt: v.paidAt.toISOString(), allocations, note: v.note ?? "", invoiceNo: v.invoiceNo ?? "" };
    const paid = checkInto(form, (await request(RecordPaymentDoc, { input, key })).recordPayment).payment;
    setReceipt(paid ?? null);
    setTicked([]);
    await account.refetch();
  });

  return (
    <div data-testid="collect">
      <Space wrap style={{ marginBottom: 8 }}>
        <FlatPicker projectId={projectId} value={unitId} onChange={onUnit} initialLabel={a?.unit?.label} />
        {a && <Typography.Text data-testid="fee-flat-label">{a.unit?.label}</Typography.Text>}
      </Space>
      {!unitId ? <Nothing zh="输入房号，查看这户的欠费并收款" en="Find a flat to see what it owes and take a payment" /> : (
        <>
          <ErrorBanner error={account.error} onRetry={() => void account.refetch()} />
          {account.loading && !a ? <Loading rows={3} /> : a && (
            <div className="fc-split">
              <Card size="small" title={<L zh="这户的账" en="The flat's account" />}>
                <Descriptions size="small" column={2} data-testid="fee-account" items={[
                  { key: "o", label: t("未缴合计", "Owed"), children: <b className="fc-num" data-testid="fee-outstanding">¥{yuan(a.outstanding)}</b> },
                  { key: "d", label: t("其中逾期", "Overdue"), children: <span className="fc-num">¥{yuan(a.overdue)}</span> },
                  { key: "c", label: t("预存", "Credit"), children: <span className="fc-num">¥{yuan(a.credit)}</span> },
                  { key: "n", label: t("未缴账单", "Open bills"), children: <span className="fc-num">{a.openBills}</span> },
                ]} />
                <Table<FeeBillFragment> size="small" rowKey="id" dataSource={open} pagination={false} columns={columns}
                                        expandable={{ expandedRowKeys: adjusting ? [adjusting] : [], showExpandColumn: false,
                                          expandedRowRender: (b) => <BillAdjust bill={b} onClose={() => setAdjusting(null)}
                                                                                onDone={() => { setAdjusting(null); void account.refetch(); }} /> }}
                                        data-testid="fee-open-bills"
                                        rowSelection={mode === "bills" ? { selectedRowKeys: ticked, onChange: (keys) => setTicked(keys.map(String)) } : undefined}
                                        locale={{ emptyText: t("没有未缴账单", "Nothing owed") }} />
                <Payments payments={a.payments} mayAdjust={mayAdjust} mayCollect={mayCollect} onReversed={() => void account.refetch()} />
              </Card>
              {mayCollect ? (
                <Card size="small" title={<L zh="收款" en="Take a payment" />} data-testid="fee-pay-form">
                  <Form<Values> form={form} layout="vertical" disabled={pay.busy} requiredMark
                                initialValues={{ method: "CASH", paidAt: dayjs(), note: "", invoiceNo: "" }}>
                    <Form.Item label={t("分配", "Allocation")}>
                      <Segmented value={mode} onChange={(v) => setMode(v as "oldest" | "bills")} data-testid="fee-mode" options={[
                        { value: "oldest", label: t("先欠先缴", "Oldest first") }, { value: "bills", label: t("按账单", "By bill") }]} />
                    </Form.Item>
                    <Form.Item name="amount" label={t("金额（元）", "Amount (yuan)")} rules={[{ required: true, message: t("必填", "Required") },
                      { validator: (_, v: string) => (!v || (toFen(v) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t("金额最多两位小数且大于0", "A positive amount, two decimals at most")))) }]}>
                      <Input inputMode="decimal" data-testid="fee-amount" />
                    </Form.Item>
                    <Form.Item name="method" label={t("收款方式", "Method")} rules={[{ required: true }]}>
                      <Select options={METHODS.map((m) => ({ value: m.value, label: t(m.zh, m.en) }))} data-testid="fee-method" />
                    </Form.Item>
                    <Form.Item name="paidAt" label={t("收款时间", "Paid at")} rules={[{ required: true }]}>
                      <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" allowClear={false}
                                  disabledDate={(d) => d.isAfter(dayjs(), "day") || d.isBefore(dayjs().subtract(31, "day"), "day")} />
                    </Form.Item>
                    <Form.Item name="invoiceNo" label={t("发票号", "Invoice no.")}><Input maxLength={64} /></Form.Item>
                    <Form.Item name="note" label={t("备注", "Note")}><Input maxLength={500} /></Form.Item>
                    <Button type="primary" loading={pay.busy} data-testid="fee-pay" disabled={mode === "bills" && ticked.length === 0}
                            onClick={() => void submitForm(form, pay)}><L zh="确认收款" en="Record payment" /></Button>
                  </Form>
                  <FormError error={pay.error} />
                  {receipt && <Receipt p={receipt} />}
                </Card>
              ) : <Nothing zh="只能查看：收款需要“收款与催缴”权限" en="Read only: taking payments needs fee:collect" />}
            </div>
          )}
        </>
      )}
    </div>
  );
}
