"""Commitment deadlines a case gets when none is given: the industry's published defaults by
severity (DESIGN §4). The SLA policy matrix per company and project replaces this table."""

from datetime import timedelta

from domain.cases.states import Severity

DEFAULT_COMMITMENT = {
    Severity.EMERGENCY: timedelta(hours=2),
    Severity.MAJOR: timedelta(hours=6),
    Severity.GENERAL: timedelta(hours=24),
}
AUTO_CONFIRM_SILENCE = timedelta(hours=48)
