from enum import StrEnum

class RequestStatus(StrEnum):
    ACCEPTED = "accepted"
    ANSWERED = "answered"
    AWAITING_ENTERPRISE = "awaiting-enterprise"
    CLOSED = "closed"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
