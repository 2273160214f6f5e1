"""Street slang and euphemisms, one pool per illicit category (the sender's own crime).

Memos rarely name the crime: buyers write the street word, a joke or a code. Each
pool is a category of docs/labels.md `illicit`; `compositional.py` puts them into
sentence shapes, and `hard_negatives.py` holds the legal senses of the same words.
"""

from __future__ import annotations

POOLS: dict[str, list[str]] = {
    "sl_drugs": [
        "molly",
        "percs",
        "snow",
        "white girl",
        "shard",
        "xans",
        "carts",
        "shrooms",
        "tabs",
        "boy",
        "fetty",
        "ket",
        "oxys",
        "a zip",
        "an eighth of loud",
        "some party favors",
        "the good stuff from the plug",
        "candy for the rave",
    ],
    "sl_weapons": [
        "a strap",
        "a chopper",
        "a glizzy",
        "a switch for the glock",
        "a ghost kit",
        "some pieces, no bodies on them",
        "an 80% lower",
        "a can for the nine",
        "hollow tips",
        "a stick with extended mag",
    ],
    "sl_wildlife": [
        "white gold from the reserve",
        "horn powder",
        "the scales",
        "exotic birds, no papers",
        "a live slow loris",
        "totoaba bladders",
        "ivory carvings, fresh",
        "tiger bone wine",
    ],
    "sl_ddos": [
        "a booter",
        "a stresser sub",
        "a botnet hour",
        "a layer 7 hit",
        "an api flood",
        "the amp attack",
    ],
    "sl_ddos_target": [
        "his minecraft server",
        "the rival shop",
        "their exchange api",
        "the school portal",
        "my ex's stream",
        "the competitor's checkout",
    ],
    "sl_sanctions": [
        "the dubai front company",
        "a transship via a third port",
        "the renamed tanker",
        "the shell in the free zone",
        "the cutout buyer",
        "dual-use parts relabelled as spares",
    ],
    "sl_laundering": [
        "smurf it",
        "chip it through the mixer",
        "hop it across three bridges",
        "cash it out p2p with no kyc",
        "wash it through the casino",
        "layer it across fresh wallets",
        "clean it with fake invoices",
        "tumble it",
    ],
    "sl_data": [
        "fullz",
        "dumps with pin",
        "fresh logs",
        "bank drops",
        "cc with cvv",
        "a combo list",
        "cookies for the bank session",
        "a sim swap on the target",
    ],
    "sl_documents": [
        "a novelty id that scans",
        "a real-looking passport",
        "a clean ssn",
        "a backdated diploma",
        "a blank vehicle title",
        "counterfeit hundreds",
    ],
}

LEGAL: dict[str, list[str]] = {}
FRAUD: dict[str, list[str]] = {}
ILLICIT: dict[str, list[str]] = {
    "slang_drugs": [
        "{sl_drugs}",
        "{sl_drugs} 🍬",
        "u still got {sl_drugs}?",
        "for {sl_drugs}, same as last time",
        "send {sl_drugs} to the usual drop",
        "{sl_drugs} x2 plus shipping, stealth pls",
        "reup: {sl_drugs}",
    ],
    "slang_weapons": [
        "{sl_weapons}",
        "for {sl_weapons}",
        "{sl_weapons}, meet at the lot",
        "need {sl_weapons} before friday, cash clean",
        "{sl_weapons} shipped in parts",
    ],
    "slang_wildlife": [
        "{sl_wildlife}",
        "for {sl_wildlife}",
        "{sl_wildlife}, ships with the timber",
        "deposit on {sl_wildlife}, no permits",
    ],
    "slang_ddos": [
        "{sl_ddos} on {sl_ddos_target}",
        "rent {sl_ddos} to hit {sl_ddos_target}",
        "take down {sl_ddos_target} tonight",
        "{sl_ddos}, keep {sl_ddos_target} offline all weekend",
    ],
    "slang_sanctions": [
        "pay via {sl_sanctions}",
        "invoice through {sl_sanctions} so the bank doesn't see the end user",
        "{sl_sanctions}, cargo ends up in tehran",
        "settle with {sl_sanctions}, keep the russian buyer off the paper",
    ],
    "slang_laundering": [
        "{sl_laundering}",
        "{sl_laundering} before it hits the exchange",
        "dirty coins from the job, {sl_laundering}",
        "{sl_laundering} so compliance can't trace it",
    ],
    "slang_data": [
        "{sl_data}",
        "for {sl_data}",
        "{sl_data} from the shop, 50 pieces",
        "{sl_data}, valid rate 80%",
    ],
    "slang_documents": [
        "{sl_documents}",
        "for {sl_documents}",
        "{sl_documents} with my photo",
    ],
}
