from enum import StrEnum

class RuleOp(StrEnum):
    EQ = "eq"
    GE = "ge"
    GT = "gt"
    IN = "in"
    LE = "le"
    LT = "lt"
    NE = "ne"
    NOT_IN = "not_in"

    def __str__(self) -> str:
        return str(self.value)
