Return-Path: <noreply@dmarc.yahoo.com>
Delivered-To: dmarc@bakery-example.com
Received: from sonic305-21.consmr.mail.gq1.yahoo.com (sonic305-21.consmr.mail.gq1.yahoo.com [192.0.2.144])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4c026E60C002E
	for <dmarc@bakery-example.com>; Sat, 03 Oct 2026 09:37:15 +0000
Authentication-Results: mx.bakery-example.com;
	dkim=pass header.d=yahoo.com;
	spf=pass smtp.mailfrom=dmarc.yahoo.com;
	dmarc=pass header.from=yahoo.com
MIME-Version: 1.0
Content-Transfer-Encoding: binary
Content-Type: multipart/mixed; boundary="_----------=_4582461710147588146"
Date: Sat, 03 Oct 2026 09:32:01 +0000
From: noreply@dmarc.yahoo.com
To: dmarc@bakery-example.com
Subject: Report Domain: bakery-example.com Submitter: yahoo.com Report-ID: <1790991733.851192>
Message-Id: <1791020235.824802@dmarc.yahoo.com>

This is a multi-part message in MIME format.

--_----------=_4582461710147588146
Content-Disposition: inline
Content-Transfer-Encoding: 8bit
Content-Type: text/plain

This is an aggregate DMARC report from Yahoo. Your domain bakery-example.com has a DMARC record set up. You are receiving this report because your email address is included in the 'rua' tag of that domain.  If you no longer wish to receive these reports, or if you would like them to be sent to a different location, kindly update or remove this record or collaborate with your hosting provider.

Please note that this email address is not monitored, and you will not receive a response if you reply to this email. For any feedback or questions, please reach out to dmarchelp@yahooinc.com.
--_----------=_4582461710147588146
Content-Disposition: attachment; filename="yahoo.com!bakery-example.com!1790899200!1790985599.xml.gz"
Content-Transfer-Encoding: base64
Content-Type: application/gzip; name="yahoo.com!bakery-example.com!1790899200!1790985599.xml.gz"

H4sICAAAAAAC/3lhaG9vLmNvbSFiYWtlcnktZXhhbXBsZS5jb20hMTc5MDg5OTIwMCExNzkwOTg1
NTk5LnhtbADtWttuozAQfd79iqrvAUxKEyQv3d/YJ+SYIbEKtmVD0v79mnBt0yLaXZoo9VOc8TA3
n2ONDfjhKc9u9qA0E/zXLXK824fox0+cAiQbQh/N+OYGK5BCFXEOBUlIQY5CIxZqG3OSQ/SH7ITA
bve/mYecsCxKcqLoDjL5+7lSY5w6VOTYrWcb1cYDSyK0Cr0wRKvl0lkHCIU+dvvJRtsEAbEifNu6
MrINbBk/Pr0OQ9/zsFtLOgXgjfF1EISh8c87e+4rg53LFxljKTJGn2NZbjKmd9CHI0wqPNqQR1DP
C3giucygTrKZahRJ8sjySGG3HrRSLdOjsPptZDLiggN2ZSegRYSqrKpBHeOb4ZhKUqG60JQ49BXQ
olQUYiYjU1bHc3wHGYO9tFOkouTGnSl9PeomGpewJ1lpSpZ0M1UVmJZCs8IAqQl+KBkqVrlLorXR
6MtQR2gqUM/0tRik+tqvWacuP8wS4AVLmcFy/+QOSAIqTpXI31yf4Xxr89QQJmWxixXoMisGxl9H
PxUHdaqQAS2EivIn3/PvTcatYKBUu2xK0vzpq/LCPx5W7KPBjPsZ4NI9qUSl3yHug+hDI+i7s+Cz
4JsFfGsnQGbn8xy0GsOf3f2+AoBbIbYZ/DsAJ0WzMNE4BvBL795DzpZIqXVeyMnBto9+V76sR/iy
9CxfLF8sXwZ8uQvGumvLF8sXyxeT89IcBhBamsKN0CWckS0pYdlVs6V1I3jOqBJapMVkTLYDtHhh
azG0dbTxLSE7doINLGQtZC8Psv5YE28hayF7gQfPu9F76rM00jWcZwAth4N2LvW68IBma6Wr10EH
socPBANazsYIgygKztSgzkgN31LDUsNS46TRWY3d7vvXRYwrv3z5D01L1UHV5f/K3XkUg+gszbbF
4Ak23sHFlWDw+C3MhZ34LAg/B8J3osmYLrTTnT/VdjSYSnvOt/6TojlXV4ACZLfkM7MhgZQYu3Pt
yVVjCmoiADmUhSLZF2NwZXfkT2Pw7UVnfC8YhQU1VgaLz6GYdfGxO/hS9i8vo+W2TSsAAA==

--_----------=_4582461710147588146--
