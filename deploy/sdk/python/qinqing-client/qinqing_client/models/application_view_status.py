from enum import StrEnum

class ApplicationViewStatus(StrEnum):
    CLAWED_BACK = "clawed_back"
    PAID = "paid"
    PROCESSING = "processing"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
