"""Transaction certificates (交易鉴证): numbered when a deal is confirmed, drawn as a PDF.

The PDF is built with reportlab and its built-in CID font STSong-Light, which draws Chinese
without shipping a font file.
"""

from io import BytesIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from innovations.templatetags.money import yuan
from licensing.models import Agreement, CertificateCounter, TransactionCertificate

CHINESE_FONT = "STSong-Light"
# Latin values (numbers, dates, amounts) are drawn in a standard font, so they stay plain
# searchable text in the PDF; the CID font writes two-byte codes.
LATIN_FONT = "Helvetica"
SEQUENCE_DIGITS = 6


def certificate_number(*, year: int, sequence: int) -> str:
    return f"{settings.LICENSING_CERTIFICATE_PREFIX}-{year}-{sequence:0{SEQUENCE_DIGITS}d}"


@transaction.atomic
def certificate_issue(*, agreement: Agreement) -> TransactionCertificate:
    """Give a confirmed agreement its certificate, or return the one it has.

    Preconditions: the agreement is confirmed (it has `confirmed_on`); the caller holds its
    row lock (agreements.agreement_transition does). Side effects: one certificate, numbered
    next in the year of confirmation. Locks: that year's CertificateCounter row, so two deals
    confirmed at once get consecutive numbers, never the same one.
    """
    existing = TransactionCertificate.objects.filter(agreement=agreement).first()
    if existing is not None:
        return existing
    if agreement.confirmed_on is None:
        raise ValueError("Only a confirmed agreement gets a certificate.")
    year = agreement.confirmed_on.year
    CertificateCounter.objects.get_or_create(year=year)
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return TransactionCertificate.objects.create(
        agreement=agreement,
        year=year,
        sequence=counter.last_sequence,
        number=certificate_number(year=year, sequence=counter.last_sequence),
    )


def _register_font() -> None:
    if CHINESE_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CHINESE_FONT))


def _certificate_rows(certificate: TransactionCertificate) -> list[tuple[str, str]]:
    agreement = certificate.agreement
    innovations = "；".join(innovation.title for innovation in agreement.innovations.all())
    patents = "；".join(patent.number for patent in agreement.patents.all()) or "—"
    term = "—"
    if agreement.term_start:
        term = f"{agreement.term_start:%Y-%m-%d} — {agreement.term_end or ''}".strip()
    rows = [
        ("鉴证编号 Certificate No.", certificate.number),
        ("合同编号 Contract No.", agreement.contract_number or "—"),
        ("成交方式 Deal", f"{agreement.get_origin_display()}"),
        ("许可方/转让方 Licensor", agreement.licensors),
        ("被许可方/受让方 Licensee", f"{agreement.licensee.name} {agreement.licensee.credit_code}"),
        ("成果 Innovations", innovations),
        ("专利 Patents", patents),
        ("权利 Rights", agreement.get_right_type_display()),
        ("地域 Territory", agreement.territory),
        ("期限 Term", term),
        ("成交价 Price", yuan(agreement.deal_amount)),
        ("成交日期 Date", f"{agreement.confirmed_on:%Y-%m-%d}"),
    ]
    if agreement.cnipa_record_number:
        rows.append(("国知局备案号 CNIPA record", agreement.cnipa_record_number))
    return rows


def certificate_pdf(*, certificate: TransactionCertificate, compress: bool = True) -> bytes:
    """The certificate as PDF bytes. `compress=False` writes plain streams (tests read them)."""
    _register_font()
    buffer = BytesIO()
    pdf = canvas.Canvas(
        buffer, pagesize=A4, pageCompression=1 if compress else 0, invariant=not compress
    )
    pdf.setTitle(certificate.number)
    pdf.setAuthor(str(settings.WAGTAIL_SITE_NAME))
    width, height = A4
    pdf.setFont(CHINESE_FONT, 20)
    pdf.drawCentredString(width / 2, height - 30 * mm, "技术交易鉴证书")
    pdf.setFont(CHINESE_FONT, 12)
    pdf.drawCentredString(width / 2, height - 38 * mm, "Transaction Certificate")
    y = height - 55 * mm
    for label, value in _certificate_rows(certificate):
        pdf.setFont(CHINESE_FONT, 10)
        pdf.drawString(20 * mm, y, label)
        for line in _wrapped(value, 38):
            pdf.setFont(LATIN_FONT if _is_latin(line) else CHINESE_FONT, 10)
            pdf.drawString(75 * mm, y, line)
            y -= 6 * mm
        y -= 2 * mm
    pdf.setFont(CHINESE_FONT, 9)
    issued = timezone.localtime(certificate.issued_at)
    pdf.drawString(
        20 * mm,
        25 * mm,
        f"上海市职工创新成果交易平台鉴证 · 签发 Issued {issued:%Y-%m-%d}",
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _is_latin(text: str) -> bool:
    """Helvetica covers Windows-1252, which has ¥ but no Chinese."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _wrapped(text: str, width: int) -> list[str]:
    """Split a line every `width` characters: Chinese has no spaces to break at."""
    text = str(text)
    return [text[start : start + width] for start in range(0, len(text), width)] or [""]
