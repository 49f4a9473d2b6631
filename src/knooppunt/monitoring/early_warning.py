"""early_warning (being built)."""


def visible_alerts(*args, **kwargs):
    raise NotImplementedError
