#!/usr/bin/python3
"""bench_run.py --bin BIN --tmp DIR --out build/bench.json -- the body of
`make bench`.

tools/bench.sh installs the reference peer, starts the throwaway PostgreSQL
(tests/lib/pg.sh: PGHOST, PGPORT, PGUSER and PG_BINDIR in the environment)
and runs this.  It generates its inputs in DIR, measures the seven rows
below in one run, prints progress lines on stderr, then prints one table
(bench_table.py) and writes the same rows to the JSON file.  docs/bench.md
says how to read the table.

  1  large reports: import records/s against a bare COPY of the same rows
  2  a maildir of 10,000 small report mails: ingest --once, and import
  3  peak memory of import of one 1,000,000-record report
  4  ingest into an empty database against one holding 10,000,000 records
  5  the dashboard over 10,000,000 records, 200 domains, 400 days (wrk)
  6  streaming a year of CSV for one domain (web and export)
  7  the reference peer, dmarcts-report-parser, on the corpora of rows 1, 2

The binary is copied into DIR first, so a rebuild of build/ during the run
changes nothing here.  Stages whose time grows with how slow the code is
(the maildir runs, the peer) stop at BENCH_CAP seconds (default 90) and
measure the rate of what got done; the 10,000,000-record load stops at
BENCH_LOAD_CAP (default 1500).  Environment knobs, for working on the bench
itself (figures at another scale are not comparable):
  BENCH_CAP=S  BENCH_LOAD_CAP=S  BENCH_SCALE=F (multiplies every input size)
  BENCH_SKIP=5,7 (rows not to run; rows 4-6 need row 5's load)
"""
import argparse
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_table  # noqa: E402
import measure      # noqa: E402


class BenchError(Exception):
    pass


def div(a, b):
    """A / B, or None when either is missing or B is 0 (a stage that did
    nothing gives no rate rather than a crash)."""
    if a is None or not b:
        return None
    return a / b


def log(msg):
    print("bench: %s" % msg, file=sys.stderr, flush=True)


def env_float(name, default):
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        raise BenchError("%s must be a number" % name)


class Bench:
    """The run: its settings, the rows of the table and the raw figures."""

    def __init__(self, a):
        self.root = os.path.abspath(a.root)
        self.tmp = os.path.abspath(a.tmp)
        self.out = a.out
        self.cap = env_float("BENCH_CAP", 90)
        self.load_cap = env_float("BENCH_LOAD_CAP", 1500)
        self.scale = env_float("BENCH_SCALE", 1)
        self.skip = {s.strip() for s in os.environ.get("BENCH_SKIP", "").split(",") if s.strip()}
        self.rows, self.notes, self.raw = [], [], {}
        self.started = time.time()
        self.t0 = time.monotonic()
        self.logs = os.path.join(self.tmp, "logs")
        os.makedirs(self.logs, exist_ok=True)
        bindir = os.environ.get("PG_BINDIR", "")
        self.psql_bin = os.path.join(bindir, "psql") if bindir and os.path.exists(os.path.join(bindir, "psql")) else "psql"
        # A private copy of the binary: ingest starts its workers from
        # /proc/self/exe, so they are the copy too.
        self.bin = os.path.join(self.tmp, "dmarcstat")
        shutil.copy2(a.bin, self.bin)
        with open(self.bin, "rb") as f:
            self.bin_sha = hashlib.sha256(f.read()).hexdigest()
        self.bin_orig = os.path.abspath(a.bin)
        self.gen = [sys.executable, os.path.join(self.root, "tools", "gen-report.py")]
        self.conf = self.write_conf("bench.conf", "")
        # One report of 1,000,000 records inflates past the default caps
        # (256 MiB decompressed, 1,000,000 records): raised for row 3 only.
        self.conf_big = self.write_conf("bench-big.conf",
                                        "[limits]\nmail_max_bytes = 1073741824\n"
                                        "unpack_max_bytes = 4294967296\nxml_max_records = 2000000\n")
        self.figures = {}

    # -- sizes ------------------------------------------------------------
    def n(self, count):
        return max(1, int(round(count * self.scale)))

    # -- output -----------------------------------------------------------
    def row(self, n, label, value, unit, target=None):
        t = None if target is None else {"op": target[0], "value": target[1]}
        if isinstance(value, float) and value != value:        # NaN
            value = None
        r = {"row": str(n), "label": label, "value": value, "unit": unit, "target": t}
        r["met"] = bench_table.judge(value, t)
        self.rows.append(r)
        return r

    def head(self, n, text):
        """A heading row: what the rows under it measure."""
        self.rows.append({"row": str(n), "label": text, "value": "", "unit": "", "target": None, "met": None})

    def note(self, text):
        self.notes.append(text)
        log("note: " + text)

    def elapsed(self):
        return time.monotonic() - self.t0

    def stage(self, text):
        log("[%5.0f s] %s" % (self.elapsed(), text))

    def write_conf(self, name, extra):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            # No DNS: ingest would start the background resolver, whose
            # lookups have nothing to do with ingest speed.
            f.write("[dns]\noffline = true\n" + extra)
        return path

    # -- PostgreSQL -------------------------------------------------------
    def psql(self, db, sql):
        env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
        r = subprocess.run([self.psql_bin, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                           capture_output=True, text=True, env=env)
        if r.returncode != 0:
            raise BenchError("psql %s: %s: %s" % (db, sql[:60], r.stderr.strip()))
        return r.stdout.strip()

    def count(self, db, table):
        return int(self.psql(db, "SELECT count(*) FROM %s" % table))

    def newdb(self, name, migrate=True):
        self.psql("postgres", 'DROP DATABASE IF EXISTS "%s"' % name)
        self.psql("postgres", 'CREATE DATABASE "%s"' % name)
        if migrate:
            r = subprocess.run([self.bin, "db", "migrate"], env=self.dbenv(name), capture_output=True, text=True)
            if r.returncode != 0:
                raise BenchError("db migrate: %s" % r.stderr.strip())

    def checkpoint(self):
        # Each timed run starts without the previous one's dirty buffers.
        self.psql("postgres", "CHECKPOINT")

    def dbenv(self, db):
        return dict(os.environ, DMARCSTAT_DB="dbname=%s" % db)

    # -- running ----------------------------------------------------------
    def measured(self, tag, argv, db=None, cwd=None, timeout=None, tick=None, env=None):
        """measure.run ARGV with its output in logs/TAG.*; keeps the figures."""
        with open(os.path.join(self.logs, tag + ".out"), "wb") as out, \
                open(os.path.join(self.logs, tag + ".err"), "wb") as err:
            res = measure.run(argv, timeout=timeout, on_tick=tick, cwd=cwd,
                              env=env or (self.dbenv(db) if db else None), stdout=out, stderr=err)
        res["argv"] = [os.path.basename(argv[0])] + argv[1:6] + (["..."] if len(argv) > 6 else [])
        res["stderr_tail"] = self.tail(tag + ".err")
        self.raw[tag] = res
        bad = res["status"] not in (0,) and not res["timed_out"]
        if bad:
            self.note("%s exited with status %s: %s" % (tag, res["status"], res["stderr_tail"] or "(no message)"))
        return res

    def tail(self, name, lines=3):
        try:
            with open(os.path.join(self.logs, name), "rb") as f:
                data = f.read()[-4000:].decode("utf-8", "replace").strip().splitlines()
        except OSError:
            return ""
        return " | ".join(data[-lines:])

    def run(self, argv, **kw):
        r = subprocess.run(argv, capture_output=True, text=True, **kw)
        if r.returncode != 0:
            raise BenchError("%s: %s" % (" ".join(argv[:3]), (r.stderr or r.stdout).strip()[-500:]))
        return r.stdout

    def progress(self, db, what, total):
        def tick(t):
            try:
                n = self.count(db, "reports")
            except BenchError:
                return
            log("          ... %s: %s of %s reports stored after %.0f s" % (what, f"{n:,}", f"{total:,}", t))
        return tick


# -- generated inputs --------------------------------------------------------

def gen_big(b):
    """Row 1's corpus: 10 gzip reports of 100,000 records (two at a time)."""
    d = os.path.join(b.tmp, "big")
    os.makedirs(d, exist_ok=True)
    per = b.n(100000)
    procs, files = [], []
    for i in range(10):
        f = os.path.join(d, "big-%02d.xml.gz" % i)
        files.append(f)
        procs.append(subprocess.Popen(b.gen + ["report", "--records", str(per), "--format", "gz", "--out", f,
                                               "--id", "bench-big-%02d" % i, "--seed", str(100 + i)],
                                      stdout=subprocess.DEVNULL))
        if len(procs) >= 2:
            wait_ok(procs.pop(0))
    for p in procs:
        wait_ok(p)
    return files, per * 10


def wait_ok(p):
    if p.wait() != 0:
        raise BenchError("generator exited with status %d" % p.returncode)


def gen_mail(b):
    """Row 2's maildir: 10,000 mails of ~20 records, zip and gzip.
    ../shared/tools/gen-reports when there (reporter styles of the big
    receivers), else gen-report.py."""
    d = os.path.join(b.tmp, "mail")
    mails = b.n(10000)
    shared = os.path.join(b.root, "..", "shared", "tools", "gen-reports")
    if os.access(shared, os.X_OK):
        b.run([shared, "--out", d, "--reports", str(mails), "--records-per-report", "20",
               "--mix", "zip=50,gzip=50", "--seed", "5", "--jobs", str(os.cpu_count() or 1), "--quiet"])
        gen = "../shared/tools/gen-reports (reporter styles, zip/gzip)"
    else:
        b.run(b.gen + ["maildir", "--mails", str(mails), "--records-per-mail", "20", "--format", "mixed",
                       "--out", d, "--seed", "5"])
        gen = "tools/gen-report.py maildir --format mixed"
    with open(os.path.join(d, "expected.tsv"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    col = lines[0].lstrip("#").split("\t").index("records")
    total = [ln.split("\t") for ln in lines if ln.startswith("TOTAL\t")][0]
    records = int(total[col])
    files = sorted(os.path.join(sub, n) for sub in ("new", "cur") for n in os.listdir(os.path.join(d, sub)))
    return d, files, records, gen


def copy_maildir(b, src, name):
    dst = os.path.join(b.tmp, name)
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    return dst


def filed(md):
    """Mails the ingest filed: (processed, failed)."""
    def n(folder):
        return sum(len(os.listdir(os.path.join(md, folder, s)))
                   for s in ("cur", "new") if os.path.isdir(os.path.join(md, folder, s)))
    return n(".Processed"), n(".Failed")


# -- row 1 ------------------------------------------------------------------

def row1(b):
    b.stage("[1] generating 10 reports x %s records (gzip)" % f"{b.n(100000):,}")
    files, records = gen_big(b)
    b.figures["big_files"], b.figures["big_records"] = files, records
    db = "bench_big"
    b.newdb(db)
    b.checkpoint()
    b.stage("[1] dmarcstat import of the 10 reports")
    m = b.measured("import_big", [b.bin, "import", "--config", b.conf, "-q"] + files, db=db)
    stored = b.count(db, "records")
    if stored != records:
        b.note("row 1: %s records stored of %s generated" % (f"{stored:,}", f"{records:,}"))
    rate = stored / m["seconds"]
    b.figures["import_big_rate"] = rate
    b.head(1, "large reports: 10 x %s records (gzip), %s records in all" % (f"{records // 10:,}", f"{records:,}"))
    b.row(1, "  dmarcstat import: time", m["seconds"], "s")
    b.row(1, "  dmarcstat import: records/s", rate, "rec/s", (">=", 150000))

    # The COPY baseline: the same rows out of the table, then back in with
    # psql's \copy (client side, like dmarcstat), same table and indexes.
    b.stage("[1] COPY baseline: the same rows with psql \\copy")
    cols = b.psql(db, "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
                      "WHERE attrelid = 'records'::regclass AND attnum > 0 AND NOT attisdropped "
                      "AND attgenerated = ''")
    dump = os.path.join(b.tmp, "records.copy")
    b.psql(db, "\\copy (SELECT %s FROM records) TO '%s'" % (cols, dump))
    try:
        b.psql(db, "TRUNCATE records")
    except BenchError:
        b.psql(db, "TRUNCATE records CASCADE")
    b.checkpoint()
    m = b.measured("copy_big", [b.psql_bin, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db,
                                "-c", "\\copy records (%s) FROM '%s'" % (cols, dump)], db=db)
    copied = b.count(db, "records")
    copy_rate = copied / m["seconds"]
    b.row(1, "  COPY records FROM file, psql \\copy, same %s rows: time" % f"{copied:,}", m["seconds"], "s")
    b.row(1, "  COPY: rows/s", copy_rate, "rows/s")
    b.row(1, "  ratio dmarcstat import / COPY", div(rate, copy_rate), "x", (">=", 0.5))
    os.unlink(dump)
    b.psql("postgres", 'DROP DATABASE "%s"' % db)


# -- row 3 ------------------------------------------------------------------

def row3(b):
    n = b.n(1000000)
    b.stage("[3] generating one report of %s records (gzip)" % f"{n:,}")
    f = os.path.join(b.tmp, "huge.xml.gz")
    b.run(b.gen + ["report", "--records", str(n), "--format", "gz", "--out", f, "--id", "bench-huge", "--seed", "7"])
    db = "bench_huge"
    b.newdb(db)
    b.checkpoint()
    b.stage("[3] dmarcstat import of it (limits raised: unpack_max_bytes 4 GiB, xml_max_records 2,000,000)")
    m = b.measured("import_huge", [b.bin, "import", "--config", b.conf_big, "-q", f], db=db)
    stored = b.count(db, "records")
    if stored != n:
        b.note("row 3: %s records stored of %s" % (f"{stored:,}", f"{n:,}"))
    b.head(3, "ONE report of %s records (gzip), dmarcstat import" % f"{n:,}")
    b.row(3, "  peak RSS (process tree: see docs/bench.md)", m["peak_rss_kib"] / 1024, "MiB", ("<", 64))
    b.row(3, "  time", m["seconds"], "s")
    b.row(3, "  records/s", stored / m["seconds"], "rec/s")
    os.unlink(f)
    b.psql("postgres", 'DROP DATABASE "%s"' % db)


# -- row 2 ------------------------------------------------------------------

def ingest_once(b, tag, db):
    """ingest --once over a fresh copy of the row-2 maildir into DB;
    returns (mails, records, seconds, capped)."""
    md = copy_maildir(b, b.figures["mail_dir"], "md-" + tag)
    before = b.count(db, "records")
    b.checkpoint()
    m = b.measured(tag, [b.bin, "ingest", "--config", b.conf, "--once", "--maildir", md], db=db,
                   timeout=b.cap)
    done, failed = filed(md)
    records = b.count(db, "records") - before
    total = len(b.figures["mail_files"])
    if failed:
        b.note("%s: %d mails filed in .Failed (see logs/%s.err)" % (tag, failed, tag))
    if m["timed_out"]:
        b.note("%s: stopped at the %.0f s cap after %s of %s mails; the rates are those of what was done"
               % (tag, b.cap, f"{done + failed:,}", f"{total:,}"))
    shutil.rmtree(md, ignore_errors=True)
    return done + failed, records, m["seconds"], m["timed_out"]


def mail_corpus(b):
    b.stage("[2] generating a maildir of %s report mails x 20 records" % f"{b.n(10000):,}")
    d, files, records, gen = gen_mail(b)
    b.figures.update(mail_dir=d, mail_files=files, mail_records=records)
    b.raw["mail_corpus"] = {"generator": gen, "mails": len(files), "records": records}


def row2_ingest(b):
    """Runs just before row 4's ingest into the full database, so that the
    two rates it compares are taken minutes apart, not twenty."""
    mails, records = len(b.figures["mail_files"]), b.figures["mail_records"]
    db = "bench_mail"
    b.newdb(db)
    b.stage("[2] dmarcstat ingest --once over the maildir, into an empty database")
    done, recs, secs, capped = ingest_once(b, "ingest_mail", db)
    b.figures["ingest_empty_rate"] = done / secs
    b.head(2, "maildir of %s report mails x 20 records (zip and gzip), %s records"
           % (f"{mails:,}", f"{records:,}"))
    b.row(2, "  ingest --once: time%s" % (" (capped)" if capped else ""), secs, "s")
    b.row(2, "  ingest --once: mails/s", done / secs, "mails/s", (">=", 1000))
    b.row(2, "  ingest --once: records/s", recs / secs, "rec/s")
    b.psql("postgres", 'DROP DATABASE "%s"' % db)


def row2_import(b):
    d, files = b.figures["mail_dir"], b.figures["mail_files"]
    db = "bench_mail_import"
    b.newdb(db)
    b.checkpoint()
    b.stage("[2] dmarcstat import of the same files (one process)")
    m = b.measured("import_mail", [b.bin, "import", "--config", b.conf, "-q"] + files, db=db,
                   cwd=d, timeout=b.cap)
    n_reports = b.count(db, "reports")
    n_records = b.count(db, "records")
    if m["timed_out"]:
        b.note("import_mail: stopped at the %.0f s cap after %s of %s files"
               % (b.cap, f"{n_reports:,}", f"{len(files):,}"))
    b.row(2, "  import of the same files (one process): time%s" % (" (capped)" if m["timed_out"] else ""),
          m["seconds"], "s")
    b.row(2, "  import: mails/s", n_reports / m["seconds"], "mails/s")
    b.row(2, "  import: records/s", n_records / m["seconds"], "rec/s")
    b.psql("postgres", 'DROP DATABASE "%s"' % db)


# -- rows 5, 6, 4 -----------------------------------------------------------

def load_corpus(b):
    n, domains, days = b.n(10000000), 200, 400
    b.stage("[5] generating %s records for %d domains over %d days" % (f"{n:,}", domains, days))
    d = os.path.join(b.tmp, "corpus")
    b.run(b.gen + ["corpus", "--records", str(n), "--domains", str(domains), "--days", str(days),
                   "--out", d, "--seed", "11"])
    with open(os.path.join(d, "domains.tsv"), encoding="utf-8") as f:
        head, *lines = f.read().splitlines()
    keys = head.split("\t")
    doms = [dict(zip(keys, ln.split("\t"))) for ln in lines]
    # In the order reports arrive: by day, then domain.  A load stopped at
    # its cap then holds every domain up to some day, as a real database
    # would, not the largest domains only.
    plan = {int(x["rank"]) - 1: int(x["reports"]) for x in doms}

    def arrival(name):
        k, j = (int(p) for p in name.split(".")[0].split("-"))
        return (j * days // plan[k], k, j)
    files = sorted((x for x in os.listdir(d) if x.endswith(".xml.gz")), key=arrival)
    db = "bench_web"
    b.newdb(db)
    b.checkpoint()
    # Two imports side by side (one per core), each given every other file
    # in arrival order, so that a capped load still holds whole days.
    lists = []
    for i in range(2):
        lists.append(os.path.join(d, "files-%d.txt" % i))
        with open(lists[-1], "w", encoding="utf-8") as f:
            f.write("\n".join(files[i::2]) + "\n")
    script = ('trap \'pkill -TERM -P $a; pkill -TERM -P $b; kill $a $b 2>/dev/null\' TERM; '
              'xargs -a "$2" "$1" import --config "$3" -q & a=$!; '
              'xargs -a "$4" "$1" import --config "$3" -q & b=$!; '
              'wait $a; s=$?; wait $b || s=$?; exit $s')
    b.stage("[5] loading them: two dmarcstat imports of %s report files (several minutes)" % f"{len(files):,}")
    m = b.measured("load_web", ["sh", "-c", script, "sh", b.bin, lists[0], b.conf, lists[1]], db=db, cwd=d,
                   timeout=b.load_cap, tick=b.progress(db, "load", len(files)))
    stored = b.count(db, "records")
    if m["timed_out"]:
        b.note("row 5: the load stopped at the %.0f s cap with %s of %s records: rows 4-6 ran on that"
               % (b.load_cap, f"{stored:,}", f"{n:,}"))
    b.head(5, "dashboard over %s records, %d domains, %d days" % (f"{stored:,}", domains, days))
    b.row(5, "  load: two imports of %s report files: time%s"
          % (f"{len(files):,}", " (capped)" if m["timed_out"] else ""), m["seconds"], "s")
    b.row(5, "  load: records/s", stored / m["seconds"], "rec/s")
    b.stage("[5] VACUUM ANALYZE (what autovacuum does after a bulk load, done now so it runs during no measurement)")
    t = time.monotonic()
    b.psql(db, "VACUUM ANALYZE")
    b.row(5, "  VACUUM ANALYZE after the load: time", time.monotonic() - t, "s")
    if stored > 0:
        # pg_partition_tree: the records are the sum of their partitions.
        sizes = b.psql(db, "SELECT (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('records')),"
                           " pg_total_relation_size('rollup_sources') + pg_total_relation_size('rollup_reporters')"
                           " + pg_total_relation_size('rollup_advice') + pg_total_relation_size('rollup_advice_auth'),"
                           " pg_total_relation_size('report_xml') + pg_total_relation_size('reports')").split("|")
        for label, v in zip(("records, with their indexes", "the rollups", "reports and their original XML"), sizes):
            b.row(5, "  disk per stored record: %s" % label, int(v) / stored, "bytes")
    b.figures.update(web_db=db, web_records=stored, domains=doms)
    shutil.rmtree(d, ignore_errors=True)
    return db


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_serve(b, db):
    port = free_port()
    err = open(os.path.join(b.logs, "serve.err"), "wb")
    proc = subprocess.Popen([b.bin, "serve", "--config", b.conf, "--listen", "127.0.0.1:%d" % port],
                            env=b.dbenv(db), stdout=err, stderr=err)
    for _ in range(300):
        if proc.poll() is not None:
            raise BenchError("serve exited: %s" % b.tail("serve.err"))
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=2).read()
            return proc, port
        except (OSError, urllib.error.URLError):
            time.sleep(0.1)
    proc.kill()
    raise BenchError("serve did not answer /healthz")


def cold_get(port, path):
    """The first response, whole: (ms, HTTP status)."""
    t = time.monotonic()
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=600) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    return (time.monotonic() - t) * 1000, status


def wrk(b, tag, port, path):
    lua = os.path.join(b.root, "tools", "wrk-percentiles.lua")
    r = subprocess.run(["wrk", "-t2", "-c16", "-d10s", "-s", lua, "http://127.0.0.1:%d%s" % (port, path)],
                       capture_output=True, text=True)
    with open(os.path.join(b.logs, "wrk-%s.out" % tag), "w") as f:
        f.write(r.stdout + r.stderr)
    vals = {}
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("p50", "p95", "p99", "requests", "errors", "seconds"):
            vals[parts[0]] = float(parts[1])
    if r.returncode != 0 or "seconds" not in vals:
        b.note("wrk on %s failed: %s" % (path, (r.stderr or r.stdout).strip()[-200:]))
        return None
    res = {"p50_ms": vals["p50"] / 1000, "p95_ms": vals["p95"] / 1000, "p99_ms": vals["p99"] / 1000,
           "rps": vals["requests"] / vals["seconds"], "errors": int(vals["errors"]),
           "requests": int(vals["requests"])}
    b.raw["wrk_" + tag] = res
    return res


def page_rows(b, tag, port, path, label, short):
    b.stage("[5] %s: first request, then wrk 2 threads, 16 connections, 10 s" % path)
    ms, status = cold_get(port, path)
    b.raw["cold_" + tag] = {"ms": ms, "status": status}
    if status != 200:
        b.note("%s answered %d on its first request" % (path, status))
    b.row(5, "  %s: first (cold) response" % label, ms, "ms")
    w = wrk(b, tag, port, path)
    w = w or {}
    b.row(5, "  %s, wrk: p50" % short, w.get("p50_ms"), "ms")
    b.row(5, "  %s, wrk: p95" % short, w.get("p95_ms"), "ms", ("<", 50))
    b.row(5, "  %s, wrk: p99" % short, w.get("p99_ms"), "ms")
    b.row(5, "  %s, wrk: requests/s" % short, w.get("rps"), "req/s")
    b.row(5, "  %s, wrk: errors (connect, read, timeout, non-2xx)" % short, w.get("errors"), "count", ("=", 0))


def rss_kib(pid):
    return measure._rss_hwm_kib(pid)[0]


def stream_http(b, port, path, pid):
    """GETs PATH, counting CSV lines as they come: TTFB (first body byte),
    rows, seconds; the serving process's RSS before, at peak, after."""
    sampler = measure.RssSampler(pid, 0.01).start()
    before = sampler.last_kib
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t = time.monotonic()
    conn.request("GET", path)
    resp = conn.getresponse()
    ttfb, lines, nbytes, last = None, 0, 0, b"\n"
    while True:
        chunk = resp.read1(1 << 16)
        if not chunk:
            break
        if ttfb is None:
            ttfb = time.monotonic() - t
        lines += chunk.count(b"\n")
        nbytes += len(chunk)
        last = chunk[-1:]
    secs = time.monotonic() - t
    conn.close()
    time.sleep(0.3)
    peak = sampler.stop()
    after = rss_kib(pid)
    lines += 0 if last == b"\n" else 1
    return {"status": resp.status, "ttfb_ms": (ttfb or secs) * 1000, "rows": max(lines - 1, 0),
            "bytes": nbytes, "seconds": secs, "rss_before_kib": before, "rss_peak_kib": peak,
            "rss_after_kib": after}


def stream_cli(b, tag, argv, db):
    """Runs an export, counting its CSV lines: TTFB, rows, seconds, peak RSS."""
    err = open(os.path.join(b.logs, tag + ".err"), "wb")
    t = time.monotonic()
    proc = subprocess.Popen(argv, env=b.dbenv(db), stdout=subprocess.PIPE, stderr=err)
    sampler = measure.RssSampler(proc.pid, 0.01).start()
    ttfb, lines, last, capped = None, 0, b"\n", False
    fd = proc.stdout.fileno()
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        if ttfb is None:
            ttfb = time.monotonic() - t
        lines += chunk.count(b"\n")
        last = chunk[-1:]
        if not capped and time.monotonic() - t > b.cap:
            capped = True
            proc.send_signal(signal.SIGTERM)
    status = proc.wait()
    secs = time.monotonic() - t
    sampler.stop()
    err.close()
    lines += 0 if last == b"\n" else 1
    res = {"status": status, "ttfb_ms": (ttfb or secs) * 1000, "rows": max(lines - 1, 0), "seconds": secs,
           "peak_rss_kib": max(sampler.hwm_kib, sampler.peak_kib), "capped": capped}
    b.raw[tag] = res
    if status != 0 and not capped:
        b.note("%s exited with status %d: %s" % (tag, status, b.tail(tag + ".err")))
    if capped:
        b.note("%s: stopped at the %.0f s cap after %s rows" % (tag, b.cap, f"{res['rows']:,}"))
    return res


def stored_records(b, db, domain, generated):
    """The records of DOMAIN in the database (all of the generated ones
    unless the load was capped)."""
    try:
        return int(b.psql(db, "SELECT coalesce(sum(n_records), 0) FROM reports WHERE domain = '%s'" % domain))
    except (BenchError, ValueError):
        return int(generated)


def row5_6(b, db):
    doms = b.figures["domains"]
    mid = doms[min(19, len(doms) - 1)]            # rank 20 of 200
    big = doms[0]
    mid_n = stored_records(b, db, mid["domain"], mid["records"])
    big_n = stored_records(b, db, big["domain"], big["records"])
    proc, port = start_serve(b, db)
    try:
        page_rows(b, "overview", port, "/", "overview / (%d domains)" % len(doms), "overview")
        page_rows(b, "domain", port, "/domains/%s" % mid["domain"],
                  "/domains/%s (rank %s, %s records)" % (mid["domain"], mid["rank"], f"{mid_n:,}"),
                  "domain page")

        last = date.fromisoformat(big["last_day"])
        since, until = (last - timedelta(days=364)).isoformat(), (last + timedelta(days=1)).isoformat()
        path = "/domains/%s.csv?since=%s&until=%s" % (big["domain"], since, until)
        b.stage("[6] %s (source level, a year of the largest domain)" % path)
        s = stream_http(b, port, path, proc.pid)
        b.raw["csv_web"] = s
        if s["status"] != 200:
            b.note("%s answered %d" % (path, s["status"]))
        b.head(6, "a year of the largest domain, %s (%s records stored): %s to %s"
               % (big["domain"], f"{big_n:,}", since, last.isoformat()))
        b.row(6, "  web /domains/D.csv?since&until (sources): time to first byte", s["ttfb_ms"], "ms", ("<", 100))
        b.row(6, "  web CSV: rows", s["rows"], "rows")
        b.row(6, "  web CSV: rows/s (whole response)", s["rows"] / s["seconds"], "rows/s", (">=", 200000))
        b.row(6, "  serve RSS before the CSV", s["rss_before_kib"] / 1024, "MiB")
        b.row(6, "  serve RSS, peak while streaming (sampled every 10 ms)", s["rss_peak_kib"] / 1024, "MiB")
        b.row(6, "  serve RSS after the CSV", s["rss_after_kib"] / 1024, "MiB")
        b.row(6, "  serve RSS growth (peak - before): flat memory", (s["rss_peak_kib"] - s["rss_before_kib"]) / 1024,
              "MiB", ("<", 32))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    for level, tag in (("sources", "export_sources"), ("records", "export_records")):
        b.stage("[6] dmarcstat export --level %s --domain %s --since %s --until %s" % (level, big["domain"], since, until))
        r = stream_cli(b, tag, [b.bin, "export", "--config", b.conf, "--level", level, "--domain", big["domain"],
                                "--since", since, "--until", until], db)
        b.row(6, "  export --level %s (CLI, same filter): time to first byte" % level, r["ttfb_ms"], "ms",
              ("<", 100) if level == "sources" else None)
        b.row(6, "  export --level %s: rows%s" % (level, " (capped)" if r["capped"] else ""), r["rows"], "rows")
        b.row(6, "  export --level %s: rows/s" % level, r["rows"] / r["seconds"], "rows/s",
              (">=", 200000) if level == "sources" else None)
        b.row(6, "  export --level %s: peak RSS" % level, r["peak_rss_kib"] / 1024, "MiB")


def row4(b, db):
    b.stage("[4] ingest --once of the row-2 maildir into the database holding %s records"
            % f"{b.figures['web_records']:,}")
    done, recs, secs, capped = ingest_once(b, "ingest_full", db)
    rate = done / secs
    empty = b.figures.get("ingest_empty_rate")
    b.head(4, "the row-2 maildir, ingest --once: empty database against a full one")
    b.row(4, "  into an empty database (row 2, just before): mails/s", empty, "mails/s")
    b.row(4, "  into the row-5 database, %s records: mails/s%s"
          % (f"{b.figures['web_records']:,}", " (capped)" if capped else ""), rate, "mails/s")
    b.row(4, "  into the row-5 database: records/s", recs / secs, "rec/s")
    b.row(4, "  ratio full / empty (falls by at most 20 %)", div(rate, empty), "x", (">=", 0.8))


# -- row 7: the reference peer ---------------------------------------------

# $maxsize_xml as dmarcstat's xml_keep_max_bytes (16 MiB): both keep the
# original XML of every report but the huge ones (the peer's sample config
# says 50,000 bytes, which would spare it most of that work).
PEER_CONF = """# written by tools/bench_run.py for `make bench`
$debug = 0;
$delete_reports = 0;
$delete_failed = 0;
$dbtype = 'Pg';
$dbname = '%(db)s';
$dbuser = '%(user)s';
$dbpass = '';
$dbhost = '%(host)s';
$dbport = '%(port)s';
$imapreadfolder = 'unused';
$maxsize_xml = 16777216;
$compress_xml = 0;
1;
"""


def peer_bin():
    for p in (shutil.which("dmarcts-report-parser"), "/usr/sbin/dmarcts-report-parser",
              "/usr/bin/dmarcts-report-parser"):
        if p and os.access(p, os.X_OK):
            return p
    return None


def peer_setup(b, db):
    """A database and a working directory for the peer (it reads its
    config from the current directory; its -c option takes no file name)."""
    b.newdb(db, migrate=False)
    d = os.path.join(b.tmp, "peer-" + db)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "dmarcts-report-parser.conf"), "w", encoding="utf-8") as f:
        f.write(PEER_CONF % {"db": db, "user": os.environ.get("PGUSER", "postgres"),
                             "host": os.environ.get("PGHOST", "/var/run/postgresql"),
                             "port": os.environ.get("PGPORT", "5432")})
    # Its tables are created on the first run: not timed.
    subprocess.run([peer_bin(), "-x", os.path.join(d, "none.xml")], cwd=d, capture_output=True)
    if b.psql(db, "SELECT to_regclass('rptrecord') IS NOT NULL") != "t":
        raise BenchError("dmarcts-report-parser did not create its tables (see its config in %s)" % d)
    return d


def peer_run(b, tag, db, d, flag, files, batch):
    """Feeds FILES to the peer, BATCH per run, until all are done or the cap
    is reached (whole runs only); returns (files fed, seconds, peak KiB)."""
    fed, secs, peak, i = 0, 0.0, 0, 0
    while fed < len(files) and secs < b.cap:
        part = files[fed:fed + batch]
        m = b.measured("%s-%03d" % (tag, i), [peer_bin(), flag] + part, cwd=d)
        secs += m["seconds"]
        peak = max(peak, m["peak_rss_kib"])
        fed += len(part)
        i += 1
    return fed, secs, peak


def peer_warnings(b, tag):
    """The peer's distinct complaints, numbers folded so that one kind of
    complaint counts once: {text: times}."""
    seen = {}
    for name in sorted(os.listdir(b.logs)):
        if name.startswith(tag + "-") and name.endswith((".err", ".out")):
            with open(os.path.join(b.logs, name), encoding="utf-8", errors="replace") as f:
                for line in f:
                    line = line.strip().replace("dmarcts-report-parser.pl: ", "")
                    if line:
                        key = re.sub(r"[0-9a-f]{8,}|\d+", "N", line)[:120]
                        seen[key] = seen.get(key, 0) + 1
    return seen


def peer_version():
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "dmarcts-report-parser"],
                       capture_output=True, text=True)
    return r.stdout.strip() or "?"


def row7(b):
    if peer_bin() is None:
        b.head(7, "reference peer: dmarcts-report-parser, not installed")
        b.note("row 7: dmarcts-report-parser is not installed (bench.sh installs it with apt: "
               "dmarcts-report-parser, libdbd-pg-perl)")
        b.row(7, "  peer -z: records/s", None, "rec/s")
        b.row(7, "  peer -e: mails/s", None, "mails/s")
        return
    b.head(7, "reference peer: Debian's dmarcts-report-parser %s, same server, own database" % peer_version())
    files = b.figures.get("big_files", [])
    if files and all(os.path.exists(f) for f in files):
        db = "bench_peer_big"
        d = peer_setup(b, db)
        b.checkpoint()
        b.stage("[7] dmarcts-report-parser -z over the row-1 report files, one per run (up to the %.0f s cap)" % b.cap)
        fed, secs, peak = peer_run(b, "peer_big", db, d, "-z", files, 1)
        recs = b.count(db, "rptrecord")
        per = b.figures["big_records"] // len(files)
        if recs != fed * per:
            b.note("peer -z: %s records stored of the %s in the %d files fed" % (f"{recs:,}", f"{fed * per:,}", fed))
        for w, n in peer_warnings(b, "peer_big").items():
            b.note("peer -z said (%dx): %s" % (n, w))
        if fed < len(files):
            b.note("peer -z: stopped at the %.0f s cap after %d of the %d row-1 reports (whole reports only)"
                   % (b.cap, fed, len(files)))
        rate = div(recs, secs)
        b.row(7, "  -z, row-1 reports (%d of %d, one per run): records/s" % (fed, len(files)), rate, "rec/s")
        b.row(7, "  -z: peak RSS (one %s-record report)" % f"{per:,}", peak / 1024, "MiB")
        b.row(7, "  ratio dmarcstat import (row 1) / peer, records/s", div(b.figures.get("import_big_rate"), rate), "x")
        b.psql("postgres", 'DROP DATABASE "%s"' % db)
    mfiles = b.figures.get("mail_files")
    if mfiles:
        db = "bench_peer_mail"
        d = peer_setup(b, db)
        b.checkpoint()
        b.stage("[7] dmarcts-report-parser -e over the row-2 mails, 100 per run (up to the %.0f s cap)" % b.cap)
        paths = [os.path.join(b.figures["mail_dir"], f) for f in mfiles]
        fed, secs, peak = peer_run(b, "peer_mail", db, d, "-e", paths, 100)
        stored = b.count(db, "report")
        recs = b.count(db, "rptrecord")
        if stored != fed:
            b.note("peer -e: %s reports stored of the %s mails fed" % (f"{stored:,}", f"{fed:,}"))
        for w, n in peer_warnings(b, "peer_mail").items():
            b.note("peer -e said (%dx): %s" % (n, w))
        if fed < len(mfiles):
            b.note("peer -e: stopped at the %.0f s cap after %s of %s mails" % (b.cap, f"{fed:,}", f"{len(mfiles):,}"))
        rate = div(fed, secs)
        b.row(7, "  -e, row-2 mails (%s of %s, 100 per run): mails/s" % (f"{fed:,}", f"{len(mfiles):,}"),
              rate, "mails/s")
        b.row(7, "  -e: records/s", div(recs, secs), "rec/s")
        b.row(7, "  ratio dmarcstat ingest --once (row 2) / peer, mails/s",
              div(b.figures.get("ingest_empty_rate"), rate), "x")
        b.psql("postgres", 'DROP DATABASE "%s"' % db)


# -- the machine ------------------------------------------------------------

def machine(b):
    cpu = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram = "?"
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            ram = "%.1f" % (int(f.readline().split()[1]) / 1048576)
    except (OSError, ValueError, IndexError):
        pass
    try:
        pg = b.psql("postgres", "SHOW server_version").split()[0]
        settings = {k: b.psql("postgres", "SHOW %s" % k) for k in
                    ("fsync", "synchronous_commit", "shared_buffers", "work_mem", "max_wal_size")}
    except BenchError:
        pg, settings = "?", {}
    return {"cores": os.cpu_count(), "cpu": cpu, "ram_gib": ram, "kernel": platform.release(),
            "postgresql": pg, "postgresql_settings": settings,
            "loadavg_start": "%.2f" % os.getloadavg()[0], "python": platform.python_version()}


def main():
    ap = argparse.ArgumentParser(description="Run the dmarcstat benchmark (see tools/bench.sh).")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--out", default="build/bench.json")
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    a = ap.parse_args()
    b = Bench(a)
    doc = {"schema": 1, "machine": machine(b),
           "started_utc": datetime.fromtimestamp(b.started, timezone.utc).strftime("%Y-%m-%d %H:%M"),
           "binary": {"path": os.path.relpath(b.bin_orig, b.root), "sha256": b.bin_sha},
           "settings": {"cap_seconds": b.cap, "load_cap_seconds": b.load_cap, "scale": b.scale,
                        "skipped_rows": sorted(b.skip)}}
    if b.scale != 1:
        b.note("BENCH_SCALE=%g: inputs are not the standard sizes; the figures do not compare with other runs"
               % b.scale)
    log("machine: %(cores)s cores, %(cpu)s, %(ram_gib)s GiB RAM, PostgreSQL %(postgresql)s, "
        "load average %(loadavg_start)s" % doc["machine"])
    if float(doc["machine"]["loadavg_start"]) > 0.5 * (os.cpu_count() or 1):
        b.note("the machine was busy when the bench started (load average %s on %s cores): "
               "other processes share the CPU with every figure" % (doc["machine"]["loadavg_start"], os.cpu_count()))
    failed = []

    def attempt(name, fn, *args):
        """Runs one row; a failure is noted and the other rows still run."""
        try:
            return fn(b, *args), True
        except (BenchError, OSError, subprocess.SubprocessError, ValueError, KeyError) as e:
            failed.append(name)
            b.note("%s failed: %s: %s" % (name, type(e).__name__, e))
            return None, False

    # Row 2's empty-database ingest runs right before row 4's full one, so
    # that whatever else the machine does weighs on both alike.
    for n, fn in (("1", row1), ("3", row3)):
        if n not in b.skip:
            attempt("row " + n, fn)
    if not {"2", "4", "7"} <= b.skip:
        attempt("row 2 (its maildir)", mail_corpus)
    web_db = None
    if "5" not in b.skip:
        web_db, ok = attempt("row 5 (the load)", load_corpus)
        if ok:
            attempt("rows 5-6", row5_6, web_db)
        else:
            web_db = None
    if "mail_files" in b.figures:
        if "2" not in b.skip or "4" not in b.skip:
            attempt("row 2 (ingest)", row2_ingest)
        if web_db and "4" not in b.skip and "ingest_empty_rate" in b.figures:
            attempt("row 4", row4, web_db)
    if web_db:
        attempt("dropping the row-5 database", lambda bb: bb.psql("postgres", 'DROP DATABASE "%s"' % web_db))
    if "mail_files" in b.figures and "2" not in b.skip:
        attempt("row 2 (import)", row2_import)
    if "7" not in b.skip:
        attempt("row 7", row7)
    doc["machine"]["loadavg_end"] = "%.2f" % os.getloadavg()[0]
    doc["duration_s"] = round(b.elapsed(), 1)
    # Rows run in the order their inputs and comparisons want; the table
    # lists them by number.
    doc["rows"] = sorted(b.rows, key=lambda r: int(r["row"]))
    doc["notes"], doc["raw"] = b.notes, b.raw
    os.makedirs(os.path.dirname(os.path.abspath(b.out)), exist_ok=True)
    with open(b.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    sys.stdout.write("\n" + bench_table.render(doc))
    log("results in %s (%.0f s)" % (b.out, b.elapsed()))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
