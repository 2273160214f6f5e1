"""Drive a real VerdictOracle on Anvil through one voting round, by hand.

Four validators stake 1..4 ETH, a requester submits one proposal per verdict
class plus one the validators split on, and the validators commit, reveal,
finalize and settle with commitments computed in Python. Time moves with
Anvil's `evm_setNextBlockTimestamp`, so the phases do not depend on the wall
clock. Transactions are signed locally with the validators' own keys.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from oracle.chain.anvil import ANVIL_MNEMONIC
from oracle.chain.commitment import commitment, round_list_hash
from oracle.chain.localdeploy import OracleParams, deploy
from oracle.chain.payload import TxRequest, encode_payload
from oracle.validator.keys import anvil_key

MNEMONIC = ANVIL_MNEMONIC
ARTIFACTS = Path(__file__).resolve().parents[2] / ".build" / "__local__.json"
# Long phases: the scenario moves time itself, and the page shows countdowns.
PARAMS = OracleParams(roundDuration=600, revealDuration=300, modelHash="0x" + "ab" * 32)
SANCTIONED = "0xc038463E12eAb9BF3b70A959A22a23D6e7D3a189"  # oracle/data/sanctions_sample.txt
STAKES_ETH = (1, 2, 3, 4)
# Ballots per validator, one byte per proposal in round order. Validator 0 (1 ETH)
# dissents on proposal 1 (slashed as incoherent); all split on proposal 6 (rolls).
BALLOTS = (
    bytes([1, 1, 2, 3, 4, 0]),
    bytes([0, 1, 2, 3, 4, 1]),
    bytes([0, 1, 2, 3, 4, 2]),
    bytes([0, 1, 2, 3, 4, 3]),
)
MEMOS = (
    "invoice 2291 for design work",
    "urgent: verify your wallet or your account will be suspended",
    "payment for stolen credit cards",
    "consulting fee q3",
)


@dataclass
class OracleScenario:
    w3: Web3
    deployment_path: Path
    oracle: Any
    deployer: LocalAccount
    requester: LocalAccount
    validators: list[LocalAccount]
    proposal_ids: list[int] = field(default_factory=list)
    round: int = -1

    @classmethod
    def deploy(cls, rpc_url: str, out_dir: Path) -> OracleScenario:
        w3 = Web3(Web3.HTTPProvider(rpc_url))
        deployer = anvil_key(0, MNEMONIC)
        path = deploy(w3, deployer, out_dir, PARAMS, rpc_url, artifacts=ARTIFACTS)
        from oracle.chain.deployment import Deployment

        deployment = Deployment.load(path)
        oracle = w3.eth.contract(
            address=Web3.to_checksum_address(deployment.oracle_address),
            abi=deployment.abi("VerdictOracle"),
        )
        validators = [anvil_key(i, MNEMONIC) for i in range(1, 5)]
        return cls(w3, path, oracle, deployer, anvil_key(9, MNEMONIC), validators)

    # ---- plumbing ----------------------------------------------------------------

    def send(self, account: LocalAccount, call: Any, value: int = 0) -> Any:
        tx = call.build_transaction(
            {
                "from": account.address,
                "value": value,
                "nonce": self.w3.eth.get_transaction_count(account.address, "pending"),
                "chainId": self.w3.eth.chain_id,
                "gas": 3_000_000,
            }
        )
        tx_hash = self.w3.eth.send_raw_transaction(account.sign_transaction(tx).raw_transaction)
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30)
        assert receipt["status"] == 1, f"transaction {call.fn_name} reverted"
        return receipt

    def travel_to(self, timestamp: int) -> None:
        self.w3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])  # type: ignore[arg-type]
        self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    def payload(self, memo: str, to: str = "0x1000000000000000000000000000000000000001") -> bytes:
        chain_id = self.w3.eth.chain_id
        return encode_payload(TxRequest(chain_id, self.requester.address, to, 10**18, b"", memo))

    def submit(self, payload: bytes) -> int:
        fee = self.oracle.functions.quoteSubmit(self.requester.address).call()
        receipt = self.send(self.requester, self.oracle.functions.submit(payload), value=fee)
        (event,) = self.oracle.events.ProposalSubmitted().process_receipt(receipt)
        return int(event["args"]["id"])

    # ---- the round ----------------------------------------------------------------

    def stake_all(self) -> None:
        for account, eth in zip(self.validators, STAKES_ETH, strict=True):
            self.send(account, self.oracle.functions.stake(), value=eth * 10**18)
        # Stake counts from the snapshot `block.timestamp - 1` of a round's first
        # proposal: let a couple of seconds pass so the stake predates it.
        self.travel_to(int(self.w3.eth.get_block("latest")["timestamp"]) + 2)

    def submit_all(self) -> list[int]:
        payloads = [self.payload(m) for m in MEMOS[:3]]
        payloads.append(self.payload(MEMOS[3], to=SANCTIONED))
        payloads.append(b"not an abi-encoded TxRequest")
        payloads.append(self.payload("split decision: gift for the team"))
        self.proposal_ids = [self.submit(p) for p in payloads]
        self.round = int(self.oracle.functions.proposal(self.proposal_ids[0]).call()[3])
        return self.proposal_ids

    def vote_round(self) -> None:
        """Commit, reveal, finalize and settle the round of the submitted proposals."""
        chain_id = self.w3.eth.chain_id
        oracle = self.oracle.functions
        commit_start, reveal_start, reveal_end = oracle.roundTiming(self.round).call()
        ids = oracle.roundProposals(self.round).call()
        assert list(ids) == self.proposal_ids
        list_hash = round_list_hash(ids)
        salts = [os.urandom(32) for _ in self.validators]
        self.travel_to(commit_start)
        for account, verdicts, salt in zip(self.validators, BALLOTS, salts, strict=True):
            c = commitment(
                chain_id=chain_id,
                oracle=self.oracle.address,
                round_=self.round,
                validator=account.address,
                list_hash=list_hash,
                verdicts=verdicts,
                salt=salt,
            )
            self.send(account, oracle.commit(self.round, c))
        self.travel_to(reveal_start)
        for account, verdicts, salt in zip(self.validators, BALLOTS, salts, strict=True):
            self.send(account, oracle.reveal(self.round, account.address, verdicts, salt))
        self.travel_to(reveal_end)
        self.send(self.requester, oracle.finalizeMany(self.proposal_ids))
        addresses = [a.address for a in self.validators]
        self.send(self.requester, oracle.settleMany(self.round, addresses, list(BALLOTS)))
