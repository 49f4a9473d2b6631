"""Entity models: `Entity` (an FtM id and schema), `Statement` (one property value with
its provenance) and `Reveal` (a name shown behind a pseudonym). Append-only."""

from .entity import Entity, OriginKind, Statement, StatementQuerySet
from .reveal import Reveal

__all__ = ["Entity", "OriginKind", "Reveal", "Statement", "StatementQuerySet"]
