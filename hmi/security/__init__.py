"""HMI users, roles and permissions, the login session and the tamper-evident audit trail.

The session service lives in `hmi.security.service` (it uses hmi.project, which uses this package's
settings, so it is not imported here).
"""

from .audit import AuditTrail
from .chain import ChainReport, verify
from .errors import AuditError, LoginRefused, PermissionDenied, SecurityError
from .settings import Permission, Role, SecurityConfig
from .users import User, UserStore

__all__ = [
    "AuditError",
    "AuditTrail",
    "ChainReport",
    "LoginRefused",
    "Permission",
    "PermissionDenied",
    "Role",
    "SecurityConfig",
    "SecurityError",
    "User",
    "UserStore",
    "verify",
]
