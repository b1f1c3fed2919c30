#!/usr/bin/env python3
"""seeds.py -- starting inputs for the fuzz targets, built from what the
repository already holds (tools/fuzz.sh runs it before every campaign).

  seeds.py --out DIR [--real REAL --real-out DIR2]

writes DIR/TARGET/seed-NAME for every target:

  mail     the mails of samples/new/, and two from tools/gen-report.py
  unpack   their report attachments (zip, gzip, xml), decoded
  xml      the XML inside those attachments, and generated reports
  csv      rows of samples/expected.tsv and a few formula-looking cells,
           as fuzz_csv.c reads them (fields separated by NUL)
  http     request targets for every route, with and without filters
  config   dist/dmarcstat.conf.example and variations
  dns      DNS responses for "example.com" carrying the records of the
           zones in tests/lib/zones/ (type byte first, as fuzz_dns.c reads)
  records  the TXT texts of those zones (parser byte first), and the DER
           of their DKIM keys

With --real, the XML inside the archives and mails of REAL (the shared
corpus of real reports) goes to DIR2/xml: a scratch directory outside the
repository, since those files are only ever read in place.

Python's standard library only; deterministic output.
"""
import argparse
import base64
import email
import email.policy
import gzip
import hashlib
import io
import os
import re
import struct
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write(outdir, target, name, data):
    d = os.path.join(outdir, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:80]
    with open(os.path.join(d, "seed-" + safe), "wb") as f:
        f.write(data)


# ---- mails, attachments, XML ----

def attachments(raw):
    """(filename, bytes) of every non-multipart, non-text part, recursively."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    out = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if part.is_multipart() or (ctype.startswith("text/") and ctype != "text/xml"):
            continue
        payload = part.get_payload(decode=True)
        if payload:
            out.append((part.get_filename() or "part", payload))
    return out


# Larger documents are no use as seeds (libFuzzer cuts them at -max_len),
# and some real archives are bombs: never inflate past this.
SEED_MAX_BYTES = 1 << 20


def xml_inside(data):
    """The XML documents inside an attachment's bytes, each at most
    SEED_MAX_BYTES (larger ones are skipped)."""
    docs = []
    try:
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for n in z.namelist():
                    if not n.endswith("/"):
                        with z.open(n) as f:
                            docs.append(f.read(SEED_MAX_BYTES + 1))
        elif data[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
                docs.append(f.read(SEED_MAX_BYTES + 1))
        else:
            docs.append(data)
    except Exception:
        pass
    return [d for d in docs if len(d) <= SEED_MAX_BYTES]


def mail_seeds(outdir):
    new = os.path.join(ROOT, "samples", "new")
    for name in sorted(os.listdir(new)):
        with open(os.path.join(new, name), "rb") as f:
            raw = f.read()
        write(outdir, "mail", name, raw)
        for i, (fname, data) in enumerate(attachments(raw)):
            write(outdir, "unpack", "%s-%d-%s" % (name[:10], i, fname), data)
            for j, xml in enumerate(xml_inside(data)):
                write(outdir, "xml", "%s-%d-%d.xml" % (name[:10], i, j), xml)


def generated_seeds(outdir, scratch):
    """Reports from tools/gen-report.py in each container."""
    gen = os.path.join(ROOT, "tools", "gen-report.py")
    for fmt, target, records in (("xml", "xml", 5), ("xml", "unpack", 3), ("gz", "unpack", 5),
                                 ("zip", "unpack", 5), ("eml", "mail", 3), ("xml", "xml", 1)):
        path = os.path.join(scratch, "gen-%d.%s" % (records, fmt))
        args = [sys.executable, gen, "report", "--records", str(records), "--format", fmt,
                "--out", path, "--seed", str(records)]
        if records == 1:
            args.append("--compact")
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        with open(path, "rb") as f:
            data = f.read()
        write(outdir, target, "gen-%d.%s" % (records, fmt), data)
        if target == "xml" and records == 5:
            xml_variants(outdir, data)
        os.unlink(path)


# Ways real reports differ from the generated one, each a separate seed so
# that the fuzzer starts next to every branch of xml_fields.c.
XML_VARIANTS = [
    ("no-org-name", rb"<org_name>[^<]*</org_name>", b""),
    ("email-only", rb"<org_name>[^<]*</org_name>\s*<email>[^<]*</email>",
     b"<email>Reports &lt;d@Example.NET&gt; x</email>"),
    ("dmarcbis", rb"<feedback>", b'<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">'
                                 b"<np>reject</np>"),
    ("prefixed", rb"<(/?)([a-z_]+)>", rb"<\1d:\2>"),
    ("capitals", rb">(pass|fail|none|neutral)<", rb">Hard\1<"),
    ("milliseconds", rb"<begin>(\d+)</begin>", rb"<begin>\g<1>000</begin>"),
    ("fraction", rb"<end>(\d+)</end>", rb"<end> \1.5 </end>"),
    ("big-count", rb"<count>\d+</count>", b"<count>18446744073709551615</count>"),
    ("bad-ip", rb"<source_ip>[^<]*</source_ip>", b"<source_ip>::ffff:1.2.3.4.5</source_ip>"),
    ("no-count", rb"<count>\d+</count>", b""),
    ("reason", rb"</policy_evaluated>",
     b"<reason><type>Forwarded</type><comment> arc=pass </comment></reason></policy_evaluated>"),
    ("error", rb"</report_metadata>", b"<error>x</error><generator>g</generator></report_metadata>"),
    ("identities", rb"identifiers>", b"identities>"),
    ("cdata", rb"<domain>([^<]*)</domain>", rb"<domain><![CDATA[\1]]></domain>"),
    ("nested-value", rb"<p>([^<]*)</p>", rb"<p><x>\1</x></p>"),
    ("duplicate", rb"</policy_published>", b"<p>reject</p><pct>50</pct></policy_published>"),
]


def xml_variants(outdir, xml):
    for name, pattern, repl in XML_VARIANTS:
        if name == "prefixed":
            xml_v = re.sub(pattern, repl, xml).replace(
                b"<d:feedback>", b'<d:feedback xmlns:d="urn:ietf:params:xml:ns:dmarc-2.0">', 1)
        else:
            xml_v = re.sub(pattern, repl, xml, count=1)
        write(outdir, "xml", "variant-" + name, xml_v)


def real_xml(real, outdir):
    """XML documents from the real corpus's archives and mails."""
    n = 0
    for top, _, files in sorted(os.walk(real)):
        for name in sorted(files):
            with open(os.path.join(top, name), "rb") as f:
                raw = f.read()
            blobs = [raw]
            if not raw.lstrip().startswith(b"<") and raw[:2] != b"\x1f\x8b" and raw[:4] != b"PK\x03\x04":
                blobs = [data for _, data in attachments(raw)]
            for blob in blobs:
                for xml in xml_inside(blob):
                    n += 1
                    write(outdir, "xml", "real-%03d-%s" % (n, hashlib.sha1(xml).hexdigest()[:12]), xml)


# ---- CSV ----

def csv_seeds(outdir):
    with open(os.path.join(ROOT, "samples", "expected.tsv"), encoding="utf-8") as f:
        for i, line in enumerate(f):
            write(outdir, "csv", "expected-%d" % i, "\0".join(line.rstrip("\n").split("\t")))
            if i >= 8:
                break
    cells = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1.5e3", "@SUM(A1)", "\t=1",
             "\r\n", "a,b", "\"", "\x01", "Zürich", "\xff", "-", ".5", "1."]
    for i, cell in enumerate(cells):
        data = cell.encode("latin-1") if cell == "\xff" else cell.encode()
        write(outdir, "csv", "cell-%d" % i, data + b"\0x")


# ---- HTTP ----

def http_seeds(outdir):
    paths = ["/", "/domains/example.com", "/domains/example.com/dns",
             "/domains/example.com/sources/192.0.2.1", "/reports", "/reports/1",
             "/failures", "/healthz", "/static/style.css", "/api/reports", "/reports.csv",
             "/domains/%E2%9C%93.example/", "/static/../x"]
    queries = ["", "?days=7", "?since=2026-10-01&until=2026-11-01",
               "?from=Example.COM&result=fail&org=Google+Inc.",
               "?sort=count&dir=desc&page=3&table=sources", "?days=0&page=-1",
               "?a=%ZZ", "?%00=1", "?q=%3Cscript%3E&&x"]
    for i, p in enumerate(paths):
        for j, q in enumerate(queries):
            if (i + j) % 3 == 0:
                write(outdir, "http", "t-%d-%d" % (i, j), p + q)
    write(outdir, "http", "bearer", "/reports\nBearer fuzz-token-0123456789abcdef")
    write(outdir, "http", "basic", "/\nBasic YWRtaW46c2VjcmV0")


# ---- config ----

def config_seeds(outdir):
    with open(os.path.join(ROOT, "dist", "dmarcstat.conf.example"), "rb") as f:
        example = f.read()
    write(outdir, "config", "example", example)
    # The example has every key commented out: the same with them set.
    write(outdir, "config", "example-set", re.sub(rb"(?m)^#([a-z_]+ ?=)", rb"\1", example))
    write(outdir, "config", "limits",
          "[limits]\nmail_max_bytes = 1024\nunpack_max_ratio = 10\nzip_max_entries = 1\n"
          "xml_max_depth = 8\nrecord_max_count = 9223372036854775807\n")
    write(outdir, "config", "web", "[web]\nlisten = 0.0.0.0:8080\nuser = admin\n"
          "token = 0123456789abcdef0123\n[database]\nconninfo = dbname=dmarcstat\n")
    write(outdir, "config", "advise", "[advise]\nrua = dmarc@example.com\npct_steps = 25,50,100\n"
          "window_days = 30\n[dns]\ntimeout_ms = 500\nservers = 192.0.2.53;[2001:db8::53]:53\n")
    write(outdir, "config", "ingest", "[ingest]\nrescan_seconds = 86401\nmaildir = /var/mail\n")


# ---- zones: DNS responses and record texts ----

TYPES = {"TXT": 16, "A": 1, "AAAA": 28, "MX": 15, "PTR": 12, "CNAME": 5, "NS": 2,
         "SOA": 6, "SPF": 99}
# fuzz_dns.c's first byte: index into its table of question types.
TYPE_BYTE = {16: 0, 1: 1, 28: 2, 15: 3, 12: 4, 5: 5, 2: 6, 6: 7, 99: 8, 257: 9}


def zone_records():
    """(type, rdata text) of every record in tests/lib/zones/."""
    out = []
    zdir = os.path.join(ROOT, "tests", "lib", "zones")
    for name in sorted(os.listdir(zdir)):
        with open(os.path.join(zdir, name), encoding="utf-8") as f:
            text = re.sub(r";[^\n\"]*", "", f.read())
        # Parenthesised records span lines.
        text = re.sub(r"\(([^)]*)\)", lambda m: m.group(1).replace("\n", " "), text)
        for line in text.splitlines():
            if not line.strip() or line.startswith("$"):
                continue
            fields = line.split(None, 2) if line[0] not in " \t" else ["@"] + line.split(None, 1)
            if len(fields) < 3:
                continue
            rtype, rdata = fields[1].upper(), fields[2].strip()
            if rtype.isdigit() or rtype == "IN":
                parts = rdata.split(None, 1)
                if len(parts) < 2:
                    continue
                rtype, rdata = parts[0].upper(), parts[1]
            if rtype in TYPES:
                out.append((rtype, rdata))
    return out


def txt_strings(rdata):
    return [s.encode() for s in re.findall(r'"((?:[^"\\]|\\.)*)"', rdata)]


def wire_name(name):
    name = name.rstrip(".")
    out = b""
    for label in name.split(".") if name else []:
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rdata_wire(rtype, rdata):
    import ipaddress
    if rtype in ("TXT", "SPF"):
        return b"".join(bytes([len(s)]) + s for s in txt_strings(rdata) if len(s) < 256)
    if rtype == "A":
        return ipaddress.IPv4Address(rdata.split()[0]).packed
    if rtype == "AAAA":
        return ipaddress.IPv6Address(rdata.split()[0]).packed
    if rtype == "MX":
        pref, host = rdata.split()[:2]
        return struct.pack(">H", int(pref)) + wire_name(host)
    if rtype in ("PTR", "CNAME", "NS"):
        return wire_name(rdata.split()[0])
    if rtype == "SOA":
        f = rdata.split()
        return wire_name(f[0]) + wire_name(f[1]) + struct.pack(">5I", *[int(x) for x in f[2:7]])
    return b""


def response(qtype, answers, rcode=0, authority=()):
    """A response to example.com/QTYPE; ANSWERS and AUTHORITY are (type, rdata, owner)
    with owner None for a compression pointer to the question."""
    head = struct.pack(">6H", 0x1234, 0x8180 | rcode, 1, len(answers), len(authority), 0)
    msg = head + wire_name("example.com") + struct.pack(">2H", qtype, 1)
    for t, rd, owner in list(answers) + list(authority):
        msg += (b"\xc0\x0c" if owner is None else wire_name(owner))
        msg += struct.pack(">2HIH", t, 1, 300, len(rd)) + rd
    return bytes([TYPE_BYTE[qtype]]) + msg


def dns_seeds(outdir, records):
    seen = set()
    for rtype, rdata in records:
        t = TYPES[rtype]
        rd = rdata_wire(rtype, rdata)
        if not rd or (t, rd) in seen:
            continue
        seen.add((t, rd))
        write(outdir, "dns", "%s-%s" % (rtype, hashlib.sha1(rd).hexdigest()[:10]),
              response(t, [(t, rd, None)]))
    soa = rdata_wire("SOA", "ns.test. hostmaster.test. 1 3600 600 86400 300")
    write(outdir, "dns", "nxdomain", response(1, [], rcode=3, authority=[(6, soa, "example.com")]))
    write(outdir, "dns", "nodata", response(16, [], authority=[(6, soa, "example.com")]))
    write(outdir, "dns", "servfail", response(16, [], rcode=2))
    cname = wire_name("target.example.net")
    a = bytes([192, 0, 2, 7])
    write(outdir, "dns", "cname-chain",
          response(1, [(5, cname, None), (1, a, "target.example.net")]))
    write(outdir, "dns", "cname-loop",
          response(1, [(5, wire_name("example.com"), None)]))
    write(outdir, "dns", "unknown-type", response(257, [(257, b"\x00\x05issueca.example", None)]))


def record_seeds(outdir, records):
    n = 0
    for rtype, rdata in records:
        if rtype not in ("TXT", "SPF"):
            continue
        text = b"".join(txt_strings(rdata))
        low = text.lower()
        if low.startswith(b"v=dmarc1"):
            sel = 0
        elif low.startswith(b"v=spf1"):
            sel = 1
        elif b"p=" in low:
            sel = 2
        else:
            sel = n % 3
        n += 1
        write(outdir, "records", "%d-%s" % (sel, hashlib.sha1(text).hexdigest()[:10]),
              bytes([sel]) + text)
        m = re.search(rb"p=([A-Za-z0-9+/=]{20,})", text)
        if sel == 2 and m:
            try:
                der = base64.b64decode(m.group(1))
                write(outdir, "records", "der-%s" % hashlib.sha1(der).hexdigest()[:10],
                      b"\3" + der)
            except ValueError:
                pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--real")
    ap.add_argument("--real-out")
    args = ap.parse_args()

    scratch = os.path.join(args.out, ".scratch")
    os.makedirs(scratch, exist_ok=True)
    mail_seeds(args.out)
    generated_seeds(args.out, scratch)
    os.rmdir(scratch)
    csv_seeds(args.out)
    http_seeds(args.out)
    config_seeds(args.out)
    records = zone_records()
    dns_seeds(args.out, records)
    record_seeds(args.out, records)
    if args.real and args.real_out and os.path.isdir(args.real):
        real_xml(args.real, args.real_out)


if __name__ == "__main__":
    main()
