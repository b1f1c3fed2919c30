#!/usr/bin/env python3
"""make-hostile.py OUTDIR -- write a maildir of hostile and broken report mails.

Writes (deterministically; Python 3 standard library only):

  OUTDIR/new/<ts>.<case>.hostile-example.com   one mail per case
  OUTDIR/cur/, OUTDIR/tmp/                      empty
  OUTDIR/expected-rejects.tsv   file<TAB>stage<TAB>reason-substring
        stage: mail | unpack | xml -- where the ingester must reject the mail;
        reason-substring: a short lower-case phrase expected (case-insensitively)
        in the error message, empty when only the stage is certain.
  OUTDIR/expected-valid.tsv     file<TAB>org_name<TAB>report_id<TAB>domain<TAB>records<TAB>count_sum
        (plus a TOTAL line, like samples/expected.tsv): mails that look hostile
        but are valid reports and must be stored, strings unchanged.

Cases: billion laughs, external entity (XXE), zip bomb and gzip bomb (one
entry inflating to 300 MiB of XML a streaming parser reads happily, so that
the unpack cap and not the XML parser stops it; each mail ~400 kB), truncated
gzip, a zip with 1,000 entries, a mail with no attachment, an XHTML page, XML
nested 10,000 deep, a 1 MiB text node, an invalid IP, a negative count, a
count of 99999999999999999999, date_range end before begin, NUL bytes,
invalid UTF-8 declared as UTF-8, random bytes named report.zip, a zip header
followed by garbage; and one valid report carrying hostile strings (script
tags, an attribute-breaking report_id, a spreadsheet formula, U+202E, and an
ANSI escape in the Subject and attachment filename, since XML 1.0 cannot
carry ESC).

The bombs take a few seconds to build (zlib over 2 x 300 MiB).
"""
import base64
import gzip
import io
import os
import random
import sys
import zipfile
import zlib

DOMAIN = "bakery-example.com"
RUA = "dmarc@bakery-example.com"
BEGIN = 1792800000            # 2026-10-24 00:00:00 UTC
END = BEGIN + 86399
ZIP_DT = (2026, 10, 25, 1, 2, 4)
MiB = 1024 * 1024


def report_xml(org="Hostile Example", rid="hostile-0001", begin=BEGIN, end=END,
               records=(("203.0.113.9", "5"),), domain=DOMAIN, doctype="", org_raw=None,
               extra="", rec_extra="", encoding="UTF-8"):
    """A small RFC 7489 report as str; pieces can be replaced to break it."""
    recs = []
    for ip, count in records:
        recs.append(
            "  <record>\n    <row>\n      <source_ip>%s</source_ip>\n      <count>%s</count>\n"
            "      <policy_evaluated>\n        <disposition>none</disposition>\n"
            "        <dkim>fail</dkim>\n        <spf>fail</spf>\n%s      </policy_evaluated>\n"
            "    </row>\n    <identifiers>\n      <header_from>%s</header_from>\n    </identifiers>\n"
            "    <auth_results>\n      <spf>\n        <domain>%s</domain>\n        <result>softfail</result>\n"
            "      </spf>\n    </auth_results>\n  </record>\n" % (ip, count, rec_extra, domain, domain))
    return ('<?xml version="1.0" encoding="%s"?>\n%s<feedback>\n  <version>1.0</version>\n'
            "  <report_metadata>\n    <org_name>%s</org_name>\n    <email>dmarc@hostile-example.com</email>\n"
            "%s    <report_id>%s</report_id>\n    <date_range>\n      <begin>%s</begin>\n"
            "      <end>%s</end>\n    </date_range>\n  </report_metadata>\n"
            "  <policy_published>\n    <domain>%s</domain>\n    <adkim>r</adkim>\n    <aspf>r</aspf>\n"
            "    <p>none</p>\n    <sp>none</sp>\n    <pct>100</pct>\n  </policy_published>\n%s</feedback>\n"
            % (encoding, doctype, org_raw if org_raw is not None else org, extra, rid, begin, end,
               domain, "".join(recs)))


def make_zip(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=ZIP_DT)
            zi.create_system = 3
            if name.endswith("/"):                      # a directory
                zi.compress_type = zipfile.ZIP_STORED
                zi.external_attr = (0o40755 << 16) | 0x10
            else:
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = 0o644 << 16
            z.writestr(zi, data, compresslevel=9)
    return buf.getvalue()


def make_gzip(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def bomb_chunks(total):
    """~total bytes of XML a streaming parser reads without complaint: a valid
    report head, then 1 MiB comments of one repeated letter, never closed (the
    unpack cap must stop the stream).  A run of one byte deflates ~1000:1;
    only short match distances are that cheap, so nothing periodic is used."""
    head = report_xml(rid="hostile-bomb").split("  <record>")[0].replace("</feedback>\n", "")
    yield head.encode()
    n = len(head)
    chunk = b"<!--" + b"b" * (MiB - 8) + b"-->\n"
    while n < total:
        yield chunk
        n += len(chunk)


def zip_bomb(total):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compresslevel=9) as z:
        zi = zipfile.ZipInfo("report.xml", date_time=ZIP_DT)
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.create_system = 3
        zi.external_attr = 0o644 << 16
        zi.file_size = 0
        with z.open(zi, "w", force_zip64=False) as f:
            for c in bomb_chunks(total):
                f.write(c)
    return buf.getvalue()


def gzip_bomb(total):
    co = zlib.compressobj(9, zlib.DEFLATED, 31)    # 31: gzip wrapper, mtime 0, no name
    out = [co.compress(c) for c in bomb_chunks(total)]
    out.append(co.flush())
    return b"".join(out)


def b64(data):
    s = base64.b64encode(data).decode("ascii")
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def mail(n, case, parts, subject=None, extra_headers=()):
    """parts: [(content_type, filename or None, cte, body_text)]."""
    ts = BEGIN + 86400 + 3600 + n * 61
    bnd = "hostile-%02d-%s" % (n, case)
    subj = subject or "Report Domain: %s Submitter: hostile-example.com Report-ID: case-%02d" % (DOMAIN, n)
    h = ["Return-Path: <dmarc@hostile-example.com>",
         "Delivered-To: %s" % RUA,
         "Received: from mx.hostile-example.com (mx.hostile-example.com [198.51.100.66])\n"
         "\tby mx.bakery-example.com (Postfix) with ESMTPS id H%04d\n\tfor <%s>; Sun, 25 Oct 2026 %02d:%02d:%02d +0000"
         % (n, RUA, 1 + n // 60, n % 60, n * 7 % 60),
         "From: Hostile Example DMARC <dmarc@hostile-example.com>",
         "To: %s" % RUA,
         "Date: Sun, 25 Oct 2026 %02d:%02d:00 +0000" % (1 + n // 60, n % 60),
         "Message-ID: <hostile-%02d.%s@hostile-example.com>" % (n, case),
         "Subject: %s" % subj,
         "MIME-Version: 1.0"] + list(extra_headers)
    if len(parts) == 1 and parts[0][1] is None:
        ct, _fn, cte, body = parts[0]
        h += ["Content-Type: %s" % ct, "Content-Transfer-Encoding: %s" % cte]
        text = "\n".join(h) + "\n\n" + body + "\n"
    else:
        h.append('Content-Type: multipart/mixed; boundary="%s"' % bnd)
        body = ["This is a multi-part message in MIME format.", ""]
        for ct, fn, cte, b in parts:
            body.append("--" + bnd)
            if fn is None:
                body += ["Content-Type: %s" % ct, "Content-Transfer-Encoding: %s" % cte, "", b, ""]
            else:
                disp = fn if "\n" in fn else 'attachment; filename="%s"' % fn
                name = "" if "\n" in fn else '; name="%s"' % fn
                body += ["Content-Type: %s%s" % (ct, name), "Content-Transfer-Encoding: %s" % cte,
                         "Content-Disposition: %s" % disp, "", b, ""]
        body += ["--" + bnd + "--", ""]
        text = "\n".join(h) + "\n\n" + "\n".join(body)
    return "%d.%s.hostile-example.com" % (ts, case), text.encode("utf-8")


def zip_part(data, name="hostile-example.com!%s!%d!%d.zip" % (DOMAIN, BEGIN, END)):
    return [("text/plain; charset=us-ascii", None, "7bit", "Aggregate report attached."),
            ("application/zip", name, "base64", b64(data))]


def gz_part(data, name="hostile-example.com!%s!%d!%d.xml.gz" % (DOMAIN, BEGIN, END)):
    return [("text/plain; charset=us-ascii", None, "7bit", "Aggregate report attached."),
            ("application/gzip", name, "base64", b64(data))]


def build():
    rng = random.Random(6661)
    rejects, valid, mails = [], [], []

    def add(case, parts, stage, reason, **kw):
        n = len(mails) + 1
        fn, data = mail(n, case, parts, **kw)
        mails.append((fn, data))
        if stage:
            rejects.append((fn, stage, reason))
        return fn

    laughs = ('<!DOCTYPE feedback [\n  <!ENTITY lol "lol">\n'
              + "".join('  <!ENTITY lol%d "%s">\n' % (i, ("&lol%s;" % ("" if i == 1 else i - 1)) * 10)
                        for i in range(1, 10))
              + "]>\n")
    add("billion_laughs", zip_part(make_zip([("report.xml", report_xml(
        doctype=laughs, org_raw="&lol9;").encode())])), "xml", "not allowed")

    xxe = '<!DOCTYPE feedback [\n  <!ENTITY xxe SYSTEM "file:///etc/hostname">\n]>\n'
    add("external_entity", zip_part(make_zip([("report.xml", report_xml(
        doctype=xxe, org_raw="&xxe;").encode())])), "xml", "not allowed")

    add("zip_bomb", zip_part(zip_bomb(300 * MiB)), "unpack", "unpack_max")
    add("gzip_bomb", gz_part(gzip_bomb(300 * MiB)), "unpack", "unpack_max")

    big = report_xml(rid="hostile-trunc", records=[("203.0.113.%d" % (i % 250 + 1), str(i % 7 + 1))
                                                   for i in range(400)]).encode()
    gz = make_gzip(big)
    add("truncated_gzip", gz_part(gz[:len(gz) // 2]), "unpack", "truncated")

    # 1,000 directory entries: every entry header counts against the cap, and
    # none is a document, so the cap is the only thing to complain about (with
    # 1,000 files the first 16 would be parsed, and rejected, before the cap).
    # Should directories ever stop counting, "no file entries" still matches.
    add("zip_1000_entries", zip_part(make_zip([("d%04d/" % i, b"") for i in range(1, 1001)])),
        "unpack", "entries")

    add("no_attachment", [("text/plain; charset=utf-8", None, "7bit",
                           "Hello,\n\nyour DMARC report is available at our portal.\n\nRegards")],
        "mail", "no report")

    xhtml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<!-- not a report: somebody attached the portal page -->\n'
             '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>DMARC report</title></head>\n'
             "<body><h1>Your DMARC report</h1><p>Log in to see it.</p></body></html>\n")
    add("xhtml_page", gz_part(make_gzip(xhtml.encode())), "xml", "not <feedback>")

    deep = report_xml(rid="hostile-deep").replace(
        "  </policy_published>\n", "  </policy_published>\n" + "<x>" * 10000 + "</x>" * 10000 + "\n")
    add("nested_10000", gz_part(make_gzip(deep.encode())), "xml", "nested deeper")

    add("text_node_1mb", gz_part(make_gzip(report_xml(rid="hostile-1mb", org="A" * MiB).encode())),
        "xml", "exceeds")

    add("invalid_ip", gz_part(make_gzip(report_xml(rid="hostile-ip", records=[("999.1.1.1", "3")]).encode())),
        "xml", "not an ip")
    add("negative_count", gz_part(make_gzip(report_xml(rid="hostile-neg",
                                                       records=[("203.0.113.9", "-5")]).encode())),
        "xml", "negative")
    add("huge_count", gz_part(make_gzip(report_xml(rid="hostile-huge",
                                                   records=[("203.0.113.9", "99999999999999999999")]).encode())),
        "xml", "count")
    add("dates_reversed", gz_part(make_gzip(report_xml(rid="hostile-dates", begin=END, end=BEGIN).encode())),
        "xml", "before begin")

    nul = report_xml(rid="hostile-nul").encode().replace(b"Hostile Example", b"Hostile\x00Example\x00")
    add("nul_bytes", gz_part(make_gzip(nul)), "xml", "")

    bad = report_xml(rid="hostile-utf8").encode().replace(b"Hostile Example", b"Hostile \xff\xfe\xc3 Example")
    add("invalid_utf8", gz_part(make_gzip(bad)), "xml", "utf-8")

    # Random bytes: not a zip, gzip or XML magic, whatever the name says.
    junk = bytes(rng.getrandbits(8) for _ in range(4096))
    while junk[:2] in (b"PK", b"\x1f\x8b", b"\xef\xbb", b"\xfe\xff", b"\xff\xfe") or junk[:1] in b"< \t\r\n":
        junk = bytes(rng.getrandbits(8) for _ in range(4096))
    add("random_bytes_zip", zip_part(junk, name="report.zip"), "xml", "")

    garbage = b"PK\x03\x04" + bytes(rng.getrandbits(8) for _ in range(2048))
    add("zip_header_garbage", zip_part(garbage, name="report.zip"), "unpack", "")

    # Valid, but every string is hostile.  It must be stored as is.
    org = "<script>alert(1)</script>"
    rid = "\"'><img src=x onerror=alert(1)>"
    comment = "=cmd|' /C calc'!A0"
    xml = report_xml(
        org=org.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
        rid=rid.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"),
        domain="xss-example.com",
        extra="    <extra_contact_info>https://xss-example.com/\u202egpj.exe</extra_contact_info>\n",
        records=[("203.0.113.66", "7"), ("2001:db8:bad::66", "2")],
        rec_extra=("        <reason>\n          <type>other</type>\n          <comment>%s</comment>\n"
                   "        </reason>\n        <reason>\n          <type>local_policy</type>\n"
                   "          <comment>@SUM(1+1)*cmd|' /C calc'!A0, \"quoted\",\nsecond line\u202e</comment>\n"
                   "        </reason>\n" % comment.replace("&", "&amp;")))
    # RFC 2231 filename: decodes to "\x1b[31mreport\x1b[0m.zip".
    disp = "attachment;\n filename*=UTF-8''%1B%5B31mreport%1B%5B0m.zip"
    parts = [("text/plain; charset=utf-8", None, "8bit",
              "Report for xss-example.com \u202eexe.txt\n"),
             ("application/zip", disp, "base64", b64(make_zip([("report\u202exml.zip.xml", xml.encode())])))]
    fn = add("hostile_strings_valid", parts, None, None,
             subject="=?UTF-8?Q?=1B[31mReport_Domain:_xss-example.com?= Submitter: =?UTF-8?Q?=3Cscript=3E?= "
                     "Report-ID: =?UTF-8?Q?=22=27=3E=3Cimg_src=3Dx_onerror=3Dalert(1)=3E?=")
    valid.append((fn, org, rid, "xss-example.com", 2, 9))
    return mails, rejects, valid


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: make-hostile.py OUTDIR")
    out = sys.argv[1]
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    mails, rejects, valid = build()
    for fn, data in mails:
        with open(os.path.join(out, "new", fn), "wb") as f:
            f.write(data)
    with open(os.path.join(out, "expected-rejects.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("file\tstage\treason\n")
        for row in rejects:
            f.write("%s\t%s\t%s\n" % row)
    with open(os.path.join(out, "expected-valid.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("file\torg_name\treport_id\tdomain\trecords\tcount_sum\n")
        for row in valid:
            f.write("%s\t%s\t%s\t%s\t%d\t%d\n" % row)
        f.write("TOTAL\t\t\t\t%d\t%d\n" % (sum(r[4] for r in valid), sum(r[5] for r in valid)))
    print("make-hostile: %d mails (%d to reject, %d valid) -> %s" % (len(mails), len(rejects), len(valid), out))


if __name__ == "__main__":
    main()
