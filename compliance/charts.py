"""Trend charts drawn on the server as SVG, with the numbers in a table beside them."""

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 270
LEFT, RIGHT, TOP, BOTTOM = 48, 28, 16, 50
SERIES = [("Training", "trained", "#1d70b8"), ("Supervision", "supervised", "#d4351c")]


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    points: str  # SVG polyline points
    dots: list  # [(x, y, value)]
    dashed: bool


def trend_chart(months):
    """Geometry for `compliance/includes/trend_chart.html` from monthly_compliance rows."""
    count = len(months)
    step = (WIDTH - LEFT - RIGHT) / max(count - 1, 1)

    def x(index):
        return round(LEFT + index * step, 1)

    def y(value):
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (100 - value) / 100, 1)

    lines = []
    for index, (label, _, colour) in enumerate(SERIES):
        dots = [
            (x(i), y(row[2 + index]), row[2 + index])
            for i, row in enumerate(months)
            if row[2 + index] is not None
        ]
        points = " ".join(f"{dx},{dy}" for dx, dy, _ in dots)
        lines.append(Line(label, colour, points, dots, dashed=index == 1))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": lines,
        # Each month's name, and the year under the first month and each January.
        "months": [(x(i), row[0], i == 0 or row[0].month == 1) for i, row in enumerate(months)],
        "grid": [(y(value), value) for value in (0, 25, 50, 75, 100)],
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "label_y": HEIGHT - BOTTOM + 18,
        "year_y": HEIGHT - BOTTOM + 33,
    }
