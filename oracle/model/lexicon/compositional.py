"""English memos composed from parts: intent x object x register x channel.

A template here is a sentence SHAPE (terse, question, chatty, formal, emoji, long);
its slots draw the intent (what the sender does), the object (what the money is
for), the register (openers) and the channel (where it was agreed). The product of
the pools is large and each part lands in one generator split, so the model learns
what the parts mean rather than whole strings. Fraud objects say the sender was
talked into paying (a crime against them); illicit objects say what the sender
buys or hides (their own crime); see docs/labels.md.
"""

from __future__ import annotations

POOLS: dict[str, list[str]] = {
    "c_open": [
        "",
        "",
        "hey ",
        "hi team, ",
        "per our call, ",
        "as agreed, ",
        "quick one: ",
        "dear sir, ",
        "yo ",
        "ok ",
        "morning! ",
        "final: ",
    ],
    "c_tail": [
        "",
        "",
        "",
        " as discussed on telegram",
        " per the email",
        " see the discord thread",
        " like we said on the phone",
        " from whatsapp",
        " 🙏",
        " ✅",
        " lmk when received",
        " - sent from my phone",
    ],
    "c_pay": [
        "paying",
        "sending",
        "settling",
        "covering",
        "here is the money for",
        "transfer for",
        "this is for",
        "funds for",
        "my payment for",
    ],
    "c_legal_obj": [
        "the catering on saturday",
        "the april cleaning",
        "your half of the rent",
        "the tax accountant",
        "the wedding photographer",
        "the car repair",
        "the school trip",
        "gym membership",
        "the conference booth",
        "the hosting bill",
        "the design mockups",
        "the translation of the contract",
        "the dentist",
        "the vet bill",
        "the piano lessons",
        "the moving truck",
        "the domain renewal",
        "the audit retainer",
    ],
    "c_lure_actor": [
        "the support agent",
        "a guy from the exchange",
        "my online girlfriend",
        "the account manager on whatsapp",
        "the recovery agent",
        "the customer care rep",
        "the investment coach",
        "someone claiming to be from the bank",
        "the trader from the dating app",
    ],
    "c_lure_action": [
        "pay the release fee",
        "send a deposit to unlock my withdrawal",
        "move everything to the safe wallet",
        "pay the tax before the payout",
        "top up to reach the vip level",
        "pay the verification charge first",
        "send the gas fee to claim the prize",
        "clear the anti-money-laundering deposit so they free my funds",
        "buy the upgrade so my frozen account is restored",
    ],
    "c_urgency": [
        "urgent:",
        "final notice:",
        "within 24h:",
        "important:",
        "last warning:",
        "act now:",
    ],
    "c_lure_claim": [
        "sign to receive your pending airdrop",
        "approve to keep your nfts safe from the exploit",
        "confirm the permit to migrate your tokens",
        "authorize the wallet sync or funds are lost",
        "approve the claim contract to get the reimbursement",
        "sign the upgrade, old tokens expire tonight",
    ],
    "c_illicit_obj": [
        "the product from the plug",
        "the untraceable piece",
        "the stolen card batch",
        "the forged papers",
        "the hit on his server",
        "the cargo that skips customs",
        "the tusks",
        "the inspector's envelope",
        "the ransom, they keep our files otherwise",
        "the split deposits under the limit",
    ],
}

LEGAL: dict[str, list[str]] = {
    "composed": [
        "{c_open}{c_pay} {c_legal_obj}{c_tail}",
        "{c_legal_obj}{c_tail}",
        "did {c_legal_obj} go through?",
        "{c_open}{c_legal_obj}, invoice attached{c_tail}",
        "{c_pay} {c_legal_obj} - thanks again, really appreciate it{c_tail}",
    ],
}

FRAUD: dict[str, list[str]] = {
    "composed": [
        "{c_open}{c_lure_actor} told me to {c_lure_action}{c_tail}",
        "{c_lure_actor} says i have to {c_lure_action}",
        "doing what {c_lure_actor} asked: {c_lure_action}",
        "{c_urgency} {c_lure_claim}",
        "{c_open}{c_urgency} {c_lure_claim}{c_tail}",
        "is this right? {c_lure_actor} wants me to {c_lure_action}",
    ],
}

ILLICIT: dict[str, list[str]] = {
    "composed": [
        "{c_open}{c_pay} {c_illicit_obj}{c_tail}",
        "{c_illicit_obj}{c_tail}",
        "{c_pay} {c_illicit_obj}, delete this chat after",
        "{c_open}{c_illicit_obj}, nobody hears about it{c_tail}",
    ],
}
