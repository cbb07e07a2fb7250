"""The second example policy: LedgerCore -> BillingPortal, ledger.v4 -> ledger.v5.

The example policy names another pair, other contract versions, pnpm scripts, cargo commands,
role ids and fallback scenario ids than the default policy. Its corpus (generated on the fly by
``cutover_kit.samples.billing``) tells eight rehearsals of the sample history with those names;
each must get the verdicts and failing gates ``data/README.md`` gives the same rehearsal, with
reasons and follow-ups in the example's own names.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_DIR

from cutover_kit.api import Corpus, load_corpus
from cutover_kit.evidence.model import FileStatus
from cutover_kit.gates.model import GateResult
from cutover_kit.policy import load_policy
from cutover_kit.samples.billing import POSITIONS, RENAMES, generate_billing_corpus
from cutover_kit.samples.translate import rename_text
from cutover_kit.verdict import Verdict

EXAMPLE = REPO / "cutover_kit" / "policy" / "examples" / "billing-ledger.toml"

# Continuation / runtime cutover verdicts and the gates that do not pass, per rehearsal.
EXPECTED = {
    "r05": ("GO", "NO-GO", {}),
    "r06": (
        "NO-GO",
        "NO-GO",
        {"PRE-3": "fail", "CMD-1": "fail", "GRD-3": "fail", "STOP-2": "fail", "STOP-4": "fail"},
    ),
    "r08": ("NO-GO", "NO-GO", {"STOP-1": "fail"}),
    "r10": ("NO-GO", "NO-GO", {"CMD-2": "fail", "STOP-4": "fail"}),
    "r12": ("GO", "NO-GO", {}),
    "r13": ("GO", "NO-GO", {}),
    "r14": ("GO", "GO", {"PRE-2": "skipped", "GRD-1": "skipped", "GRD-2": "skipped"}),
    "r15": ("GO", "GO", {"PRE-2": "skipped", "GRD-1": "skipped", "GRD-2": "skipped"}),
}


@pytest.fixture(scope="module")
def billing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("billing") / "rehearsals"
    assert generate_billing_corpus(out) == list(POSITIONS)
    return out


@pytest.fixture(scope="module")
def billing(billing_dir: Path) -> Corpus:
    return load_corpus(billing_dir, EXAMPLE)


def verdict_of(corpus: Corpus, rehearsal: str) -> Verdict:
    return next(v for v in corpus.evaluate_all() if v.rehearsal.id == rehearsal)


def test_the_example_names_nothing_of_the_default_pair() -> None:
    default, example = load_policy().policy, load_policy(EXAMPLE).policy
    assert example.policy.producer != default.policy.producer
    assert example.policy.consumer != default.policy.consumer
    assert example.runtime_target.service_contract_version == "ledger.v5"
    assert example.baseline.service_contract_version == "ledger.v4"
    assert not set(example.commands.required) & set(default.commands.required)
    assert not set(example.commands.producer_suites) & set(default.commands.producer_suites)
    assert not {r.id for r in example.roles.required} & {r.id for r in default.roles.required}
    assert not {s.id for s in example.fallback.scenarios} & {
        s.id for s in default.fallback.scenarios
    }
    text = EXAMPLE.read_text(encoding="utf-8").casefold()
    assert "memorykernel" not in text and "service.v" not in text


def test_the_corpus_is_told_in_the_example_names(billing_dir: Path) -> None:
    """Down to the JSON keys the consumer's tools name after the producer (``ledgercore_pin``)."""
    for path in billing_dir.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "memorykernel" not in text.casefold(), path
            assert "service.v" not in text.casefold(), path


def test_generation_is_reproducible(billing_dir: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_billing_corpus(again)
    first = {
        p.relative_to(billing_dir): p.read_bytes() for p in billing_dir.rglob("*") if p.is_file()
    }
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_every_file_is_read(billing: Corpus) -> None:
    rejected = [o.path for o in billing.ledger.outcomes if o.status is FileStatus.REJECTED]
    assert rejected == []


@pytest.mark.parametrize("rehearsal", POSITIONS)
def test_verdicts_and_gates(billing: Corpus, rehearsal: str) -> None:
    verdict = verdict_of(billing, rehearsal)
    continuation, cutover, not_passing = EXPECTED[rehearsal]
    assert (verdict.rehearsal_continuation, verdict.runtime_cutover) == (continuation, cutover)
    statuses = {g.id: str(g.status) for g in verdict.gates if str(g.status) != "pass"}
    assert statuses == not_passing


def test_cutover_completion(billing: Corpus) -> None:
    assert str(verdict_of(billing, "r14").completion.status) == "INCOMPLETE"
    assert str(verdict_of(billing, "r15").completion.status) == "COMPLETE"


def test_reasons_and_follow_ups_use_the_example_names(billing: Corpus) -> None:
    verdict = verdict_of(billing, "r10")
    cmd2 = next(g for g in verdict.gates if g.id == "CMD-2")
    assert "check:ledgercore-compliance" in cmd2.detail
    owners = {item["owner_role"] for item in verdict.follow_ups}
    assert owners and owners <= {r.id for r in load_policy(EXAMPLE).policy.roles.required}
    regressed = verdict_of(billing, "r06").fallback
    assert "ledger_slow" in regressed and regressed["ledger_slow"].regressions


def test_the_default_policy_does_not_fit_this_pair(billing_dir: Path) -> None:
    """Judged by the first pair's policy the same evidence falls apart: the example's names are
    what make it a cutover the kit can judge."""
    default = load_corpus(billing_dir)
    cmd1 = next(g for g in verdict_of(default, "r05").gates if g.id == "CMD-1")
    assert str(cmd1.status) != "pass"


def test_the_example_policy_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "cutover_kit/policy/examples/billing-ledger.toml" in readme


def test_a_bad_pin_field_is_named_as_the_file_spells_it(billing_dir: Path, tmp_path: Path) -> None:
    """The consumer's contract evidence names the pin after the producer: a finding cites that
    key as written (the verdict tests above show the gates read it under any producer's name)."""
    copy = tmp_path / "rehearsals"
    shutil.copytree(billing_dir, copy)
    path = copy / "r05" / "artifacts" / "ledgercore-contract-evidence.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    del doc["ledgercore_pin"]["release_tag"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    ledger = load_corpus(copy, EXAMPLE).ledger
    outcome = next(
        o for o in ledger.outcomes if o.path == "r05/" + path.relative_to(copy / "r05").as_posix()
    )
    assert outcome.status is FileStatus.REJECTED
    assert [(f.code, f.pointer) for f in outcome.findings] == [
        ("missing-field", "/ledgercore_pin/release_tag")
    ]


def said(gate: GateResult) -> str:
    """A gate's detail and every evidence reference it cites, as one text (digests masked: the
    renamed files have other bytes)."""
    refs = (f"{r.path} {r.pointer} {r.actual} {r.expected} {r.note}" for r in gate.evidence)
    return re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", "\n".join([gate.detail, *refs]))


def test_every_reason_is_the_default_pairs_reason_in_the_example_names(billing: Corpus) -> None:
    """Each gate says what it says of the same rehearsal of the bundled history, renamed: every
    source PRE-1 weighs (the validator's transcript line too) is read under the other names.
    GRD-3 names its previous rehearsal, which differs: this corpus skips some of the history."""
    bundled = {v.rehearsal.id: v for v in load_corpus(SAMPLE_DIR).evaluate_all()}
    compared = 0
    for verdict in billing.evaluate_all():
        for gate, same in zip(verdict.gates, bundled[verdict.rehearsal.id].gates, strict=True):
            assert gate.id == same.id
            if gate.id != "GRD-3":
                assert said(gate) == rename_text(said(same), RENAMES), gate.id
                compared += 1
    assert compared == len(POSITIONS) * (len(bundled["r05"].gates) - 1)
