"""Entity models: `Entity` (an FtM id and schema) and `Statement` (one property value with
its provenance). Append-only."""

from .entity import Entity, OriginKind, Statement, StatementQuerySet

__all__ = ["Entity", "OriginKind", "Statement", "StatementQuerySet"]
