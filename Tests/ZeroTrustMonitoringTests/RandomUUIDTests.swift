import Foundation
import Testing
@testable import ZeroTrustMonitoring

@Suite("Audit event identifiers")
struct RandomUUIDTests {
    @Test("Event ids are distinct version-4 UUIDs with the RFC 9562 variant")
    func versionAndVariant() {
        let ids = (0..<1000).map { _ in AuditEvent(time: Date(timeIntervalSince1970: 0), payload: .alert(Alert(detector: "test", severity: .low, summary: "x"))).id }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.uuid.6 >> 4 == 4)
            #expect(id.uuid.8 >> 6 == 0b10)
            #expect(id.uuidString.lowercased().dropFirst(14).first == "4")
        }
    }
}
