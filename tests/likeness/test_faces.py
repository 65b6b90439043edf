"""Finding faces and describing them (dlib): formats, orientation, no image, the crop shown to staff."""

import io

import numpy as np
import pytest
from PIL import Image
from skimage import data

from registry.likeness import faces

ASTRONAUT_FACE = (175, 76, 265, 166)  # where dlib finds her face in the 512x512 photo


@pytest.fixture(scope="module")
def astronaut() -> Image.Image:
    return Image.fromarray(data.astronaut())


def encoded(image: Image.Image, format: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **options)
    return out.getvalue()


def near(box, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(box, expected, strict=True))


def test_finds_the_astronauts_face_and_describes_it(astronaut):
    found = faces.find_faces(astronaut)
    assert found and near(found[0].box, ASTRONAUT_FACE)
    vector = found[0].descriptor
    assert vector.shape == (faces.DIMENSIONS,) and vector.dtype == np.float32
    assert faces.distance(faces.from_bytes(faces.to_bytes(vector)), vector) == 0.0
    assert len(faces.to_bytes(vector)) == 512
    assert faces.MODEL_NAME and faces.MODEL_VERSION.startswith("dlib-")


@pytest.mark.parametrize("format", ["PNG", "JPEG"])
def test_png_and_jpeg_bytes(astronaut, format):
    (face, *_) = faces.find_faces(encoded(astronaut, format))
    reference = faces.find_faces(astronaut)[0]
    assert near(face.box, ASTRONAUT_FACE) and faces.distance(face.descriptor, reference.descriptor) < 0.2


def test_greyscale_image(astronaut):
    grey = astronaut.convert("L")
    (face, *_) = faces.find_faces(encoded(grey, "PNG"))
    assert near(face.box, ASTRONAUT_FACE)
    assert faces.find_faces(grey)[0].box == face.box


def test_exif_rotated_photo_is_read_upright(astronaut):
    sideways = astronaut.rotate(90, expand=True)  # as a phone stores it, with "rotate 90° clockwise" in EXIF
    exif = Image.Exif()
    exif[0x0112] = 6
    tagged = encoded(sideways, "JPEG", exif=exif, quality=95)
    assert faces.find_faces(encoded(sideways, "JPEG", quality=95)) == []  # the detector wants faces upright
    (face, *_) = faces.find_faces(tagged)
    assert near(face.box, ASTRONAUT_FACE)


def test_a_large_image_is_scaled_and_boxes_stay_in_its_pixels(astronaut):
    big = astronaut.resize((2048, 2048))
    (face, *_) = faces.find_faces(big)
    assert near(face.box, tuple(v * 4 for v in ASTRONAUT_FACE), tolerance=48)


@pytest.mark.parametrize("payload", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\0" * 64])
def test_garbage_gives_no_faces(payload):
    assert faces.find_faces(payload) == []
    assert faces.crop(payload, (0, 0, 10, 10)) == b""


def test_no_face_in_a_picture_without_one():
    assert faces.find_faces(Image.fromarray(data.coffee())) == []


def test_crop_is_a_square_png_of_the_face(astronaut):
    png = faces.crop(encoded(astronaut, "PNG"), ASTRONAUT_FACE)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (faces.CROP_SIZE, faces.CROP_SIZE)
        # The face is in it: dlib finds one face in the crop, near the middle.
        (face, *_) = faces.find_faces(image.resize((320, 320)))
        centre = ((face.box[0] + face.box[2]) / 2, (face.box[1] + face.box[3]) / 2)
        assert all(abs(c - 160) < 40 for c in centre)
