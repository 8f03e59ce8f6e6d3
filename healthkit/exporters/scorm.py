"""SCORM packages: lesson pages an LMS launches, with a manifest and a small run-time adapter.

A package holds one offline lesson page per lesson (a SCO), each with an inline adapter that
reports to the LMS's SCORM API (see ``templates/scorm/adapter.js``), ``imsmanifest.xml`` at
its root, the XML Schema files the standard wants beside the manifest, and, when it holds
several lessons, a course overview page. Functions return text or bytes and never write.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from lxml import etree

from ..errors import ParameterError
from ..io import zip_entries
from ..lesson.render import esc
from ..registry import DEFAULT_PASSING_SCORE, SCORM_STANDARDS, ScormStandard
from .index import IndexEntry
from .page import TEMPLATES, asset, content_security_policy

SCORM = TEMPLATES / "scorm"
MANIFEST = "imsmanifest.xml"
#: The course overview (an underscore: no condition id can take this name).
INDEX = "course_overview.html"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: What a packaged page says about where answers go (it is true with and without a platform).
FOOTER = (
    "Inside a learning platform, this lesson sends your quiz answers, your score and the time you "
    "spent to that platform, which keeps them with your course record. Opened on its own, it makes "
    "no network requests and keeps your answers only in this browser."
)


@dataclass(frozen=True)
class Sco:
    """One lesson in a package: its page, named ``<id>.html``."""

    id: str
    title: str
    page: str
    #: Percent of questions right on the first try that passes, or None (completion only).
    passing: int | None = DEFAULT_PASSING_SCORE

    @property
    def href(self) -> str:
        return f"{self.id}.html"


@dataclass(frozen=True)
class ScormPackage:
    """Everything a package holds, ready to be zipped."""

    identifier: str
    title: str
    standard: str
    scos: tuple[Sco, ...]
    #: The course overview page (packages with several lessons), or None.
    index: str | None = None
    #: Whether the standard's XML Schema files go beside the manifest.
    schemas: bool = True

    @property
    def spec(self) -> ScormStandard:
        return standard_spec(self.standard)


def standard_spec(name: str) -> ScormStandard:
    try:
        return SCORM_STANDARDS[name]
    except KeyError:
        raise ParameterError(f"SCORM standard {name!r} is not known; use one of: {', '.join(SCORM_STANDARDS)}") from None


def identifier(*parts: str) -> str:
    """An XML ID (an NCName) from ``parts``: stable, so a re-uploaded package is recognised."""
    text = "-".join(re.sub(r"[^A-Za-z0-9_.-]", "-", p) for p in parts if p)
    if len(text) > 80:
        text = text[:60] + "-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    return text if re.match(r"[A-Za-z_]", text) else f"id-{text}"


# -- the page -------------------------------------------------------------------------------
def adapter_script() -> str:
    """The adapter's source, identical in every page (so one hash in every policy)."""
    return (SCORM / "adapter.js").read_text(encoding="utf-8")


def adapter_config(standard: str, passing: int | None) -> dict[str, Any]:
    """The data the adapter reads from the page (a JSON element, not code)."""
    spec = standard_spec(standard)
    return {"standard": spec.name, "api": spec.api, "pass": passing, "limit": spec.suspend_data_limit}


def package_page(nb: Any, standard: str, passing: int | None) -> tuple[str, dict[str, Any]]:
    """A lesson page for a package: no links to other pages, the adapter inline and hashed."""
    from .html import export_lesson

    return export_lesson(
        nb,
        nav={"index": None, "prev": None, "next": None},
        scripts=[adapter_script()],
        blocks=[("hk-scorm", adapter_config(standard, passing))],
        footer=FOOTER,
    )


def package_index(title: str, entries: list[IndexEntry]) -> str:
    """The course overview: what each lesson is; the platform's menu opens them."""
    css = asset("page.css")
    csp = content_security_policy([], [css])
    items = "".join(
        "<li>"
        f"<h2>{esc(e.title)}</h2>"
        f"<p>{esc(e.tagline)}</p>"
        f"<p>About {e.minutes} min to read · Reading grade {e.grade:g} · Updated {e.updated.isoformat()}</p>"
        f'<p class="hk-review">{esc(e.review)}</p>'
        "</li>"
        for e in entries
    )
    count = f"{len(entries)} lesson{'s' if len(entries) != 1 else ''}"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f'<main id="main">\n<h1>{esc(title)}</h1>\n'
        f"<p>{count}. Open each one from your learning platform's course menu; it keeps your "
        "answers, your score and whether you have finished.</p>\n"
        f'<ul class="hk-index-list">{items}</ul>\n'
        '<section aria-labelledby="privacy-title"><h2 id="privacy-title">Your privacy</h2>\n'
        f"<p>{esc(FOOTER)}</p></section>\n"
        "</main>\n</body>\n</html>\n"
    )


# -- the manifest ---------------------------------------------------------------------------
def _schema_location(pairs: list[tuple[str, str]]) -> str:
    return " ".join(f"{ns} {xsd}" for ns, xsd in pairs)


def _resources(parent: etree._Element, package: ScormPackage, type_attr: str) -> None:
    resources = etree.SubElement(parent, _qname(parent, "resources"))
    for sco in package.scos:
        resource = etree.SubElement(
            resources, _qname(parent, "resource"), identifier=identifier("res", sco.id), type="webcontent", href=sco.href
        )
        resource.set(type_attr, "sco")
        etree.SubElement(resource, _qname(parent, "file"), href=sco.href)
    if package.index is not None:
        resource = etree.SubElement(resources, _qname(parent, "resource"), identifier="res-index", type="webcontent", href=INDEX)
        resource.set(type_attr, "asset")
        etree.SubElement(resource, _qname(parent, "file"), href=INDEX)


#: The longest title the SCORM 1.2 and 2004 schemas take (both: 200 characters).
MAX_TITLE = 200
#: Characters XML cannot hold at all (controls other than tab and line breaks, surrogates,
#: U+FFFE/U+FFFF): left out of a manifest's text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def manifest_title(text: str) -> str:
    """``text`` as a manifest title: characters XML cannot hold left out, and no longer than
    :data:`MAX_TITLE` (cut with an ellipsis), so the manifest always validates."""
    clean = " ".join(_NOT_XML.sub("", text).split()) or "Lesson"
    return clean if len(clean) <= MAX_TITLE else clean[: MAX_TITLE - 1].rstrip() + "…"


def _qname(node: etree._Element, tag: str) -> str:
    return f"{{{node.nsmap[None]}}}{tag}"


def _organization(root: etree._Element, package: ScormPackage, mastery: Callable[[etree._Element, Sco], None]) -> None:
    organizations = etree.SubElement(root, _qname(root, "organizations"), default="org")
    organization = etree.SubElement(organizations, _qname(root, "organization"), identifier="org")
    etree.SubElement(organization, _qname(root, "title")).text = manifest_title(package.title)
    if package.index is not None:
        item = etree.SubElement(organization, _qname(root, "item"), identifier="item-index", identifierref="res-index")
        etree.SubElement(item, _qname(root, "title")).text = "Course overview"
    for sco in package.scos:
        item = etree.SubElement(organization, _qname(root, "item"), identifier=identifier("item", sco.id), identifierref=identifier("res", sco.id))
        etree.SubElement(item, _qname(root, "title")).text = manifest_title(sco.title)
        mastery(item, sco)


def _metadata(root: etree._Element, spec: ScormStandard) -> None:
    metadata = etree.SubElement(root, _qname(root, "metadata"))
    etree.SubElement(metadata, _qname(root, "schema")).text = "ADL SCORM"
    etree.SubElement(metadata, _qname(root, "schemaversion")).text = spec.schemaversion


def _serialise(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


CP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
MD_12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"


def manifest_12(package: ScormPackage) -> bytes:
    """imsmanifest.xml for SCORM 1.2 (IMS CP 1.1.2 with the ADL CP 1.2 extensions)."""
    root = etree.Element(f"{{{CP_12}}}manifest", nsmap={None: CP_12, "adlcp": ADLCP_12, "xsi": XSI})
    root.set("identifier", package.identifier)
    root.set("version", "1.0")
    root.set(f"{{{XSI}}}schemaLocation", _schema_location(
        [(CP_12, "imscp_rootv1p1p2.xsd"), (MD_12, "imsmd_rootv1p2p1.xsd"), (ADLCP_12, "adlcp_rootv1p2.xsd")]
    ))
    _metadata(root, package.spec)

    def mastery(item: etree._Element, sco: Sco) -> None:
        if sco.passing is not None:
            etree.SubElement(item, f"{{{ADLCP_12}}}masteryscore").text = str(sco.passing)

    _organization(root, package, mastery)
    _resources(root, package, f"{{{ADLCP_12}}}scormtype")
    return _serialise(root)


CP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ_2004 = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV_2004 = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"


def manifest_2004(package: ScormPackage) -> bytes:
    """imsmanifest.xml for SCORM 2004 4th Edition (IMS CP 1.1.4 with the ADL extensions).

    The pass mark travels in each page (the adapter decides success); the manifest carries no
    sequencing rules, so every LMS applies its defaults (the learner may open lessons in any
    order).
    """
    nsmap = {None: CP_2004, "adlcp": ADLCP_2004, "adlseq": ADLSEQ_2004, "adlnav": ADLNAV_2004, "imsss": IMSSS, "xsi": XSI}
    root = etree.Element(f"{{{CP_2004}}}manifest", nsmap=nsmap)
    root.set("identifier", package.identifier)
    root.set("version", "1")
    root.set(f"{{{XSI}}}schemaLocation", _schema_location(
        [
            (CP_2004, "imscp_v1p1.xsd"), (ADLCP_2004, "adlcp_v1p3.xsd"), (ADLSEQ_2004, "adlseq_v1p3.xsd"),
            (ADLNAV_2004, "adlnav_v1p3.xsd"), (IMSSS, "imsss_v1p0.xsd"),
        ]
    ))
    _metadata(root, package.spec)
    _organization(root, package, lambda item, sco: None)
    _resources(root, package, f"{{{ADLCP_2004}}}scormType")
    return _serialise(root)


def manifest(package: ScormPackage) -> bytes:
    """imsmanifest.xml, written by the function the standard's registry entry names."""
    module, _, name = package.spec.manifest.partition(":")
    function: Callable[[ScormPackage], bytes] = getattr(importlib.import_module(module), name)
    return function(package)


# -- the zip --------------------------------------------------------------------------------
def schema_files(standard: str) -> Iterator[tuple[str, bytes]]:
    """``(name, bytes)`` of the XML Schema files shipped at a package's root, unchanged."""
    folder = SCORM / "schemas" / standard_spec(standard).schemas
    for path in sorted(folder.iterdir()):
        if path.is_file():
            yield path.name, path.read_bytes()


def package_entries(package: ScormPackage) -> Iterator[tuple[str, bytes]]:
    """What a package holds, in order: imsmanifest.xml first, then every file it names."""
    yield MANIFEST, manifest(package)
    for sco in package.scos:
        yield sco.href, sco.page.encode("utf-8")
    if package.index is not None:
        yield INDEX, package.index.encode("utf-8")
    if package.schemas:
        yield from schema_files(package.standard)


def package_zip(package: ScormPackage) -> bytes:
    """The package as a zip (see :func:`healthkit.io.zip_entries`): the same package, the same bytes."""
    if not package.scos:
        raise ParameterError("a SCORM package needs at least one lesson")
    return zip_entries(package_entries(package))
