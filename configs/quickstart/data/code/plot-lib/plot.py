def scale(values, factor):
    """Multiplies every value by a factor."""
    return [v * factor for v in values]
