Return-Path: <dmarc_support@corp.mail.ru>
Delivered-To: dmarc@bakery-example.com
Received: from fallback21.m.smailru.net (fallback21.m.smailru.net [192.0.2.147])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4c043DE765DCA
	for <dmarc@bakery-example.com>; Mon, 05 Oct 2026 00:33:53 +0000
Authentication-Results: mx.bakery-example.com;
	dkim=pass header.d=corp.mail.ru;
	spf=pass smtp.mailfrom=corp.mail.ru;
	dmarc=pass header.from=corp.mail.ru
Content-Type: multipart/mixed; boundary="===============4007542932443004075=="
MIME-Version: 1.0
Subject: Report Domain: bakery-example.com; Submitter: Mail.Ru; Report-ID: 84460265513222692891791072000
From: dmarc_support@corp.mail.ru
To: dmarc@bakery-example.com
Message-ID: <dmarc-1791159985@corp.mail.ru>
Date: Mon, 05 Oct 2026 00:26:25 +0000
Auto-Submitted: auto-generated

--===============4007542932443004075==
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

VGhpcyBpcyBhbiBhZ2dyZWdhdGUgcmVwb3J0IGZyb20gTWFpbC5SdS4=

--===============4007542932443004075==
Content-Type: application/gzip
MIME-Version: 1.0
Content-Transfer-Encoding: base64
Content-Disposition: attachment;
 filename="mail.ru!bakery-example.com!1791072000!1791158400.xml.gz"

H4sICAAAAAAC/21haWwucnUhYmFrZXJ5LWV4YW1wbGUuY29tITE3OTEwNzIwMDAhMTc5MTE1ODQw
MC54bWwA7VbBbuIwEL33K3rjRJykgULkuvsDe9kfiBxnEiwS27Idlv79jhOgsLAUqSvtVuISe8ae
53l+L5Lp67ZrHzdgndTqZZJE8eQRlNCVVM3LpPf1dDF5ZQ+0BqhKLtaMWjDa+qIDzyvuOaPaNoXi
HbDvXLbRj56SQ4ZChzlWddyKwvUmVH4T2poo5COLe8cdFLbe8kJo5bnwhVS1ZivvTU7ICtrDdhLG
achg4XnFvjdZsUWWzeN0PpslT2mazpfpYpk8L5P4OY3jmJL3jRRJQGG5arDdEhqp2PHGMUNBVUM6
mS2ykA4xJcel5OxejG6leCtMX7bSrSAcpbF/xUq+Bvs2hS3vTAuR0B1CjUuUV2vZMUvJOKHcmXoI
w0gNU1oBJYZRt5/jhBrhWRL6ChP8np1sAW89jPonlureCiikYcgxyatykZcZ5EmeJwjxvkqF7hUC
UzJO9oxgw9seqQdG0hntpEfz7No5ztCBg+HOYX6gE1iM8cCHnCOSoUVZgfKyluhLRlfAK7BFbXV3
8e6O1yk5KeW9XxUWXN96t2vnFhUctCC8tqzbpugi7HafoCPYjsQuOGZ3E7zQBlgXGkboIfgD7nhL
pyzIQcwPRM0W8zh8MhS2vAt7ImyjddPCrcJewZ8ifoQmeYrncRI13BjnOm8+OH5f8PWdlYq7s+7O
+mvOKnmVz9BV2QVXZZ90VY2Ph2PaY/w1XFVBzbH2gqojiyuqSrXRUqCdsB2w0f4cBf6fqJvGeQ7J
BXmX/5W8sm3xCRx9SuaTf+sK4A0qOF3735S+qgQ5PNgffgFjtzRc4wsAAA==
--===============4007542932443004075==--
