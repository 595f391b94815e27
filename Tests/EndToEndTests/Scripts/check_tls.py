#!/usr/bin/env python3
"""Reads TLS certificates and keys with Python's `cryptography` (OpenSSL underneath), apart
from AnchorDesk's own code, and says what it sees:

  check_tls.py CA.pem CERTIFICATE.pem KEY.pem [CERTIFICATE.pem KEY.pem ...]   (the CA's key is CA.key)

Prints one JSON array, an object per certificate (the CA first, checked against itself): its
subject as RFC 4514 writes it, whether the CA's key verifies its signature, whether the key file
is a PKCS#8 P-256 key whose public key is the certificate's, whether it is a CA, its key usages,
extended key usages, DNS and IP subject alternative names, and its validity (UTC, ISO 8601).
"""
import datetime
import json
import sys

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID


def extension(certificate, kind):
    try:
        return certificate.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def utc(certificate, name):
    moment = getattr(certificate, name + "_utc", None) or getattr(certificate, name).replace(tzinfo=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def describe(authority, certificate_file, key_file):
    with open(certificate_file, "rb") as handle:
        certificate = x509.load_pem_x509_certificate(handle.read())
    with open(key_file, "rb") as handle:
        key_bytes = handle.read()
    key = serialization.load_pem_private_key(key_bytes, password=None)
    try:
        authority.public_key().verify(certificate.signature, certificate.tbs_certificate_bytes,
                                      ec.ECDSA(certificate.signature_hash_algorithm))
        issued = True
    except InvalidSignature:
        issued = False
    constraints = extension(certificate, x509.BasicConstraints)
    usage = extension(certificate, x509.KeyUsage)
    extended = extension(certificate, x509.ExtendedKeyUsage) or []
    names = extension(certificate, x509.SubjectAlternativeName)
    known = {ExtendedKeyUsageOID.SERVER_AUTH: "serverAuth", ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth"}
    return {
        "subject": certificate.subject.rfc4514_string(),
        "issuedByCA": issued,
        "keyIsPKCS8": key_bytes.startswith(b"-----BEGIN PRIVATE KEY-----\n"),
        "keyMatches": isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1)
        and key.public_key().public_numbers() == certificate.public_key().public_numbers(),
        "isCA": bool(constraints and constraints.ca),
        "keyUsages": sorted(name for name in ["digital_signature", "key_cert_sign", "crl_sign"] if usage and getattr(usage, name)),
        "extendedKeyUsages": [known.get(oid, oid.dotted_string) for oid in extended],
        "dnsNames": names.get_values_for_type(x509.DNSName) if names else [],
        "ipAddresses": [str(address) for address in names.get_values_for_type(x509.IPAddress)] if names else [],
        "notBefore": utc(certificate, "not_valid_before"),
        "notAfter": utc(certificate, "not_valid_after"),
    }


def main(arguments):
    with open(arguments[0], "rb") as handle:
        authority = x509.load_pem_x509_certificate(handle.read())
    pairs = [(arguments[0], arguments[0][:-len(".pem")] + ".key")] + list(zip(arguments[1::2], arguments[2::2]))
    print(json.dumps([describe(authority, certificate, key) for certificate, key in pairs]))


if __name__ == "__main__":
    main(sys.argv[1:])
