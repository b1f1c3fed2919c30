#!/usr/bin/perl
# make-mmdb.pl -- write a small country database for the GeoIP tests.
#
#   make-mmdb.pl OUT.mmdb NET=CC [NET=CC ...]
#   e.g. make-mmdb.pl t.mmdb 192.0.2.0/24=NL 2001:db8::/32=DE 198.51.100.0/24=-/SE
#
# The file has the layout of MaxMind's GeoIP2-Country databases, so the
# reader is tested against the real structure without shipping MaxMind's
# data: an IPv6 tree with the IPv4 space at ::/96 (and ::ffff:0:0/96 and
# 2002::/16 aliased to it), 24-bit records, and for each network a map with
# country.iso_code and registered_country.iso_code.  "CC" sets both;
# "CC/RC" sets them apart, and "-" leaves one out ("-/SE" has only a
# registered country, as anycast blocks do in the real data).
#
# The documentation networks (192.0.2.0/24, 2001:db8::/32) are reserved,
# and the writer drops reserved networks by default; the tests need them.
#
# Needs MaxMind::DB::Writer (Debian: libmaxmind-db-writer-perl).  Exits 2
# on bad usage, 1 when the module is missing (tests skip then).
use strict;
use warnings;

my $usage = "usage: make-mmdb.pl OUT.mmdb NET=CC[/RC] ...\n";
die $usage if @ARGV < 2;
my ($out, @specs) = @ARGV;

if (!eval { require MaxMind::DB::Writer::Tree; 1 }) {
    print STDERR "make-mmdb.pl: MaxMind::DB::Writer::Tree is not installed\n";
    exit 1;
}

my %types = (
    country            => 'map',
    registered_country => 'map',
    iso_code           => 'utf8_string',
    geoname_id         => 'uint32',
    names              => 'map',
    en                 => 'utf8_string',
);

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => 6,
    record_size              => 24,
    database_type            => 'GeoIP2-Country',
    languages                => ['en'],
    description              => { en => 'dmarcstat test country database' },
    map_key_type_callback    => sub { $types{ $_[0] } },
    alias_ipv6_to_ipv4       => 1,
    remove_reserved_networks => 0,
    merge_strategy           => 'none',
);

for my $spec (@specs) {
    my ($net, $codes) = split /=/, $spec, 2;
    if (!defined $codes || $net !~ m{/\d+$}) {
        print STDERR "make-mmdb.pl: $spec: want NET/PREFIX=CC[/RC]\n";
        exit 2;
    }
    my ($cc, $rc) = split m{/}, $codes, 2;
    $rc //= $cc;
    my %data;
    for ([country => $cc], [registered_country => $rc]) {
        my ($key, $code) = @$_;
        next if $code eq '-';
        if ($code !~ /^[A-Za-z]{2}$/) {
            print STDERR "make-mmdb.pl: $spec: \"$code\" is not a two-letter code\n";
            exit 2;
        }
        $data{$key} = { iso_code => $code, names => { en => "Country $code" } };
    }
    $tree->insert_network($net, \%data);
}

open my $fh, '>:raw', $out or die "make-mmdb.pl: $out: $!\n";
$tree->write_tree($fh);
close $fh or die "make-mmdb.pl: $out: $!\n";
