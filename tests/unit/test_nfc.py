"""_nfc: NFC normalisation with offsets back to the original text."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import _nfc

_ASSIGNED = st.characters(blacklist_categories=("Cs", "Cn"))
_MARKS_AND_JAMO = st.sampled_from([chr(c) for c in [*range(0x300, 0x370), *range(0x1100, 0x1200), 0xAC00, 0xAC01,
                                                    0x212B, 0x2126, 0x0958, 0x0F73, 0x09BE, 0x09C7, 0x41, 0x61, 0x20]])


@settings(max_examples=500, deadline=None)
@given(st.text(_ASSIGNED | _MARKS_AND_JAMO, max_size=40))
def test_the_text_is_nfc_and_offsets_run_forward_from_start_to_end(text):
    normal, offsets = _nfc.nfc_with_offsets(text)
    assert normal == unicodedata.normalize("NFC", text)
    assert len(offsets) == len(normal) + 1 and offsets[0] == 0 and offsets[-1] == len(text)
    assert (offsets[1:] >= offsets[:-1]).all()


@settings(max_examples=300, deadline=None)
@given(st.text(_MARKS_AND_JAMO, max_size=12))
def test_a_slice_from_a_mapped_start_normalises_to_what_it_maps_from_or_covers_it(text):
    normal, offsets = _nfc.nfc_with_offsets(text)
    starts = [a for a in range(len(normal) + 1)  # not inside a character NFC expands (U+0F73 -> two)
              if unicodedata.normalize("NFC", text[:offsets[a]]) == normal[:a]]
    for a in starts:
        for b in range(a, len(normal) + 1):
            piece = unicodedata.normalize("NFC", text[offsets[a]:offsets[b]])
            # exact, except inside a cluster where NFC moved a mark past another: then the slice covers it
            assert piece == normal[a:b] or normal[a:b] in piece


def test_a_mark_moved_past_another_leaves_the_whole_cluster_in_the_span():
    normal, offsets = _nfc.nfc_with_offsets("a\u0316\u0301 b")  # NFC: "á" + U+0316: no prefix normalises to "á"
    assert normal == "\u00e1\u0316 b" and offsets.tolist() == [0, 3, 3, 4, 5]


def test_a_position_inside_an_expanded_character_maps_to_its_end():
    normal, offsets = _nfc.nfc_with_offsets("x\u0f73")  # NFC: U+0F71 U+0F72
    assert normal == "x\u0f71\u0f72" and offsets.tolist() == [0, 1, 2, 2]
