from enum import StrEnum

class CommitmentOutcome(StrEnum):
    BROKEN = "broken"
    KEPT = "kept"
    LAPSED = "lapsed"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
