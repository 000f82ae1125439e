"""With multitasking off and the new practice fields neutral, results are bit-identical.

``tests/golden/pre_i12.json`` holds digests computed with the model as it was
before issue 12 (see ``tests/golden/digest.py``): the baseline and its bundled
variants under every policy path (WIP limit, budget cap, wsjf, capacity check,
stop and defer rebalancing) and the Northgate and Vantor business cases with
the practices file of that time. Any change to what the model draws or decides
with the new mechanisms neutral changes a digest.

``tests/golden/multitasking.json`` does the same for the multitasking pool, with
digests from its first version (commit 3d8f018): its later speed-ups changed no
result. A deliberate change to the multitasking model re-records that file
(``python tests/golden/digest.py multitasking``) and says why in its commit.
"""

from __future__ import annotations

import json

import pytest

from tests.golden.digest import (
    CASES,
    GOLDEN,
    MULTITASKING_CASES,
    MULTITASKING_GOLDEN,
    business_case_digest,
    digest,
)

EXPECTED = json.loads(GOLDEN.read_text())
EXPECTED_MULTITASKING = json.loads(MULTITASKING_GOLDEN.read_text())


@pytest.mark.parametrize(("label", "path", "overrides"), CASES, ids=[c[0] for c in CASES])
def test_scenario_outputs_match_the_pre_change_model(label, path, overrides):
    assert digest(path, overrides) == EXPECTED[label]


@pytest.mark.parametrize("client", ["northgate", "vantor"])
def test_business_case_with_neutral_practices_matches_the_pre_change_model(client):
    assert business_case_digest(client, None) == EXPECTED[f"business_case.{client}"]


@pytest.mark.parametrize(
    ("label", "path", "overrides"), MULTITASKING_CASES, ids=[c[0] for c in MULTITASKING_CASES]
)
def test_multitasking_outputs_match_the_first_multitasking_model(label, path, overrides):
    assert digest(path, overrides) == EXPECTED_MULTITASKING[label]
