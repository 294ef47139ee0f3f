"""Which Hugging Face classes are task models, for which framework (knowledge/transformers)."""

from __future__ import annotations

import pytest

from logitguard.knowledge.transformers import task_model


@pytest.mark.parametrize(
    ("path", "framework", "expected"),
    [
        (
            "transformers.AutoModelForSequenceClassification.from_pretrained",
            "torch",
            "AutoModelForSequenceClassification",
        ),
        ("transformers.BertForTokenClassification", "torch", "BertForTokenClassification"),
        (
            "transformers.models.gpt2.modeling_gpt2.GPT2LMHeadModel.from_pretrained",
            "torch",
            None,  # a head model whose name says no task: not read
        ),
        ("transformers.AutoModelForCausalLM.from_config", "torch", "AutoModelForCausalLM"),
        (
            "transformers.TFAutoModelForSequenceClassification.from_pretrained",
            "keras",
            "TFAutoModelForSequenceClassification",
        ),
        ("transformers.TFAutoModelForSequenceClassification", "torch", None),
        ("transformers.AutoModelForSequenceClassification", "keras", None),
        ("transformers.FlaxBertForMaskedLM", "jax", "FlaxBertForMaskedLM"),
        ("transformers.AutoModel.from_pretrained", "torch", None),  # no task head
        ("transformers.AutoModelForSequenceClassification.save_pretrained", "torch", None),
        ("mylib.AutoModelForSequenceClassification", "torch", None),
    ],
)
def test_task_models(path: str, framework: str, expected: str | None) -> None:
    assert task_model(path, framework) == expected
