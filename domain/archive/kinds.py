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


class ContactKind(StrEnum):
    MOBILE = "mobile"
    LANDLINE = "landline"
    EMAIL = "email"
    WECHAT = "wechat"
    EMERGENCY = "emergency"  # a relative's or neighbour's phone, named by the label


class SpaceTenure(StrEnum):
    OWNED = "owned"
    LEASED = "leased"
    PUBLIC = "public"


class VehicleKind(StrEnum):
    CAR = "car"
    NEW_ENERGY = "new_energy"
    MOTORBIKE = "motorbike"
    OTHER = "other"


class PetSpecies(StrEnum):
    DOG = "dog"
    CAT = "cat"
    OTHER = "other"


CONTACT_KIND_LABELS = {ContactKind.MOBILE: "手机", ContactKind.LANDLINE: "固定电话", ContactKind.EMAIL: "电子邮箱",
                       ContactKind.WECHAT: "微信", ContactKind.EMERGENCY: "紧急联系人"}
TENURE_LABELS = {SpaceTenure.OWNED: "产权", SpaceTenure.LEASED: "租赁", SpaceTenure.PUBLIC: "公共"}
VEHICLE_KIND_LABELS = {VehicleKind.CAR: "汽车", VehicleKind.NEW_ENERGY: "新能源汽车", VehicleKind.MOTORBIKE: "摩托车",
                       VehicleKind.OTHER: "其他"}
SPECIES_LABELS = {PetSpecies.DOG: "犬", PetSpecies.CAT: "猫", PetSpecies.OTHER: "其他"}
