from enum import StrEnum

class Action(StrEnum):
    ACCEPTED = "accepted"
    ANSWERED = "answered"
    CLARIFICATION_REQUESTED = "clarification-requested"
    CLARIFIED = "clarified"
    CLOSED = "closed"
    ESCALATED = "escalated"
    RATED = "rated"
    REOPENED = "reopened"
    REVOKED = "revoked"
    SUBMITTED = "submitted"
    TRANSFERRED = "transferred"

    def __str__(self) -> str:
        return str(self.value)
