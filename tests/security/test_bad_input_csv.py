"""CSV exports cannot run spreadsheet formulas: cells a user typed are neutralised, not dropped."""

from __future__ import annotations

import csv
import io

import pytest

from registry.brands import services as brand_services
from registry.cases import intake as case_intake
from registry.cases.models import Case
from registry.core.csvexport import stream_rows
from tests.brands.helpers import bearer, key_from_command
from tests.security.bad_input.api_world import check_body

pytestmark = pytest.mark.django_db


# --- CSV exports ------------------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cells(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


def _assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"formula cell in export: {cell!r}"


def test_brand_check_history_export_neutralises_formulas(client, api_client, brand_user):
    brand_services.create_organization(name="Acme Apparel", actor=brand_user)
    key = key_from_command("Acme Apparel", scopes="check")
    for formula in FORMULAS:
        response = api_client.post(
            "/api/v1/permissions/check/", check_body(formula), format="json", **bearer(key)
        )
        assert response.status_code == 200  # an unknown talent is an answer, not an error: not_registered
    client.force_login(brand_user)
    response = client.get("/brands/checks/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv_cells(response)
    _assert_no_formula(rows)
    talents = {row[rows[0].index("talent")] for row in rows[1:]}
    # Neutralised, not dropped: the text is still there, behind a leading quote.
    assert '\'=HYPERLINK("http://evil.example","x")' in talents and "'@SUM(A1:A9)" in talents
    assert "'+1+1" in talents and "'-2+3" in talents


def test_staff_case_export_neutralises_formulas(client, supervisor_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i, formula in enumerate(FORMULAS):
            case_intake.file_report(
                case_intake.ReportInput(
                    description="An AI ad with her face.",
                    relationship="fan",
                    urls=[f"https://example.com/ad/{i}"],
                    talent=formula,
                    organization=FORMULAS[-1 - i],
                )
            )
    assert Case.objects.count() == len(FORMULAS)
    client.force_login(supervisor_user)
    response = client.get("/staff/cases/export.csv?status=")
    assert response.status_code == 200
    rows = _csv_cells(response)
    assert len(rows) == 1 + len(FORMULAS)
    _assert_no_formula(rows)
    header = rows[0]
    talents = {row[header.index("Talent")] for row in rows[1:]}
    assert "'@SUM(A1:A9)" in talents and "'-2+3" in talents


# --- the writer itself: every separator -------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_cell_with_any_list_separator_is_quoted_and_neutralised(delimiter):
    cells = ["Org;@SUM(1)", "Org,=1+1", "Org\t+1", "two\nlines", 'say "hi"', "  =1+1", " -2", "plain", 42]
    line = "".join(stream_rows([cells]))
    assert line.startswith('"Org;\'@SUM(1)","Org,\'=1+1","Org\t\'+1","two\nlines","say ""hi""",')
    assert line.endswith(",'  =1+1,' -2,plain,42\r\n")
    # Read with any separator (as a spreadsheet of that locale would), no cell starts a formula, and with
    # the separator actually used (a comma) every value comes back whole.
    for row in csv.reader(io.StringIO(line), delimiter=delimiter):
        for cell in row:
            assert not cell.lstrip(" ").startswith(FORMULA_START), (delimiter, cell)
    parsed = next(csv.reader(io.StringIO(line)))
    assert parsed[:5] == ["Org;'@SUM(1)", "Org,'=1+1", "Org\t'+1", "two\nlines", 'say "hi"']
    assert parsed[5:] == ["'  =1+1", "' -2", "plain", "42"]
