from enum import StrEnum

class RequestSummaryOutcomeType0(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    REVOKED = "revoked"

    def __str__(self) -> str:
        return str(self.value)
