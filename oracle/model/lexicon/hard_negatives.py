"""Legal memos that carry the words fraud and illicit memos use (docs/labels.md hard negatives).

Every keyword a scam or a crime memo leans on (verify, claim, airdrop, recovery,
support, unfreeze, fee, mixer, wash, snow, ice, pot, weed, gun, shot, attack, hack,
ransom, horn, ivory, flood, sanctions, withdrawal ...) appears here in an ordinary,
lawful sense, so the model must read the whole memo, not spot one word.
"""

from __future__ import annotations

POOLS: dict[str, list[str]] = {}

LEGAL: dict[str, list[str]] = {
    "hard_keywords": [
        "verified seller, payment for the desk",
        "claim reimbursement for the team dinner",
        "airdrop tokens from our own treasury to contributors",
        "fee for the notary to verify the signatures",
        "support plan renewal for the helpdesk software",
        "data recovery for the crashed laptop drive",
        "unfreeze request done, moving my own funds back",
        "audio mixer for the studio",
        "car wash subscription",
        "snow tires for the winter",
        "ice for the party coolers",
        "new pot and pans for the kitchen",
        "weed control for the garden",
        "glue gun and craft supplies",
        "flu shot at the pharmacy",
        "heart attack insurance rider",
        "hackathon entry fee",
        "ransomware tabletop exercise for the board",
        "french horn lessons",
        "ivory paint for the bedroom",
        "flood insurance premium",
        "sanctions screening vendor invoice",
        "lido withdrawal request for my own steth",
        "revoking the old allowance, cleanup",
        "guaranteed delivery shipping upgrade",
        "crack repair on the windshield",
        "molly's birthday present",
        "bars of soap, handmade, order {n}",
        "shrooms risotto cooking class",
        "boxing gloves and pads",
        "security deposit for the apartment",
        "tax payment to the revenue office",
        "rhino conservation donation",
        "wildlife rescue volunteer fund",
        "ddos protection plan for our website",
        "load test of our own staging server",
        "penetration test report, invoice {n}",
        "exchange deposit to my verified account",
        "recovered funds returned by the bank after the chargeback",
        "refund processed by support for the duplicate charge",
        "batch payout of bounties via disperse",
        "prize money for the chess tournament",
        "gift card for grandma",
    ],
}

FRAUD: dict[str, list[str]] = {}
ILLICIT: dict[str, list[str]] = {}
