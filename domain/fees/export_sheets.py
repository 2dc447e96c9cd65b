"""The fee exports' sheets (docs/resident-services.md §6.8) in the archive's terms, so the archive's
writer lays them out alike (header row bold and frozen, English in each header's comment, text
columns as text, dates as dates, labels for stored values): arrears per flat with its ageing
buckets, arrears per bill, a month's bills, payments. Amounts are 元 as numbers."""

from __future__ import annotations

from domain.archive.sheets import Column, Sheet

_FLAT = (Column("building", "楼栋名称", "building"), Column("entrance", "单元", "entrance"),
         Column("number", "房号", "flat number"))
_CONTACT = (Column("contact", "联系人", "primary contact"), Column("phone", "联系电话", "phone (masked)", "phone"))
_STATES = (("未缴清", "open"), ("已缴清", "paid"), ("已减免", "waived"), ("已作废", "cancelled"))
_SOURCES = (("出账", "run"), ("一次性", "one_off"), ("期初导入", "opening"))
_METHODS = (("现金", "cash"), ("微信", "wechat"), ("支付宝", "alipay"), ("银行转账", "bank"), ("刷卡", "pos"), ("其他", "other"))


def _yuan(field: str, header: str, english: str) -> Column:
    return Column(field, header, english, "decimal")


ARREARS = Sheet("arrears", "欠费汇总", "arrears by flat", (
    *_FLAT, *_CONTACT,
    _yuan("overdue", "逾期欠费(元)", "overdue (元)"), _yuan("outstanding", "未缴合计(元)", "outstanding (元)"),
    Column("oldest_due_on", "最早应缴日期", "oldest due date", "date"),
    _yuan("d30", "一个月内", "1-30 days"), _yuan("d90", "一至三个月", "31-90 days"),
    _yuan("d180", "三至六个月", "91-180 days"), _yuan("d365", "六个月至一年", "181-365 days"),
    _yuan("over365", "一年以上", "over a year"),
), ())

ARREARS_BILLS = Sheet("arrears_bills", "欠费明细", "arrears by bill", (
    *_FLAT, Column("item_code", "收费项目编码", "item code"), Column("item", "收费项目", "charge item"),
    Column("period", "所属期间", "period"), Column("due_on", "应缴日期", "due on", "date"),
    _yuan("amount", "应收(元)", "amount (元)"), _yuan("waived", "减免(元)", "waived (元)"), _yuan("paid", "已缴(元)", "paid (元)"),
    _yuan("owed", "欠费(元)", "owed (元)"), Column("days", "逾期天数", "days overdue", "int"),
    Column("source", "来源", "source", "choice", choices=_SOURCES),
), ())

BILLS = Sheet("bills", "账单", "bills", (
    *_FLAT, Column("item_code", "收费项目编码", "item code"), Column("item", "收费项目", "charge item"),
    Column("period", "所属期间", "period"), Column("due_on", "应缴日期", "due on", "date"),
    _yuan("amount", "应收(元)", "amount (元)"), _yuan("waived", "减免(元)", "waived (元)"), _yuan("paid", "已缴(元)", "paid (元)"),
    _yuan("owed", "欠费(元)", "owed (元)"), Column("state", "状态", "state", "choice", choices=_STATES),
    Column("source", "来源", "source", "choice", choices=_SOURCES), Column("note", "备注", "note"),
), ())

PAYMENTS = Sheet("payments", "收款", "payments", (
    Column("receipt_no", "收据号", "receipt number"), Column("paid_on", "收款日期", "paid on (Beijing)", "date"),
    *_FLAT, Column("kind", "类型", "payment or refund", "choice", choices=(("收款", "payment"), ("退款", "refund"))),
    Column("method", "方式", "method", "choice", choices=_METHODS), _yuan("amount", "金额(元)", "amount (元)"),
    _yuan("credit", "预存余额(元)", "unallocated credit (元)"), Column("reversed", "已冲正", "reversed", "bool"),
    Column("invoice_no", "发票号", "invoice number"), Column("note", "备注", "note"),
), ())

GUIDE = (
    ("本文件由系统导出，金额单位为元；联系电话为掩码。", "Exported by the system; amounts in 元; phone numbers masked."),
    ("逾期按应缴日期早于统计日计算，账龄按逾期天数分段。", "Overdue: due before the as-of date; ageing by days past due."),
)
ABOUT = {
    "arrears": ("欠费汇总：每户一行，含账龄分段。", "One row per flat with overdue bills, with its ageing buckets."),
    "arrears_bills": ("欠费明细：每张逾期未缴账单一行。", "One row per overdue bill."),
    "bills": ("账单：所选月份的全部账单。", "Every bill of the month."),
    "payments": ("收款：所选日期范围内的收款与退款。", "Payments and refunds in the date range."),
}
