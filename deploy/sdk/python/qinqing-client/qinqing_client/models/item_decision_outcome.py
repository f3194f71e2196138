from enum import StrEnum

class ItemDecisionOutcome(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    UNDECIDED = "undecided"

    def __str__(self) -> str:
        return str(self.value)
