import Foundation
import Testing
import ZeroTrustPolicy

@Suite struct RequestDecodingTests {
    let issueExample = """
        {"subject":{"id":"alice","roles":["data_scientist"],"approvals":[],"attributes":{}},
         "resource":{"type":"dataset","id":"ds-1","attributes":{"sensitivity":"low"}},
         "action":"read_data",
         "context":{"ip":"10.1.2.3","time":"2026-11-25T10:00:00Z","mfa_verified":false}}
        """

    @Test func decodesTheIssueExample() throws {
        let r = try AccessRequest.decodeJSON(Data(issueExample.utf8))
        #expect(r.subject == .init(id: "alice", roles: [.dataScientist]))
        #expect(r.resource == .init(type: .dataset, id: "ds-1", attributes: ["sensitivity": "low"]))
        #expect(r.action == .readData)
        #expect(r.context.ip == IPAddress("10.1.2.3"))
        #expect(r.context.time == Date(timeIntervalSince1970: 1_795_600_800))
        #expect(r.context.mfaVerified == false)
        let decision = try PolicyDecisionPoint(Fixtures.seedSet()).authorize(r)
        #expect(decision.authorized)
    }

    @Test func encodesAndDecodesBack() throws {
        let r = try AccessRequest.decodeJSON(Data(issueExample.utf8))
        let again = try AccessRequest.decodeJSON(JSONEncoder().encode(r))
        #expect(again == r)
    }

    @Test(arguments: [
        #"{"ip":"10.1.2.300"}"#, #"{"ip":"not an ip"}"#, #"{"ip":""}"#, #"{"time":"2026-11-25 10:00"}"#,
        #"{"time":"2026-02-30T10:00:00Z"}"#, #"{"time":"2026-11-25T10:00:00"}"#, #"{"time":"yesterday"}"#,
        #"{"time":"2026-11-25T24:00:00Z"}"#, #"{"ip":42}"#, #"{"time":1796032800}"#,
    ])
    func malformedContextIsAnErrorNotADecision(context: String) {
        let json = #"{"subject":{"id":"a"},"resource":{"type":"t"},"action":"x","context":"# + context + "}"
        #expect {
            _ = try AccessRequest.decodeJSON(Data(json.utf8))
        } throws: { ($0 as? PolicyError)?.code == .invalidRequest }
    }

    @Test func missingContextFieldsAreAllowed() throws {
        let r = try AccessRequest.decodeJSON(Data(#"{"subject":{"id":"a"},"resource":{"type":"t"},"action":"x"}"#.utf8))
        #expect(r.context == AccessRequest.Context())
        #expect(r.subject.roles.isEmpty)
        #expect { _ = try AccessRequest.decodeJSON(Data(#"{"subject":{"id":"a"},"action":"x"}"#.utf8)) } throws: {
            ($0 as? PolicyError)?.message.contains("resource") == true
        }
    }

    @Test func numericAndBooleanAttributesCompareAsText() throws {
        let json = #"{"subject":{"id":"a"},"resource":{"type":"model","attributes":{"quarantined":true,"version":3}},"action":"x"}"#
        let r = try AccessRequest.decodeJSON(Data(json.utf8))
        #expect(r.resource.attributes == ["quarantined": "true", "version": "3"])
    }

    @Test(arguments: [
        ("2026-11-25T10:00:00Z", 1_795_600_800.0),
        ("2026-11-25T10:00:00.250Z", 1_795_600_800.25),
        ("2026-11-25T11:30:00+01:30", 1_795_600_800.0),
        ("2026-11-25T05:00:00-05:00", 1_795_600_800.0),
        ("2026-11-25t10:00:00z", 1_795_600_800.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
        ("1969-12-31T23:59:59Z", -1.0),
    ])
    func parsesRFC3339(text: String, seconds: Double) throws {
        let date = try #require(RFC3339.date(from: text))
        #expect(date.timeIntervalSince1970 == seconds)
    }

    @Test func formatsRFC3339() {
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 1_795_600_800)) == "2026-11-25T10:00:00Z")
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }
}
