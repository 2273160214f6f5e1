"""Relayed votes: validators hand signed commits and reveal preimages to one relayer,
which submits them in one `commitRelayed` / `revealMany` transaction per round.

Aggregating votes is what makes a vote cheap (one transaction for many validators), but a
relayer must never be able to make a validator miss a vote: a validator that offered its
vote still sends it itself if it is not on chain by the fallback time (client.py). A
relayer checks every offer before queueing it (relayer.py), so one bad offer cannot make
the aggregated transaction revert. The validator's engine sees only the `VoteOffers`
interface (oracle/validator/duties/vote_duty.py); the service wires this package in.
"""
