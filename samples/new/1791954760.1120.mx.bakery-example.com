Return-Path: <abuse@regionet-example.com>
Delivered-To: dmarc@bakery-example.com
Received: from mx-out.regionet-example.com (mx-out.regionet-example.com [192.0.2.143])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4c12383733A39
	for <dmarc@bakery-example.com>; Wed, 14 Oct 2026 05:12:40 +0000
Authentication-Results: mx.bakery-example.com;
	dkim=pass header.d=regionet-example.com;
	spf=pass smtp.mailfrom=regionet-example.com;
	dmarc=pass header.from=regionet-example.com
From: abuse@regionet-example.com
To: dmarc@bakery-example.com
Date: Wed, 14 Oct 2026 05:04:16 +0000
Subject: Report Domain: bakery-example.com Submitter: regionet-example.com Report-ID: D574C6580BF24CD9
Message-ID: <f305558454443140.dmarc@regionet-example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed;
	boundary="----=_NextPart_f30555845444314016e0b522"

This is a multi-part message in MIME format.

------=_NextPart_f30555845444314016e0b522
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

Aggregate DMARC report(s) for bakery-example.com, see attachment.

------=_NextPart_f30555845444314016e0b522
Content-Type: application/x-zip-compressed; name="regionet-example.com!bakery-example.com!1791849600!1791935999.zip"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="regionet-example.com!bakery-example.com!1791849600!1791935999.zip"

UEsDBBQAAAAIAH2/TV29DCKXTQMAAEY2AABBAAAAcmVnaW9uZXQtZXhhbXBsZS5jb20hYmFrZXJ5
LWV4YW1wbGUuY29tITE3OTE4NDk2MDAhMTc5MTkzNTk5OS54bWztW11zojAUfe+vcHwvEPxkJqU7
224fOzv78exEuNJMgTBJ0PbfbxAsoCjVda1d44twcwMnJ/ec8KH49iUKO3PggrL4posMq9uB2GM+
jYOb7u9fD9fj7q17hWcA/pR4z+5VR31w0cFV+dhc7eRNHBLG5SQCSXwiSR5dtjAeTGISgfsDApUP
svPthURJCNh8ayqzISI0dMk0FfCFFx2uIe9geCzCZp5R9ijOTH33fjDq3w0HY+vrg92/u3ewWbaV
+QoeTDiJg8pplw1TdTo1tpGDxn1naKkh5pF6FsT+MsfpDRxHnSLbLw9urh/9DUOdGZywkHqvkySd
hlQ8QQ0gUyOM3Sl5Bv5aH3vRVOYS/5lGLsdmvlFpEMlsGc++y3DixopRbCaVmFgFRTWaeNJFGQnZ
RjGUZtBqBjzGqyPgbLHGmmAp92BCExc5tmEZtoHUoctoPdtjaSzdHjbzjXpjAQLmJEwV2X69OWeQ
ioQJKrPyfFwOrRppyM+4+06EUIk1GisczYqEGp81WhoQqdmvUoGpD7GkM6qks1FWcwhZApMZZ1Hj
3Ncz6r2fgPjAt/ettlfANcLBJJVPEw4iDeU6yi3s7FGxJaMQgicZd6MX27KHithVYDM3B1NMQLGz
NgebyPDGTB2O1VO8u1FGn8K53DkIZF2L5ibRWcdSSwcKC7UJC2lhaWFpYb1fWGNjgNSCZRlo1KYt
R2vrErQVMBZkV7BH19Y+YK8VWENpvGcNLWQEJEmEiGSy71hWR9BOcUynGLc5xVg7hXYK7RQX7xT9
QZtT2NoptFNop7hMp7CtnrqtR6inZkXf2GujUEpabWh1HVNdSC/DWl1aXf/qfrjfvnoNz0xgD4SG
pxKYGrcHRvZqc0HmcJjSYlgI49M9pV6gk1/yNtP8HqwgkpPbwq7S+I/8of211UD7g/YH7Q8X6g92
qz8g7Q/aH7Q/XKg/9Nr8QV8+aHvQ9nCZ9mBb5/bwPFf/edhDSIUUxmrmGQ/0SzZZ8H8kS2hguB1r
1ukjfsK3F9hP9pS/P9I+sNUHskUA+PkZwc5qbQJ9lHJ9hFRyEn5wxaJB/8z+KHFOFTulYUjjwPir
F1Q7jnGSCt4F4CiV/JPN5GzHcrZHKWOz/E/YH1BLAQIUABQAAAAIAH2/TV29DCKXTQMAAEY2AABB
AAAAAAAAAAAAAACAAQAAAAByZWdpb25ldC1leGFtcGxlLmNvbSFiYWtlcnktZXhhbXBsZS5jb20h
MTc5MTg0OTYwMCExNzkxOTM1OTk5LnhtbFBLBQYAAAAAAQABAG8AAACsAwAAAAA=

------=_NextPart_f30555845444314016e0b522--
