"""Request parsers of the API: DRF's own, hardened against input that would otherwise end in a 500.

Bodies are JSON (settings DEFAULT_PARSER_CLASSES); only the report endpoint, which takes evidence files, also
parses multipart. Any other media type is answered 415 unsupported_media_type.

- JSON nested thousands of levels deep makes Python's decoder raise RecursionError (not ValueError, the only
  error DRF turns into a 400): answered as a parse error instead.
- A NUL character (\\u0000, %00) in any string or key is refused: PostgreSQL cannot store or even compare
  text containing it (every lookup with it raised DataError), and no field of ours has a use for it.
"""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError

NUL = "\x00"
NUL_DETAIL = "Text may not contain NUL characters (\\u0000)."


def _has_nul(value) -> bool:
    """True when a NUL appears in any string or key of parsed data (iterative: deep input is fine)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def _refuse_nul(data):
    values = [[k, *v] for k, v in data.lists()] if hasattr(data, "lists") else data  # QueryDict too
    if _has_nul(values):
        raise ParseError(NUL_DETAIL)
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.")
        return _refuse_nul(data)


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _refuse_nul(result.data)
        return result
