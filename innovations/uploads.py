"""Checks on the images and attachments people upload with an innovation.

The type is read from the file's first bytes, never from its name or the browser's content type:
the uploader controls both. The name must then agree with the content, so that a file we serve
opens in the program its name promises (an .exe renamed .pdf is refused, and so is a PNG named
.pdf). Images are decoded once with Pillow so that a broken or hostile one is refused here rather
than when Wagtail makes renditions of it.

Every check leaves the file at position 0 for whoever saves it next.
"""

import os
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image

# Deployments (and tests) lower or raise it with settings.INNOVATION_MAX_UPLOAD_BYTES.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# A 40-megapixel photo decodes to at most 160 MB (4 bytes a pixel). Beyond that an image is far
# more likely a decompression bomb (a few KB that expand to gigabytes) than a photo of a workbench.
MAX_IMAGE_PIXELS = 40_000_000

IMAGE_KINDS = ("png", "jpeg", "gif", "webp")
ATTACHMENT_KINDS = ("pdf", *IMAGE_KINDS)

EXTENSIONS_BY_KIND = {
    "pdf": (".pdf",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "gif": (".gif",),
    "webp": (".webp",),
}

_DISPLAY_NAME_BY_KIND = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WebP"}
_PILLOW_FORMAT_BY_KIND = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}

# Enough for the longest signature we look for: "RIFF", 4 bytes of length, "WEBP".
_SIGNATURE_BYTES = 12

MESSAGES = {
    "upload_too_large": _(
        "This file is larger than %(limit_mb)s MB. Please upload a smaller file."
    ),
    "upload_type_attachment": _(
        "This type of file is not accepted. Please upload a PDF, PNG, JPEG, GIF or WebP file."
    ),
    "upload_type_image": _(
        "This file is not an accepted image. Please upload a PNG, JPEG, GIF or WebP image."
    ),
    "upload_extension_mismatch": _(
        "This file is a %(detected)s file, but its name does not end in %(expected)s. Please "
        "upload the original file without renaming it."
    ),
    "upload_corrupt": _(
        "This image is damaged or incomplete and cannot be opened. Please save it again and "
        "upload a complete PNG, JPEG, GIF or WebP file."
    ),
    "upload_too_many_pixels": _(
        "This image has more than %(megapixels)s megapixels. Please reduce its size and upload "
        "it again."
    ),
}


def detect_upload_kind(file: File) -> str | None:
    """The kind ("pdf", "png", "jpeg", "gif", "webp") its first bytes show; None for others."""
    file.seek(0)
    try:
        head = file.read(_SIGNATURE_BYTES)
    finally:
        file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def validate_image_upload(file: File) -> str:
    """Refuse anything but a sound PNG, JPEG, GIF or WebP image; return its kind."""
    return _validate(file, allowed=IMAGE_KINDS, type_message=MESSAGES["upload_type_image"])


def validate_attachment_upload(file: File) -> str:
    """Refuse anything but a PDF or a sound image; return its kind."""
    return _validate(
        file, allowed=ATTACHMENT_KINDS, type_message=MESSAGES["upload_type_attachment"]
    )


def _validate(file: File, *, allowed: tuple[str, ...], type_message: Promise) -> str:
    # Size first: it costs nothing and spares reading an oversized file at all.
    limit = getattr(settings, "INNOVATION_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    if file.size > limit:
        raise _refusal("upload_too_large", limit_mb=_megabytes(limit))

    kind = detect_upload_kind(file)
    if kind not in allowed:
        raise ValidationError(type_message, code="upload_type")

    extension = os.path.splitext(file.name or "")[1].lower()
    if extension not in EXTENSIONS_BY_KIND[kind]:
        raise _refusal(
            "upload_extension_mismatch",
            detected=_DISPLAY_NAME_BY_KIND[kind],
            expected=" / ".join(EXTENSIONS_BY_KIND[kind]),
        )

    if kind in IMAGE_KINDS:
        _check_image_decodes(file, kind)
    return kind


def _check_image_decodes(file: File, kind: str) -> None:
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it; ours is stricter anyway.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with _open_image(file, kind) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels()
                image.verify()
            # verify() checks PNG chunk checksums but reads no JPEG or GIF image data, so a
            # truncated JPEG passes it; only a full decode finds that. The pixel limit above
            # bounds what the decode can cost.
            with _open_image(file, kind) as image:
                image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except Exception as error:
        # Hostile or broken input makes Pillow raise OSError, SyntaxError, struct.error,
        # EOFError and more; to the uploader they all mean the same thing.
        raise _refusal("upload_corrupt") from error
    finally:
        file.seek(0)


def _open_image(file: File, kind: str) -> Image.Image:
    file.seek(0)
    # Only the decoder for the kind we detected, so Pillow never guesses its way into another.
    return Image.open(file, formats=[_PILLOW_FORMAT_BY_KIND[kind]])


def _megabytes(size_in_bytes: int) -> str:
    return f"{round(size_in_bytes / (1024 * 1024), 1):g}"


def _too_many_pixels() -> ValidationError:
    return _refusal("upload_too_many_pixels", megapixels=MAX_IMAGE_PIXELS // 1_000_000)


def _refusal(code: str, **params: object) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)
