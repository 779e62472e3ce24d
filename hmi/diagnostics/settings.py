"""The `diagnostics:` section of project.yaml: health models per asset, keyed by the asset's name.

Every duration is in seconds of sample time. Files are written with exclude_defaults, so the defaults
here are what an engineer gets by leaving a key out; the models learn the rest from normal operation.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

ASSET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ThermalCheck(_Model):
    """A motor's temperature as a first-order response to its load (torque squared) and the ambient."""

    temp: str
    load: str
    """The torque tag whose square heats the motor."""
    ambient: float = 25.0
    """°C around the motor."""
    hi: float | None = None
    """Temperature the prediction counts down to; by default the temp tag's HI alarm limit."""
    tau_s: float = Field(300.0, gt=0)
    """First guess of the thermal time constant; the fit replaces it when the data tell it."""
    learn_s: float = Field(1800.0, gt=0)
    """Normal operation the model is fitted on before it judges."""
    residual_limit: float = Field(1.5, gt=0)
    """The least residual (°C above the model) that warns; raised to 5 sigma of the fit's residual."""


class TorqueCheck(_Model):
    """A joint's torque over its motion cycle against the signature learned from normal cycles."""

    torque: str
    cycle: str | None = None
    """Counter tag that counts motion cycles: the signature is then compared per cycle phase."""
    bins: int = Field(16, ge=1, le=256)
    """Phase bins of the cycle."""
    block: int = Field(64, ge=8)
    """Samples judged together when the cycle is unknown or too short to resolve."""
    learn_cycles: int = Field(30, ge=5)
    drift_limit: float = Field(0.05, gt=0)
    """Torque drift over the cycle that warns, as a fraction of the learned peak."""
    spike_limit: float = Field(0.5, gt=0)
    """A sample this far from the signature (fraction of the learned peak) is a spike (collision)."""
    noise_limit: float = Field(2.0, gt=1)
    """Torque noise, times the learned noise, that warns."""


class SensorCheck(_Model):
    """A transmitter: stuck, flat-lined at a range end, or drifting from a related measurement."""

    tag: str
    stuck_s: float = Field(60.0, gt=0)
    """The least time without any change that counts as stuck; raised to 10x the longest unchanged
    stretch seen while learning."""
    flatline_s: float = Field(30.0, gt=0)
    """Time at a range end (within 0.5 % of the span) that counts as flat-lined."""
    related: str | None = None
    """A tag that should read the same (redundant transmitter) or differ by a steady offset."""
    tolerance: float | None = Field(None, gt=0)
    """Change of the offset to `related` that warns (units of the tag); by default 5 sigma of normal."""
    window_s: float = Field(600.0, gt=0)
    """Averaging window of the comparison with `related`."""
    learn_s: float = Field(1800.0, gt=0)


class PumpCheck(_Model):
    """A pump's behaviour (flow against its running state and suction) and its run hours."""

    running: str
    flow: str
    """Flow meter downstream of the pump (may be shared with the pumps in `shared_with`)."""
    level: str | None = None
    """Suction vessel level: expected flow is learned as a line over it."""
    shared_with: list[str] = Field(default_factory=list)
    """Running tags of other pumps on the same flow meter."""
    run_hours: str | None = None
    service_h: float | None = Field(None, gt=0)
    """Run hours at which the pump is due for service."""
    settle_s: float = Field(10.0, ge=0)
    """Time after a start or stop before the flow is judged."""
    learn_s: float = Field(1800.0, gt=0)
    """Running time in each combination of pumps before that combination is judged."""
    noise_limit: float = Field(3.0, gt=1)
    """Flow noise, times the learned noise, that warns (cavitation)."""
    loss_limit: float = Field(0.05, gt=0)
    """Flow below the expected, as a fraction, that warns."""

    @model_validator(mode="after")
    def _service_needs_hours(self) -> PumpCheck:
        if self.service_h is not None and self.run_hours is None:
            raise ValueError("service_h needs the run_hours tag")
        return self


class Asset(_Model):
    """One piece of equipment and the models that watch it."""

    title: str = ""
    thermal: ThermalCheck | None = None
    torque: TorqueCheck | None = None
    sensors: list[SensorCheck] = Field(default_factory=list)
    pump: PumpCheck | None = None

    def tags(self) -> list[str]:
        """Every tag the asset's models read, in file order."""
        names: list[str] = []
        if self.thermal:
            names += [self.thermal.temp, self.thermal.load]
        if self.torque:
            names += [self.torque.torque, *([self.torque.cycle] if self.torque.cycle else [])]
        for sensor in self.sensors:
            names += [sensor.tag, *([sensor.related] if sensor.related else [])]
        if self.pump:
            pump = self.pump
            names += [pump.running, pump.flow, *pump.shared_with]
            names += [t for t in (pump.level, pump.run_hours) if t]
        return list(dict.fromkeys(names))


def _known(assets: dict[str, Asset], info: ValidationInfo) -> dict[str, Asset]:
    """Asset names are words; every tag a model reads is one of the project's tags."""
    for name in assets:
        if not ASSET_NAME.match(name):
            raise ValueError(f"asset name {name!r} must be one word of letters, digits and _")
    tags = info.data.get("tags")
    if tags is None:  # the tags failed to load: they are reported already
        return assets
    names = {t.name for t in tags}
    for name, asset in assets.items():
        unknown = [t for t in asset.tags() if t not in names]
        if unknown:
            raise ValueError(f"{name}: unknown tag {', '.join(repr(t) for t in unknown)}")
    return assets


Diagnostics = Annotated[dict[str, Asset], AfterValidator(_known)]
"""The section as Project holds it: checked against the project's tags."""
