from enum import StrEnum

class EducationDegree(StrEnum):
    BACHELOR = "bachelor"
    COLLEGE = "college"
    DOCTOR = "doctor"
    HIGH_SCHOOL = "high_school"
    MASTER = "master"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
