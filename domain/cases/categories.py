"""The category taxonomy every new company starts with (it edits its own copy afterwards)."""

DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("water_power", "水电"), ("doors_windows", "门窗"), ("elevator", "电梯"), ("public_area", "公共区域"),
    ("noise", "噪音"), ("parking", "停车"), ("renovation", "装修"), ("safety", "安全"),
    ("sanitation", "环境卫生"), ("greening", "绿化"), ("pets", "宠物"), ("fees", "费用"),
    ("leakage", "渗漏"), ("pests", "消杀"), ("facilities", "公共设施"), ("other", "其他"),
)
DEFAULT_NAMES_EN: dict[str, str] = {
    "water_power": "Water and power", "doors_windows": "Doors and windows", "elevator": "Lifts",
    "public_area": "Public areas", "noise": "Noise", "parking": "Parking", "renovation": "Renovation",
    "safety": "Safety", "sanitation": "Cleaning", "greening": "Greening", "pets": "Pets", "fees": "Fees",
    "leakage": "Leaks", "pests": "Pest control", "facilities": "Shared facilities", "other": "Other",
}
