"""Typed validator settings: a TOML file, overridden by environment variables `ORACLE_*`.

Secrets (keystore passwords, the admin token) come from the environment or from
files, never from the TOML file's plain text unless you put them there yourself,
and are never logged (`SecretStr`).
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from oracle.validator.engine_knobs import EngineKnobs
from oracle.validator.log_setup import LogFormat


class ConfigError(ValueError):
    """A settings file that cannot be used; `problems` has one line per thing to fix."""

    def __init__(self, path: Path | None, problems: list[str]) -> None:
        self.problems = problems
        where = f"{path}: " if path is not None else ""
        super().__init__(where + "; ".join(problems))


class ValidatorSettings(BaseSettings, EngineKnobs):
    """Everything a validator reads from validator.toml and ORACLE_* variables: the engine's
    knobs (engine_knobs.py, declared there once) and what the service needs around it."""

    model_config = SettingsConfigDict(env_prefix="ORACLE_", extra="forbid")

    # Chain
    rpc_url: str = "http://127.0.0.1:8545"
    deployment: Path = Path("deployments/31337.json")
    rpc_timeout_s: float = Field(
        10.0,
        gt=0,
        description="seconds one JSON-RPC request may take; raise it for a slow node "
        "(Ganache's eth_estimateGas takes seconds for a finalizeMany with callbacks)",
    )

    # Keys: the signer (hot) signs votes and sends vote transactions; the operator
    # (cold, holds the stake) is only needed for staking and claiming.
    signer_keystore: Path | None = Field(None, validate_default=True)
    signer_password_env: str = "ORACLE_SIGNER_PASSWORD"
    signer_password_file: Path | None = None
    operator_keystore: Path | None = None
    operator_password_env: str = "ORACLE_OPERATOR_PASSWORD"
    operator_password_file: Path | None = None
    operator_address: str | None = Field(
        None, description="the operator when its key is not on this machine (default: the signer)"
    )

    # Model
    model_dir: Path = Path("models/default")
    model_dirs: list[Path] = Field(
        default_factory=list,
        description="every model held, the default first (instead of model_dir): each "
        "proposal is judged by the model its modelHash pins, and abstained on when none is",
    )
    sanctions_file: Path | None = None
    device: str | None = None

    # Store and service
    db_path: Path = Path("runs/validator/validator.db")
    host: str = "127.0.0.1"
    port: int = Field(8700, ge=0, le=65535)
    admin_token: SecretStr | None = None

    # Before its first commit, watch the signer's nonce this long for another process with
    # the key (doppelganger.py). None: one round's commit and reveal phases; 0: off.
    doppelganger_window_s: float | None = Field(
        None, ge=0, description="seconds to watch for another process with the key; 0: off"
    )

    # Staking and rewards
    auto_stake_wei: int = Field(
        0, ge=0, description="stake this once at start-up if the operator is not registered"
    )

    # Relaying
    relayer: bool = False
    relay_url: str | None = None

    log_level: str = "INFO"
    log_format: LogFormat = Field(
        "text", description="text: human lines; json: one JSON object per line (log shippers)"
    )

    @field_validator("signer_keystore")
    @classmethod
    def _signer_unless_observer(cls, v: Path | None, info: ValidationInfo) -> Path | None:
        # A field check (not a model one), so it is reported beside the other fields' problems.
        if v is None and not info.data.get("observer", False):
            raise PydanticCustomError("missing", "required unless observer = true")
        return v

    @field_validator("host")
    @classmethod
    def _strip_host(cls, v: str) -> str:
        return v.strip()

    @model_validator(mode="after")
    def _one_model_setting(self) -> ValidatorSettings:
        if self.model_dirs and "model_dir" in self.model_fields_set:
            raise ValueError("set model_dir (one model) or model_dirs (several), not both")
        return self

    @property
    def held_model_dirs(self) -> list[Path]:
        """The model folders this validator holds, the default (unpinned proposals) first."""
        return list(self.model_dirs) if self.model_dirs else [self.model_dir]

    @classmethod
    def from_file(cls, path: str | Path | None, **overrides: Any) -> ValidatorSettings:
        """Load `path` (TOML) with env vars on top; a missing file is a clear error."""
        if path is not None and not Path(path).is_file():
            raise FileNotFoundError(
                f"config file {path} does not exist; see docs or `oracle fleet up` output"
            )
        # pydantic-settings picks its sources per class, so the file is handed over on the
        # class for the duration of this one construction and always taken back: a failed
        # load must not leave a stale file for the next `ValidatorSettings(...)`.
        toml_path = Path(path) if path else None
        cls._toml_path = toml_path  # type: ignore[attr-defined]
        try:
            return cls(**overrides)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(toml_path, [f"not valid TOML: {exc}"]) from exc
        except ValidationError as exc:
            raise ConfigError(toml_path, settings_problems(exc)) from exc
        finally:
            cls._toml_path = None  # type: ignore[attr-defined]

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = getattr(cls, "_toml_path", None)
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)


def settings_problems(exc: ValidationError) -> list[str]:
    """One `setting: what is wrong` per problem, never the rejected value (it may be a secret)."""
    known = list(ValidatorSettings.model_fields)
    problems = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error.get("loc", ())) or "settings"
        if error.get("type") == "extra_forbidden":
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else " (see docs/validator.md)"
            problems.append(f"{name}: unknown setting{hint}")
        elif error.get("type") == "missing":
            problems.append(f"{name}: required, not set")
        elif error.get("type") == "value_error" and not error.get("loc"):
            # A check across settings (a model validator) names its setting itself.
            problems.append(str(error.get("msg", "")).removeprefix("Value error, "))
        else:
            problems.append(f"{name}: {error.get('msg', 'invalid value')}")
    return problems


def read_password(env_name: str, file: Path | None, *, what: str, file_hint: str) -> str:
    """A keystore password from a file (first line) or an environment variable.

    `what` names the keystore ("the signer keystore"); `file_hint` says how this caller
    names a password file (a setting, a CLI option), for the message when neither is given.
    """
    import os

    if file is not None:
        if not file.is_file():
            raise FileNotFoundError(f"password file {file} for {what} does not exist")
        text = file.read_text()
        return text.splitlines()[0] if text else ""
    value = os.environ.get(env_name)
    if value is None:
        raise ValueError(
            f"no password for {what}: set the environment variable {env_name} or {file_hint}"
        )
    return value
