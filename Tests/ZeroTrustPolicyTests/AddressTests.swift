import Testing
import ZeroTrustPolicy

@Suite struct AddressTests {
    @Test(arguments: ["10.1.2.3", "0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::1", "fe80::1:2:3:4",
                      "2001:db8:0:0:1:0:0:1", "::ffff:10.1.2.3", "1:2:3:4:5:6:7:8", "::ffff:0a01:0203", "64:ff9b::192.0.2.33"])
    func parsesValidAddresses(text: String) {
        #expect(IPAddress(text) != nil)
    }

    @Test(arguments: ["", "10.1.2", "10.1.2.3.4", "256.1.1.1", "01.1.1.1", "1.1.1.-1", "10.1.2.3 ", ":::", "1::2::3",
                      "2001:db8::g", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "fe80::1%eth0", "::ffff:1.2.3", "1:2:3:4:5:6:7::8:9"])
    func rejectsInvalidAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func ipv4MappedIPv6IsItsIPv4Address() throws {
        #expect(try ip("::ffff:10.1.2.3") == ip("10.1.2.3"))
        #expect(try ip("::ffff:a01:203") == ip("10.1.2.3"))
        #expect(try ip("::ffff:10.1.2.3").isIPv4)
        #expect(try ip("::ffff:10.1.2.3").description == "10.1.2.3")
        #expect(try !(ip("::10.1.2.3").isIPv4))
    }

    @Test func formatsIPv4AsDottedQuadsWithoutLeadingZeros() throws {
        for text in ["0.0.0.0", "255.255.255.255", "10.0.100.9", "1.20.199.250", "100.10.1.0"] {
            #expect(try ip(text).description == text)
        }
        // Every octet value in every position, against the integers' own decimal text.
        for octet in UInt32(0)...255 {
            let v = octet << 24 | (255 - octet) << 16 | (octet / 3) << 8 | (octet * 7 % 256)
            let expected = "\(v >> 24).\((v >> 16) & 0xFF).\((v >> 8) & 0xFF).\(v & 0xFF)"
            #expect(try ip(expected).description == expected)
        }
    }

    @Test func formatsIPv6Canonically() throws {
        #expect(try ip("2001:0db8:0000:0000:0001:0000:0000:0001").description == "2001:db8::1:0:0:1")
        #expect(try ip("0:0:0:0:0:0:0:1").description == "::1")
        #expect(try ip("::").description == "::")
        #expect(try ip("1:0:2:0:3:0:4:0").description == "1:0:2:0:3:0:4:0")
    }

    @Test func cidrContainment() throws {
        let v4 = try CIDR("10.0.0.0/8")
        #expect(v4.contains(try ip("10.255.255.255")))
        #expect(v4.contains(try ip("::ffff:10.1.2.3")))
        #expect(!v4.contains(try ip("11.0.0.0")))
        #expect(!v4.contains(try ip("9.255.255.255")))
        #expect(!v4.contains(try ip("::a01:203")))   // IPv4-compatible, not mapped
        let v6 = try CIDR("2001:db8::/32")
        #expect(v6.contains(try ip("2001:db8:ffff::1")))
        #expect(!v6.contains(try ip("2001:db9::")))
        #expect(try CIDR("0.0.0.0/0").contains(ip("1.2.3.4")))
        #expect(!(try CIDR("0.0.0.0/0").contains(ip("2001:db8::1"))))
        #expect(try CIDR("::/0").contains(ip("1.2.3.4")))
        #expect(try CIDR("192.168.1.5").contains(ip("192.168.1.5")))
        #expect(!(try CIDR("192.168.1.5/32").contains(ip("192.168.1.6"))))
        #expect(try CIDR("2001:db8::1/128").contains(ip("2001:db8::1")))
        #expect(try CIDR("::ffff:10.0.0.0/104").contains(ip("10.9.8.7")))
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0.1/8", "10.0.0.0/", "10.0.0.0/-1", "10.0.0/8", "2001:db8::/129", "2001:db8::1/32", "abc", "10.0.0.0/8/8", "10.0.0.0/08x"])
    func rejectsInvalidCIDRs(text: String) {
        #expect {
            _ = try CIDR(text)
        } throws: { error in
            (error as? PolicyError)?.code == .invalidCIDR
        }
    }
}
