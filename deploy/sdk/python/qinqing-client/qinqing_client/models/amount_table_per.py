from enum import StrEnum

class AmountTablePer(StrEnum):
    ENTERPRISE = "enterprise"
    PERSON = "person"

    def __str__(self) -> str:
        return str(self.value)
