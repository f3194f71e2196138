from qinqing_gateway.models import Base
from qinqing_shared.migrations import run_env

run_env(Base.metadata)
