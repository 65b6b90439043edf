"""Registry IDs are read as Crockford decoding reads them, wherever they are typed or sent."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.talent.models import new_registry_id
from registry.talent.registry_ids import CROCKFORD, canonical_registry_id


@pytest.mark.parametrize(
    "typed",
    ["TR-7KQ3-M9XD", "tr-7kq3-m9xd", "TR7KQ3M9XD", "tr7kq3m9xd", " TR-7KQ3 M9XD ", "tr 7kq3 m9xd"],
)
def test_case_hyphens_and_prefix_do_not_matter(typed):
    assert canonical_registry_id(typed) == "TR-7KQ3-M9XD"


def test_o_reads_as_zero_and_i_l_as_one():
    assert canonical_registry_id("TR-O1IL-LOIO") == "TR-0111-1010"
    assert canonical_registry_id("tr-oiil-looo") == "TR-0111-1000"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "TR-7KQ3",
        "TR-7KQ3-M9XU",
        "TR-7KQ3-M9XD-1",
        "XX-7KQ3-M9XD",
        "Ana Reyes",
        "7KQ3-M9XD",
        None,
        42,
        "TR-7KQ3-M9X!",
    ],
)
def test_what_cannot_be_an_id_is_none(typed):
    assert canonical_registry_id(typed) is None


@given(st.builds(lambda _: new_registry_id(), st.integers()))
def test_generated_ids_are_canonical(registry_id):
    assert canonical_registry_id(registry_id) == registry_id
    assert canonical_registry_id(registry_id.lower().replace("-", "")) == registry_id


def test_alphabet_has_no_ambiguous_letters():
    assert not set("ILOU") & set(CROCKFORD)
