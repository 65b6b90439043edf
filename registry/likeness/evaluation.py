"""How well face matching works, measured on a small evaluation set the suite generates (docs/likeness.md).

- Reference: scikit-image's bundled `astronaut` photo (NASA, public domain).
- Genuine probes: transformed copies of it, as misuse looks (crops, light, JPEG, rotation, mirror, a banner,
  grey, small, blurred, occluded, pasted into a larger scene).
- Impostors: the faces of scikit-image's `lfw_subset()` (100 face crops of 25x25 px from Labeled Faces in
  the Wild, upscaled): each against the astronaut, and against each other for the spread of distances between
  different people (the subset is not labelled, so a few of those pairs may be one person).
- Non-face images bundled with scikit-image: they must give no face, or no match.

`evaluate(threshold)` returns the rates; `python -m registry.likeness.evaluation` prints the tables of
docs/likeness.md (tests/likeness/test_evaluation.py checks that the docs still say what this measures).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps
from skimage import data

from registry.likeness import faces

THRESHOLD = 0.5
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6)
LFW_FACES = 100  # the first 100 of lfw_subset() are faces (the other 100 are not)
LFW_SIDE = 150
NON_FACE_IMAGES = ("coffee", "chelsea", "rocket", "camera", "coins", "horse", "text", "page")


@dataclass(frozen=True)
class Probe:
    name: str
    faces: int  # faces found
    distance: float | None  # the closest face's distance to the reference, None without a face


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def _banner(image: Image.Image) -> Image.Image:
    image = image.copy()
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, image.height - 90, image.width, image.height), fill=(200, 0, 0))
    draw.text((20, image.height - 70), "AS SEEN ON TV - BUY NOW - LIMITED OFFER", fill=(255, 255, 255))
    return image


def _occluded(image: Image.Image) -> Image.Image:
    image = image.copy()
    ImageDraw.Draw(image).rectangle((190, 140, 255, 175), fill=(20, 20, 20))  # a bar over the mouth and chin
    return image


def _in_scene(image: Image.Image) -> Image.Image:
    scene = Image.fromarray(data.coffee()).resize((1280, 960))
    scene.paste(image.resize((360, 360)), (700, 300))
    return _jpeg(scene, 85)


def _crop(image: Image.Image) -> Image.Image:
    return image.crop((110, 10, 340, 240)).resize((300, 300), Image.Resampling.LANCZOS)


def genuine_probes(reference: Image.Image) -> dict[str, Image.Image]:
    """Transformed copies of the reference photo, each named for the docs table."""
    r = reference
    half = (r.width // 2, r.height // 2)
    return {
        "cropped and enlarged": _crop(r),
        "brighter (x1.5)": ImageEnhance.Brightness(r).enhance(1.5),
        "darker (x0.5)": ImageEnhance.Brightness(r).enhance(0.5),
        "low contrast (x0.5)": ImageEnhance.Contrast(r).enhance(0.5),
        "high contrast (x1.8)": ImageEnhance.Contrast(r).enhance(1.8),
        "JPEG quality 40": _jpeg(r, 40),
        "JPEG quality 20": _jpeg(r, 20),
        "rotated 10° left": r.rotate(10, resample=Image.Resampling.BICUBIC),
        "rotated 10° right": r.rotate(-10, resample=Image.Resampling.BICUBIC),
        "mirrored": ImageOps.mirror(r),
        "text banner": _banner(r),
        "greyscale": ImageOps.grayscale(r).convert("RGB"),
        "half size (face ~45 px)": r.resize(half, Image.Resampling.LANCZOS),
        "blurred (radius 2)": r.filter(ImageFilter.GaussianBlur(2)),
        "mouth covered": _occluded(r),
        "in a 1280x960 scene, JPEG": _in_scene(r),
        "crop, brighter, JPEG 40": _jpeg(ImageEnhance.Brightness(_crop(r)).enhance(1.3), 40),
    }


def lfw_faces() -> list[Image.Image]:
    pixels = data.lfw_subset()[:LFW_FACES]
    return [
        Image.fromarray((face * 255).round().astype(np.uint8))
        .convert("RGB")
        .resize((LFW_SIDE, LFW_SIDE), Image.Resampling.BICUBIC)
        for face in pixels
    ]


def _closest(image: Image.Image, reference: np.ndarray) -> Probe:
    found = faces.find_faces(image)
    nearest = min((faces.distance(face.descriptor, reference) for face in found), default=None)
    return Probe(name="", faces=len(found), distance=nearest)


@lru_cache(maxsize=1)
def measure() -> dict:
    """Every distance the evaluation needs (the slow part: about 120 images through dlib), cached."""
    astronaut = Image.fromarray(data.astronaut())
    reference = faces.find_faces(astronaut)[0]  # her face, the largest (the detector also sees a suit patch)
    genuine = [
        Probe(name, p.faces, p.distance)
        for name, image in genuine_probes(astronaut).items()
        for p in [_closest(image, reference.descriptor)]
    ]
    lfw = [found[0].descriptor for image in lfw_faces() if (found := faces.find_faces(image))]
    non_face = [
        Probe(f"other image: scikit-image `{name}`", p.faces, p.distance)
        for name in NON_FACE_IMAGES
        for p in [_closest(Image.fromarray(getattr(data, name)()), reference.descriptor)]
    ]
    return {
        "genuine": genuine,
        "impostor": [faces.distance(d, reference.descriptor) for d in lfw],
        "lfw_pairs": [faces.distance(a, b) for a, b in combinations(lfw, 2)],
        "non_face": non_face,
    }


def _spread(values: list[float]) -> dict:
    return {"count": len(values), "min": min(values), "median": float(np.median(values)), "max": max(values)}


def evaluate(threshold: float = THRESHOLD) -> dict:
    """True-match and false-match rates at `threshold`, the distance distributions, and each probe."""
    measured = measure()
    genuine = measured["genuine"]
    found = [p.distance for p in genuine if p.distance is not None]
    impostor, pairs, non_face = measured["impostor"], measured["lfw_pairs"], measured["non_face"]
    return {
        "threshold": threshold,
        "genuine": genuine,
        "genuine_probes": len(genuine),
        "genuine_detected": len(found),
        "genuine_matched": sum(d <= threshold for d in found),
        "true_match_rate": sum(d <= threshold for d in found) / len(genuine),
        "impostors": len(impostor),
        "lfw_faces_tried": LFW_FACES,
        "impostor_matched": sum(d <= threshold for d in impostor),
        "false_match_rate": sum(d <= threshold for d in impostor) / len(impostor),
        "lfw_pairs": len(pairs),
        "lfw_pairs_matched": sum(d <= threshold for d in pairs),
        "non_face": non_face,
        "non_face_matched": sum(p.distance is not None and p.distance <= threshold for p in non_face),
        "distances": {
            "genuine": _spread(found),
            "impostor": _spread(impostor),
            "lfw_pairs": _spread(pairs),
        },
    }


def markdown(threshold: float = THRESHOLD) -> str:
    """The tables of docs/likeness.md, "Evaluation" (distances to two decimals)."""
    result = evaluate(threshold)
    d = result["distances"]
    lines = [
        f"At the threshold {threshold}: true-match rate {result['true_match_rate']:.1%} "
        f"({result['genuine_matched']} of {result['genuine_probes']} transformed copies matched; "
        f"a face was found in {result['genuine_detected']}), "
        f"false-match rate {result['false_match_rate']:.1%} "
        f"({result['impostor_matched']} of {result['impostors']} other people's faces matched the astronaut; "
        f"dlib found {result['impostors']} faces in the {result['lfw_faces_tried']} LFW crops), "
        f"non-face images matched: {result['non_face_matched']} of {len(result['non_face'])}.",
        "",
        "| distances | count | min | median | max |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {label} | {d[key]['count']:,} | {d[key]['min']:.2f} | {d[key]['median']:.2f} | "
            f"{d[key]['max']:.2f} |"
            for key, label in (
                ("genuine", "astronaut vs her transformed copies"),
                ("impostor", "astronaut vs LFW faces"),
                ("lfw_pairs", "LFW faces vs each other (a few may be one person)"),
            )
        ),
        "",
        "| threshold | copies matched | LFW faces matching the astronaut | LFW pairs within "
        "| non-face matches |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for value in THRESHOLDS:
        r = evaluate(value)
        lines.append(
            f"| {value:.2f} | {r['genuine_matched']}/{r['genuine_probes']} | "
            f"{r['impostor_matched']}/{r['impostors']} | {r['lfw_pairs_matched']}/{r['lfw_pairs']:,} | "
            f"{r['non_face_matched']}/{len(r['non_face'])} |"
        )
    lines += ["", "| probe | faces found | distance to the astronaut |", "| --- | ---: | ---: |"]
    for probe in result["genuine"] + result["non_face"]:
        distance = "-" if probe.distance is None else f"{probe.distance:.2f}"
        lines.append(f"| {probe.name} | {probe.faces} | {distance} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
