"""The category taxonomy every new company starts with (it edits its own copy afterwards)."""

from sqlalchemy import text

# The company's own categories as intake forms offer them (row-level security keeps it to the company).
ACTIVE_CATEGORIES = text("SELECT code, name FROM case_categories WHERE active ORDER BY sort, code")

DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("water_power", "水电"), ("doors_windows", "门窗"), ("elevator", "电梯"), ("public_area", "公共区域"),
    ("noise", "噪音"), ("parking", "停车"), ("renovation", "装修"), ("safety", "安全"),
    ("sanitation", "环境卫生"), ("greening", "绿化"), ("pets", "宠物"), ("fees", "费用"),
    ("leakage", "渗漏"), ("pests", "消杀"), ("facilities", "公共设施"), ("other", "其他"),
)
