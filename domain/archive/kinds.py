"""The archive's fixed lists, as the tables' CHECKs hold them, with their Chinese labels."""

from __future__ import annotations

from enum import StrEnum


class UnitUse(StrEnum):
    RESIDENTIAL = "residential"
    OFFICE = "office"
    SHOP = "shop"
    STORAGE = "storage"
    OTHER = "other"


class OccupantRole(StrEnum):
    OWNER = "owner"
    TENANT = "tenant"
    FAMILY = "family"


class ResidentKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"  # a company can own a flat


class IdKind(StrEnum):
    ID_CARD = "id_card"
    PASSPORT = "passport"
    HK_MACAO = "hk_macao"
    TAIWAN = "taiwan"
    FOREIGN_PERMANENT = "foreign_permanent"
    OTHER = "other"


USE_LABELS = {UnitUse.RESIDENTIAL: "住宅", UnitUse.OFFICE: "办公", UnitUse.SHOP: "商铺", UnitUse.STORAGE: "储藏",
              UnitUse.OTHER: "其他"}
ROLE_LABELS = {OccupantRole.OWNER: "业主", OccupantRole.TENANT: "租户", OccupantRole.FAMILY: "家属"}
ID_KIND_LABELS = {IdKind.ID_CARD: "居民身份证", IdKind.PASSPORT: "护照", IdKind.HK_MACAO: "港澳居民来往内地通行证",
                  IdKind.TAIWAN: "台湾居民来往大陆通行证", IdKind.FOREIGN_PERMANENT: "外国人永久居留身份证",
                  IdKind.OTHER: "其他证件"}
