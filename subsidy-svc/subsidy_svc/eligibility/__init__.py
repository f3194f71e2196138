"""The eligibility engine: policy rules (data) evaluated against facts, with a trace. No I/O."""
