#!/bin/sh
# check-layers.sh -- the include rules between dmarcstat's parts.
# core knows no library but GLib; store is the only part that speaks libpq and
# knows no parser library; dns (c-ares, libpsl, libmaxminddb) and check (the
# DNS and SMTP diagnostics) never touch the database; ingest reaches PostgreSQL only through store; web
# never speaks libpq itself.
status=0
deny() { # deny DIR REGEX WHY
  hits=$(grep -nE "#include[[:space:]]*[<\"]($2)" "$1"/*.[ch] 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "check-layers: $1 must not include $2 ($3):"; echo "$hits"; status=1
  fi
}
deny core 'libpq-fe\.h|gmime/|libxml/|archive|microhttpd|ares|maxminddb|store/|ingest/|web/|cli/|advise/|dns/|check/' 'core is the bottom layer'
deny store 'gmime/|libxml/|archive|microhttpd|ares|ingest/|web/|cli/|advise/|dns/|check/' 'store talks only to PostgreSQL'
deny ingest 'libpq-fe\.h|microhttpd|web/|cli/|advise/' 'ingest reaches PostgreSQL through store'
deny web 'libpq-fe\.h|gmime/|libxml/|archive|ingest/|cli/' 'web reads through store'
deny dns 'libpq-fe\.h|gmime/|libxml/|archive|microhttpd|store/|ingest/|web/|cli/|advise/|check/' 'dns knows only the network and core'
deny check 'libpq-fe\.h|gmime/|libxml/|archive|microhttpd|store/|ingest/|web/|cli/|advise/' 'check reads DNS through dns/ and stores nothing'
deny advise 'libpq-fe\.h|gmime/|libxml/|archive|microhttpd|ingest/|web/|cli/|store/' 'advise is pure functions'
[ $status -eq 0 ] && echo "check-layers: ok"
exit $status
