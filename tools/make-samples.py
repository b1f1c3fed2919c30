#!/usr/bin/env python3
"""make-samples.py -- (re)write the committed sample maildir samples/.

Writes, from nothing but this script (Python 3 standard library only):

  samples/new/<ts>.<nnnn>.mx.bakery-example.com   the report mails
  samples/cur/.gitkeep, samples/tmp/.gitkeep       so the maildir exists in git
  samples/expected.tsv                             one line per report, plus TOTAL
  samples/README.md                                the story and what each mail exercises

The mails tell three weeks (October 2026) in the life of a small company,
bakery-example.com: its own mail server, Google Workspace, Microsoft 365, a
newsletter service, a forwarder, a mailing list and spoofers, reported by
receivers that imitate real reporters' styles (Google, Outlook.com, Enterprise
Outlook, Yahoo, Mail.Ru, Amazon SES, a DMARCbis receiver, small ISPs).  Only
reserved names and documentation address ranges are used for the company and
its senders.

Everything is deterministic: a fixed seed, fixed dates, fixed Message-IDs and
Date headers, fixed zip timestamps and gzip mtime=0.  Running the script twice
gives byte-identical files (with the same zlib).

After writing, the script re-reads every mail with independent code (email,
zipfile, gzip, ElementTree matching by local name) and fails loudly if what it
finds differs from expected.tsv.  With --validate it also runs xmllint against
the RFC 7489 Appendix C schema (reports marked strict) and the DMARCbis schema.

usage: tools/make-samples.py [--out DIR] [--seed N] [--validate [SCHEMA_DIR]]
"""
import argparse
import base64
import datetime
import email
import gzip
import io
import ipaddress
import os
import quopri
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from xml.sax.saxutils import escape

UTC = datetime.timezone.utc
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DOMAIN = "bakery-example.com"        # the company
SISTER = "patisserie-example.com"    # its parked second brand: p=reject, sends nothing
RUA = "dmarc@bakery-example.com"
MX = "mx.bakery-example.com"
SWITCH_DAY = 15                       # p=quarantine pct=25 from 2026-10-15
M365_DKIM_DAY = 13                    # custom DKIM enabled in Microsoft 365
NEWSLETTER_WEEKDAY = 1                # Tuesday


def day_begin(day):
    return int(datetime.datetime(2026, 10, day, tzinfo=UTC).timestamp())


def when(day, hms, tz_hours=0):
    """A fixed datetime on 2026-10-<day> at hms (UTC wall clock), shown in tz."""
    h, m, s = (int(x) for x in hms.split(":"))
    t = datetime.datetime(2026, 10, day, h, m, s, tzinfo=UTC)
    return t.astimezone(datetime.timezone(datetime.timedelta(hours=tz_hours)))


def weekday(day):
    return datetime.date(2026, 10, day).weekday()


def org_of(domain):
    """Organizational domain, good enough for this story's names."""
    d = domain.lower().rstrip(".")
    parts = d.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else d


# --------------------------------------------------------------------------
# The world: who sends mail as bakery-example.com
# --------------------------------------------------------------------------

class Source:
    def __init__(self, key, role, ips4, ips6, kind, volume, auth):
        self.key, self.role, self.kind = key, role, kind
        self.ips4, self.ips6 = ips4, ips6      # [(ip, weight)]
        self.volume = volume                   # day -> messages sent to all receivers
        self.auth = auth                       # (day, rng) -> (header_from, env_from, dkims, spf)


def _weekday_volume(weekday_n, weekend_n):
    return lambda day: weekday_n if weekday(day) < 5 else weekend_n


def _own_auth(day, rng):
    return DOMAIN, DOMAIN, [(DOMAIN, "mx2026", "pass")], (DOMAIN, "pass")


def _gws_auth(day, rng):
    return DOMAIN, DOMAIN, [(DOMAIN, "google", "pass"),
                            ("bakery-example-com.20230601.gappssmtp-example.com", "20230601", "pass")], \
        (DOMAIN, "pass")


def _m365_auth(day, rng):
    if day < M365_DKIM_DAY:   # tenant default: signs only with its onmicrosoft domain
        dk = [("bakeryexample.onmicrosoft-example.com", "selector1-bakeryexample-onmicrosoft-com", "pass")]
    else:
        dk = [(DOMAIN, "selector1", "pass")]
    return DOMAIN, DOMAIN, dk, (DOMAIN, "pass")


def _esp_auth(day, rng):
    return "news." + DOMAIN, "bounce.mailwave-example.com", \
        [(DOMAIN, "mw1", "pass"), ("mailwave-example.com", "mwesp", "pass")], \
        ("bounce.mailwave-example.com", "pass")


def _fwd_keep_auth(day, rng):
    return DOMAIN, DOMAIN, [(DOMAIN, "google", "pass")], (DOMAIN, "softfail")


def _fwd_break_auth(day, rng):
    return DOMAIN, DOMAIN, [(DOMAIN, "google", "fail")], (DOMAIN, "softfail")


def _list_auth(day, rng):
    return DOMAIN, "lists.example.org", \
        [(DOMAIN, "google", "fail"), ("lists.example.org", "list2026", "pass")], \
        ("lists.example.org", "pass")


SOURCES = [
    Source("own", "mx1/mx2.bakery-example.com: own Postfix (webshop orders, invoices)",
           [("192.0.2.10", 5), ("192.0.2.11", 2)], [("2001:db8:b4e:1::10", 1)], "legit",
           _weekday_volume(260, 70), _own_auth),
    Source("gws", "Google Workspace outbound (staff mail)",
           [("198.51.100.17", 4), ("198.51.100.18", 3), ("198.51.100.45", 1)],
           [("2001:db8:4860:4864::1b", 3), ("2001:db8:4860:4864::2c", 2)], "legit",
           _weekday_volume(1100, 180), _gws_auth),
    Source("m365", "Microsoft 365 outbound (catering team's tenant)",
           [("203.0.113.20", 3), ("203.0.113.21", 2), ("203.0.113.22", 1)],
           [("2001:db8:a365:2::15", 1)], "legit",
           _weekday_volume(240, 15), _m365_auth),
    Source("esp", "MailWave newsletter service (mailwave-example.com), bounce domain bounce.mailwave-example.com",
           [("198.51.100.140", 3), ("198.51.100.141", 3), ("198.51.100.142", 2), ("198.51.100.143", 1)],
           [], "legit",
           lambda day: 3200 if weekday(day) == NEWSLETTER_WEEKDAY else 35, _esp_auth),
    Source("fwd_keep", "forward.example.org: customer's forwarding address (DKIM survives, SPF breaks)",
           [("203.0.113.77", 1)], [], "fwd_keep", lambda day: 28, _fwd_keep_auth),
    Source("fwd_break", "alumni.example.net: forwarder that adds a footer (DKIM and SPF break, ARC sealed)",
           [("198.51.100.77", 2)], [("2001:db8:a1::77", 1)], "fwd_break", lambda day: 18, _fwd_break_auth),
    Source("list", "lists.example.org: bakers' mailing list (subject tag breaks DKIM)",
           [("198.51.100.200", 2)], [("2001:db8:115::25", 1)], "list",
           _weekday_volume(34, 8), _list_auth),
]

SPOOF_V4 = ["203.0.113.%d" % i for i in range(130, 255, 3)] + \
           ["198.51.100.%d" % i for i in range(230, 251, 2)]
SPOOF_V6 = ["2001:db8:bad:%x::%x" % (i, i * 7 + 1) for i in range(1, 40)]
SPOOF_ENV = ["promo-deals.example.net", "invoice-center.example.net", "mailer.example.org"]


def spoof_flows(rng, n, domain, v6share):
    out = []
    for _ in range(n):
        ip = rng.choice(SPOOF_V6) if rng.random() < v6share else rng.choice(SPOOF_V4)
        count = rng.choice([1, 1, 1, 1, 2, 2, 3, 4, 6, 9])
        hf = domain
        if domain == DOMAIN and rng.random() < 0.2:
            hf = "billing." + DOMAIN          # a subdomain that does not exist
        r = rng.random()
        if r < 0.45:
            env, spf = hf, ("softfail" if domain == DOMAIN else "fail")
        else:
            env = rng.choice(SPOOF_ENV)
            spf = rng.choice(["pass", "none", "neutral", "fail"])
        r = rng.random()
        if r < 0.5:
            dk = []
        elif r < 0.8:
            dk = [(domain, "default", "fail")]
        else:                                 # signed, but by the spammer's own domain
            dk = [(rng.choice(SPOOF_ENV), "s1", "pass")]
        out.append(dict(kind="spoof", ip=ip, count=count, header_from=hf, envelope_from=env,
                        dkim=dk, spf=(env, spf)))
    return out


def split(n, weights, rng):
    """Split n messages over weighted buckets (deterministic for the rng)."""
    tot = sum(weights)
    out = [int(n * w / tot) for w in weights]
    rest = n - sum(out)
    for _ in range(rest):
        x = rng.random() * tot
        for i, w in enumerate(weights):
            x -= w
            if x < 0:
                out[i] += 1
                break
        else:
            out[-1] += 1
    return out


def flows(rep, day, domain, rng):
    """Raw traffic that reporter rep saw on day for domain (before DMARC evaluation)."""
    out = []
    if domain == DOMAIN:
        for src in SOURCES:
            n = round(src.volume(day) * rep["share"] * rng.uniform(0.85, 1.15))
            if n <= 0:
                continue
            v6 = rep["v6"] if src.ips6 else 0.0
            n6 = round(n * v6)
            groups = [(src.ips4, n - n6), (src.ips6, n6)]
            for ips, m in groups:
                if m <= 0 or not ips:
                    continue
                for (ip, _w), c in zip(ips, split(m, [w for _, w in ips], rng)):
                    if c <= 0:
                        continue
                    hf, env, dk, spf = src.auth(day, rng)
                    out.append(dict(kind=src.kind, ip=ip, count=c, header_from=hf,
                                    envelope_from=env, dkim=dk, spf=spf))
    lo, hi = rep["spoofers"]
    out += spoof_flows(rng, rng.randint(lo, hi), domain, rep["v6"])
    return out


def published(day, domain):
    """The DMARC record as reported: ordered dict of policy_published fields."""
    if domain == SISTER:
        pol = dict(p="reject", sp="reject", np="reject", pct="100")
    elif day < SWITCH_DAY:
        pol = dict(p="none", sp="none", np="none", pct="100")
    else:
        pol = dict(p="quarantine", sp="quarantine", np="reject", pct="25")
    pol.update(adkim="r", aspf="r", fo="0")
    return pol


def evaluate(rep, day, domain, fl, rng):
    """Apply DMARC as this reporter would: returns 1 or 2 records for a flow."""
    pol = published(day, domain)
    bis = rep.get("bis", False)
    dkim_ok = any(r == "pass" and org_of(d) == org_of(fl["header_from"]) for d, _s, r in fl["dkim"])
    spf_ok = fl["spf"][1] == "pass" and org_of(fl["spf"][0]) == org_of(fl["header_from"])
    base = dict(fl, pe_dkim="pass" if dkim_ok else "fail", pe_spf="pass" if spf_ok else "fail",
                reasons=[])
    if fl["header_from"] == domain:
        policy = pol["p"]
    elif fl["header_from"].startswith("billing.") and bis:
        policy = pol["np"]           # the DMARCbis receiver knows it does not exist
    else:
        policy = pol["sp"]
    if dkim_ok or spf_ok:
        return [dict(base, disposition="pass" if (bis and policy != "none") else "none")]
    if policy == "none":
        return [dict(base, disposition="none")]
    how = rep["override"].get(fl["kind"], "sample")
    if isinstance(how, list):
        return [dict(base, disposition="none", reasons=list(how))]
    pct = 100 if (bis or how == "enforce") else int(pol["pct"])
    hit = sum(1 for _ in range(fl["count"]) if rng.random() * 100 < pct)
    out = []
    if hit:
        out.append(dict(base, count=hit, disposition=policy))
    if fl["count"] - hit:
        out.append(dict(base, count=fl["count"] - hit, disposition="none",
                        reasons=[("sampled_out", None)]))
    return out


def split_envelope_to(recs, targets, rng):
    """Outlook splits each tuple by recipient domain."""
    out = []
    for r in recs:
        parts = split(r["count"], [w for _, w in targets], rng)
        for (dom, _w), c in zip(targets, parts):
            if c:
                out.append(dict(r, count=c, envelope_to=dom))
    return out


def merge(recs):
    seen, out = {}, []
    for r in recs:
        key = (r["ip"], r["disposition"], r["pe_dkim"], r["pe_spf"], tuple(r["reasons"]),
               r["header_from"], r["envelope_from"], r.get("envelope_to"), tuple(r["dkim"]), r["spf"])
        if key in seen:
            seen[key]["count"] += r["count"]
        else:
            seen[key] = dict(r)
            out.append(seen[key])
    return out


# --------------------------------------------------------------------------
# Reporters and their XML styles
# --------------------------------------------------------------------------

GOOGLE_OVR = {"fwd_break": [("local_policy", "arc=pass")], "list": [("local_policy", "arc=pass")]}
REPORTERS = {
    "google": dict(org="google.com", email="noreply-dmarc-support@google.com",
                   extra="https://support.google.com/a/answer/2466580", style="google",
                   share=0.42, v6=0.45, spoofers=(5, 9), override=GOOGLE_OVR, fname="google.com"),
    "outlookcom": dict(org="Outlook.com", email="dmarcreport@microsoft.com", style="outlook",
                       share=0.10, v6=0.0, spoofers=(2, 4), fname="protection.outlook.com",
                       override={"fwd_break": [("forwarded", None)]},
                       envelope_to=[("outlook.com", 3), ("hotmail.com", 2)]),
    "enterprise": dict(org="Enterprise Outlook", email="dmarcreport@microsoft.com", style="outlook",
                       share=0.18, v6=0.1, spoofers=(2, 5), fname="enterprise.protection.outlook.com",
                       override={"fwd_break": [("forwarded", None), ("local_policy", "arc=pass")],
                                 "list": [("mailing_list", None)]},
                       envelope_to=[("grandhotel-example.com", 4), ("flour-supplier-example.com", 2),
                                    ("cityhall.example.org", 2), ("catering-client.example.net", 1)]),
    "yahoo": dict(org="Yahoo", email="dmarchelp@yahooinc.com", style="yahoo", share=0.07, v6=0.0,
                  spoofers=(1, 3), fname="yahoo.com", override={"list": [("mailing_list", None)]}),
    "mailru": dict(org="Mail.Ru", email="dmarc_support@corp.mail.ru",
                   extra="http://help.mail.ru/mail-help", style="mailru", share=0.012, v6=1.0,
                   spoofers=(1, 2), fname="mail.ru", override={}),
    "amazon": dict(org="AMAZON-SES", email="postmaster@amazonses.com", style="amazon", share=0.006,
                   v6=0.0, spoofers=(0, 1), fname="amazonses.com", override={}),
    "kabelnetz": dict(org="Kabelnetz Süd Example", email="dmarc-reports@kabelnetz-example.com",
                      extra="https://kabelnetz-example.com/postmaster", style="strict", share=0.02,
                      v6=0.3, spoofers=(1, 2), fname="kabelnetz-example.com", override={}),
    "mailhaus": dict(org="Mailhaus Example", email="dmarc@mailhaus-example.com", style="strict",
                     share=0.015, v6=0.0, spoofers=(1, 3), fname="mailhaus-example.com", override={}),
    "webpost": dict(org="Webpost Example", email="postmaster@webpost-example.com", style="webpost",
                    share=0.02, v6=0.2, spoofers=(1, 3), fname="webpost-example.com", override={}),
    "regionet": dict(org="Regionet Example", email="abuse@regionet-example.com", style="upper",
                     share=0.015, v6=0.0, spoofers=(1, 2), fname="regionet-example.com", override={}),
    "postbox": dict(org="Postbox Example", email="dmarc-noreply@postbox-example.com",
                    extra="https://postbox-example.com/help/dmarc", style="bis", share=0.03, v6=0.3,
                    spoofers=(2, 4), fname="postbox-example.com", bis=True,
                    override={"fwd_break": [("local_policy", "arc=pass")],
                              "list": [("mailing_list", "list-id=bakers.lists.example.org")]}),
}


def node(tag, content, attrs=()):
    return (tag, content, list(attrs))


def serialize(root, decl, indent="  ", nl="\n", trail="", attrs_root=()):
    out = [decl + trail + nl if decl else ""]

    def ser(n, depth):
        tag, content, attrs = n
        a = "".join(' %s="%s"' % (k, escape(v, {'"': "&quot;"})) for k, v in attrs)
        pad = indent * depth
        if isinstance(content, list):
            out.append("%s<%s%s>%s%s" % (pad, tag, a, trail, nl))
            for c in content:
                ser(c, depth + 1)
            out.append("%s</%s>%s%s" % (pad, tag, trail, nl))
        else:
            out.append("%s<%s%s>%s</%s>%s%s" % (pad, tag, a, escape(content), tag, trail, nl))
    ser(root, 0)
    return "".join(out)


def full_ipv6(ip):
    """8-group form without '::' (what the RFC 7489 schema pattern accepts)."""
    a = ipaddress.ip_address(ip)
    if a.version == 4:
        return ip
    return ":".join("%x" % int(g, 16) for g in a.exploded.split(":"))


HUMAN_DKIM = {"pass": "good signature", "fail": "signature did not verify (body hash mismatch)"}
HUMAN_SPF = {"pass": "sender is authorized", "softfail": "sender not authorized (~all)",
             "fail": "sender not authorized (-all)", "none": "no SPF record",
             "neutral": "neutral (?all)"}


def record_tree(r, style):
    up = (lambda s: s.capitalize()) if style == "upper" else (lambda s: s)
    ip = full_ipv6(r["ip"]) if style == "strict" else r["ip"]
    pe = [node("disposition", up(r["disposition"])), node("dkim", up(r["pe_dkim"])),
          node("spf", up(r["pe_spf"]))]
    for typ, comment in r["reasons"]:
        pe.append(node("reason", [node("type", typ)] + ([node("comment", comment)] if comment else [])))
    row = node("row", [node("source_ip", ip), node("count", str(r["count"])), node("policy_evaluated", pe)])
    if style == "google" or style == "yahoo" or style == "mailru" or style == "amazon":
        ids = [node("header_from", r["header_from"])]
    elif style == "outlook":
        ids = [node("envelope_to", r["envelope_to"]), node("envelope_from", r["envelope_from"]),
               node("header_from", r["header_from"])]
    elif style == "bis":
        ids = [node("header_from", r["header_from"]), node("envelope_from", r["envelope_from"])]
    else:
        ids = [node("envelope_from", r["envelope_from"]), node("header_from", r["header_from"])]
    auth = []
    for d, s, res in r["dkim"]:
        if style == "google":
            auth.append(node("dkim", [node("domain", d), node("result", res), node("selector", s)]))
        elif style == "amazon":
            auth.append(node("dkim", [node("domain", d), node("result", res)]))
        elif style == "bis":
            auth.append(node("dkim", [node("domain", d), node("selector", s), node("result", res),
                                      node("human_result", HUMAN_DKIM[res])]))
        else:
            auth.append(node("dkim", [node("domain", d), node("selector", s), node("result", up(res))]))
    sd, sr = r["spf"]
    if style in ("google", "yahoo", "amazon"):
        auth.append(node("spf", [node("domain", sd), node("result", sr)]))
    elif style == "bis":
        auth.append(node("spf", [node("domain", sd), node("scope", "mfrom"), node("result", sr),
                                 node("human_result", HUMAN_SPF[sr])]))
    else:
        auth.append(node("spf", [node("domain", sd), node("scope", "mfrom"), node("result", up(sr))]))
    return node("record", [row, node("identifiers", ids), node("auth_results", auth)])


POLICY_FIELDS = {
    "google": ["adkim", "aspf", "p", "sp", "pct"],
    "outlook": ["adkim", "aspf", "p", "sp", "pct", "fo"],
    "yahoo": ["adkim", "aspf", "p", "pct"],
    "mailru": ["adkim", "aspf", "p", "sp", "pct"],
    "amazon": ["adkim", "aspf", "p", "pct"],
    "strict": ["adkim", "aspf", "p", "sp", "pct", "fo"],
    "webpost": ["adkim", "aspf", "p", "sp", "pct", "fo"],
    "upper": ["adkim", "aspf", "p", "sp", "pct"],
    "bis": ["p", "sp", "np", "adkim", "aspf", "discovery_method", "testing"],
}


def report_xml(rep, rpt):
    """Serialize one report in its reporter's style; returns bytes."""
    style = rep["style"]
    pol = published(rpt["day"], rpt["domain"])
    pol.update(discovery_method="treewalk", testing="n")
    dr = node("date_range", [node("begin", str(rpt["begin"])),
                             node("end", str(rpt["end"]) + rpt.get("end_pad", ""))])
    md = [node("org_name", rep["org"]), node("email", rep["email"])]
    if rep.get("extra"):
        md.append(node("extra_contact_info", rep["extra"], [("lang", "en")] if style == "bis" else ()))
    md += [node("report_id", rpt["rid"]), dr]
    if style == "bis":
        md.append(node("generator", "Postbox MTA dmarc-reporter/4.2.1"))
    pp = [node("domain", rpt["domain"])] + [node(k, pol[k]) for k in POLICY_FIELDS[style]]
    kids = []
    if style in ("outlook", "strict", "upper", "bis", "webpost"):
        kids.append(node("version", "1.0"))
    elif style == "amazon":
        kids.append(node("version", "0.1"))
    kids += [node("report_metadata", md), node("policy_published", pp)]
    kids += [record_tree(r, style) for r in rpt["records"]]
    attrs = []
    if style == "outlook":
        attrs = [("xmlns:xsd", "http://www.w3.org/2001/XMLSchema"),
                 ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")]
    elif style == "bis":
        attrs = [("xmlns", "urn:ietf:params:xml:ns:dmarc-2.0")]
    root = node("feedback", kids, attrs)
    if style == "google":
        text = serialize(root, '<?xml version="1.0" encoding="UTF-8" ?>')
    elif style == "outlook":
        text = serialize(root, '<?xml version="1.0"?>')
    elif style == "yahoo":
        text = serialize(root, '<?xml version="1.0"?>', trail="\t")
    elif style == "mailru":
        text = serialize(root, "<?xml version='1.0' encoding='utf-8'?>", indent="", nl="") + "\n"
        text = text.replace("?><feedback>", "?>\n<feedback>", 1)
    elif style == "amazon":
        text = serialize(root, '<?xml version="1.0"?>', indent="\t")
    elif style == "bis":
        text = serialize(root, '<?xml version="1.0" encoding="UTF-8"?>')
    elif style == "upper":
        text = serialize(root, '<?xml version="1.0" encoding="UTF-8"?>', indent="    ")
    else:
        text = serialize(root, '<?xml version="1.0" encoding="UTF-8"?>')
    data = text.encode("utf-8")
    if rpt.get("bom"):
        data = b"\xef\xbb\xbf" + data
    return data


# --------------------------------------------------------------------------
# Containers and mails
# --------------------------------------------------------------------------

def make_zip(entries, dt):
    """entries: [(name, bytes)] -> zip bytes with fixed timestamps."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=dt)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 0
            zi.external_attr = 0
            z.writestr(zi, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()


def make_gzip(data, name=None):
    buf = io.BytesIO()
    with gzip.GzipFile(filename=name or "", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(data)
    return buf.getvalue()


def b64(data, width=76):
    s = base64.b64encode(data).decode("ascii")
    return "\n".join(s[i:i + width] for i in range(0, len(s), width))


def rfc2822(dt):
    return format_datetime(dt)


def received(helo, ip, qid, dt):
    return ("Received: from %s (%s [%s])\n\tby %s (Postfix) with ESMTPS id %s\n\tfor <%s>; %s"
            % (helo, helo, ip, MX, qid, RUA, rfc2822(dt)))


def delivery_headers(ret_path, helo, ip, qid, dt, dkim_d):
    return [
        "Return-Path: <%s>" % ret_path,
        "Delivered-To: %s" % RUA,
        received(helo, ip, qid, dt),
        "Authentication-Results: %s;\n\tdkim=pass header.d=%s;\n\tspf=pass smtp.mailfrom=%s;\n\tdmarc=pass header.from=%s"
        % (MX, dkim_d, ret_path.split("@")[-1], dkim_d),
    ]


def fname(rep, rpt, ext, uniq=None):
    f = "%s!%s!%d!%d" % (rep["fname"], rpt["domain"], rpt["begin"], rpt["end"])
    if uniq:
        f += "!" + uniq
    return f + ext


def subject(rep, rpt, submitter=None, brackets=False, lower=False):
    rid = "<%s>" % rpt["rid"] if brackets else rpt["rid"]
    return "Report %s: %s Submitter: %s Report-ID: %s" % (
        "domain" if lower else "Domain", rpt["domain"], submitter or rep["fname"], rid)


def mail_google(rep, rpt, m):
    name = fname(rep, rpt, ".zip")
    z = make_zip([(name[:-4] + ".xml", rpt["xml"])], m["zipdt"])
    date = when(rpt["day"], "23:59:59", -7)
    h = delivery_headers("noreply-dmarc-support@google.com", "mail-sor-f73.google.com", "192.0.2.141",
                         m["qid"], m["dt"], "google.com")
    h += ["MIME-Version: 1.0",
          "Date: %s" % rfc2822(date),
          "Message-ID: <%s@google.com>" % rpt["rid"],
          "Subject: %s" % subject(rep, rpt, lower=True),
          "From: noreply-dmarc-support@google.com",
          "To: %s" % m.get("to", RUA),
          'Content-Type: application/zip; \n\tname="%s"' % name,
          'Content-Disposition: attachment; \n\tfilename="%s"' % name,
          "Content-Transfer-Encoding: base64"]
    return "\n".join(h) + "\n\n" + b64(z) + "\n"


OUTLOOK_HTML = ("<div style =\"font-family:Segoe UI; font-size:14px;\">This is a DMARC aggregate report "
                "from Microsoft Corporation. For Emails received between {b} UTC to {e} UTC.</ div><br />"
                "<br />You're receiving this email because you have included your email address in the "
                "'rua' tag of your DMARC record in DNS for {d}. Please remove your email address from "
                "the 'rua' tag if you don't want to receive this email.<br /><br /><div style ="
                "\"font-family:Segoe UI; font-size:12px; color:#666666;\">Please do not respond to this "
                "e-mail. This mailbox is not monitored and you will not receive a response.</ div >")


def mail_outlook(rep, rpt, m):
    name = fname(rep, rpt, ".xml.gz")
    gz = make_gzip(rpt["xml"])
    bnd = "_mpm_%spiotk5m200exchangecorpm_" % m["hex"]
    fmt = lambda t: datetime.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%S")
    html = OUTLOOK_HTML.format(b=fmt(rpt["begin"]), e=fmt(rpt["end"]), d=rpt["domain"]).encode()
    prefix = "[Preview] " if rep["org"] == "Enterprise Outlook" and m.get("preview") else ""
    h = delivery_headers("dmarcreport@microsoft.com", "mail-eopbgr%s.outbound.protection.outlook.com"
                         % m["qid"][-3:].lower(), "192.0.2.150", m["qid"], m["dt"], "microsoft.com")
    h += ["Message-ID: <%s@microsoft.com>" % rpt["rid"],
          "MIME-Version: 1.0",
          'From: "DMARC Aggregate Report" <dmarcreport@microsoft.com>',
          "To: <%s>" % RUA,
          "Subject: %s%s" % (prefix, subject(rep, rpt)),
          'Content-Type: multipart/mixed;\n\tboundary="%s"' % bnd,
          "Date: %s" % rfc2822(m["date"])]
    rv, av = bnd.replace("_mpm_", "_rv_"), bnd.replace("_mpm_", "_av_")
    body = ["This is a multi-part message in MIME format.", "",
            "--" + bnd, 'Content-Type: multipart/related;\n\tboundary="%s"' % rv, "",
            "--" + rv, 'Content-Type: multipart/alternative;\n\tboundary="%s"' % av, "",
            "--" + av, "", "",
            "--" + av, "Content-Type: text/html; charset=us-ascii", "Content-Transfer-Encoding: base64", "",
            b64(html, 78), "",
            "--" + av + "--", "",
            "--" + rv + "--", "",
            "--" + bnd,
            "Content-Type: application/gzip",
            "Content-Transfer-Encoding: base64",
            "Content-ID: <%s>" % m["cid"],
            "Content-Description: %s" % name,
            'Content-Disposition: attachment; filename="%s";' % name, "",
            b64(gz), "",
            "--" + bnd + "--", ""]
    return "\n".join(h) + "\n\n" + "\n".join(body)


YAHOO_TEXT = ("This is an aggregate DMARC report from Yahoo. Your domain {d} has a DMARC record set up. "
              "You are receiving this report because your email address is included in the 'rua' tag of "
              "that domain.  If you no longer wish to receive these reports, or if you would like them to "
              "be sent to a different location, kindly update or remove this record or collaborate with "
              "your hosting provider.\n\nPlease note that this email address is not monitored, and you "
              "will not receive a response if you reply to this email. For any feedback or questions, "
              "please reach out to dmarchelp@yahooinc.com.")


def mail_yahoo(rep, rpt, m):
    name = fname(rep, rpt, ".xml.gz")
    gz = make_gzip(rpt["xml"], name[:-3])
    bnd = "_----------=_%s" % m["num"]
    h = delivery_headers("noreply@dmarc.yahoo.com", "sonic305-21.consmr.mail.gq1.yahoo.com", "192.0.2.144",
                         m["qid"], m["dt"], "yahoo.com")
    h += ["MIME-Version: 1.0", "Content-Transfer-Encoding: binary",
          'Content-Type: multipart/mixed; boundary="%s"' % bnd,
          "Date: %s" % rfc2822(m["date"]),
          "From: noreply@dmarc.yahoo.com",
          "To: %s" % RUA,
          "Subject: %s" % subject(rep, rpt, brackets=True),
          "Message-Id: <%s@dmarc.yahoo.com>" % m["num2"]]
    body = ["This is a multi-part message in MIME format.", "",
            "--" + bnd, "Content-Disposition: inline", "Content-Transfer-Encoding: 8bit",
            "Content-Type: text/plain", "", YAHOO_TEXT.format(d=rpt["domain"]),
            "--" + bnd,
            'Content-Disposition: attachment; filename="%s"' % name,
            "Content-Transfer-Encoding: base64",
            'Content-Type: application/gzip; name="%s"' % name, "",
            b64(gz), "",
            "--" + bnd + "--", ""]
    return "\n".join(h) + "\n\n" + "\n".join(body)


def mail_mailru(rep, rpt, m):
    name = fname(rep, rpt, ".xml.gz")
    gz = make_gzip(rpt["xml"], name[:-3])
    bnd = "===============%s==" % m["num"]
    h = delivery_headers("dmarc_support@corp.mail.ru", "fallback21.m.smailru.net", "192.0.2.147",
                         m["qid"], m["dt"], "corp.mail.ru")
    h += ['Content-Type: multipart/mixed; boundary="%s"' % bnd,
          "MIME-Version: 1.0",
          "Subject: Report Domain: %s; Submitter: Mail.Ru; Report-ID: %s" % (rpt["domain"], rpt["rid"]),
          "From: %s" % rep["email"], "To: %s" % RUA,
          "Message-ID: <dmarc-%d@corp.mail.ru>" % int(m["date"].timestamp()),
          "Date: %s" % rfc2822(m["date"]),
          "Auto-Submitted: auto-generated"]
    body = ["--" + bnd, "MIME-Version: 1.0", 'Content-Type: text/plain; charset="utf-8"',
            "Content-Transfer-Encoding: base64", "",
            b64(b"This is an aggregate report from Mail.Ru."), "",
            "--" + bnd, "Content-Type: application/gzip", "MIME-Version: 1.0",
            "Content-Transfer-Encoding: base64",
            'Content-Disposition: attachment;\n filename="%s"' % name, "",
            b64(gz),
            "--" + bnd + "--", ""]
    return "\n".join(h) + "\n\n" + "\n".join(body)


def mail_amazon(rep, rpt, m):
    name = fname(rep, rpt, ".xml.gz")
    gz = make_gzip(rpt["xml"], name[:-3])
    bnd = "----=_Part_%s" % m["num"]
    h = delivery_headers("postmaster@amazonses.com", "a7-16.smtp-out.eu-west-1.amazonses.com", "192.0.2.152",
                         m["qid"], m["dt"], "amazonses.com")
    h += ["Date: %s" % rfc2822(m["date"]),
          "From: postmaster@amazonses.com",
          "To: %s" % RUA,
          "Message-ID: <%s-000000@eu-west-1.amazonses.com>" % m["msgid"],
          "Subject: %s" % subject(rep, rpt, submitter="Amazon SES"),
          'Content-Type: multipart/mixed;\n\tboundary="%s"' % bnd,
          "MIME-Version: 1.0"]
    body = ["--" + bnd, "Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 7bit", "",
            "This MIME email was sent through Amazon SES.",
            "--" + bnd, "Content-Type: application/octet-stream; \n\tname=%s" % name,
            "Content-Transfer-Encoding: base64",
            'Content-Disposition: attachment;\n\tfilename="%s"' % name, "",
            b64(gz), "",
            "--" + bnd + "--", ""]
    return "\n".join(h) + "\n\n" + "\n".join(body)


def mail_textxml(rep, rpt, m):
    """An OpenDMARC-style small ISP: uncompressed text/xml, quoted-printable."""
    name = fname(rep, rpt, ".xml")
    bnd = "dmarc-%s" % m["hex"][:16]
    h = delivery_headers("dmarc-reports@kabelnetz-example.com", "relay2.kabelnetz-example.com", "192.0.2.155",
                         m["qid"], m["dt"], "kabelnetz-example.com")
    h += ["From: Kabelnetz =?UTF-8?Q?S=C3=BCd?= DMARC <%s>" % rep["email"],
          "To: %s" % RUA,
          "Date: %s" % rfc2822(m["date"]),
          "Subject: %s" % subject(rep, rpt),
          "Message-ID: <%s@relay2.kabelnetz-example.com>" % m["hex"][:24],
          "MIME-Version: 1.0",
          'Content-Type: multipart/mixed; boundary="%s"' % bnd]
    qp = quopri.encodestring(rpt["xml"]).decode("ascii")
    body = ["This is a MIME-encapsulated message.", "",
            "--" + bnd, "Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 7bit", "",
            "This is a DMARC aggregate report for %s" % rpt["domain"],
            "generated at %s" % rfc2822(m["date"]), "",
            "--" + bnd,
            'Content-Type: text/xml; charset="utf-8"; name="%s"' % name,
            'Content-Disposition: attachment; filename="%s"' % name,
            "Content-Transfer-Encoding: quoted-printable", "",
            qp.rstrip("\n"), "",
            "--" + bnd + "--", ""]
    return "\n".join(h) + "\n\n" + "\n".join(body)


def mail_two_gz(rep, rpts, m):
    """One mail, one gzip attachment per policy domain."""
    bnd = "=_mh_%s" % m["hex"][:20]
    h = delivery_headers(rep["email"], "out1.mailhaus-example.com", "192.0.2.158", m["qid"], m["dt"],
                         "mailhaus-example.com")
    h += ["From: Mailhaus DMARC Reporter <%s>" % rep["email"],
          "To: %s" % RUA,
          "Date: %s" % rfc2822(m["date"]),
          "Subject: Report Domain: %s Submitter: mailhaus-example.com Report-ID: %s" % (
              rpts[0]["domain"], rpts[0]["rid"]),
          "Message-ID: <%s@mailhaus-example.com>" % m["hex"][:20],
          "MIME-Version: 1.0",
          'Content-Type: multipart/mixed; boundary="%s"' % bnd]
    body = ["--" + bnd, "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 7bit", "",
            "DMARC aggregate reports for the domains that list %s in their rua tag:" % RUA,
            "\n".join("  %s (%s)" % (r["domain"], r["rid"]) for r in rpts), ""]
    for r in rpts:
        name = fname(rep, r, ".xml.gz")
        body += ["--" + bnd, 'Content-Type: application/gzip; name="%s"' % name,
                 'Content-Disposition: attachment; filename="%s"' % name,
                 "Content-Transfer-Encoding: base64", "", b64(make_gzip(r["xml"], name[:-3])), ""]
    body += ["--" + bnd + "--", ""]
    return "\n".join(h) + "\n\n" + "\n".join(body)


def mail_zip(rep, rpts, m, ctype="application/zip"):
    """A zip attachment holding one XML file per report."""
    if len(rpts) == 1:
        name = fname(rep, rpts[0], ".zip")
        entries = [(name[:-4] + ".xml", rpts[0]["xml"])]
    else:
        span = dict(rpts[0], end=rpts[-1]["end"])
        name = fname(rep, span, ".zip")
        entries = [(fname(rep, r, ".xml", uniq=r["uniq"]), r["xml"]) for r in rpts]
    z = make_zip(entries, m["zipdt"])
    bnd = "----=_NextPart_%s" % m["hex"][:24]
    host = rep["fname"]
    h = delivery_headers(rep["email"], "mx-out.%s" % host, m["ip"], m["qid"], m["dt"], host)
    h += ["From: %s" % rep["email"],
          "To: %s" % RUA,
          "Date: %s" % rfc2822(m["date"]),
          "Subject: %s" % subject(rep, rpts[0]),
          "Message-ID: <%s.dmarc@%s>" % (m["hex"][:16], host),
          "MIME-Version: 1.0",
          'Content-Type: multipart/mixed;\n\tboundary="%s"' % bnd]
    body = ["This is a multi-part message in MIME format.", "",
            "--" + bnd, "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 7bit", "",
            "Aggregate DMARC report(s) for %s, see attachment." % rpts[0]["domain"], "",
            "--" + bnd, 'Content-Type: %s; name="%s"' % (ctype, name),
            "Content-Transfer-Encoding: base64",
            'Content-Disposition: attachment; filename="%s"' % name, "",
            b64(z), "",
            "--" + bnd + "--", ""]
    return "\n".join(h) + "\n\n" + "\n".join(body)


def mail_bis(rep, rpt, m):
    name = fname(rep, rpt, ".xml.gz", uniq=rpt["uniq"])
    gz = make_gzip(rpt["xml"], name[:-3])
    bnd = "bis-%s" % m["hex"][:20]
    h = delivery_headers(rep["email"], "mta3.postbox-example.com", "192.0.2.160", m["qid"], m["dt"],
                         "postbox-example.com")
    h += ["From: Postbox DMARC <%s>" % rep["email"],
          "To: %s" % RUA,
          "Date: %s" % rfc2822(m["date"]),
          "Subject: Report Domain: %s Submitter: postbox-example.com Report-ID: <%s>" % (rpt["domain"], rpt["rid"]),
          "Message-ID: <%s>" % rpt["rid"].replace("@", ".m@"),
          "Auto-Submitted: auto-generated",
          "MIME-Version: 1.0",
          'Content-Type: multipart/mixed; boundary="%s"' % bnd]
    body = ["--" + bnd, "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 7bit", "",
            "This is a DMARC aggregate report (RFC 9990) for %s." % rpt["domain"], "",
            "--" + bnd, "Content-Type: application/gzip",
            'Content-Disposition: attachment; filename="%s"' % name,
            "Content-Transfer-Encoding: base64", "", b64(gz), "",
            "--" + bnd + "--", ""]
    return "\n".join(h) + "\n\n" + "\n".join(body)


def mail_forwarded(inner_bytes, m, orig_subject):
    """Anna forwards a report mail as an attachment (message/rfc822)."""
    bnd = "------------%s" % m["hex"][:24]
    attname = orig_subject.replace(":", "")
    h = [received("office-pc.bakery-example.com", "192.0.2.10", m["qid"], m["dt"]).replace(
        "Received: from office-pc.bakery-example.com (office-pc.bakery-example.com [192.0.2.10])",
        "Received: from [192.0.2.66] (office-pc.bakery-example.com [192.0.2.66])"),
         "Message-ID: <%s@bakery-example.com>" % m["hex"][:32],
         "Date: %s" % rfc2822(m["date"]),
         "MIME-Version: 1.0",
         "User-Agent: Mozilla Thunderbird",
         "Content-Language: en-US",
         "To: %s" % RUA,
         "From: Anna Becker <anna@bakery-example.com>",
         "Subject: Fwd: %s" % orig_subject,
         'Content-Type: multipart/mixed; boundary="%s"' % bnd]
    body = ["This is a multi-part message in MIME format.",
            "--" + bnd, "Content-Type: text/plain; charset=UTF-8; format=flowed",
            "Content-Transfer-Encoding: 7bit", "",
            "This one came to my mailbox (the old rua address), forwarding it to the",
            "DMARC mailbox.", "", "Anna", "",
            "--" + bnd, "Content-Type: message/rfc822; name=\"%s.eml\"" % attname,
            "Content-Disposition: attachment; filename=\"%s.eml\"" % attname, "",
            inner_bytes.rstrip("\n"), "",
            "--" + bnd + "--", ""]
    return "\n".join(h) + "\n\n" + "\n".join(body)


# --------------------------------------------------------------------------
# The mail plan
# --------------------------------------------------------------------------
# (deliver day, deliver time UTC, reporter, builder, [report days], options)
PLAN = [
    (2, "08:13:27", "google", "google", [1], {}),
    (2, "12:18:50", "outlookcom", "outlook", [1], {}),
    (3, "09:37:15", "yahoo", "yahoo", [2], {}),
    (4, "01:16:46", "enterprise", "outlook", [3], {}),
    (5, "00:33:53", "mailru", "mailru", [4], {}),
    (7, "08:02:11", "google", "google", [6], {}),
    (7, "02:10:04", "kabelnetz", "textxml", [6], {}),
    (8, "10:23:43", "amazon", "amazon", [7], {}),
    (9, "07:41:30", "google", "forwarded", [7], {}),
    (9, "03:05:12", "mailhaus", "two_gz", [8], {"domains": [DOMAIN, SISTER]}),
    (11, "04:44:09", "webpost", "zip2", [9, 10], {"bom": 1}),
    (12, "06:00:21", "postbox", "bis", [11], {}),
    (14, "05:12:40", "regionet", "zip_x", [13], {}),
    (14, "11:52:03", "outlookcom", "outlook", [13], {}),
    (16, "08:05:55", "google", "google", [15], {}),
    (16, "01:22:18", "enterprise", "outlook", [15], {"preview": True}),
    (17, "06:00:17", "postbox", "bis", [16], {}),
    (18, "09:41:02", "yahoo", "yahoo", [17], {"end_pad": " "}),
    (20, "00:35:10", "mailru", "mailru", [19], {}),
    (21, "08:09:48", "google", "google", [20], {}),
    (21, "01:19:33", "enterprise", "outlook", [20], {}),
    (22, "12:20:41", "outlookcom", "outlook", [21], {}),
]

QUIRKS = {
    "google": "single-part application/zip body, no `<version>`, identifiers only header_from, "
              "spf without scope, two DKIM results per Workspace record",
    "outlook": "multipart/related+alternative HTML body, application/gzip, xmlns:xsd/xsi on `<feedback>`, "
               "version 1.0, records split by envelope_to",
    "yahoo": "application/gzip with FNAME, every line ends in a TAB, Report-ID in `<>` in Subject",
    "mailru": "compact one-line XML, single-quoted declaration, IPv6 sources",
    "amazon": "application/octet-stream attachment named .xml.gz, version 0.1, DKIM without selector",
    "textxml": "uncompressed text/xml attachment, quoted-printable, UTF-8 org_name, strict RFC 7489 "
               "(validates against Appendix C, full 8-group IPv6)",
    "forwarded": "report mail forwarded as message/rfc822 attachment (Google zip inside)",
    "two_gz": "TWO report attachments in one mail (two policy domains); strict RFC 7489",
    "zip2": "one zip holding TWO XML reports (two days), the second starts with a UTF-8 BOM",
    "bis": "DMARCbis: xmlns urn:ietf:params:xml:ns:dmarc-2.0, np, testing, discovery_method, "
           "generator, human_result, extra_contact_info lang=",
    "zip_x": "application/x-zip-compressed; capitalised values (Pass, Fail, None, Softfail)",
}


def build(seed):
    """Return [(filename, mail bytes, [report dicts], builder, reporter key, day list)]."""
    mails, used = [], set()
    rng_ids = random.Random("ids:%d" % seed)
    for idx, (dday, dtime, rkey, builder, days, opts) in enumerate(PLAN):
        rep = REPORTERS[rkey]
        rpts = []
        domains = opts.get("domains", [DOMAIN])
        for day in days:
            for domain in domains:
                rng = random.Random("%d:%s:%d:%s" % (seed, rkey, day, domain))
                recs = []
                for fl in flows(rep, day, domain, rng):
                    recs += evaluate(rep, day, domain, fl, rng)
                if rep.get("envelope_to"):
                    recs = split_envelope_to(recs, rep["envelope_to"], rng)
                recs = merge(recs)
                if rep["style"] in ("google", "outlook"):
                    recs.sort(key=lambda r: -r["count"])
                begin = day_begin(day)
                end = begin + (86400 if rep["style"] in ("outlook", "mailru", "amazon") else 86399)
                rpts.append(dict(day=day, domain=domain, begin=begin, end=end, records=recs))
        for r in rpts:
            r["rid"] = report_id(rkey, r, rng_ids)
            r["uniq"] = "%06x" % rng_ids.getrandbits(24)
            key = (rep["org"], r["rid"], r["domain"])
            assert key not in used, key
            used.add(key)
        if opts.get("end_pad"):
            rpts[0]["end_pad"] = opts["end_pad"]
        if opts.get("bom"):
            rpts[opts["bom"]]["bom"] = True
        for r in rpts:
            r["xml"] = report_xml(rep, r)
        dt = when(dday, dtime)
        m = dict(dt=dt, date=dt - datetime.timedelta(minutes=3 + idx % 7, seconds=idx * 7 % 60),
                 qid="4c%02d%s" % (idx, "%09X" % rng_ids.getrandbits(36)),
                 hex="%032x" % rng_ids.getrandbits(128), num="%019d" % rng_ids.getrandbits(62),
                 num2="%d.%06d" % (int(dt.timestamp()), rng_ids.randrange(10 ** 6)),
                 cid="%08x-%04x-4%03x-9%03x-%012x" % tuple(rng_ids.getrandbits(b) for b in (32, 16, 12, 12, 48)),
                 msgid="0102%012x-%08x-%04x-%04x-%04x-%012x" % tuple(
                     rng_ids.getrandbits(b) for b in (48, 32, 16, 16, 16, 48)),
                 zipdt=tuple(datetime.datetime.fromtimestamp(rpts[-1]["end"], UTC).timetuple()[:6]),
                 ip="192.0.2.%d" % (131 + idx), preview=opts.get("preview"))
        if builder == "google":
            text = mail_google(rep, rpts[0], m)
        elif builder == "outlook":
            text = mail_outlook(rep, rpts[0], m)
        elif builder == "yahoo":
            text = mail_yahoo(rep, rpts[0], m)
        elif builder == "mailru":
            text = mail_mailru(rep, rpts[0], m)
        elif builder == "amazon":
            text = mail_amazon(rep, rpts[0], m)
        elif builder == "textxml":
            text = mail_textxml(rep, rpts[0], m)
        elif builder == "two_gz":
            text = mail_two_gz(rep, rpts, m)
        elif builder in ("zip2", "zip_x"):
            text = mail_zip(rep, rpts, m, "application/x-zip-compressed" if builder == "zip_x"
                            else "application/zip")
        elif builder == "bis":
            text = mail_bis(rep, rpts[0], m)
        elif builder == "forwarded":
            inner_m = dict(m, to="anna@bakery-example.com", qid="4b" + m["qid"][2:],
                           dt=m["dt"] - datetime.timedelta(hours=23, minutes=12))
            inner = mail_google(rep, rpts[0], inner_m).replace(
                "Delivered-To: %s" % RUA, "Delivered-To: anna@bakery-example.com").replace(
                "for <%s>;" % RUA, "for <anna@bakery-example.com>;")
            text = mail_forwarded(inner, m, subject(rep, rpts[0], lower=True))
        else:
            raise SystemExit("unknown builder " + builder)
        fn = "%d.%04d.mx.bakery-example.com" % (int(dt.timestamp()), 1000 + rng_ids.randrange(9000))
        mails.append((fn, text.encode("utf-8"), rpts, builder, rkey, days))
    mails.sort(key=lambda x: x[0])
    return mails


def report_id(rkey, r, rng):
    if rkey == "google":
        return str(10 ** 19 + rng.randrange(8 * 10 ** 19))
    if rkey in ("outlookcom", "enterprise"):
        return "%032x" % rng.getrandbits(128)
    if rkey == "yahoo":
        return "%d.%06d" % (r["end"] + 3600 + rng.randrange(7200), rng.randrange(10 ** 6))
    if rkey == "mailru":
        return "%d%d" % (10 ** 18 + rng.randrange(9 * 10 ** 18), r["begin"])
    if rkey == "amazon":
        return "%08x-%04x-4%03x-a%03x-%012x" % tuple(rng.getrandbits(b) for b in (32, 16, 12, 12, 48))
    if rkey == "kabelnetz":
        return "%s:%d" % (r["domain"], r["end"] + 7201)
    if rkey == "mailhaus":
        return "MH-%s-%s" % (datetime.datetime.fromtimestamp(r["begin"], UTC).strftime("%Y%m%d"), r["domain"])
    if rkey == "webpost":
        return "webpost.%s.%04d" % (datetime.datetime.fromtimestamp(r["begin"], UTC).strftime("%Y%m%d"),
                                    rng.randrange(10000))
    if rkey == "regionet":
        return "%016X" % rng.getrandbits(64)
    if rkey == "postbox":
        return "r%s.%06x@postbox-example.com" % (
            datetime.datetime.fromtimestamp(r["begin"], UTC).strftime("%Y%m%d"), rng.getrandbits(24))
    raise KeyError(rkey)


# --------------------------------------------------------------------------
# Independent re-reading (the cross-check)
# --------------------------------------------------------------------------

CANDIDATE_TYPES = {"application/zip", "application/x-zip-compressed", "application/gzip",
                   "application/x-gzip", "text/xml", "application/xml"}


def local(tag):
    return tag.rsplit("}", 1)[-1]


def summarize_xml(data):
    root = ET.fromstring(data)
    if local(root.tag) != "feedback":
        raise ValueError("root is <%s>" % local(root.tag))
    org = rid = dom = None
    nrec = total = 0
    for el in root.iter():
        t = local(el.tag)
        if t == "org_name" and org is None:
            org = el.text.strip()
        elif t == "report_id" and rid is None:
            rid = el.text.strip()
        elif t == "domain" and dom is None and local_parent_is(root, el, "policy_published"):
            dom = el.text.strip()
        elif t == "record":
            nrec += 1
        elif t == "count":
            total += int(el.text.strip())
    return org, rid, dom, nrec, total


def local_parent_is(root, el, name):
    for p in root.iter():
        if local(p.tag) == name and el in list(p):
            return True
    return False


def reread(path):
    """All reports found in one mail file: [(org, rid, domain, records, count_sum)]."""
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f)
    out = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ct = part.get_content_type()
        fn = part.get_filename() or ""
        if ct not in CANDIDATE_TYPES and not fn.endswith((".xml", ".zip", ".gz")):
            continue
        data = part.get_payload(decode=True)
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for n in z.namelist():
                    out.append(summarize_xml(z.read(n)))
        elif data[:2] == b"\x1f\x8b":
            out.append(summarize_xml(gzip.decompress(data)))
        else:
            out.append(summarize_xml(data))
    return out


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def readme(mails, rows, total):
    L = []
    L.append("# samples/ — a small maildir of DMARC aggregate report mails\n")
    L.append("Generated by `tools/make-samples.py` (deterministic; run it again to rewrite this folder "
             "byte for byte). Nothing here is copied from a real reporter: the mails imitate the "
             "styles of real reporters, but every name of the company and its senders is a reserved "
             "example name and every source address is in a documentation range "
             "(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32).\n")
    L.append("`expected.tsv` lists every report (file, org_name, report_id, policy domain, records, "
             "sum of counts) and a TOTAL line; the generator re-reads its own output with Python's "
             "email, zipfile, gzip and ElementTree and refuses to finish if they disagree.\n")
    L.append("**%d mails, %d reports, %d records, %d messages.**\n" % (len(mails), len(rows), total[0], total[1]))
    L.append("## The story\n")
    L.append("bakery-example.com is a bakery with a webshop, a catering team and a weekly newsletter. "
             "In October 2026 it starts DMARC:\n")
    L.append("- 2026-10-01 — 14: `v=DMARC1; p=none; rua=mailto:dmarc@bakery-example.com` (monitoring).")
    L.append("- 2026-10-13: the catering team's Microsoft 365 tenant gets custom DKIM (selector1); "
             "before that it signed only as bakeryexample.onmicrosoft-example.com, so its mail passed "
             "DMARC on SPF alone.")
    L.append("- 2026-10-15 onwards: `v=DMARC1; p=quarantine; pct=25; np=reject; rua=...`. RFC 7489 "
             "receivers quarantine about a quarter of the failing mail and report the rest as "
             "`sampled_out`; the DMARCbis receiver (Postbox) ignores `pct` and quarantines all of it, "
             "and reports passing mail with disposition `pass`.")
    L.append("- Until 2026-10-08 the record also listed `mailto:anna@bakery-example.com` (the office "
             "manager); she forwarded one Google report from her mailbox to the DMARC mailbox.")
    L.append("- patisserie-example.com, the parked sister brand, publishes `p=reject` and sends no mail: "
             "only spoofers appear there.\n")
    L.append("| sources | role | DMARC |")
    L.append("|---|---|---|")
    for s in SOURCES:
        ips = ", ".join(ip for ip, _ in s.ips4 + s.ips6)
        verdict = {"own": "pass (SPF+DKIM aligned)", "gws": "pass (SPF+DKIM; 2nd DKIM d=gappssmtp)",
                   "m365": "pass (SPF only until 10-13, then DKIM too)",
                   "esp": "pass via DKIM d=bakery-example.com; SPF passes for the bounce domain (not aligned)",
                   "fwd_keep": "pass via DKIM; SPF softfail",
                   "fwd_break": "fail; overridden: forwarded / local_policy arc=pass",
                   "list": "fail (DKIM broken, SPF for lists.example.org); mailing_list / local_policy"}[s.key]
        L.append("| %s | %s | %s |" % (ips, s.role, verdict))
    L.append("| 203.0.113.130–254, 198.51.100.230–250, 2001:db8:bad::/48 | spoofers (1–9 messages each, "
             "some as the non-existent billing.bakery-example.com) | fail both |\n")
    L.append("Newsletters go out on Tuesdays (6, 13, 20 October), so those days carry a few thousand "
             "messages; other days a few hundred to about two thousand across all receivers.\n")
    L.append("## The mails\n")
    L.append("| file | reporter | container | reports | what it exercises |")
    L.append("|---|---|---|---|---|")
    for fn, _data, rpts, builder, rkey, days in mails:
        cont = {"google": "single-part application/zip", "outlook": "application/gzip",
                "yahoo": "application/gzip", "mailru": "application/gzip",
                "amazon": "application/octet-stream (.xml.gz)", "textxml": "text/xml, quoted-printable",
                "forwarded": "message/rfc822 > application/zip", "two_gz": "2 × application/gzip",
                "zip2": "application/zip with 2 XML files", "bis": "application/gzip",
                "zip_x": "application/x-zip-compressed"}[builder]
        q = QUIRKS[builder if builder in QUIRKS else REPORTERS[rkey]["style"]]
        recs = [x for r in rpts for x in r["records"]]
        extra = []
        if any(r.get("end_pad") for r in rpts):
            extra.append("stray space in `<end>`")
        if any(x["disposition"] == "quarantine" for x in recs):
            extra.append("quarantine dispositions")
        if any(x["disposition"] == "reject" for x in recs):
            extra.append("reject dispositions")
        if any(x["disposition"] == "pass" for x in recs):
            extra.append("disposition `pass`")
        if any(t == "sampled_out" for x in recs for t, _c in x["reasons"]):
            extra.append("`sampled_out`")
        if any(len(x["reasons"]) > 1 for x in recs):
            extra.append("several `<reason>`s in one record (forwarded + local_policy arc=pass)")
        if any(r["domain"] == SISTER for r in rpts):
            extra.append("parked p=reject domain")
        if any(weekday(r["day"]) == NEWSLETTER_WEEKDAY for r in rpts):
            extra.append("newsletter day")
        if "[Preview]" in _data.decode("utf-8", "replace").split("\n\n", 1)[0]:
            extra.append("`[Preview]` subject prefix")
        L.append("| `%s` | %s | %s | %s | %s |" % (
            fn, REPORTERS[rkey]["org"], cont,
            ", ".join("%s %s" % (r["domain"], datetime.date(2026, 10, r["day"]).isoformat()) for r in rpts),
            q + ("; " + "; ".join(extra) if extra else "")))
    L.append("\nReports marked strict validate against the RFC 7489 Appendix C schema (with its broken "
             "targetNamespace removed); the DMARCbis ones against the RFC 9990 (draft -32) schema; "
             "the others carry the deviations their real counterparts carry (no `<version>`, no "
             "`sp`/`fo`, no spf `scope`, `::` IPv6, capitalised values). "
             "Run `python3 tools/make-samples.py --validate` with xmllint installed to check.\n")
    L.append("To change the story, edit `tools/make-samples.py` and run it; commit the script and "
             "`samples/` together.")
    return "\n".join(L) + "\n"


def validate(mails, schema_dir):
    """xmllint the strict RFC 7489 and the DMARCbis reports; returns number of failures."""
    if not shutil.which("xmllint"):
        print("make-samples: --validate: xmllint not installed (apt-get install libxml2-utils)", file=sys.stderr)
        return 1
    x7489 = os.path.join(schema_dir, "rfc7489-rua.xsd")
    xbis = os.path.join(schema_dir, "dmarcbis-rua.xsd")
    fails = 0
    with tempfile.TemporaryDirectory() as td:
        with open(x7489) as f:
            s = f.read().replace('targetNamespace="http://dmarc.org/dmarc-xml/0.1"', "")
        strict = os.path.join(td, "7489.xsd")
        with open(strict, "w") as f:
            f.write(s)
        for fn, _data, rpts, builder, rkey, _days in mails:
            style = REPORTERS[rkey]["style"]
            if style not in ("strict", "bis"):
                continue
            for i, r in enumerate(rpts):
                x = os.path.join(td, "%s.%d.xml" % (fn, i))
                with open(x, "wb") as f:
                    f.write(r["xml"])
                xsd = xbis if style == "bis" else strict
                p = subprocess.run(["xmllint", "--noout", "--schema", xsd, x], capture_output=True, text=True)
                ok = p.returncode == 0
                fails += not ok
                print("make-samples: %s %s[%d] (%s)" % ("valid  " if ok else "INVALID", fn, i, style))
                if not ok:
                    print(p.stderr, file=sys.stderr)
    return fails


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "samples"))
    ap.add_argument("--seed", type=int, default=20261001)
    ap.add_argument("--validate", nargs="?", const=os.path.join(ROOT, "..", "shared", "reference"),
                    metavar="SCHEMA_DIR", help="xmllint strict and DMARCbis reports against the XSDs")
    a = ap.parse_args()

    mails = build(a.seed)
    out = a.out
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    for f in os.listdir(os.path.join(out, "new")):      # rewrite: drop our old mails
        if f.endswith(".mx.bakery-example.com"):
            os.unlink(os.path.join(out, "new", f))
    for sub in ("cur", "tmp"):
        open(os.path.join(out, sub, ".gitkeep"), "w").close()

    rows, total = [], [0, 0]
    for fn, data, rpts, _b, rkey, _d in mails:
        with open(os.path.join(out, "new", fn), "wb") as f:
            f.write(data)
        for r in rpts:
            n, c = len(r["records"]), sum(x["count"] for x in r["records"])
            rows.append((fn, REPORTERS[rkey]["org"], r["rid"], r["domain"], n, c))
            total[0] += n
            total[1] += c
    with open(os.path.join(out, "expected.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("file\torg_name\treport_id\tdomain\trecords\tcount_sum\n")
        for row in rows:
            f.write("%s\t%s\t%s\t%s\t%d\t%d\n" % row)
        f.write("TOTAL\t\t\t\t%d\t%d\n" % tuple(total))
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(readme(mails, rows, total))

    # Cross-check with independent code.
    got = []
    for fn, *_rest in mails:
        for s in reread(os.path.join(out, "new", fn)):
            got.append((fn,) + s)
    if sorted(got) != sorted(rows):
        for x in sorted(set(rows) ^ set(got)):
            print("make-samples: MISMATCH %s %r" % ("expected" if x in rows else "found   ", x), file=sys.stderr)
        raise SystemExit("make-samples: re-reading samples/ disagrees with expected.tsv")
    keys = [(r[1], r[2], r[3]) for r in rows]
    if len(set(keys)) != len(keys):
        raise SystemExit("make-samples: duplicate (org_name, report_id, domain)")
    print("make-samples: %d mails, %d reports, %d records, %d messages -> %s" % (
        len(mails), len(rows), total[0], total[1], out))
    if a.validate:
        if validate(mails, a.validate):
            raise SystemExit("make-samples: schema validation failed")


if __name__ == "__main__":
    main()
