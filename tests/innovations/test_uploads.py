"""Uploaded images and attachments: type from content, name agreeing with it, size, soundness."""

import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from innovations.uploads import (
    MAX_IMAGE_PIXELS,
    MAX_UPLOAD_BYTES,
    detect_upload_kind,
    validate_attachment_upload,
    validate_image_upload,
)

# The lead adds the zh-hans msgstr entries to config/locale; until then the Chinese-message tests
# fail by design, and strict=True makes the suite say so once the catalog has them.
CJK = re.compile(r"[\u4e00-\u9fff]")

MEGABYTE = 1024 * 1024

# The smallest file a PDF reader opens: header, catalog, page tree, one page, xref and trailer.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)

# What Windows programs start with ("MZ"), then junk.
WINDOWS_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def image_bytes(pillow_format: str, size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=pillow_format)
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
GIF = image_bytes("GIF")
WEBP = image_bytes("WEBP")


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image: the shape of a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal_code(validator, file) -> str:
    with pytest.raises(ValidationError) as refused:
        validator(file)
    return refused.value.code


class ReadRecordingBuffer(io.BytesIO):
    """Remembers how many bytes each read() asked for."""

    def __init__(self, content: bytes):
        super().__init__(content)
        self.read_sizes = []

    def read(self, size=-1):
        self.read_sizes.append(size)
        return super().read(size)


# --- detecting the type from content -------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [(MINIMAL_PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg"), (GIF, "gif"), (WEBP, "webp")],
)
def test_the_kind_comes_from_the_first_bytes(content, kind):
    assert detect_upload_kind(upload("anything.bin", content)) == kind


def test_gif87a_is_recognised_as_well_as_gif89a():
    assert detect_upload_kind(upload("old.gif", b"GIF87a" + GIF[6:])) == "gif"


def test_the_name_and_the_browsers_content_type_are_ignored():
    # given PNG bytes that claim, by name and by content type, to be a PDF
    file = upload("report.pdf", PNG, content_type="application/pdf")

    # then
    assert detect_upload_kind(file) == "png"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(WINDOWS_EXECUTABLE, id="windows-executable"),
        pytest.param(b"", id="empty"),
        pytest.param("一份说明".encode(), id="text"),
        pytest.param(b"RIFF\x24\x00\x00\x00WAVEfmt ", id="riff-but-wave-audio"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 26, id="zip-or-docx"),
        pytest.param(b" %PDF-1.4", id="pdf-signature-not-at-the-start"),
    ],
)
def test_other_content_has_no_kind(content):
    assert detect_upload_kind(upload("file.pdf", content)) is None


def test_detection_reads_only_the_signature_and_rewinds():
    # given a 1 MB file read half-way
    buffer = ReadRecordingBuffer(PNG + b"\x00" * MEGABYTE)
    file = File(buffer, name="photo.png")
    file.seek(100)

    # when
    kind = detect_upload_kind(file)

    # then
    assert kind == "png"
    assert buffer.read_sizes == [12]
    assert file.tell() == 0


# --- attachments: what is accepted ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", MINIMAL_PDF, "pdf"),
        ("REPORT.PDF", MINIMAL_PDF, "pdf"),
        ("photo.png", PNG, "png"),
        ("photo.jpg", JPEG, "jpeg"),
        ("photo.jpeg", JPEG, "jpeg"),
        ("Photo.JPG", JPEG, "jpeg"),
        ("animation.gif", GIF, "gif"),
        ("photo.webp", WEBP, "webp"),
        ("工作台改进.v2.png", PNG, "png"),
    ],
)
def test_an_attachment_of_an_allowed_type_with_a_matching_name_is_accepted(name, content, kind):
    file = upload(name, content)

    assert validate_attachment_upload(file) == kind
    assert file.tell() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [("photo.png", PNG), ("photo.jpg", JPEG), ("animation.gif", GIF), ("photo.webp", WEBP)],
)
def test_an_image_of_an_allowed_type_is_accepted_and_rewound(name, content):
    file = upload(name, content)

    validate_image_upload(file)

    assert file.tell() == 0


# --- wrong type or wrong name --------------------------------------------------------------


def test_an_executable_renamed_to_pdf_is_refused():
    # given a Windows program named like a report, and a browser that believed the name
    file = upload("report.pdf", WINDOWS_EXECUTABLE, content_type="application/pdf")

    # then
    assert refusal_code(validate_attachment_upload, file) == "upload_type"


def test_a_png_named_pdf_is_refused():
    assert refusal_code(validate_attachment_upload, upload("scan.pdf", PNG)) == (
        "upload_extension_mismatch"
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("photo.png", JPEG, id="jpeg-named-png"),
        pytest.param("drawing.png", MINIMAL_PDF, id="pdf-named-png"),
        pytest.param("photo.gif", WEBP, id="webp-named-gif"),
        pytest.param("photo", PNG, id="no-extension"),
        pytest.param("photo.png.exe", PNG, id="double-extension"),
    ],
)
def test_a_name_that_disagrees_with_the_content_is_refused(name, content):
    assert refusal_code(validate_attachment_upload, upload(name, content)) == (
        "upload_extension_mismatch"
    )


def test_a_pdf_is_not_an_image():
    assert refusal_code(validate_image_upload, upload("report.pdf", MINIMAL_PDF)) == "upload_type"


def test_an_executable_is_not_an_image():
    assert refusal_code(validate_image_upload, upload("photo.png", WINDOWS_EXECUTABLE)) == (
        "upload_type"
    )


# --- broken and hostile images -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("photo.png", PNG[: len(PNG) // 2], id="png-cut-in-half"),
        pytest.param("photo.png", PNG[:-12], id="png-without-its-end-chunk"),
        pytest.param("photo.jpg", JPEG[: len(JPEG) // 2], id="jpeg-cut-in-half"),
        pytest.param("photo.jpg", JPEG[:-10], id="jpeg-missing-its-last-bytes"),
        pytest.param("animation.gif", GIF[: len(GIF) // 2], id="gif-cut-in-half"),
        pytest.param("animation.gif", GIF[:-5], id="gif-missing-its-last-bytes"),
        pytest.param("photo.webp", WEBP[:40], id="webp-cut-short"),
        pytest.param("photo.png", PNG[:8] + b"\x00" * 40, id="png-signature-then-zeros"),
    ],
)
def test_a_truncated_or_damaged_image_is_refused(name, content):
    file = upload(name, content)

    assert refusal_code(validate_image_upload, file) == "upload_corrupt"
    assert file.tell() == 0


def test_a_png_whose_pixel_data_fails_its_checksum_is_refused():
    # given a PNG with one byte of its compressed pixel data changed
    idat_data_starts = PNG.index(b"IDAT") + 4
    damaged = bytearray(PNG)
    damaged[idat_data_starts + 2] ^= 0xFF

    # then
    assert refusal_code(validate_image_upload, upload("photo.png", bytes(damaged))) == (
        "upload_corrupt"
    )


def test_a_damaged_image_attachment_is_refused_too():
    assert refusal_code(validate_attachment_upload, upload("photo.png", PNG[:60])) == (
        "upload_corrupt"
    )


def test_an_image_of_exactly_40_megapixels_is_accepted():
    # given 8000 × 5000 = 40,000,000 pixels, 1 bit each, a few KB compressed
    buffer = io.BytesIO()
    Image.new("1", (8000, 5000)).save(buffer, format="PNG")

    # then
    assert validate_image_upload(upload("plan.png", buffer.getvalue())) == "png"


def test_an_image_claiming_just_over_40_megapixels_is_refused():
    # given 8000 × 5001 = 40,008,000 pixels
    assert MAX_IMAGE_PIXELS == 40_000_000
    file = upload("bomb.png", png_header_claiming(8000, 5001))

    # then
    assert refusal_code(validate_image_upload, file) == "upload_too_many_pixels"


def test_an_image_past_pillows_own_bomb_limit_is_refused_with_the_same_code():
    # given 20000 × 20000 = 400 million pixels, where Pillow itself raises rather than opens
    file = upload("bomb.png", png_header_claiming(20000, 20000))

    # then
    assert refusal_code(validate_image_upload, file) == "upload_too_many_pixels"
    assert file.tell() == 0


# --- size ----------------------------------------------------------------------------------


def test_the_default_limit_is_10_megabytes():
    assert MAX_UPLOAD_BYTES == 10 * MEGABYTE


def test_a_30_megabyte_upload_is_refused():
    file = upload("scan.pdf", MINIMAL_PDF + b"\x00" * (30 * MEGABYTE))

    assert refusal_code(validate_attachment_upload, file) == "upload_too_large"


def test_a_pdf_of_exactly_10_megabytes_is_accepted_and_one_byte_more_is_refused():
    # given two PDFs padded to 10 MB and to 10 MB + 1 byte, at the default limit
    padding = MAX_UPLOAD_BYTES - len(MINIMAL_PDF)
    at_limit = upload("scan.pdf", MINIMAL_PDF + b"\x00" * padding)
    over_limit = upload("scan.pdf", MINIMAL_PDF + b"\x00" * (padding + 1))

    # then
    assert validate_attachment_upload(at_limit) == "pdf"
    assert refusal_code(validate_attachment_upload, over_limit) == "upload_too_large"


def test_the_limit_is_read_from_the_setting(settings):
    # given a deployment that allows 1 MB
    settings.INNOVATION_MAX_UPLOAD_BYTES = MEGABYTE
    file = upload("scan.pdf", MINIMAL_PDF + b"\x00" * MEGABYTE)

    # then
    assert refusal_code(validate_attachment_upload, file) == "upload_too_large"


def test_an_oversized_file_is_refused_before_any_of_it_is_read(settings):
    # given an executable over the limit: the size refusal comes first, without a read
    settings.INNOVATION_MAX_UPLOAD_BYTES = 1024
    buffer = ReadRecordingBuffer(WINDOWS_EXECUTABLE + b"\x00" * 2048)
    file = File(buffer, name="setup.pdf")

    # then
    assert refusal_code(validate_attachment_upload, file) == "upload_too_large"
    assert buffer.read_sizes == []


# --- messages ------------------------------------------------------------------------------


def refusal_message(validator, file, language: str) -> str:
    # Messages are lazy: raising and reading must both happen in the language under test.
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            validator(file)
        return refused.value.messages[0]


def test_the_size_message_in_english_states_the_limit_in_megabytes():
    file = upload("scan.pdf", MINIMAL_PDF + b"\x00" * MAX_UPLOAD_BYTES)

    message = refusal_message(validate_attachment_upload, file, "en")

    assert message == "This file is larger than 10 MB. Please upload a smaller file."


def test_the_type_message_in_english_lists_the_allowed_types():
    message = refusal_message(validate_attachment_upload, upload("a.pdf", b"MZ"), "en")

    assert "PDF, PNG, JPEG, GIF or WebP" in message


def test_the_image_type_message_in_english_leaves_out_pdf():
    message = refusal_message(validate_image_upload, upload("a.pdf", MINIMAL_PDF), "en")

    assert "PNG, JPEG, GIF or WebP" in message
    assert "PDF" not in message


def test_the_mismatch_message_in_english_names_the_real_type_and_extension():
    message = refusal_message(validate_attachment_upload, upload("photo.png", JPEG), "en")

    assert "JPEG" in message
    assert ".jpg / .jpeg" in message


def test_the_size_message_in_chinese_states_the_limit_in_megabytes():
    file = upload("scan.pdf", MINIMAL_PDF + b"\x00" * MAX_UPLOAD_BYTES)

    message = refusal_message(validate_attachment_upload, file, "zh-hans")

    assert CJK.search(message)
    assert "10 MB" in message


def test_the_type_message_in_chinese_lists_the_allowed_types():
    message = refusal_message(validate_attachment_upload, upload("a.pdf", b"MZ"), "zh-hans")

    assert CJK.search(message)
    assert all(name in message for name in ("PDF", "PNG", "JPEG", "GIF", "WebP"))
