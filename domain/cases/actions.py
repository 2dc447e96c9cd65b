"""下一步 The transitions a caller may perform on a case now: the state rule is the model's own
table (`ALLOWED_FROM`, `PAUSE_RULE`), the permission is the one each mutation declares, and the
person rules are those the model's commands enforce. Offering is a courtesy: the commands decide."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from uuid import UUID

from domain.cases.model import state_allows
from domain.cases.states import State
from tenants.roles import Permission as P


class CaseAction(StrEnum):
    """Each value is the model's command name, so the state table is looked up by it."""

    COMMIT = "commit"
    LINK_REPEAT = "link_repeat"
    DISPATCH = "dispatch"
    REPORT_UNDISPATCHABLE = "report_undispatchable"
    ACCEPT = "accept"
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    RESOLVE = "resolve"
    MISS_PROMISE = "miss_promise"
    CONFIRM = "confirm"
    REJECT = "reject"
    RETURN_VISIT = "return_visit"
    CANCEL = "cancel"
    REQUEST_DECLINE = "request_decline"
    APPROVE_DECLINE = "approve_decline"
    DENY_DECLINE = "deny_decline"
    REFER = "refer"


# The permission each action's mutation requires on the case's project.
PERMISSION: dict[CaseAction, P] = {
    CaseAction.COMMIT: P.CASE_COMMIT, CaseAction.LINK_REPEAT: P.CASE_COMMIT,
    CaseAction.DISPATCH: P.CASE_DISPATCH, CaseAction.REPORT_UNDISPATCHABLE: P.CASE_DISPATCH,
    CaseAction.MISS_PROMISE: P.CASE_DISPATCH, CaseAction.CANCEL: P.CASE_DISPATCH, CaseAction.REQUEST_DECLINE: P.CASE_DISPATCH,
    CaseAction.ACCEPT: P.CASE_WORK, CaseAction.START: P.CASE_WORK, CaseAction.PAUSE: P.CASE_WORK,
    CaseAction.RESUME: P.CASE_WORK, CaseAction.RESOLVE: P.CASE_WORK,
    CaseAction.CONFIRM: P.CASE_FOLLOW_UP, CaseAction.REJECT: P.CASE_FOLLOW_UP, CaseAction.RETURN_VISIT: P.CASE_FOLLOW_UP,
    CaseAction.APPROVE_DECLINE: P.CASE_SUPERVISE, CaseAction.DENY_DECLINE: P.CASE_SUPERVISE,
    CaseAction.REFER: P.CASE_REFER,
}


def allowed_by_state(state: State, paused: bool) -> list[CaseAction]:
    """What the case's state allows, whoever asks."""
    return [a for a in CaseAction if state_allows(a.value, state, paused)]


def _person_allows(action: CaseAction, viewer_id: UUID, assignee_id: UUID | None, handler_id: UUID | None) -> bool:
    if action is CaseAction.ACCEPT:  # the assignee, or anyone before one is set (Case.accept)
        return assignee_id is None or assignee_id == viewer_id
    if action in (CaseAction.START, CaseAction.RESOLVE):  # Case._require_assignee
        return assignee_id == viewer_id
    if action is CaseAction.RETURN_VISIT:  # never the handler (Case.return_visit)
        return handler_id != viewer_id
    return True


def available_actions(state: State, *, paused: bool, assignee_id: UUID | None, handler_id: UUID | None,
                      viewer_id: UUID, permissions: Collection[P]) -> list[CaseAction]:
    """The actions `viewer_id`, holding `permissions` on the case's project, may perform now."""
    return [a for a in allowed_by_state(state, paused)
            if PERMISSION[a] in permissions and _person_allows(a, viewer_id, assignee_id, handler_id)]
