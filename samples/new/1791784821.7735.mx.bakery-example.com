Return-Path: <dmarc-noreply@postbox-example.com>
Delivered-To: dmarc@bakery-example.com
Received: from mta3.postbox-example.com (mta3.postbox-example.com [192.0.2.160])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4c1160C44DF07
	for <dmarc@bakery-example.com>; Mon, 12 Oct 2026 06:00:21 +0000
Authentication-Results: mx.bakery-example.com;
	dkim=pass header.d=postbox-example.com;
	spf=pass smtp.mailfrom=postbox-example.com;
	dmarc=pass header.from=postbox-example.com
From: Postbox DMARC <dmarc-noreply@postbox-example.com>
To: dmarc@bakery-example.com
Date: Mon, 12 Oct 2026 05:53:04 +0000
Subject: Report Domain: bakery-example.com Submitter: postbox-example.com Report-ID: <r20261011.0e0d07@postbox-example.com>
Message-ID: <r20261011.0e0d07.m@postbox-example.com>
Auto-Submitted: auto-generated
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="bis-a37adfd857059a4e266c"

--bis-a37adfd857059a4e266c
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

This is a DMARC aggregate report (RFC 9990) for bakery-example.com.

--bis-a37adfd857059a4e266c
Content-Type: application/gzip
Content-Disposition: attachment; filename="postbox-example.com!bakery-example.com!1791676800!1791763199!934b42.xml.gz"
Content-Transfer-Encoding: base64

H4sICAAAAAAC/3Bvc3Rib3gtZXhhbXBsZS5jb20hYmFrZXJ5LWV4YW1wbGUuY29tITE3OTE2NzY4
MDAhMTc5MTc2MzE5OSE5MzRiNDIueG1sAO1aS3PbOAy+51dofGoP0ctePzSK2j3s3nZmD92zhxIh
ixOJ1JD0aw/72xcyRdtx7YzT6dRuw0tiASAIfMAHUk7ST5um9lYgFRP8aRD54cADXgjK+OJp8M+X
Px+ng0/ZQ1oC0JwUzx6ac/U0WEqeMNBl0hJJGpWgOOEqoQ2RxWOMXrIHz0t7vxm6TQP70CkktELq
eQOaUKJJJ0OpkIs5Jw1kfwulc7Hx/tiQpq0hDfYaYwgNYXVmNuMCndXbz61Z8whmjV+IJg2MYb9o
oyWZF4JrUug546XwatJlCXyQVVq3KgmCM16CCuo22G2GDr9y0nvvM2I0k3EYj6MwwqQhpOHkfGQH
e7MeYYC5xHj6HFGUw4IhdpNZNJ6MpyFCaCRWD5zutJPxMJrNMDZunQWn3tIFcJBEC7nH9q8vv3sG
QRMKyGDkx36UBgfbrlTBmVqlrahZsZ23y7xmqoJ9EgLx5llOnkFuX+bbq4xdm3HBsaxt/6ysQFkJ
txJuJYQ+syaTaWA+9ELVljtZ97uPgalCYK9tu4grQTMtAdakfsYYTlVmhQalsd0zngb24y7xc0li
nQsh7Uop1vtqKLGUBcxZm0UzJEAHJWJ5kFq7Qiy5zlBlPlhxvxmsSL3E4lGrMBlhCzHdkceAciw5
sutwaYlSaLCHqMe37BV7nI4SPNkTK27TShkFrlnJkLr7ZRUQCnJeStGcrfSx/tCqK6hFC5dXvbTo
A/lq+5QsdTWXoJa1PkR0ku2VXWiQgRqKrtWbTUdbBMgKDjZmux7A/uGgrZYN4X1I2UII6im24EQv
JRbqhXKP+3G86VFF3hp7gXhlTQcYxr17+KagFQ4OkB5TXoeukOxfoJdCP/AsOC1Ft43lxjU0icMw
Smg+TfIRJFGSRKGji6OLo8vFU2Xq/xb5URj60cQx5adhCvb4orvC/nCmXBP8IwbvI5OH4TiM/AVp
W6Ua3V6bm13p5sBt5sD08hyI3Rxwc8DNgXdwfR5Nx2H3Y4RX6NxdDNxAcAPBDYR+IMSFGwhuILiB
8O7fFEbxPQ2CkrD6uw8CDmvlf+M0wPQL8Ls/Fq3JCu7sq7Z1dDcz4TxCr8UOqr0bzr9W5V/vNjD0
kffR0J9MfnnquzvAnZ+SSpTaVP4qsnChj9jiffiP1PXHH3ti3oQ1BiLHmu/PmquazxLGo4zuenAF
kpVb70Mu6NariKq8hqmG6KL66Ej19pMoGs4cqW5IKsZXghX4Koc+QPp2Nw76NXKpyB1Ht2ZOHA8v
M2f8npnzWk/f+liiUBJ0+pOcS2+bDvf6dpQG9l9Vs4f/AaWfV0/dKgAA

--bis-a37adfd857059a4e266c--
