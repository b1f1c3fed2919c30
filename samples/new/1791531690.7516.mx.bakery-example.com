Received: from [192.0.2.66] (office-pc.bakery-example.com [192.0.2.66])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4c08811DFD212
	for <dmarc@bakery-example.com>; Fri, 09 Oct 2026 07:41:30 +0000
Message-ID: <fdb53257f7ea32cbc11a305cc57e4f56@bakery-example.com>
Date: Fri, 09 Oct 2026 07:36:34 +0000
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: en-US
To: dmarc@bakery-example.com
From: Anna Becker <anna@bakery-example.com>
Subject: Fwd: Report domain: bakery-example.com Submitter: google.com Report-ID: 66957473856362901100
Content-Type: multipart/mixed; boundary="------------fdb53257f7ea32cbc11a305c"

This is a multi-part message in MIME format.
--------------fdb53257f7ea32cbc11a305c
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

This one came to my mailbox (the old rua address), forwarding it to the
DMARC mailbox.

Anna

--------------fdb53257f7ea32cbc11a305c
Content-Type: message/rfc822; name="Report domain bakery-example.com Submitter google.com Report-ID 66957473856362901100.eml"
Content-Disposition: attachment; filename="Report domain bakery-example.com Submitter google.com Report-ID 66957473856362901100.eml"

Return-Path: <noreply-dmarc-support@google.com>
Delivered-To: anna@bakery-example.com
Received: from mail-sor-f73.google.com (mail-sor-f73.google.com [192.0.2.141])
	by mx.bakery-example.com (Postfix) with ESMTPS id 4b08811DFD212
	for <anna@bakery-example.com>; Thu, 08 Oct 2026 08:29:30 +0000
Authentication-Results: mx.bakery-example.com;
	dkim=pass header.d=google.com;
	spf=pass smtp.mailfrom=google.com;
	dmarc=pass header.from=google.com
MIME-Version: 1.0
Date: Wed, 07 Oct 2026 16:59:59 -0700
Message-ID: <66957473856362901100@google.com>
Subject: Report domain: bakery-example.com Submitter: google.com Report-ID: 66957473856362901100
From: noreply-dmarc-support@google.com
To: anna@bakery-example.com
Content-Type: application/zip; 
	name="google.com!bakery-example.com!1791331200!1791417599.zip"
Content-Disposition: attachment; 
	filename="google.com!bakery-example.com!1791331200!1791417599.zip"
Content-Transfer-Encoding: base64

UEsDBBQAAAAIAH2/R11/zPc9IwQAAB5HAAA3AAAAZ29vZ2xlLmNvbSFiYWtlcnktZXhhbXBsZS5j
b20hMTc5MTMzMTIwMCExNzkxNDE3NTk5LnhtbO1cy3KjOhDdz1e4such3lAMc1fzBXPXlAyCqAIS
Jclx8vdXmEdwJmZ8bcfOYG1s3JJardbpl1A5/vFSV6tnxDim5PsD0M2HFSIZzTEpvz/8++unFjys
fiTf4gKhfA2zp+TbahUz1FAm0hoJmEMBW5qkUlamBNYoKSktK6RntI6Nkdj1QTXEVUKo5FC9ankN
WabxTdOy+2c6rOvXj3kRDKYZJQJmIsWkoMmjEA2PDKMfqr8NNaABCd8iZliO57mBKXn9Pr5j3C8D
54nnha7v+HbgerZnhSYAphz41t71l2tFKYOk7FcjSWtUYpIAPwS2Dax2UEcZ2hHJd60O8N0wlLKQ
gZmxz22cbarUuKEVzl7TZrOuMH9EoyBUqocka/iE2KuGXmDdDIrrm7p+MH/CdcJio3voibwpdrT2
uyM1ckcIio2m/80HAh8oTSaSnU7ah524H4kmNZpRNkjJ6HbUA6cblqEUNwkIA90FumSmA1/OMDYM
XTO6IXIyy4qN7nFo6GdEz7DaSN3lQ0OrEMwbyrGQIO4ln1Im/Vo1NJBz2WHUSL/kom8Y1TJZ5bs5
5WYNa4txjojABZYmNA57RDBHLC0YrT/cpGl7z/A3NjHciMeUIb6pxBvnd1IfCYQe7S2rfpH9j8n6
UYUyQVlvvFINA2HUxXTuowTRpCC6ZVq26ZlAL2HTcF6L5jJyDnz/KOlkPy+nsQlMpCW926m282AH
x5iE9BsgytdB5ASe2X44UQTWM7YBQmUbyjbuwjam4SI4bBKhqSxCWcTdRgsrO2wavgoWyjTuzDTW
DoqATKLMw2bhqohxE7OoXyTgvCWBDdqeG1kSbe5htDneZ6GtgLhaItqGKSipccYop4W4DACHB6Dt
TaRNJ9pNsIDc2dJN3dLn3KBjKzeo3OBlCjRnxgHaKtyqLPReslBbul0AbKmswwZhhSojUBnB7aAJ
Zs6XFTQVNG+WrM4BM1BJhEpWL+L//Nl3z1eHWecYVa56TK56Nsxar9kp/Dqh1pp5b6UirYq0t6vY
dzeWvg4278ILfuR5LlaxV5gLro9GwsrTDaJldXrYP1OQzzmpB8CNImvmlMpXkFeQXwLkp9dmnJmK
yltGpkvQlut/XVW1BSdCvr0cvYXP6FJyIN6cmNdI7GRIP1+ez0q9Hf8G2L+ys8dVhUl5Yfh/uN2Y
PFOcIS2TLBAbXR1B4vBud9q6lqubu/ChXJ1ydUtzdXvgnzlncBT4FfgXDP6541xHFXVfuKj7W05z
h8t+IIoU2BTYrnONGebtNeZAwe382uUrvyCaO6Gx1A4f61Da9GRSlp51FMjBQpzJXoVgz7z0VhWC
qhCWexIIbO8G2FdJ2xzcclRA2XQa4Bq5IqrlCFb8ixxE7qdtbhSFjoLc+Ynb/99otBEMnhpVY+Pt
r27+A1BLAQIUABQAAAAIAH2/R11/zPc9IwQAAB5HAAA3AAAAAAAAAAAAAACAAQAAAABnb29nbGUu
Y29tIWJha2VyeS1leGFtcGxlLmNvbSExNzkxMzMxMjAwITE3OTE0MTc1OTkueG1sUEsFBgAAAAAB
AAEAZQAAAHgEAAAAAA==

--------------fdb53257f7ea32cbc11a305c--
