"""Every error message a person reads is Chinese first, with the English beside it: staff of the
property companies read the Chinese, an integrator the English. Checked on the source, so a new
refusal written in English alone fails here before anyone sees it in the console."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("api", "domain", "tenants", "workers")


# The callable's name → the position of its message argument (also accepted as message=).
MESSAGE_AT = {
    "DomainError": 1, "AuthError": 1, "TransportError": 1,
    "invalid": 0, "conflict": 0, "forbidden": 0,
    "unauthenticated": 0, "token_expired": 0, "rate_limited": 0,
    "error_response": 2, "GraphQLError": 0, "_too_complex": 0, "UserError": 1, "_error": 2,
}


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _message(call: ast.Call, position: int) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "message":
            return keyword.value
    return call.args[position] if len(call.args) > position else None


def _opening(node: ast.expr) -> str | None:
    """The text a literal message starts with; None where the message is not written here."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        node = node.left
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        first = node.values[0] if node.values else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
        return ""  # opens with a value: not Chinese first
    return None


def _is_cjk(char: str) -> bool:
    """A Chinese character, or the punctuation that may open a Chinese sentence (「…」)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\u3000" <= char <= "\u303f"


def _problems(tree: ast.AST, relative: str) -> list[str]:
    found = []
    for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset)):
        name = _name(node)
        if name == "not_found":
            if not any(k.arg == "zh" for k in node.keywords):
                found.append(f"{relative}:{node.lineno}: not_found without zh=")
        elif name in MESSAGE_AT:
            message = _message(node, MESSAGE_AT[name])
            opening = None if message is None else _opening(message)
            if opening is not None and not (opening and _is_cjk(opening[0])):
                found.append(f"{relative}:{node.lineno}: {name} message not Chinese first: {opening[:50]!r}")
    return found


def _offenders() -> list[str]:
    found = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            found += _problems(ast.parse(path.read_text(encoding="utf-8"), relative), relative)
    return found


def _chinese_names() -> dict[str, set[str]]:
    """The Chinese names not_found is given, by the English `what` they stand beside."""
    names: dict[str, set[str]] = {}
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and _name(node) == "not_found" and node.args:
                    what = _opening(node.args[0])
                    zh = next((k.value for k in node.keywords if k.arg == "zh"), None)
                    if what and isinstance(zh, ast.Constant):
                        names.setdefault(what, set()).add(zh.value)
    return names


def test_one_thing_has_one_chinese_name() -> None:
    """A refusal from another company and one from another project must read alike (the tenant
    walls rely on it), so "The project" is 项目 wherever it is said."""
    differing = {what: zh for what, zh in _chinese_names().items() if len(zh) > 1}
    assert not differing, differing


def test_error_messages_are_chinese_first() -> None:
    offenders = _offenders()
    assert not offenders, "\n".join(offenders)


def test_the_guard_sees_english_first_messages_and_a_not_found_without_its_chinese_name() -> None:
    source = "\n".join([
        'invalid("The title is empty.", "title")',
        'not_found("The case", "caseId")',
        'DomainError(ErrorCode.CONFLICT, f"{code} is taken.")',
        'invalid("标题不能为空。The title is empty.", "title")',
        'not_found("The case", "caseId", zh="工单")',
        'invalid(f"「{field}」不能为空。{field} must not be empty.", field)',
        'invalid(message, "title")',  # not written here: its own caller is checked
    ])
    assert [int(p.split(":")[1]) for p in _problems(ast.parse(source), "x.py")] == [1, 2, 3]
