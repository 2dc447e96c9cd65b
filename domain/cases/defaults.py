"""The industry's published resolution times by severity (DESIGN §4), as the demo's generated
history and trickle use them. A real promise (`commitCase`) takes its default and its
supervisor-only ceiling from the case's SLA policy instead (`SlaRecorder.policy_deadline`)."""

from datetime import timedelta

from domain.cases.states import Severity

DEFAULT_COMMITMENT = {
    Severity.EMERGENCY: timedelta(hours=2),
    Severity.MAJOR: timedelta(hours=6),
    Severity.GENERAL: timedelta(hours=24),
}
AUTO_CONFIRM_SILENCE = timedelta(hours=48)
