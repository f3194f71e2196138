from enum import StrEnum

class StepOutcomeType0(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    REVOKED = "revoked"

    def __str__(self) -> str:
        return str(self.value)
