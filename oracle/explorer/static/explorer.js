// Consensus explorer page: renders /api/state and /api/proposals/{id}; an
// EventSource on /api/stream says when to refetch. All text goes through
// textContent (memos are attacker-controlled), never innerHTML.
"use strict";

const CLASSES = ["legal", "fraud", "illicit", "sanctioned", "malformed"];
let lastState = null;
let fetchedAt = 0;
let refreshing = false;
let refreshAgain = false;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function short(hex, head = 6, tail = 4) {
  if (!hex) return "—";
  return hex.length <= head + tail + 2 ? hex : `${hex.slice(0, head)}…${hex.slice(-tail)}`;
}

function chainNow() {
  if (!lastState) return 0;
  return lastState.overview.chain_time + Math.floor((Date.now() - fetchedAt) / 1000);
}

function countdown(endsAt) {
  if (endsAt === null || endsAt === undefined) return "";
  const left = Math.max(0, endsAt - chainNow());
  const m = Math.floor(left / 60), s = left % 60;
  return m > 0 ? `${m}m ${String(s).padStart(2, "0")}s` : `${s}s`;
}

function verdictBadge(name) {
  return el("span", { class: `verdict ${name}`, text: name });
}

function tallyCell(tallyEth) {
  const amounts = CLASSES.map((c) => Number(tallyEth[c] || 0));
  const total = amounts.reduce((a, b) => a + b, 0);
  const bar = el("div", { class: "tally", title: "revealed stake by class" });
  CLASSES.forEach((c, i) => {
    if (amounts[i] > 0) bar.append(el("span", { class: c, style: `width:${(100 * amounts[i]) / total}%` }));
  });
  const text = CLASSES.filter((c, i) => amounts[i] > 0).map((c) => `${c} ${tallyEth[c]}`).join(" · ");
  return el("td", { class: "tally-cell" }, bar, el("div", { class: "tally-text", text: text || "no reveals yet" }));
}

function votesCell(votes) {
  const cell = el("td", { class: "votes" });
  if (!votes.length) cell.append(el("span", { class: "muted", text: "—" }));
  for (const v of votes) {
    const badge = verdictBadge(v.verdict_name);
    badge.title = v.abstained
      ? `${v.validator}: abstained (does not hold the pinned model; no weight)`
      : `${v.validator}: ${v.verdict_name} (${v.stake_eth} ETH)`;
    badge.textContent = `${short(v.validator, 4, 3)} ${v.verdict_name}`;
    badge.setAttribute("data-validator", v.validator);
    cell.append(badge);
  }
  return cell;
}

function phaseText(p) {
  if (p.phase === "final") return `round ${p.round} · done`;
  const left = countdown(p.phase_ends_at);
  const what = { queued: "commit opens in", commit: "commit ends in", reveal: "reveal ends in" }[p.phase];
  if (what) return `round ${p.round} · ${p.phase} · ${what} ${left}`;
  return `round ${p.round} · ${p.phase === "finalizable" ? "awaiting finalize" : p.phase}`;
}

function renderOverview(o) {
  const box = document.getElementById("overview");
  const stats = [
    ["chain", o.chain_id], ["block", o.head_block], ["round", o.current_round ?? "—"],
    ["pending", o.proposals.Pending || 0], ["finalized", o.proposals.Finalized || 0],
    ["no consensus", o.proposals.NoConsensus || 0], ["validators", o.validators],
    ["total stake", `${o.total_active_stake_eth} ETH`], ["model hash", short(o.model_hash, 10, 6)],
    ["oracle", short(o.oracle)],
  ];
  box.replaceChildren(...stats.map(([k, v]) => el("div", { class: "stat" }, el("b", { text: k }), String(v))));
  const error = document.getElementById("error");
  error.hidden = !o.sync_error;
  error.textContent = o.sync_error || "";
}

function renderProposals(proposals) {
  const body = document.querySelector("#proposals tbody");
  if (!proposals.length) {
    body.replaceChildren(el("tr", { class: "empty" }, el("td", { colSpan: 8, text: "no proposals yet" })));
    return;
  }
  body.replaceChildren(...proposals.map((p) => {
    const row = el("tr", { class: "proposal", "data-proposal-id": p.id, "data-status": p.status },
      el("td", { class: "mono", text: String(p.id) }),
      el("td", {}, el("span", { class: `badge ${p.status}`, text: p.status })),
      el("td", { class: "phase", "data-ends-at": p.phase_ends_at, "data-phase": p.phase, text: phaseText(p) }),
      el("td", { class: "memo", text: p.memo }),
      tallyCell(p.tally_eth),
      votesCell(p.votes),
      el("td", { class: "final" }, p.verdict_name ? verdictBadge(p.verdict_name)
        : el("span", { class: "muted", text: p.status === "NoConsensus" ? "no consensus" : "pending" })),
      el("td", { class: "mono", title: p.model_hash, text: short(p.model_hash, 8, 4) }));
    row.addEventListener("click", () => { location.hash = `#/proposal/${p.id}`; });
    return row;
  }));
}

function renderValidators(validators) {
  const body = document.querySelector("#validators tbody");
  if (!validators.length) {
    body.replaceChildren(el("tr", { class: "empty" }, el("td", { colSpan: 7, text: "no validators yet" })));
    return;
  }
  body.replaceChildren(...validators.map((v) => el("tr", { class: "validator", "data-validator": v.address },
    el("td", { class: "mono", title: v.address, text: short(v.address, 8, 6) }),
    el("td", { class: "mono", title: v.signer || "", text: short(v.signer, 8, 6) }),
    el("td", { class: "stake", text: v.active_eth }),
    el("td", { text: v.unbonding_eth }),
    el("td", { class: "rewards", text: v.rewards_eth }),
    el("td", { class: "slashed" }, v.slashed_eth, bountyList(v)),
    el("td", {}, el("ul", { class: "history" }, ...v.history.slice(0, 8).map((h) =>
      el("li", { class: `history-${h.kind}`, text: historyText(h) })))))));
}

// Equivocation bounties: held until the offender's open ballots settle or releasable_at.
function bountyList(v) {
  if (!v.equivocation_bounties.length) return null;
  return el("ul", { class: "bounties" }, ...v.equivocation_bounties.map((b) =>
    el("li", { class: `bounty bounty-${b.state}`, "data-round": String(b.round), text: bountyText(b, v) })));
}

function bountyText(b, v) {
  const head = `round ${b.round} bounty ${b.amount_eth} ETH`;
  if (b.state === "held") {
    const until = new Date(b.releasable_at * 1000).toISOString().replace(".000Z", "Z");
    return `${head}: held (${v.open_ballots} open ballots, at the latest until ${until})`;
  }
  if (b.state === "none") return `${head}: nothing owed`;
  return `${head}: ${b.state}`;
}

function historyText(h) {
  const round = h.round !== null ? ` round ${h.round}` : "";
  const amount = h.amount !== "0" ? ` ${h.amount_eth} ETH` : "";
  const detail = h.detail && h.kind !== "settled" ? ` (${h.detail})` : "";
  return `block ${h.block}: ${h.kind}${round}${amount}${detail}`;
}

function tickCountdowns() {
  if (!lastState) return;
  const byId = new Map(lastState.proposals.map((p) => [String(p.id), p]));
  for (const cell of document.querySelectorAll("#proposals td.phase")) {
    const p = byId.get(cell.parentElement.getAttribute("data-proposal-id"));
    if (p) cell.textContent = phaseText(p);
  }
}

function field(dl, name, value, mono) {
  dl.append(el("dt", { text: name }), el("dd", { class: mono ? "mono" : "", text: value }));
}

async function renderDetail(id) {
  const view = document.getElementById("detail-view");
  const response = await fetch(`/api/proposals/${id}`);
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    view.replaceChildren(el("div", { class: "card error", text: body.detail || `proposal ${id}: HTTP ${response.status}` }));
    return;
  }
  const p = await response.json();
  const head = el("div", { class: "card", id: "proposal-detail", "data-proposal-id": p.id, "data-status": p.status },
    el("h2", {}, `Proposal #${p.id} `, el("span", { class: `badge ${p.status}`, text: p.status }), " ",
      p.verdict_name ? verdictBadge(p.verdict_name) : ""));
  const info = el("dl", { class: "fields" });
  field(info, "phase", phaseText(p));
  field(info, "requester", p.requester, true);
  field(info, "fee", `${p.fee_eth} ETH`);
  field(info, "model hash", p.model_hash, true);
  field(info, "payload hash", p.payload_hash, true);
  field(info, "submitted", `block ${p.submitted_block}, tx ${p.submitted_tx}`, true);
  if (p.finalized_tx) field(info, "finalized", p.finalized_tx, true);
  if (p.callback_failed) field(info, "callback", "the requester's onVerdict callback failed");
  if (p.safe) {
    field(info, "Safe", p.safe, true);
    field(info, "Safe executed", p.safe_executed ? `yes, tx ${p.safe_executed_tx}` : "no", !!p.safe_executed);
  }
  head.append(info);

  const tx = p.transaction;
  const txCard = el("div", { class: "card", id: "decoded-tx" }, el("h2", { text: "Decoded transaction" }));
  const txFields = el("dl", { class: "fields" });
  if (tx.decoded) {
    field(txFields, "chain id", String(tx.chain_id));
    field(txFields, "from", tx.from, true);
    field(txFields, "to", tx.to, true);
    field(txFields, "value", `${tx.value_eth} ETH`);
    field(txFields, "method", tx.call.method, true);
    for (const [k, v] of Object.entries(tx.call.args)) field(txFields, `  ${k}`, v, true);
    if (tx.call.error) field(txFields, "calldata", tx.call.error);
    field(txFields, "memo", tx.memo);
    field(txFields, "calldata", tx.data, true);
  } else {
    field(txFields, "payload", `does not decode: ${tx.error}`);
    field(txFields, "raw", tx.raw, true);
  }
  txCard.append(txFields);

  const rounds = el("div", { class: "card" }, el("h2", { text: "Rounds and revealed votes" }));
  for (const r of p.round_history) {
    const table = el("table", { class: "round-votes" },
      el("thead", {}, el("tr", {}, el("th", { text: "validator" }), el("th", { text: "verdict" }), el("th", { text: "stake" }))),
      el("tbody", {}, ...r.votes.map((v) => el("tr", { "data-validator": v.validator },
        el("td", { class: "mono", text: v.validator }), el("td", {}, verdictBadge(v.verdict_name)),
        el("td", { text: `${v.stake_eth} ETH` })))));
    const tallyLine = CLASSES.map((c) => `${c} ${r.tally_eth[c]}`).join(" · ");
    const abstained = r.abstained ? `, ${r.abstained} abstained (pinned model not held)` : "";
    rounds.append(el("h3", { text: `Round ${r.round}: ${r.committed} committed, ${r.votes.length} revealed${abstained}` }),
      el("p", { class: "tally-text", text: `tally (ETH): ${tallyLine}` }), table);
  }
  view.replaceChildren(el("p", {}, el("a", { href: "#/", text: "← all proposals" })), head, txCard, rounds);
}

async function refresh() {
  if (refreshing) { refreshAgain = true; return; }
  refreshing = true;
  try {
    const response = await fetch("/api/state");
    lastState = await response.json();
    fetchedAt = Date.now();
    renderOverview(lastState.overview);
    renderProposals(lastState.proposals);
    renderValidators(lastState.validators);
    const match = location.hash.match(/^#\/proposal\/(\d+)$/);
    if (match) await renderDetail(match[1]);
    document.body.setAttribute("data-version", lastState.overview.version);
  } catch (err) {
    setLive("error", "explorer unreachable");
  } finally {
    refreshing = false;
    if (refreshAgain) { refreshAgain = false; refresh(); }
  }
}

function route() {
  const match = location.hash.match(/^#\/proposal\/(\d+)$/);
  document.getElementById("list-view").hidden = !!match;
  document.getElementById("detail-view").hidden = !match;
  if (match) renderDetail(match[1]);
}

function setLive(kind, text) {
  const live = document.getElementById("live");
  live.className = `live ${kind}`;
  live.textContent = text;
}

function connect() {
  const source = new EventSource("/api/stream");
  source.addEventListener("open", () => setLive("on", "● live"));
  source.addEventListener("update", () => refresh());
  // EventSource reconnects by itself; say so while it does.
  source.addEventListener("error", () => setLive("stale", "reconnecting…"));
}

window.addEventListener("hashchange", route);
setInterval(tickCountdowns, 1000);
route();
refresh();
connect();
