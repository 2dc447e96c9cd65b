"""The archive workbook's sheets: their Chinese names, headers (English beside), what each column
holds and each sheet's natural key (docs/archive.md §6.2). Templates and the reader both read this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# amount: 元 with at most two decimals, read as fen; period: a month, read as its first day (fees' sheets).
Kind = Literal["text", "int", "decimal", "date", "bool", "choice", "phone", "mobile", "id_number", "plate", "amount",
               "period"]


@dataclass(frozen=True)
class Column:
    field: str  # the key of the parsed row's values
    header: str  # as written in row 1 of the sheet, without the required star
    english: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (中文 label, stored value)


@dataclass(frozen=True)
class Sheet:
    key: str  # buildings, units, …
    name: str  # the sheet's name in the workbook
    english: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]  # fields; two rows alike on all of them are one record twice

    def column(self, header: str) -> Column | None:
        return next((c for c in self.columns if c.header == header), None)


_YES_NO = (("是", "true"), ("否", "false"))
PROJECT = Column("project_code", "项目编码", "project code")
_BUILDING = Column("building", "楼栋名称", "building", required=True)
_ENTRANCE = Column("entrance", "单元", "entrance")
_NUMBER = Column("number", "房号", "flat number", required=True)
_FLAT_OPTIONAL = (Column("building", "楼栋名称", "building"), _ENTRANCE, Column("number", "房号", "flat number"))

BUILDINGS = Sheet("buildings", "楼栋", "buildings", (
    _BUILDING, Column("floors", "总层数", "floors", "int", required=True), PROJECT,
), ("building",))

UNITS = Sheet("units", "房屋", "units", (
    _BUILDING, _ENTRANCE, _NUMBER,
    Column("floor", "楼层", "floor", "int", required=True),
    Column("area_m2", "建筑面积(㎡)", "floor area (m²)", "decimal"),
    Column("use", "用途", "use", "choice", choices=(
        ("住宅", "residential"), ("办公", "office"), ("商铺", "shop"), ("储藏", "storage"), ("其他", "other"))),
    Column("vacant", "空置", "vacant", "bool", choices=_YES_NO),
    PROJECT,
), ("building", "entrance", "number"))

RESIDENTS = Sheet("residents", "住户", "residents", (
    _BUILDING, _ENTRANCE, _NUMBER,
    Column("name", "姓名", "name", required=True),
    Column("role", "身份", "role", "choice", required=True, choices=(("业主", "owner"), ("租户", "tenant"), ("家属", "family"))),
    Column("kind", "类型", "person or company", "choice", choices=(("个人", "person"), ("单位", "company"))),
    Column("phone", "手机号", "phone", "phone"),
    Column("id_kind", "证件类型", "ID kind", "choice", choices=(
        ("居民身份证", "id_card"), ("护照", "passport"), ("港澳通行证", "hk_macao"), ("台胞证", "taiwan"),
        ("外国人永久居留证", "foreign_permanent"), ("其他", "other"))),
    Column("id_number", "证件号码", "ID number", "id_number"),
    Column("moved_in_on", "入住日期", "moved in", "date"),
    Column("moved_out_on", "迁出日期", "moved out", "date"),
    Column("primary_contact", "主联系人", "primary contact", "bool", choices=_YES_NO),
    Column("note", "备注", "note"),
    PROJECT,
), ("building", "entrance", "number", "name", "phone", "id_number", "moved_in_on"))

PARKING = Sheet("parking", "车位", "parking spaces", (
    Column("area", "停车区", "parking area", required=True),
    Column("space", "车位号", "space number", required=True),
    Column("tenure", "产权", "tenure", "choice", choices=(("产权", "owned"), ("租赁", "leased"), ("公共", "public"))),
    # A row's values are keyed by field: the space's 车位号 and the flat's 房号 each need their own.
    _FLAT_OPTIONAL[0], _ENTRANCE, Column("unit_number", "房号", "flat number"),
    Column("holder_phone", "持有人手机号", "holder's phone", "phone"),
    Column("lease_until", "租期至", "lease until", "date"),
    PROJECT,
), ("area", "space"))

VEHICLES = Sheet("vehicles", "车辆", "vehicles", (
    Column("plate", "车牌号", "plate", "plate", required=True),
    Column("kind", "车辆类型", "vehicle kind", "choice", choices=(
        ("小汽车", "car"), ("新能源", "new_energy"), ("摩托车", "motorbike"), ("其他", "other"))),
    Column("brand", "品牌", "brand"),
    Column("colour", "颜色", "colour"),
    Column("owner_phone", "车主手机号", "owner's phone", "phone", required=True),
    Column("area", "停车区", "parking area"),
    Column("space", "车位号", "space number"),
    Column("valid_until", "有效期至", "valid until", "date"),
    PROJECT,
), ("plate",))

PETS = Sheet("pets", "宠物", "pets", (
    Column("name", "宠物名", "pet's name", required=True),
    Column("species", "种类", "species", "choice", required=True, choices=(("犬", "dog"), ("猫", "cat"), ("其他", "other"))),
    Column("breed", "品种", "breed"),
    Column("licence_no", "犬证号", "dog licence"),
    Column("vaccinated_on", "最近疫苗日期", "last vaccination", "date"),
    Column("owner_phone", "主人手机号", "owner's phone", "phone", required=True),
    *_FLAT_OPTIONAL,
    PROJECT,
), ("owner_phone", "name"))

STAFF = Sheet("staff", "员工", "staff", (
    Column("name", "姓名", "name", required=True),
    Column("department", "部门", "department", required=True),
    Column("title", "职务", "title"),
    Column("phone", "手机号", "mobile", "mobile", required=True),
    PROJECT,
), ("phone",))

# In dependency order: a later sheet may name what an earlier one adds.
SHEETS: tuple[Sheet, ...] = (BUILDINGS, UNITS, RESIDENTS, PARKING, VEHICLES, PETS, STAFF)
