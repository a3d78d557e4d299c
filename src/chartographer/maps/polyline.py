"""Google's encoded polyline algorithm (``enc:`` paths), both directions.

See https://developers.google.com/maps/documentation/utilities/polylinealgorithm.
"""

from __future__ import annotations

from collections.abc import Iterable

from chartographer.errors import InvalidParameter


def decode_polyline(
    text: str, param: str = "path", limit: int = 100_000
) -> list[tuple[float, float]]:
    """Decode an encoded polyline into ``(lat, lng)`` pairs; bad input is a 422."""
    points: list[tuple[float, float]] = []
    index, lat, lng = 0, 0, 0
    length = len(text)
    while index < length:
        deltas = []
        for _ in range(2):
            shift, result = 0, 0
            while True:
                if index >= length:
                    raise InvalidParameter(
                        f"{param}: the encoded polyline ends in the middle of a number",
                        param=param,
                    )
                byte = ord(text[index]) - 63
                index += 1
                if byte < 0 or byte > 63 or shift > 30:
                    raise InvalidParameter(
                        f"{param}: {text[index - 1]!r} at position {index} is not valid in an "
                        "encoded polyline",
                        param=param,
                    )
                result |= (byte & 0x1F) << shift
                shift += 5
                if byte < 0x20:
                    break
            deltas.append(~(result >> 1) if result & 1 else result >> 1)
        lat += deltas[0]
        lng += deltas[1]
        if abs(lat) > 90_00000 or abs(lng) > 180_00000:
            raise InvalidParameter(
                f"{param}: the encoded polyline leaves the valid latitude/longitude range",
                param=param,
            )
        points.append((lat / 1e5, lng / 1e5))
        if len(points) > limit:
            raise InvalidParameter(
                f"{param}: the encoded polyline has more than {limit} points (limit {limit})",
                param=param,
            )
    return points


def _encode_value(value: int) -> str:
    value = ~(value << 1) if value < 0 else value << 1
    chunks = []
    while value >= 0x20:
        chunks.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    chunks.append(chr(value + 63))
    return "".join(chunks)


def encode_polyline(points: Iterable[tuple[float, float]]) -> str:
    """Encode ``(lat, lng)`` pairs (5 decimal places, as Google does)."""
    out = []
    prev_lat, prev_lng = 0, 0
    for lat, lng in points:
        ilat, ilng = round(lat * 1e5), round(lng * 1e5)
        out.append(_encode_value(ilat - prev_lat))
        out.append(_encode_value(ilng - prev_lng))
        prev_lat, prev_lng = ilat, ilng
    return "".join(out)
