from qinqing_shared.migrations import run_env
from subsidy_svc.models import Base

run_env(Base.metadata)
