"""What a channel hears of money (docs/webhooks.md): a payment recorded, refunded, reversed, marked
overpaid and cleared — amounts, receipt numbers and ids, never a name or phone. Pure: the payload
says everything, so a robot's title and body need no read at planning time."""

from __future__ import annotations

from typing import Any

from domain.fees.money import yuan

PAYMENT_TOPICS = frozenset({"payment.recorded", "payment.refunded", "payment.reversed", "payment.overpaid",
                            "payment.cleared"})
_SOURCES = {"staff": "前台", "integration": "缴费对接", "opening": "期初"}
_RESOLUTIONS = {"refund": "已退款", "credit": "转预存"}


def _fen(payload: dict[str, Any], key: str) -> str:
    return f"¥{yuan(int(payload.get(key) or 0))}"


def payment_message(topic: str, p: dict[str, Any]) -> tuple[str, str] | None:
    receipt = p.get("receipt_no") or ""
    if topic == "payment.recorded":
        months = "、".join(p.get("periods") or ()) or "无"
        return (f"收款 {_fen(p, 'amount_fen')}：收据 {receipt}",
                f"{_SOURCES.get(p.get('source') or '', '')}收款 {_fen(p, 'amount_fen')}，所缴账期 {months}，"
                f"预存 {_fen(p, 'unallocated_fen')}。")
    if topic == "payment.overpaid":
        return (f"多收待处理：收据 {receipt}",
                f"缴费对接付款 {_fen(p, 'amount_fen')} 超出所缴账单的欠费，其中 {_fen(p, 'unallocated_fen')} 已作预存，"
                "请退款或转预存。")
    if topic == "payment.refunded":
        return (f"退款 {_fen(p, 'amount_fen')}：{receipt}",
                f"退回预存 {_fen(p, 'from_credit_fen')}，退回已缴账单 {_fen(p, 'from_bills_fen')}。")
    if topic == "payment.reversed":
        return (f"收款冲正 {_fen(p, 'amount_fen')}：收据 {receipt}", "该笔收款已冲正，所缴账单恢复欠费。")
    if topic == "payment.cleared":
        how = _RESOLUTIONS.get(p.get("resolution") or "", "")
        return (f"多收已结清（{how}）：收据 {receipt}", f"多收款项已结清：{how} {_fen(p, 'amount_fen')}。")
    return None
