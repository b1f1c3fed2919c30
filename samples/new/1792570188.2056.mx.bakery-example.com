Return-Path: <noreply-dmarc-support@google.com>
Delivered-To: dmarc@bakery-example.com
Received: from mail-sor-f73.google.com (mail-sor-f73.google.com [192.0.2.141])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4c19AB10E176A
	for <dmarc@bakery-example.com>; Wed, 21 Oct 2026 08:09:48 +0000
Authentication-Results: mx.bakery-example.com;
	dkim=pass header.d=google.com;
	spf=pass smtp.mailfrom=google.com;
	dmarc=pass header.from=google.com
MIME-Version: 1.0
Date: Tue, 20 Oct 2026 16:59:59 -0700
Message-ID: <86971535891615060996@google.com>
Subject: Report domain: bakery-example.com Submitter: google.com Report-ID: 86971535891615060996
From: noreply-dmarc-support@google.com
To: dmarc@bakery-example.com
Content-Type: application/zip; 
	name="google.com!bakery-example.com!1792454400!1792540799.zip"
Content-Disposition: attachment; 
	filename="google.com!bakery-example.com!1792454400!1792540799.zip"
Content-Transfer-Encoding: base64

UEsDBBQAAAAIAH2/VF20ptelOwQAANpMAAA3AAAAZ29vZ2xlLmNvbSFiYWtlcnktZXhhbXBsZS5j
b20hMTc5MjQ1NDQwMCExNzkyNTQwNzk5LnhtbO2czXKjOBCA7/MUrtwNiH9ThNnTPsHumRIgHCqA
WEnEydtvY8AmmZidsUlm7fQltlui1Wp93WoBlfD7c1WunpiQBa/v74hm3K1YnfKsqLf3d3//9efa
v1t9j76FOWNZQtPH6NtqFQrWcKHiiimaUUU7GUi52MY1rVi05XxbMi3lVagfhH0fVtGijGoOGsqX
dVZRka5l23Tq/phe1vcbrnlWgsYprxVNVVzUOY8elGpkoOvDpdrxUp3qtJY7JnTTdl3HN0DXj9f3
iodpFFnkuxuPOJbjb4hLHMM1Nhs31I/tfX+YK4sFrbfDbECUsG1RR8TbmLZj2waM1kvGdlZn+1bH
NrzNBmypR2X6a22H0aZODRteFulL3LRJWcgHdjCEg3vqKKGPTLys2TOtmtFxQ1Pfj2aPRRWJUO+/
DELZ5HtZ99mLmuifloIpqqhZqDeDVL4Wy1HepCoyHegHn3vL37MSnJtyMRos+O7gEslbkbK4aCKy
8TWHaMQwNGKD644tY9+Ut7WKbA9G67+ODcOQ7ImWLfgxGxs65xSy4bJQADSA1lk+lUz6dS5pqJTQ
4eCdYeJ5lAN/3Zzzw5D6+2PCwo2TC4uMgbPyAsLpcNkDoxkTcS54FdVsJ7X3Vm3aadD6g66Qtuoh
Fky2pTqqf2P6T5Ix4N+pGlww/Jg4gZUsVVxE1Y6AI8ZfB29MBz5hRRfDO/rElrKDyeY/LZms2MQd
wE7KtMvtmRABAfRmPbrOI/O/jD+Zw99C/BH/m8bfPI2/RTD7I/63jb91Gn/ieIg/4n/L+Hsz9Bv+
p9PfNyxM/7WB35+oz2T/tSFrMEQzDdOCczXRtrRppKxUs4ydo94zY+NCjy0aEqZhkCBL/MD2XaP7
YwcBSeZiw8PYwNj4ErEx3S780yHhmxgRGBFfdrcw09Oh4REMDQyNrxUaic0CAkXU3LOFDYbFbzlY
PwNw7i3BRi3XCUygzZmhzUHafgdt45fbKIVNzdBMbTarWcgZZrVlzlv2TD4z8Q4EFpVfpai0IO0S
YoGzMCBwg/8U0mbeCiH4YARJW6qUnOPMRc6wlFwknXlzD3pv5B23G60kL8ZM8lz1Dv+cnXPmhTK8
44cb53LHY9OYOQ58WI3Wh9LPJLX9hKicqgCRemlYVPKUlnFvUqjvRdM+4OIK2ImoSO97j46So2r9
te5b5Pq9rLXYWbwspJLaaAcX2/Pjq1N1fslwoSEfc0udECcIzJn7Tx7GF8YXxtf5u9dcSW5jcGFw
XVf5Pz73p1lAkiBI2LXSLfc+zWLeqrdw//+xvTJaKAmCuTxoYR7EPHi1edCFCnrmJXIT0+D1Upux
nEITYovYfvDuXdRPvEjZOgUVTBzOMTVTv0bvh92Fs2buwp375vP0v18sggyWaksU9gaUawRXG1f7
ktXGjeAWaTHhKMd8pOWay4be12cRE+rHf1P2L1BLAQIUABQAAAAIAH2/VF20ptelOwQAANpMAAA3
AAAAAAAAAAAAAACAAQAAAABnb29nbGUuY29tIWJha2VyeS1leGFtcGxlLmNvbSExNzkyNDU0NDAw
ITE3OTI1NDA3OTkueG1sUEsFBgAAAAABAAEAZQAAAJAEAAAAAA==
