"""Dataset records -> rule verdicts or model texts, shared by training, eval and baseline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oracle.model.dataset import LabeledRequest
from oracle.model.labels import MODEL_CLASSES, Verdict
from oracle.model.render import render_transaction
from oracle.model.rules import Decoded, RuleVerdict, SanctionsSource, apply_rules_to_request


@dataclass(frozen=True)
class ModelExamples:
    texts: list[str]
    labels: list[int]  # index into MODEL_CLASSES


def model_examples(
    records: Sequence[LabeledRequest], *, chain_id: int, sanctions: Sequence[SanctionsSource]
) -> ModelExamples:
    """Training pairs: records the rules pass, whose label is a model class.

    Records a rule decides are dropped (the model never sees them), and so are
    records the rules pass but whose label is a rule class (label noise).
    """
    texts, labels = [], []
    for rec in records:
        outcome = apply_rules_to_request(rec.tx, chain_id=chain_id, sanctions=sanctions)
        if isinstance(outcome, Decoded) and rec.label in MODEL_CLASSES:
            texts.append(render_transaction(outcome.tx, outcome.call))
            labels.append(MODEL_CLASSES.index(rec.label))
    return ModelExamples(texts, labels)


def rule_outcomes(
    records: Sequence[LabeledRequest], *, chain_id: int, sanctions: Sequence[SanctionsSource]
) -> list[RuleVerdict | str]:
    """Per record: the rule verdict, or the rendered text the model must classify."""
    out: list[RuleVerdict | str] = []
    for rec in records:
        outcome = apply_rules_to_request(rec.tx, chain_id=chain_id, sanctions=sanctions)
        out.append(
            outcome
            if isinstance(outcome, RuleVerdict)
            else render_transaction(outcome.tx, outcome.call)
        )
    return out


def label_ids(verdicts: Sequence[Verdict]) -> list[int]:
    return [int(v) for v in verdicts]
