"""Expected calibration error: one definition for evaluation and for fitting the temperature."""

from __future__ import annotations

from collections.abc import Sequence

ECE_BINS = 10


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[int]) -> float:
    """Equal-width bins over (0, 1]; |accuracy - mean confidence| weighted by bin size."""
    n = len(confidence)
    ece = 0.0
    for b in range(ECE_BINS):
        lo, hi = b / ECE_BINS, (b + 1) / ECE_BINS
        rows = [i for i, c in enumerate(confidence) if lo < c <= hi or (b == 0 and c == 0.0)]
        if rows:
            accuracy = sum(correct[i] for i in rows) / len(rows)
            mean_conf = sum(confidence[i] for i in rows) / len(rows)
            ece += len(rows) / n * abs(accuracy - mean_conf)
    return ece
