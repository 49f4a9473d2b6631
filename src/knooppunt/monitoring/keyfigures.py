"""keyfigures (being built)."""


def compute_key_figures(*args, **kwargs):
    raise NotImplementedError
