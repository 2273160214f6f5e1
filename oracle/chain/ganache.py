"""Start and stop a local Ganache 7 node on 127.0.0.1: the tested chain for the shanghai build.

Ganache comes from npm (`ganache` in package.json, `node_modules/.bin/ganache`).
It runs EVM versions up to shanghai, so it takes the shanghai build of the
contracts (`make compile-shanghai`, oracle/chain/builds.py). Its chain id is 1337;
its development RPC has no `anvil_*` methods (`evm_setAccountBalance` sets a
balance), which `LocalNode` hides. Accounts come from the same test mnemonic as
Anvil's, with Anvil's 10,000 ETH each.
"""

from __future__ import annotations

from oracle.chain.localnode import TEST_MNEMONIC, LocalNode

GANACHE_CHAIN_ID = 1337
GANACHE_HARDFORK = "shanghai"  # the newest Ganache 7.9 runs; matches the shanghai build
ACCOUNT_BALANCE_ETH = 10_000  # Anvil's default; Ganache's own default is 1,000


class Ganache(LocalNode):
    """A Ganache process on 127.0.0.1 (chain id 1337, EVM shanghai)."""

    name = "ganache"
    title = "Ganache"
    set_balance_method = "evm_setAccountBalance"
    ready_timeout_s = 60.0  # a node script: slower to start than Anvil on a loaded machine
    # Its eth_estimateGas re-runs the call many times: seconds for a finalizeMany with
    # callbacks, more under load. A client that gives up at 10 s and retries piles up
    # estimates on the single-threaded node until nothing answers.
    request_timeout_s = 60.0

    block_time_flag = "--miner.blockTime"

    def options(self, port: int, *, accounts: int) -> list[str]:
        flags = (
            f"--server.host 127.0.0.1 --server.port {port} --chain.chainId {GANACHE_CHAIN_ID} "
            f"--chain.hardfork {GANACHE_HARDFORK} --wallet.totalAccounts {accounts} "
            f"--wallet.defaultBalance {ACCOUNT_BALANCE_ETH} --logging.quiet"
        )
        return [*flags.split(), "--wallet.mnemonic", TEST_MNEMONIC]
