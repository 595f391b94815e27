#!/usr/bin/env python3
"""Checks a GBCS command's MAC and its response's signature with Python's `cryptography`,
apart from AnchorDesk's own code, from the wire facts in the project's GBCS-WIRE.md (§2, §3):

  check_gbcs.py COMMAND_HEX RESPONSE_HEX ACB_KA_KEY.pem DEVICE_KA.pem DEVICE_DS.pem

The MAC: ECDH between the ACB's key-agreement private key and the device's key-agreement
certificate; K = SHA-256(00000001 || Z || OtherInfo)[:16]; AES-128-GCM over an empty plaintext
with IV = originator || 00000000 and AAD = 11 00 00 00 00 00 || the APDU; the first 12 octets of
the tag. The signature: ECDSA P-256 / SHA-256, r || s, over the bytes from the 09 after DF to the
end of the content, with the device's Digital Signing certificate.

Prints one JSON object: each check, and the same checks on a copy with one byte flipped.
"""
import hashlib
import json
import sys

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def length(data, at):
    """A BER length at `at`: (value, offset after it)."""
    first = data[at]
    if first < 0x80:
        return first, at + 1
    count = first & 0x7F
    return int.from_bytes(data[at + 1:at + 1 + count], "big"), at + 1 + count


def block(apdu):
    """The header fields of a general signing block, and where its content ends."""
    assert apdu[0] == 0xDF and apdu[1] == 0x09, "not a general signing block"
    cra = apdu[2]
    counter = apdu[3:11]
    assert apdu[11] == 0x08 and apdu[20] == 0x08
    originator, recipient = apdu[12:20], apdu[21:29]
    at = 29
    at += 1 if apdu[at] == 0x00 else 13
    other, at = length(apdu, at)
    at += other
    content, at = length(apdu, at)
    return {"cra": cra, "counter": counter, "originator": originator, "recipient": recipient, "contentEnd": at + content}


def mac_matches(command, acb_key, device_key):
    inner, at = length(command, 7)
    assert command[0] == 0xDD and command[at] == 0x11, "not a DD-wrapped command"
    apdu, mac = command[at + 5:at + inner - 12], command[at + inner - 12:at + inner]
    header = block(apdu)
    z = acb_key.exchange(ec.ECDH(), device_key)
    other = bytes([0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00]) + header["originator"] + bytes([0x09, header["cra"]]) \
        + header["counter"] + header["recipient"]
    key = hashlib.sha256(b"\x00\x00\x00\x01" + z + other).digest()[:16]
    encryptor = Cipher(algorithms.AES(key), modes.GCM(header["originator"] + b"\x00" * 4)).encryptor()
    encryptor.authenticate_additional_data(bytes([0x11, 0, 0, 0, 0, 0]) + apdu)
    encryptor.finalize()
    return encryptor.tag[:12] == mac


def signature_verifies(response, device_key):
    header = block(response)
    end = header["contentEnd"]
    assert response[end] == 0x40, "the response is not signed"
    raw = response[end + 1:end + 65]
    signature = utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        device_key.verify(signature, response[1:end], ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def flipped(data, at):
    copy = bytearray(data)
    copy[at] ^= 0x01
    return bytes(copy)


def main():
    command, response = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2])
    with open(sys.argv[3], "rb") as file:
        acb_key = serialization.load_pem_private_key(file.read(), password=None)
    with open(sys.argv[4], "rb") as file:
        device_agreement = x509.load_pem_x509_certificate(file.read()).public_key()
    with open(sys.argv[5], "rb") as file:
        device_signing = x509.load_pem_x509_certificate(file.read()).public_key()
    print(json.dumps({
        "mac": mac_matches(command, acb_key, device_agreement),
        "signature": signature_verifies(response, device_signing),
        "flippedMac": mac_matches(flipped(command, len(command) // 2), acb_key, device_agreement),
        "flippedSignature": signature_verifies(flipped(response, 40), device_signing),
    }))


if __name__ == "__main__":
    main()
