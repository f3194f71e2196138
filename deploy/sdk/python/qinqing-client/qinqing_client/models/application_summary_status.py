from enum import StrEnum

class ApplicationSummaryStatus(StrEnum):
    CLAWED_BACK = "clawed_back"
    FAILED = "failed"
    PAID = "paid"
    PROCESSING = "processing"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
