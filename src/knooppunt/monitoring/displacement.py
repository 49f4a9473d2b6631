"""displacement (being built)."""


def compute_displacement(*args, **kwargs):
    raise NotImplementedError
