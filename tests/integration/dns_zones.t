#!/bin/sh
# dns_zones.t -- the test DNS server itself (tests/lib/knot.sh): every zone
# in tests/lib/zones/ loads, and a sample of the seeded records answers as
# the zones' comments say, so a failing check test points at the checker and
# not at its fixtures.  Asks with kdig, never through dmarcstat.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
. "$ROOT/tests/lib/knot.sh"

command -v kdig >/dev/null 2>&1 || skip_all "kdig not found (apt-get install knot-dnsutils)"
knot_start "$TEST_DIR/knot" 2> "$TEST_DIR/knot.err" \
  || skip_all "no test DNS server: $(head -n 1 "$TEST_DIR/knot.err")"
trap 'knot_stop "$TEST_DIR/knot"; knot_stop "$TEST_DIR/knot2"' EXIT

dig_() { kdig @127.0.0.1 -p "$KNOT_PORT" +norecurse +time=2 +retry=1 "$@" 2>&1; }
short() { dig_ +short "$@"; }
status() { dig_ "$@" | sed -n 's/.*status: \([A-Z]*\).*/\1/p'; }
# The TXT strings of NAME joined as a resolver joins them (RFC 7208 3.3),
# one record per line, sorted.
txt() {
  dig_ +short "$1" "${2:-TXT}" | python3 -c '
import re, sys
for line in sorted(sys.stdin.read().splitlines()):
    print("".join(re.findall(r"\"((?:[^\"\\\\]|\\\\.)*)\"", line)))'
}
# Bits of the RSA key in the p= of a DKIM record (openssl reads the DER).
rsa_bits() {
  txt "$1" | sed -n 's/.*p=\([A-Za-z0-9+\/=]*\).*/\1/p' | base64 -d 2>/dev/null \
    | openssl pkey -pubin -inform DER -text -noout 2>/dev/null \
    | sed -n 's/.*Public-Key: (\([0-9]*\) bit).*/\1/p'
}

# --- the server
like "$DMARCSTAT_DNS_SERVER" '^127\.0\.0\.1:[0-9]+$' "DMARCSTAT_DNS_SERVER is exported"
n_zones=$(ls "$ROOT"/tests/lib/zones/*.zone | wc -l)
n_up=0
for z in "$ROOT"/tests/lib/zones/*.zone; do
  [ "$(status "$(basename "$z" .zone)" SOA)" = NOERROR ] && n_up=$((n_up + 1))
done
is "$n_up" "$n_zones" "every zone file loaded ($n_zones zones answer SOA)"
is "$(grep -ci 'error\|warning' "$TEST_DIR/knot/knotd.log")" 0 "knotd logged no zone errors or warnings"
is "$(status nothing-here.test A)" NXDOMAIN "an unknown .test name is NXDOMAIN"
is "$(status refused.example A)" REFUSED "a name outside every zone is REFUSED"

# --- good.test
is "$(txt _dmarc.good.test)" "v=DMARC1; p=reject; rua=mailto:dmarc@good.test" "good.test DMARC"
is "$(txt good.test)" "v=spf1 ip4:192.0.2.0/24 include:_spf.good.test -all" "good.test SPF"
like "$(txt _spf.good.test)" '^v=spf1 .*-all$' "good.test's SPF include exists"
is "$(rsa_bits s1._domainkey.good.test)" 2048 "good.test s1 is a 2048-bit RSA key"
like "$(dig_ +short s1._domainkey.good.test TXT)" '^"[^"]{255}" "' "s1 is split into 255-byte strings"
is "$(txt ed._domainkey.good.test | sed -n 's/.*k=ed25519; p=\(.*\)/\1/p' | base64 -d | wc -c)" 32 \
  "good.test ed is a 32-byte Ed25519 key"
is "$(short good.test MX | sort | tr '\n' ' ')" "10 mx1.good.test. 20 mx6.good.test. " "good.test MX"
is "$(short mx1.good.test A)" 192.0.2.25 "mx1.good.test A"
is "$(short -x 192.0.2.25)" mx1.good.test. "192.0.2.25 PTR mx1.good.test"
is "$(short mx6.good.test AAAA)" 2001:db8::25 "mx6.good.test AAAA"
is "$(short -x 2001:db8::25)" mx6.good.test. "2001:db8::25 PTR mx6.good.test (ip6.arpa)"
is "$(status _dmarc.sub.good.test TXT)" NXDOMAIN "sub.good.test has no DMARC record of its own"
is "$(txt sub.good.test)" "v=spf1 ip4:192.0.2.0/24 -all" "sub.good.test has SPF"

# --- DMARC faults
is "$(status _dmarc.nodmarc.test TXT)" NXDOMAIN "nodmarc.test has no _dmarc"
is "$(txt _dmarc.dmarc-multi.test | grep -c '^v=DMARC1')" 2 "dmarc-multi.test has two DMARC records"
like "$(txt _dmarc.dmarc-bad.test)" 'p=block; pct=150; adkim=x; ri=abc; fo=9; foo=bar' "dmarc-bad.test's bad tags"
is "$(txt _dmarc.dmarc-none.test)" "v=DMARC1; p=none" "dmarc-none.test: p=none, no rua"
is "$(status dmarc-ext.test._report._dmarc.thirdparty.test TXT)" NXDOMAIN \
  "thirdparty.test does not authorise dmarc-ext.test"
is "$(txt dmarc-extok.test._report._dmarc.thirdparty.test)" "v=DMARC1" \
  "thirdparty.test authorises dmarc-extok.test"

# --- SPF faults
is "$(txt spf-hostbits.test)" "v=spf1 ip4:192.168.0.1/16 -all" "spf-hostbits.test"
like "$(txt spf-plusall.test)" ' \+all$' "spf-plusall.test ends in +all"
is "$(txt spf-two.test | grep -c '^v=spf1')" 2 "spf-two.test has two SPF records"
is "$(txt spf-type99.test TYPE99)" "v=spf1 ip4:192.0.2.0/24 -all" "spf-type99.test has a type 99 record"
is "$(txt spf-type99.test)" "v=spf1 ip4:192.0.2.0/24 -all" "spf-type99.test has the TXT record too"
like "$(txt spf-ptr.test)" ' ptr ' "spf-ptr.test uses ptr"
n_terms=0
for i in 1 2 3 4 5 6; do
  [ "$(txt inc$i.spf-toomany.test)" = "v=spf1 a mx -all" ] \
    && [ -n "$(short inc$i.spf-toomany.test A)" ] && [ -n "$(short inc$i.spf-toomany.test MX)" ] \
    && n_terms=$((n_terms + 3))
done
is "$(txt spf-toomany.test | grep -o 'include:' | wc -l)" 6 "spf-toomany.test has 6 includes"
is "$n_terms" 18 "spf-toomany.test: 18 DNS-querying terms, none void"
n_terms=0
for i in 1 2 3 4 5; do
  [ "$(txt inc$i.spf-ten.test)" = "v=spf1 a -all" ] && [ -n "$(short inc$i.spf-ten.test A)" ] \
    && n_terms=$((n_terms + 2))
done
is "$n_terms" 10 "spf-ten.test: exactly 10 DNS-querying terms"
like "$(txt loop.spf-loop.test)" 'include:spf-loop\.test' "spf-loop.test's include includes it back"
is "$(status nx1.spf-void.test A) $(status nx2.spf-void.test A) $(status nx3.spf-void.test A)" \
  "NXDOMAIN NXDOMAIN NXDOMAIN" "spf-void.test's three a: names do not exist"
is "$(txt spf-missing.test)" "" "spf-missing.test has no SPF"
is "$(status nospf.spf-include-missing.test TXT)" NOERROR "the include of spf-include-missing.test exists..."
is "$(txt nospf.spf-include-missing.test)" "" "...without SPF"
is "$(txt spf-noall.test)" "v=spf1 ip4:192.0.2.0/24" "spf-noall.test has no all"

# --- DKIM
is "$(status missing._domainkey.dkim.test TXT)" NXDOMAIN "dkim.test selector missing"
is "$(txt revoked._domainkey.dkim.test)" "v=DKIM1; k=rsa; p=" "dkim.test selector revoked (empty p=)"
is "$(rsa_bits weak._domainkey.dkim.test)" 512 "dkim.test selector weak: 512 bits"
is "$(rsa_bits k1024._domainkey.dkim.test)" 1024 "dkim.test selector k1024: 1024 bits"
is "$(rsa_bits k2048._domainkey.dkim.test)" 2048 "dkim.test selector k2048: 2048 bits"
is "$(txt ed._domainkey.dkim.test | sed -n 's/.*k=ed25519; p=\(.*\)/\1/p' | base64 -d | wc -c)" 32 \
  "dkim.test selector ed: 32-byte Ed25519 key"
is "$(rsa_bits bad._domainkey.dkim.test)" "" "dkim.test selector bad is not a key"
like "$(txt testing._domainkey.dkim.test)" '; t=y; p=' "dkim.test selector testing has t=y"

# --- PTR and MX
is "$(short -x 192.0.2.10)/$(short mail.good.test A)" "mail.good.test./192.0.2.10" \
  "192.0.2.10 PTR mail.good.test, forward-confirmed"
is "$(short -x 192.0.2.11)/$(short dynamic-192-0-2-11.pool.isp.test A)" \
  "dynamic-192-0-2-11.pool.isp.test./192.0.2.11" "192.0.2.11 has a generic PTR"
is "$(status -x 192.0.2.12)" NXDOMAIN "192.0.2.12 has no PTR"
is "$(short -x 192.0.2.13)/$(short notconfirmed.good.test A)" "notconfirmed.good.test./192.0.2.99" \
  "192.0.2.13's PTR does not confirm"
is "$(short -x 198.51.100.7)/$(short o1.ptr1234.sendgrid.net A)" \
  "o1.ptr1234.sendgrid.net./198.51.100.7" "198.51.100.7 is SendGrid, forward-confirmed"
is "$(short -x 203.0.113.13)" mail.good.test. "203.0.113.13 claims mail.good.test (forged)"
is "$(short mx.mx-noptr.test A)/$(status -x 192.0.2.12)" "192.0.2.12/NXDOMAIN" "mx-noptr.test"
is "$(short mx.mx-generic.test A)" 192.0.2.11 "mx-generic.test"
is "$(short mx.mx-mismatch.test A)" 192.0.2.13 "mx-mismatch.test"
is "$(status nowhere.mx-noaddr.test A)" NXDOMAIN "mx-noaddr.test's MX host has no address"
is "$(short nullmx.test MX)" "0 ." "nullmx.test has a null MX"
is "$(status nomx.test MX)/$(short nomx.test MX)" "NOERROR/" "nomx.test has no MX"

# --- SMTP hosts (check_smtp.t)
is "$(short smtp-ok.test A)/$(short -x 127.0.0.2)" "127.0.0.2/smtp-ok.test." "smtp-ok.test"
is "$(short smtp-bad.test A)/$(short -x 127.0.0.3)" "127.0.0.3/other-name.test." "smtp-bad.test's PTR is other-name.test"
is "$(status -x 127.0.0.4)" NXDOMAIN "127.0.0.4 has no PTR"

# --- the harness: a second server finds another port; stop means stopped
knot_start "$TEST_DIR/knot2" 2>/dev/null
ok $? "a second server starts beside the first"
port2=$KNOT_PORT
is "$(kdig @127.0.0.1 -p "$port2" +short good.test MX | wc -l)" 2 "the second server answers"
knot_stop "$TEST_DIR/knot2"
kdig @127.0.0.1 -p "$port2" +time=1 +retry=0 good.test SOA >/dev/null 2>&1
ok $((! $?)) "knot_stop stops it"
done_testing
