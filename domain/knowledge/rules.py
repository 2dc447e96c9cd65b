"""统一话术 / 知识库 What a knowledge article may say. Pure.

- Three kinds: a wording (话术, what an agent says, word for word), an answer to a common question
  (问答), and a service of the catalogue (服务项目), which alone may carry a price (有偿服务).
- The company's articles (no project) are one wording for every project; a project may keep its
  own beside them but never edits the company's.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import invalid

KIND_LABELS = {"wording": "话术", "answer": "问答", "service": "服务项目"}
MAX_BODY = 10_000
MAX_TAGS = 10
MAX_CATEGORIES = 10
MAX_QUERY = 50


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    title: str
    body: str
    tags: tuple[str, ...] = ()
    category_codes: tuple[str, ...] = ()
    price_fen: int | None = None
    price_unit: str | None = None

    def check(self, kind: str) -> ArticleDraft:
        title, body = self.title.strip(), self.body.strip()
        if not 1 <= len(title) <= 100:
            raise invalid("标题为1–100个字。The title takes 1–100 characters.", "title")
        if not 1 <= len(body) <= MAX_BODY:
            raise invalid(f"正文为1–{MAX_BODY:,}个字。The body takes 1–{MAX_BODY:,} characters.", "body")
        tags = tuple(dict.fromkeys(t.strip() for t in self.tags if t.strip()))
        if len(tags) > MAX_TAGS or any(len(t) > 20 for t in tags):
            raise invalid(f"标签最多{MAX_TAGS}个，每个不超过20字。At most {MAX_TAGS} tags of up to 20 characters.", "tags")
        codes = tuple(dict.fromkeys(self.category_codes))
        if len(codes) > MAX_CATEGORIES:
            raise invalid(f"最多关联{MAX_CATEGORIES}个类别。At most {MAX_CATEGORIES} categories.", "categoryCodes")
        unit = (self.price_unit or "").strip() or None
        if kind != "service" and (self.price_fen is not None or unit is not None):
            raise invalid("只有服务项目可以标价。Only a service of the catalogue carries a price.", "priceFen")
        if self.price_fen is not None and not 0 <= self.price_fen <= 100_000_000:
            raise invalid("价格应在0至100万元之间。The price is 0 to 1,000,000 yuan, in fen.", "priceFen")
        if unit is not None and len(unit) > 20:
            raise invalid("计价单位不超过20字。The price unit takes up to 20 characters.", "priceUnit")
        if unit is not None and self.price_fen is None:
            raise invalid("有计价单位时须填价格。A price unit needs a price.", "priceFen")
        return ArticleDraft(title=title, body=body, tags=tags, category_codes=codes, price_fen=self.price_fen, price_unit=unit)


def search_terms(text: str, *, category: str | None = None) -> list[str]:
    """The words of a search, each matched anywhere (a Chinese phrase is one word: trigram search
    needs no tokenizer). LIKE's own characters are escaped: they are text the person typed. No
    words at all is allowed with a category: what the company says about that kind of case."""
    text = text.strip()
    if not text and category:
        return []
    if not 1 <= len(text) <= MAX_QUERY:
        raise invalid(f"搜索内容为1–{MAX_QUERY}个字（或选一个类别）。Search with 1–{MAX_QUERY} characters, or a category.", "text")
    words = list(dict.fromkeys(w for w in text.split() if w))[:5]
    return ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]
