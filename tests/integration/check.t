#!/bin/sh
# check.t -- `dmarcstat check DOMAIN` against a real authoritative DNS
# server (Knot DNS on loopback, tests/lib/knot.sh) serving the test zones
# of tests/lib/zones/: every seeded fault comes out as its finding, with the
# severity, the fix and the exact record to publish, in JSON and in text.
#
# One scenario domain per fault (each zone file says what it seeds); apart
# from its fault, each has DMARC p=reject with rua to itself, SPF
# "v=spf1 ip4:192.0.2.0/24 -all" and MX 10 mx1.good.test, so its check
# is dmarc_ok spf_ok dkim_no_selectors mx_ok plus the fault.  A name outside
# every zone (refused.example) gets REFUSED: the *_lookup_failed path.
#
# Every run uses --no-db (DNS and options only); the history written when a
# database is there is checked at the end when PostgreSQL is reachable.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
. "$ROOT/tests/lib/knot.sh"

cleanup() {
  [ -n "${SILENT_PID:-}" ] && kill "$SILENT_PID" 2>/dev/null
  knot_stop "$TEST_DIR/knot"
}
trap cleanup EXIT
knot_start "$TEST_DIR/knot" 2> "$TEST_DIR/knot.err" \
  || skip_all "no test DNS server: $(head -n 1 "$TEST_DIR/knot.err")"
DNS=$DMARCSTAT_DNS_SERVER

OUT="$TEST_DIR/out.json"
TXT="$TEST_DIR/out.txt"
# run DOMAIN [OPTION...]: check --json from the test zones; the JSON in $OUT,
# the exit status in $STATUS.
run() {
  "$BIN" check "$@" --no-db --json --dns-server "$DNS" > "$OUT" 2> "$TEST_DIR/err"
  STATUS=$?
}
# text DOMAIN [OPTION...]: the same without --json; the text in $TXT.
text() {
  "$BIN" check "$@" --no-db --dns-server "$DNS" > "$TXT" 2> "$TEST_DIR/err"
  STATUS=$?
}
# j EXPR: a python expression over the JSON output j ("" when unreadable).
j() {
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($1)" "$OUT" 2>/dev/null
}
# Every code, in output order.
codes() { j '" ".join(f["code"] for f in j["findings"])'; }
# The findings worse than ok, sorted, as code[subject].
faults() {
  j '" ".join(sorted("%s[%s]" % (f["code"], f["subject"]) for f in j["findings"] if f["severity"] != "ok"))'
}
# get CODE SUBJECT KEY: KEY of the one finding with CODE and SUBJECT
# ("(null)" when null, "(none)" without such a finding, "(several)").
get() {
  python3 - "$OUT" "$1" "$2" "$3" <<'EOF' 2>/dev/null
import json, sys
j = json.load(open(sys.argv[1]))
found = [f for f in j["findings"] if f["code"] == sys.argv[2] and f["subject"] == sys.argv[3]]
if len(found) != 1:
    print("(none)" if not found else "(several)")
else:
    v = found[0][sys.argv[4]]
    print("(null)" if v is None else v)
EOF
}
# has_line LINE NAME: the text output has exactly this line.
has_line() {
  grep -Fxq -- "$1" "$TXT"
  ok $? "$2"
  grep -Fxq -- "$1" "$TXT" || printf '#   no line: %s\n' "$1"
}
# scenario DOMAIN WORST EXIT CODES FAULTS [OPTION...]: checks DOMAIN and
# asserts the codes in order, the sorted non-ok findings with their
# subjects, the worst severity and the exit status.
scenario() {
  _d=$1 _w=$2 _x=$3 _c=$4 _f=$5
  shift 5
  run "$_d" "$@"
  is "$(codes)" "$_c" "$_d: codes in order"
  is "$(faults)" "$_f" "$_d: the faults and their subjects"
  is "$(j 'j["worst"]')" "$_w" "$_d: worst is $_w"
  is "$STATUS" "$_x" "$_d: exit $_x"
}

BASE="spf_ok dkim_no_selectors mx_ok"   # the clean rest of a DMARC scenario
NOSEL="dkim_no_selectors[]"             # the one info every check without --selector has

# --- good.test: nothing wrong ----------------------------------------------------
scenario good.test info 0 "dmarc_ok spf_ok dkim_no_selectors mx_ok mx_ok" "$NOSEL"
is "$(j '" ".join(f["subject"] for f in j["findings"] if f["code"] == "mx_ok")')" \
  "mx1.good.test mx6.good.test" "good.test: both MX hosts are ok"
is "$(get mx_ok mx6.good.test message)" \
  "MX mx6.good.test (preference 20), 2001:db8::25 (mx6.good.test)" \
  "good.test: the IPv6 MX has its nibble PTR, forward-confirmed"
is "$(get spf_ok '' message)" \
  "SPF record: v=spf1 ip4:192.0.2.0/24 include:_spf.good.test -all (1 DNS lookups)" \
  "good.test: the SPF record and its lookup count"
is "$(get dkim_no_selectors '' severity)" info "without --selector: dkim_no_selectors is info"
like "$(get dkim_no_selectors '' fix)" 'DKIM-Signature s=' "it says where to find the selectors"
is "$(j 'sorted(j.keys())')" "['domain', 'findings', 'worst']" "JSON: domain, worst, findings"
is "$(j 'sorted(set(tuple(sorted(f.keys())) for f in j["findings"]))')" \
  "[('code', 'fix', 'message', 'record', 'severity', 'subject')]" \
  "JSON: every finding has code, severity, subject, message, fix, record"
is "$(j 'j["domain"]')" good.test "JSON: the domain"
is "$(get dmarc_ok _dmarc.good.test fix)/$(get dmarc_ok _dmarc.good.test record)" "(null)/(null)" \
  "an ok finding has neither fix nor record"

scenario good.test ok 0 "dmarc_ok spf_ok dkim_ok dkim_ok mx_ok mx_ok" "" --selector s1 --selector ed
is "$(get dkim_ok s1 message)" "RSA 2048-bit key" "good.test selector s1: RSA 2048-bit key"
is "$(get dkim_ok ed message)" "Ed25519 key" "good.test selector ed: Ed25519 key"

# sub.good.test has no _dmarc: good.test's record applies to it.
scenario sub.good.test info 0 "dmarc_inherited $BASE" "$NOSEL dmarc_inherited[_dmarc.sub.good.test]"
is "$(get dmarc_inherited _dmarc.sub.good.test severity)" info "dmarc_inherited is info"
is "$(get dmarc_inherited _dmarc.sub.good.test message)" \
  "no record at _dmarc.sub.good.test: the record of good.test applies (policy reject)" \
  "it names the organisational domain and the policy that applies"

# --- DMARC -------------------------------------------------------------------------
scenario nodmarc.test error 1 "dmarc_missing $BASE" "$NOSEL dmarc_missing[_dmarc.nodmarc.test]"
is "$(get dmarc_missing _dmarc.nodmarc.test severity)" error "dmarc_missing is an error"
is "$(get dmarc_missing _dmarc.nodmarc.test fix)" \
  "publish this TXT record at _dmarc.nodmarc.test, then tighten p= as the reports allow" \
  "dmarc_missing: the fix names where to publish"
is "$(get dmarc_missing _dmarc.nodmarc.test record)" \
  "v=DMARC1; p=none; rua=mailto:dmarc-reports@nodmarc.test" "dmarc_missing: a starter record"

scenario dmarc-multi.test error 1 "dmarc_multiple $BASE" "$NOSEL dmarc_multiple[_dmarc.dmarc-multi.test]"
is "$(get dmarc_multiple _dmarc.dmarc-multi.test severity)" error "dmarc_multiple is an error"
like "$(get dmarc_multiple _dmarc.dmarc-multi.test message)" '^2 DMARC records at _dmarc\.dmarc-multi\.test: receivers ignore all of them' \
  "dmarc_multiple: says receivers ignore both"
is "$(get dmarc_multiple _dmarc.dmarc-multi.test fix)" "keep one record and merge what the others say into it" \
  "dmarc_multiple: merge them"

scenario dmarc-bad.test error 1 \
  "dmarc_tag_invalid dmarc_tag_invalid dmarc_tag_invalid dmarc_tag_invalid dmarc_tag_invalid dmarc_tag_unknown $BASE" \
  "$NOSEL dmarc_tag_invalid[adkim=x] dmarc_tag_invalid[fo=9] dmarc_tag_invalid[p=block] dmarc_tag_invalid[pct=150] dmarc_tag_invalid[ri=abc] dmarc_tag_unknown[foo=bar]"
is "$(j '" ".join("%s=%s" % (f["subject"], f["severity"]) for f in j["findings"] if f["code"].startswith("dmarc_tag"))')" \
  "p=block=error pct=150=warning adkim=x=warning ri=abc=warning fo=9=warning foo=bar=warning" \
  "dmarc-bad: an invalid p= is an error, the other invalid and unknown tags warnings"
is "$(get dmarc_tag_invalid p=block fix)" \
  "set p= to none, quarantine or reject; p=none is what receivers that keep the record apply now, so start there and tighten it as the reports allow" \
  "p=block: the fix lists the valid policies"
is "$(get dmarc_tag_invalid pct=150 fix)" "set pct= to a whole number from 0 to 100, or remove it" \
  "pct=150: the fix says what a valid pct is"
is "$(get dmarc_tag_unknown foo=bar fix)" "remove it, or correct its spelling" "foo=bar: remove it"
is "$(j '" | ".join(sorted(set(str(f["record"]) for f in j["findings"] if f["code"].startswith("dmarc_tag"))))')" \
  "v=DMARC1; p=none; rua=mailto:dmarc@dmarc-bad.test" \
  "every tag finding offers the one corrected record: bad tags gone, p=none for p=block"

scenario dmarc-none.test warning 0 "dmarc_ok dmarc_policy_none dmarc_no_rua $BASE" \
  "$NOSEL dmarc_no_rua[_dmarc.dmarc-none.test] dmarc_policy_none[_dmarc.dmarc-none.test]"
is "$(get dmarc_policy_none _dmarc.dmarc-none.test severity)" info "p=none is info"
is "$(get dmarc_policy_none _dmarc.dmarc-none.test record)" "v=DMARC1; p=quarantine" \
  "p=none: the next step is p=quarantine"
like "$(get dmarc_policy_none _dmarc.dmarc-none.test fix)" 'dmarcstat advise' "p=none: the fix points to advise"
is "$(get dmarc_no_rua _dmarc.dmarc-none.test severity)" warning "no rua= is a warning"
is "$(get dmarc_no_rua _dmarc.dmarc-none.test record)" \
  "v=DMARC1; p=none; rua=mailto:dmarc-reports@dmarc-none.test" "no rua=: the record with one"

scenario dmarc-ext.test error 1 "dmarc_ok dmarc_external_unauthorized $BASE" \
  "$NOSEL dmarc_external_unauthorized[thirdparty.test]"
is "$(get dmarc_external_unauthorized thirdparty.test severity)" error \
  "reports to an unauthorised host: error"
like "$(get dmarc_external_unauthorized thirdparty.test message)" \
  'no v=DMARC1 at dmarc-ext\.test\._report\._dmarc\.thirdparty\.test' "the message names the missing record"
like "$(get dmarc_external_unauthorized thirdparty.test fix)" \
  '^have the DNS of thirdparty\.test publish: dmarc-ext\.test\._report\._dmarc\.thirdparty\.test TXT ' \
  "the fix names the authorisation record to publish and who publishes it"
is "$(get dmarc_external_unauthorized thirdparty.test record)" "v=DMARC1" "its record: v=DMARC1"

scenario dmarc-extok.test info 0 "dmarc_ok dmarc_external_ok $BASE" "$NOSEL"
is "$(get dmarc_external_ok thirdparty.test message)" \
  "thirdparty.test accepts reports for dmarc-extok.test (dmarc-extok.test._report._dmarc.thirdparty.test)" \
  "an authorised report host is ok, with the record that authorises it"

scenario dmarc-syntax.test error 1 "dmarc_ok dmarc_syntax $BASE" "$NOSEL dmarc_syntax[fo]"
is "$(get dmarc_syntax fo severity)" error "a tag without = is an error"
is "$(get dmarc_syntax fo fix)" "remove it or write it as name=value" "dmarc_syntax: its fix"
is "$(get dmarc_syntax fo record)" "v=DMARC1; p=reject; rua=mailto:dmarc@dmarc-syntax.test" \
  "dmarc_syntax: the record without the stray piece"

scenario dmarc-dup.test warning 0 "dmarc_ok dmarc_tag_duplicate $BASE" "$NOSEL dmarc_tag_duplicate[p=none]"
is "$(get dmarc_tag_duplicate p=none severity)" warning "a second p= is a warning"
is "$(get dmarc_tag_duplicate p=none record)" "v=DMARC1; p=reject; rua=mailto:dmarc@dmarc-dup.test" \
  "dmarc_tag_duplicate: the record keeps the first p= (the one in force)"

scenario dmarc-pct.test warning 0 "dmarc_ok dmarc_pct_partial dmarc_pct_retired $BASE" \
  "$NOSEL dmarc_pct_partial[_dmarc.dmarc-pct.test] dmarc_pct_retired[_dmarc.dmarc-pct.test]"
is "$(get dmarc_pct_partial _dmarc.dmarc-pct.test severity)/$(get dmarc_pct_retired _dmarc.dmarc-pct.test severity)" \
  warning/info "pct=50: partial is a warning, retired info"
is "$(get dmarc_pct_partial _dmarc.dmarc-pct.test message)" \
  "pct=50: receivers apply p=quarantine to only 50% of failing mail" "pct=50: what it means"
is "$(get dmarc_pct_partial _dmarc.dmarc-pct.test record)" \
  "v=DMARC1; p=quarantine; rua=mailto:dmarc@dmarc-pct.test" "pct=50: the record without pct="

scenario dmarc-sp.test warning 0 "dmarc_ok dmarc_sp_weaker $BASE" "$NOSEL dmarc_sp_weaker[_dmarc.dmarc-sp.test]"
is "$(get dmarc_sp_weaker _dmarc.dmarc-sp.test message)" \
  "sp=none is weaker than p=reject: mail from any subdomain name, existing or not, gets the weaker policy" \
  "sp=none under p=reject: what it means"
is "$(get dmarc_sp_weaker _dmarc.dmarc-sp.test record)" "v=DMARC1; p=reject; rua=mailto:dmarc@dmarc-sp.test" \
  "sp weaker: the record without sp="

scenario dmarc-uri.test warning 0 "dmarc_ok dmarc_uri_invalid dmarc_no_rua $BASE" \
  "$NOSEL dmarc_no_rua[_dmarc.dmarc-uri.test] dmarc_uri_invalid[dmarc@dmarc-uri.test]"
is "$(get dmarc_uri_invalid dmarc@dmarc-uri.test severity)" warning "a rua without mailto: is a warning"
is "$(get dmarc_uri_invalid dmarc@dmarc-uri.test fix)" "write it as mailto:dmarc@dmarc-uri.test" \
  "the fix adds the mailto: the address lacks"
is "$(get dmarc_uri_invalid dmarc@dmarc-uri.test record)|$(get dmarc_no_rua _dmarc.dmarc-uri.test record)" \
  "v=DMARC1; p=reject; rua=mailto:dmarc@dmarc-uri.test|v=DMARC1; p=reject; rua=mailto:dmarc@dmarc-uri.test" \
  "both findings offer the record with the address meant, not another one"

# --- SPF ---------------------------------------------------------------------------
D="dmarc_ok spf_ok"
scenario spf-hostbits.test warning 0 "$D spf_cidr_host_bits dkim_no_selectors mx_ok" \
  "$NOSEL spf_cidr_host_bits[ip4:192.168.0.1/16]"
is "$(get spf_cidr_host_bits ip4:192.168.0.1/16 fix)" "write ip4:192.168.0.0/16" "host bits: the network to write"
is "$(get spf_cidr_host_bits ip4:192.168.0.1/16 record)" "v=spf1 ip4:192.168.0.0/16 -all" \
  "host bits: the corrected record holds ip4:192.168.0.0/16"

scenario spf-plusall.test critical 1 "$D spf_plus_all dkim_no_selectors mx_ok" "$NOSEL spf_plus_all[+all]"
is "$(get spf_plus_all +all severity)" critical "+all is critical"
is "$(get spf_plus_all +all record)" "v=spf1 ip4:192.0.2.0/24 -all" "+all: the record ends in -all"

scenario spf-neutral.test warning 0 "$D spf_neutral_all dkim_no_selectors mx_ok" "$NOSEL spf_neutral_all[?all]"
is "$(get spf_neutral_all '?all' record)" "v=spf1 ip4:192.0.2.0/24 -all" "?all: the record ends in -all"

scenario spf-softfail.test info 0 "$D spf_softfail_all dkim_no_selectors mx_ok" "$NOSEL spf_softfail_all[~all]"
is "$(get spf_softfail_all '~all' severity)" info "~all is only info"
is "$(get spf_softfail_all '~all' record)" "v=spf1 ip4:192.0.2.0/24 -all" "~all: the strict record"

scenario spf-two.test error 1 "dmarc_ok spf_multiple dkim_no_selectors mx_ok" "$NOSEL spf_multiple[]"
is "$(get spf_multiple '' message)" "2 SPF records at spf-two.test: receivers return permerror (RFC 7208 3.2)" \
  "two SPF records: permerror"
is "$(get spf_multiple '' fix)" "merge them into one record" "two SPF records: merge them"

scenario spf-type99.test warning 0 "$D spf_type99 dkim_no_selectors mx_ok" "$NOSEL spf_type99[]"
is "$(get spf_type99 '' fix)" "delete the record of type SPF (99); keep the TXT record" "type 99: delete it"

scenario spf-ptr.test warning 0 "$D spf_ptr dkim_no_selectors mx_ok" "$NOSEL spf_ptr[ptr]"
like "$(get spf_ptr ptr fix)" 'ip4:/ip6: ranges' "ptr: replace it with ranges"

scenario spf-toomany.test error 1 "$D spf_lookup_limit dkim_no_selectors mx_ok" "$NOSEL spf_lookup_limit[]"
is "$(get spf_lookup_limit '' severity)" error "over 10 lookups is an error"
like "$(get spf_lookup_limit '' message)" '^18 DNS lookups, over the limit of 10: receivers return permerror \(lookups per record: spf-toomany\.test \(6\), inc1\.spf-toomany\.test \(2\),' \
  "18 lookups counted, per record"
like "$(get spf_lookup_limit '' fix)" 'ip4:/ip6: ranges' "the fix says how to cut lookups"

scenario spf-ten.test info 0 "$D dkim_no_selectors mx_ok" "$NOSEL"
like "$(get spf_ok '' message)" '\(10 DNS lookups\)$' "exactly 10 lookups is within the limit"

scenario spf-loop.test error 1 "$D spf_loop dkim_no_selectors mx_ok" "$NOSEL spf_loop[spf-loop.test]"
is "$(get spf_loop spf-loop.test message)" \
  "include:spf-loop.test in the SPF record of loop.spf-loop.test loops back to a record that includes it: receivers return permerror" \
  "the loop: which include, in which record"
is "$(get spf_loop spf-loop.test fix)" "remove include:spf-loop.test from the SPF record of loop.spf-loop.test" \
  "the loop: the include to remove"

scenario spf-void.test error 1 "$D spf_void_limit dkim_no_selectors mx_ok" "$NOSEL spf_void_limit[]"
is "$(get spf_void_limit '' message)" \
  "3 lookups find no record (void), over the limit of 2: receivers return permerror" "3 void lookups"
is "$(get spf_void_limit '' fix)" \
  "remove or correct the terms that name domains without records: a:nx1.spf-void.test, a:nx2.spf-void.test, a:nx3.spf-void.test" \
  "the fix names the void terms"

scenario spf-missing.test error 1 "dmarc_ok spf_missing dkim_no_selectors mx_ok" "$NOSEL spf_missing[]"
like "$(get spf_missing '' fix)" '^publish this TXT record at spf-missing\.test, with an include: for each service' \
  "no SPF: publish a record, with the services' includes"
is "$(get spf_missing '' record)" "v=spf1 mx -all" "no SPF: a starter record"

scenario spf-include-missing.test error 1 "$D spf_include_missing dkim_no_selectors mx_ok" \
  "$NOSEL spf_include_missing[nospf.spf-include-missing.test]"
like "$(get spf_include_missing nospf.spf-include-missing.test message)" 'publishes no SPF record, so receivers return permerror' \
  "an include without a record: permerror"

scenario spf-noall.test warning 0 "$D spf_no_all dkim_no_selectors mx_ok" "$NOSEL spf_no_all[]"
is "$(get spf_no_all '' record)" "v=spf1 ip4:192.0.2.0/24 -all" "no all: the record with -all"

scenario spf-syntax.test error 1 "dmarc_ok spf_syntax dkim_no_selectors mx_ok" "$NOSEL spf_syntax[ipv4:198.51.100.0/24]"
is "$(get spf_syntax ipv4:198.51.100.0/24 fix)" "correct or remove ipv4:198.51.100.0/24" "the typo: the term to correct"

scenario spf-redirect.test info 0 "$D spf_redirect_with_all dkim_no_selectors mx_ok" \
  "$NOSEL spf_redirect_with_all[redirect=_spf.good.test]"
like "$(get spf_redirect_with_all redirect=_spf.good.test message)" 'ignored because the record has -all' \
  "redirect= with -all: the redirect is ignored"

# Sender coverage: 192.0.2.10 in ip4:, 198.51.100.7 and 2001:db8::7 in the
# include, 203.0.113.5 and 2001:db9::5 nowhere.
scenario good.test warning 0 "dmarc_ok spf_ok spf_source_not_covered spf_source_not_covered dkim_no_selectors mx_ok mx_ok" \
  "$NOSEL spf_source_not_covered[2001:db9::5] spf_source_not_covered[203.0.113.5]" \
  --source 192.0.2.10 --source 198.51.100.7 --source 203.0.113.5 --source 2001:db8::7 --source 2001:db9::5
is "$(get spf_source_not_covered 203.0.113.5 severity)" warning "an uncovered source is a warning"
is "$(get spf_source_not_covered 203.0.113.5 message)" "203.0.113.5 sends mail as good.test, but SPF gives it fail" \
  "the uncovered source and its SPF result"
is "$(get spf_source_not_covered 203.0.113.5 fix)" "add ip4:203.0.113.5 (or the sender's include) to the SPF record" \
  "the term to add"
is "$(get spf_source_not_covered 2001:db9::5 record)" \
  "v=spf1 ip4:192.0.2.0/24 include:_spf.good.test ip4:203.0.113.5 ip6:2001:db9::5 -all" \
  "the record covers every uncovered source, before -all"

# --- DKIM ----------------------------------------------------------------------------
run dkim.test --selector missing --selector revoked --selector weak --selector k1024 \
  --selector k2048 --selector ed --selector bad --selector testing
is "$(j '" ".join("%s[%s]=%s" % (f["code"], f["subject"], f["severity"]) for f in j["findings"] if f["code"].startswith("dkim"))')" \
  "dkim_missing[missing]=error dkim_revoked[revoked]=error dkim_weak_key[weak]=error dkim_short_key[k1024]=warning dkim_ok[k2048]=ok dkim_ok[ed]=ok dkim_syntax[bad]=error dkim_ok[testing]=ok dkim_testing[testing]=info" \
  "dkim.test: each selector's finding and severity, in the order given"
is "$(codes)" "dmarc_ok spf_ok dkim_missing dkim_revoked dkim_weak_key dkim_short_key dkim_ok dkim_ok dkim_syntax dkim_ok dkim_testing mx_ok" \
  "dkim.test: codes in order"
is "$(j 'j["worst"]')/$STATUS" error/1 "dkim.test: worst error, exit 1"
like "$(get dkim_weak_key weak message)" '^RSA 512-bit key: ' "weak: a 512-bit key"
like "$(get dkim_weak_key weak fix)" '^generate a 2048-bit RSA key' "weak: make a 2048-bit key"
like "$(get dkim_short_key k1024 message)" '^RSA 1024-bit key: 2048 bits is the recommended size' "k1024: a 1024-bit key"
is "$(get dkim_ok k2048 message)" "RSA 2048-bit key" "k2048: a 2048-bit key"
is "$(get dkim_ok ed message)" "Ed25519 key" "ed: an Ed25519 key"
like "$(get dkim_missing missing message)" 'no DKIM key at missing\._domainkey\.dkim\.test' "missing: the name looked up"
like "$(get dkim_missing missing fix)" 'at missing\._domainkey\.dkim\.test' "missing: where to publish the key again"
like "$(get dkim_revoked revoked message)" 'p= is empty' "revoked: the empty p="
like "$(get dkim_syntax bad message)" 'p= is not valid base64' "bad: the key is not base64"
is "$(get dkim_testing testing fix)" "remove t=y once signatures verify" "testing: drop t=y"

scenario dkim.test info 0 "dmarc_ok $BASE" "$NOSEL"

# --- MX ---------------------------------------------------------------------------------
M="dmarc_ok spf_ok dkim_no_selectors"
scenario mx-noptr.test warning 0 "$M mx_ptr_missing" "$NOSEL mx_ptr_missing[mx.mx-noptr.test 192.0.2.12]"
is "$(get mx_ptr_missing 'mx.mx-noptr.test 192.0.2.12' record)" "12.2.0.192.in-addr.arpa. PTR mx.mx-noptr.test." \
  "no PTR: the PTR record to ask for"
like "$(get mx_ptr_missing 'mx.mx-noptr.test 192.0.2.12' fix)" 'hosting provider, ISP' "no PTR: who to ask"

scenario mx-generic.test warning 0 "$M mx_ptr_generic" "$NOSEL mx_ptr_generic[mx.mx-generic.test 192.0.2.11]"
like "$(get mx_ptr_generic 'mx.mx-generic.test 192.0.2.11' message)" 'PTR dynamic-192-0-2-11\.pool\.isp\.test, which looks like' \
  "a dynamic-looking PTR is named"

scenario mx-mismatch.test warning 0 "$M mx_ptr_mismatch" "$NOSEL mx_ptr_mismatch[mx.mx-mismatch.test 192.0.2.13]"
is "$(get mx_ptr_mismatch 'mx.mx-mismatch.test 192.0.2.13' message)" \
  "192.0.2.13 has PTR notconfirmed.good.test, but notconfirmed.good.test does not resolve back to 192.0.2.13" \
  "an unconfirmed PTR: both names"

scenario mx-alias.test info 0 "$M mx_ok" "$NOSEL"
is "$(get mx_ok mx.mx-alias.test message)" "MX mx.mx-alias.test (preference 10), 192.0.2.10 (mail.good.test)" \
  "a confirmed PTR of another name is fine"

scenario mx-noaddr.test error 1 "$M mx_no_address" "$NOSEL mx_no_address[nowhere.mx-noaddr.test]"
like "$(get mx_no_address nowhere.mx-noaddr.test fix)" '^publish A \(and AAAA\) records for the host' \
  "an MX without address: publish one or repoint"

scenario nullmx.test info 0 "$M mx_null" "$NOSEL mx_null[]"
is "$(get mx_null '' message)" "null MX (RFC 7505): the domain says it receives no mail" "null MX"

scenario nomx.test info 0 "$M mx_missing" "$NOSEL mx_missing[]"
is "$(get mx_missing '' record)" "0 ." "no MX: the null MX to publish"
is "$(get mx_missing '' fix)" \
  "if the domain should receive no mail, say so with a null MX (RFC 7505): publish this MX record at nomx.test" \
  "no MX: where to publish it"

# --- helper zones are clean ------------------------------------------------------------
scenario thirdparty.test info 0 "dmarc_ok $BASE" "$NOSEL"
scenario esp.test info 0 "dmarc_ok $BASE" "$NOSEL"

# --- lookups that fail ---------------------------------------------------------------------
scenario refused.example error 1 "dmarc_lookup_failed spf_lookup_failed spf_lookup_failed dkim_no_selectors mx_lookup_failed" \
  "$NOSEL dmarc_lookup_failed[_dmarc.refused.example] mx_lookup_failed[] spf_lookup_failed[] spf_lookup_failed[]"
is "$(j '" ".join(f["message"].split(" failed ")[1].split(":")[0] for f in j["findings"] if f["code"].endswith("_failed"))')" \
  "(refused) (refused) (refused) (refused)" "every failed lookup says REFUSED"
is "$(get mx_lookup_failed '' fix)" "check that the name servers of the zone answer" "the fix: make the servers answer"

# --offline sends nothing: a silent server counts what reaches it.
python3 - "$TEST_DIR/silent.port" "$TEST_DIR/silent.count" <<'EOF' &
import socket, select, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
port = u.getsockname()[1]
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("127.0.0.1", port))
t.listen(8)
open(sys.argv[1], "w").write(str(port))
n = 0
while True:
    ready, _, _ = select.select([u, t], [], [])
    for s in ready:
        if s is u:
            s.recvfrom(4096)
        else:
            s.accept()[0].close()
        n += 1
        open(sys.argv[2], "w").write(str(n))
EOF
SILENT_PID=$!
for _ in $(seq 1 50); do [ -s "$TEST_DIR/silent.port" ] && break; sleep 0.1; done
SILENT="127.0.0.1:$(cat "$TEST_DIR/silent.port")"
"$BIN" check good.test --no-db --json --offline --dns-server "$SILENT" --selector s1 > "$OUT" 2> "$TEST_DIR/err"
STATUS=$?
is "$(faults)" "dkim_lookup_failed[s1] dmarc_lookup_failed[_dmarc.good.test] mx_lookup_failed[] spf_lookup_failed[] spf_lookup_failed[]" \
  "--offline: every lookup is a *_lookup_failed finding"
is "$(j '" ".join(sorted(set(f["fix"] for f in j["findings"])))')" "run the check with DNS lookups switched on" \
  "--offline: the fix is to switch lookups on, not to mend name servers"
like "$(get dkim_lookup_failed s1 message)" 'failed \(offline\)' "--offline: the message says so"
is "$STATUS" 1 "--offline: exit 1"
# The silent server would have counted a query sent before the check ended;
# give a late one time to arrive.
sleep 0.2
ok "$([ -s "$TEST_DIR/silent.count" ] && echo 1 || echo 0)" "--offline: not one query reached the DNS server"
"$BIN" check good.test --no-db --json --dns-server "$SILENT" --offline > /dev/null 2>&1
"$BIN" check nodmarc.test --no-db --offline --dns-server "$SILENT" > /dev/null 2>&1
sleep 0.2
ok "$([ -s "$TEST_DIR/silent.count" ] && echo 1 || echo 0)" "--offline: nothing sent in text mode either"

# --- plain text --------------------------------------------------------------------------------
text spf-hostbits.test
is "$STATUS" 0 "text: spf-hostbits.test exits 0"
is "$(head -n 1 "$TXT")" "spf-hostbits.test: warning" "text: the first line is the domain and the worst severity"
has_line "warning spf_cidr_host_bits [ip4:192.168.0.1/16]: ip4:192.168.0.1/16 has bits set past the prefix length: receivers read it as ip4:192.168.0.0/16, and some reject it" \
  "text: the fault line with severity, code, subject and message"
has_line "    fix: write ip4:192.168.0.0/16" "text: its fix line"
has_line "    publish: v=spf1 ip4:192.168.0.0/16 -all" "text: its record line"
has_line "ok spf_ok: SPF record: v=spf1 ip4:192.168.0.1/16 -all (0 DNS lookups)" "text: ok findings are listed too"
run spf-hostbits.test
is "$(grep -cE '^(ok|info|warning|error|critical) ' "$TXT")" "$(j 'len(j["findings"])')" \
  "text: one line per finding, as many as in JSON"

text nodmarc.test
is "$STATUS" 1 "text: nodmarc.test exits 1"
has_line "error dmarc_missing [_dmarc.nodmarc.test]: no DMARC record at _dmarc.nodmarc.test: receivers apply no policy and send no reports" \
  "text: dmarc_missing line"
has_line "    fix: publish this TXT record at _dmarc.nodmarc.test, then tighten p= as the reports allow" \
  "text: dmarc_missing fix"
has_line "    publish: v=DMARC1; p=none; rua=mailto:dmarc-reports@nodmarc.test" "text: dmarc_missing record"

text dmarc-ext.test
like "$(grep '^error dmarc_external_unauthorized' "$TXT")" '^error dmarc_external_unauthorized \[thirdparty\.test\]: reports for dmarc-ext\.test go to thirdparty\.test' \
  "text: the unauthorised report host"
like "$(grep '^    fix: ' "$TXT")" 'dmarc-ext\.test\._report\._dmarc\.thirdparty\.test TXT' "text: its fix names the record"

text dkim.test --selector weak --selector k1024
has_line "error dkim_weak_key [weak]: RSA 512-bit key: verifiers ignore signatures made with RSA keys under 1024 bits (RFC 8301)" \
  "text: the 512-bit key"
has_line "warning dkim_short_key [k1024]: RSA 1024-bit key: 2048 bits is the recommended size" "text: the 1024-bit key"
has_line "    fix: generate a 2048-bit RSA key in the signing system, publish it under a new selector and switch signing to it" \
  "text: the key fix"

text mx-noptr.test
has_line "warning mx_ptr_missing [mx.mx-noptr.test 192.0.2.12]: 192.0.2.12 has no reverse DNS (PTR): many servers distrust mail from it" \
  "text: the missing PTR"
has_line "    publish: 12.2.0.192.in-addr.arpa. PTR mx.mx-noptr.test." "text: the PTR to publish"

text spf-toomany.test
like "$(grep '^error spf_lookup_limit: ' "$TXT")" '^error spf_lookup_limit: 18 DNS lookups, over the limit of 10' \
  "text: the lookup count"

text good.test
is "$STATUS/$(head -n 1 "$TXT")" "0/good.test: info" "text: good.test is info, exit 0"
is "$(grep -cE '^(warning|error|critical) ' "$TXT")" 0 "text: good.test has no warning or worse"

# --- usage ------------------------------------------------------------------------------------------
usage() { # NAME PATTERN ARG...
  _n=$1 _p=$2
  shift 2
  "$BIN" check "$@" > "$TEST_DIR/usage.out" 2> "$TEST_DIR/usage.err"
  is "$?" 2 "usage: $_n exits 2"
  like "$(cat "$TEST_DIR/usage.err")" "$_p" "usage: $_n says why"
  is "$(wc -c < "$TEST_DIR/usage.out" | tr -d ' ')" 0 "usage: $_n prints nothing on stdout"
}
usage "no domain" 'expected a DOMAIN' --no-db --offline
usage "two domains" 'expected one DOMAIN' good.test nodmarc.test --no-db --offline
usage "'a b'" "'a b' is not a domain name" 'a b' --no-db --offline
usage "a single label" "'localhost' is not a domain name" localhost --no-db --offline
usage "--source not-an-ip" "--source 'not-an-ip' is not an IP address" good.test --source not-an-ip --no-db --offline
usage "an unknown option" 'Unknown option --no-such-option' good.test --no-such-option --no-db --offline

# --- the database ----------------------------------------------------------------------------------
"$BIN" check good.test --db "host=$TEST_DIR/no-server dbname=nothing" --offline > "$TEST_DIR/db.out" 2> "$TEST_DIR/db.err"
is "$?" 3 "an unreachable database: exit 3"
like "$(cat "$TEST_DIR/db.err")" 'cannot connect to the database' "it says the database cannot be reached"

if PGOPTIONS="-c client_min_messages=warning" "$PG_BINDIR/psql" -X -q -d postgres -c 'SELECT 1' > /dev/null 2>&1; then
  use_db check_t
  run_db() { "$BIN" check "$@" --json --dns-server "$DNS" > "$OUT" 2> "$TEST_DIR/err"; STATUS=$?; }
  run_db nodmarc.test
  is "$STATUS/$(faults)" "1/$NOSEL dmarc_missing[_dmarc.nodmarc.test]" "with a database: the same findings"
  is "$(sql "SELECT worst, findings FROM dns_checks WHERE domain = 'nodmarc.test'")" "error|4" \
    "the check is recorded with its worst severity and number of findings"
  is "$(sql "SELECT f.severity || ' ' || f.subject || ' ' || f.record FROM dns_check_findings f JOIN dns_checks c ON c.id = f.check_id WHERE c.domain = 'nodmarc.test' AND f.code = 'dmarc_missing'")" \
    "error _dmarc.nodmarc.test v=DMARC1; p=none; rua=mailto:dmarc-reports@nodmarc.test" \
    "the fault is recorded with its record to publish"
  run_db nodmarc.test --no-save
  is "$(sql "SELECT count(*) FROM dns_checks WHERE domain = 'nodmarc.test'")" 1 "--no-save records nothing"
  run_db good.test --selector s1
  is "$(sql "SELECT c.worst || ' ' || string_agg(f.code, ' ' ORDER BY f.ordinal) FROM dns_checks c JOIN dns_check_findings f ON f.check_id = c.id WHERE c.domain = 'good.test' GROUP BY c.worst")" \
    "ok dmarc_ok spf_ok dkim_ok mx_ok mx_ok" "good.test's check is recorded, in order"
else
  for _n in 1 2 3 4 5; do tap_result 0 "# SKIP no PostgreSQL reachable (PG* variables unset?)"; done
fi

done_testing
