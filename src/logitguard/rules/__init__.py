"""The rule catalogue. Adding a rule: write its module, then list it here."""

from __future__ import annotations

from logitguard.rules import (
    lg001_logits_into_probability_loss,
    lg002_double_activation,
    lg003_accuracy_threshold_on_logits,
    lg004_single_unit_softmax,
    lg005_binary_loss_on_multiclass_head,
    lg006_sigmoid_head_with_categorical_loss,
    lg007_label_format_mismatch,
    lg008_units_vs_classes,
    lg009_logits_read_as_probabilities,
    lg010_nll_without_log_softmax,
    lg011_unstable_log_softmax,
    lg012_probabilities_sampled_as_logits,
    lg013_probability_threshold_outside_unit_interval,
    lg014_regression_target_as_classes,
    lg015_target_range_vs_head,
    lg016_non_probability_head,
    lg017_single_label_with_independent_sigmoids,
    lg019_single_unit_categorical_loss,
    lg020_training_stalled,
    lg021_activation_applied_twice,
    lg022_activated_logits,
    lg023_argmax_over_one_unit,
    lg024_softmax_over_independent_sigmoids,
    lg025_accuracy_vs_label_format,
)
from logitguard.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    lg001_logits_into_probability_loss.RULE,
    lg002_double_activation.RULE,
    lg003_accuracy_threshold_on_logits.RULE,
    lg004_single_unit_softmax.RULE,
    lg005_binary_loss_on_multiclass_head.RULE,
    lg006_sigmoid_head_with_categorical_loss.RULE,
    lg007_label_format_mismatch.RULE,
    lg008_units_vs_classes.RULE,
    lg009_logits_read_as_probabilities.RULE,
    lg010_nll_without_log_softmax.RULE,
    lg011_unstable_log_softmax.RULE,
    lg012_probabilities_sampled_as_logits.RULE,
    lg013_probability_threshold_outside_unit_interval.RULE,
    lg014_regression_target_as_classes.RULE,
    lg015_target_range_vs_head.RULE,
    lg016_non_probability_head.RULE,
    lg017_single_label_with_independent_sigmoids.RULE,
    lg019_single_unit_categorical_loss.RULE,
    lg020_training_stalled.RULE,
    lg021_activation_applied_twice.RULE,
    lg022_activated_logits.RULE,
    lg023_argmax_over_one_unit.RULE,
    lg024_softmax_over_independent_sigmoids.RULE,
    lg025_accuracy_vs_label_format.RULE,
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}


def get_rule(code: str) -> Rule | None:
    return RULES_BY_CODE.get(code.upper())
