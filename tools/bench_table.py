#!/usr/bin/python3
"""bench_table.py [build/bench.json] -- the table of `make bench`.

bench_run.py builds one list of rows and writes it to build/bench.json; the
table printed at the end of the run is rendered from that same list by
render() here, so the table and the JSON cannot disagree.  Run alone, this
prints the table of a saved bench.json again (to compare two runs, keep
their JSON files).  docs/bench.md says how to read it.

A row of the JSON:
  {"row": "1", "label": "...", "value": 123.4 | null | "text", "unit": "rec/s",
   "target": {"op": ">=", "value": 150000} | null, "met": true | false | null}
"""
import json
import sys

OPS = {">=": lambda v, t: v >= t, ">": lambda v, t: v > t,
       "<=": lambda v, t: v <= t, "<": lambda v, t: v < t, "=": lambda v, t: v == t}


def judge(value, target):
    """True/False against TARGET, None when there is no target or no value."""
    if target is None or not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return OPS[target["op"]](value, target["value"])


def fmt_number(value, unit):
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if unit in ("s",):
        return "%.2f" % value if value < 100 else "%.1f" % value
    if unit in ("ms",):
        return "%.1f" % value if value < 1000 else "{:,.0f}".format(value)
    if unit in ("MiB",):
        return "{:,.1f}".format(value)
    if unit in ("x",):
        return "%.2f" % value
    return "{:,.0f}".format(value)


def fmt_target(target, unit):
    if target is None:
        return ""
    return "%s %s" % (target["op"], fmt_number(target["value"], unit))


def status(row):
    if row.get("target") is None:
        return ""
    if row.get("value") is None:
        return "n/a"
    return {True: "met", False: "NOT MET", None: "n/a"}[row.get("met")]


def render(doc):
    m = doc.get("machine", {})
    out = []
    out.append("dmarcstat bench: %s cores, %s, %s GiB RAM, PostgreSQL %s, load average %s at start"
               % (m.get("cores", "?"), m.get("cpu", "?"), m.get("ram_gib", "?"),
                  m.get("postgresql", "?"), m.get("loadavg_start", "?")))
    out.append("started %s UTC, took %s; binary %s (sha256 %s); capped stages stop at %s s"
               % (doc.get("started_utc", "?"), fmt_duration(doc.get("duration_s")),
                  doc.get("binary", {}).get("path", "?"), doc.get("binary", {}).get("sha256", "?")[:12],
                  doc.get("settings", {}).get("cap_seconds", "?")))
    rows = doc.get("rows", [])
    # Headings (rows without a value) may run past the column.
    w_label = max([len(r["label"]) for r in rows if not is_heading(r)] + [40])
    cells = [(r.get("row", ""), r["label"], fmt_number(r.get("value"), r.get("unit", "")),
              r.get("unit", ""), fmt_target(r.get("target"), r.get("unit", "")), status(r)) for r in rows]
    w_value = max([len(c[2]) for c in cells] + [5])
    w_unit = max([len(c[3]) for c in cells] + [4])
    w_target = max([len(c[4]) for c in cells] + [6])
    line = "%-3s  %-*s  %*s  %-*s  %-*s  %s"
    out.append("")
    out.append(line % ("row", w_label, "measurement", w_value, "value", w_unit, "unit",
                       w_target, "target", "status"))
    out.append(line % ("---", w_label, "-" * w_label, w_value, "-" * w_value, w_unit, "-" * w_unit,
                       w_target, "-" * w_target, "-------"))
    last = None
    for r, c in zip(rows, cells):
        num = c[0] if c[0] != last else ""
        if c[0] != last and last is not None:
            out.append("")
        last = c[0]
        if is_heading(r):
            out.append(("%-3s  %s" % (num, c[1])).rstrip())
            continue
        out.append((line % (num, w_label, c[1], w_value, c[2], w_unit, c[3], w_target, c[4], c[5])).rstrip())
    notes = doc.get("notes", [])
    if notes:
        out.append("")
        out.append("notes:")
        for n in notes:
            out.append("  - " + n)
    met = sum(1 for r in rows if r.get("target") and r.get("met") is True)
    missed = sum(1 for r in rows if r.get("target") and r.get("met") is False)
    na = sum(1 for r in rows if r.get("target") and r.get("met") is None)
    out.append("")
    out.append("targets: %d met, %d NOT MET%s" % (met, missed, ", %d not measured" % na if na else ""))
    return "\n".join(out) + "\n"


def is_heading(row):
    return row.get("value") == "" and not row.get("unit")


def fmt_duration(s):
    if s is None:
        return "?"
    s = int(round(s))
    return "%d min %02d s" % (s // 60, s % 60)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "build/bench.json"
    with open(path, encoding="utf-8") as f:
        sys.stdout.write(render(json.load(f)))


if __name__ == "__main__":
    main()
