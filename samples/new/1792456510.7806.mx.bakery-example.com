Return-Path: <dmarc_support@corp.mail.ru>
Delivered-To: dmarc@bakery-example.com
Received: from fallback21.m.smailru.net (fallback21.m.smailru.net [192.0.2.147])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4c18F5CC34C90
	for <dmarc@bakery-example.com>; Tue, 20 Oct 2026 00:35:10 +0000
Authentication-Results: mx.bakery-example.com;
	dkim=pass header.d=corp.mail.ru;
	spf=pass smtp.mailfrom=corp.mail.ru;
	dmarc=pass header.from=corp.mail.ru
Content-Type: multipart/mixed; boundary="===============3080709021026634807=="
MIME-Version: 1.0
Subject: Report Domain: bakery-example.com; Submitter: Mail.Ru; Report-ID: 67321559685614194191792368000
From: dmarc_support@corp.mail.ru
To: dmarc@bakery-example.com
Message-ID: <dmarc-1792456084@corp.mail.ru>
Date: Tue, 20 Oct 2026 00:28:04 +0000
Auto-Submitted: auto-generated

--===============3080709021026634807==
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

VGhpcyBpcyBhbiBhZ2dyZWdhdGUgcmVwb3J0IGZyb20gTWFpbC5SdS4=

--===============3080709021026634807==
Content-Type: application/gzip
MIME-Version: 1.0
Content-Transfer-Encoding: base64
Content-Disposition: attachment;
 filename="mail.ru!bakery-example.com!1792368000!1792454400.xml.gz"

H4sICAAAAAAC/21haWwucnUhYmFrZXJ5LWV4YW1wbGUuY29tITE3OTIzNjgwMDAhMTc5MjQ1NDQw
MC54bWwA7VbbbpwwEH3PV+RtnxYDC2QXOU5/oC/9AWTMwFoB27VNuvn7jiG7YbVps6rUSlEjIew5
nhnP8Rku9OEw9LdPYJ3U6n6VRPHqFpTQjVTd/Wr07Xq7emA3tAVoai4eGbVgtPXVAJ433HNGte0q
xQdgX7nso28jJSeEwoAYawZuReVGEyK/CG1NFPDIou/sQeHgLa+EVp4LX0nVarb33pSE7KE/uZMw
rgOCgZcRx9pkw4q7TZrk+a7Y5kWSJTu8krtduim2cRxT8upIkQRUlqsOy62hk4otHWeEgmomOMuz
LMDBpmQZSi7OxeheiufKjHUv3R7CVhrrV6zmj2Cf13Dgg+khEnrAVPMS5c2jHJilZJ5Q7kw7mWGk
hn0fOW7opQJKDKPuHEGTGuFZmuMqjni/KMICChBG/QPj9WgFVNKwNI6Tsqm3ZZ1BmZRlgixfV6nQ
o/JsQ8k8OZKDJ96PeAqBnHRGO+mxj5jSoZolQic6hjuH+MQsEJrtiRq5zEimEmUDyK6V2KKM7oE3
YKvW6uHNY1yuU3IWyke/ryy4sffupZxrBHHQg/DasuGQxmmB1R4BOid7IfFiLNldlV5oA2wIBWPq
yfhF3vmUzlmQk5jviJptizjcMhS2fkPYu/9Y2E7rrodrhf1N/jXmj7BJNnERJ1HHjXFu8Oad7Y8B
H7+zUvFGZxWfnfXZWX/UWXxT5GWKL6z880t0putx8lGFrXmDX6GyrOEvCNviH+KS92xP9VrgLvj5
ZyTmJv5NpUdPyYQEArPDP+6ApTxSPWkp8IFHb7DRMaECf5VMM9vrZCKnf/qbn0g3eVUGDAAA
--===============3080709021026634807==--
