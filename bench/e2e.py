"""End-to-end throughput: N validator processes on a local Anvil, proposals in, verdicts out.

    python bench/e2e.py [--validators 8] [--rate 40] [--duration 60] [--model DIR]

Starts Anvil, deploys with short rounds, starts the fleet (tiny model unless
--model), submits proposals at --rate per second for --duration seconds (signed
locally, sent as JSON-RPC batches), follows `ProposalFinalized`, and writes
bench/results/e2e.json:

  proposals_finalized_per_min (steady state: finalized / (last - first finalization
  + one round)), end_to_end_per_min (finalized / (last finalization - first submit)),
  latency_p50_s, latency_p95_s (submit -> final, wall clock), validators,
  gas_per_proposal {total, submit, voting}, and the offered load and an in-process
  inference baseline measured in the same run, as ratios.

Throughput ceiling by construction: maxProposalsPerRound / roundDuration. The
submitter is part of the measurement machine (2 cores shared with Anvil and
every validator), so the offered load is reported next to the result.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import requests
from web3 import Web3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.presigned_load import BackgroundSender, presign  # noqa: E402
from oracle.chain.anvil import ANVIL_MNEMONIC, Anvil  # noqa: E402
from oracle.chain.client import OracleClient, Status  # noqa: E402
from oracle.chain.deployment import Deployment  # noqa: E402
from oracle.chain.events import EventReader  # noqa: E402
from oracle.chain.localdeploy import OracleParams, deploy  # noqa: E402
from oracle.chain.payload import encode_payload  # noqa: E402
from oracle.chain.rpc import connect  # noqa: E402
from oracle.validator.fleet import Fleet, FleetSpec  # noqa: E402
from oracle.validator.keys import anvil_key  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "e2e.json"
SENDER_FIRST = 10  # Anvil accounts 10.. submit (the fleet uses 1..validators)


def make_payloads(n: int, seed: int = 5) -> list[bytes]:
    from dataclasses import replace

    from oracle.model.generate import CorpusGenerator

    gen = CorpusGenerator(seed)
    out = []
    for r in gen.records(n):
        tx = r.tx if r.tx.chain_id != 1 else replace(r.tx, chain_id=31337)
        out.append(encode_payload(tx))
    return out


def inference_baseline(model_dir: Path, payloads: list[bytes]) -> float:
    """Proposals per second the pipeline alone judges in this process (batch 512)."""
    from oracle.model.pipeline import VerdictPipeline

    pipeline = VerdictPipeline.load(model_dir, chain_id=31337)
    pipeline.judge_payloads(payloads[:64])  # warm up
    started = time.perf_counter()
    for i in range(0, len(payloads), 512):
        pipeline.judge_payloads(payloads[i : i + 512])
    return len(payloads) / (time.perf_counter() - started)


def gas_by_kind(url: str, oracle: str, first: int, last: int) -> dict[str, int]:
    """Sum gasUsed of every transaction to the oracle in [first, last], split submit / voting."""
    submit_selector = Web3.keccak(text="submit(bytes)")[:4].hex()
    totals = {"submit": 0, "voting": 0, "submit_txs": 0, "voting_txs": 0}
    session = requests.Session()
    for start in range(first, last + 1, 200):
        blocks = list(range(start, min(last, start + 199) + 1))
        body = [
            {"jsonrpc": "2.0", "id": b, "method": "eth_getBlockReceipts", "params": [hex(b)]}
            for b in blocks
        ]
        txs_body = [
            {"jsonrpc": "2.0", "id": b, "method": "eth_getBlockByNumber", "params": [hex(b), True]}
            for b in blocks
        ]
        receipts = {x["id"]: x["result"] for x in session.post(url, json=body, timeout=120).json()}
        full = {x["id"]: x["result"] for x in session.post(url, json=txs_body, timeout=120).json()}
        for b in blocks:
            for tx, rc in zip(full[b]["transactions"], receipts[b], strict=True):
                if (tx.get("to") or "").lower() != oracle.lower():
                    continue
                kind = (
                    "submit"
                    if tx["input"][2:10] == submit_selector.removeprefix("0x")
                    else "voting"
                )
                totals[kind] += int(rc["gasUsed"], 16)
                totals[f"{kind}_txs"] += 1
    return totals


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--validators", type=int, default=8)
    ap.add_argument(
        "--rate",
        type=float,
        default=40.0,
        help="proposals submitted per second (60 overloads a 2-core machine: bench/README.md)",
    )
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of submission")
    ap.add_argument("--senders", type=int, default=4, help="accounts the load is spread over")
    ap.add_argument("--round", type=int, default=6, help="round (commit phase) seconds")
    ap.add_argument("--reveal", type=int, default=6, help="reveal phase seconds")
    ap.add_argument("--max-per-round", type=int, default=512)
    ap.add_argument(
        "--block-time",
        type=float,
        default=1.0,
        help="Anvil interval mining in seconds (0: one block per transaction, automine)",
    )
    ap.add_argument(
        "--model", type=Path, default=None, help="model folder (default: train the tiny model)"
    )
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    # A SIGTERM must still stop the fleet and Anvil (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    work = Path(tempfile.mkdtemp(prefix="bench-e2e-"))
    model_dir = args.model
    if model_dir is None:
        from oracle.model.tiny import train_tiny_model

        print("training the tiny model ...", flush=True)
        model_dir = train_tiny_model(work / "tiny")
    from oracle.model.checkpoint import model_hash

    n_total = int(args.rate * args.duration)
    payloads = make_payloads(n_total)
    baseline_per_s = inference_baseline(model_dir, payloads[: min(len(payloads), 4096)])
    print(
        f"inference baseline (pipeline alone, this process): {baseline_per_s:,.0f} proposals/s",
        flush=True,
    )

    anvil = Anvil(block_time=args.block_time if args.block_time > 0 else None)
    url = anvil.url
    fleet: Fleet | None = None
    try:
        w3 = Web3(Web3.HTTPProvider(url))
        params = OracleParams(
            roundDuration=args.round,
            revealDuration=args.reveal,
            maxProposalsPerRound=args.max_per_round,
            modelHash=model_hash(model_dir),
            minStake=10**17,
        )
        dep_path = deploy(
            w3,
            anvil_key(0, ANVIL_MNEMONIC),
            work / "deployments",
            params,
            url,
            artifacts=ROOT / ".build" / "__local__.json",
        )
        deployment = Deployment.load(dep_path)
        client = OracleClient(connect(url, timeout_s=60), deployment)
        fleet = Fleet(
            FleetSpec(
                rpc_url=url,
                deployment=dep_path,
                model_dir=model_dir,
                workdir=work / "fleet",
                validators=args.validators,
                stake_wei=10**18,
                poll_interval_s=0.25,
            )
        )
        print(f"starting {args.validators} validators ...", flush=True)
        fleet.start_all()
        fleet.wait_ready(timeout_s=600)
        first_block = w3.eth.block_number + 1

        reader = EventReader(
            client.w3,
            address=client.address,
            abi=client.abi,
            event_names=("ProposalSubmitted", "ProposalFinalized"),
            start_block=first_block,
        )
        # The load generator (bench/presigned_load.py): signed before the clock starts,
        # sent in batches without waiting for receipts, from several accounts.
        senders = [anvil_key(SENDER_FIRST + k, ANVIL_MNEMONIC) for k in range(args.senders)]
        fee = client.quote_submit(senders[0].address)
        t_sign = time.perf_counter()
        signed = presign(client, senders, payloads, fee=fee)
        sign_s = time.perf_counter() - t_sign
        print(f"signed {len(signed)} submits in {sign_s:.1f} s (before the clock starts)")
        load = BackgroundSender(url, signed, args.rate)

        print(f"submitting {n_total} proposals at {args.rate}/s ...", flush=True)
        t_start = time.time()
        load.start()
        cursor = None
        submitted_tx: dict[int, str] = {}  # proposal id -> its submit's transaction hash
        final_at: dict[int, tuple[float, int]] = {}
        deadline_after_submit = (args.round + args.reveal) * 4 + 30
        t_submitted: float | None = None
        while True:
            events, cursor = reader.read(cursor)
            now = time.time()
            for e in events:
                if e.name == "ProposalSubmitted":
                    submitted_tx[int(e.args["id"])] = e.tx_hash
                else:
                    final_at.setdefault(int(e.args["id"]), (now, int(e.args["status"])))
            if not load.is_alive() and t_submitted is None:
                t_submitted = now
            if t_submitted is not None and (
                (len(submitted_tx) >= n_total and set(submitted_tx) <= set(final_at))
                or now - t_submitted > deadline_after_submit
            ):
                break
            time.sleep(0.2)
        if load.failure is not None:
            raise load.failure
        if load.log.errors:
            raise RuntimeError(
                f"{len(load.log.errors)} submits refused by the node: {load.log.errors[0]}"
            )
        last_block = w3.eth.block_number
        sent_at = {
            pid: load.log.sent_at[h if h.startswith("0x") else "0x" + h]
            for pid, h in submitted_tx.items()
        }

        ids = sorted(sent_at)
        done = [pid for pid in ids if pid in final_at]
        finalized = [pid for pid in done if final_at[pid][1] == int(Status.FINALIZED)]
        latencies = sorted(final_at[pid][0] - sent_at[pid] for pid in done)
        finals = sorted(final_at[pid][0] for pid in finalized)
        # Steady-state rate: finalizations arrive in one burst per round, so the span from
        # the first to the last burst plus one round period covers every burst once.
        steady_span = finals[-1] - finals[0] + args.round if finals else float("nan")
        span = finals[-1] - t_start if finals else float("nan")
        submit_span = (t_submitted or time.time()) - t_start
        gas = gas_by_kind(url, client.address, first_block, last_block)
        per_min = len(finalized) / steady_span * 60 if finals else 0.0
        end_to_end_per_min = len(finalized) / span * 60 if finals else 0.0
        offered_per_min = len(ids) / submit_span * 60
        metrics = [httpx.get(m.url + "/metrics", timeout=5).text for m in fleet.members]
        rpc_errors = sum(_metric(t, "oracle_rpc_errors_total") for t in metrics)
        inf_sum = sum(_metric(t, "oracle_inference_latency_seconds_sum") for t in metrics)
        inf_count = sum(_metric(t, "oracle_inference_latency_seconds_count") for t in metrics)

        result: dict[str, Any] = {
            "proposals_finalized_per_min": round(per_min, 1),
            "latency_p50_s": round(statistics.median(latencies), 2) if latencies else None,
            "latency_p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 2)
            if latencies
            else None,
            "validators": args.validators,
            "gas_per_proposal": {
                "total": round((gas["submit"] + gas["voting"]) / max(1, len(finalized))),
                "submit": round(gas["submit"] / max(1, gas["submit_txs"])),
                "voting": round(gas["voting"] / max(1, len(finalized))),
                "voting_per_validator_verdict": round(
                    gas["voting"] / max(1, len(finalized) * args.validators)
                ),
            },
            "end_to_end_per_min": round(end_to_end_per_min, 1),
            "proposals_submitted": len(ids),
            "proposals_final": len(done),
            "proposals_finalized": len(finalized),
            "offered_per_min": round(offered_per_min, 1),
            "load_generator": {
                "senders": args.senders,
                "presign_s": round(sign_s, 2),
                "send_cpu_s": round(load.log.send_cpu_s, 2),
                "batches": load.log.batches,
                "submit_span_s": round(submit_span, 1),
            },
            "ratio_finalized_to_offered": round(per_min / offered_per_min, 3)
            if offered_per_min
            else None,
            "inference_baseline_per_min": round(baseline_per_s * 60, 1),
            "ratio_finalized_to_inference_baseline": round(per_min / (baseline_per_s * 60), 4),
            "ceiling_per_min": round(args.max_per_round / args.round * 60, 1),
            "vote_transactions": gas["voting_txs"],
            "validator_rpc_errors": rpc_errors,
            "validator_inference_s_per_batch": round(inf_sum / inf_count, 4) if inf_count else None,
            "config": {
                "round_s": args.round,
                "reveal_s": args.reveal,
                "max_proposals_per_round": args.max_per_round,
                "rate_per_s": args.rate,
                "block_time_s": args.block_time,
                "duration_s": args.duration,
                "model": "tiny" if args.model is None else str(args.model),
            },
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result, indent=2))
        print(
            f"\nfinalized/offered = {result['ratio_finalized_to_offered']}; "
            f"finalized/inference-baseline = {result['ratio_finalized_to_inference_baseline']}; "
            f"wrote {args.out}"
        )
    finally:
        if fleet is not None:
            fleet.stop_all()
        anvil.stop()


def _metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


if __name__ == "__main__":
    main()
