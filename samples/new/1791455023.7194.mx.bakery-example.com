Return-Path: <postmaster@amazonses.com>
Delivered-To: dmarc@bakery-example.com
Received: from a7-16.smtp-out.eu-west-1.amazonses.com (a7-16.smtp-out.eu-west-1.amazonses.com [192.0.2.152])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4c074010BC7BD
	for <dmarc@bakery-example.com>; Thu, 08 Oct 2026 10:23:43 +0000
Authentication-Results: mx.bakery-example.com;
	dkim=pass header.d=amazonses.com;
	spf=pass smtp.mailfrom=amazonses.com;
	dmarc=pass header.from=amazonses.com
Date: Thu, 08 Oct 2026 10:19:54 +0000
From: postmaster@amazonses.com
To: dmarc@bakery-example.com
Message-ID: <01025063fdf15439-b83895e8-0ced-22e6-c238-0944d211a159-000000@eu-west-1.amazonses.com>
Subject: Report Domain: bakery-example.com Submitter: Amazon SES Report-ID: db379d78-9462-4d5b-a5da-811f7d1a31f0
Content-Type: multipart/mixed;
	boundary="----=_Part_4500650842491507639"
MIME-Version: 1.0

------=_Part_4500650842491507639
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

This MIME email was sent through Amazon SES.
------=_Part_4500650842491507639
Content-Type: application/octet-stream; 
	name=amazonses.com!bakery-example.com!1791331200!1791417600.xml.gz
Content-Transfer-Encoding: base64
Content-Disposition: attachment;
	filename="amazonses.com!bakery-example.com!1791331200!1791417600.xml.gz"

H4sICAAAAAAC/2FtYXpvbnNlcy5jb20hYmFrZXJ5LWV4YW1wbGUuY29tITE3OTEzMzEyMDAhMTc5
MTQxNzYwMC54bWwA7VfLbtswEDw7X1Hkrgcl27IBlkkOObY95NaLQImUTVh8gKTSpF9fUqQfCRIk
ByNADZ1Ezq5md7gjQYI3T7z/9ki1YVJ8vwZpfn2DrmBHKWlwu0NXMxiDKE8BzPYbh2uqpLY1pxYT
bLGDZlDqTS0wp+jux93vXz+Th/sHmB1An0E5Zj1S0liOjaX6FnP8VwpDTdpKDrMQ95mRnxFEmrJa
k2qVrOfLIpmTRZPgBcHJCoCuIgCXoMthdsz3d7uWaK2x2IxlZ7ChGyYQqNagLEGRu/yAjEEqyBia
g2rpQ37vSbIXLIcSJ5Khkj1rn2s1ND0zWxqLS6dCoAbvqH5O6BPmqqdBXwz5LEx2jCMNs7AYIaO6
EfFXDygkpKAwU2HXWgR8g37hG3qjuju3VurQh5Z/gkAjB93SmikE1kWap0UKHMsRHZNaOQiLCpiF
xYjFAvQR94M7i5HWC2TGjZBZb4XQ4CkSc7wohY1xwajPd+KEBTBKPKp4UcQddmgeMkKFZR1zzgv5
W4oJ1XWnJX/ziE/jI9MrBogHu601NUNvI+VJg5+a3WhPf3/UEjdBzoEM7iWeg3XviOxV9z4tDvzD
0a/SBXCTd09y9c70y2n6Z5v+R7SJo02LvCjzZQ7SDVbKGG7VxXpuNb1xJs99refmi3c8BybPTZ47
o+eKvHSfVQCUTuiXWK5zn8n/seX2vFJw1mppZGcv1Q9g8sPl+wFmx1/mf5MVH7JUDwAA

------=_Part_4500650842491507639--
