Return-Path: <dmarc@mailhaus-example.com>
Delivered-To: dmarc@bakery-example.com
Received: from out1.mailhaus-example.com (out1.mailhaus-example.com [192.0.2.158])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4c0975C3D6C77
	for <dmarc@bakery-example.com>; Fri, 09 Oct 2026 03:05:12 +0000
Authentication-Results: mx.bakery-example.com;
	dkim=pass header.d=mailhaus-example.com;
	spf=pass smtp.mailfrom=mailhaus-example.com;
	dmarc=pass header.from=mailhaus-example.com
From: Mailhaus DMARC Reporter <dmarc@mailhaus-example.com>
To: dmarc@bakery-example.com
Date: Fri, 09 Oct 2026 03:00:09 +0000
Subject: Report Domain: bakery-example.com Submitter: mailhaus-example.com Report-ID: MH-20261008-bakery-example.com
Message-ID: <26911d884910d7f7c866@mailhaus-example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="=_mh_26911d884910d7f7c866"

--=_mh_26911d884910d7f7c866
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

DMARC aggregate reports for the domains that list dmarc@bakery-example.com in their rua tag:
  bakery-example.com (MH-20261008-bakery-example.com)
  patisserie-example.com (MH-20261008-patisserie-example.com)

--=_mh_26911d884910d7f7c866
Content-Type: application/gzip; name="mailhaus-example.com!bakery-example.com!1791417600!1791503999.xml.gz"
Content-Disposition: attachment; filename="mailhaus-example.com!bakery-example.com!1791417600!1791503999.xml.gz"
Content-Transfer-Encoding: base64

H4sICAAAAAAC/21haWxoYXVzLWV4YW1wbGUuY29tIWJha2VyeS1leGFtcGxlLmNvbSExNzkxNDE3
NjAwITE3OTE1MDM5OTkueG1sAO1aTXPaMBC951cw3P0hQwjMOE4v7fSSW3tmhL02mtiSRjKQ/PtK
yDImxQz5YOJpdQFrtdLuPr9nS4L44bkqR1sQkjB6P0Z+OB4BTVlGaHE//v3rhzcfPyQ3cQ6QrXD6
lNyMRnHjnijvOLAN3SGAM1EvK6hxhmusbcrKRLGkuILkEZNyjTdy9P0ZV7yEOGi7jCdUyiPJKizS
b1Xj7IFx9lNWxYHxMN5NNJIljz+9KIxmKAzn3go/gXg5HnXwNCNVcrAUmBZNYGVaQUFURXcLNEV3
s1AVZiy2H2i2770NJ4vFQiVC7WTB8WxttC4KMWclSV+WfLMqiVxDmwhT9dDkVM5Nl/HD2ROpEhEH
5qIxSp7vbfrbmHhCGVW48qYtrUFaC0/rBOny9IUx5SxRbfW5z/5UpgrqlAmbtGC7FhbJNiKFJeEJ
WkR+6Ec+UnMdrNYvZRtaJ5M4MBfW3ASDLS43CsXMdmhoiORMklpzy9TQtXT8NCAcS6kcWmya4vOm
owWoU+CrmOq22bJikgGtSU4Uszv3fwsl47DMBatO3rBjDztuDTgD0T+q298k8lf4GG/q9VKA3JT1
IaNX1V5IJYMMlJDWTCTVs9aNAsgaDj4mXANg02gx7MaOO+i+NY9U4ZVUuniVw75xYQIHygevwdHO
lq1vIi7qJy5yxHXEHR5x5/4tUg/c0Ed3/dydO+4Oi7sFY4Ve/HyIu5ck4qlEfKWTSTgLkV9gzqWs
an5pnnakU5lV2bxfZTOnMqcyp7JPUNn0tl9lkVOZU5lT2XtVFoUTtdVBaKKQ/IJdeo5J6UR2oIwN
wWhFUsEky+tL+WwvkHc0ldedaj+Fo/ue7l+xt3d0d3T/qp3KNBrSYZZRwucTXlWRgq9/EtjhLbyV
+RR20h/g0dYOXWU9dRqmc3mA5FdR1LnbNnhpRWE4pHfJlaRVEllLv31ii+Jf3Z4Y/N4hpxMI9eeh
na91YH1RIkMT0WT6H4hoCAuy665p9MLrtIKusoxH586GHG0cbXp2f+dOOxaONtd+ZxO6ZSQFL1Vz
gGhfVRTqs3u+YR/WfZDDcXD4S9UfbCdoPIUlAAA=

--=_mh_26911d884910d7f7c866
Content-Type: application/gzip; name="mailhaus-example.com!patisserie-example.com!1791417600!1791503999.xml.gz"
Content-Disposition: attachment; filename="mailhaus-example.com!patisserie-example.com!1791417600!1791503999.xml.gz"
Content-Transfer-Encoding: base64

H4sICAAAAAAC/21haWxoYXVzLWV4YW1wbGUuY29tIXBhdGlzc2VyaWUtZXhhbXBsZS5jb20hMTc5
MTQxNzYwMCExNzkxNTAzOTk5LnhtbADtVstu2zAQvOcrDN+tl9s4Bhimlxa95NaeBZpa2WzEB0jJ
Tf++K5OUFCc24kvbIL3Y5OyIOzscCCJ3j7KZ7cE6odXtPE+y+QwU15VQ29v5929fFjfzO3pFaoBq
w/gDvZrNSKBTZJM0bvqCBaNtW0poWcVa1mOIarstFZNA75lodqxzs8+PTJoGSDqUPBMkMmglmeWf
ZCAvwJMTriVJPcOzQzdR0fuviyIrrvMsu1kY1grnwAp4+uTI9k+jQCgtU9vQHKENbAVOtVrnH/LV
dYbDeSTWQVWH6sdsuV6vUYyKh6VPTxu6TZ0gRjeC/ypNt2mE28EgRONMip7SHcqey6oHIaklqV8E
0Jn6gPX/HjLUwg/gLUlNQNwIuYgZ3tK8H7NfeKjWFPf4e5jiJcVoO9c2irf652CP053lUApDi2yZ
ZEmeL5NiWWDDoRCpXHcKe5PULyIc+sGeNR0aWsVC75JwRjvR9lGLg0yxCbN3psaYIGEwKXhQh8Lg
1GTKo654h3E2IipQragFRn0Shj002kBZWy2pUHstOCw4EsEm8QYVtH1Mpsz4/A5YBdZjp+5+ygmi
nkkhrGt3pQXXNe2objLgGLFzIqcx8ydwlExl3xv9OmzGom8XzAybwc8xhumxtp4c03NhkIrsXQTp
VBT+RoiOpr7gReVdggbd1ZZWUDM8GN2KyCuTNBXwcqRfL+bfinO+OvNeLP7H+c/F+bKXYgywy8+l
2TDn3nKa8Qtg+N77DSB8XzIiCgAA

--=_mh_26911d884910d7f7c866--
