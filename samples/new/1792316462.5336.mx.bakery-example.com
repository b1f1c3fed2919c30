Return-Path: <noreply@dmarc.yahoo.com>
Delivered-To: dmarc@bakery-example.com
Received: from sonic305-21.consmr.mail.gq1.yahoo.com (sonic305-21.consmr.mail.gq1.yahoo.com [192.0.2.144])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4c17A31F0303E
	for <dmarc@bakery-example.com>; Sun, 18 Oct 2026 09:41:02 +0000
Authentication-Results: mx.bakery-example.com;
	dkim=pass header.d=yahoo.com;
	spf=pass smtp.mailfrom=dmarc.yahoo.com;
	dmarc=pass header.from=yahoo.com
MIME-Version: 1.0
Content-Transfer-Encoding: binary
Content-Type: multipart/mixed; boundary="_----------=_0223872676699687166"
Date: Sun, 18 Oct 2026 09:34:03 +0000
From: noreply@dmarc.yahoo.com
To: dmarc@bakery-example.com
Subject: Report Domain: bakery-example.com Submitter: yahoo.com Report-ID: <1792289618.648965>
Message-Id: <1792316462.423843@dmarc.yahoo.com>

This is a multi-part message in MIME format.

--_----------=_0223872676699687166
Content-Disposition: inline
Content-Transfer-Encoding: 8bit
Content-Type: text/plain

This is an aggregate DMARC report from Yahoo. Your domain bakery-example.com has a DMARC record set up. You are receiving this report because your email address is included in the 'rua' tag of that domain.  If you no longer wish to receive these reports, or if you would like them to be sent to a different location, kindly update or remove this record or collaborate with your hosting provider.

Please note that this email address is not monitored, and you will not receive a response if you reply to this email. For any feedback or questions, please reach out to dmarchelp@yahooinc.com.
--_----------=_0223872676699687166
Content-Disposition: attachment; filename="yahoo.com!bakery-example.com!1792195200!1792281599.xml.gz"
Content-Transfer-Encoding: base64
Content-Type: application/gzip; name="yahoo.com!bakery-example.com!1792195200!1792281599.xml.gz"

H4sICAAAAAAC/3lhaG9vLmNvbSFiYWtlcnktZXhhbXBsZS5jb20hMTc5MjE5NTIwMCExNzkyMjgx
NTk5LnhtbADtWttymzAUfG6/wpP3AML3GZX0N/rEyHCMNQFJlYQd/33FnTgJg9s6TmI9gY+OpD3L
rhBg/PCUpZM9SEU5+3GHHO/uIfj2HW8B4g2JHs35ZIIlCC51mIEmMdGkDJowl0nISAbBL7LjHLvt
77odMkLTIM6IjHaQip/HIo2yyIl4ht2qtU6tZ6BxgJZr31+tF2jlLGbmOMdu11hnGxAQSsKSZioT
20BCWdkbree+52G3irQJwJrB0Xy9nhgArB3QPRmxnfNZyVjwlEbHUOSblKoddHi4qYUFG/II8ngP
TyQTKVRV1k11IokfaRZI7FYnTVSJbRksjnVMBL9zYgBpygC7og1HOvANJcWxAvoqJsNnxGWLT/JD
x4PiuYwgpCJAa9/xHN9Bhqwu2iZGPGc6mGK3Omnj9YywJ2luaIvbloIJqgRXVBs1BYwX0PuRfmJR
vyBKmYyOigqgYaFq6fjoVXo6r7lWbXmYxmAo21Ij6K7nDkgMMtxKnr16jfrtzZgvB8Ik17tQgspT
3Rv8FP1YLVSlQgqR5jLInnzPX5iKm0AvqZqypqT+0bHybH7cZ+xcMMPz9LTpvmCiyG8Fd6b40ID4
kBWfFd9FxLdy5sgsfJ6DlgP6W1n9vYP+Es6TFP5df6PQ3Bs0jtH71Ft4yEmIEEplWowG23S9Vbus
Buwys3axdrF26dllNre7G2sXa5chu/je1DwJIDQ1xFm3XNktzcnN7m9mQxr0r6LBLaHpRTTI4KCc
j/pQekAXW7OLN48HsoczwIASF3OEUVQEzlhQV7TGx3tVY61hrXH9fctyeTv3jC++y/8PmxbFt7qi
/z1X50EN/v3i3P8KNaTEqmCrxFFKfEMdX0SJ5cfXq+wTzhFhWRhRz0YxMX0UUN4EKUvClCqN3TLU
6+ae9LNyHiPnN9AUFCunAcNlMgimyL7kt6pRaK72dmTwU+n0E/hKlbzGIc8/sa0+xrqM3d5fdP4A
htdmZsYjAAA=

--_----------=_0223872676699687166--
