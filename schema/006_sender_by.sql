-- 006: what named a source's sender.  A source without a PTR name, or with
-- one the senders map does not know, is often still a known service: on
-- its mail, DKIM passed for the service's own domain (d=sendgrid.net) and
-- SPF passed for it too.  The resolver then names it from those, and the
-- dashboard says so ("SendGrid (by DKIM and SPF)"): weaker evidence than a
-- host name, but far better than "(no reverse DNS)".  DKIM alone is not
-- enough: a forwarder relays mail whose signature still passes.
ALTER TABLE source_identity ADD COLUMN sender_by text;  -- 'ptr', 'dkim'; NULL without a sender
UPDATE source_identity SET sender_by = 'ptr' WHERE sender_name IS NOT NULL;
