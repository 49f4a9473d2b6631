"""Report builders: the contract (`base`) and the registered kinds."""

from .base import Audience, ReportBuilder, Subject, SubjectKind, all_builders, get, register

__all__ = ["Audience", "ReportBuilder", "Subject", "SubjectKind", "all_builders", "get",
           "register", "register_builtin"]


def register_builtin() -> None:
    """Register the kinds that ship with Knooppunt (idempotent)."""
    from .brl import BRL
    from .factsheet import FACTSHEET
    from .gebiedsscan import GEBIEDSSCAN
    from .jaarbericht import JAARBERICHT
    from .ondermijningsbeeld import ONDERMIJNINGSBEELD
    from .raadsvragen import RAADSVRAGEN
    from .voortgang import VOORTGANG

    for builder in (FACTSHEET, JAARBERICHT, VOORTGANG, RAADSVRAGEN, BRL, GEBIEDSSCAN,
                    ONDERMIJNINGSBEELD):
        register(builder)
