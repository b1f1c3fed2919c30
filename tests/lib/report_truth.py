#!/usr/bin/python3
"""report_truth.py FILE... -- what each input holds, computed independently
of dmarcstat (Python's email, zipfile, gzip and ElementTree), for tests.

Prints one line per FILE: path, reports, records, count_sum, TAB-separated.
reports is 0 when the file holds no valid aggregate report: no XML, XML that
does not parse, a root other than <feedback>, or a report without
report_metadata/org_name, report_id or policy_published/domain.
"""
import email
import gzip
import io
import sys
import xml.etree.ElementTree as ET
import zipfile
from email import policy

CANDIDATE_TYPES = {"application/zip", "application/x-zip-compressed", "application/gzip",
                   "application/x-gzip", "text/xml", "application/xml"}
MAX_BYTES = 256 * 1024 * 1024


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def documents(data):
    """The XML documents in an attachment, by magic bytes."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return [z.read(i) for i in z.infolist() if not i.is_dir()]
        except Exception:
            return []
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as g:
                return [g.read(MAX_BYTES + 1)]
        except Exception:
            return []
    return [data]


def child(el, name):
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def text(el, name):
    c = child(el, name) if el is not None else None
    return (c.text or "").strip() if c is not None else ""


def report_totals(xml):
    """(records, count_sum) of a valid report, else None."""
    if len(xml) > MAX_BYTES or b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        return None
    try:
        root = ET.fromstring(xml)
    except Exception:
        return None
    if local(root.tag) != "feedback":
        return None
    meta, pol = child(root, "report_metadata"), child(root, "policy_published")
    if meta is None or pol is None or not text(meta, "report_id") or not text(pol, "domain"):
        return None
    if not text(meta, "org_name") and "@" not in text(meta, "email"):
        return None
    records = [c for c in root if local(c.tag) == "record"]
    total = 0
    for r in records:
        row = child(r, "row")
        total += int(text(row, "count") or 0) if row is not None else 0
    return len(records), total


def attachments(data, name):
    if name.endswith((".xml", ".gz", ".zip")) and not name.endswith((".eml", ".elm")):
        if data[:4] == b"PK\x03\x04" or data[:2] == b"\x1f\x8b" or data.lstrip()[:1] in (b"<", b"\xef"):
            return [data]
    msg = email.message_from_bytes(data, policy=policy.compat32)
    out = []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        ctype = part.get_content_type()
        fname = (part.get_filename() or "").lower()
        if ctype in CANDIDATE_TYPES or fname.endswith((".xml", ".zip", ".gz")):
            payload = part.get_payload(decode=True)
            if payload:
                out.append(payload)
    return out


def main():
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            data = f.read()
        n = records = total = 0
        for att in attachments(data, path.lower()):
            for doc in documents(att):
                t = report_totals(doc)
                if t is not None:
                    n += 1
                    records += t[0]
                    total += t[1]
        print(f"{path}\t{n}\t{records}\t{total}")


if __name__ == "__main__":
    main()
