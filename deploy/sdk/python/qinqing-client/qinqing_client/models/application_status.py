from enum import StrEnum

class ApplicationStatus(StrEnum):
    APPROVED = "approved"
    CLAWED_BACK = "clawed_back"
    ELIGIBLE = "eligible"
    PAID = "paid"
    REJECTED = "rejected"
    REVERSED = "reversed"

    def __str__(self) -> str:
        return str(self.value)
