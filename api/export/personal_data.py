"""GET /export/residents/{id}/personal-data.xlsx?reason=…: a resident's copy of what the company
holds about them (PIPL 查阅/复制, docs/archive.md §3) — one workbook, numbers unmasked (it is for
them), sheets 基本信息, 房屋与入住, 联系方式, 车辆, 宠物, 工单, 查看记录. Same credentials as a GraphQL
client; `personal_data:read` on the resident's project; the audit row `personal_data.exported`
commits with the read (domain/archive/pipl_export.py). Another company's resident, or one of a
project out of reach, is 404 as a missing one is."""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import xlsxwriter
from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import Response

from api.errors import ErrorCode
from api.graphql.types.node import from_global_id
from api.print.routes import caller, coded, error_response
from domain.archive.kinds import ID_KIND_LABELS, ROLE_LABELS
from domain.archive.pipl_export import ExportPersonalData, PersonalData, export_personal_data
from domain.cases.states import KIND_LABELS, STATE_LABELS
from domain.errors import DomainError
from domain.sla.calendar import CHINA
from domain.unit_of_work import UnitOfWork
from tenants.platform import Platform
from tenants.roles import Permission

log = logging.getLogger("firstcall.print")  # one logger for every print and export endpoint
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_KINDS = {"person": "个人 Person", "company": "单位 Company"}
_CONTACTS = {"mobile": "手机 Mobile", "landline": "座机 Landline", "email": "邮箱 E-mail", "wechat": "微信 WeChat",
             "emergency": "紧急联系人 Emergency"}
_VEHICLES = {"car": "小汽车 Car", "new_energy": "新能源车 New energy", "motorbike": "摩托车 Motorbike", "other": "其他 Other"}
_SPECIES = {"dog": "犬 Dog", "cat": "猫 Cat", "other": "其他 Other"}
_VIEWS = {"personal_data.revealed": "查看完整号码 Revealed", "personal_data.exported": "导出个人信息 Exported"}
_FIELDS = {"phone": "手机号 Phone", "id_number": "证件号码 ID number"}


def _when(at: datetime | None) -> str | None:
    return f"{at.astimezone(CHINA):%Y-%m-%d %H:%M}" if at is not None else None


class _Sheet:
    """One worksheet written row by row; text always as text, never read as a formula."""

    def __init__(self, book: Any, name: str, header: list[tuple[str, int]], styles: dict[str, Any]) -> None:
        self.ws, self.styles, self.row = book.add_worksheet(name), styles, 1
        for col, (title, width) in enumerate(header):
            self.ws.write_string(0, col, title, styles["header"])
            self.ws.set_column(col, col, width)
        self.ws.freeze_panes(1, 0)

    def put(self, *cells: Any) -> None:
        for col, value in enumerate(cells):
            if value is None or value == "":
                self.ws.write_blank(self.row, col, None)
            elif isinstance(value, date):
                self.ws.write_datetime(self.row, col, value, self.styles["date"])
            else:
                self.ws.write_string(self.row, col, str(value))
        self.row += 1


def workbook(d: PersonalData, now: datetime) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    styles = {"header": book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1}),
              "date": book.add_format({"num_format": "yyyy-mm-dd"})}
    r, rows = d.resident, d.rows
    basic = _Sheet(book, "基本信息", [("项目 Item", 20), ("内容 Value", 48)], styles)
    for label, value in (("姓名 Name", r.name), ("类型 Kind", _KINDS.get(r.kind, r.kind)), ("手机号 Phone", d.phone),
                         ("证件类型 ID kind", ID_KIND_LABELS.get(r.id_kind) if r.id_kind else None),
                         ("证件号码 ID number", d.id_number), ("备注 Note", r.note), ("项目 Project", r.project_name),
                         ("登记时间 On file since", _when(r.created_at)), ("最近核实 Last confirmed", _when(r.verified_at)),
                         ("已删除 Erased", _when(r.erased_at)), ("导出时间 Exported", _when(now))):
        basic.put(label, value)
    stays = _Sheet(book, "房屋与入住", [("房屋 Flat", 24), ("身份 Role", 10), ("主联系人 Primary", 10), ("入住 Moved in", 12),
                                        ("迁出 Moved out", 12), ("状态 Now", 10)], styles)
    for s in rows["stays"]:
        stays.put(s.label, ROLE_LABELS.get(s.role, s.role), "是" if s.primary_contact else "否", s.moved_in_on, s.moved_out_on,
                  "已迁出" if s.moved_out_on else "在住")
    contacts = _Sheet(book, "联系方式", [("类型 Kind", 18), ("说明 Label", 20), ("号码 Value", 28)], styles)
    for c, value in d.contacts:
        contacts.put(_CONTACTS.get(c.kind, c.kind), c.label, value)
    vehicles = _Sheet(book, "车辆", [("车牌 Plate", 12), ("类型 Kind", 14), ("品牌 Brand", 12), ("颜色 Colour", 8),
                                    ("车位 Space", 14), ("有效期至 Valid until", 14)], styles)
    for v in rows["vehicles"]:
        vehicles.put(v.plate, _VEHICLES.get(v.kind, v.kind), v.brand, v.colour, v.space, v.valid_until)
    pets = _Sheet(book, "宠物", [("名字 Name", 12), ("种类 Species", 10), ("品种 Breed", 14), ("犬证号 Licence", 16),
                                ("最近接种 Vaccinated", 14)], styles)
    for p in rows["pets"]:
        pets.put(p.name, _SPECIES.get(p.species, p.species), p.breed, p.licence_no, p.vaccinated_on)
    cases = _Sheet(book, "工单", [("工单号 Number", 20), ("日期 Received", 18), ("类型 Kind", 14), ("类别 Category", 14),
                                 ("描述 Description", 60), ("状态 State", 18)], styles)
    for c in rows["cases"]:
        cases.put(c.number, _when(c.received_at), KIND_LABELS.get(c.kind, c.kind), c.category, c.description,
                  STATE_LABELS.get(c.state, c.state))
    views = _Sheet(book, "查看记录", [("时间 When", 18), ("操作 What", 22), ("查看人 Who", 16), ("内容 Field", 16),
                                     ("原因 Why", 40), ("工单 Case", 20)], styles)
    for v in rows["views"]:
        views.put(_when(v.at), _VIEWS.get(v.action, v.action), v.actor_name or v.actor, _FIELDS.get(v.field, v.field),
                  v.reason, v.case_number)
    book.close()
    return out.getvalue()


def export_resident_personal_data(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.PERSONAL_DATA_READ, "to export a resident's personal data")
        if isinstance(principal, Response):
            return principal
        try:
            cmd = ExportPersonalData(resident_id=from_global_id(request.path_params["resident_id"], "Resident", "residentId"),
                                     reason=request.query_params.get("reason", ""))
            uow = UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)
            data = await export_personal_data(cmd, uow, unseal=platform.cipher.decrypt)
        except DomainError as e:
            return coded(e)
        except DBAPIError:
            log.exception("database error in the personal-data export")
            return error_response(500, ErrorCode.INTERNAL, "系统出错，已记录，请稍后重试。Unexpected error. It has been logged.")
        body = await asyncio.to_thread(workbook, data, datetime.now(CHINA))
        filename = quote("个人信息.xlsx", safe="")
        return Response(body, media_type=_XLSX, headers={
            "Content-Disposition": f"attachment; filename=\"personal-data.xlsx\"; filename*=UTF-8''{filename}",
            "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})

    return endpoint
