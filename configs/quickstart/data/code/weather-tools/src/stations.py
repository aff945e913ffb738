"""Reads weather station records and computes daily means."""

def daily_mean(readings):
    """Mean of a list of temperature readings; None for an empty list."""
    if not readings:
        return None
    return sum(readings) / len(readings)
