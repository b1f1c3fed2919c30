Return-Path: <dmarc-noreply@postbox-example.com>
Delivered-To: dmarc@bakery-example.com
Received: from mta3.postbox-example.com (mta3.postbox-example.com [192.0.2.160])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4c1632B626221
	for <dmarc@bakery-example.com>; Sat, 17 Oct 2026 06:00:17 +0000
Authentication-Results: mx.bakery-example.com;
	dkim=pass header.d=postbox-example.com;
	spf=pass smtp.mailfrom=postbox-example.com;
	dmarc=pass header.from=postbox-example.com
From: Postbox DMARC <dmarc-noreply@postbox-example.com>
To: dmarc@bakery-example.com
Date: Sat, 17 Oct 2026 05:54:25 +0000
Subject: Report Domain: bakery-example.com Submitter: postbox-example.com Report-ID: <r20261016.aab2fc@postbox-example.com>
Message-ID: <r20261016.aab2fc.m@postbox-example.com>
Auto-Submitted: auto-generated
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="bis-b8281211268482555d0f"

--bis-b8281211268482555d0f
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

This is a DMARC aggregate report (RFC 9990) for bakery-example.com.

--bis-b8281211268482555d0f
Content-Type: application/gzip
Content-Disposition: attachment; filename="postbox-example.com!bakery-example.com!1792108800!1792195199!557fca.xml.gz"
Content-Transfer-Encoding: base64

H4sICAAAAAAC/3Bvc3Rib3gtZXhhbXBsZS5jb20hYmFrZXJ5LWV4YW1wbGUuY29tITE3OTIxMDg4
MDAhMTc5MjE5NTE5OSE1NTdmY2EueG1sAO1bS3PiOBC+51e4OM0c8AtCwOV4dg87t62aqp05U8Ju
G21sySsJCHvY374tZAPJAMVkMsEVdAG71Wr1Q98n+RV/eqxKZwlCUs7ue4Hr9xxgKc8oK+57375+
7o97n5KbOAfIZiR9cFCdyfveQrCIgsqjmghSyQjFEZNRVhGR9kO0ktw4TtzYTdBs7LUnukFAzYWa
VqBIRhTRMpRyUUwZqSD5wqWa8Ufnj0dS1SXE3rbFKEJFaJmYwRhHY+X6t9r06YPp46a8ij2j2HR6
VIJMU84USdWUspw7JdFRAuslc6VqGXneASveHMra2wyGBr8z0lhvIqJZIkI/HAV+MHIJmYV5etiz
nb7pj2mAqUB/mhhRNIOCYu7uJmHgj8c+ptBI2nZgmWmd3AaTCfrGWmPec2txAQwEUVxsc/vn198d
k0HjCghv6IZuEHs7XV0q70Ct4pqXNF1P68WspHIO2yA45pslM/IAYv003qbJ6NXJPwucN0xRhsWt
G6l8KpatnNWJgL8hVbHHWhnJHmiViNgzB41Q1vlGpv8bj6hMOc68tfZ/zrNECYAVKR/Qo+dNpocC
ieMXCYu99nCThkMhY9VTLtqegq+2tZF8IVKY0joJJggHnVis307a6qV8wVQyjD1z0IqbwWBJygWW
MmsbTEQ4oajSUKqJlJtAtpI9PZ2XRmGboibPedOwzdNegM/GxPq3YcU0A6xNThHI225zIBmIaS54
dbDu++27ibuEktdwvNdTjcaR74aPyULNpwLkolQ7j55Fe+acNJmBEqcZTvzqUYMYE9QKdjpmuCaB
zcmudb6oCGtcSgrOM0fSghG1EDijnzRu877vb7xXkR/1PcV8JZVOGPq9OXmR0xJpBIRDpaOzywX9
F7Jjru9w5j0vhR6mxcYPwSQ4DpPQwsTC5LphEvp+EGWzcTQbQhRE0alVxcLFwuXqV5Wxexvg3st3
g7vjSAkGFirdggpO8kJf+L05VM5xvo/OuwjlgT/yA7cgdS1lpepzY2t7WiK4DBGMjxPB2PKA5QHL
A1fBA8Nbu3W2PGB54Lqvo4fjka9/hngtPTtOCCNLCJYQLCFcFyGEqX1kYwnBEsKVEsLA9d0gGGDd
jtOAvXHYMRpoDyxWLoMV+/jWYsVi5TyshCeeSFmsWKxYrLQXZWQwuo3CKArsPVsLGQuZMx90Dv0u
LTA5oeWro4XBSrovhAyGn4Kr3xBfkSV07FWhVdCZWxmHM3TKd5B1ZzB/qsrvd295d/fuoW9vXXZ8
lZQ8V6byZ4GFcbWHFufDf6QsP77tihn6v2DFZFx/zXICNiZH58BmExCR+yb0FytrXQrUpayYllSq
2NuI9nWwihXO50Q392l2vymydPWpdNtSc1HoGI3mbkjv6ZiXw+4Bb7sP3bMQ0KLWyWi2AcISBM3X
zocZz9bOnMi5U1FZEZXOP/7ESn4ggcdD08pdel/5LOffzeY9HI5fn4r2P697FUK6HBdovgPRLTLI
ICdotHtscBBPhzL4IkCZBe50TIw7f3357BgMvDGSbn2LpIvviClbcppCP0Ube7OOgTp5Cymwu+LX
3hXHXvsxf3LzPxVxXlH/PwAA

--bis-b8281211268482555d0f--
