"""The fee core's fixed lists, as the tables' CHECKs hold them, with their Chinese labels."""

from __future__ import annotations

from enum import StrEnum


class ChargeKind(StrEnum):
    PROPERTY = "property"
    PARKING = "parking"
    UTILITY = "utility"
    ONE_OFF = "one_off"
    OTHER = "other"


class ChargeBasis(StrEnum):
    AREA = "area"  # 按面积: area × rate
    FIXED = "fixed"  # 按户: one amount per flat
    SPACE = "space"  # 按车位: one amount per parking space, billed to its flat
    ONE_OFF = "one_off"  # 一次性: charged by hand (chargeOneOff), never by a run


class BillState(StrEnum):
    OPEN = "open"
    PAID = "paid"
    WAIVED = "waived"
    CANCELLED = "cancelled"


class PayMethod(StrEnum):
    CASH = "cash"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    BANK = "bank"
    POS = "pos"
    OTHER = "other"


class PaySource(StrEnum):
    STAFF = "staff"  # at the desk
    INTEGRATION = "integration"  # told by a payment integrator (§6.4)
    OPENING = "opening"  # an opening balance


class PayProblem(StrEnum):
    OVERPAID = "OVERPAID"  # an integrator's payment above what its bills owed: refund or keep as credit


class SkipReason(StrEnum):
    NO_AREA = "NO_AREA"
    NO_RATE = "NO_RATE"
    NO_UNIT_FOR_SPACE = "NO_UNIT_FOR_SPACE"


KIND_LABELS = {ChargeKind.PROPERTY: "物业费", ChargeKind.PARKING: "停车费", ChargeKind.UTILITY: "水电燃气",
               ChargeKind.ONE_OFF: "一次性", ChargeKind.OTHER: "其他"}
BASIS_LABELS = {ChargeBasis.AREA: "按面积", ChargeBasis.FIXED: "按户", ChargeBasis.SPACE: "按车位",
                ChargeBasis.ONE_OFF: "一次性"}
STATE_LABELS = {BillState.OPEN: "未缴", BillState.PAID: "已缴", BillState.WAIVED: "已减免", BillState.CANCELLED: "已作废"}
METHOD_LABELS = {PayMethod.CASH: "现金", PayMethod.WECHAT: "微信", PayMethod.ALIPAY: "支付宝", PayMethod.BANK: "银行转账",
                 PayMethod.POS: "刷卡", PayMethod.OTHER: "其他"}
