from enum import StrEnum

class NoticeStatus(StrEnum):
    DECLINED = "declined"
    FAILED = "failed"
    NOTICED = "noticed"
    TAKEN = "taken"

    def __str__(self) -> str:
        return str(self.value)
