"""Figures printed beside their anchors, measured in the same run, and written as JSON.

On a machine shared with other work an absolute time says little; the ratio to an anchor measured
in the same rounds (diff-match-patch, a difflib script, FTS5, `audit --jobs 1`) says how yuanwen
compares, and a regression shows as a ratio that grew."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from pairs import ROOT

OUT = ROOT / "benchmarks" / "out"


@dataclass(frozen=True)
class Figure:
    """One measured figure, its anchor from the same run, and the target the ratio (or value) must meet."""

    name: str
    value: float
    unit: str
    anchor: float | None = None
    anchor_name: str = ""
    target_ratio: float | None = None
    target_value: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.anchor if self.anchor else None

    @property
    def met(self) -> bool | None:
        """Whether every target given is met; None when none is given."""
        checks = []
        if self.target_ratio is not None and self.ratio is not None:
            checks.append(self.ratio <= self.target_ratio)
        if self.target_value is not None:
            checks.append(self.value <= self.target_value)
        return all(checks) if checks else None

    def line(self) -> str:
        text = f"{self.name}: {_amount(self.value, self.unit)}"
        if self.anchor is not None:
            text += f"   {self.anchor_name} {_amount(self.anchor, self.unit)}   ratio {self.ratio:.2f}x"
        targets = []
        if self.target_value is not None:
            targets.append(f"<= {_amount(self.target_value, self.unit)}")
        if self.target_ratio is not None:
            targets.append(f"<= {self.target_ratio:g}x")
        if targets:
            text += f"   target {' and '.join(targets)}: {'met' if self.met else 'NOT met'}"
        return text


def show(figure: Figure, figures: list[Figure]) -> None:
    """Print a figure as soon as it is measured, and keep it for the JSON."""
    print(figure.line(), flush=True)
    figures.append(figure)


def write(name: str, figures: list[Figure]) -> Path:
    """benchmarks/out/NAME.json: every figure with its anchor, ratio and whether its target is met."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    rows = [{**asdict(f), "ratio": f.ratio, "met": f.met} for f in figures]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written: {path.relative_to(ROOT)}")
    return path


def _amount(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:,.1f} {unit}"
