#!/usr/bin/env python3
"""gen-report.py -- big DMARC aggregate reports for tests and benchmarks.

Needs nothing but Python 3's standard library (no ../shared).  Output is
deterministic for a given seed.  Memory stays small whatever the size: the
XML is written as it is generated.

  gen-report.py report --records N --out FILE [--format xml|gz|zip|eml]
                [--seed S] [--org ORG] [--id ID] [--domain D] [--compact]
      writes one report with N records to FILE: plain XML, gzip, a zip with
      one entry, or a whole report mail (.eml: gzip attachment, base64);
      the format defaults from FILE's extension (.xml, .gz, .zip, .eml).
      Prints "records<TAB>count_sum" on stdout.  Sizes: ~750 bytes of XML a
      record (~550 with --compact), so 1,000,000 records inflate past
      dmarcstat's default unpack_max_bytes (256 MiB): raise it for such tests.

  gen-report.py maildir --mails M --records-per-mail R --out DIR [--seed S]
                [--domain D]
      writes a maildir DIR/{new,cur,tmp} of M report mails (each with one
      gzip report of R records, unique report ids, delivered through tmp/)
      and DIR/expected.tsv in the samples/expected.tsv format
      (file, org_name, report_id, domain, records, count_sum, then TOTAL).
      Prints the TOTAL "records<TAB>count_sum" on stdout.

  gen-report.py maildir ... [--format gz|zip|mixed]
      the attachment of each mail: gzip (the default), zip, or alternately
      zip and gzip (mail i is a zip when i is even).

  gen-report.py corpus --records N --domains D --days DAYS --out DIR
                [--reports R] [--seed S] [--format gz|zip|xml] [--jobs J]
      writes a flat directory of report files DIR/DDD-JJJJJ.xml.gz (domain
      number, report number) holding N records in about R reports (default
      N / 500) for D domains over DAYS days ending 2026-09-30 (the day
      before `report`'s default date), for dashboards and load tests.
      Domain k (from 0, named dKKK-example.com) gets a share of the records
      proportional to 1 / (k + 1) (Zipf: a few large domains, a long tail
      of small ones) and of the reports proportional to its square root
      (at least one every ten days, at most four a day, one reporting
      organisation after another), spread evenly over the days.  A domain
      keeps its own pool of 4096 sources from report to report; one record
      in four comes from a fresh random IPv6 address instead (spoofers,
      botnets), so a large domain has hundreds of thousands of distinct
      sources over the year.  Writes DIR/domains.tsv (domain, rank,
      reports, records, count_sum, first_day, last_day; largest first) and
      prints the TOTAL "records<TAB>count_sum".  Deterministic for a given
      seed whatever --jobs (default: the number of cores).

Records mix IPv4 and IPv6 sources (documentation ranges only), aligned and
unaligned SPF/DKIM, one or two DKIM results, override reasons, and all three
dispositions; counts are mostly small with a long tail.
"""
import argparse
import base64
import gzip
import io
import math
import multiprocessing
import os
import random
import re
import sys
import tempfile
import zipfile

BEGIN = 1790812800                   # 2026-10-01 00:00:00 UTC
DAY = 86400
ZIP_DT = (2026, 10, 2, 0, 0, 0)
ORGS = [("Generator Example", "dmarc@gen-report.example.net"),
        ("Receiver A Example", "noreply@receiver-a-example.com"),
        ("Receiver B Example", "dmarc-reports@receiver-b-example.com"),
        ("Receiver C Example", "postmaster@receiver-c.example.org")]


def templates(domain):
    """64 record templates ('%(ip)s', '%(count)d' left open), weighted by repetition."""
    def rec(disp, pdk, pspf, dkims, spf, env=None, reasons=()):
        r = ["  <record>\n    <row>\n      <source_ip>%s</source_ip>\n      <count>%d</count>\n"
             "      <policy_evaluated>\n        <disposition>", disp, "</disposition>\n        <dkim>", pdk,
             "</dkim>\n        <spf>", pspf, "</spf>\n"]
        for typ, comment in reasons:
            r.append("        <reason>\n          <type>%s</type>\n" % typ)
            if comment:
                r.append("          <comment>%s</comment>\n" % comment)
            r.append("        </reason>\n")
        r.append("      </policy_evaluated>\n    </row>\n    <identifiers>\n")
        if env:
            r.append("      <envelope_from>%s</envelope_from>\n" % env)
        r.append("      <header_from>%s</header_from>\n    </identifiers>\n    <auth_results>\n" % domain)
        for d, s, res in dkims:
            r.append("      <dkim>\n        <domain>%s</domain>\n        <selector>%s</selector>\n"
                     "        <result>%s</result>\n      </dkim>\n" % (d, s, res))
        r.append("      <spf>\n        <domain>%s</domain>\n        <scope>mfrom</scope>\n"
                 "        <result>%s</result>\n      </spf>\n    </auth_results>\n  </record>\n" % spf)
        return "".join(r).replace("%s</source_ip>", "%(ip)s</source_ip>").replace(
            "%d</count>", "%(count)d</count>")

    D = domain
    own = rec("none", "pass", "pass", [(D, "s2026", "pass")], (D, "pass"), env=D)
    suite = rec("none", "pass", "pass", [(D, "google", "pass"),
                                         (D.replace(".", "-") + ".gappssmtp.example.net", "20230601", "pass")],
                (D, "pass"))
    esp = rec("none", "pass", "fail", [(D, "esp1", "pass"), ("esp-example.com", "mk", "pass")],
              ("bounce.esp-example.com", "pass"), env="bounce.esp-example.com")
    spf_only = rec("none", "fail", "pass", [("tenant.onmicrosoft-example.com", "selector1", "pass")],
                   (D, "pass"), env=D)
    fwd = rec("none", "fail", "fail", [(D, "google", "fail")], (D, "softfail"),
              reasons=[("local_policy", "arc=pass")])
    fwd2 = rec("none", "fail", "fail", [(D, "s2026", "fail")], (D, "fail"), env=D,
               reasons=[("forwarded", None), ("local_policy", "arc=pass")])
    lst = rec("none", "fail", "fail", [(D, "google", "fail"), ("lists.example.org", "l1", "pass")],
              ("lists.example.org", "pass"), env="lists.example.org", reasons=[("mailing_list", None)])
    spoof_q = rec("quarantine", "fail", "fail", [], (D, "fail"), env=D)
    spoof_r = rec("reject", "fail", "fail", [(D, "default", "fail")], ("mailer.example.net", "none"),
                  env="mailer.example.net")
    spoof_s = rec("none", "fail", "fail", [], (D, "softfail"), reasons=[("sampled_out", None)])
    spoof_n = rec("none", "fail", "fail", [("promo.example.net", "s1", "pass")], ("promo.example.net", "neutral"),
                  env="promo.example.net")
    weights = [(own, 10), (suite, 16), (esp, 8), (spf_only, 6), (fwd, 4), (fwd2, 2), (lst, 4),
               (spoof_q, 4), (spoof_r, 4), (spoof_s, 3), (spoof_n, 3)]
    out = [t for t, w in weights for _ in range(w)]
    assert len(out) == 64, len(out)
    return out


def ip_pool(rng):
    """4096 sources: 768 IPv4 (each 4 times) and 1024 IPv6."""
    v4 = ["%s.%d" % (net, i) for net in ("192.0.2", "198.51.100", "203.0.113") for i in range(256)]
    v6 = ["2001:db8:%x:%x::%x" % (rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16) or 1)
          for _ in range(1024)]
    return v4 * 4 + v6


COUNTS = [1] * 110 + [2] * 50 + [3] * 30 + [4] * 16 + [5] * 10 + [7] * 8 + [12] * 8 + [25] * 8 + \
         [60] * 6 + [150] * 4 + [480] * 3 + [1900] * 2 + [7400]          # 256 entries
assert len(COUNTS) == 256


def write_xml(sink, n, seed, org, email, rid, domain, begin, pool=None, fresh=False, tpl=None):
    """Stream one report into sink(bytes); returns (records, count_sum).
    POOL: the 4096 sources to draw from (default: drawn from SEED); FRESH:
    one record in four gets a new random IPv6 source instead; TPL: the
    domain's templates when the caller keeps them."""
    rng = random.Random(seed)
    ips = ip_pool(rng) if pool is None else pool
    if tpl is None:
        tpl = templates(domain)
        if COMPACT:
            tpl = [squeeze(t) for t in tpl]
    sink(squeeze('<?xml version="1.0" encoding="UTF-8"?>\n<feedback>\n  <version>1.0</version>\n'
          "  <report_metadata>\n    <org_name>%s</org_name>\n    <email>%s</email>\n"
          "    <report_id>%s</report_id>\n    <date_range>\n      <begin>%d</begin>\n"
          "      <end>%d</end>\n    </date_range>\n  </report_metadata>\n"
          "  <policy_published>\n    <domain>%s</domain>\n    <adkim>r</adkim>\n    <aspf>r</aspf>\n"
          "    <p>quarantine</p>\n    <sp>quarantine</sp>\n    <pct>100</pct>\n    <fo>0</fo>\n"
          "  </policy_published>\n" % (xml_escape(org), xml_escape(email), xml_escape(rid), begin,
                                       begin + DAY - 1, xml_escape(domain))).encode("utf-8"))
    if COMPACT:
        sink(b"\n")
    total = 0
    bits = rng.getrandbits
    done = 0
    while done < n:
        k = min(4096, n - done)
        buf = []
        if fresh:
            for _ in range(k):
                c = COUNTS[bits(8)]
                total += c
                ip = ips[bits(12)] if bits(2) else "2001:db8:%x:%x::%x" % (bits(16), bits(16), bits(16) | 1)
                buf.append(tpl[bits(6)] % {"ip": ip, "count": c})
        else:
            for _ in range(k):
                c = COUNTS[bits(8)]
                total += c
                buf.append(tpl[bits(6)] % {"ip": ips[bits(12)], "count": c})
        sink("".join(buf).encode("ascii"))
        done += k
    sink(b"</feedback>\n")
    return n, total


COMPACT = False     # --compact: no indentation, no newlines between elements


def squeeze(text):
    """Drop the layout whitespace between tags when COMPACT is set."""
    return re.sub(r">\s+<", "><", text).strip() if COMPACT else text


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_name(org_email, domain, begin, ext):
    return "%s!%s!%d!%d%s" % (org_email.split("@")[-1], domain, begin, begin + DAY - 1, ext)


def write_gzip(path, inner_name, n, seed, org, email, rid, domain, begin):
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename=inner_name, mode="wb", fileobj=raw, compresslevel=6, mtime=0) as g:
            return write_xml(g.write, n, seed, org, email, rid, domain, begin)


def zip_bytes(inner, n, seed, org, email, rid, domain, begin):
    """A zip with one entry INNER holding the report, in memory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        zi = zipfile.ZipInfo(inner, date_time=ZIP_DT)
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.create_system = 3
        zi.external_attr = 0o644 << 16
        with z.open(zi, "w") as f:
            res = write_xml(f.write, n, seed, org, email, rid, domain, begin)
    return buf.getvalue(), res


# Reports up to this many records are compressed in memory; larger ones go
# through a temporary file (memory stays small whatever the size).
IN_MEMORY_RECORDS = 100000


def write_eml(path, n, seed, org, email, rid, domain, begin, tmpdir=None, container="gz"):
    """A report mail: text part plus a base64 gzip (or zip) attachment."""
    if container == "zip":
        name = report_name(email, domain, begin, ".zip")
        ctype = "application/zip"
        data, res = zip_bytes(name[:-4] + ".xml", n, seed, org, email, rid, domain, begin)
    else:
        name = report_name(email, domain, begin, ".xml.gz")
        ctype = "application/gzip"
        data = None
        if n <= IN_MEMORY_RECORDS:
            buf = io.BytesIO()
            with gzip.GzipFile(filename=name[:-3], mode="wb", fileobj=buf, compresslevel=6, mtime=0) as g:
                res = write_xml(g.write, n, seed, org, email, rid, domain, begin)
            data = buf.getvalue()
    tmp = None
    if data is None:
        fd, tmp = tempfile.mkstemp(prefix=".gen-report.", suffix=".gz",
                                   dir=tmpdir or os.path.dirname(path) or ".")
        os.close(fd)
    try:
        if tmp is not None:
            res = write_gzip(tmp, name[:-3], n, seed, org, email, rid, domain, begin)
        bnd = "gen-report-%s" % abs(hash_str(rid))
        date = format_date(begin + DAY + 3600 + seed % 3000)
        head = ("Return-Path: <%s>\nDelivered-To: dmarc@%s\nFrom: %s <%s>\nTo: dmarc@%s\n"
                "Date: %s\nMessage-ID: <%s.%d@gen-report.example.net>\n"
                "Subject: Report Domain: %s Submitter: %s Report-ID: <%s>\nMIME-Version: 1.0\n"
                'Content-Type: multipart/mixed; boundary="%s"\n\n'
                "--%s\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n"
                "DMARC aggregate report for %s (%d records), generated by gen-report.py.\n\n"
                '--%s\nContent-Type: %s; name="%s"\nContent-Transfer-Encoding: base64\n'
                'Content-Disposition: attachment; filename="%s"\n\n'
                % (email, domain, mime_word(org), email, domain, date, hash_str(rid) & 0xffffffff, seed,
                   domain, email.split("@")[-1], rid, bnd, bnd, domain, n, bnd, ctype, name, name))
        with open(path, "wb") as out, (open(tmp, "rb") if tmp else io.BytesIO(data)) as gz:
            out.write(head.encode("utf-8"))
            while True:
                block = gz.read(57 * 1024)          # 57 bytes -> one 76-character line
                if not block:
                    break
                b = base64.b64encode(block)
                out.write(b"\n".join(b[i:i + 76] for i in range(0, len(b), 76)) + b"\n")
            out.write(("\n--%s--\n" % bnd).encode("ascii"))
        return res
    finally:
        # Only big reports leave a file to remove: an unlink per mail is
        # slow on file systems mounted with online discard.
        if tmp is not None:
            os.unlink(tmp)


def mime_word(s):
    if all(32 <= ord(ch) < 127 for ch in s) and not any(ch in s for ch in '"<>@,;:\\'):
        return s
    return "=?UTF-8?B?%s?=" % base64.b64encode(s.encode("utf-8")).decode("ascii")


def hash_str(s):
    """A stable hash (Python's hash() is salted per process)."""
    h = 1469598103934665603
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def format_date(t):
    import email.utils
    return email.utils.formatdate(t, usegmt=True)


def cmd_report(a):
    global COMPACT
    COMPACT = a.compact
    fmt = a.format
    if fmt is None:
        out = a.out.lower()
        fmt = ("gz" if out.endswith(".gz") else "zip" if out.endswith(".zip")
               else "eml" if out.endswith(".eml") else "xml")
    org = a.org or ORGS[0][0]
    email = ORGS[0][1]
    rid = a.id or "gen-%d-%d" % (a.seed, a.records)
    args = (a.records, a.seed, org, email, rid, a.domain, BEGIN)
    if fmt == "xml":
        with open(a.out, "wb") as f:
            res = write_xml(f.write, *args)
    elif fmt == "gz":
        res = write_gzip(a.out, os.path.basename(a.out)[:-3] if a.out.endswith(".gz")
                         else os.path.basename(a.out), *args)
    elif fmt == "zip":
        inner = report_name(email, a.domain, BEGIN, ".xml")
        with zipfile.ZipFile(a.out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            zi = zipfile.ZipInfo(inner, date_time=ZIP_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 3
            zi.external_attr = 0o644 << 16
            # ~700 bytes a record: past ~5 million the entry needs zip64.
            with z.open(zi, "w", force_zip64=a.records > 5_000_000) as f:
                res = write_xml(f.write, *args)
    elif fmt == "eml":
        res = write_eml(a.out, *args)
    else:
        sys.exit("gen-report: unknown format %r" % fmt)
    print("%d\t%d" % res)


def cmd_maildir(a):
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    rows = []
    tmpdir = os.path.join(a.out, "tmp")
    for i in range(a.mails):
        org, email = ORGS[i % len(ORGS)]
        seed = a.seed * 1000003 + i
        rid = "gen-%d-%06d" % (a.seed, i)
        begin = BEGIN + (i // len(ORGS)) % 28 * DAY
        fn = "%d.%06d.mx.gen-report.example.net" % (begin + DAY + 3600 + i, i)
        tmp = os.path.join(tmpdir, fn)
        container = "zip" if a.format == "zip" or (a.format == "mixed" and i % 2 == 0) else "gz"
        n, c = write_eml(tmp, a.records_per_mail, seed, org, email, rid, a.domain, begin, tmpdir=tmpdir,
                         container=container)
        os.rename(tmp, os.path.join(a.out, "new", fn))
        rows.append((fn, org, rid, a.domain, n, c))
    with open(os.path.join(a.out, "expected.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("file\torg_name\treport_id\tdomain\trecords\tcount_sum\n")
        for r in rows:
            f.write("%s\t%s\t%s\t%s\t%d\t%d\n" % r)
        tot = (sum(r[4] for r in rows), sum(r[5] for r in rows))
        f.write("TOTAL\t\t\t\t%d\t%d\n" % tot)
    print("%d\t%d" % tot)


CORPUS_DAYS_END = BEGIN                 # the corpus ends the day before


def corpus_plan(records, n_domains, days, reports):
    """[(records, reports)] per domain, largest first (see the docstring)."""
    weights = [1.0 / (k + 1) for k in range(n_domains)]
    h = sum(weights)
    recs = [int(records * w / h) for w in weights]
    recs[0] += records - sum(recs)
    roots = [math.sqrt(w) for w in weights]
    r = sum(roots)
    plan = []
    for k in range(n_domains):
        want = int(round(reports * roots[k] / r))
        want = max(want, -(-days // 10))
        want = min(want, days * len(ORGS), recs[k])
        plan.append((recs[k], max(want, 1)))
    return plan


_CORPUS_CACHE = {}


def corpus_one(job):
    """Writes report J of domain K (a pool worker); returns (k, records, count_sum)."""
    out, seed, fmt, days, k, j, n_domain, r_domain = job
    domain = "d%03d-example.com" % k
    if k not in _CORPUS_CACHE:
        _CORPUS_CACHE[k] = (ip_pool(random.Random(seed * 7919 + k)), templates(domain))
    pool, tpl = _CORPUS_CACHE[k]
    n = n_domain // r_domain + (1 if j < n_domain % r_domain else 0)
    day = j * days // r_domain
    begin = CORPUS_DAYS_END - (days - day) * DAY
    org, email = ORGS[(k + j) % len(ORGS)]
    rid = "corpus-%d-%03d-%05d" % (seed, k, j)
    rseed = seed * 1000003 + k * 100003 + j
    base = os.path.join(out, "%03d-%05d" % (k, j))
    args = (n, rseed, org, email, rid, domain, begin, pool, True, tpl)
    if fmt == "xml":
        with open(base + ".xml", "wb") as f:
            res = write_xml(f.write, *args)
    elif fmt == "zip":
        inner = report_name(email, domain, begin, ".xml")
        with zipfile.ZipFile(base + ".zip", "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            zi = zipfile.ZipInfo(inner, date_time=ZIP_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 3
            zi.external_attr = 0o644 << 16
            with z.open(zi, "w") as f:
                res = write_xml(f.write, *args)
    else:
        with open(base + ".xml.gz", "wb") as raw:
            with gzip.GzipFile(filename=os.path.basename(base) + ".xml", mode="wb", fileobj=raw,
                               compresslevel=6, mtime=0) as g:
                res = write_xml(g.write, *args)
    return k, res[0], res[1]


def cmd_corpus(a):
    if a.records < a.domains:
        sys.exit("gen-report: corpus: at least one record per domain (--records >= --domains)")
    os.makedirs(a.out, exist_ok=True)
    plan = corpus_plan(a.records, a.domains, a.days, a.reports or max(1, a.records // 500))
    jobs = [(a.out, a.seed, a.format, a.days, k, j, n, r)
            for k, (n, r) in enumerate(plan) for j in range(r)]
    sums = [[0, 0] for _ in plan]
    n_jobs = a.jobs or os.cpu_count() or 1
    if n_jobs > 1:
        with multiprocessing.Pool(n_jobs) as p:
            results = list(p.imap_unordered(corpus_one, jobs, chunksize=8))
    else:
        results = [corpus_one(j) for j in jobs]
    for k, n, c in results:
        sums[k][0] += n
        sums[k][1] += c
    first = format_day(CORPUS_DAYS_END - a.days * DAY)
    last = format_day(CORPUS_DAYS_END - DAY)
    with open(os.path.join(a.out, "domains.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("domain\trank\treports\trecords\tcount_sum\tfirst_day\tlast_day\n")
        for k, (n, r) in enumerate(plan):
            f.write("d%03d-example.com\t%d\t%d\t%d\t%d\t%s\t%s\n"
                    % (k, k + 1, r, sums[k][0], sums[k][1], first, last))
    print("%d\t%d" % (sum(x[0] for x in sums), sum(x[1] for x in sums)))


def format_day(t):
    import time
    return time.strftime("%Y-%m-%d", time.gmtime(t))


def main():
    ap = argparse.ArgumentParser(description="Generate big DMARC aggregate reports (see the file's docstring).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("report", help="one report with N records")
    r.add_argument("--records", type=int, required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--format", choices=["xml", "gz", "zip", "eml"])
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--org")
    r.add_argument("--id")
    r.add_argument("--domain", default="bench-example.com")
    r.add_argument("--compact", action="store_true",
                   help="no layout whitespace (~25%% smaller XML, one long line like Mail.Ru)")
    m = sub.add_parser("maildir", help="a maildir of M mails, one gzip report each")
    m.add_argument("--mails", type=int, required=True)
    m.add_argument("--records-per-mail", type=int, required=True)
    m.add_argument("--out", required=True)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--domain", default="bench-example.com")
    m.add_argument("--format", choices=["gz", "zip", "mixed"], default="gz",
                   help="attachment: gzip, zip, or zip and gzip alternately")
    c = sub.add_parser("corpus", help="report files for many domains over many days")
    c.add_argument("--records", type=int, required=True)
    c.add_argument("--domains", type=int, default=200)
    c.add_argument("--days", type=int, default=400)
    c.add_argument("--reports", type=int, help="about this many reports (default records / 500)")
    c.add_argument("--out", required=True)
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--format", choices=["gz", "zip", "xml"], default="gz")
    c.add_argument("--jobs", type=int, help="worker processes (default: the number of cores)")
    a = ap.parse_args()
    if getattr(a, "records", 1) < 1 or getattr(a, "records_per_mail", 1) < 1 or getattr(a, "mails", 1) < 0:
        ap.error("a report needs at least one record")
    if a.cmd == "corpus" and (a.domains < 1 or a.days < 1 or (a.reports is not None and a.reports < 1)):
        ap.error("--domains, --days and --reports must be at least 1")
    {"report": cmd_report, "maildir": cmd_maildir, "corpus": cmd_corpus}[a.cmd](a)


if __name__ == "__main__":
    main()
