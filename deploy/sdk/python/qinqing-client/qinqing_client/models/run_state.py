from enum import StrEnum

class RunState(StrEnum):
    DONE = "done"
    EVALUATING = "evaluating"
    PAYING = "paying"

    def __str__(self) -> str:
        return str(self.value)
