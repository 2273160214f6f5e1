"""Wires one validator from its settings: keys, chain client, model, store, engine, relay."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount

from oracle.chain.client import OracleClient
from oracle.chain.deployment import Deployment
from oracle.chain.rpc import connect, wait_for_rpc
from oracle.chain.sender import SenderConfig, TxSender
from oracle.chain.units import format_eth
from oracle.model.rules import SanctionsListFile
from oracle.relay.client import RelayClient
from oracle.relay.relayer import Relayer
from oracle.validator.doppelganger import DoppelgangerCheck, nonce_reader
from oracle.validator.engine import Engine
from oracle.validator.funds import signer_funds_line
from oracle.validator.judge import Judge
from oracle.validator.keys import open_keystore
from oracle.validator.metrics import Metrics
from oracle.validator.observer import OBSERVER_OPERATOR
from oracle.validator.operator import ZERO_ADDRESS
from oracle.validator.settings import ValidatorSettings, read_password
from oracle.validator.startup_report import StartupFacts
from oracle.validator.store import Store

log = logging.getLogger(__name__)


@dataclass
class Validator:
    settings: ValidatorSettings
    client: OracleClient
    engine: Engine
    metrics: Metrics
    relayer: Relayer | None
    load_model: Callable[[], list[Any]] | None = None
    facts: StartupFacts | None = None
    thread: threading.Thread | None = None
    stop_event: threading.Event | None = None

    @property
    def model_loaded(self) -> bool:
        return self.engine.judge.ready

    def start(self) -> None:
        if self.load_model is not None and not self.engine.judge.ready:
            threading.Thread(target=self._load_model, name="model-loader", daemon=True).start()
        self.stop_event = threading.Event()
        self.thread = threading.Thread(
            target=self.engine.run, args=(self.stop_event,), name="validator-engine", daemon=True
        )
        self.thread.start()

    def _load_model(self) -> None:
        assert self.load_model is not None
        try:
            self.engine.judge.set_pipelines(self.load_model())
            log.info("models loaded: %s", ", ".join(self.engine.judge.held_hashes))
        except Exception as exc:
            self.engine.judge.load_error = f"{type(exc).__name__}: {exc}"
            log.exception("loading the model failed; this validator cannot vote until restarted")
        self.log_summary()

    def log_summary(self) -> str | None:
        """The start-up summary line (startup_report.py), logged and returned."""
        if self.facts is None:
            return None
        try:
            balance: int | None = int(self.client.w3.eth.get_balance(self.facts.signer))  # type: ignore[arg-type]
        except Exception:
            balance = None  # the chain is down for a moment: the line still comes out
        held = self.engine.judge.held_hashes
        line = self.facts.summary(balance, held or None)
        log.info("%s", line)
        return line

    def stop(self) -> None:
        if self.stop_event is not None:
            self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=10)


def build_validator(settings: ValidatorSettings) -> Validator:
    if settings.signer_keystore is None:
        # An observer (settings.py) sends nothing: a throwaway key fills the signer's place.
        signer: LocalAccount = Account.create()
    else:
        signer = open_keystore(
            settings.signer_keystore,
            read_password(
                settings.signer_password_env,
                settings.signer_password_file,
                what="the signer keystore",
                file_hint="set signer_password_file",
            ),
        )
    operator_account: LocalAccount | None = None
    if settings.operator_keystore is not None:
        operator_account = open_keystore(
            settings.operator_keystore,
            read_password(
                settings.operator_password_env,
                settings.operator_password_file,
                what="the operator keystore",
                file_hint="set operator_password_file",
            ),
        )
    operator = (
        operator_account.address
        if operator_account
        else (settings.operator_address or signer.address)
    )
    if settings.observer:
        # Never an operator of its own: nothing to stake or claim, and a store identity that
        # does not change with the throwaway key.
        operator_account = None
        operator = settings.operator_address or OBSERVER_OPERATOR
    elif operator_account is None and operator == signer.address:
        operator_account = signer  # one key plays both roles

    deployment = Deployment.load(settings.deployment)
    metrics = Metrics()
    w3 = connect(settings.rpc_url, timeout_s=settings.rpc_timeout_s)
    client = OracleClient(w3, deployment, on_rpc_error=lambda _e: metrics.rpc_errors.inc())
    # The first chain read waits out an RPC outage (logging each attempt) instead of exiting.
    served_chain = wait_for_rpc(
        settings.rpc_url,
        lambda: int(w3.eth.chain_id),
        timeout_s=settings.startup_timeout_s,
        what="the chain id",
    )
    if served_chain != deployment.chain_id:
        raise ValueError(
            f"{settings.rpc_url} serves chain {served_chain}, but {deployment.path} is for "
            f"chain {deployment.chain_id}; point rpc_url at the deployment's chain"
        )
    # Blocking sends (staking at start, equivocation reports) are capped like votes.
    make_sender = partial(client.make_sender, config=SenderConfig(fees=settings.fee_policy()))
    sender = make_sender(signer)
    operator_sender = (
        sender
        if operator_account is signer
        else (make_sender(operator_account) if operator_account else None)
    )

    for folder in settings.held_model_dirs:
        if not folder.is_dir():
            raise FileNotFoundError(
                f"model folder {folder} does not exist; train one (`oracle train`) "
                "or set model_dir / model_dirs"
            )

    def load_model() -> list[Any]:
        # Imported here: torch and transformers take seconds to import, and stored
        # ballots must not wait for them.
        from oracle.model.pipeline import VerdictPipeline

        # Payloads up to the oracle's own limit are well-formed: judging them against the
        # pipeline's 4,096-byte default would call valid larger payloads malformed.
        max_payload_size = wait_for_rpc(
            settings.rpc_url,
            lambda: int(client.param("maxPayloadSize")),
            timeout_s=settings.startup_timeout_s,
            what="maxPayloadSize",
        )
        pipelines = [
            VerdictPipeline.load(
                folder,
                max_payload_size=max_payload_size,
                sanctions_file=settings.sanctions_file,
                chain_id=deployment.chain_id,
                device=settings.device,
            )
            for folder in settings.held_model_dirs
        ]
        hashes = [p.model_hash for p in pipelines]
        if len(set(hashes)) != len(hashes):
            raise ValueError(f"model_dirs holds the same model twice (hashes {hashes})")
        return pipelines

    store = Store(settings.db_path)
    relay = (
        RelayClient(settings.relay_url, signer=signer, domain=client.domain, operator=operator)
        if settings.relay_url
        else None
    )
    engine = Engine(
        client=client,
        store=store,
        judge=Judge(None, batch_size=settings.judge_batch),
        signer=signer,
        operator=operator,
        sender=sender,
        operator_sender=operator_sender,
        metrics=metrics,
        config=settings,  # its engine knobs (engine_knobs.py)
        relay=relay,
    )
    # The relayer sends through the engine's transaction manager (the signer key's nonces).
    relayer = engine.relayer = Relayer(client, engine.tx) if settings.relayer else None
    engine.doppelganger = (
        None if settings.observer else doppelganger_check(settings, engine, sender)
    )
    sanctions = SanctionsListFile.of(settings.sanctions_file)
    if sanctions.sample:
        log.warning(
            "sanctions_file is not set: judging with the shipped SAMPLE sanctions list %s "
            "(synthetic addresses, sha256 %s); set sanctions_file to the list your "
            "validators agree on",
            sanctions.path,
            sanctions.sha256,
        )
    else:
        log.info("sanctions list %s sha256 %s", sanctions.path, sanctions.sha256)
    if settings.observer:
        log.info(
            "observer: judging every proposal and comparing with the final verdicts; this "
            "validator sends no transaction (GET /status: observer)"
        )
    else:
        ensure_stake(client, operator_sender, signer, settings.auto_stake_wei)
        enough, funds_line = signer_funds_line(w3, signer.address)
        (log.info if enough else log.warning)("%s", funds_line)
    return Validator(
        settings=settings,
        client=client,
        engine=engine,
        metrics=metrics,
        relayer=relayer,
        load_model=load_model,
        facts=StartupFacts(
            chain_id=deployment.chain_id,
            oracle=client.address,
            operator=engine.operator,
            signer=signer.address,
            pinned_model_hash="0x" + bytes(client.param("modelHash")).hex(),
            sanctions=sanctions,
        ),
    )


def ensure_stake(
    client: OracleClient, operator_sender: TxSender | None, signer: LocalAccount, target: int
) -> int:
    """`auto_stake_wei`: stake `target` once, for an operator not registered yet; the wei staked.

    A registered operator is never topped up: after a slash the missing stake is the
    penalty, and after `requestUnstake` the lower stake is what the operator asked for;
    re-staking on every restart would undo both. Top up by hand with `oracle stake`.
    The signer is registered for the operator when its key is here.
    """
    if target <= 0 or operator_sender is None:
        return 0
    operator = operator_sender.address
    info = client.validator_info(operator)
    staked = 0
    if info.signer.lower() == ZERO_ADDRESS:
        client.stake(operator_sender, target)
        staked = target
        log.info("auto_stake_wei: staked %s for the new operator %s", format_eth(target), operator)
    elif info.active < target:
        log.info(
            "auto_stake_wei: operator %s is registered (active %s, unbonding %s, target %s); "
            "not staking again (a slash or an unstake lowered it); top up with `oracle stake`",
            operator,
            format_eth(info.active),
            format_eth(info.unbonding),
            format_eth(target),
        )
    if signer.address.lower() != operator.lower():
        info = client.validator_info(operator)
        if info.signer.lower() != signer.address.lower():
            # The signer key is here, so it signs its own consent to serve this operator.
            deadline, acceptance = client.accept_signer(signer, operator)
            client.set_signer(operator_sender, signer.address, deadline, acceptance)
            log.info("signer set to %s", signer.address)
    return staked


def doppelganger_check(
    settings: ValidatorSettings, engine: Engine, sender: TxSender
) -> DoppelgangerCheck | None:
    """The start-up window for another process with the signer key (None when off)."""
    window = settings.doppelganger_window_s
    if window is None:
        window = float(engine.round_duration + engine.reveal_duration)
    if window <= 0:
        return None
    signer = engine.signer.address
    log.info("watching signer %s for %.0f s before the first commit (doppelganger)", signer, window)
    return DoppelgangerCheck(
        signer=signer,
        window_s=window,
        read_nonces=nonce_reader(engine.client.w3, signer),
        local_next=sender.local_next_nonce,
    )
