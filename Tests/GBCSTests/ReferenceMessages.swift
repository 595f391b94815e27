/// Public GBCS messages and certificates used as references.
///
/// Every one is a fact copied from DCC's public decoder repository, `SmartDCCInnovation/gbcs-parser`
/// (GPL-3.0; only message and certificate bytes are used here, no code). The path beside each is
/// the file it comes from. The whole RTDS set, CS02b included, is in `Fixtures/` (RTDSSweepTests).
enum ReferenceMessages {
    /// `test/parse.test.ts`, "precommand / missing signature": a pre-command (no signature part),
    /// CRA 1, counter 1001, originator 90-B3-D5-1F-30-01-00-00, recipient 00-DB-12-34-56-78-90-A0,
    /// message code 0x0062, 108 bytes of content.
    static let preCommand = """
        DF 09 01 00 00 00 00 00 00 03 E9 08 90 B3 D5 1F
        30 01 00 00 08 00 DB 12 34 56 78 90 A0 00 02 00
        62 6C D9 20 00 03 E9 00 05 02 00 08 00 00 01 00
        00 FF 09 03 00 08 00 00 01 00 00 FF 05 03 00 08
        00 00 01 00 00 FF 04 01 00 08 00 00 01 00 00 FF
        02 01 00 08 00 00 01 00 00 FF 04 05 16 05 02 03
        09 0C FF FF FF FF FF FF FF FF FF 80 00 FF 09 0C
        07 DE 0C 1F FF 17 3B 0A 00 80 00 FF 09 0C 07 DF
        01 01 FF 00 00 0A 00 80 00 FF 0F 00 00 00
        """

    /// `test/parse.test.ts`, "precommand / nominal": the same with signature length 00.
    static let unsignedCommand = preCommand + " 00"

    /// `test/parse.test.ts`, "real-payloads / double-long" (base64 there; hex here): a `DD`-wrapped
    /// response, CRA 2, counter 0x0000018C34BD52D8, originator 1C-C1-1B-B1-00-00-1D-02,
    /// recipient 90-B3-D5-1F-30-01-00-00, message code 0x0069, unsigned, 12-octet MAC.
    static let wrappedResponse = """
        DD 00 00 00 00 00 00 44 11 00 00 00 00 DF 09 02 00 00 01 8C 34 BD 52 D8 08 1C C1 1B B1 00 00 1D 02 08
        90 B3 D5 1F 30 01 00 00 00 02 00 69 10 DA 20 BD 52 D8 00 00 01 05 FE 7A FC 53 01 01 00 00 41 9F A0 51
        BB F1 41 7C 9C EF B8 6F
        """

    /// `test/parse.test.ts`, "cs02a / cell-usage-implicit": a CS02a Provide Security Credential
    /// Details response from a device, `DD`-wrapped; its content length is BER long form (81 92).
    static let securityCredentialsResponse = """
        DD 00 00 00 00 00 00 81 C7 11 00 00 00 00 DF 09 02 00 00 01 8D 1E 4C 59 74 08 88 73 84 FF 00 2F 96 1E 08
        90 B3 D5 1F 30 00 00 02 00 02 00 08 81 92 30 81 8F 30 25 02 01 00 0A 01 00 02 01 00 30 1A 30 18 03 02 02
        04 04 08 00 00 00 00 00 00 00 00 04 08 4A 9B DE F1 57 1E FB 13 30 3F 02 01 02 0A 01 00 02 01 00 30 34 30
        18 03 02 07 80 04 08 90 B3 D5 1F 30 01 00 00 04 08 44 89 97 92 D1 96 F4 B8 30 18 03 02 03 08 04 08 90 B3
        D5 1F 30 01 00 00 04 08 40 5B 8C 62 68 7D 8F 70 30 25 02 01 05 0A 01 00 02 01 00 30 1A 30 18 03 02 07 80
        04 08 90 B3 D5 1F 30 00 00 04 04 08 4B 38 EB 47 56 1D 93 E8 00 3D 43 BA C3 26 D1 73 49 F2 32 60 2D
        """

    /// `test/rtds/RTDS-4.5.0/1.1.1_GCS01a/GCS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_RESPONSE_GBCS.HEX`:
    /// a signed response with a date-time, CRA 2, counter 1007, originator 00-DB-12-34-56-78-90-A1,
    /// recipient 90-B3-D5-1F-30-01-00-00, message code 0x006B.
    static let signedResponse = """
        DF090200000000000003EF0800DB1234567890A10890B3D51F300100000C07DF0101FF000000008000FF02006B71010
        90B000707000500000B0000000707000500010B0100000707000500020B0100000707000500030B010000070700050004
        0B0100000707000500050B0200000707000500060B0200000707000500070B0300000707000500080B040000070000050
        0090B04000107000005000A0B050040647EC9C2522546989D78987F88F499D9A477FC3EF466B6811660D0B605DB2983D8
        6178E792A1CC6FF4602D370082452D03F1EFA822B9029BF76186CA9F45E17F
        """

    /// `test/rtds/keystore/00db1234567890a1-ds.pem`: the Digital Signing certificate of the device
    /// that signed ``signedResponse``.
    static let signedResponseSigner = """
        -----BEGIN CERTIFICATE-----
        MIIBnzCCAUagAwIBAgIQPVZPQ7ytXufllXp+RKTu2zAKBggqhkjOPQQDAjAPMQ0w
        CwYDVQQDEwRFMzU3MCAXDTE2MDQwNjAwMDAwMFoYDzk5OTkxMjMxMjM1OTU5WjAA
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKRYo7lITGPiU5HFWTxBIkamUgtUo
        UDQaZI8z0Xb17V34MaJ7/vx8FoNVQ3jc8TS+IKIssovDMw8AJKUpCL6E/6OBkDCB
        jTAOBgNVHQ8BAf8EBAMCB4AwEQYDVR0OBAoECEn2lbi+d1W0MDUGA1UdEQEB/wQr
        MCmgJwYIKwYBBQUHCASgGzAZBg0qhjoAAYSPuQ8BAgIBBAgA2xI0VniQoTAcBgNV
        HSABAf8EEjAQMA4GDCqGOgAB7e5AAQIBBDATBgNVHSMEDDAKgAhH1ArzQSkEoDAK
        BggqhkjOPQQDAgNHADBEAiAbQ2/8BrV0aRAdHqjRj3S0MN4OElFge2u1dfpCGsXn
        DwIgb17KrrjYKDAePYrDG7v0EBougtGtEHE9WQ6c7SYPT6M=
        -----END CERTIFICATE-----
        """

    /// `test/rtds/keystore/90b3d51f30030000-ds.pem`: a test Supplier's (OU 02) Digital Signing
    /// Organisation Certificate, entity 90-B3-D5-1F-30-03-00-00.
    static let supplierSigningCertificate = """
        -----BEGIN CERTIFICATE-----
        MIIBrTCCAVOgAwIBAgIQOer/AFXOTa8IWsh0x8hL0zAKBggqhkjOPQQDAjAaMQsw
        CQYDVQQLEwIwNzELMAkGA1UEAxMCWjEwHhcNMTUxMjIzMDAwMDAwWhcNMjUxMjIy
        MjM1OTU5WjA8MRkwFwYDVQQDDBBHSVRURVNUU1VQUExJRVIyMQswCQYDVQQLDAIw
        MjESMBAGA1UELQMJAJCz1R8wAwAAMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
        n25fipmfeUB1O9U0ZRvF/JvjOnNzdjCh9wCvpR/YzfObiVz54K8SvObuDMllD1+1
        s1wizNhqmEXPT96b0vGrI6NZMFcwDgYDVR0PAQH/BAQDAgeAMBEGA1UdDgQKBAhK
        gQOtrBg6iTAdBgNVHSABAf8EEzARMA8GDSqGOgABhI+5DwECAQQwEwYDVR0jBAww
        CoAIT1aI1+yTO+IwCgYIKoZIzj0EAwIDSAAwRQIgFbzfb/3wBSbQ1Zw178mNWRTU
        2KSXCj928cKxRywtYCgCIQDlJuTXQ40raYPpniZV3rBvIqDUnoBnFnHLYcFMXDMI
        Jg==
        -----END CERTIFICATE-----
        """

    /// `test/rtds/keystore/90b3d51f30000002-ds.pem`: the test ACB's (OU 04) Digital Signing
    /// Organisation Certificate, entity 90-B3-D5-1F-30-00-00-02.
    static let acbSigningCertificate = """
        -----BEGIN CERTIFICATE-----
        MIIBkjCCATigAwIBAgIQWH/llVPiZ1sMDipcQCqfYTAKBggqhkjOPQQDAjAaMQsw
        CQYDVQQLEwIwNzELMAkGA1UEAxMCWjEwHhcNMTUxMDMwMDAwMDAwWhcNMjUxMDI5
        MjM1OTU5WjAhMQswCQYDVQQLDAIwNDESMBAGA1UELQMJAJCz1R8wAAACMFkwEwYH
        KoZIzj0CAQYIKoZIzj0DAQcDQgAEheNGDcOKkF9yVYLkRlEoxAyJese2X2Tehwxf
        CZpl/Z6iKLteDE8LXt4rQSjqOclu/Rdcp1mjnSFGWb1m0wLaNKNZMFcwDgYDVR0P
        AQH/BAQDAgeAMBEGA1UdDgQKBAhCaTU1093hATAdBgNVHSABAf8EEzARMA8GDSqG
        OgABhI+5DwECAQQwEwYDVR0jBAwwCoAIT1aI1+yTO+IwCgYIKoZIzj0EAwIDSAAw
        RQIgCOxbPoI5OYuLnFJCoocPyKSFU2YUD7jA/FssGwdiD5oCIQDXi6ZpEOxFfFdb
        hauMGewOIbN98R9ghm+oQ4JV6nzWjA==
        -----END CERTIFICATE-----
        """
}
