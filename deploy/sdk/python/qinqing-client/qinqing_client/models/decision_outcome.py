from enum import StrEnum

class DecisionOutcome(StrEnum):
    APPROVED = "approved"
    ELIGIBLE = "eligible"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
