"""Severities order by seriousness, not alphabetically."""

from catalog.core.findings import Finding, Severity, worst


def test_error_is_worse_than_warning_is_worse_than_info():
    assert Severity.INFO < Severity.WARNING < Severity.ERROR
    assert Severity.ERROR > Severity.WARNING >= Severity.WARNING
    assert max([Severity.WARNING, Severity.ERROR, Severity.INFO]) is Severity.ERROR


def test_worst_of_findings():
    warn = Finding("VIR011", Severity.WARNING, "3-digit sequence", field="virin")
    err = Finding("VIR003", Severity.ERROR, "no Feb 30", field="virin", part="date")
    assert worst([warn, err]) is Severity.ERROR
    assert worst([]) is None


def test_severity_can_be_compared_with_its_name():
    assert Severity.ERROR >= "warning"
