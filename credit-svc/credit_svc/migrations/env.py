from credit_svc.models import Base
from qinqing_shared.migrations import run_env

run_env(Base.metadata)
