"""Evidence: type by content, size and count limits in Swedish, nothing half-stored, scoped download."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from team import underlag as tjanst
from team.models import Underlag

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _zip(filer: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for namn, innehall in filer.items():
            z.writestr(namn, innehall)
    return buf.getvalue()


DOCX = _zip(
    {
        "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": b"<w:document/>",
    }
)
XLSX = _zip(
    {
        "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    }
)
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})


def _url(s, kriterium):
    return reverse("team:underlag_detail", args=[s.omgang_id, s.vardcentral.hsa_id, kriterium.pk])


def _filer(media):
    katalog = media / "underlag"
    return sorted(p.name for p in katalog.iterdir()) if katalog.exists() else []


@pytest.mark.parametrize(
    ("namn", "innehall", "typ"),
    [
        ("rutin.pdf", PDF, "pdf"),
        ("bild.png", PNG, "png"),
        ("foto.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "jpeg"),
        ("rutin.docx", DOCX, "docx"),
        ("matning.xlsx", XLSX, "xlsx"),
        ("protokoll.odt", ODT, "odt"),
    ],
)
def test_accepted_types_by_content(client, chef, s, kriterier, media, namn, innehall, typ):
    client.force_login(chef)
    response = client.post(
        _url(s, kriterier[0]),
        {"typ": "fil", "beskrivning": "Vår rutin", "fil": SimpleUploadedFile(namn, innehall)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    u = Underlag.objects.get()
    assert (u.filtyp, u.filnamn, u.storlek) == (typ, namn, len(innehall))
    assert u.lagrat_namn != namn and "." not in u.lagrat_namn  # random name, no extension
    assert (media / "underlag" / u.lagrat_namn).read_bytes() == innehall


@pytest.mark.parametrize(
    ("namn", "innehall", "meddelande"),
    [
        ("rutin.pdf", b"<html><script>alert(1)</script>", "inte en PDF, DOCX"),
        ("rutin.docx", _zip({"word/document.xml": b"x"}), "inte en PDF, DOCX"),
        ("kalkyl.odt", ODS, "inte en PDF, DOCX"),
        ("bild.png", PDF, "innehåll är PDF men namnet slutar inte på .pdf"),
        ("rutin.docx", XLSX, "innehåll är XLSX"),
        ("tom.pdf", b"", "Filen är tom."),
    ],
)
def test_wrong_type_with_a_right_extension_is_refused(
    client, chef, s, kriterier, media, namn, innehall, meddelande
):
    client.force_login(chef)
    response = client.post(
        _url(s, kriterier[0]),
        {"typ": "fil", "beskrivning": "Rutin", "fil": SimpleUploadedFile(namn, innehall)},
    )
    assert response.status_code == 422
    assert meddelande in response.content.decode()
    assert not Underlag.objects.exists()
    assert _filer(media) == []


def test_too_large_is_refused(client, chef, s, kriterier, media, monkeypatch):
    monkeypatch.setattr(tjanst, "MAX_STORLEK", 1024)
    client.force_login(chef)
    response = client.post(
        _url(s, kriterier[0]),
        {
            "typ": "fil",
            "beskrivning": "Stor",
            "fil": SimpleUploadedFile("stor.pdf", PDF + b"0" * 2000),
        },
    )
    assert response.status_code == 422
    assert "Den får vara högst" in response.content.decode()
    assert not Underlag.objects.exists() and _filer(media) == []


def test_ten_megabytes_is_the_limit():
    assert tjanst.MAX_STORLEK == 10 * 1024 * 1024


def test_too_many_is_refused(client, chef, s, kriterier, media):
    client.force_login(chef)
    for i in range(tjanst.MAX_PER_KRITERIUM):
        tjanst.underlag_create_lank(
            sjalvskattning=s,
            kriterium=kriterier[0],
            beskrivning=f"L{i}",
            url=f"https://intra.test/{i}",
            anvandare=chef,
        )
    response = client.post(
        _url(s, kriterier[0]),
        {"typ": "fil", "beskrivning": "En till", "fil": SimpleUploadedFile("a.png", PNG)},
    )
    assert response.status_code == 422
    assert "redan 10 underlag, det högsta antalet" in response.content.decode()
    assert Underlag.objects.count() == tjanst.MAX_PER_KRITERIUM and _filer(media) == []


def test_a_failing_row_removes_its_file(s, kriterier, chef, media, monkeypatch):
    def fel(*args, **kwargs):
        raise RuntimeError("databasen föll")

    monkeypatch.setattr(Underlag.objects, "create", fel)
    with pytest.raises(RuntimeError):
        tjanst.underlag_create_fil(
            sjalvskattning=s,
            kriterium=kriterier[0],
            beskrivning="R",
            fil=SimpleUploadedFile("a.png", PNG),
            anvandare=chef,
        )
    assert _filer(media) == []


def test_links_are_http_or_https_only(client, chef, s, kriterier):
    client.force_login(chef)
    for url in ("javascript:alert(1)", "file:///etc/passwd", "intra/rutin", "ftp://x.test/a"):
        response = client.post(
            _url(s, kriterier[0]), {"typ": "lank", "beskrivning": "R", "url": url}
        )
        assert response.status_code == 422
        assert "börjar med https:// eller http://" in response.content.decode()
    assert not Underlag.objects.exists()
    response = client.post(
        _url(s, kriterier[0]),
        {"typ": "lank", "beskrivning": "Rutin", "url": "https://intra.test/rutin"},
    )
    assert response.status_code == 302 and Underlag.objects.get().url == "https://intra.test/rutin"


def test_download_is_scoped_and_an_attachment(
    client, chef, planerare, planerare_uppsala, s, kriterier, media
):
    u = tjanst.underlag_create_fil(
        sjalvskattning=s,
        kriterium=kriterier[0],
        beskrivning="R",
        fil=SimpleUploadedFile("rutin.pdf", PDF),
        anvandare=chef,
    )
    url = reverse("team:underlag_download", args=[s.omgang_id, s.vardcentral.hsa_id, u.pk])
    client.force_login(planerare)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="rutin.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(planerare_uppsala)
    assert client.get(url).status_code == 404


def test_delete_removes_the_file(
    client, chef, s, kriterier, media, django_capture_on_commit_callbacks
):
    u = tjanst.underlag_create_fil(
        sjalvskattning=s,
        kriterium=kriterier[0],
        beskrivning="R",
        fil=SimpleUploadedFile("a.png", PNG),
        anvandare=chef,
    )
    client.force_login(chef)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("team:underlag_delete", args=[s.omgang_id, s.vardcentral.hsa_id, u.pk])
        )
    assert response.status_code == 302
    assert not Underlag.objects.exists() and _filer(media) == []


def test_carry_forward_copies_previous_rounds_evidence(chef, vc_stockholm, kriterier, media):
    import datetime

    from vardcentraler.models import Sjalvskattning

    from .conftest import _omgang

    forra = Sjalvskattning.objects.get(
        omgang=_omgang(vc_stockholm, "2025", datetime.date(2025, 1, 1)), vardcentral=vc_stockholm
    )
    tjanst.underlag_create_fil(
        sjalvskattning=forra,
        kriterium=kriterier[0],
        beskrivning="Rutin",
        fil=SimpleUploadedFile("a.png", PNG),
        anvandare=chef,
    )
    tjanst.underlag_create_lank(
        sjalvskattning=forra,
        kriterium=kriterier[1],
        beskrivning="Länk",
        url="https://intra.test/",
        anvandare=chef,
    )
    nu = Sjalvskattning.objects.select_related("omgang").get(
        omgang=_omgang(vc_stockholm, "2026", datetime.date(2026, 1, 1)), vardcentral=vc_stockholm
    )
    assert tjanst.underlag_carry_forward(sjalvskattning=nu, anvandare=chef) == 2
    assert tjanst.underlag_carry_forward(sjalvskattning=nu, anvandare=chef) == 0  # not twice
    kopia = Underlag.objects.get(sjalvskattning=nu, typ="fil")
    original = Underlag.objects.get(sjalvskattning=forra, typ="fil")
    assert kopia.lagrat_namn != original.lagrat_namn
    assert (media / "underlag" / kopia.lagrat_namn).read_bytes() == PNG
