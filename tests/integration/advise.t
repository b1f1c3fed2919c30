#!/bin/sh
# advise.t -- `dmarcstat advise`: reports with a known mix of senders give
# the expected stage, next record, blockers and fixes; samples/ gives the
# advice its story calls for; exit codes.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"

# make_reports DIR MODE: 20 days (2026-10-01..20) of reports for shop.example
# at p=none from three reporters (google.com among them).  Every report has
#   192.0.2.10      the own server: 40 messages, SPF and DKIM aligned
#   198.51.100.140  an ESP: 10 messages; SPF passes for its bounce domain
#                   bounce.espmail.example, DKIM for d=espmail.example; with
#                   MODE pass (or fixed, from day 11) it also signs d=shop.example
#   203.0.113.N     one spoofer: 1 message, nothing passes
make_reports() {
  python3 - "$1" "$2" <<'EOF'
import os, sys
out, mode = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
BEGIN = 1790812800            # 2026-10-01 00:00:00 UTC
D = "shop.example"
reporters = [("google.com", "noreply-dmarc-support@google.com"),
             ("Outlook.com", "dmarcreport@microsoft.com"),
             ("Receiver Example", "dmarc@receiver.example.net")]

def record(ip, count, dkim_eval, spf_eval, dkims, spf, env):
    x = ["<record><row><source_ip>%s</source_ip><count>%d</count><policy_evaluated>"
         "<disposition>none</disposition><dkim>%s</dkim><spf>%s</spf></policy_evaluated></row>"
         "<identifiers><envelope_from>%s</envelope_from><header_from>%s</header_from></identifiers>"
         "<auth_results>" % (ip, count, dkim_eval, spf_eval, env, D)]
    for d, s, r in dkims:
        x.append("<dkim><domain>%s</domain><selector>%s</selector><result>%s</result></dkim>" % (d, s, r))
    x.append("<spf><domain>%s</domain><scope>mfrom</scope><result>%s</result></spf>"
             "</auth_results></record>" % spf)
    return "".join(x)

for day in range(20):
    esp_signs = mode == "pass" or (mode == "fixed" and day >= 10)
    for n, (org, email) in enumerate(reporters):
        b = BEGIN + day * 86400
        recs = [record("192.0.2.10", 40, "pass", "pass", [(D, "mx", "pass")], (D, "pass"), D)]
        esp_dkim = [("espmail.example", "es1", "pass")]
        if esp_signs:
            esp_dkim.insert(0, (D, "esp", "pass"))
        recs.append(record("198.51.100.140", 10, "pass" if esp_signs else "fail", "fail", esp_dkim,
                           ("bounce.espmail.example", "pass"), "bounce.espmail.example"))
        recs.append(record("203.0.113.%d" % (day * 3 + n + 1), 1, "fail", "fail", [], (D, "fail"), D))
        xml = ('<?xml version="1.0" encoding="UTF-8"?><feedback><version>1.0</version>'
               "<report_metadata><org_name>%s</org_name><email>%s</email><report_id>%s-%s-%d</report_id>"
               "<date_range><begin>%d</begin><end>%d</end></date_range></report_metadata>"
               "<policy_published><domain>%s</domain><adkim>r</adkim><aspf>r</aspf><p>none</p>"
               "<sp>none</sp><pct>100</pct><fo>0</fo></policy_published>%s</feedback>\n"
               % (org, email, mode, org.replace(" ", ""), day, b, b + 86399, D, "".join(recs)))
        with open(os.path.join(out, "%s-%02d-%d.xml" % (mode, day, n)), "w") as f:
            f.write(xml)
EOF
}

json_get() { # JSON-FILE PYTHON-EXPRESSION-ON-j
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}

printf '[advise]\nrua = mailto:dmarc@shop.example\n' > "$TEST_DIR/advise.conf"
CONF="--config $TEST_DIR/advise.conf"
QSTEP="v=DMARC1; p=quarantine; pct=10; t=y; np=reject; rua=mailto:dmarc@shop.example"

# 1. An ESP that authenticates only as itself blocks quarantine, with its fix.
use_db advise_fail_t
make_reports "$TEST_DIR/fail" fail
"$BIN" import -q "$TEST_DIR"/fail/*.xml 2>"$TEST_DIR/err"
is "$?" 0 "import of the generated reports exits 0"
out=$("$BIN" advise $CONF shop.example 2>"$TEST_DIR/err"); rc=$?
is "$rc" 0 "advise exits 0"
is "$(cat "$TEST_DIR/err")" "" "and prints nothing on stderr"
like "$out" "^shop\.example: monitoring " "text names the stage"
like "$out" "next +nothing to publish yet" "text says nothing is to be published yet"
"$BIN" advise $CONF --json shop.example > "$TEST_DIR/fail.json"
is "$?" 0 "advise --json exits 0"
is "$(json_get "$TEST_DIR/fail.json" 'j["domain"], j["stage"]')" "shop.example monitoring" "JSON: domain and stage"
is "$(json_get "$TEST_DIR/fail.json" 'j["next_record"]')" "None" "JSON: no next record while a legit sender fails"
is "$(json_get "$TEST_DIR/fail.json" 'j["target_record"]')" "$QSTEP" "JSON: the quarantine step it waits for"
is "$(json_get "$TEST_DIR/fail.json" 'j["current_record"]')" "v=DMARC1; p=none; rua=mailto:dmarc@shop.example" "JSON: current record"
is "$(json_get "$TEST_DIR/fail.json" 'len(j["blockers"]), j["blockers"][0]["source"]')" "1 198.51.100.140" "JSON: one blocker, the ESP"
fix=$(json_get "$TEST_DIR/fail.json" 'j["blockers"][0]["fix"]')
like "$fix" "sign with DKIM d=shop\.example .*signs as d=espmail\.example" "the fix: sign with d=shop.example instead of d=espmail.example"
like "$fix" "bounce \(Return-Path\) domain under shop\.example instead of bounce\.espmail\.example" "the fix: or an own bounce domain"
problem=$(json_get "$TEST_DIR/fail.json" 'j["blockers"][0]["problem"]')
like "$problem" "^210 of its 210 messages in its last 7 days failed DMARC; SPF passes only for bounce\.espmail\.example" "the problem counts its recent failures"
is "$(json_get "$TEST_DIR/fail.json" 'j["window"]["days_with_reports"], j["window"]["reporters"], j["window"]["legit_sources"]')" \
   "20 3 2" "JSON: 20 days, 3 reporters, 2 legitimate-looking sources"
like "$(json_get "$TEST_DIR/fail.json" '"|".join(j["notes"])')" "60 sources that pass neither SPF nor DKIM for any domain sent 60 messages" \
   "spoofers are a note, not a blocker"
like "$(json_get "$TEST_DIR/fail.json" '"|".join(j["reasons"])')" "blocked: 1 legitimate-looking source fails" "the reason names the block"

# 2. Every legitimate sender passes: publish the first quarantine step.
use_db advise_pass_t
make_reports "$TEST_DIR/pass" pass
"$BIN" import -q "$TEST_DIR"/pass/*.xml
"$BIN" advise $CONF --json shop.example > "$TEST_DIR/pass.json"
is "$(json_get "$TEST_DIR/pass.json" 'j["stage"]')" "ready-for-quarantine" "all legit senders pass: ready for quarantine"
is "$(json_get "$TEST_DIR/pass.json" 'j["next_record"]')" "$QSTEP" "next record: the first quarantine step with t=y and np=reject"
is "$(json_get "$TEST_DIR/pass.json" 'len(j["blockers"])')" "0" "no blockers"
"$BIN" advise --json shop.example > "$TEST_DIR/placeholder.json"
is "$(json_get "$TEST_DIR/placeholder.json" 'j["next_record"], j["rua_is_placeholder"]')" \
   "v=DMARC1; p=quarantine; pct=10; t=y; np=reject; rua=mailto:dmarc-reports@shop.example True" \
   "without [advise] rua the record carries a marked placeholder"

# 3. The ESP was fixed on day 11: after 7 clean days it no longer blocks.
use_db advise_fixed_t
make_reports "$TEST_DIR/fixed" fixed
"$BIN" import -q "$TEST_DIR"/fixed/*.xml
"$BIN" advise $CONF --json shop.example > "$TEST_DIR/fixed.json"
is "$(json_get "$TEST_DIR/fixed.json" 'j["stage"], len(j["blockers"])')" "ready-for-quarantine 0" \
   "a sender fixed 10 days ago no longer blocks"

# 4. samples/: bakery-example.com has been at p=quarantine; pct=25 for a week.
use_db advise_samples_t
"$BIN" import -q "$ROOT"/samples/new/*
printf '[advise]\nrua = mailto:dmarc@bakery-example.com\n' > "$TEST_DIR/bakery.conf"
"$BIN" advise --config "$TEST_DIR/bakery.conf" --json bakery-example.com > "$TEST_DIR/bakery.json"
is "$(json_get "$TEST_DIR/bakery.json" 'j["stage"]')" "quarantine-rollout" "samples: bakery-example.com is rolling out quarantine"
is "$(json_get "$TEST_DIR/bakery.json" 'j["current_record"]')" \
   "v=DMARC1; p=quarantine; pct=25; np=reject; rua=mailto:dmarc@bakery-example.com" "samples: current record"
is "$(json_get "$TEST_DIR/bakery.json" 'j["next_record"]')" \
   "v=DMARC1; p=quarantine; pct=50; np=reject; rua=mailto:dmarc@bakery-example.com" "samples: next step pct=50, without t=y"
is "$(json_get "$TEST_DIR/bakery.json" 'len(j["blockers"]), j["window"]["step_since"]')" "0 2026-10-15" \
   "samples: no blockers; the step began on 2026-10-15"
notes=$(json_get "$TEST_DIR/bakery.json" '"|".join(j["notes"])')
like "$notes" "198\.51\.100\.200: [0-9]+ of its [0-9]+ recent messages failed DMARC, as expected: receivers mark it as a forwarder or mailing list" \
   "samples: the mailing list is a note"
is "$(json_get "$TEST_DIR/bakery.json" '" | ".join(h["first_day"] + " " + h["record"] for h in j["history"])')" \
   "2026-10-01 v=DMARC1; p=none | 2026-10-15 v=DMARC1; p=quarantine; pct=25; np=reject" "samples: the policy history"
"$BIN" advise --json patisserie-example.com > "$TEST_DIR/patisserie.json"
is "$(json_get "$TEST_DIR/patisserie.json" 'j["stage"], j["next_record"], len(j["blockers"])')" "enforced None 0" \
   "samples: the parked sister brand is enforced, spoofers do not block"

# Exit codes.
"$BIN" advise nothing.example >/dev/null 2>"$TEST_DIR/err"
is "$?" 1 "a domain without reports exits 1"
is "$(cat "$TEST_DIR/err")" "dmarcstat: advise: no reports for nothing.example" "and says so"
"$BIN" advise >/dev/null 2>&1
is "$?" 2 "advise without a domain exits 2"
"$BIN" advise 'bad domain;' >/dev/null 2>&1
is "$?" 2 "advise with a malformed domain exits 2"
printf '[advise]\npct_steps = 50,10\n' > "$TEST_DIR/bad.conf"
"$BIN" advise --config "$TEST_DIR/bad.conf" bakery-example.com >/dev/null 2>"$TEST_DIR/err"
is "$?" 2 "an invalid [advise] value exits 2"
like "$(cat "$TEST_DIR/err")" "\[advise\] pct_steps" "and names the key"
"$BIN" advise --db "host=/nonexistent" bakery-example.com >/dev/null 2>&1
is "$?" 3 "an unreachable database exits 3"
done_testing
