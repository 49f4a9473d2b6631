"""benchmark (being built)."""


def compute_benchmark(*args, **kwargs):
    raise NotImplementedError


def compute_ranking(*args, **kwargs):
    raise NotImplementedError
