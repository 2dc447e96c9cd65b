"""The archive's values in their one canonical form, before they are hashed or stored: a phone
typed as +86 138-0013-8000 and one typed 13800138000 must hash alike, or the caller lookup
misses. Pure; a refused value raises `BadValue` with the import report's code and a Chinese
message (English beside)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from tenants.personal_data import mask_id_number, mask_phone

__all__ = ["BadValue", "canonical_contact", "canonical_id_number", "canonical_mobile", "canonical_phone", "canonical_plate",
           "id_check_digit", "mask_id_number", "mask_phone", "parse_date", "plate_fragment"]

# ASCII digits only: Python's \d also takes ٣ or a full-width ３, which would be stored and hashed
# apart from the same number typed plainly (a duplicate, and a caller lookup that misses).
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}[0-9]{7,8}")
_EXTENSION = re.compile(r"(转|分机|ext\.?|x|#).*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-()（）]+")
_ID_CARD = re.compile(r"[0-9]{17}[0-9X]")
_OTHER_ID = re.compile(r"[A-Z0-9]{5,30}")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_PLATE = re.compile(rf"[{_PROVINCES}][A-Z][A-Z0-9]{{4,5}}[A-Z0-9挂学警港澳]")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s.]+")
_WECHAT = re.compile(r"[A-Za-z][-_A-Za-z0-9]{5,19}")  # WeChat's own rule for an account name
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, leap-year bug included


def typed(value: str) -> str:
    """What a person meant to type: full-width forms as their plain ones (NFKC: １３８ is 138, Ａ is
    A, the ideographic space a space) and no invisible format characters (a zero-width space or
    a byte-order mark pasted in with the number)."""
    return "".join(c for c in unicodedata.normalize("NFKC", value) if unicodedata.category(c) != "Cf")


class BadValue(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def canonical_phone(value: str) -> str:
    """A mainland mobile (11 digits, country code dropped) or a landline with its area code
    (digits only, extension dropped)."""
    text = _EXTENSION.sub("", typed(value).strip())
    groups = [g for g in _SEPARATORS.split(text) if g]
    # 010-12345678-123: a short group after a whole landline is its extension.
    if len(groups) == 3 and len(groups[2]) <= 5 and _LANDLINE.fullmatch(groups[0] + groups[1]):
        groups = groups[:2]
    digits = "".join(groups)
    for prefix in ("+86", "0086", "86"):
        rest = digits[len(prefix):]
        if not digits.startswith(prefix):
            continue
        if _MOBILE.fullmatch(rest):
            return rest
        # +86 10 1234 5678 dials Beijing without the trunk 0; +86 010… is written too. A bare 86
        # before a landline is not taken: 86 is no area code, but it could begin a local number.
        if prefix != "86" and (_LANDLINE.fullmatch(landline := rest if rest.startswith("0") else "0" + rest)):
            return landline
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return digits
    raise BadValue("BAD_PHONE", "手机号或固话格式不正确（如 13800138000 或 010-12345678）。"
                                "Not a mainland mobile or landline number.")


def canonical_mobile(value: str) -> str:
    """A mainland mobile only: staff are reached by SMS, so a landline will not do."""
    try:
        digits = canonical_phone(value)
    except BadValue:
        digits = ""
    if _MOBILE.fullmatch(digits):
        return digits
    raise BadValue("BAD_MOBILE", "请填写 11 位手机号。Give a mainland mobile number.")


def id_check_digit(first17: str) -> str:
    """GB 11643: the weighted sum of the first 17 digits, mod 11, picks the 18th character."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def canonical_id_number(value: str, kind: str = "id_card", *, today: date | None = None) -> str:
    number = re.sub(r"\s+", "", typed(value)).upper()
    if kind != "id_card":
        # Passports and permits are printed with spaces or dashes between groups.
        if _OTHER_ID.fullmatch(other := number.replace("-", "")):
            return other
        raise BadValue("BAD_ID_NUMBER", "证件号应为 5–30 位字母或数字。An ID number is 5–30 letters or digits.")
    if re.fullmatch(r"[0-9]{15}", number):
        raise BadValue("BAD_ID_NUMBER", "请填写 18 位身份证号。Give the 18-character ID card number.")
    if not _ID_CARD.fullmatch(number) or id_check_digit(number[:17]) != number[17]:
        raise BadValue("BAD_ID_NUMBER", "身份证号不正确（位数或校验位）。The ID card number's length or check digit is wrong.")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > (today or date.today()):
        raise BadValue("BAD_ID_NUMBER", "身份证号中的出生日期不正确。The ID card number's birth date is wrong.")
    return number


def canonical_plate(value: str) -> str:
    """京A·12345, 京a 12345 and 京A12345 are one plate; new-energy plates have 8 characters."""
    plate = re.sub(r"[\s.·•・\-]+", "", typed(value)).upper()
    if _PLATE.fullmatch(plate):
        return plate
    raise BadValue("BAD_PLATE", "车牌号格式不正确（如 京A12345）。Not a mainland licence plate.")


def plate_fragment(value: str) -> str:
    """Part of a plate as a search term, spelled as plates are stored (京a·123 finds 京A12345)."""
    return re.sub(r"[\s.·•・\-]+", "", typed(value)).upper()


def canonical_contact(kind: str, value: str) -> tuple[str, str]:
    """A contact's value as it is hashed and its masked form, by the contact's kind: a mobile,
    a landline, an emergency number (either), an e-mail address (lower case) or a WeChat account
    (its name, or the phone it was opened with). The hash ignores case, so WeChat keeps it."""
    text = typed(value).strip()
    if kind in ("mobile", "landline", "emergency"):
        phone = canonical_phone(text)
        if kind == "mobile" and not _MOBILE.fullmatch(phone):
            raise BadValue("BAD_PHONE", "手机号应为 11 位（如 13800138000）。A mobile number has 11 digits.")
        if kind == "landline" and not _LANDLINE.fullmatch(phone):
            raise BadValue("BAD_PHONE", "固定电话应带区号（如 010-12345678）。A landline number starts with its area code.")
        return phone, mask_phone(phone)
    if kind == "email":
        address = text.lower()
        if "***" in address:  # w***@example.com is how the API answers one: sent back, it is no address
            raise BadValue("BAD_EMAIL", "请填写完整的电子邮箱，而不是打码后的（如 w***@example.com）。"
                                        "Give the whole e-mail address, not its masked form.")
        if len(address) > 254 or not _EMAIL.fullmatch(address):
            raise BadValue("BAD_EMAIL", "电子邮箱格式不正确（如 name@example.com）。Not an e-mail address.")
        local, domain = address.split("@")
        return address, f"{local[0]}***@{domain}"
    if kind == "wechat":
        if _WECHAT.fullmatch(text):
            return text, f"{text[:2]}***{text[-2:]}"
        try:
            phone = canonical_phone(text)
        except BadValue:
            raise BadValue("BAD_WECHAT", "微信号应为 6–20 位字母、数字、下划线或减号，以字母开头，或其绑定的手机号。"
                                         "A WeChat ID is 6–20 letters, digits, _ or -, starting with a letter, "
                                         "or the phone it uses.") from None
        return phone, mask_phone(phone)
    raise BadValue("BAD_CHOICE", f"未知的联系方式类型 {kind}。Unknown contact kind {kind}.")


def parse_date(value: object) -> date:
    """A date as a workbook or a person gives it: a cell's date, Excel's day number, 2024-05-01,
    2024/5/1, 2024.5.1 or 2024年5月1日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", value.strip())
        if m and (day := _real_day(int(m[1]), int(m[2]), int(m[3]))) is not None:
            return day
    raise BadValue("BAD_DATE", "日期格式不正确（如 2024-05-01）。Not a date.")


def _real_day(year: int, month: int, day: int) -> date | None:
    """None for a day that does not exist (2024-02-30): refused like any other bad date."""
    try:
        return date(year, month, day)
    except ValueError:
        return None
