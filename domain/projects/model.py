"""工作时间: the hours working-hours SLA clocks count on each working day (Beijing time). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from domain.errors import invalid


@dataclass(frozen=True)
class WorkingHours:
    opens: time
    closes: time

    def __post_init__(self) -> None:
        # The database holds the same rule (projects_work_hours); this one names the field.
        if self.closes <= self.opens:
            raise invalid("Working hours must close after they open.", "closes")
