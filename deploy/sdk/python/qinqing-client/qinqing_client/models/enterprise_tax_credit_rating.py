from enum import StrEnum

class EnterpriseTaxCreditRating(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    M = "M"

    def __str__(self) -> str:
        return str(self.value)
